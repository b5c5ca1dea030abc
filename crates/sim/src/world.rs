//! The world: virtual time, the seeded RNG, hosts, timers and the trace.

use std::collections::{BTreeMap, VecDeque};

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

use crate::timers::{Timer, TimerQueue};
use crate::{SimTime, TimerId, TimerKind, TimerOwner, TraceEvent, TraceRecord};

/// A host's name, such as `kafka-1`.
pub type HostName = String;

/// How to build a world. Same config and same inputs give the same trace.
#[derive(Clone, Debug)]
pub struct WorldConfig {
    pub seed: u64,
    pub start_time: SimTime,
    pub hosts: Vec<HostName>,
}

impl WorldConfig {
    /// `2013-10-01T00:00:00Z`, when the book's Kafka 0.8.0 was current.
    pub const DEFAULT_START_TIME: SimTime = SimTime::from_unix_millis(1_380_585_600_000);

    /// The playground's fresh world: three hosts, `kafka-1` to `kafka-3`.
    pub fn playground(seed: u64, start_time: SimTime) -> WorldConfig {
        WorldConfig {
            seed,
            start_time,
            hosts: (1..=3).map(|i| format!("kafka-{i}")).collect(),
        }
    }
}

/// A timer that has come due, returned by [`World::fire_next_until`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FiredTimer {
    pub id: TimerId,
    pub owner: TimerOwner,
    pub at: SimTime,
}

#[derive(Debug)]
struct Host {
    next_pid: u32,
}

/// The deterministic world. See the crate documentation.
#[derive(Debug)]
pub struct World {
    config: WorldConfig,
    now: SimTime,
    rng: ChaCha8Rng,
    timers: TimerQueue,
    hosts: BTreeMap<HostName, Host>,
    trace: VecDeque<TraceRecord>,
    trace_seq: u64,
    /// Longest trace kept in memory; older records are dropped first.
    trace_records_max: usize,
}

impl World {
    pub fn new(config: WorldConfig) -> World {
        assert!(!config.hosts.is_empty(), "a world needs at least one host");
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let hosts = config
            .hosts
            .iter()
            .map(|name| {
                // Process ids start where a freshly booted Linux host's would be.
                let next_pid = 1_000 + (rng.next_u32() % 4_000);
                (name.clone(), Host { next_pid })
            })
            .collect();
        World {
            now: config.start_time,
            config,
            rng,
            timers: TimerQueue::default(),
            hosts,
            trace: VecDeque::new(),
            trace_seq: 0,
            trace_records_max: 100_000,
        }
    }

    pub fn config(&self) -> &WorldConfig {
        &self.config
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// A uniformly random number in `0..bound` from the world's RNG.
    pub fn random_below(&mut self, bound: u64) -> u64 {
        assert!(bound > 0);
        self.rng.next_u64() % bound
    }

    pub fn host_names(&self) -> impl Iterator<Item = &str> {
        self.hosts.keys().map(String::as_str)
    }

    /// The next process id on `host`, as the host's kernel would hand it out.
    pub fn allocate_pid(&mut self, host: &str) -> u32 {
        let h = self
            .hosts
            .get_mut(host)
            .expect("allocate_pid on an unknown host");
        let pid = h.next_pid;
        h.next_pid += 1;
        pid
    }

    pub fn set_timer(&mut self, at: SimTime, owner: TimerOwner, kind: TimerKind) -> TimerId {
        let at = at.max(self.now);
        self.record(None, TraceEvent::TimerSet { owner: owner.0, at });
        self.timers.insert(at, Timer { owner, kind })
    }

    pub fn cancel_timer(&mut self, id: TimerId, owner: TimerOwner) {
        if self.timers.cancel(id) {
            self.record(None, TraceEvent::TimerCancelled { owner: owner.0 });
        }
    }

    /// When the next timer of any kind is due.
    pub fn next_timer_at(&self) -> Option<SimTime> {
        self.timers.peek().map(|(at, _)| at)
    }

    /// When the next one-shot timer is due (periodic ticks ignored).
    pub fn next_one_shot_at(&self) -> Option<SimTime> {
        self.timers.next_of_kind(TimerKind::OneShot)
    }

    /// Fires the next timer if it is due at or before `until`, moving time to it.
    pub fn fire_next_until(&mut self, until: SimTime) -> Option<FiredTimer> {
        let (at, _) = self.timers.peek()?;
        if at > until {
            return None;
        }
        let (at, id, timer) = self.timers.pop().expect("peeked timer is there");
        assert!(at >= self.now, "timers never fire in the past");
        self.now = at;
        self.record(
            None,
            TraceEvent::TimerFired {
                owner: timer.owner.0,
            },
        );
        Some(FiredTimer {
            id,
            owner: timer.owner,
            at,
        })
    }

    /// Moves time forward to `t` when no timer is due before it.
    pub fn advance_clock_to(&mut self, t: SimTime) {
        if let Some(next) = self.next_timer_at() {
            assert!(next >= t, "advance_clock_to would skip a due timer");
        }
        self.now = self.now.max(t);
    }

    /// Adds an event to the trace.
    pub fn record(&mut self, host: Option<&str>, event: TraceEvent) {
        let record = TraceRecord {
            at: self.now,
            seq: self.trace_seq,
            host: host.map(str::to_owned),
            event,
        };
        self.trace_seq += 1;
        if self.trace.len() == self.trace_records_max {
            self.trace.pop_front();
        }
        self.trace.push_back(record);
    }

    /// The most recent records of the trace, oldest first.
    pub fn trace(&self) -> impl Iterator<Item = &TraceRecord> {
        self.trace.iter()
    }

    /// The whole trace as text, one record a line.
    pub fn trace_text(&self) -> String {
        self.trace.iter().map(|r| format!("{r}\n")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn world(seed: u64) -> World {
        World::new(WorldConfig::playground(
            seed,
            WorldConfig::DEFAULT_START_TIME,
        ))
    }

    /// A small workload driven only by the world's RNG and timers.
    fn run_workload(seed: u64) -> String {
        let mut w = world(seed);
        for owner in 0..20 {
            let delay = Duration::from_micros(w.random_below(5_000_000));
            let kind = if owner % 3 == 0 {
                TimerKind::Periodic
            } else {
                TimerKind::OneShot
            };
            let at = w.now() + delay;
            let id = w.set_timer(at, TimerOwner(owner), kind);
            if owner % 7 == 0 {
                w.cancel_timer(id, TimerOwner(owner));
            }
        }
        let end = w.now() + Duration::from_secs(10);
        while let Some(fired) = w.fire_next_until(end) {
            let host = format!("kafka-{}", 1 + w.random_below(3));
            let pid = w.allocate_pid(&host);
            w.record(
                Some(&host),
                TraceEvent::Note(format!("owner {} pid {pid}", fired.owner.0)),
            );
        }
        w.trace_text()
    }

    #[test]
    fn same_seed_same_trace_byte_for_byte() {
        for seed in 0..50 {
            assert_eq!(run_workload(seed), run_workload(seed), "seed {seed}");
        }
    }

    #[test]
    fn different_seeds_give_different_traces() {
        assert_ne!(run_workload(1), run_workload(2));
    }

    #[test]
    fn timers_fire_in_time_then_sequence_order() {
        let mut w = world(7);
        let t = w.now() + Duration::from_secs(1);
        w.set_timer(t, TimerOwner(2), TimerKind::OneShot);
        w.set_timer(t, TimerOwner(1), TimerKind::OneShot);
        w.set_timer(w.now(), TimerOwner(3), TimerKind::Periodic);
        let order: Vec<u64> =
            std::iter::from_fn(|| w.fire_next_until(t).map(|f| f.owner.0)).collect();
        assert_eq!(order, vec![3, 2, 1]);
        assert_eq!(w.now(), t);
    }

    #[test]
    fn one_shot_lookup_skips_periodic_ticks() {
        let mut w = world(1);
        let start = w.now();
        w.set_timer(
            start + Duration::from_millis(5),
            TimerOwner(1),
            TimerKind::Periodic,
        );
        w.set_timer(
            start + Duration::from_millis(50),
            TimerOwner(2),
            TimerKind::OneShot,
        );
        assert_eq!(w.next_timer_at(), Some(start + Duration::from_millis(5)));
        assert_eq!(
            w.next_one_shot_at(),
            Some(start + Duration::from_millis(50))
        );
    }

    #[test]
    fn timers_do_not_fire_after_the_limit_and_time_stays() {
        let mut w = world(1);
        let start = w.now();
        w.set_timer(
            start + Duration::from_secs(5),
            TimerOwner(1),
            TimerKind::OneShot,
        );
        assert_eq!(w.fire_next_until(start + Duration::from_secs(4)), None);
        assert_eq!(w.now(), start);
        w.advance_clock_to(start + Duration::from_secs(4));
        assert_eq!(w.now(), start + Duration::from_secs(4));
    }
}
