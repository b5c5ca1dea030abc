//! Heartbeat and LeaveGroup, and members' sessions: every sign of life
//! completes a member's pending expiration and schedules the next one a
//! session timeout later (a new member's, five minutes); one that expires
//! removes the member and rebalances the group. A pending member (given an
//! id, not joined yet) expires after its session timeout too.

use kafka_api::requests::{
    HeartbeatRequest, HeartbeatResponse, LeaveGroupMemberResponse, LeaveGroupRequest,
    LeaveGroupResponse, MemberIdentity, UNKNOWN_MEMBER_ID,
};
use kafka_api::{ApiKey, Errors};
use kafka_log::Level;

use super::coordinator::GroupCoordinator;
use super::metadata::GroupState;
use super::purgatory::{GroupRef, Key, OpKind};
use crate::scala;

impl GroupCoordinator {
    /// `handleHeartbeat`.
    pub fn heartbeat(&mut self, request: &HeartbeatRequest, now_ms: i64) -> HeartbeatResponse {
        self.now_ms = now_ms;
        let error = self.handle_heartbeat(request);
        self.collect_garbage();
        HeartbeatResponse {
            throttle_time_ms: 0,
            error,
        }
    }

    fn handle_heartbeat(&mut self, request: &HeartbeatRequest) -> Errors {
        match self.validate_group_status(&request.group_id, ApiKey::Heartbeat) {
            // The group is still loading: answer blindly.
            Some(Errors::CoordinatorLoadInProgress) => return Errors::None,
            Some(error) => return error,
            None => {}
        }
        let Some(g) = self.manager.get_group(&request.group_id) else {
            return Errors::UnknownMemberId;
        };
        let member_id = request.member_id.as_str();
        let group = self.g(g);
        let mut lines = Vec::new();
        let error = if group.is(GroupState::Dead) {
            Errors::CoordinatorNotAvailable
        } else if group.is_static_member_fenced(
            member_id,
            request.group_instance_id.as_deref(),
            "heartbeat",
            &mut lines,
        ) {
            Errors::FencedInstanceId
        } else if !group.has(member_id) {
            Errors::UnknownMemberId
        } else if request.generation_id != group.generation_id {
            Errors::IllegalGeneration
        } else {
            match group.state() {
                GroupState::Empty => Errors::UnknownMemberId,
                GroupState::CompletingRebalance | GroupState::Stable => {
                    self.complete_and_schedule_next_heartbeat_expiration(g, member_id);
                    Errors::None
                }
                GroupState::PreparingRebalance => {
                    self.complete_and_schedule_next_heartbeat_expiration(g, member_id);
                    Errors::RebalanceInProgress
                }
                GroupState::Dead => unreachable!("checked above"),
            }
        };
        self.lines.extend(lines);
        error
    }

    /// `handleLeaveGroup` (v0-2 name one member; v3+ a list).
    pub fn leave_group(
        &mut self,
        version: i16,
        request: &LeaveGroupRequest,
        now_ms: i64,
    ) -> LeaveGroupResponse {
        self.now_ms = now_ms;
        let leaving = if version <= 2 {
            vec![MemberIdentity {
                member_id: request.member_id.clone(),
                group_instance_id: None,
            }]
        } else {
            request.members.clone()
        };
        let (top, members) = self.handle_leave_group(&request.group_id, &leaving);
        self.collect_garbage();
        if version <= 2 {
            let error = if top != Errors::None {
                top
            } else {
                members
                    .iter()
                    .map(|m| m.error)
                    .find(|e| *e != Errors::None)
                    .unwrap_or(Errors::None)
            };
            LeaveGroupResponse {
                throttle_time_ms: 0,
                error,
                members: Vec::new(),
            }
        } else {
            LeaveGroupResponse {
                throttle_time_ms: 0,
                error: top,
                members,
            }
        }
    }

    fn handle_leave_group(
        &mut self,
        group_id: &str,
        leaving: &[MemberIdentity],
    ) -> (Errors, Vec<LeaveGroupMemberResponse>) {
        let answer = |m: &MemberIdentity, error: Errors| LeaveGroupMemberResponse {
            member_id: m.member_id.clone(),
            group_instance_id: m.group_instance_id.clone(),
            error,
        };
        if let Some(error) = self.validate_group_status(group_id, ApiKey::LeaveGroup) {
            return (error, Vec::new());
        }
        let Some(g) = self.manager.get_group(group_id) else {
            return (
                Errors::None,
                leaving
                    .iter()
                    .map(|m| answer(m, Errors::UnknownMemberId))
                    .collect(),
            );
        };
        if self.g(g).is(GroupState::Dead) {
            return (Errors::CoordinatorNotAvailable, Vec::new());
        }
        let mut answers = Vec::new();
        for m in leaving {
            let member_id = m.member_id.as_str();
            let instance = m.group_instance_id.as_deref();
            let mut lines = Vec::new();
            let fenced = member_id != UNKNOWN_MEMBER_ID
                && self.g(g).is_static_member_fenced(
                    member_id,
                    instance,
                    "leave-group",
                    &mut lines,
                );
            self.lines.extend(lines);
            if fenced {
                answers.push(answer(m, Errors::FencedInstanceId));
            } else if self.g(g).is_pending_member(member_id) {
                assert!(
                    instance.is_none(),
                    "the static member {instance:?} was not expected to be leaving from pending member bucket with member id {member_id}"
                );
                self.info(format!(
                    "Pending member {member_id} is leaving group {group_id}."
                ));
                self.remove_pending_member_and_update_group(g, member_id);
                self.check_and_complete(&Key::Member(group_id, member_id));
                answers.push(answer(m, Errors::None));
            } else if !self.g(g).has(member_id) && !self.g(g).has_static_member(instance) {
                answers.push(answer(m, Errors::UnknownMemberId));
            } else {
                let leaving_id = match instance {
                    Some(i) if self.g(g).has_static_member(Some(i)) => {
                        self.g(g).static_member_id(i)
                    }
                    _ => member_id.to_string(),
                };
                self.remove_heartbeat_for_leaving_member(g, &leaving_id);
                let static_id =
                    scala::option(self.g(g).get(&leaving_id).group_instance_id.as_deref());
                self.info(format!(
                    "Member[group.instance.id {static_id}, member.id {leaving_id}] in group {group_id} has left, removing it from the group"
                ));
                self.remove_member_and_update_group(
                    g,
                    &leaving_id,
                    &format!("removing member {member_id} on LeaveGroup"),
                );
                answers.push(answer(m, Errors::None));
            }
        }
        (Errors::None, answers)
    }

    // --- Sessions (DelayedHeartbeat) ---------------------------------------------------------

    pub(super) fn complete_and_schedule_next_heartbeat_expiration(
        &mut self,
        g: GroupRef,
        member_id: &str,
    ) {
        let timeout = self.g(g).get(member_id).session_timeout_ms;
        self.complete_and_schedule_next_expiration(g, member_id, i64::from(timeout));
    }

    /// The member is alive: its pending expiration completes, the next is
    /// `timeout_ms` from now.
    pub(super) fn complete_and_schedule_next_expiration(
        &mut self,
        g: GroupRef,
        member_id: &str,
        timeout_ms: i64,
    ) {
        let group_id = self.g(g).group_id.clone();
        self.gm(g).get_mut(member_id).heartbeat_satisfied = true;
        self.check_and_complete(&Key::Member(&group_id, member_id));
        self.gm(g).get_mut(member_id).heartbeat_satisfied = false;
        let op = self.op(
            g,
            OpKind::Heartbeat {
                member_id: member_id.to_string(),
                is_pending: false,
            },
            timeout_ms,
        );
        self.try_complete_else_watch(op);
    }

    /// A pending member's expiration: it must join within its session timeout.
    pub(super) fn add_pending_member_expiration(
        &mut self,
        g: GroupRef,
        member_id: &str,
        timeout_ms: i64,
    ) {
        let op = self.op(
            g,
            OpKind::Heartbeat {
                member_id: member_id.to_string(),
                is_pending: true,
            },
            timeout_ms,
        );
        self.try_complete_else_watch(op);
    }

    pub(super) fn remove_heartbeat_for_leaving_member(&mut self, g: GroupRef, member_id: &str) {
        self.gm(g).get_mut(member_id).is_leaving = true;
        let group_id = self.g(g).group_id.clone();
        self.check_and_complete(&Key::Member(&group_id, member_id));
    }

    pub(super) fn try_complete_heartbeat(
        &mut self,
        g: GroupRef,
        member_id: &str,
        is_pending: bool,
    ) -> bool {
        let group = self.g(g);
        if group.is(GroupState::Dead) {
            true
        } else if is_pending {
            group.has(member_id)
        } else if group.has(member_id) {
            let member = group.get(member_id);
            member.has_satisfied_heartbeat() || member.is_leaving
        } else {
            let group_id = group.group_id.clone();
            self.info(format!(
                "Member id {member_id} was not found in {group_id} during heartbeat completion check"
            ));
            true
        }
    }

    /// `onExpireHeartbeat`: a session ended without a sign of life.
    pub(super) fn on_expire_heartbeat(&mut self, g: GroupRef, member_id: &str, is_pending: bool) {
        let group = self.g(g);
        let group_id = group.group_id.clone();
        if group.is(GroupState::Dead) {
            self.info(format!("Received notification of heartbeat expiration for member {member_id} after group {group_id} had already been unloaded or deleted."));
        } else if is_pending {
            self.info(format!("Pending member {member_id} in group {group_id} has been removed after session timeout expiration."));
            self.remove_pending_member_and_update_group(g, member_id);
        } else if !group.has(member_id) {
            self.log(
                Level::Debug,
                format!("Member {member_id} has already been removed from the group."),
            );
        } else if !group.get(member_id).has_satisfied_heartbeat() {
            self.info(format!(
                "Member {member_id} in group {group_id} has failed, removing it from the group"
            ));
            self.remove_member_and_update_group(
                g,
                member_id,
                &format!("removing member {member_id} on heartbeat expiration"),
            );
        }
    }
}
