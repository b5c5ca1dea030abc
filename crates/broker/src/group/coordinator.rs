//! `GroupCoordinator`: the requests of consumer groups in, their answers
//! out — now, or later through [`GroupCoordinator::take_completed`] for the
//! requests that wait (a JoinGroup until the rebalance completes, a
//! SyncGroup until the leader's assignment is stored, an OffsetCommit until
//! its records are appended). This file holds the coordinator itself: its
//! outputs, the checks every request goes through, the answers of its
//! appends, time, and the delayed operations; the requests are in `join`,
//! `sync`, `membership` and `handlers`, the offsets partitions it gains and
//! loses in `election`.

use std::collections::BTreeMap;

use bytes::Bytes;
use kafka_api::requests::{
    JoinGroupResponse, JoinGroupResponseMember, OffsetCommitResponse, ProducePartitionResponse,
    SyncGroupResponse,
};
use kafka_api::{ApiKey, Errors};
use kafka_log::{Level, LogLine};

use super::config::{GroupConfig, OffsetConfig};
use super::manager::{GroupMetadataManager, LoadTask};
use super::member::Waiter;
use super::metadata::{GroupMetadata, GroupState};
use super::purgatory::{GroupRef, Key, Op, OpKind, Purgatory};
use super::store::{java_message, Append, AppendCallback, AppendId, StoreGroupFor};
use crate::metadata_cache::GROUP_METADATA_TOPIC_NAME;
use crate::replica::RequestId;

/// `kafka.coordinator.group.GroupCoordinator`'s logger.
pub const LOGGER: &str = "kafka.coordinator.group.GroupCoordinator";

/// How long a new member's JoinGroup may wait (`NewMemberJoinTimeoutMs`).
pub const NEW_MEMBER_JOIN_TIMEOUT_MS: i64 = 5 * 60 * 1000;

/// An answer to a request that waited.
#[derive(Clone, Debug, PartialEq)]
pub enum Completed {
    JoinGroup(RequestId, JoinGroupResponse),
    SyncGroup(RequestId, SyncGroupResponse),
    OffsetCommit(RequestId, OffsetCommitResponse),
}

impl Completed {
    pub fn id(&self) -> RequestId {
        match self {
            Completed::JoinGroup(id, _)
            | Completed::SyncGroup(id, _)
            | Completed::OffsetCommit(id, _) => *id,
        }
    }
}

/// `JoinGroupResult`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct JoinResult {
    pub members: Vec<JoinGroupResponseMember>,
    pub member_id: String,
    pub generation_id: i32,
    pub protocol_type: Option<String>,
    pub protocol_name: Option<String>,
    pub leader_id: String,
    pub error: Errors,
}

impl JoinResult {
    pub fn error(member_id: &str, error: Errors) -> JoinResult {
        JoinResult {
            members: Vec::new(),
            member_id: member_id.to_string(),
            generation_id: -1,
            protocol_type: None,
            protocol_name: None,
            leader_id: String::new(),
            error,
        }
    }
}

/// `SyncGroupResult`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct SyncResult {
    pub protocol_type: Option<String>,
    pub protocol_name: Option<String>,
    pub assignment: Bytes,
    pub error: Errors,
}

impl SyncResult {
    pub fn error(error: Errors) -> SyncResult {
        SyncResult {
            protocol_type: None,
            protocol_name: None,
            assignment: Bytes::new(),
            error,
        }
    }
}

pub struct GroupCoordinator {
    pub(super) broker_id: i32,
    pub(super) group_config: GroupConfig,
    pub(super) manager: GroupMetadataManager,
    pub(super) purgatory: Purgatory,
    is_active: bool,
    /// The clock of the call being handled (Kafka's `time.milliseconds()`).
    pub(super) now_ms: i64,
    next_cleanup_ms: Option<i64>,
    pub(super) loading_since: BTreeMap<i32, i64>,
    completed: Vec<Completed>,
    pub(super) lines: Vec<LogLine>,
}

impl GroupCoordinator {
    pub fn new(
        broker_id: i32,
        group_config: GroupConfig,
        offset_config: OffsetConfig,
    ) -> GroupCoordinator {
        GroupCoordinator {
            broker_id,
            group_config,
            manager: GroupMetadataManager::new(broker_id, offset_config),
            purgatory: Purgatory::default(),
            is_active: false,
            now_ms: 0,
            next_cleanup_ms: None,
            loading_since: BTreeMap::new(),
            completed: Vec::new(),
            lines: Vec::new(),
        }
    }

    pub(super) fn log(&mut self, level: Level, message: impl AsRef<str>) {
        self.lines.push(LogLine::new(
            level,
            LOGGER,
            format!(
                "[GroupCoordinator {}]: {}",
                self.broker_id,
                message.as_ref()
            ),
        ));
    }

    pub(super) fn info(&mut self, message: impl AsRef<str>) {
        self.log(Level::Info, message);
    }

    /// `startup`: the offsets topic's partition count; the expiration of
    /// offsets runs from now on, every `offsets.retention.check.interval.ms`.
    pub fn startup(&mut self, offsets_topic_partition_count: i32, now_ms: i64) {
        self.now_ms = now_ms;
        self.info("Starting up.");
        self.manager.startup(offsets_topic_partition_count);
        self.next_cleanup_ms = Some(now_ms);
        self.is_active = true;
        self.info("Startup complete.");
    }

    pub fn shutdown(&mut self, now_ms: i64) {
        self.now_ms = now_ms;
        self.info("Shutting down.");
        self.is_active = false;
        self.next_cleanup_ms = None;
        self.purgatory = Purgatory::default();
        self.info("Shutdown complete.");
    }

    /// `partitionFor`: the `__consumer_offsets` partition of a group.
    pub fn partition_for(&self, group_id: &str) -> i32 {
        self.manager.partition_for(group_id)
    }

    /// The state of a group this coordinator holds.
    pub fn group_state(&self, group_id: &str) -> Option<GroupState> {
        self.manager
            .get_group(group_id)
            .map(|g| self.manager.group(g).state())
    }

    /// A group this coordinator holds.
    pub fn group(&self, group_id: &str) -> Option<&GroupMetadata> {
        self.manager
            .get_group(group_id)
            .map(|g| self.manager.group(g))
    }

    pub(super) fn g(&self, g: GroupRef) -> &GroupMetadata {
        self.manager.group(g)
    }

    pub(super) fn gm(&mut self, g: GroupRef) -> &mut GroupMetadata {
        self.manager.group_mut(g)
    }

    /// `__consumer_offsets-<partition of the group>`, as log lines name it.
    pub(super) fn offsets_partition_name(&self, group_id: &str) -> String {
        format!(
            "{GROUP_METADATA_TOPIC_NAME}-{}",
            self.partition_for(group_id)
        )
    }

    // --- Outputs ----------------------------------------------------------------------------

    /// Answers of requests that waited.
    pub fn take_completed(&mut self) -> Vec<Completed> {
        std::mem::take(&mut self.completed)
    }

    /// Records to append to `__consumer_offsets` (through the replica
    /// manager, with the append's acks and timeout); report each answer to
    /// [`GroupCoordinator::append_completed`].
    pub fn take_appends(&mut self) -> Vec<Append> {
        self.manager.take_appends()
    }

    /// Partitions to load (after `on_election`): read the partition's log
    /// and hand its records to [`GroupCoordinator::load_groups_and_offsets`].
    pub fn take_loads(&mut self) -> Vec<LoadTask> {
        self.manager.take_loads()
    }

    /// Lines for server.log (the coordinator's, the manager's, the groups').
    pub fn take_lines(&mut self) -> Vec<LogLine> {
        std::mem::take(&mut self.lines)
    }

    pub(super) fn answer_join(&mut self, waiter: Waiter, result: JoinResult) {
        let v7 = waiter.version >= 7;
        self.completed.push(Completed::JoinGroup(
            waiter.id,
            JoinGroupResponse {
                throttle_time_ms: 0,
                error: result.error,
                generation_id: result.generation_id,
                protocol_type: if v7 { result.protocol_type } else { None },
                protocol_name: if v7 {
                    result.protocol_name
                } else {
                    Some(result.protocol_name.unwrap_or_default())
                },
                leader: result.leader_id,
                member_id: result.member_id,
                members: result.members,
            },
        ));
    }

    pub(super) fn answer_sync(&mut self, waiter: Waiter, result: SyncResult) {
        let v5 = waiter.version >= 5;
        self.completed.push(Completed::SyncGroup(
            waiter.id,
            SyncGroupResponse {
                throttle_time_ms: 0,
                error: result.error,
                protocol_type: if v5 { result.protocol_type } else { None },
                protocol_name: if v5 { result.protocol_name } else { None },
                assignment: result.assignment,
            },
        ));
    }

    pub(super) fn answer_commit(&mut self, waiter: Waiter, response: OffsetCommitResponse) {
        self.completed
            .push(Completed::OffsetCommit(waiter.id, response));
    }

    /// The answer of request `id` if it was answered during the call.
    pub(super) fn take_answer(&mut self, id: RequestId) -> Option<Completed> {
        let at = self.completed.iter().position(|c| c.id() == id)?;
        Some(self.completed.remove(at))
    }

    // --- Checks ------------------------------------------------------------------------------

    /// `validateGroupStatus`: a valid group id, an active coordinator, a
    /// loaded partition this broker owns.
    pub(super) fn validate_group_status(&self, group_id: &str, api: ApiKey) -> Option<Errors> {
        let empty_allowed = matches!(
            api,
            ApiKey::OffsetCommit
                | ApiKey::OffsetFetch
                | ApiKey::DescribeGroups
                | ApiKey::DeleteGroups
        );
        if group_id.is_empty() && !empty_allowed {
            Some(Errors::InvalidGroupId)
        } else if !self.is_active {
            Some(Errors::CoordinatorNotAvailable)
        } else if self.manager.is_group_loading(group_id) {
            Some(Errors::CoordinatorLoadInProgress)
        } else if !self.manager.is_group_local(group_id) {
            Some(Errors::NotCoordinator)
        } else {
            None
        }
    }

    pub(super) fn is_active(&self) -> bool {
        self.is_active
    }

    // --- Appends --------------------------------------------------------------------------------

    /// The replica manager answered append `id` (its partition's answer).
    pub fn append_completed(
        &mut self,
        id: AppendId,
        response: &ProducePartitionResponse,
        now_ms: i64,
    ) {
        self.now_ms = now_ms;
        let Some(callback) = self.manager.take_callback(id) else {
            return;
        };
        match callback {
            AppendCallback::Group {
                group,
                generation_id,
                then,
            } => {
                let group_id = self.g(group).group_id.clone();
                let error = self.manager.store_group_error(
                    &group_id,
                    generation_id,
                    response.error,
                    &mut self.lines,
                );
                self.group_stored(group, generation_id, then, error);
            }
            AppendCallback::Offsets {
                group,
                waiter,
                consumer_id,
                requested,
                filtered,
                answer_order,
            } => {
                let statuses = self.manager.offsets_appended(
                    group,
                    &consumer_id,
                    &requested,
                    &filtered,
                    response.error,
                    response.base_offset,
                    &mut self.lines,
                );
                self.offsets_stored(waiter, &answer_order, &statuses);
            }
        }
        self.collect_garbage();
    }

    /// The callbacks of `storeGroup`.
    fn group_stored(
        &mut self,
        g: GroupRef,
        generation_id: i32,
        then: StoreGroupFor,
        error: Errors,
    ) {
        match then {
            StoreGroupFor::Sync {
                member_id,
                assignment,
            } => {
                let group = self.g(g);
                if group.is(GroupState::CompletingRebalance) && group.generation_id == generation_id
                {
                    if error != Errors::None {
                        self.reset_and_propagate_assignment_error(g, error);
                        self.maybe_prepare_rebalance(
                            g,
                            &format!("error when storing group assignment during SyncGroup (member: {member_id})"),
                        );
                    } else {
                        self.set_and_propagate_assignment(g, &assignment);
                        let now = self.now_ms;
                        self.gm(g).transition_to(GroupState::Stable, now);
                    }
                }
            }
            StoreGroupFor::Empty => {
                if error != Errors::None {
                    let id = self.g(g).group_id.clone();
                    self.log(
                        Level::Warn,
                        format!(
                            "Failed to write empty metadata for group {id}: {}",
                            java_message(error)
                        ),
                    );
                }
            }
            StoreGroupFor::StaticMember {
                waiter,
                old_member_id,
                new_member_id,
                group_instance_id,
                old_protocols,
                current_leader,
            } => self.static_member_stored(
                g,
                error,
                waiter,
                &old_member_id,
                &new_member_id,
                &group_instance_id,
                old_protocols,
                current_leader,
            ),
        }
    }

    // --- Time and delayed operations ---------------------------------------------------------------

    /// When something is due next: a session, a rebalance or sync timeout,
    /// the offsets expiration task.
    pub fn next_due_ms(&self) -> Option<i64> {
        self.purgatory
            .next_deadline()
            .into_iter()
            .chain(self.next_cleanup_ms)
            .min()
    }

    /// Runs what is due at `now_ms`.
    pub fn tick(&mut self, now_ms: i64) {
        self.now_ms = now_ms;
        while let Some(id) = self.purgatory.next_expired(now_ms) {
            let op = self.purgatory.remove(id).expect("due");
            self.on_complete(&op);
            self.on_expiration(&op);
        }
        if self.next_cleanup_ms.is_some_and(|t| t <= now_ms) {
            self.next_cleanup_ms =
                Some(now_ms + self.manager.config.offsets_retention_check_interval_ms);
            self.cleanup_expired_offsets();
        }
        self.collect_garbage();
    }

    /// `cleanupGroupMetadata()`: offsets past their retention.
    fn cleanup_expired_offsets(&mut self) {
        let now = self.now_ms;
        let retention = self.manager.config.offsets_retention_ms;
        let groups = self.manager.current_groups();
        let removed = self.manager.cleanup_group_metadata(
            &groups,
            |group, lines| group.remove_expired_offsets(now, retention, lines),
            now,
            &mut self.lines,
        );
        if removed > 0 {
            self.manager.info(
                &mut self.lines,
                Level::Info,
                format!("Removed {removed} expired offsets in 0 milliseconds."),
            );
        }
    }

    pub(super) fn collect_garbage(&mut self) {
        let purgatory = &self.purgatory;
        self.manager.collect_garbage(|g| purgatory.refers_to(g));
    }

    /// `tryCompleteElseWatch`.
    pub(super) fn try_complete_else_watch(&mut self, op: Op) {
        if self.try_complete(&op) {
            self.on_complete(&op);
        } else {
            self.purgatory.add(op);
        }
    }

    /// `checkAndComplete`: completes the operations under `key` that can be.
    pub(super) fn check_and_complete(&mut self, key: &Key) {
        for id in self.purgatory.watching(key) {
            let Some(op) = self.purgatory.get(id).cloned() else {
                continue;
            };
            if self.try_complete(&op) {
                self.purgatory.remove(id);
                self.on_complete(&op);
            }
        }
    }

    fn try_complete(&mut self, op: &Op) -> bool {
        match &op.kind {
            OpKind::Heartbeat {
                member_id,
                is_pending,
            } => self.try_complete_heartbeat(op.group, member_id, *is_pending),
            OpKind::Join { initial: Some(_) } => false,
            OpKind::Join { initial: None } => self.g(op.group).has_all_members_joined(),
            OpKind::Sync { generation_id } => {
                self.try_complete_pending_sync(op.group, *generation_id)
            }
        }
    }

    fn on_complete(&mut self, op: &Op) {
        match &op.kind {
            OpKind::Join {
                initial: Some(delay),
            } => self.on_complete_initial_join(op.group, *delay),
            OpKind::Join { initial: None } => self.on_complete_join(op.group),
            OpKind::Heartbeat { .. } | OpKind::Sync { .. } => {}
        }
    }

    fn on_expiration(&mut self, op: &Op) {
        match &op.kind {
            OpKind::Heartbeat {
                member_id,
                is_pending,
            } => self.on_expire_heartbeat(op.group, member_id, *is_pending),
            OpKind::Sync { generation_id } => self.on_expire_pending_sync(op.group, *generation_id),
            OpKind::Join { .. } => {}
        }
    }

    /// A new delayed operation on group `g`, due in `delay_ms`.
    pub(super) fn op(&self, g: GroupRef, kind: OpKind, delay_ms: i64) -> Op {
        Op {
            group: g,
            group_id: self.g(g).group_id.clone(),
            kind,
            deadline_ms: self.now_ms + delay_ms,
        }
    }
}
