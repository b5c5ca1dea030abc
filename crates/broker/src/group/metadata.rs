//! `GroupMetadata`: one group's state machine (Empty, PreparingRebalance,
//! CompletingRebalance, Stable, Dead), its generation, protocol and leader,
//! its members (dynamic, static by `group.instance.id`, and the pending
//! ones that were given a member id but have not joined yet), and its
//! committed offsets ([`GroupOffsets`]). Members iterate in the order of
//! Kafka's `mutable.HashMap`, which decides the leader after one leaves.

use std::collections::{BTreeMap, BTreeSet};

use bytes::Bytes;
use kafka_api::requests::JoinGroupResponseMember;
use kafka_log::{Level, LogLine};

use super::member::{MemberMetadata, Waiter};
use super::offsets::GroupOffsets;
use crate::scala::{self, string_hash, HashTable};

/// The logger of `GroupMetadata`'s own lines.
pub const LOGGER: &str = "kafka.coordinator.group.GroupMetadata";
/// The logger of the `GroupMetadata` object (`loadGroup`).
pub const OBJECT_LOGGER: &str = "kafka.coordinator.group.GroupMetadata$";

/// The consumer's protocol type (`ConsumerProtocol.PROTOCOL_TYPE`).
pub const CONSUMER_PROTOCOL_TYPE: &str = "consumer";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupState {
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}

impl GroupState {
    /// The state's name, as DescribeGroups and ListGroups give it.
    pub fn name(self) -> &'static str {
        match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
            GroupState::Dead => "Dead",
        }
    }

    fn valid_previous_states(self) -> &'static [GroupState] {
        use GroupState::*;
        match self {
            PreparingRebalance => &[Stable, CompletingRebalance, Empty],
            CompletingRebalance => &[PreparingRebalance],
            Stable => &[CompletingRebalance],
            Dead => &[Stable, PreparingRebalance, CompletingRebalance, Empty, Dead],
            Empty => &[PreparingRebalance],
        }
    }
}

impl std::fmt::Display for GroupState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `MemberSummary`, for DescribeGroups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberSummary {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    pub client_id: String,
    pub client_host: String,
    pub metadata: Bytes,
    pub assignment: Bytes,
}

/// `GroupSummary`, for DescribeGroups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupSummary {
    pub state: String,
    pub protocol_type: String,
    pub protocol: String,
    pub members: Vec<MemberSummary>,
}

#[derive(Clone, Debug)]
pub struct GroupMetadata {
    pub group_id: String,
    state: GroupState,
    pub current_state_timestamp: Option<i64>,
    pub protocol_type: Option<String>,
    pub protocol_name: Option<String>,
    pub generation_id: i32,
    leader_id: Option<String>,
    members: BTreeMap<String, MemberMetadata>,
    members_table: HashTable,
    /// `group.instance.id` to member id.
    static_members: BTreeMap<String, String>,
    pending_members: BTreeSet<String>,
    num_members_awaiting_join: usize,
    supported_protocols: BTreeMap<String, i32>,
    pending_sync_members: BTreeSet<String>,
    pending_sync_table: HashTable,
    subscribed_topics: Option<BTreeSet<String>>,
    pub new_member_added: bool,
    pub offsets: GroupOffsets,
}

impl GroupMetadata {
    pub fn new(group_id: &str, state: GroupState, now_ms: i64) -> GroupMetadata {
        GroupMetadata {
            group_id: group_id.to_string(),
            state,
            current_state_timestamp: Some(now_ms),
            protocol_type: None,
            protocol_name: None,
            generation_id: 0,
            leader_id: None,
            members: BTreeMap::new(),
            members_table: HashTable::default(),
            static_members: BTreeMap::new(),
            pending_members: BTreeSet::new(),
            num_members_awaiting_join: 0,
            supported_protocols: BTreeMap::new(),
            pending_sync_members: BTreeSet::new(),
            pending_sync_table: HashTable::default(),
            subscribed_topics: None,
            new_member_added: false,
            offsets: GroupOffsets::default(),
        }
    }

    /// `GroupMetadata.loadGroup`: a group as its metadata record left it.
    #[allow(clippy::too_many_arguments)]
    pub fn load(
        group_id: &str,
        state: GroupState,
        generation_id: i32,
        protocol_type: &str,
        protocol_name: Option<String>,
        leader_id: Option<String>,
        current_state_timestamp: Option<i64>,
        members: Vec<MemberMetadata>,
        now_ms: i64,
        lines: &mut Vec<LogLine>,
    ) -> GroupMetadata {
        let mut group = GroupMetadata::new(group_id, state, now_ms);
        group.generation_id = generation_id;
        group.protocol_type = (!protocol_type.is_empty()).then(|| protocol_type.to_string());
        group.protocol_name = protocol_name;
        group.leader_id = leader_id;
        group.current_state_timestamp = current_state_timestamp;
        for member in members {
            let line = format!(
                "Loaded member {member} in group {group_id} with generation {generation_id}."
            );
            if let Some(instance) = member.group_instance_id.clone() {
                group
                    .static_members
                    .insert(instance, member.member_id.clone());
            }
            group.add(member, None);
            lines.push(LogLine::new(Level::Info, OBJECT_LOGGER, line));
        }
        group.subscribed_topics = group.compute_subscribed_topics(lines);
        group
    }

    pub fn state(&self) -> GroupState {
        self.state
    }

    pub fn is(&self, state: GroupState) -> bool {
        self.state == state
    }

    pub fn has(&self, member_id: &str) -> bool {
        self.members.contains_key(member_id)
    }

    pub fn get(&self, member_id: &str) -> &MemberMetadata {
        &self.members[member_id]
    }

    pub fn get_mut(&mut self, member_id: &str) -> &mut MemberMetadata {
        self.members
            .get_mut(member_id)
            .expect("a member of the group")
    }

    pub fn size(&self) -> usize {
        self.members.len()
    }

    pub fn is_leader(&self, member_id: &str) -> bool {
        self.leader_id.as_deref() == Some(member_id)
    }

    pub fn leader_id(&self) -> Option<&str> {
        self.leader_id.as_deref()
    }

    /// `leaderOrNull`, as a response's `""` when there is none.
    pub fn leader_or_empty(&self) -> String {
        self.leader_id.clone().unwrap_or_default()
    }

    pub fn current_state_timestamp_or_default(&self) -> i64 {
        self.current_state_timestamp.unwrap_or(-1)
    }

    pub fn is_consumer_group(&self) -> bool {
        self.protocol_type.as_deref() == Some(CONSUMER_PROTOCOL_TYPE)
    }

    /// The member ids in the members map's iteration order (`allMembers`,
    /// `allMemberMetadata`).
    pub fn member_ids(&self) -> Vec<String> {
        let ids: Vec<String> = self.members.keys().cloned().collect();
        self.members_table.sorted(&ids, string_hash)
    }

    pub fn all_static_members(&self) -> usize {
        self.static_members.len()
    }

    pub fn add(&mut self, member: MemberMetadata, waiter: Option<Waiter>) {
        if self.members.is_empty() {
            self.protocol_type = Some(member.protocol_type.clone());
        }
        if self.leader_id.is_none() {
            self.leader_id = Some(member.member_id.clone());
        }
        for name in member.protocol_names() {
            *self.supported_protocols.entry(name).or_default() += 1;
        }
        let id = member.member_id.clone();
        self.members_table.before_put(self.members.len());
        self.members.insert(id.clone(), member);
        let member = self.members.get_mut(&id).expect("just added");
        member.awaiting_join = waiter;
        if member.is_awaiting_join() {
            self.num_members_awaiting_join += 1;
        }
    }

    pub fn remove(&mut self, member_id: &str) {
        if let Some(member) = self.members.remove(member_id) {
            for name in member.protocol_names() {
                *self.supported_protocols.entry(name).or_default() -= 1;
            }
            if member.is_awaiting_join() {
                self.num_members_awaiting_join -= 1;
            }
            if let Some(instance) = &member.group_instance_id {
                self.static_members.remove(instance);
            }
        }
        if self.is_leader(member_id) {
            self.leader_id = self.member_ids().into_iter().next();
        }
        self.pending_sync_members.remove(member_id);
    }

    /// `maybeElectNewJoinedLeader`: keeps a leader that rejoined, else
    /// elects any member that did; false when none did (or no leader).
    pub fn maybe_elect_new_joined_leader(&mut self, lines: &mut Vec<LogLine>) -> bool {
        let Some(current) = self.leader_id.clone() else {
            return false;
        };
        let leader = self.get(&current);
        if leader.is_awaiting_join() {
            return true;
        }
        let instance = scala::option(leader.group_instance_id.as_deref());
        let joined = self
            .member_ids()
            .into_iter()
            .find(|id| self.get(id).is_awaiting_join());
        match joined {
            Some(id) => {
                let line = format!(
                    "Group leader [member.id: {current}, group.instance.id: {instance}] failed to join before rebalance timeout, while new leader {} was elected.",
                    self.get(&id)
                );
                self.leader_id = Some(id);
                lines.push(LogLine::new(Level::Info, LOGGER, line));
                true
            }
            None => {
                lines.push(LogLine::new(
                    Level::Info,
                    LOGGER,
                    format!("Group leader [member.id: {current}, group.instance.id: {instance}] failed to join before rebalance timeout, and the group couldn't proceed to next generationbecause no member joined."),
                ));
                false
            }
        }
    }

    /// `replaceGroupInstance`: a static member rejoined under a new member
    /// id; the old id's waiting requests are returned to be fenced.
    pub fn replace_group_instance(
        &mut self,
        old_member_id: &str,
        new_member_id: &str,
        group_instance_id: &str,
    ) -> (Option<Waiter>, Option<Waiter>) {
        let mut member = self
            .members
            .remove(old_member_id)
            .expect("Cannot replace non-existing member id");
        let join = member.awaiting_join.take();
        if join.is_some() {
            self.num_members_awaiting_join -= 1;
        }
        let sync = member.awaiting_sync.take();
        member.member_id = new_member_id.to_string();
        self.members_table.before_put(self.members.len());
        self.members.insert(new_member_id.to_string(), member);
        if self.is_leader(old_member_id) {
            self.leader_id = Some(new_member_id.to_string());
        }
        self.static_members
            .insert(group_instance_id.to_string(), new_member_id.to_string());
        (join, sync)
    }

    pub fn is_pending_member(&self, member_id: &str) -> bool {
        self.pending_members.contains(member_id) && !self.has(member_id)
    }

    pub fn add_pending_member(&mut self, member_id: &str) {
        self.pending_members.insert(member_id.to_string());
    }

    pub fn remove_pending_member(&mut self, member_id: &str) {
        self.pending_members.remove(member_id);
    }

    pub fn has_static_member(&self, group_instance_id: Option<&str>) -> bool {
        group_instance_id.is_some_and(|id| self.static_members.contains_key(id))
    }

    pub fn static_member_id(&self, group_instance_id: &str) -> String {
        self.static_members[group_instance_id].clone()
    }

    pub fn add_static_member(&mut self, group_instance_id: &str, member_id: &str) {
        self.static_members
            .insert(group_instance_id.to_string(), member_id.to_string());
    }

    pub fn add_pending_sync_member(&mut self, member_id: &str) {
        assert!(
            self.has(member_id),
            "Attempt to add a pending sync for member {member_id} which is not a member of the group"
        );
        self.pending_sync_table
            .before_put(self.pending_sync_members.len());
        self.pending_sync_members.insert(member_id.to_string());
    }

    pub fn remove_pending_sync_member(&mut self, member_id: &str) {
        assert!(
            self.has(member_id),
            "Attempt to remove a pending sync for member {member_id} which is not a member of the group"
        );
        self.pending_sync_members.remove(member_id);
    }

    pub fn has_received_sync_from_all_members(&self) -> bool {
        self.pending_sync_members.is_empty()
    }

    /// `allPendingSyncMembers` (`toSet` of the mutable set).
    pub fn all_pending_sync_members(&self) -> Vec<String> {
        let ids: Vec<String> = self.pending_sync_members.iter().cloned().collect();
        let ordered = self.pending_sync_table.sorted(&ids, string_hash);
        scala::immutable_sorted(&ordered, string_hash)
    }

    pub fn clear_pending_sync_members(&mut self) {
        self.pending_sync_members.clear();
    }

    /// `notYetRejoinedMembers`, as the immutable map built from the members.
    pub fn not_yet_rejoined_members(&self) -> Vec<String> {
        let ids: Vec<String> = self
            .member_ids()
            .into_iter()
            .filter(|id| !self.get(id).is_awaiting_join())
            .collect();
        scala::immutable_sorted(&ids, string_hash)
    }

    pub fn has_all_members_joined(&self) -> bool {
        self.members.len() == self.num_members_awaiting_join && self.pending_members.is_empty()
    }

    pub fn num_awaiting(&self) -> usize {
        self.num_members_awaiting_join
    }

    pub fn rebalance_timeout_ms(&self) -> i32 {
        self.members
            .values()
            .map(|m| m.rebalance_timeout_ms)
            .fold(0, i32::max)
    }

    /// `generateMemberId`: the client id (or the instance id) and a random UUID.
    pub fn generate_member_id(
        client_id: &str,
        group_instance_id: Option<&str>,
        random: &mut dyn FnMut() -> u64,
    ) -> String {
        format!(
            "{}-{}",
            group_instance_id.unwrap_or(client_id),
            scala::random_uuid(random)
        )
    }

    /// `isStaticMemberFenced`: a known static member under another member id.
    pub fn is_static_member_fenced(
        &self,
        member_id: &str,
        group_instance_id: Option<&str>,
        operation: &str,
        lines: &mut Vec<LogLine>,
    ) -> bool {
        match group_instance_id {
            Some(instance) if self.has_static_member(Some(instance)) => {
                let expected = self.static_member_id(instance);
                if expected != member_id {
                    lines.push(LogLine::new(
                        Level::Error,
                        LOGGER,
                        format!("given member.id {member_id} is identified as a known static member {instance}, but not matching the expected member.id {expected} during {operation}, will respond with instance fenced error"),
                    ));
                    return true;
                }
                false
            }
            _ => false,
        }
    }

    pub fn can_rebalance(&self) -> bool {
        GroupState::PreparingRebalance
            .valid_previous_states()
            .contains(&self.state)
    }

    pub fn transition_to(&mut self, state: GroupState, now_ms: i64) {
        assert!(
            state.valid_previous_states().contains(&self.state),
            "Group {} should be in the {:?} states before moving to {state} state. Instead it is in {} state",
            self.group_id,
            state.valid_previous_states(),
            self.state
        );
        self.state = state;
        self.current_state_timestamp = Some(now_ms);
    }

    /// `selectProtocol`: each member votes for its preferred protocol among
    /// those all support; the most votes win (ties: the order of the
    /// immutable map `groupBy` builds).
    pub fn select_protocol(&self) -> String {
        assert!(
            !self.members.is_empty(),
            "Cannot select protocol for empty group"
        );
        let candidates = self.candidate_protocols();
        let mut votes: Vec<(String, usize)> = Vec::new();
        for id in self.member_ids() {
            let vote = self.get(&id).vote(&candidates);
            match votes.iter_mut().find(|(p, _)| *p == vote) {
                Some((_, n)) => *n += 1,
                None => votes.push((vote, 1)),
            }
        }
        let ordered = scala::hash_sorted(&votes, |(p, _)| string_hash(p));
        let mut best: Option<&(String, usize)> = None;
        for v in &ordered {
            if best.is_none_or(|b| v.1 > b.1) {
                best = Some(v);
            }
        }
        best.expect("a member voted").0.clone()
    }

    fn candidate_protocols(&self) -> Vec<String> {
        let n = self.members.len() as i32;
        self.supported_protocols
            .iter()
            .filter(|(_, &count)| count == n)
            .map(|(name, _)| name.clone())
            .collect()
    }

    pub fn supports_protocols(&self, protocol_type: &str, protocols: &[String]) -> bool {
        if self.is(GroupState::Empty) {
            !protocol_type.is_empty() && !protocols.is_empty()
        } else {
            self.protocol_type.as_deref() == Some(protocol_type)
                && protocols.iter().any(|p| {
                    self.supported_protocols.get(p).copied().unwrap_or(0)
                        == self.members.len() as i32
                })
        }
    }

    pub fn subscribed_topics(&self) -> Option<&BTreeSet<String>> {
        self.subscribed_topics.as_ref()
    }

    /// `computeSubscribedTopics`: the topics a consumer group's members
    /// subscribe to, when every member's subscription parses.
    fn compute_subscribed_topics(&self, lines: &mut Vec<LogLine>) -> Option<BTreeSet<String>> {
        if self.protocol_type.as_deref() != Some(CONSUMER_PROTOCOL_TYPE) {
            return None;
        }
        if self.members.is_empty() {
            return Some(BTreeSet::new());
        }
        let protocol = self.protocol_name.as_ref()?;
        let mut topics = BTreeSet::new();
        for member in self.members.values() {
            match super::log_format::read_subscription_topics(&member.metadata(protocol)) {
                Ok(t) => topics.extend(t),
                Err(_) => {
                    lines.push(LogLine::new(
                        Level::Warn,
                        LOGGER,
                        format!("Failed to parse Consumer Protocol {CONSUMER_PROTOCOL_TYPE}:{protocol} of group {}. Consumer group coordinator is not aware of the subscribed topics.", self.group_id),
                    ));
                    return None;
                }
            }
        }
        Some(topics)
    }

    /// `updateMember`: new protocols, and the JoinGroup that now waits (or none).
    pub fn update_member(
        &mut self,
        member_id: &str,
        protocols: Vec<(String, Bytes)>,
        waiter: Option<Waiter>,
    ) {
        let member = self.members.get_mut(member_id).expect("a member");
        for name in member.protocol_names() {
            *self.supported_protocols.entry(name).or_default() -= 1;
        }
        for (name, _) in &protocols {
            *self.supported_protocols.entry(name.clone()).or_default() += 1;
        }
        member.supported_protocols = protocols;
        if waiter.is_some() && !member.is_awaiting_join() {
            self.num_members_awaiting_join += 1;
        } else if waiter.is_none() && member.is_awaiting_join() {
            self.num_members_awaiting_join -= 1;
        }
        member.awaiting_join = waiter;
    }

    /// `maybeInvokeJoinCallback`: the member's waiting JoinGroup, now to answer.
    pub fn take_join_waiter(&mut self, member_id: &str) -> Option<Waiter> {
        let waiter = self.members.get_mut(member_id)?.awaiting_join.take();
        if waiter.is_some() {
            self.num_members_awaiting_join -= 1;
        }
        waiter
    }

    /// `maybeInvokeSyncCallback`: the member's waiting SyncGroup, now to answer.
    pub fn take_sync_waiter(&mut self, member_id: &str) -> Option<Waiter> {
        self.members.get_mut(member_id)?.awaiting_sync.take()
    }

    /// `initNextGeneration`.
    pub fn init_next_generation(&mut self, now_ms: i64, lines: &mut Vec<LogLine>) {
        self.generation_id += 1;
        if !self.members.is_empty() {
            self.protocol_name = Some(self.select_protocol());
            self.subscribed_topics = self.compute_subscribed_topics(lines);
            self.transition_to(GroupState::CompletingRebalance, now_ms);
        } else {
            self.protocol_name = None;
            self.subscribed_topics = self.compute_subscribed_topics(lines);
            self.transition_to(GroupState::Empty, now_ms);
        }
        self.offsets.received_consumer_offset_commits = false;
        self.clear_pending_sync_members();
    }

    /// `currentMemberMetadata`: what the leader's JoinGroup answer lists.
    pub fn current_member_metadata(&self) -> Vec<JoinGroupResponseMember> {
        assert!(
            !self.is(GroupState::Dead) && !self.is(GroupState::PreparingRebalance),
            "Cannot obtain member metadata for group in state {}",
            self.state
        );
        let protocol = self.protocol_name.clone().unwrap_or_default();
        self.member_ids()
            .into_iter()
            .map(|id| {
                let m = self.get(&id);
                JoinGroupResponseMember {
                    member_id: id.clone(),
                    group_instance_id: m.group_instance_id.clone(),
                    metadata: m.metadata(&protocol),
                }
            })
            .collect()
    }

    pub fn summary(&self) -> GroupSummary {
        let stable = self.is(GroupState::Stable);
        let protocol = if stable {
            self.protocol_name
                .clone()
                .expect("Invalid null group protocol for stable group")
        } else {
            String::new()
        };
        let members = self
            .member_ids()
            .into_iter()
            .map(|id| {
                let m = self.get(&id);
                MemberSummary {
                    member_id: id.clone(),
                    group_instance_id: m.group_instance_id.clone(),
                    client_id: m.client_id.clone(),
                    client_host: m.client_host.clone(),
                    metadata: if stable {
                        m.metadata(&protocol)
                    } else {
                        Bytes::new()
                    },
                    assignment: if stable {
                        m.assignment.clone()
                    } else {
                        Bytes::new()
                    },
                }
            })
            .collect();
        GroupSummary {
            state: self.state.name().to_string(),
            protocol_type: self.protocol_type.clone().unwrap_or_default(),
            protocol,
            members,
        }
    }
}

impl GroupMetadata {
    /// `removeExpiredOffsets`: an empty group's offsets `retention_ms` after
    /// it became empty; a stable consumer group's offsets of topics it no
    /// longer subscribes to, and a group without a protocol's, that long
    /// after their commit. An offset committed with an expire timestamp
    /// (OffsetCommit v1-4 with a retention) expires then instead.
    pub fn remove_expired_offsets(
        &mut self,
        now_ms: i64,
        retention_ms: i64,
        lines: &mut Vec<LogLine>,
    ) -> Vec<(
        kafka_api::TopicPartition,
        super::log_format::OffsetAndMetadata,
    )> {
        let expired_after = |base: i64, expire: Option<i64>| match expire {
            None => now_ms - base >= retention_ms,
            Some(expire) => now_ms >= expire,
        };
        let state_timestamp = self.current_state_timestamp;
        let expired = match self.protocol_type.as_deref() {
            Some(_) if self.is(GroupState::Empty) => self.offsets.remove_expired(|_, c| {
                let o = &c.offset_and_metadata;
                expired_after(
                    state_timestamp.unwrap_or(o.commit_timestamp),
                    o.expire_timestamp,
                )
            }),
            Some(CONSUMER_PROTOCOL_TYPE)
                if self.is(GroupState::Stable) && self.subscribed_topics.is_some() =>
            {
                let subscribed = self.subscribed_topics.clone().unwrap_or_default();
                self.offsets.remove_expired(|tp, c| {
                    let o = &c.offset_and_metadata;
                    !subscribed.contains(&tp.topic)
                        && expired_after(o.commit_timestamp, o.expire_timestamp)
                })
            }
            None => self.offsets.remove_expired(|_, c| {
                let o = &c.offset_and_metadata;
                expired_after(o.commit_timestamp, o.expire_timestamp)
            }),
            Some(_) => Vec::new(),
        };
        if !expired.is_empty() {
            let names: Vec<String> = expired.iter().map(|(tp, _)| tp.to_string()).collect();
            lines.push(LogLine::new(
                Level::Debug,
                LOGGER,
                format!(
                    "Expired offsets from group '{}': {}",
                    self.group_id,
                    scala::set(&names)
                ),
            ));
        }
        expired
    }
}
