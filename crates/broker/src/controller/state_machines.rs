//! The partition and replica state machines (`PartitionStateMachine`,
//! `ReplicaStateMachine`, and the `KafkaController` callbacks that drive
//! them), as decisions: what to write to each partition's state znode and
//! which requests to send to which broker, per release.
//!
//! - New partition: the first live replica leads, the live replicas are the
//!   ISR, leader epoch 0.
//! - Broker failure: partitions it led elect a new leader
//!   ([`crate::election`]); where it followed, it leaves the ISR and the
//!   leader epoch goes up. 2.8.2 never empties an ISR (the last member stays,
//!   with leader -1); 0.8.0 does.
//! - Broker startup: everyone learns the new broker (UpdateMetadata), the new
//!   broker learns its partitions (LeaderAndIsr), offline partitions elect.
//! - Controlled shutdown: partitions it leads move to another in-sync
//!   replica; it leaves the ISR where it follows.
//! - Preferred replica election and 2.8.2's AlterIsr from a leader.
//!
//! Writes are assumed to succeed at the version the context holds; the
//! process reports a failed conditional write with
//! [`ControllerContext::state_read`] once it has read the znode again.

use std::collections::{BTreeMap, BTreeSet};

use distribution::Release;
use kafka_api::requests::{LiveBroker, PartitionState, StopReplicaPartition};
use kafka_api::{Errors, TopicPartition};
use kafka_log::{Level, LogLine};

use super::context::{ControllerContext, LeaderIsrAndControllerEpoch};
use crate::election::{elect, Candidates, Elected, LeaderAndIsr, Strategy};
use crate::scala;

/// `state.change.logger`: the state-change log.
pub const STATE_CHANGE_LOGGER: &str = "state.change.logger";
/// `kafka.controller.KafkaController`: controller.log.
pub const CONTROLLER_LOGGER: &str = "kafka.controller.KafkaController";

/// A write to a partition's state znode (`/brokers/topics/<t>/partitions/<p>/state`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZkWrite {
    /// A new partition: create the znode (and its parents).
    CreateState {
        partition: TopicPartition,
        state: LeaderIsrAndControllerEpoch,
    },
    /// Set the znode if its version is still `expected_version`.
    UpdateState {
        partition: TopicPartition,
        state: LeaderIsrAndControllerEpoch,
        expected_version: i32,
    },
}

impl ZkWrite {
    pub fn partition(&self) -> &TopicPartition {
        match self {
            ZkWrite::CreateState { partition, .. } | ZkWrite::UpdateState { partition, .. } => {
                partition
            }
        }
    }

    pub fn state(&self) -> &LeaderIsrAndControllerEpoch {
        match self {
            ZkWrite::CreateState { state, .. } | ZkWrite::UpdateState { state, .. } => state,
        }
    }

    /// The znode written: `/brokers/topics/<t>/partitions/<p>/state`.
    pub fn path(&self) -> String {
        let tp = self.partition();
        kafka_zk::paths::partition_state(&tp.topic, tp.partition)
    }

    /// Its data, as the release writes it.
    pub fn data(&self, release: Release) -> Vec<u8> {
        let s = self.state();
        kafka_zk::PartitionState {
            leader: s.leader_and_isr.leader,
            leader_epoch: s.leader_and_isr.leader_epoch,
            isr: s.leader_and_isr.isr.clone(),
            controller_epoch: s.controller_epoch,
        }
        .encode(release)
    }
}

/// What the controller decided (`ControllerBrokerRequestBatch` plus the
/// ZooKeeper writes before it). The process writes first, then sends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decisions {
    pub zk_writes: Vec<ZkWrite>,
    pub leader_and_isr: BTreeMap<i32, Vec<PartitionState>>,
    /// The brokers to send UpdateMetadata to, and the partition states it carries.
    pub update_metadata: Option<(BTreeSet<i32>, Vec<PartitionState>)>,
    pub stop_replica: BTreeMap<i32, Vec<StopReplicaPartition>>,
    pub lines: Vec<LogLine>,
}

impl Decisions {
    fn line(&mut self, level: Level, logger: &'static str, message: String) {
        self.lines.push(LogLine::new(level, logger, message));
    }
}

impl ControllerContext {
    fn request_state(&self, tp: &TopicPartition, is_new: bool) -> Option<PartitionState> {
        let l = self.leadership.get(tp)?;
        Some(PartitionState {
            partition: tp.clone(),
            controller_epoch: l.controller_epoch,
            leader: l.leader_and_isr.leader,
            leader_epoch: l.leader_and_isr.leader_epoch,
            isr: l.leader_and_isr.isr.clone(),
            zk_version: l.leader_and_isr.zk_version,
            replicas: self.assignment.get(tp).cloned().unwrap_or_default(),
            adding_replicas: Vec::new(),
            removing_replicas: Vec::new(),
            is_new,
        })
    }

    /// LeaderAndIsr for `tp` to each of its live replicas, and the state for UpdateMetadata.
    fn send_leader_and_isr(
        &self,
        d: &mut Decisions,
        tp: &TopicPartition,
        is_new: bool,
        to: Option<&BTreeSet<i32>>,
    ) {
        let Some(state) = self.request_state(tp, is_new) else {
            return;
        };
        for replica in self.assignment.get(tp).into_iter().flatten() {
            if self.is_replica_online(*replica, true) && to.is_none_or(|set| set.contains(replica))
            {
                d.leader_and_isr
                    .entry(*replica)
                    .or_default()
                    .push(state.clone());
            }
        }
        self.add_update_metadata(d, std::slice::from_ref(tp));
    }

    fn add_update_metadata(&self, d: &mut Decisions, partitions: &[TopicPartition]) {
        let brokers = self.live_or_shutting_down_broker_ids();
        let (to, states) = d
            .update_metadata
            .get_or_insert_with(|| (BTreeSet::new(), Vec::new()));
        to.extend(brokers);
        for tp in partitions {
            if let Some(s) = self.request_state(tp, false) {
                states.retain(|old| old.partition != s.partition);
                states.push(s);
            }
        }
    }

    /// Records a new state and the write that makes it durable.
    fn write_state(
        &mut self,
        d: &mut Decisions,
        tp: &TopicPartition,
        mut state: LeaderAndIsr,
        create: bool,
    ) {
        let expected_version = state.zk_version;
        state.zk_version = if create { 0 } else { expected_version + 1 };
        let entry = LeaderIsrAndControllerEpoch {
            leader_and_isr: state,
            controller_epoch: self.epoch,
        };
        d.zk_writes.push(if create {
            ZkWrite::CreateState {
                partition: tp.clone(),
                state: entry.clone(),
            }
        } else {
            ZkWrite::UpdateState {
                partition: tp.clone(),
                state: entry.clone(),
                expected_version,
            }
        });
        self.leadership.insert(tp.clone(), entry);
    }

    /// The process read a partition's state znode (after a failed write, or
    /// because a 0.8.0 leader changed its ISR there).
    pub fn state_read(&mut self, tp: &TopicPartition, state: LeaderIsrAndControllerEpoch) {
        self.leadership.insert(tp.clone(), state);
    }

    fn partition_name(release: Release, tp: &TopicPartition) -> String {
        match release {
            Release::V0_8_0 => tp.bracketed(),
            Release::V2_8_2 => tp.to_string(),
        }
    }

    /// New partitions (their assignment already in the context) go online:
    /// NewPartition → OnlinePartition.
    pub fn on_new_partitions(
        &mut self,
        release: Release,
        partitions: &[TopicPartition],
    ) -> Decisions {
        let mut d = Decisions::default();
        let mut created = Vec::new();
        for tp in partitions {
            let replicas = self.assignment.get(tp).cloned().unwrap_or_default();
            let live: Vec<i32> = replicas
                .iter()
                .copied()
                .filter(|r| self.is_replica_online(*r, false))
                .collect();
            match LeaderAndIsr::initial(&live) {
                Some(state) => {
                    self.write_state(&mut d, tp, state, true);
                    created.push(tp.clone());
                }
                None => {
                    let live_brokers = self.live_broker_ids();
                    let message = match release {
                        Release::V0_8_0 => format!(
                            "Controller {} epoch {} initiated state change of partition {} from NewPartition to OnlinePartition failed",
                            self.controller_id,
                            self.epoch,
                            tp.bracketed()
                        ),
                        Release::V2_8_2 => format!(
                            "Controller {} epoch {} failed to change state for partition {tp} from NewPartition to OnlinePartition\nkafka.common.StateChangeFailedException: Controller {} epoch {} encountered error during state change of partition {tp} from New to Online, assigned replicas are [{}], live brokers are [{}]. No assigned replica is alive.",
                            self.controller_id,
                            self.epoch,
                            self.controller_id,
                            self.epoch,
                            scala::join(&replicas),
                            scala::set(&live_brokers)
                        ),
                    };
                    d.line(Level::Error, STATE_CHANGE_LOGGER, message);
                }
            }
        }
        for tp in &created {
            self.send_leader_and_isr(&mut d, tp, true, None);
        }
        d
    }

    /// Elects a leader for each of `partitions` by `strategy`; the failures
    /// are logged in each release's words.
    fn elect_leaders(
        &mut self,
        release: Release,
        d: &mut Decisions,
        partitions: &[TopicPartition],
        strategy: Strategy,
    ) -> Vec<TopicPartition> {
        let live = self.live_broker_ids();
        let shutting_down = self.shutting_down.clone();
        let mut elected = Vec::new();
        for tp in partitions {
            let (Some(current), Some(assignment)) = (
                self.leadership.get(tp).cloned(),
                self.assignment.get(tp).cloned(),
            ) else {
                continue;
            };
            let name = Self::partition_name(release, tp);
            let result = elect(
                release,
                strategy,
                &Candidates {
                    partition: &name,
                    assignment: &assignment,
                    current: &current.leader_and_isr,
                    live: &live,
                    shutting_down: &shutting_down,
                },
            );
            match result {
                Elected::Leader { state, unclean } => {
                    if unclean && release == Release::V0_8_0 {
                        d.line(
                            Level::Warn,
                            "kafka.controller.OfflinePartitionLeaderSelector",
                            format!(
                                "[OfflinePartitionLeaderSelector]: No broker in ISR is alive for {name}. Elect leader {} from live brokers {}. There's potential data loss.",
                                state.leader,
                                scala::join(&assignment.iter().copied().filter(|r| live.contains(r)).collect::<Vec<_>>())
                            ),
                        );
                    }
                    let mut state = state;
                    state.zk_version = current.leader_and_isr.zk_version;
                    self.write_state(d, tp, state, false);
                    elected.push(tp.clone());
                }
                Elected::Failed(reason) => {
                    let message = match release {
                        Release::V0_8_0 => format!(
                            "Controller {} epoch {} initiated state change for partition {name} from OfflinePartition to OnlinePartition failed\nkafka.common.NoReplicaOnlineException: {reason}",
                            self.controller_id,
                            self.epoch
                        ),
                        Release::V2_8_2 => format!(
                            "Controller {} epoch {} failed to change state for partition {name} from OfflinePartition to OnlinePartition\nkafka.common.StateChangeFailedException: {reason}",
                            self.controller_id,
                            self.epoch
                        ),
                    };
                    d.line(Level::Error, STATE_CHANGE_LOGGER, message);
                }
            }
        }
        elected
    }

    /// Partitions whose leader is gone elect again (OfflinePartition → OnlinePartition).
    fn elect_offline_leaders(
        &mut self,
        release: Release,
        d: &mut Decisions,
        unclean: bool,
    ) -> Vec<TopicPartition> {
        let offline = self.partitions_with_offline_leader();
        self.elect_leaders(
            release,
            d,
            &offline,
            Strategy::Offline {
                allow_unclean: unclean,
            },
        )
    }

    /// Replicas on `brokers` leave the ISR of partitions led elsewhere
    /// (OfflineReplica); the leader epoch goes up.
    fn remove_replicas_from_isr(
        &mut self,
        release: Release,
        d: &mut Decisions,
        brokers: &BTreeSet<i32>,
    ) -> Vec<TopicPartition> {
        let mut changed = Vec::new();
        for tp in self.partitions_on(brokers) {
            let Some(current) = self.leadership.get(&tp).cloned() else {
                continue;
            };
            let l = &current.leader_and_isr;
            let removing: Vec<i32> = l
                .isr
                .iter()
                .copied()
                .filter(|r| brokers.contains(r))
                .collect();
            if removing.is_empty() {
                continue;
            }
            let leader = if brokers.contains(&l.leader) {
                LeaderAndIsr::NO_LEADER
            } else {
                l.leader
            };
            let remaining: Vec<i32> = l
                .isr
                .iter()
                .copied()
                .filter(|r| !brokers.contains(r))
                .collect();
            let isr = match release {
                // 2.8.2 keeps the last member: an ISR is never empty.
                Release::V2_8_2 if remaining.is_empty() => l
                    .isr
                    .iter()
                    .copied()
                    .filter(|r| *r == removing[removing.len() - 1])
                    .collect(),
                _ => remaining,
            };
            let state = LeaderAndIsr {
                leader,
                leader_epoch: l.leader_epoch + 1,
                isr,
                zk_version: l.zk_version,
            };
            self.write_state(d, &tp, state, false);
            changed.push(tp);
        }
        changed
    }

    /// `onBrokerFailure`: `dead` brokers' sessions expired.
    pub fn on_broker_failure(
        &mut self,
        release: Release,
        dead: &[i32],
        unclean: bool,
    ) -> Decisions {
        let mut d = Decisions::default();
        for id in dead {
            self.live_brokers.remove(id);
            self.shutting_down.remove(id);
        }
        let elected = self.elect_offline_leaders(release, &mut d, unclean);
        let dead: BTreeSet<i32> = dead.iter().copied().collect();
        let shrunk = self.remove_replicas_from_isr(release, &mut d, &dead);
        for tp in elected.iter().chain(shrunk.iter()) {
            self.send_leader_and_isr(&mut d, tp, false, None);
        }
        if d.update_metadata.is_none() {
            self.add_update_metadata(&mut d, &[]);
        }
        d
    }

    /// `onBrokerStartup`: `brokers` registered.
    pub fn on_broker_startup(
        &mut self,
        release: Release,
        brokers: &[LiveBroker],
        unclean: bool,
    ) -> Decisions {
        let mut d = Decisions::default();
        for b in brokers {
            self.live_brokers.insert(b.id, b.clone());
        }
        let new: BTreeSet<i32> = brokers.iter().map(|b| b.id).collect();
        // Everyone learns the new brokers; the new brokers learn everything.
        let all: Vec<TopicPartition> = self.assignment.keys().cloned().collect();
        self.add_update_metadata(&mut d, &all);
        for tp in self.partitions_on(&new) {
            if self
                .leadership
                .get(&tp)
                .is_some_and(|l| l.leader_and_isr.leader != LeaderAndIsr::NO_LEADER)
            {
                self.send_leader_and_isr(&mut d, &tp, false, Some(&new));
            }
        }
        let elected = self.elect_offline_leaders(release, &mut d, unclean);
        for tp in &elected {
            self.send_leader_and_isr(&mut d, tp, false, None);
        }
        d
    }

    /// `ControlledShutdown` of `broker` (2.8.2 by default; 0.8.0 when
    /// `controlled.shutdown.enable`): returns the decisions and the
    /// partitions it still leads (those with no other in-sync replica).
    pub fn on_controlled_shutdown(
        &mut self,
        release: Release,
        broker: i32,
    ) -> (Decisions, Vec<TopicPartition>) {
        let mut d = Decisions::default();
        self.shutting_down.insert(broker);
        let led: Vec<TopicPartition> = self
            .partitions_led_by(broker)
            .into_iter()
            .filter(|tp| self.assignment.get(tp).is_some_and(|r| r.len() > 1))
            .collect();
        let moved = self.elect_leaders(release, &mut d, &led, Strategy::ControlledShutdown);
        for tp in &moved {
            self.send_leader_and_isr(&mut d, tp, false, None);
        }
        // Where it follows, it stops its fetcher and leaves the ISR.
        let following: Vec<TopicPartition> = self
            .partitions_on(&BTreeSet::from([broker]))
            .into_iter()
            .filter(|tp| {
                self.leadership
                    .get(tp)
                    .is_some_and(|l| l.leader_and_isr.leader != broker)
            })
            .collect();
        for tp in &following {
            let leader_epoch = self.leadership[tp].leader_and_isr.leader_epoch;
            d.stop_replica
                .entry(broker)
                .or_default()
                .push(StopReplicaPartition {
                    partition: tp.clone(),
                    leader_epoch,
                    delete: false,
                });
        }
        let shrunk = self.remove_replicas_from_isr(release, &mut d, &BTreeSet::from([broker]));
        for tp in shrunk.iter().filter(|tp| following.contains(tp)) {
            let others: BTreeSet<i32> = self.live_broker_ids();
            self.send_leader_and_isr(&mut d, tp, false, Some(&others));
        }
        let remaining = self.partitions_led_by(broker);
        (d, remaining)
    }

    /// Preferred replica election for `partitions`.
    pub fn on_preferred_replica_election(
        &mut self,
        release: Release,
        partitions: &[TopicPartition],
    ) -> Decisions {
        let mut d = Decisions::default();
        let candidates: Vec<TopicPartition> = partitions
            .iter()
            .filter(|tp| {
                let preferred = self.assignment.get(*tp).and_then(|r| r.first());
                let leader = self.leadership.get(*tp).map(|l| l.leader_and_isr.leader);
                preferred.is_some() && preferred.copied() != leader
            })
            .cloned()
            .collect();
        let elected = self.elect_leaders(release, &mut d, &candidates, Strategy::PreferredReplica);
        for tp in &elected {
            self.send_leader_and_isr(&mut d, tp, false, None);
        }
        d
    }

    /// 2.8.2's AlterIsr from the leader of `tp`: accepted when the leader
    /// and epoch match and the version is current.
    pub fn on_alter_isr(
        &mut self,
        tp: &TopicPartition,
        broker: i32,
        proposed: &LeaderAndIsr,
    ) -> Result<(LeaderAndIsr, Decisions), Errors> {
        let Some(current) = self.leadership.get(tp).cloned() else {
            return Err(Errors::UnknownTopicOrPartition);
        };
        let l = &current.leader_and_isr;
        if l.leader != broker || proposed.leader_epoch < l.leader_epoch {
            return Err(Errors::FencedLeaderEpoch);
        }
        if proposed.leader_epoch > l.leader_epoch {
            return Err(Errors::InvalidRequest);
        }
        if proposed.zk_version != l.zk_version {
            return Err(Errors::InvalidUpdateVersion);
        }
        let mut d = Decisions::default();
        if proposed.isr == l.isr {
            return Ok((l.clone(), d));
        }
        let state = LeaderAndIsr {
            leader: l.leader,
            leader_epoch: l.leader_epoch,
            isr: proposed.isr.clone(),
            zk_version: l.zk_version,
        };
        self.write_state(&mut d, tp, state, false);
        self.add_update_metadata(&mut d, std::slice::from_ref(tp));
        Ok((self.leadership[tp].leader_and_isr.clone(), d))
    }
}
