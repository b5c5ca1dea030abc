//! The timer queue: timers ordered by (virtual time, sequence number).

use std::collections::BTreeMap;

use crate::SimTime;

/// Who a timer belongs to; the world does not interpret it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerOwner(pub u64);

/// A handle to cancel a timer. Ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId(u64);

/// Whether a timer is a one-off event or the next tick of a periodic task.
///
/// The difference matters to "settling" (running until the world is quiet):
/// periodic ticks, such as a broker's log-retention check, happen forever and
/// therefore never keep the world from being quiet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerKind {
    OneShot,
    Periodic,
}

#[derive(Clone, Debug)]
pub(crate) struct Timer {
    pub(crate) owner: TimerOwner,
    pub(crate) kind: TimerKind,
}

/// Timers keyed by (due time, sequence): equal due times fire in the order set.
#[derive(Default, Debug)]
pub(crate) struct TimerQueue {
    next_seq: u64,
    entries: BTreeMap<(SimTime, u64), Timer>,
    due_of: BTreeMap<u64, SimTime>,
}

impl TimerQueue {
    pub(crate) fn insert(&mut self, at: SimTime, timer: Timer) -> TimerId {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.entries.insert((at, seq), timer);
        self.due_of.insert(seq, at);
        TimerId(seq)
    }

    pub(crate) fn cancel(&mut self, id: TimerId) -> bool {
        match self.due_of.remove(&id.0) {
            Some(at) => self.entries.remove(&(at, id.0)).is_some(),
            None => false,
        }
    }

    pub(crate) fn peek(&self) -> Option<(SimTime, &Timer)> {
        self.entries.iter().next().map(|(&(at, _), t)| (at, t))
    }

    pub(crate) fn next_of_kind(&self, kind: TimerKind) -> Option<SimTime> {
        self.entries
            .iter()
            .find(|(_, t)| t.kind == kind)
            .map(|(&(at, _), _)| at)
    }

    pub(crate) fn pop(&mut self) -> Option<(SimTime, TimerId, Timer)> {
        let ((at, seq), timer) = self.entries.pop_first()?;
        self.due_of.remove(&seq);
        Some((at, TimerId(seq), timer))
    }
}
