//! The requests about offsets and about groups as a whole: OffsetCommit
//! (checked against the member and generation, then appended),
//! OffsetFetch, DescribeGroups, ListGroups and DeleteGroups, with what
//! `KafkaApis` adds around them (unknown topics, each version's fields).
//! Version 0 of OffsetCommit and OffsetFetch keeps offsets in ZooKeeper:
//! that is the broker's, not the coordinator's.

use kafka_api::requests::{
    DeleteGroupsRequest, DeleteGroupsResponse, DescribeGroupsRequest, DescribeGroupsResponse,
    DescribedGroup, DescribedGroupMember, ListGroupsRequest, ListGroupsResponse, ListedGroup,
    OffsetCommitRequest, OffsetCommitResponse, OffsetFetchPartitionResponse, OffsetFetchRequest,
    OffsetFetchResponse, AUTHORIZED_OPERATIONS_OMITTED, DEFAULT_RETENTION_TIME, DEFAULT_TIMESTAMP,
    INVALID_OFFSET,
};
use kafka_api::{ApiKey, Errors, TopicPartition};

use super::coordinator::GroupCoordinator;
use super::log_format::OffsetAndMetadata;
use super::member::Waiter;
use super::metadata::{GroupMetadata, GroupState, GroupSummary};
use super::purgatory::GroupRef;
use crate::replica::RequestId;
use crate::scala::{immutable_sorted, string_hash, topic_partition_hash, HashTable};

/// The ACL operations a group supports (READ, DELETE, DESCRIBE), as the bit
/// field DescribeGroups v3+ answers without an authorizer.
pub const GROUP_AUTHORIZED_OPERATIONS: i32 = (1 << 3) | (1 << 6) | (1 << 8);

impl GroupCoordinator {
    /// OffsetCommit (v1+): `exists` says whether a partition is known to
    /// the broker's metadata (else UNKNOWN_TOPIC_OR_PARTITION). `None`: the
    /// answer comes when the append does (`Completed::OffsetCommit`).
    pub fn commit_offsets(
        &mut self,
        id: RequestId,
        version: i16,
        request: &OffsetCommitRequest,
        exists: &dyn Fn(&TopicPartition) -> bool,
        now_ms: i64,
    ) -> Option<OffsetCommitResponse> {
        self.now_ms = now_ms;
        let waiter = Waiter { id, version };
        let mut authorized: Vec<(TopicPartition, OffsetAndMetadata)> = Vec::new();
        for p in &request.partitions {
            if !exists(&p.partition) {
                continue;
            }
            let commit_timestamp = if version == 1 && p.commit_timestamp != DEFAULT_TIMESTAMP {
                p.commit_timestamp
            } else {
                now_ms
            };
            let expire_timestamp = ((2..=4).contains(&version)
                && request.retention_time_ms != DEFAULT_RETENTION_TIME)
                .then(|| now_ms + request.retention_time_ms);
            let offset = OffsetAndMetadata {
                offset: p.committed_offset,
                leader_epoch: (p.committed_leader_epoch != -1).then_some(p.committed_leader_epoch),
                metadata: p.committed_metadata.clone().unwrap_or_default(),
                commit_timestamp,
                expire_timestamp,
            };
            match authorized.iter_mut().find(|(tp, _)| *tp == p.partition) {
                Some(entry) => entry.1 = offset,
                None => authorized.push((p.partition.clone(), offset)),
            }
        }
        // The immutable map KafkaApis builds decides the records' order.
        let offsets = immutable_sorted(&authorized, |(tp, _)| topic_partition_hash(tp));
        let order = answer_order(request, exists);
        let statuses = if offsets.is_empty() {
            Some(Vec::new())
        } else {
            self.handle_commit_offsets(request, &offsets, waiter, &order)
        };
        self.collect_garbage();
        statuses.map(|statuses| fill_answer(&order, &statuses))
    }

    /// `handleCommitOffsets`: the statuses now, or `None` while appending.
    fn handle_commit_offsets(
        &mut self,
        request: &OffsetCommitRequest,
        offsets: &[(TopicPartition, OffsetAndMetadata)],
        waiter: Waiter,
        order: &[(TopicPartition, Option<Errors>)],
    ) -> Option<Vec<(TopicPartition, Errors)>> {
        let all = |error: Errors| Some(offsets.iter().map(|(tp, _)| (tp.clone(), error)).collect());
        if let Some(error) = self.validate_group_status(&request.group_id, ApiKey::OffsetCommit) {
            return all(error);
        }
        let g = match self.manager.get_group(&request.group_id) {
            Some(g) => g,
            None if request.generation_id < 0 => {
                // A group that uses Kafka only to store offsets.
                let now = self.now_ms;
                self.manager.add_group(GroupMetadata::new(
                    &request.group_id,
                    GroupState::Empty,
                    now,
                ))
            }
            None => return all(Errors::IllegalGeneration),
        };
        let member_id = request.member_id.as_str();
        let group = self.g(g);
        let mut lines = Vec::new();
        let fenced = group.is_static_member_fenced(
            member_id,
            request.group_instance_id.as_deref(),
            "commit-offsets",
            &mut lines,
        );
        self.lines.extend(lines);
        let group = self.g(g);
        if group.is(GroupState::Dead) {
            all(Errors::CoordinatorNotAvailable)
        } else if fenced {
            all(Errors::FencedInstanceId)
        } else if request.generation_id < 0 && group.is(GroupState::Empty) {
            self.store_offsets(g, member_id, offsets, waiter, order)
        } else if !group.has(member_id) {
            all(Errors::UnknownMemberId)
        } else if request.generation_id != group.generation_id {
            all(Errors::IllegalGeneration)
        } else {
            match group.state() {
                GroupState::Stable | GroupState::PreparingRebalance => {
                    self.complete_and_schedule_next_heartbeat_expiration(g, member_id);
                    self.store_offsets(g, member_id, offsets, waiter, order)
                }
                GroupState::CompletingRebalance => all(Errors::RebalanceInProgress),
                state => panic!("Logic error: unexpected group state {state}"),
            }
        }
    }

    fn store_offsets(
        &mut self,
        g: GroupRef,
        member_id: &str,
        offsets: &[(TopicPartition, OffsetAndMetadata)],
        waiter: Waiter,
        order: &[(TopicPartition, Option<Errors>)],
    ) -> Option<Vec<(TopicPartition, Errors)>> {
        let now = self.now_ms;
        self.manager
            .store_offsets(g, member_id, offsets, waiter, order.to_vec(), now)
    }

    /// The append of a commit was answered.
    pub(super) fn offsets_stored(
        &mut self,
        waiter: Waiter,
        order: &[(TopicPartition, Option<Errors>)],
        statuses: &[(TopicPartition, Errors)],
    ) {
        self.answer_commit(waiter, fill_answer(order, statuses));
    }

    /// OffsetFetch (v1+): the group's offsets for the partitions asked
    /// (every partition it has when `partitions` is `None`, v2+).
    pub fn fetch_offsets(
        &mut self,
        version: i16,
        request: &OffsetFetchRequest,
    ) -> OffsetFetchResponse {
        if let Some(error) = self.validate_group_status(&request.group_id, ApiKey::OffsetFetch) {
            let partitions = if version < 2 {
                request
                    .partitions
                    .iter()
                    .flatten()
                    .map(|tp| {
                        (
                            tp.clone(),
                            OffsetFetchPartitionResponse {
                                committed_offset: INVALID_OFFSET,
                                committed_leader_epoch: -1,
                                metadata: Some(String::new()),
                                error,
                            },
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            };
            return OffsetFetchResponse {
                throttle_time_ms: 0,
                partitions,
                error,
            };
        }
        let require_stable = version >= 7 && request.require_stable;
        OffsetFetchResponse {
            throttle_time_ms: 0,
            partitions: self.manager.get_offsets(
                &request.group_id,
                require_stable,
                request.partitions.as_deref(),
            ),
            error: Errors::None,
        }
    }

    /// DescribeGroups.
    pub fn describe_groups(
        &mut self,
        version: i16,
        request: &DescribeGroupsRequest,
    ) -> DescribeGroupsResponse {
        let groups = request
            .groups
            .iter()
            .map(|group_id| {
                let (error, summary) = self.handle_describe_group(group_id);
                DescribedGroup {
                    error,
                    group_id: group_id.clone(),
                    group_state: summary.state,
                    protocol_type: summary.protocol_type,
                    protocol_data: summary.protocol,
                    members: summary
                        .members
                        .into_iter()
                        .map(|m| DescribedGroupMember {
                            member_id: m.member_id,
                            group_instance_id: m.group_instance_id,
                            client_id: m.client_id,
                            client_host: m.client_host,
                            member_metadata: m.metadata,
                            member_assignment: m.assignment,
                        })
                        .collect(),
                    authorized_operations: if version >= 3
                        && error == Errors::None
                        && request.include_authorized_operations
                    {
                        GROUP_AUTHORIZED_OPERATIONS
                    } else {
                        AUTHORIZED_OPERATIONS_OMITTED
                    },
                }
            })
            .collect();
        DescribeGroupsResponse {
            throttle_time_ms: 0,
            groups,
        }
    }

    fn handle_describe_group(&self, group_id: &str) -> (Errors, GroupSummary) {
        let summary = |state: &str| GroupSummary {
            state: state.to_string(),
            protocol_type: String::new(),
            protocol: String::new(),
            members: Vec::new(),
        };
        if let Some(error) = self.validate_group_status(group_id, ApiKey::DescribeGroups) {
            return (error, summary(""));
        }
        match self.manager.get_group(group_id) {
            None => (Errors::None, summary(GroupState::Dead.name())),
            Some(g) => (Errors::None, self.g(g).summary()),
        }
    }

    /// ListGroups: every group this coordinator holds (v4+: in the states asked).
    pub fn list_groups(&mut self, version: i16, request: &ListGroupsRequest) -> ListGroupsResponse {
        if !self.is_active() {
            return ListGroupsResponse {
                throttle_time_ms: 0,
                error: Errors::CoordinatorNotAvailable,
                groups: Vec::new(),
            };
        }
        let error = if self.manager.is_loading() {
            Errors::CoordinatorLoadInProgress
        } else {
            Errors::None
        };
        let states = if version >= 4 {
            request.states_filter.clone()
        } else {
            Vec::new()
        };
        let groups = self
            .manager
            .current_groups()
            .into_iter()
            .map(|g| self.g(g))
            .filter(|group| states.is_empty() || states.iter().any(|s| s == group.state().name()))
            .map(|group| ListedGroup {
                group_id: group.group_id.clone(),
                protocol_type: group.protocol_type.clone().unwrap_or_default(),
                group_state: if version >= 4 {
                    group.state().name().to_string()
                } else {
                    String::new()
                },
            })
            .collect();
        ListGroupsResponse {
            throttle_time_ms: 0,
            error,
            groups,
        }
    }

    /// DeleteGroups: empty groups go, with their offsets (tombstones).
    pub fn delete_groups(
        &mut self,
        request: &DeleteGroupsRequest,
        now_ms: i64,
    ) -> DeleteGroupsResponse {
        self.now_ms = now_ms;
        let mut distinct: Vec<String> = Vec::new();
        for id in &request.groups_names {
            if !distinct.contains(id) {
                distinct.push(id.clone());
            }
        }
        let mut errors: Vec<(String, Errors)> = Vec::new();
        let mut eligible: Vec<GroupRef> = Vec::new();
        for group_id in immutable_sorted(&distinct, string_hash) {
            if let Some(error) = self.validate_group_status(&group_id, ApiKey::DeleteGroups) {
                errors.push((group_id, error));
                continue;
            }
            let not_found = || {
                if self.manager.group_not_exists(&group_id) {
                    Errors::GroupIdNotFound
                } else {
                    Errors::NotCoordinator
                }
            };
            match self.manager.get_group(&group_id) {
                None => {
                    let e = not_found();
                    errors.push((group_id, e));
                }
                Some(g) => match self.g(g).state() {
                    GroupState::Dead => {
                        let e = not_found();
                        errors.push((group_id, e));
                    }
                    GroupState::Empty => {
                        self.gm(g).transition_to(GroupState::Dead, now_ms);
                        eligible.push(g);
                    }
                    _ => errors.push((group_id, Errors::NonEmptyGroup)),
                },
            }
        }
        if !eligible.is_empty() {
            let removed = self.manager.cleanup_group_metadata(
                &eligible,
                |group, _| group.offsets.remove_all_offsets(),
                now_ms,
                &mut self.lines,
            );
            let names: Vec<String> = eligible
                .iter()
                .map(|&g| self.g(g).group_id.clone())
                .collect();
            for name in &names {
                errors.push((name.clone(), Errors::None));
            }
            self.info(format!(
                "The following groups were deleted: {}. A total of {removed} offsets were removed.",
                names.join(", ")
            ));
        }
        // The answer iterates Kafka's mutable map of the results.
        let mut table = HashTable::default();
        for size in 0..errors.len() {
            table.before_put(size);
        }
        let results = table.sorted(&errors, |(id, _)| string_hash(id));
        self.collect_garbage();
        DeleteGroupsResponse {
            throttle_time_ms: 0,
            results,
        }
    }
}

/// The request's partitions in its order (once each), with
/// UNKNOWN_TOPIC_OR_PARTITION for those the broker does not know and
/// `None` for those the coordinator answers.
fn answer_order(
    request: &OffsetCommitRequest,
    exists: &dyn Fn(&TopicPartition) -> bool,
) -> Vec<(TopicPartition, Option<Errors>)> {
    let mut order: Vec<(TopicPartition, Option<Errors>)> = Vec::new();
    for p in &request.partitions {
        if !order.iter().any(|(tp, _)| *tp == p.partition) {
            let unknown = (!exists(&p.partition)).then_some(Errors::UnknownTopicOrPartition);
            order.push((p.partition.clone(), unknown));
        }
    }
    order
}

/// The commit's answer: the coordinator's statuses merged into `order`.
fn fill_answer(
    order: &[(TopicPartition, Option<Errors>)],
    statuses: &[(TopicPartition, Errors)],
) -> OffsetCommitResponse {
    let partitions = order
        .iter()
        .map(|(tp, known)| {
            let error = known.unwrap_or_else(|| {
                statuses
                    .iter()
                    .find(|(t, _)| t == tp)
                    .map_or(Errors::None, |(_, e)| *e)
            });
            (tp.clone(), error)
        })
        .collect();
    OffsetCommitResponse {
        throttle_time_ms: 0,
        partitions,
    }
}
