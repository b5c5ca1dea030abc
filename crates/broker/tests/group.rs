//! The 2.8.2 group coordinator with a replica manager wired by hand (no
//! network): consumers join, sync, heartbeat, commit and fetch offsets;
//! groups rebalance when members come, fail or leave; errors come as Kafka
//! gives them; the initial rebalance delay stretches while members keep
//! joining; offsets and group metadata are appended to `__consumer_offsets`
//! (acks=-1 through the replica manager) and a fresh coordinator loads them
//! back; the log lines of a first join are 2.8.2's.

use std::collections::BTreeMap;

use broker::group::{
    Completed, GroupConfig, GroupCoordinator, GroupState, OffsetConfig,
    GROUP_AUTHORIZED_OPERATIONS, LOGGER, MANAGER_LOGGER,
};
use broker::replica::{
    Completed as ProduceCompleted, ProduceResult, ReplicaManager, ReplicaSettings, TopicSettings,
};
use bytes::{BufMut, Bytes, BytesMut};
use distribution::Release;
use kafka_api::requests::*;
use kafka_api::{Errors, TopicPartition};
use kafka_log::storage::DirSnapshot;
use kafka_log::{Level, LogLine, LogManager, LogManagerConfig, LogVersion};
use protocol::{Magic, Records};

const T0: i64 = 1_380_585_600_000;
const GROUP: &str = "my-group";
/// `abs("my-group".hashCode) % 50`.
const P: i32 = 12;
const SESSION_MS: i32 = 10_000;
const REBALANCE_MS: i32 = 300_000;

/// A consumer's subscription (`ConsumerProtocol` v0): version, topics, no user data.
fn subscription(topics: &[&str]) -> Bytes {
    let mut b = BytesMut::new();
    b.put_i16(0);
    b.put_i32(topics.len() as i32);
    for t in topics {
        b.put_i16(t.len() as i16);
        b.put_slice(t.as_bytes());
    }
    b.put_i32(-1);
    b.freeze()
}

/// A consumer's assignment (`ConsumerProtocol` v0): version, partitions, no user data.
fn assignment(topic: &str, partitions: &[i32]) -> Bytes {
    let mut b = BytesMut::new();
    b.put_i16(0);
    b.put_i32(1);
    b.put_i16(topic.len() as i16);
    b.put_slice(topic.as_bytes());
    b.put_i32(partitions.len() as i32);
    for p in partitions {
        b.put_i32(*p);
    }
    b.put_i32(-1);
    b.freeze()
}

fn offsets_tp(partition: i32) -> TopicPartition {
    TopicPartition::new("__consumer_offsets", partition)
}

fn replica_manager(partitions: &[i32]) -> ReplicaManager {
    let config = LogManagerConfig::defaults(LogVersion::Kafka2_8_2, "/tmp/kafka-logs", 0);
    let log_manager =
        LogManager::startup(&DirSnapshot::default(), config, T0).expect("an empty dir");
    let mut rm = ReplicaManager::new(
        Release::V2_8_2,
        0,
        ReplicaSettings {
            replica_lag_time_max_ms: 30_000,
            replica_lag_max_messages: None,
        },
        TopicSettings {
            magic: Magic::V2,
            min_insync_replicas: 1,
        },
        log_manager,
    );
    let states = partitions
        .iter()
        .map(|&p| PartitionState {
            partition: offsets_tp(p),
            controller_epoch: 1,
            leader: 0,
            leader_epoch: 0,
            isr: vec![0],
            zk_version: 0,
            replicas: vec![0],
            adding_replicas: vec![],
            removing_replicas: vec![],
            is_new: true,
        })
        .collect();
    let answer = rm.become_leader_or_follower(
        &LeaderAndIsrRequest {
            controller_id: 0,
            controller_epoch: 1,
            broker_epoch: 0,
            partition_states: states,
            live_leaders: vec![],
        },
        1,
        T0,
    );
    assert!(answer.partitions.iter().all(|(_, e)| *e == Errors::None));
    rm
}

/// Broker 0: its coordinator, leading `__consumer_offsets-12` through its
/// replica manager, and what came out of them.
struct Broker {
    coordinator: GroupCoordinator,
    rm: ReplicaManager,
    now: i64,
    draws: u64,
    next_id: u64,
    completed: Vec<Completed>,
    lines: Vec<LogLine>,
    appended: usize,
    /// The version of the JoinGroups sent.
    join_version: i16,
}

impl Broker {
    fn new(group_config: GroupConfig, offset_config: OffsetConfig) -> Broker {
        Broker::with_log(group_config, offset_config, None)
    }

    /// A broker whose offsets partition starts with these records (a restart).
    fn with_log(
        group_config: GroupConfig,
        offset_config: OffsetConfig,
        log: Option<Bytes>,
    ) -> Broker {
        let mut rm = replica_manager(&[P]);
        if let Some(records) = &log {
            // The old log, as a follower would have copied it.
            rm.append_as_follower(&offsets_tp(P), records, 0, T0)
                .expect("the log takes its records");
        }
        let mut coordinator = GroupCoordinator::new(0, group_config, offset_config);
        coordinator.startup(50, T0);
        let mut b = Broker {
            coordinator,
            rm,
            now: T0,
            draws: 0,
            next_id: 0,
            completed: Vec::new(),
            lines: Vec::new(),
            appended: 0,
            join_version: 7,
        };
        b.elect(P);
        // The offsets expiration task runs once at start-up.
        b.advance(T0);
        b
    }

    /// The broker now leads offsets partition `p`: its records are loaded.
    fn elect(&mut self, p: i32) {
        self.coordinator.on_election(p, 0, self.now);
        for task in self.coordinator.take_loads() {
            let records = self.read_log(task.partition).map(Records::new);
            self.coordinator
                .load_groups_and_offsets(&task, records.as_ref(), self.now);
        }
        self.pump();
    }

    fn read_log(&self, p: i32) -> Option<Bytes> {
        let log = self.rm.log_manager.log("__consumer_offsets", p)?;
        Some(
            log.read(log.log_start_offset(), 1 << 30, None, true)
                .expect("the log reads")
                .records,
        )
    }

    /// Appends what the coordinator asks for and reports the answers.
    fn pump(&mut self) {
        loop {
            let appends = self.coordinator.take_appends();
            if appends.is_empty() {
                break;
            }
            for a in appends {
                self.appended += 1;
                let sent = [(a.partition.clone(), a.records.clone())];
                match self
                    .rm
                    .append_records(a.id, a.required_acks, a.timeout_ms, &sent, self.now)
                {
                    ProduceResult::Now(r) => {
                        self.coordinator
                            .append_completed(a.id, &r.partitions[0].1, self.now)
                    }
                    ProduceResult::Delayed | ProduceResult::NoResponse => {}
                }
            }
            for done in self.rm.take_completed() {
                if let ProduceCompleted::Produce(id, r) = done {
                    self.coordinator
                        .append_completed(id, &r.partitions[0].1, self.now);
                }
            }
        }
        self.completed.extend(self.coordinator.take_completed());
        self.lines.extend(self.coordinator.take_lines());
    }

    /// Lets time pass, running what falls due.
    fn advance(&mut self, to: i64) {
        while let Some(due) = self.coordinator.next_due_ms().filter(|&d| d <= to) {
            self.now = due.max(self.now);
            self.coordinator.tick(self.now);
            self.rm.tick(self.now);
            self.pump();
        }
        self.now = to;
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// A JoinGroup, answered now or `None` (it waits).
    fn join_request(
        &mut self,
        group: &str,
        member_id: &str,
        client: &str,
        instance: Option<&str>,
        session_ms: i32,
    ) -> (u64, Option<JoinGroupResponse>) {
        let request = JoinGroupRequest {
            group_id: group.into(),
            session_timeout_ms: session_ms,
            rebalance_timeout_ms: REBALANCE_MS,
            member_id: member_id.into(),
            group_instance_id: instance.map(str::to_string),
            protocol_type: "consumer".into(),
            protocols: vec![JoinGroupProtocol {
                name: "range".into(),
                metadata: subscription(&["topic"]),
            }],
        };
        let id = self.id();
        let mut draws = self.draws;
        let answer = self.coordinator.join_group(
            id,
            self.join_version,
            client,
            "/127.0.0.1",
            &request,
            &mut || {
                draws = draws.wrapping_add(0x9E37_79B9_7F4A_7C15);
                draws
            },
            self.now,
        );
        self.draws = draws;
        self.pump();
        (id, answer)
    }

    /// A new dynamic member: MEMBER_ID_REQUIRED, then the JoinGroup that waits.
    fn join_new(&mut self, client: &str) -> (u64, String) {
        let (_, first) = self.join_request(GROUP, "", client, None, SESSION_MS);
        let first = first.expect("answered at once");
        assert_eq!(first.error, Errors::MemberIdRequired);
        assert!(first.member_id.starts_with(&format!("{client}-")));
        let member = first.member_id;
        let (id, answer) = self.join_request(GROUP, &member, client, None, SESSION_MS);
        assert_eq!(answer, None, "the JoinGroup waits for the rebalance");
        (id, member)
    }

    /// A static member (`group.instance.id`) joining with no member id.
    fn join_static(&mut self, instance: &str) -> (u64, Option<JoinGroupResponse>) {
        self.join_request(GROUP, "", "consumer-my-group-1", Some(instance), SESSION_MS)
    }

    fn rejoin(&mut self, member: &str) -> (u64, Option<JoinGroupResponse>) {
        self.join_request(GROUP, member, "consumer-my-group-1", None, SESSION_MS)
    }

    /// The answer of request `id` that came later.
    fn answered(&mut self, id: u64) -> Completed {
        let at = self
            .completed
            .iter()
            .position(|c| c.id() == id)
            .unwrap_or_else(|| panic!("request {id} answered"));
        self.completed.remove(at)
    }

    fn joined(&mut self, id: u64) -> JoinGroupResponse {
        match self.answered(id) {
            Completed::JoinGroup(_, r) => r,
            other => panic!("{other:?}"),
        }
    }

    fn synced(&mut self, id: u64) -> SyncGroupResponse {
        match self.answered(id) {
            Completed::SyncGroup(_, r) => r,
            other => panic!("{other:?}"),
        }
    }

    fn sync(
        &mut self,
        member: &str,
        generation: i32,
        assignments: &[(&str, Bytes)],
    ) -> (u64, Option<SyncGroupResponse>) {
        let request = SyncGroupRequest {
            group_id: GROUP.into(),
            generation_id: generation,
            member_id: member.into(),
            group_instance_id: None,
            protocol_type: Some("consumer".into()),
            protocol_name: Some("range".into()),
            assignments: assignments
                .iter()
                .map(|(m, a)| SyncGroupAssignment {
                    member_id: m.to_string(),
                    assignment: a.clone(),
                })
                .collect(),
        };
        let id = self.id();
        let answer = self.coordinator.sync_group(id, 5, &request, self.now);
        self.pump();
        (id, answer)
    }

    fn heartbeat(&mut self, member: &str, generation: i32) -> Errors {
        let r = self.coordinator.heartbeat(
            &HeartbeatRequest {
                group_id: GROUP.into(),
                generation_id: generation,
                member_id: member.into(),
                group_instance_id: None,
            },
            self.now,
        );
        self.pump();
        r.error
    }

    fn commit(
        &mut self,
        member: &str,
        generation: i32,
        offsets: &[(i32, i64)],
    ) -> OffsetCommitResponse {
        let request = OffsetCommitRequest {
            group_id: GROUP.into(),
            generation_id: generation,
            member_id: member.into(),
            group_instance_id: None,
            retention_time_ms: DEFAULT_RETENTION_TIME,
            partitions: offsets
                .iter()
                .map(|&(p, o)| OffsetCommitPartition {
                    partition: TopicPartition::new("topic", p),
                    committed_offset: o,
                    committed_leader_epoch: 0,
                    commit_timestamp: DEFAULT_TIMESTAMP,
                    committed_metadata: Some(String::new()),
                })
                .collect(),
        };
        let id = self.id();
        let exists = |tp: &TopicPartition| tp.topic == "topic";
        match self
            .coordinator
            .commit_offsets(id, 8, &request, &exists, self.now)
        {
            Some(r) => r,
            None => {
                self.pump();
                match self.answered(id) {
                    Completed::OffsetCommit(_, r) => r,
                    other => panic!("{other:?}"),
                }
            }
        }
    }

    fn fetch(&mut self, partitions: Option<&[i32]>) -> OffsetFetchResponse {
        self.coordinator.fetch_offsets(
            7,
            &OffsetFetchRequest {
                group_id: GROUP.into(),
                partitions: partitions.map(|ps| {
                    ps.iter()
                        .map(|&p| TopicPartition::new("topic", p))
                        .collect()
                }),
                require_stable: true,
            },
        )
    }

    fn state(&self) -> Option<GroupState> {
        self.coordinator.group_state(GROUP)
    }

    /// The coordinator's and the manager's lines, as `LEVEL message`.
    fn take_lines(&mut self) -> Vec<String> {
        self.lines
            .drain(..)
            .filter(|l| l.logger.starts_with("kafka.coordinator.group"))
            .map(|l| format!("{} {}", l.level, l.message))
            .collect()
    }
}

fn defaults() -> Broker {
    Broker::new(GroupConfig::default(), OffsetConfig::default())
}

/// One consumer, stable in generation 1 with partitions 0 and 1 of `topic`.
fn one_stable_member(b: &mut Broker) -> String {
    let (join, member) = b.join_new("consumer-my-group-1");
    b.advance(T0 + 3000);
    let joined = b.joined(join);
    assert_eq!((joined.error, joined.generation_id), (Errors::None, 1));
    let (sync, now) = b.sync(&member, 1, &[(&member, assignment("topic", &[0, 1]))]);
    let synced = now.unwrap_or_else(|| b.synced(sync));
    assert_eq!(synced.error, Errors::None);
    member
}

/// Two consumers, stable in generation 2, the first leading.
fn two_stable_members(b: &mut Broker) -> (String, String) {
    let first = one_stable_member(b);
    let (second_join, second) = b.join_new("consumer-my-group-2");
    let (first_join, now) = b.rejoin(&first);
    let now = now.expect("the last member to join completes the join");
    b.completed.push(Completed::JoinGroup(first_join, now));
    b.joined(second_join);
    b.joined(first_join);
    let (s2, _) = b.sync(&second, 2, &[]);
    let (s1, _) = b.sync(
        &first,
        2,
        &[
            (&first, assignment("topic", &[0])),
            (&second, assignment("topic", &[1])),
        ],
    );
    b.synced(s1);
    b.synced(s2);
    assert_eq!(b.state(), Some(GroupState::Stable));
    (first, second)
}

#[test]
fn one_consumer_joins_syncs_heartbeats_commits_and_fetches_its_offsets() {
    let mut b = defaults();
    assert_eq!(b.coordinator.partition_for(GROUP), P);
    let (join, member) = b.join_new("consumer-my-group-1");
    assert_eq!(b.state(), Some(GroupState::PreparingRebalance));
    // The initial rebalance delay: nothing before 3 s.
    b.advance(T0 + 2999);
    assert!(b.completed.is_empty());
    b.advance(T0 + 3000);
    let joined = b.joined(join);
    assert_eq!(joined.error, Errors::None);
    assert_eq!(joined.generation_id, 1);
    assert_eq!(joined.protocol_type.as_deref(), Some("consumer"));
    assert_eq!(joined.protocol_name.as_deref(), Some("range"));
    assert_eq!(joined.leader, member);
    assert_eq!(joined.member_id, member);
    assert_eq!(
        joined.members,
        [JoinGroupResponseMember {
            member_id: member.clone(),
            group_instance_id: None,
            metadata: subscription(&["topic"]),
        }]
    );
    assert_eq!(b.state(), Some(GroupState::CompletingRebalance));

    // The leader's SyncGroup waits for its assignment to be appended (acks=-1).
    let appended = b.appended;
    let (sync, now) = b.sync(&member, 1, &[(&member, assignment("topic", &[0, 1]))]);
    assert_eq!(
        b.appended,
        appended + 1,
        "the group's metadata went to __consumer_offsets-12"
    );
    let synced = now.unwrap_or_else(|| b.synced(sync));
    assert_eq!(synced.error, Errors::None);
    assert_eq!(synced.assignment, assignment("topic", &[0, 1]));
    assert_eq!(synced.protocol_name.as_deref(), Some("range"));
    assert_eq!(b.state(), Some(GroupState::Stable));

    b.advance(T0 + 6000);
    assert_eq!(b.heartbeat(&member, 1), Errors::None);
    let committed = b.commit(&member, 1, &[(0, 42), (1, 7)]);
    assert_eq!(
        committed.partitions,
        [
            (TopicPartition::new("topic", 0), Errors::None),
            (TopicPartition::new("topic", 1), Errors::None)
        ]
    );
    let fetched = b.fetch(Some(&[0, 1, 2]));
    assert_eq!(fetched.error, Errors::None);
    let offsets: Vec<(i32, i64, i32)> = fetched
        .partitions
        .iter()
        .map(|(tp, r)| (tp.partition, r.committed_offset, r.committed_leader_epoch))
        .collect();
    assert_eq!(offsets, [(0, 42, 0), (1, 7, 0), (2, -1, -1)]);
    let all = b.fetch(None);
    assert_eq!(all.partitions.len(), 2);

    // Still alive long after the first session, thanks to its heartbeats.
    for t in (9_000..=60_000).step_by(3000) {
        b.advance(T0 + t);
        assert_eq!(b.heartbeat(&member, 1), Errors::None);
    }
    assert_eq!(b.state(), Some(GroupState::Stable));

    let described = b.coordinator.describe_groups(
        5,
        &DescribeGroupsRequest {
            groups: vec![GROUP.into(), "group-26".into(), "test".into()],
            include_authorized_operations: true,
        },
    );
    let g = &described.groups[0];
    assert_eq!(
        (
            g.error,
            g.group_state.as_str(),
            g.protocol_type.as_str(),
            g.protocol_data.as_str()
        ),
        (Errors::None, "Stable", "consumer", "range")
    );
    assert_eq!(g.members[0].member_id, member);
    assert_eq!(g.members[0].client_host, "/127.0.0.1");
    assert_eq!(g.members[0].member_assignment, assignment("topic", &[0, 1]));
    assert_eq!(g.authorized_operations, GROUP_AUTHORIZED_OPERATIONS);
    // "group-26" is in partition 12 too, but unknown; "test" is another broker's.
    assert_eq!(
        (
            described.groups[1].error,
            described.groups[1].group_state.as_str()
        ),
        (Errors::None, "Dead")
    );
    assert_eq!(
        (
            described.groups[2].error,
            described.groups[2].group_state.as_str()
        ),
        (Errors::NotCoordinator, "")
    );
    let listed = b.coordinator.list_groups(
        4,
        &ListGroupsRequest {
            states_filter: vec![],
        },
    );
    assert_eq!(
        listed.groups,
        [ListedGroup {
            group_id: GROUP.into(),
            protocol_type: "consumer".into(),
            group_state: "Stable".into()
        }]
    );
}

#[test]
fn a_second_member_makes_generation_2_and_both_get_the_leaders_assignment() {
    let mut b = defaults();
    let first = one_stable_member(&mut b);
    b.advance(T0 + 5000);
    let (second_join, second) = b.join_new("consumer-my-group-2");
    assert_eq!(b.state(), Some(GroupState::PreparingRebalance));
    // The first member learns of the rebalance from its heartbeat, and rejoins.
    assert_eq!(b.heartbeat(&first, 1), Errors::RebalanceInProgress);
    let (first_join, now) = b.rejoin(&first);
    assert_eq!(
        now.as_ref().map(|r| r.error),
        Some(Errors::None),
        "the last member to join completes the join"
    );
    b.completed
        .push(Completed::JoinGroup(first_join, now.unwrap()));
    let leader = b.joined(first_join);
    let follower = b.joined(second_join);
    assert_eq!((leader.generation_id, follower.generation_id), (2, 2));
    assert_eq!(leader.leader, first);
    assert_eq!(follower.leader, first);
    assert_eq!(leader.members.len(), 2);
    assert!(
        follower.members.is_empty(),
        "only the leader gets the members"
    );
    assert_eq!(b.state(), Some(GroupState::CompletingRebalance));
    // A commit now is refused.
    assert_eq!(
        b.commit(&first, 2, &[(0, 1)]).partitions[0].1,
        Errors::RebalanceInProgress
    );

    // The follower's SyncGroup waits for the leader's.
    let (follower_sync, now) = b.sync(&second, 2, &[]);
    assert_eq!(now, None);
    let (leader_sync, now) = b.sync(
        &first,
        2,
        &[
            (&first, assignment("topic", &[0])),
            (&second, assignment("topic", &[1])),
        ],
    );
    let leader_synced = now.unwrap_or_else(|| b.synced(leader_sync));
    let follower_synced = b.synced(follower_sync);
    assert_eq!(leader_synced.assignment, assignment("topic", &[0]));
    assert_eq!(follower_synced.assignment, assignment("topic", &[1]));
    assert_eq!(follower_synced.error, Errors::None);
    assert_eq!(b.state(), Some(GroupState::Stable));
    // An old generation is refused.
    assert_eq!(b.heartbeat(&second, 1), Errors::IllegalGeneration);
    assert_eq!(b.heartbeat(&second, 2), Errors::None);
}

#[test]
fn a_member_that_stops_heartbeating_is_removed_after_its_session_and_the_group_rebalances() {
    let mut b = defaults();
    let (first, second) = two_stable_members(&mut b);
    let stable_at = b.now;
    b.take_lines();
    // Only the first keeps heartbeating.
    let mut t = stable_at;
    while b.state() == Some(GroupState::Stable) {
        t += 3000;
        b.advance(t);
        let error = b.heartbeat(&first, 2);
        if error == Errors::RebalanceInProgress {
            break;
        }
        assert_eq!(error, Errors::None);
    }
    let lines = b.take_lines();
    assert_eq!(
        lines,
        [
            format!("INFO [GroupCoordinator 0]: Member {second} in group my-group has failed, removing it from the group"),
            format!("INFO [GroupCoordinator 0]: Preparing to rebalance group my-group in state PreparingRebalance with old generation 2 (__consumer_offsets-12) (reason: removing member {second} on heartbeat expiration)"),
        ]
    );
    assert!(b.now >= stable_at + i64::from(SESSION_MS));
    assert_eq!(b.heartbeat(&second, 2), Errors::UnknownMemberId);
    let (join, now) = b.rejoin(&first);
    b.completed.push(Completed::JoinGroup(
        join,
        now.expect("the only member rejoined"),
    ));
    let joined = b.joined(join);
    assert_eq!((joined.generation_id, joined.members.len()), (3, 1));
    let lines = b.take_lines();
    assert_eq!(
        lines,
        ["INFO [GroupCoordinator 0]: Stabilized group my-group generation 3 (__consumer_offsets-12) with 1 members"]
    );
}

#[test]
fn the_last_member_leaving_empties_the_group() {
    let mut b = defaults();
    let member = one_stable_member(&mut b);
    b.take_lines();
    let appended = b.appended;
    let left = b.coordinator.leave_group(
        4,
        &LeaveGroupRequest {
            group_id: GROUP.into(),
            member_id: String::new(),
            members: vec![
                MemberIdentity {
                    member_id: member.clone(),
                    group_instance_id: None,
                },
                MemberIdentity {
                    member_id: "someone-else".into(),
                    group_instance_id: None,
                },
            ],
        },
        b.now,
    );
    b.pump();
    assert_eq!(left.error, Errors::None);
    assert_eq!(
        left.members.iter().map(|m| m.error).collect::<Vec<_>>(),
        [Errors::None, Errors::UnknownMemberId]
    );
    assert_eq!(b.state(), Some(GroupState::Empty));
    assert_eq!(b.appended, appended + 1, "the empty generation is stored");
    assert_eq!(
        b.take_lines(),
        [
            format!("INFO [GroupCoordinator 0]: Member[group.instance.id None, member.id {member}] in group my-group has left, removing it from the group"),
            format!("INFO [GroupCoordinator 0]: Preparing to rebalance group my-group in state PreparingRebalance with old generation 1 (__consumer_offsets-12) (reason: removing member {member} on LeaveGroup)"),
            "INFO [GroupCoordinator 0]: Group my-group with generation 2 is now empty (__consumer_offsets-12)".to_string(),
        ]
    );
    // v0-2 answer with the first member error.
    let old = b.coordinator.leave_group(
        1,
        &LeaveGroupRequest {
            group_id: GROUP.into(),
            member_id: member,
            members: vec![],
        },
        b.now,
    );
    assert_eq!(old.error, Errors::UnknownMemberId);
}

#[test]
fn errors_as_kafka_gives_them() {
    let mut b = defaults();
    // A session timeout outside group.min/max.session.timeout.ms.
    let (_, r) = b.join_request(GROUP, "", "c", None, 1000);
    assert_eq!(r.unwrap().error, Errors::InvalidSessionTimeout);
    let (_, r) = b.join_request(GROUP, "", "c", None, 1_800_001);
    assert_eq!(r.unwrap().error, Errors::InvalidSessionTimeout);
    // A member id the group never gave.
    let (_, r) = b.join_request(GROUP, "made-up", "c", None, SESSION_MS);
    assert_eq!(r.unwrap().error, Errors::UnknownMemberId);
    assert_eq!(b.heartbeat("made-up", 0), Errors::UnknownMemberId);
    // A group of a partition another broker leads.
    let (_, r) = b.join_request("test", "", "c", None, SESSION_MS);
    assert_eq!(r.unwrap().error, Errors::NotCoordinator);
    let delete = b.coordinator.delete_groups(
        &DeleteGroupsRequest {
            groups_names: vec!["test".into(), GROUP.into()],
        },
        b.now,
    );
    let mut results = delete.results.clone();
    results.sort();
    assert_eq!(
        results,
        [
            (GROUP.to_string(), Errors::GroupIdNotFound),
            ("test".to_string(), Errors::NotCoordinator)
        ]
    );
    // An empty group id.
    let (_, r) = b.join_request("", "", "c", None, SESSION_MS);
    assert_eq!(r.unwrap().error, Errors::InvalidGroupId);

    let member = one_stable_member(&mut b);
    assert_eq!(b.heartbeat(&member, 7), Errors::IllegalGeneration);
    assert_eq!(b.heartbeat("made-up", 1), Errors::UnknownMemberId);
    assert_eq!(
        b.commit(&member, 2, &[(0, 1)]).partitions[0].1,
        Errors::IllegalGeneration
    );
    assert_eq!(
        b.commit("made-up", 1, &[(0, 1)]).partitions[0].1,
        Errors::UnknownMemberId
    );
    let (_, sync) = b.sync(&member, 0, &[]);
    assert_eq!(sync.unwrap().error, Errors::IllegalGeneration);
    let delete = b.coordinator.delete_groups(
        &DeleteGroupsRequest {
            groups_names: vec![GROUP.into()],
        },
        b.now,
    );
    assert_eq!(delete.results, [(GROUP.to_string(), Errors::NonEmptyGroup)]);
    // A partition the broker does not know.
    let request = OffsetCommitRequest {
        group_id: GROUP.into(),
        generation_id: 1,
        member_id: member.clone(),
        group_instance_id: None,
        retention_time_ms: DEFAULT_RETENTION_TIME,
        partitions: vec![OffsetCommitPartition {
            partition: TopicPartition::new("nope", 0),
            committed_offset: 1,
            committed_leader_epoch: -1,
            commit_timestamp: DEFAULT_TIMESTAMP,
            committed_metadata: None,
        }],
    };
    let r = b
        .coordinator
        .commit_offsets(99, 8, &request, &|tp| tp.topic == "topic", b.now)
        .expect("nothing to append");
    assert_eq!(r.partitions[0].1, Errors::UnknownTopicOrPartition);
    // A rebalance in progress.
    b.join_new("consumer-my-group-2");
    assert_eq!(b.heartbeat(&member, 1), Errors::RebalanceInProgress);
    let (_, sync) = b.sync(&member, 1, &[]);
    assert_eq!(sync.unwrap().error, Errors::RebalanceInProgress);
}

#[test]
fn a_partition_being_loaded_answers_coordinator_load_in_progress() {
    let mut b = defaults();
    b.coordinator.on_election(48, 3, b.now);
    let task = b.coordinator.take_loads().pop().expect("a load");
    b.now += 5;
    assert!(b.coordinator.begin_loading(&task, b.now));
    let (_, r) = b.join_request("test", "", "c", None, SESSION_MS);
    assert_eq!(r.unwrap().error, Errors::CoordinatorLoadInProgress);
    let hb = b.coordinator.heartbeat(
        &HeartbeatRequest {
            group_id: "test".into(),
            generation_id: 1,
            member_id: "m".into(),
            group_instance_id: None,
        },
        b.now,
    );
    assert_eq!(
        hb.error,
        Errors::None,
        "heartbeats are answered blindly while loading"
    );
    let listed = b.coordinator.list_groups(
        4,
        &ListGroupsRequest {
            states_filter: vec![],
        },
    );
    assert_eq!(listed.error, Errors::CoordinatorLoadInProgress);
    b.now += 2;
    b.coordinator
        .finish_loading(&task, Some(&Records::new(Bytes::new())), b.now);
    b.pump();
    let (_, r) = b.join_request("test", "", "c", None, SESSION_MS);
    assert_eq!(r.unwrap().error, Errors::MemberIdRequired);
    let lines = b.take_lines();
    assert!(lines.contains(&"INFO [GroupMetadataManager brokerId=0] Finished loading offsets and group metadata from __consumer_offsets-48 in 7 milliseconds for epoch 3, of which 5 milliseconds was spent in the scheduler.".to_string()), "{lines:#?}");
    // Resigning unloads its groups.
    b.coordinator.on_resignation(48, Some(4), b.now);
    b.pump();
    let lines = b.take_lines();
    assert_eq!(
        lines,
        [
            "INFO [GroupCoordinator 0]: Resigned as the group coordinator for partition 48 in epoch Some(4)",
            "INFO [GroupMetadataManager brokerId=0] Scheduling unloading of offsets and group metadata from __consumer_offsets-48",
            "DEBUG [GroupMetadataManager brokerId=0] Started unloading offsets and group metadata for __consumer_offsets-48 for coordinator epoch Some(4)",
            "INFO [GroupCoordinator 0]: Unloading group metadata for test with generation 0",
            "INFO [GroupMetadataManager brokerId=0] Finished unloading __consumer_offsets-48 for coordinator epoch Some(4). Removed 0 cached offsets and 1 cached groups.",
        ]
    );
    let (_, r) = b.join_request("test", "", "c", None, SESSION_MS);
    assert_eq!(r.unwrap().error, Errors::NotCoordinator);
}

#[test]
fn the_initial_rebalance_delay_grows_while_members_keep_joining() {
    let mut b = defaults();
    let (first_join, _) = b.join_new("consumer-my-group-1");
    assert_eq!(b.coordinator.next_due_ms(), Some(T0 + 3000));
    b.advance(T0 + 1000);
    let (second_join, _) = b.join_new("consumer-my-group-2");
    // At 3 s a member has come during the delay: another 3 s.
    b.advance(T0 + 3000);
    assert!(b.completed.is_empty());
    assert_eq!(b.coordinator.next_due_ms(), Some(T0 + 6000));
    b.advance(T0 + 5999);
    assert!(b.completed.is_empty());
    b.advance(T0 + 6000);
    let (a, c) = (b.joined(first_join), b.joined(second_join));
    assert_eq!((a.generation_id, c.generation_id), (1, 1));
    assert_eq!(a.leader, c.leader);

    // Without the delay, the rebalance completes at the next tick.
    let mut b = Broker::new(
        GroupConfig {
            group_initial_rebalance_delay_ms: 0,
            ..GroupConfig::default()
        },
        OffsetConfig::default(),
    );
    let (join, _) = b.join_new("consumer-my-group-1");
    assert_eq!(b.coordinator.next_due_ms(), Some(T0));
    b.advance(T0);
    assert_eq!(b.joined(join).generation_id, 1);
}

#[test]
fn offsets_and_group_metadata_survive_a_restart() {
    let mut b = defaults();
    let member = one_stable_member(&mut b);
    b.commit(&member, 1, &[(0, 42), (1, 7)]);
    b.commit(&member, 1, &[(0, 43)]);
    let log = b.read_log(P).expect("the offsets partition has a log");
    // Three batches: the group's metadata and two commits.
    assert_eq!(Records::new(log.clone()).batches().count(), 3);

    let restarted_at = b.now + 1000;
    let mut r = Broker::with_log(GroupConfig::default(), OffsetConfig::default(), Some(log));
    r.now = restarted_at;
    let group = r.coordinator.group(GROUP).expect("the group is back");
    assert_eq!(group.state(), GroupState::Stable);
    assert_eq!(group.generation_id, 1);
    assert_eq!(group.protocol_name.as_deref(), Some("range"));
    assert_eq!(group.leader_id(), Some(member.as_str()));
    assert_eq!(group.get(&member).assignment, assignment("topic", &[0, 1]));
    let fetched = r.fetch(None);
    let mut offsets: Vec<(i32, i64)> = fetched
        .partitions
        .iter()
        .map(|(tp, o)| (tp.partition, o.committed_offset))
        .collect();
    offsets.sort();
    assert_eq!(offsets, [(0, 43), (1, 7)]);
    let lines = r.take_lines();
    assert_eq!(
        lines[..6],
        [
            "INFO [GroupCoordinator 0]: Starting up.".to_string(),
            "INFO [GroupCoordinator 0]: Startup complete.".to_string(),
            "INFO [GroupCoordinator 0]: Elected as the group coordinator for partition 12 in epoch 0".to_string(),
            "INFO [GroupMetadataManager brokerId=0] Scheduling loading of offsets and group metadata from __consumer_offsets-12 for epoch 0".to_string(),
            "DEBUG [GroupMetadataManager brokerId=0] Started loading offsets and group metadata from __consumer_offsets-12 for epoch 0".to_string(),
            format!("INFO Loaded member MemberMetadata(memberId={member}, groupInstanceId=None, clientId=consumer-my-group-1, clientHost=/127.0.0.1, sessionTimeoutMs=10000, rebalanceTimeoutMs=300000, supportedProtocols=List(range), ) in group my-group with generation 1."),
        ]
    );
    assert_eq!(
        lines[6..],
        [
            "INFO [GroupCoordinator 0]: Loading group metadata for my-group with generation 1".to_string(),
            "INFO [GroupMetadataManager brokerId=0] Finished loading offsets and group metadata from __consumer_offsets-12 in 0 milliseconds for epoch 0, of which 0 milliseconds was spent in the scheduler.".to_string(),
        ]
    );
    // The member is gone for good: its session expires, the group empties.
    r.advance(T0 + i64::from(SESSION_MS));
    assert_eq!(r.state(), Some(GroupState::Empty));
    assert_eq!(r.coordinator.group(GROUP).unwrap().generation_id, 2);
    let lines = r.take_lines();
    assert_eq!(
        lines,
        [
            format!("INFO [GroupCoordinator 0]: Member {member} in group my-group has failed, removing it from the group"),
            format!("INFO [GroupCoordinator 0]: Preparing to rebalance group my-group in state PreparingRebalance with old generation 1 (__consumer_offsets-12) (reason: removing member {member} on heartbeat expiration)"),
            "INFO [GroupCoordinator 0]: Group my-group with generation 2 is now empty (__consumer_offsets-12)".to_string(),
        ]
    );
    // And once more: an empty group with its offsets.
    let log = r.read_log(P).unwrap();
    let again = Broker::with_log(GroupConfig::default(), OffsetConfig::default(), Some(log));
    let group = again.coordinator.group(GROUP).unwrap();
    assert_eq!((group.state(), group.generation_id), (GroupState::Empty, 2));
    assert_eq!(
        group
            .offsets
            .offset(&TopicPartition::new("topic", 0))
            .map(|o| o.offset),
        Some(43)
    );
}

#[test]
fn an_empty_groups_offsets_expire_after_the_retention_and_the_group_dies() {
    let config = OffsetConfig {
        offsets_retention_ms: 60_000,
        offsets_retention_check_interval_ms: 10_000,
        ..OffsetConfig::default()
    };
    let mut b = Broker::new(GroupConfig::default(), config);
    let member = one_stable_member(&mut b);
    b.commit(&member, 1, &[(0, 5)]);
    // Long after the commit, a stable group that subscribes to the topic keeps it.
    for t in (6_000..=90_000).step_by(3000) {
        b.advance(T0 + t);
        assert_eq!(b.heartbeat(&member, 1), Errors::None);
    }
    assert_eq!(b.fetch(Some(&[0])).partitions[0].1.committed_offset, 5);
    b.coordinator.leave_group(
        3,
        &LeaveGroupRequest {
            group_id: GROUP.into(),
            member_id: String::new(),
            members: vec![MemberIdentity {
                member_id: member,
                group_instance_id: None,
            }],
        },
        b.now,
    );
    b.pump();
    let empty_at = b.now;
    assert_eq!(b.state(), Some(GroupState::Empty));
    b.take_lines();
    b.advance(empty_at + 59_999);
    assert_eq!(b.fetch(Some(&[0])).partitions[0].1.committed_offset, 5);
    let appended = b.appended;
    b.advance(empty_at + 70_000);
    assert_eq!(b.state(), None, "the group left the cache");
    assert_eq!(b.fetch(Some(&[0])).partitions[0].1.committed_offset, -1);
    assert_eq!(b.appended, appended + 1, "one batch of tombstones");
    assert_eq!(
        b.take_lines(),
        [
            "DEBUG Expired offsets from group 'my-group': Set(topic-0)",
            "INFO [GroupMetadataManager brokerId=0] Group my-group transitioned to Dead in generation 2",
            "INFO [GroupMetadataManager brokerId=0] Removed 1 expired offsets in 0 milliseconds.",
        ]
    );
    // The tombstones delete both the offset and the group on loading.
    let log = b.read_log(P).unwrap();
    let restarted = Broker::with_log(GroupConfig::default(), OffsetConfig::default(), Some(log));
    assert!(restarted.coordinator.group(GROUP).is_none());
}

#[test]
fn deleting_an_empty_group_removes_its_offsets() {
    let mut b = defaults();
    let member = one_stable_member(&mut b);
    b.commit(&member, 1, &[(0, 5), (1, 6)]);
    b.advance(b.now + 20_000);
    assert_eq!(
        b.state(),
        Some(GroupState::Empty),
        "the member's session ended"
    );
    b.take_lines();
    let deleted = b.coordinator.delete_groups(
        &DeleteGroupsRequest {
            groups_names: vec![GROUP.into(), GROUP.into()],
        },
        b.now,
    );
    b.pump();
    assert_eq!(deleted.results, [(GROUP.to_string(), Errors::None)]);
    assert_eq!(
        b.take_lines(),
        ["INFO [GroupCoordinator 0]: The following groups were deleted: my-group. A total of 2 offsets were removed."]
    );
    assert!(b.coordinator.group(GROUP).is_none());
    let log = b.read_log(P).unwrap();
    let last = Records::new(log)
        .batches()
        .last()
        .unwrap()
        .unwrap()
        .records()
        .unwrap();
    assert_eq!(last.len(), 3, "two offset tombstones and the group's");
    assert!(last.iter().all(|r| r.value.is_none()));
}

#[test]
fn a_static_member_rejoining_a_stable_group_takes_a_new_member_id_without_a_rebalance() {
    let mut b = defaults();
    let (join, r) = b.join_static("instance-1");
    assert_eq!(
        r, None,
        "a static member joins at once, without MEMBER_ID_REQUIRED"
    );
    b.advance(T0 + 3000);
    let old = b.joined(join).member_id;
    assert!(old.starts_with("instance-1-"));
    let (sync, now) = b.sync(&old, 1, &[(&old, assignment("topic", &[0]))]);
    now.unwrap_or_else(|| b.synced(sync));
    b.take_lines();
    let (join, r) = b.join_static("instance-1");
    let answer = r.unwrap_or_else(|| b.joined(join));
    assert_eq!(answer.error, Errors::None);
    assert_ne!(answer.member_id, old);
    assert_eq!(
        answer.leader, old,
        "the old leader id, so the member does not assign"
    );
    assert_eq!(answer.generation_id, 1);
    assert_eq!(b.state(), Some(GroupState::Stable));
    let new = answer.member_id;
    assert_eq!(
        b.take_lines(),
        [
            format!("INFO [GroupCoordinator 0]: Static member Some(instance-1) of group my-group with unknown member id rejoins, assigning new member id {new}, while old member id {old} will be removed."),
            "INFO [GroupCoordinator 0]: Static member which joins during Stable stage and doesn't affect selectProtocol will not trigger rebalance.".to_string(),
        ]
    );
    // The old id is fenced.
    let hb = b.coordinator.heartbeat(
        &HeartbeatRequest {
            group_id: GROUP.into(),
            generation_id: 1,
            member_id: old,
            group_instance_id: Some("instance-1".into()),
        },
        b.now,
    );
    assert_eq!(hb.error, Errors::FencedInstanceId);
}

#[test]
fn the_log_lines_of_a_first_join_are_kafkas() {
    let mut b = defaults();
    let (join, member) = b.join_new("consumer-my-group-1");
    b.advance(T0 + 3000);
    b.joined(join);
    let (sync, now) = b.sync(&member, 1, &[(&member, assignment("topic", &[0]))]);
    now.unwrap_or_else(|| b.synced(sync));
    let lines: Vec<LogLine> = b
        .lines
        .iter()
        .filter(|l| l.logger == LOGGER || l.logger == MANAGER_LOGGER)
        .cloned()
        .collect();
    let expected: Vec<(Level, &str, String)> = vec![
        (Level::Info, LOGGER, "[GroupCoordinator 0]: Starting up.".into()),
        (Level::Info, LOGGER, "[GroupCoordinator 0]: Startup complete.".into()),
        (Level::Info, LOGGER, "[GroupCoordinator 0]: Elected as the group coordinator for partition 12 in epoch 0".into()),
        (Level::Info, MANAGER_LOGGER, "[GroupMetadataManager brokerId=0] Scheduling loading of offsets and group metadata from __consumer_offsets-12 for epoch 0".into()),
        (Level::Debug, MANAGER_LOGGER, "[GroupMetadataManager brokerId=0] Started loading offsets and group metadata from __consumer_offsets-12 for epoch 0".into()),
        (Level::Info, MANAGER_LOGGER, "[GroupMetadataManager brokerId=0] Finished loading offsets and group metadata from __consumer_offsets-12 in 0 milliseconds for epoch 0, of which 0 milliseconds was spent in the scheduler.".into()),
        (Level::Debug, LOGGER, format!("[GroupCoordinator 0]: Dynamic member with unknown member id joins group my-group in Empty state. Created a new member id {member} and request the member to rejoin with this id.")),
        (Level::Debug, LOGGER, format!("[GroupCoordinator 0]: Dynamic Member with specific member id {member} joins group my-group in Empty state. Adding to the group now.")),
        (Level::Info, LOGGER, format!("[GroupCoordinator 0]: Preparing to rebalance group my-group in state PreparingRebalance with old generation 0 (__consumer_offsets-12) (reason: Adding new member {member} with group instance id None)")),
        (Level::Info, LOGGER, "[GroupCoordinator 0]: Stabilized group my-group generation 1 (__consumer_offsets-12) with 1 members".into()),
        (Level::Info, LOGGER, "[GroupCoordinator 0]: Assignment received from leader for group my-group for generation 1. The group has 1 members, 0 of which are static.".into()),
    ];
    let got: Vec<(Level, &str, String)> = lines
        .iter()
        .map(|l| (l.level, l.logger, l.message.clone()))
        .collect();
    assert_eq!(got, expected);
    // The member id is the client id and a random UUID.
    let uuid = member.strip_prefix("consumer-my-group-1-").unwrap();
    let parts: Vec<usize> = uuid.split('-').map(str::len).collect();
    assert_eq!(parts, [8, 4, 4, 4, 12]);
    assert_eq!(&uuid[14..15], "4", "a version 4 UUID");
}

#[test]
fn offsets_of_a_group_without_members_are_kept_for_simple_consumers() {
    let mut b = defaults();
    // generation -1: a consumer that assigns itself partitions.
    let request = OffsetCommitRequest {
        group_id: GROUP.into(),
        generation_id: -1,
        member_id: String::new(),
        group_instance_id: None,
        retention_time_ms: DEFAULT_RETENTION_TIME,
        partitions: vec![OffsetCommitPartition {
            partition: TopicPartition::new("topic", 3),
            committed_offset: 11,
            committed_leader_epoch: -1,
            commit_timestamp: DEFAULT_TIMESTAMP,
            committed_metadata: Some("m".into()),
        }],
    };
    let mut statuses = BTreeMap::new();
    match b
        .coordinator
        .commit_offsets(1, 8, &request, &|_| true, b.now)
    {
        Some(r) => statuses.extend(r.partitions),
        None => {
            b.pump();
            for c in b.completed.drain(..) {
                if let Completed::OffsetCommit(_, r) = c {
                    statuses.extend(r.partitions);
                }
            }
        }
    }
    assert_eq!(statuses[&TopicPartition::new("topic", 3)], Errors::None);
    let fetched = b.fetch(Some(&[3]));
    assert_eq!(fetched.partitions[0].1.committed_offset, 11);
    assert_eq!(fetched.partitions[0].1.metadata.as_deref(), Some("m"));
    assert_eq!(b.state(), Some(GroupState::Empty));
}

#[test]
fn before_v4_a_new_member_is_added_at_once_and_answered_v3_style() {
    let mut b = defaults();
    b.take_lines();
    b.join_version = 3;
    let (join, r) = b.join_request(GROUP, "", "consumer-my-group-1", None, SESSION_MS);
    assert_eq!(r, None, "no MEMBER_ID_REQUIRED before v4");
    b.advance(T0 + 3000);
    let joined = b.joined(join);
    assert_eq!(joined.error, Errors::None);
    assert_eq!(joined.protocol_type, None, "v7+ only");
    assert_eq!(joined.protocol_name.as_deref(), Some("range"));
    let member = joined.member_id;
    let lines = b.take_lines();
    assert_eq!(
        lines[..2],
        [
            format!("INFO [GroupCoordinator 0]: Dynamic Member with unknown member id joins group my-group in Empty state. Created a new member id {member} for this member and add to the group."),
            format!("INFO [GroupCoordinator 0]: Preparing to rebalance group my-group in state PreparingRebalance with old generation 0 (__consumer_offsets-12) (reason: Adding new member {member} with group instance id None)"),
        ]
    );
}

#[test]
fn a_member_that_does_not_rejoin_within_the_rebalance_timeout_is_dropped() {
    let mut b = defaults();
    let (first, second) = two_stable_members(&mut b);
    // The leader rejoins (as after a metadata change); the second member
    // keeps heartbeating but never rejoins.
    let (leader_join, now) = b.rejoin(&first);
    assert_eq!(now, None);
    let rebalance_at = b.now;
    b.take_lines();
    let mut t = rebalance_at;
    while t < rebalance_at + i64::from(REBALANCE_MS) - 3000 {
        t += 3000;
        b.advance(t);
        assert_eq!(b.heartbeat(&second, 2), Errors::RebalanceInProgress);
    }
    assert_eq!(b.state(), Some(GroupState::PreparingRebalance));
    b.advance(rebalance_at + i64::from(REBALANCE_MS));
    let joined = b.joined(leader_join);
    assert_eq!((joined.generation_id, joined.members.len()), (3, 1));
    assert_eq!(
        b.take_lines(),
        [
            format!("INFO [GroupCoordinator 0]: Group my-group removed dynamic members who haven't joined: Set({second})"),
            "INFO [GroupCoordinator 0]: Stabilized group my-group generation 3 (__consumer_offsets-12) with 1 members".to_string(),
        ]
    );
    assert_eq!(b.heartbeat(&second, 2), Errors::UnknownMemberId);
}

#[test]
fn a_record_that_is_no_offsets_record_fails_the_load_but_the_partition_is_owned() {
    let mut builder = protocol::RecordsBuilder::new(protocol::BatchOptions::new(
        Magic::V2,
        protocol::CompressionType::None,
    ));
    builder.append(T0, Some(&[0, 9, 0, 0]), Some(b"?"), vec![]);
    let log = builder.build().unwrap();
    let mut b = Broker::with_log(GroupConfig::default(), OffsetConfig::default(), Some(log));
    let lines = b.take_lines();
    assert!(lines.contains(
        &"ERROR [GroupMetadataManager brokerId=0] Error loading offsets from __consumer_offsets-12"
            .to_string()
    ));
    assert!(!lines.iter().any(|l| l.contains("Finished loading")));
    let (_, r) = b.join_request(GROUP, "", "c", None, SESSION_MS);
    assert_eq!(r.unwrap().error, Errors::MemberIdRequired);
}
