//! JoinGroup and the rebalance it starts: members join (a new one is given
//! a member id, v4+ asks it to rejoin with it; a static member keeps its
//! place under a new id), the group prepares a rebalance (an empty group
//! first waits `group.initial.rebalance.delay.ms`, longer while members
//! keep coming) and completes it when all members joined or the rebalance
//! timeout passed: the next generation, its protocol and its leader.

use std::collections::BTreeMap;

use bytes::Bytes;
use kafka_api::requests::{JoinGroupRequest, JoinGroupResponse, UNKNOWN_MEMBER_ID};
use kafka_api::{ApiKey, Errors};
use kafka_log::Level;

use super::coordinator::{
    Completed, GroupCoordinator, JoinResult, SyncResult, NEW_MEMBER_JOIN_TIMEOUT_MS,
};
use super::member::{MemberMetadata, Waiter};
use super::metadata::{GroupMetadata, GroupState};
use super::purgatory::{GroupRef, InitialDelay, Key, OpKind};
use super::store::{java_message, StoreGroupFor};
use crate::replica::RequestId;
use crate::scala;

/// A JoinGroup as the coordinator handles it (`handleJoinGroup`'s arguments).
struct Join<'a> {
    waiter: Waiter,
    group_instance_id: Option<&'a str>,
    client_id: &'a str,
    client_host: &'a str,
    rebalance_timeout_ms: i32,
    session_timeout_ms: i32,
    protocol_type: &'a str,
    protocols: Vec<(String, Bytes)>,
}

impl Join<'_> {
    fn protocol_names(&self) -> Vec<String> {
        self.protocols.iter().map(|(n, _)| n.clone()).collect()
    }
}

impl GroupCoordinator {
    /// `handleJoinGroup`. `client_host` is the client's address as Kafka
    /// prints an `InetAddress` (`/127.0.0.1`); `random` draws the UUIDs of
    /// new member ids. `None`: the answer comes later (`Completed::JoinGroup`).
    #[allow(clippy::too_many_arguments)]
    pub fn join_group(
        &mut self,
        id: RequestId,
        version: i16,
        client_id: &str,
        client_host: &str,
        request: &JoinGroupRequest,
        random: &mut dyn FnMut() -> u64,
        now_ms: i64,
    ) -> Option<JoinGroupResponse> {
        self.now_ms = now_ms;
        let join = Join {
            waiter: Waiter { id, version },
            group_instance_id: request.group_instance_id.as_deref(),
            client_id,
            client_host,
            rebalance_timeout_ms: if version == 0 {
                request.session_timeout_ms
            } else {
                request.rebalance_timeout_ms
            },
            session_timeout_ms: request.session_timeout_ms,
            protocol_type: &request.protocol_type,
            protocols: request
                .protocols
                .iter()
                .map(|p| (p.name.clone(), p.metadata.clone()))
                .collect(),
        };
        self.handle_join_group(
            &request.group_id,
            &request.member_id,
            version >= 4 && join.group_instance_id.is_none(),
            join,
            random,
        );
        self.collect_garbage();
        match self.take_answer(id) {
            Some(Completed::JoinGroup(_, r)) => Some(r),
            _ => None,
        }
    }

    fn handle_join_group(
        &mut self,
        group_id: &str,
        member_id: &str,
        require_known_member_id: bool,
        join: Join,
        random: &mut dyn FnMut() -> u64,
    ) {
        if let Some(error) = self.validate_group_status(group_id, ApiKey::JoinGroup) {
            self.answer_join(join.waiter, JoinResult::error(member_id, error));
            return;
        }
        let c = self.group_config;
        if join.session_timeout_ms < c.group_min_session_timeout_ms
            || join.session_timeout_ms > c.group_max_session_timeout_ms
        {
            self.answer_join(
                join.waiter,
                JoinResult::error(member_id, Errors::InvalidSessionTimeout),
            );
            return;
        }
        let is_unknown = member_id == UNKNOWN_MEMBER_ID;
        let now = self.now_ms;
        let Some(g) = self
            .manager
            .get_or_maybe_create_group(group_id, is_unknown, now)
        else {
            self.answer_join(
                join.waiter,
                JoinResult::error(member_id, Errors::UnknownMemberId),
            );
            return;
        };
        if !self.accept_joining_member(g, member_id) {
            self.gm(g).remove(member_id);
            self.answer_join(
                join.waiter,
                JoinResult::error(UNKNOWN_MEMBER_ID, Errors::GroupMaxSizeReached),
            );
        } else if is_unknown {
            self.do_unknown_join_group(g, require_known_member_id, join, random);
        } else {
            self.do_join_group(g, member_id, join);
        }
        if self.g(g).is(GroupState::PreparingRebalance) {
            let id = self.g(g).group_id.clone();
            self.check_and_complete(&Key::Join(&id));
        }
    }

    /// `acceptJoiningMember`: room in the group (`group.max.size`).
    fn accept_joining_member(&self, g: GroupRef, member_id: &str) -> bool {
        let group = self.g(g);
        let max = self.group_config.group_max_size.max(0) as usize;
        match group.state() {
            GroupState::Empty | GroupState::Dead => true,
            GroupState::PreparingRebalance => {
                (group.has(member_id) && group.get(member_id).is_awaiting_join())
                    || group.num_awaiting() < max
            }
            GroupState::CompletingRebalance | GroupState::Stable => {
                group.has(member_id) || group.size() < max
            }
        }
    }

    fn do_unknown_join_group(
        &mut self,
        g: GroupRef,
        require_known_member_id: bool,
        join: Join,
        random: &mut dyn FnMut() -> u64,
    ) {
        let group = self.g(g);
        if group.is(GroupState::Dead) {
            self.answer_join(
                join.waiter,
                JoinResult::error(UNKNOWN_MEMBER_ID, Errors::CoordinatorNotAvailable),
            );
        } else if !group.supports_protocols(join.protocol_type, &join.protocol_names()) {
            self.answer_join(
                join.waiter,
                JoinResult::error(UNKNOWN_MEMBER_ID, Errors::InconsistentGroupProtocol),
            );
        } else {
            let new_member_id =
                GroupMetadata::generate_member_id(join.client_id, join.group_instance_id, random);
            let (group_id, state) = (group.group_id.clone(), group.state());
            if group.has_static_member(join.group_instance_id) {
                let instance = join.group_instance_id.expect("static").to_string();
                self.update_static_member_and_rebalance(
                    g,
                    &new_member_id,
                    &instance,
                    join.protocols,
                    join.waiter,
                );
            } else if require_known_member_id {
                self.log(
                    Level::Debug,
                    format!("Dynamic member with unknown member id joins group {group_id} in {state} state. Created a new member id {new_member_id} and request the member to rejoin with this id."),
                );
                self.gm(g).add_pending_member(&new_member_id);
                self.add_pending_member_expiration(
                    g,
                    &new_member_id,
                    i64::from(join.session_timeout_ms),
                );
                self.answer_join(
                    join.waiter,
                    JoinResult::error(&new_member_id, Errors::MemberIdRequired),
                );
            } else {
                let kind = if join.group_instance_id.is_some() {
                    "Static"
                } else {
                    "Dynamic"
                };
                self.info(format!("{kind} Member with unknown member id joins group {group_id} in {state} state. Created a new member id {new_member_id} for this member and add to the group."));
                self.add_member_and_rebalance(g, &new_member_id, join);
            }
        }
    }

    fn do_join_group(&mut self, g: GroupRef, member_id: &str, join: Join) {
        let group = self.g(g);
        if group.is(GroupState::Dead) {
            self.answer_join(
                join.waiter,
                JoinResult::error(member_id, Errors::CoordinatorNotAvailable),
            );
            return;
        }
        if !group.supports_protocols(join.protocol_type, &join.protocol_names()) {
            self.answer_join(
                join.waiter,
                JoinResult::error(member_id, Errors::InconsistentGroupProtocol),
            );
            return;
        }
        let (group_id, state) = (group.group_id.clone(), group.state());
        if group.is_pending_member(member_id) {
            assert!(
                join.group_instance_id.is_none(),
                "the static member {:?} was not expected to be assigned into pending member bucket with member id {member_id}",
                join.group_instance_id
            );
            self.log(
                Level::Debug,
                format!("Dynamic Member with specific member id {member_id} joins group {group_id} in {state} state. Adding to the group now."),
            );
            self.add_member_and_rebalance(g, member_id, join);
            return;
        }
        let instance_not_found =
            join.group_instance_id.is_some() && !group.has_static_member(join.group_instance_id);
        let mut lines = Vec::new();
        let fenced = group.is_static_member_fenced(
            member_id,
            join.group_instance_id,
            "join-group",
            &mut lines,
        );
        self.lines.extend(lines);
        if fenced {
            self.answer_join(
                join.waiter,
                JoinResult::error(member_id, Errors::FencedInstanceId),
            );
            return;
        }
        if !self.g(g).has(member_id) || instance_not_found {
            self.answer_join(
                join.waiter,
                JoinResult::error(member_id, Errors::UnknownMemberId),
            );
            return;
        }
        let group = self.g(g);
        let matches = group.get(member_id).matches(&join.protocols);
        let is_leader = group.is_leader(member_id);
        match state {
            GroupState::PreparingRebalance => self.update_member_and_rebalance(
                g,
                member_id,
                join,
                &format!("Member {member_id} joining group during {state}"),
            ),
            GroupState::CompletingRebalance if matches => {
                let result = self.current_join_result(g, member_id, is_leader);
                self.answer_join(join.waiter, result);
            }
            GroupState::CompletingRebalance => self.update_member_and_rebalance(
                g,
                member_id,
                join,
                &format!("Updating metadata for member {member_id} during {state}"),
            ),
            GroupState::Stable if is_leader => self.update_member_and_rebalance(
                g,
                member_id,
                join,
                &format!("leader {member_id} re-joining group during {state}"),
            ),
            GroupState::Stable if !matches => self.update_member_and_rebalance(
                g,
                member_id,
                join,
                &format!("Updating metadata for member {member_id} during {state}"),
            ),
            GroupState::Stable => {
                let result = self.current_join_result(g, member_id, false);
                self.answer_join(join.waiter, result);
            }
            GroupState::Empty | GroupState::Dead => {
                self.log(
                    Level::Warn,
                    format!("Attempt to add rejoining member {member_id} of group {group_id} in unexpected group state {state}"),
                );
                self.answer_join(
                    join.waiter,
                    JoinResult::error(member_id, Errors::UnknownMemberId),
                );
            }
        }
    }

    /// The group's current generation, as a JoinGroup answer (the members
    /// for the leader only).
    pub(super) fn current_join_result(
        &self,
        g: GroupRef,
        member_id: &str,
        with_members: bool,
    ) -> JoinResult {
        let group = self.g(g);
        JoinResult {
            members: if with_members {
                group.current_member_metadata()
            } else {
                Vec::new()
            },
            member_id: member_id.to_string(),
            generation_id: group.generation_id,
            protocol_type: group.protocol_type.clone(),
            protocol_name: group.protocol_name.clone(),
            leader_id: group.leader_or_empty(),
            error: Errors::None,
        }
    }

    fn add_member_and_rebalance(&mut self, g: GroupRef, member_id: &str, join: Join) {
        let mut member = MemberMetadata::new(
            member_id.to_string(),
            join.group_instance_id.map(str::to_string),
            join.client_id.to_string(),
            join.client_host.to_string(),
            join.rebalance_timeout_ms,
            join.session_timeout_ms,
            join.protocol_type.to_string(),
            join.protocols,
        );
        member.is_new = true;
        let group = self.gm(g);
        if group.is(GroupState::PreparingRebalance) && group.generation_id == 0 {
            group.new_member_added = true;
        }
        group.add(member, Some(join.waiter));
        self.complete_and_schedule_next_expiration(g, member_id, NEW_MEMBER_JOIN_TIMEOUT_MS);
        let instance = scala::option(join.group_instance_id);
        match join.group_instance_id {
            Some(static_id) => {
                let group_id = self.g(g).group_id.clone();
                self.info(format!("Adding new static member {instance} to group {group_id} with member id {member_id}."));
                self.gm(g).add_static_member(static_id, member_id);
            }
            None => self.gm(g).remove_pending_member(member_id),
        }
        self.maybe_prepare_rebalance(
            g,
            &format!("Adding new member {member_id} with group instance id {instance}"),
        );
    }

    fn update_static_member_and_rebalance(
        &mut self,
        g: GroupRef,
        new_member_id: &str,
        group_instance_id: &str,
        protocols: Vec<(String, Bytes)>,
        waiter: Waiter,
    ) {
        let old_member_id = self.g(g).static_member_id(group_instance_id);
        let group_id = self.g(g).group_id.clone();
        let instance = scala::option(Some(group_instance_id));
        self.info(format!("Static member {instance} of group {group_id} with unknown member id rejoins, assigning new member id {new_member_id}, while old member id {old_member_id} will be removed."));
        let current_leader = self.g(g).leader_or_empty();
        let (join, sync) =
            self.gm(g)
                .replace_group_instance(&old_member_id, new_member_id, group_instance_id);
        if let Some(w) = join {
            self.answer_join(
                w,
                JoinResult::error(&old_member_id, Errors::FencedInstanceId),
            );
        }
        if let Some(w) = sync {
            self.answer_sync(w, SyncResult::error(Errors::FencedInstanceId));
        }
        self.complete_and_schedule_next_heartbeat_expiration(g, new_member_id);
        self.gm(g)
            .update_member(new_member_id, protocols, Some(waiter));
        // Kafka reads the "old" protocols after the update: they are the new ones.
        let old_protocols = self.g(g).get(new_member_id).supported_protocols.clone();
        match self.g(g).state() {
            GroupState::Stable => {
                let selected = self.g(g).select_protocol();
                if self.g(g).protocol_name.as_deref() == Some(selected.as_str()) {
                    self.info("Static member which joins during Stable stage and doesn't affect selectProtocol will not trigger rebalance.");
                    let group = self.g(g);
                    let assignment: BTreeMap<String, Bytes> = group
                        .member_ids()
                        .into_iter()
                        .map(|id| {
                            let a = group.get(&id).assignment.clone();
                            (id, a)
                        })
                        .collect();
                    let now = self.now_ms;
                    self.manager.store_group(
                        g,
                        &assignment,
                        StoreGroupFor::StaticMember {
                            waiter,
                            old_member_id,
                            new_member_id: new_member_id.to_string(),
                            group_instance_id: group_instance_id.to_string(),
                            old_protocols,
                            current_leader,
                        },
                        now,
                    );
                } else {
                    self.maybe_prepare_rebalance(g, &format!("Group's selectedProtocol will change because static member {new_member_id} with instance id {instance} joined with change of protocol"));
                }
            }
            GroupState::CompletingRebalance => {
                self.prepare_rebalance(g, &format!("Updating metadata for static member {new_member_id} with instance id {instance}"));
            }
            GroupState::Empty | GroupState::Dead => panic!(
                "Group {group_id} was not supposed to be in the state {} when the unknown static member {instance} rejoins.",
                self.g(g).state()
            ),
            GroupState::PreparingRebalance => {}
        }
    }

    /// The callback of storing a stable group after a static member's new id.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn static_member_stored(
        &mut self,
        g: GroupRef,
        error: Errors,
        waiter: Waiter,
        old_member_id: &str,
        new_member_id: &str,
        group_instance_id: &str,
        old_protocols: Vec<(String, Bytes)>,
        current_leader: String,
    ) {
        if error != Errors::None {
            let group_id = self.g(g).group_id.clone();
            self.log(
                Level::Warn,
                format!(
                    "Failed to persist metadata for group {group_id}: {}",
                    java_message(error)
                ),
            );
            self.gm(g).update_member(new_member_id, old_protocols, None);
            let (_, sync) =
                self.gm(g)
                    .replace_group_instance(new_member_id, old_member_id, group_instance_id);
            if let Some(w) = sync {
                self.answer_sync(w, SyncResult::error(Errors::FencedInstanceId));
            }
            self.complete_and_schedule_next_heartbeat_expiration(g, old_member_id);
            let group = self.g(g);
            let result = JoinResult {
                members: Vec::new(),
                member_id: UNKNOWN_MEMBER_ID.to_string(),
                generation_id: group.generation_id,
                protocol_type: group.protocol_type.clone(),
                protocol_name: group.protocol_name.clone(),
                leader_id: current_leader,
                error,
            };
            self.answer_join(waiter, result);
        } else if let Some(w) = self.gm(g).take_join_waiter(new_member_id) {
            let group = self.g(g);
            let result = JoinResult {
                members: Vec::new(),
                member_id: new_member_id.to_string(),
                generation_id: group.generation_id,
                protocol_type: group.protocol_type.clone(),
                protocol_name: group.protocol_name.clone(),
                leader_id: current_leader,
                error: Errors::None,
            };
            self.answer_join(w, result);
        }
    }

    fn update_member_and_rebalance(
        &mut self,
        g: GroupRef,
        member_id: &str,
        join: Join,
        reason: &str,
    ) {
        self.gm(g)
            .update_member(member_id, join.protocols, Some(join.waiter));
        self.maybe_prepare_rebalance(g, reason);
    }

    pub(super) fn maybe_prepare_rebalance(&mut self, g: GroupRef, reason: &str) {
        if self.g(g).can_rebalance() {
            self.prepare_rebalance(g, reason);
        }
    }

    /// `prepareRebalance`: waiting SyncGroups are told to rejoin, and the
    /// group waits for its members to join (an empty group: the initial delay).
    pub(super) fn prepare_rebalance(&mut self, g: GroupRef, reason: &str) {
        if self.g(g).is(GroupState::CompletingRebalance) {
            self.reset_and_propagate_assignment_error(g, Errors::RebalanceInProgress);
        }
        self.remove_sync_expiration(g);
        let group = self.g(g);
        let rebalance_timeout = group.rebalance_timeout_ms();
        let op = if group.is(GroupState::Empty) {
            let delay = self.group_config.group_initial_rebalance_delay_ms;
            self.op(
                g,
                OpKind::Join {
                    initial: Some(InitialDelay {
                        configured_rebalance_delay: delay,
                        delay_ms: delay,
                        remaining_ms: (rebalance_timeout - delay).max(0),
                    }),
                },
                i64::from(delay),
            )
        } else {
            self.op(
                g,
                OpKind::Join { initial: None },
                i64::from(rebalance_timeout),
            )
        };
        let now = self.now_ms;
        self.gm(g)
            .transition_to(GroupState::PreparingRebalance, now);
        let group = self.g(g);
        let message = format!(
            "Preparing to rebalance group {} in state {} with old generation {} ({}) (reason: {reason})",
            group.group_id,
            group.state(),
            group.generation_id,
            self.offsets_partition_name(&group.group_id)
        );
        self.info(message);
        self.try_complete_else_watch(op);
    }

    /// `removeMemberAndUpdateGroup`.
    pub(super) fn remove_member_and_update_group(
        &mut self,
        g: GroupRef,
        member_id: &str,
        reason: &str,
    ) {
        if let Some(w) = self.gm(g).take_join_waiter(member_id) {
            self.answer_join(
                w,
                JoinResult::error(UNKNOWN_MEMBER_ID, Errors::UnknownMemberId),
            );
        }
        self.gm(g).remove(member_id);
        match self.g(g).state() {
            GroupState::Dead | GroupState::Empty => {}
            GroupState::Stable | GroupState::CompletingRebalance => {
                self.maybe_prepare_rebalance(g, reason)
            }
            GroupState::PreparingRebalance => {
                let id = self.g(g).group_id.clone();
                self.check_and_complete(&Key::Join(&id));
            }
        }
    }

    /// `removePendingMemberAndUpdateGroup`.
    pub(super) fn remove_pending_member_and_update_group(&mut self, g: GroupRef, member_id: &str) {
        self.gm(g).remove_pending_member(member_id);
        if self.g(g).is(GroupState::PreparingRebalance) {
            let id = self.g(g).group_id.clone();
            self.check_and_complete(&Key::Join(&id));
        }
    }

    /// `InitialDelayedJoin.onComplete`: wait again while new members come
    /// and time remains, else complete the join.
    pub(super) fn on_complete_initial_join(&mut self, g: GroupRef, delay: InitialDelay) {
        if self.g(g).new_member_added && delay.remaining_ms != 0 {
            self.gm(g).new_member_added = false;
            let next_delay = delay.configured_rebalance_delay.min(delay.remaining_ms);
            let remaining = (delay.remaining_ms - delay.delay_ms).max(0);
            let op = self.op(
                g,
                OpKind::Join {
                    initial: Some(InitialDelay {
                        configured_rebalance_delay: delay.configured_rebalance_delay,
                        delay_ms: next_delay,
                        remaining_ms: remaining,
                    }),
                },
                i64::from(next_delay),
            );
            self.try_complete_else_watch(op);
        } else {
            self.on_complete_join(g);
        }
    }

    /// `onCompleteJoin`: the members that did not rejoin are dropped; the
    /// next generation begins and every waiting JoinGroup is answered.
    pub(super) fn on_complete_join(&mut self, g: GroupRef) {
        let group = self.g(g);
        let group_id = group.group_id.clone();
        let not_yet: Vec<String> = group
            .not_yet_rejoined_members()
            .into_iter()
            .filter(|id| !group.get(id).is_static_member())
            .collect();
        if !not_yet.is_empty() {
            self.info(format!(
                "Group {group_id} removed dynamic members who haven't joined: {}",
                scala::set(&not_yet)
            ));
            for member in &not_yet {
                self.remove_heartbeat_for_leaving_member(g, member);
                self.gm(g).remove(member);
            }
        }
        if self.g(g).is(GroupState::Dead) {
            self.info(format!(
                "Group {group_id} is dead, skipping rebalance stage"
            ));
            return;
        }
        let mut lines = Vec::new();
        let elected = self.gm(g).maybe_elect_new_joined_leader(&mut lines);
        self.lines.extend(lines);
        if !elected && self.g(g).size() > 0 {
            self.log(
                Level::Error,
                format!(
                    "Group {group_id} could not complete rebalance because no members rejoined"
                ),
            );
            let timeout = self.g(g).rebalance_timeout_ms();
            let op = self.op(g, OpKind::Join { initial: None }, i64::from(timeout));
            self.try_complete_else_watch(op);
            return;
        }
        let now = self.now_ms;
        let mut lines = Vec::new();
        self.gm(g).init_next_generation(now, &mut lines);
        self.lines.extend(lines);
        let partition = self.offsets_partition_name(&group_id);
        let generation = self.g(g).generation_id;
        if self.g(g).is(GroupState::Empty) {
            self.info(format!(
                "Group {group_id} with generation {generation} is now empty ({partition})"
            ));
            self.manager
                .store_group(g, &BTreeMap::new(), StoreGroupFor::Empty, now);
        } else {
            let size = self.g(g).size();
            self.info(format!("Stabilized group {group_id} generation {generation} ({partition}) with {size} members"));
            for member in self.g(g).member_ids() {
                let is_leader = self.g(g).is_leader(&member);
                let result = self.current_join_result(g, &member, is_leader);
                if let Some(w) = self.gm(g).take_join_waiter(&member) {
                    self.answer_join(w, result);
                }
                self.complete_and_schedule_next_heartbeat_expiration(g, &member);
                self.gm(g).get_mut(&member).is_new = false;
                self.gm(g).add_pending_sync_member(&member);
            }
            self.schedule_pending_sync(g);
        }
    }
}
