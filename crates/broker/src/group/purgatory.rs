//! The coordinator's delayed operations (the heartbeat and rebalance
//! purgatories): a member's session expiring (`DelayedHeartbeat`), a
//! rebalance waiting for its members to join (`DelayedJoin`, and
//! `InitialDelayedJoin` for an empty group's first), and a new generation
//! waiting for its members' SyncGroups (`DelayedSync`). Each is watched
//! under a key (the member, or the group's join or sync) and has a
//! deadline; what completing or expiring one does is the coordinator's.

use std::collections::BTreeMap;

/// The arena key of a group object: the coordinator keeps a group that left
/// its cache alive while an operation still refers to it, as Kafka's
/// operations hold the object itself.
pub type GroupRef = u64;

/// `InitialDelayedJoin`'s parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InitialDelay {
    pub configured_rebalance_delay: i32,
    pub delay_ms: i32,
    pub remaining_ms: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpKind {
    Heartbeat {
        member_id: String,
        is_pending: bool,
    },
    /// `DelayedJoin`, or `InitialDelayedJoin` with its delays.
    Join {
        initial: Option<InitialDelay>,
    },
    Sync {
        generation_id: i32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Op {
    pub group: GroupRef,
    pub group_id: String,
    pub kind: OpKind,
    pub deadline_ms: i64,
}

/// What an operation is watched under (`MemberKey`, `GroupJoinKey`, `GroupSyncKey`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key<'a> {
    Member(&'a str, &'a str),
    Join(&'a str),
    Sync(&'a str),
}

impl Op {
    fn watched_under(&self, key: &Key) -> bool {
        match (key, &self.kind) {
            (Key::Member(g, m), OpKind::Heartbeat { member_id, .. }) => {
                *g == self.group_id && *m == member_id
            }
            (Key::Join(g), OpKind::Join { .. }) | (Key::Sync(g), OpKind::Sync { .. }) => {
                *g == self.group_id
            }
            _ => false,
        }
    }
}

/// The operations not yet completed, in the order they were added.
#[derive(Clone, Debug, Default)]
pub struct Purgatory {
    ops: BTreeMap<u64, Op>,
    next_id: u64,
}

impl Purgatory {
    pub fn add(&mut self, op: Op) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.ops.insert(id, op);
        id
    }

    pub fn get(&self, id: u64) -> Option<&Op> {
        self.ops.get(&id)
    }

    pub fn remove(&mut self, id: u64) -> Option<Op> {
        self.ops.remove(&id)
    }

    /// The operations watched under `key`, oldest first.
    pub fn watching(&self, key: &Key) -> Vec<u64> {
        self.ops
            .iter()
            .filter(|(_, op)| op.watched_under(key))
            .map(|(&id, _)| id)
            .collect()
    }

    /// The operation due first at `now_ms`, if any is due.
    pub fn next_expired(&self, now_ms: i64) -> Option<u64> {
        self.ops
            .iter()
            .filter(|(_, op)| op.deadline_ms <= now_ms)
            .min_by_key(|(&id, op)| (op.deadline_ms, id))
            .map(|(&id, _)| id)
    }

    pub fn next_deadline(&self) -> Option<i64> {
        self.ops.values().map(|op| op.deadline_ms).min()
    }

    /// Whether an operation refers to the group object.
    pub fn refers_to(&self, group: GroupRef) -> bool {
        self.ops.values().any(|op| op.group == group)
    }
}
