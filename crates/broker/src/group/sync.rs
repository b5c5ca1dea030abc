//! SyncGroup and what follows a completed join: each member's SyncGroup
//! waits for the leader's, whose assignment is stored in
//! `__consumer_offsets` and then handed to every member (the group becomes
//! Stable); a member that never syncs within the rebalance timeout is
//! removed (`DelayedSync`).

use std::collections::BTreeMap;

use bytes::Bytes;
use kafka_api::requests::{SyncGroupRequest, SyncGroupResponse};
use kafka_api::{ApiKey, Errors};
use kafka_log::Level;

use super::coordinator::{Completed, GroupCoordinator, SyncResult};
use super::member::Waiter;
use super::metadata::GroupState;
use super::purgatory::{GroupRef, Key, OpKind};
use super::store::StoreGroupFor;
use crate::replica::RequestId;
use crate::scala;

impl GroupCoordinator {
    // --- SyncGroup ------------------------------------------------------------------------------

    /// `handleSyncGroup`. `None`: the answer comes later (`Completed::SyncGroup`).
    pub fn sync_group(
        &mut self,
        id: RequestId,
        version: i16,
        request: &SyncGroupRequest,
        now_ms: i64,
    ) -> Option<SyncGroupResponse> {
        self.now_ms = now_ms;
        let waiter = Waiter { id, version };
        if version >= 5 && (request.protocol_type.is_none() || request.protocol_name.is_none()) {
            self.answer_sync(waiter, SyncResult::error(Errors::InconsistentGroupProtocol));
        } else {
            match self.validate_group_status(&request.group_id, ApiKey::SyncGroup) {
                // The rebalance's state is lost while loading: rejoin.
                Some(Errors::CoordinatorLoadInProgress) => {
                    self.answer_sync(waiter, SyncResult::error(Errors::RebalanceInProgress))
                }
                Some(error) => self.answer_sync(waiter, SyncResult::error(error)),
                None => match self.manager.get_group(&request.group_id) {
                    None => self.answer_sync(waiter, SyncResult::error(Errors::UnknownMemberId)),
                    Some(g) => self.do_sync_group(g, request, waiter),
                },
            }
        }
        self.collect_garbage();
        match self.take_answer(id) {
            Some(Completed::SyncGroup(_, r)) => Some(r),
            _ => None,
        }
    }

    fn do_sync_group(&mut self, g: GroupRef, request: &SyncGroupRequest, waiter: Waiter) {
        let member_id = request.member_id.as_str();
        let group = self.g(g);
        let mut lines = Vec::new();
        let error = if group.is(GroupState::Dead) {
            Some(Errors::CoordinatorNotAvailable)
        } else if group.is_static_member_fenced(
            member_id,
            request.group_instance_id.as_deref(),
            "sync-group",
            &mut lines,
        ) {
            Some(Errors::FencedInstanceId)
        } else if !group.has(member_id) {
            Some(Errors::UnknownMemberId)
        } else if request.generation_id != group.generation_id {
            Some(Errors::IllegalGeneration)
        } else if (request.protocol_type.is_some() && request.protocol_type != group.protocol_type)
            || (request.protocol_name.is_some() && request.protocol_name != group.protocol_name)
        {
            Some(Errors::InconsistentGroupProtocol)
        } else {
            match group.state() {
                GroupState::Empty => Some(Errors::UnknownMemberId),
                GroupState::PreparingRebalance => Some(Errors::RebalanceInProgress),
                GroupState::Dead => panic!(
                    "Reached unexpected condition for Dead group {}",
                    group.group_id
                ),
                GroupState::CompletingRebalance | GroupState::Stable => None,
            }
        };
        self.lines.extend(lines);
        if let Some(error) = error {
            self.answer_sync(waiter, SyncResult::error(error));
            return;
        }
        if self.g(g).is(GroupState::Stable) {
            self.remove_pending_sync_member(g, member_id);
            let group = self.g(g);
            let result = SyncResult {
                protocol_type: group.protocol_type.clone(),
                protocol_name: group.protocol_name.clone(),
                assignment: group.get(member_id).assignment.clone(),
                error: Errors::None,
            };
            self.answer_sync(waiter, result);
            self.complete_and_schedule_next_heartbeat_expiration(g, member_id);
            return;
        }
        // CompletingRebalance: the member waits for the leader's assignment.
        self.gm(g).get_mut(member_id).awaiting_sync = Some(waiter);
        self.remove_pending_sync_member(g, member_id);
        if self.g(g).is_leader(member_id) {
            let group = self.g(g);
            let (group_id, generation) = (group.group_id.clone(), group.generation_id);
            self.info(format!(
                "Assignment received from leader for group {group_id} for generation {generation}. The group has {} members, {} of which are static.",
                group.size(),
                group.all_static_members()
            ));
            let mut assignment: BTreeMap<String, Bytes> = request
                .assignments
                .iter()
                .map(|a| (a.member_id.clone(), a.assignment.clone()))
                .collect();
            let missing: Vec<String> = self
                .g(g)
                .member_ids()
                .into_iter()
                .filter(|id| !assignment.contains_key(id))
                .collect();
            for id in &missing {
                assignment.insert(id.clone(), Bytes::new());
            }
            if !missing.is_empty() {
                self.log(
                    Level::Warn,
                    format!(
                        "Setting empty assignments for members {} of {group_id} for generation {generation}",
                        scala::immutable_set(&missing)
                    ),
                );
            }
            let now = self.now_ms;
            self.manager.store_group(
                g,
                &assignment,
                StoreGroupFor::Sync {
                    member_id: member_id.to_string(),
                    assignment: assignment.clone(),
                },
                now,
            );
        }
    }

    pub(super) fn set_and_propagate_assignment(
        &mut self,
        g: GroupRef,
        assignment: &BTreeMap<String, Bytes>,
    ) {
        assert!(self.g(g).is(GroupState::CompletingRebalance));
        for id in self.g(g).member_ids() {
            self.gm(g).get_mut(&id).assignment = assignment.get(&id).cloned().unwrap_or_default();
        }
        self.propagate_assignment(g, Errors::None);
    }

    pub(super) fn reset_and_propagate_assignment_error(&mut self, g: GroupRef, error: Errors) {
        assert!(self.g(g).is(GroupState::CompletingRebalance));
        for id in self.g(g).member_ids() {
            self.gm(g).get_mut(&id).assignment = Bytes::new();
        }
        self.propagate_assignment(g, error);
    }

    fn propagate_assignment(&mut self, g: GroupRef, error: Errors) {
        let group = self.g(g);
        let (protocol_type, protocol_name) = if error == Errors::None {
            (group.protocol_type.clone(), group.protocol_name.clone())
        } else {
            (None, None)
        };
        let (group_id, generation) = (group.group_id.clone(), group.generation_id);
        for id in self.g(g).member_ids() {
            let assignment = self.g(g).get(&id).assignment.clone();
            if assignment.is_empty() && error == Errors::None {
                self.log(
                    Level::Warn,
                    format!("Sending empty assignment to member {id} of {group_id} for generation {generation} with no errors"),
                );
            }
            if let Some(w) = self.gm(g).take_sync_waiter(&id) {
                self.answer_sync(
                    w,
                    SyncResult {
                        protocol_type: protocol_type.clone(),
                        protocol_name: protocol_name.clone(),
                        assignment,
                        error,
                    },
                );
                // The session restarts once the member has its assignment.
                self.complete_and_schedule_next_heartbeat_expiration(g, &id);
            }
        }
    }

    // --- The members' SyncGroups (DelayedSync) ----------------------------------------------------

    fn remove_pending_sync_member(&mut self, g: GroupRef, member_id: &str) {
        self.gm(g).remove_pending_sync_member(member_id);
        let id = self.g(g).group_id.clone();
        self.check_and_complete(&Key::Sync(&id));
    }

    pub(super) fn remove_sync_expiration(&mut self, g: GroupRef) {
        self.gm(g).clear_pending_sync_members();
        let id = self.g(g).group_id.clone();
        self.check_and_complete(&Key::Sync(&id));
    }

    pub(super) fn schedule_pending_sync(&mut self, g: GroupRef) {
        let group = self.g(g);
        let (generation_id, timeout) = (group.generation_id, group.rebalance_timeout_ms());
        let op = self.op(g, OpKind::Sync { generation_id }, i64::from(timeout));
        self.try_complete_else_watch(op);
    }

    pub(super) fn try_complete_pending_sync(&self, g: GroupRef, generation_id: i32) -> bool {
        let group = self.g(g);
        if generation_id != group.generation_id {
            return true;
        }
        match group.state() {
            GroupState::Dead | GroupState::Empty | GroupState::PreparingRebalance => true,
            GroupState::CompletingRebalance | GroupState::Stable => {
                group.has_received_sync_from_all_members()
            }
        }
    }

    /// `onExpirePendingSync`: the members that never sent their SyncGroup
    /// are removed and the group rebalances.
    pub(super) fn on_expire_pending_sync(&mut self, g: GroupRef, generation_id: i32) {
        let group = self.g(g);
        let group_id = group.group_id.clone();
        if generation_id != group.generation_id {
            let current = group.generation_id;
            self.log(Level::Error, format!("Received unexpected notification of sync expiration for {group_id} with an old generation {generation_id} while the group has {current}."));
            return;
        }
        match group.state() {
            GroupState::Dead | GroupState::Empty | GroupState::PreparingRebalance => {
                let state = group.state();
                self.log(Level::Error, format!("Received unexpected notification of sync expiration after group {group_id} already transitioned to the {state} state."));
            }
            GroupState::CompletingRebalance | GroupState::Stable => {
                if !group.has_received_sync_from_all_members() {
                    let pending = group.all_pending_sync_members();
                    for member in &pending {
                        self.remove_heartbeat_for_leaving_member(g, member);
                        self.gm(g).remove(member);
                    }
                    let shown = scala::immutable_set(&pending);
                    self.log(Level::Debug, format!("Group {group_id} removed members who haven't sent their sync request: {shown}"));
                    self.prepare_rebalance(
                        g,
                        &format!("Removing {shown} on pending sync request expiration"),
                    );
                }
            }
        }
    }
}
