//! The event queue: everything the world will do, ordered by (virtual time,
//! sequence number), so equal times happen in the order they were scheduled.

use std::collections::BTreeMap;

use crate::SimTime;

/// Who a shell timer belongs to; the world does not interpret it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerOwner(pub u64);

/// A handle to cancel a timer. Ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId(u64);

/// Whether an event is a one-off or the next tick of a periodic task.
///
/// The difference matters to "settling" (running until the world is quiet):
/// periodic ticks, such as a broker's log-retention check or a client's
/// heartbeat, happen forever and therefore never keep the world from being
/// quiet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerKind {
    OneShot,
    Periodic,
}

/// Entries keyed by (due time, sequence).
#[derive(Debug)]
pub(crate) struct TimerQueue<T> {
    next_seq: u64,
    entries: BTreeMap<(SimTime, u64), (TimerKind, T)>,
    due_of: BTreeMap<u64, SimTime>,
}

impl<T> Default for TimerQueue<T> {
    fn default() -> Self {
        TimerQueue {
            next_seq: 0,
            entries: BTreeMap::new(),
            due_of: BTreeMap::new(),
        }
    }
}

impl<T> TimerQueue<T> {
    pub(crate) fn insert(&mut self, at: SimTime, kind: TimerKind, item: T) -> TimerId {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.entries.insert((at, seq), (kind, item));
        self.due_of.insert(seq, at);
        TimerId(seq)
    }

    pub(crate) fn cancel(&mut self, id: TimerId) -> Option<T> {
        let at = self.due_of.remove(&id.0)?;
        self.entries.remove(&(at, id.0)).map(|(_, item)| item)
    }

    pub(crate) fn peek_time(&self) -> Option<SimTime> {
        self.entries.keys().next().map(|&(at, _)| at)
    }

    pub(crate) fn next_of_kind(&self, kind: TimerKind) -> Option<SimTime> {
        self.entries
            .iter()
            .find(|(_, (k, _))| *k == kind)
            .map(|(&(at, _), _)| at)
    }

    pub(crate) fn pop(&mut self) -> Option<(SimTime, TimerId, T)> {
        let ((at, seq), (_, item)) = self.entries.pop_first()?;
        self.due_of.remove(&seq);
        Some((at, TimerId(seq), item))
    }

    /// Drops every entry `doomed` picks (a process that ended).
    pub(crate) fn remove_where(&mut self, mut doomed: impl FnMut(&T) -> bool) {
        let keys: Vec<(SimTime, u64)> = self
            .entries
            .iter()
            .filter(|(_, (_, item))| doomed(item))
            .map(|(k, _)| *k)
            .collect();
        for key in keys {
            self.entries.remove(&key);
            self.due_of.remove(&key.1);
        }
    }
}
