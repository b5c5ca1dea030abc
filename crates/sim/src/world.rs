//! The world: virtual time, the seeded RNG, hosts with their file systems
//! and processes, the network, the event queue and the trace.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::net::Ipv4Addr;
use std::rc::Rc;

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

use crate::fs::{SharedFs, Vfs};
use crate::net::{ConnId, LinkConfig, NetError, Network, Segment};
use crate::process::{Event, Process, ProcessId, Signal};
use crate::timers::TimerQueue;
use crate::{Context, SimTime, TimerId, TimerKind, TimerOwner, TraceEvent, TraceRecord};

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

/// A shell timer that has come due, returned by [`World::step_until`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FiredTimer {
    pub id: TimerId,
    pub owner: TimerOwner,
    pub at: SimTime,
}

/// What one step of the world did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A shell timer came due (a `sleep` ends).
    Shell(FiredTimer),
    /// Something happened among the processes and the network.
    World,
}

/// Where a process's console output goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stdio {
    /// Kept for the terminal that started it ([`World::take_output`]).
    Capture,
    /// Appended to a file on its host (`nohup`, `-daemon`'s `.out` file).
    File(String),
    /// `/dev/null`.
    Null,
}

/// What `ps` knows of a process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessInfo {
    pub id: ProcessId,
    pub argv: Vec<String>,
    pub cwd: String,
    pub started: SimTime,
    /// Its console is a terminal (started from a shell, not as a daemon).
    pub on_terminal: bool,
}

/// Everything the world schedules.
#[derive(Debug)]
pub(crate) enum Due {
    Shell {
        owner: TimerOwner,
    },
    Start {
        pid: ProcessId,
    },
    Timer {
        pid: ProcessId,
        token: u64,
    },
    Stdin {
        pid: ProcessId,
        line: Option<String>,
    },
    Signal {
        pid: ProcessId,
        signal: Signal,
    },
    /// A connection attempt reaching the target host (after `attempt` retries).
    Syn {
        conn: ConnId,
        attempt: u32,
    },
    /// The answer to a connection attempt reaching the client.
    SynAck {
        conn: ConnId,
        result: Result<ConnId, NetError>,
    },
    /// A segment reaching the receiving end `to`.
    Segment {
        to: ConnId,
        to_host: HostName,
        from: ConnId,
        from_host: HostName,
        seq: u64,
        segment: Segment,
        sent: SimTime,
        attempt: u32,
    },
}

impl Due {
    fn process(&self) -> Option<&ProcessId> {
        match self {
            Due::Start { pid }
            | Due::Timer { pid, .. }
            | Due::Stdin { pid, .. }
            | Due::Signal { pid, .. } => Some(pid),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Host {
    pub(crate) ip: Ipv4Addr,
    pub(crate) next_pid: u32,
    pub(crate) fs: SharedFs,
}

/// The world minus its processes: what a process's [`Context`] works on.
#[derive(Debug)]
pub(crate) struct Core {
    pub(crate) config: WorldConfig,
    pub(crate) now: SimTime,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) queue: TimerQueue<Due>,
    pub(crate) hosts: BTreeMap<HostName, Host>,
    pub(crate) net: Network,
    /// Advisory file locks (`FileChannel.tryLock`): (host, absolute path) → holder.
    pub(crate) locks: BTreeMap<(HostName, String), ProcessId>,
    trace: VecDeque<TraceRecord>,
    trace_seq: u64,
    /// Longest trace kept in memory; older records are dropped first.
    trace_records_max: usize,
}

struct Slot {
    info: ProcessInfo,
    /// `None` while it handles an event, and once it has ended.
    process: Option<Box<dyn Process>>,
    stdio: Stdio,
    stdout: String,
    stderr: String,
    status: Option<i32>,
    /// Set when SIGKILL ended it (bash then reports `Killed`).
    killed: bool,
}

impl std::fmt::Debug for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Slot")
            .field("info", &self.info)
            .field("status", &self.status)
            .finish()
    }
}

/// What a process asked for while it handled an event.
#[derive(Debug, Default)]
pub(crate) struct Effects {
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) exit: Option<i32>,
}

/// The deterministic world. See the crate documentation.
#[derive(Debug)]
pub struct World {
    core: Core,
    processes: BTreeMap<ProcessId, Slot>,
}

impl Core {
    /// Adds an event to the trace.
    pub(crate) fn record(&mut self, host: Option<&str>, event: TraceEvent) {
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

    pub(crate) fn random_below(&mut self, bound: u64) -> u64 {
        assert!(bound > 0);
        self.rng.next_u64() % bound
    }

    pub(crate) fn schedule(&mut self, at: SimTime, kind: TimerKind, due: Due) -> TimerId {
        self.queue.insert(at.max(self.now), kind, due)
    }

    pub(crate) fn host(&self, name: &str) -> &Host {
        self.hosts.get(name).expect("a host of this world")
    }

    /// Takes the advisory lock on `path` for `pid`; false if another process holds it.
    pub(crate) fn try_lock(&mut self, pid: &ProcessId, path: &str) -> bool {
        let key = (pid.host.clone(), crate::fs::normalize("/", path));
        match self.locks.get(&key) {
            Some(holder) => holder == pid,
            None => {
                self.locks.insert(key, pid.clone());
                true
            }
        }
    }
}

impl World {
    pub fn new(config: WorldConfig) -> World {
        assert!(!config.hosts.is_empty(), "a world needs at least one host");
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let hosts = config
            .hosts
            .iter()
            .enumerate()
            .map(|(i, name)| {
                // Process ids start where a freshly booted Linux host's would be.
                let next_pid = 1_000 + (rng.next_u32() % 4_000);
                let host = Host {
                    ip: Ipv4Addr::new(10, 0, 0, 11 + i as u8),
                    next_pid,
                    fs: Rc::new(RefCell::new(Vfs::new(config.start_time))),
                };
                (name.clone(), host)
            })
            .collect();
        World {
            core: Core {
                now: config.start_time,
                config,
                rng,
                queue: TimerQueue::default(),
                hosts,
                net: Network::default(),
                locks: BTreeMap::new(),
                trace: VecDeque::new(),
                trace_seq: 0,
                trace_records_max: 100_000,
            },
            processes: BTreeMap::new(),
        }
    }

    pub fn config(&self) -> &WorldConfig {
        &self.core.config
    }

    pub fn now(&self) -> SimTime {
        self.core.now
    }

    /// A uniformly random number in `0..bound` from the world's RNG.
    pub fn random_below(&mut self, bound: u64) -> u64 {
        self.core.random_below(bound)
    }

    pub fn host_names(&self) -> impl Iterator<Item = &str> {
        self.core.hosts.keys().map(String::as_str)
    }

    /// A host's file system, shared with the terminals open on it.
    pub fn host_fs(&self, host: &str) -> Option<SharedFs> {
        self.core.hosts.get(host).map(|h| h.fs.clone())
    }

    /// A host's address on the network, such as `10.0.0.11`.
    pub fn host_ip(&self, host: &str) -> Option<Ipv4Addr> {
        self.core.hosts.get(host).map(|h| h.ip)
    }

    /// The next process id on `host`, as the host's kernel would hand it out.
    pub fn allocate_pid(&mut self, host: &str) -> u32 {
        let h = self
            .core
            .hosts
            .get_mut(host)
            .expect("allocate_pid on an unknown host");
        let pid = h.next_pid;
        h.next_pid += 1;
        pid
    }

    pub fn set_timer(&mut self, at: SimTime, owner: TimerOwner, kind: TimerKind) -> TimerId {
        let at = at.max(self.core.now);
        self.core
            .record(None, TraceEvent::TimerSet { owner: owner.0, at });
        self.core.schedule(at, kind, Due::Shell { owner })
    }

    pub fn cancel_timer(&mut self, id: TimerId, owner: TimerOwner) {
        if self.core.queue.cancel(id).is_some() {
            self.core
                .record(None, TraceEvent::TimerCancelled { owner: owner.0 });
        }
    }

    /// When the next event of any kind is due.
    pub fn next_timer_at(&self) -> Option<SimTime> {
        self.core.queue.peek_time()
    }

    /// When the next one-off event is due (periodic ticks ignored).
    pub fn next_one_shot_at(&self) -> Option<SimTime> {
        self.core.queue.next_of_kind(TimerKind::OneShot)
    }

    /// Does the next event if it is due at or before `until`, moving time to it.
    pub fn step_until(&mut self, until: SimTime) -> Option<Step> {
        let at = self.core.queue.peek_time()?;
        if at > until {
            return None;
        }
        let (at, id, due) = self.core.queue.pop().expect("peeked");
        assert!(at >= self.core.now, "events never happen in the past");
        self.core.now = at;
        for host in self.core.hosts.values() {
            host.fs.borrow_mut().set_now(at);
        }
        match due {
            Due::Shell { owner } => {
                self.core
                    .record(None, TraceEvent::TimerFired { owner: owner.0 });
                return Some(Step::Shell(FiredTimer { id, owner, at }));
            }
            Due::Start { pid } => self.dispatch(&pid, Event::Start),
            Due::Timer { pid, token } => self.dispatch(&pid, Event::Timer(token)),
            Due::Stdin { pid, line } => {
                let event = line.map_or(Event::StdinClosed, Event::Stdin);
                self.dispatch(&pid, event);
            }
            Due::Signal { pid, signal } => self.dispatch(&pid, Event::Signal(signal)),
            Due::Syn { conn, attempt } => {
                if let Some((pid, event)) = self.core.syn_arrives(conn, attempt) {
                    self.dispatch(&pid, event);
                }
            }
            Due::SynAck { conn, result } => {
                for (pid, event) in self.core.syn_ack_arrives(conn, result) {
                    self.dispatch(&pid, event);
                }
            }
            Due::Segment {
                to,
                to_host,
                from,
                from_host,
                seq,
                segment,
                sent,
                attempt,
            } => {
                let hosts = (from_host, to_host);
                for (pid, event) in
                    self.core
                        .segment_arrives((from, to), &hosts, seq, segment, sent, attempt)
                {
                    self.dispatch(&pid, event);
                }
            }
        }
        Some(Step::World)
    }

    /// Runs everything due within `duration`, then moves the clock to its
    /// end. Shell timers that come due are passed over: this is for worlds
    /// without a shell, such as the crates' tests.
    pub fn run_for(&mut self, duration: std::time::Duration) {
        let until = self.core.now + duration;
        while self.step_until(until).is_some() {}
        self.advance_clock_to(until);
    }

    /// Moves time forward to `t` when nothing is due before it.
    pub fn advance_clock_to(&mut self, t: SimTime) {
        if let Some(next) = self.next_timer_at() {
            assert!(next >= t, "advance_clock_to would skip a due event");
        }
        self.core.now = self.core.now.max(t);
        for host in self.core.hosts.values() {
            host.fs.borrow_mut().set_now(self.core.now);
        }
    }

    /// Adds an event to the trace.
    pub fn record(&mut self, host: Option<&str>, event: TraceEvent) {
        self.core.record(host, event);
    }

    /// The most recent records of the trace, oldest first.
    pub fn trace(&self) -> impl Iterator<Item = &TraceRecord> {
        self.core.trace.iter()
    }

    /// The whole trace as text, one record a line.
    pub fn trace_text(&self) -> String {
        self.core.trace.iter().map(|r| format!("{r}\n")).collect()
    }

    /// Starts a process on `host`; it gets [`Event::Start`] as the world's next event now.
    pub fn spawn(
        &mut self,
        host: &str,
        argv: Vec<String>,
        cwd: &str,
        stdio: Stdio,
        process: Box<dyn Process>,
    ) -> ProcessId {
        let pid = ProcessId {
            host: host.to_owned(),
            pid: self.allocate_pid(host),
        };
        self.core.record(
            Some(host),
            TraceEvent::ProcessStarted {
                pid: pid.pid,
                command: argv.join(" "),
            },
        );
        self.processes.insert(
            pid.clone(),
            Slot {
                info: ProcessInfo {
                    id: pid.clone(),
                    argv,
                    cwd: cwd.to_owned(),
                    started: self.core.now,
                    on_terminal: stdio == Stdio::Capture,
                },
                process: Some(process),
                stdio,
                stdout: String::new(),
                stderr: String::new(),
                status: None,
                killed: false,
            },
        );
        let now = self.core.now;
        self.core
            .schedule(now, TimerKind::OneShot, Due::Start { pid: pid.clone() });
        pid
    }

    /// The processes running now, by host and pid.
    pub fn processes(&self) -> Vec<ProcessInfo> {
        self.processes
            .values()
            .filter(|s| s.status.is_none())
            .map(|s| s.info.clone())
            .collect()
    }

    pub fn is_running(&self, pid: &ProcessId) -> bool {
        self.processes.get(pid).is_some_and(|s| s.status.is_none())
    }

    /// Console output captured since the last call: (stdout, stderr).
    pub fn take_output(&mut self, pid: &ProcessId) -> (String, String) {
        match self.processes.get_mut(pid) {
            Some(slot) => (
                std::mem::take(&mut slot.stdout),
                std::mem::take(&mut slot.stderr),
            ),
            None => Default::default(),
        }
    }

    /// Whether console output waits to be taken.
    pub fn has_output(&self, pid: &ProcessId) -> bool {
        self.processes
            .get(pid)
            .is_some_and(|s| !s.stdout.is_empty() || !s.stderr.is_empty())
    }

    /// The exit status once the process has ended (128 + n when a signal n ended it).
    pub fn exit_status(&self, pid: &ProcessId) -> Option<i32> {
        self.processes.get(pid).and_then(|s| s.status)
    }

    /// Whether SIGKILL ended the process (rather than its own exit).
    pub fn was_killed(&self, pid: &ProcessId) -> bool {
        self.processes.get(pid).is_some_and(|s| s.killed)
    }

    /// Forgets an ended process once its status has been collected.
    pub fn reap(&mut self, pid: &ProcessId) {
        if self.exit_status(pid).is_some() {
            self.processes.remove(pid);
        }
    }

    /// A line typed at the process's terminal.
    pub fn write_stdin(&mut self, pid: &ProcessId, line: String) {
        self.stdin(pid, Some(line));
    }

    /// End of the process's input.
    pub fn close_stdin(&mut self, pid: &ProcessId) {
        self.stdin(pid, None);
    }

    /// Delivers a line, or the end of input (`None`), now.
    fn stdin(&mut self, pid: &ProcessId, line: Option<String>) {
        if self.is_running(pid) {
            let now = self.core.now;
            self.core.schedule(
                now,
                TimerKind::OneShot,
                Due::Stdin {
                    pid: pid.clone(),
                    line,
                },
            );
        }
    }

    /// Sends a signal; SIGKILL ends the process at once. False if it is not running.
    pub fn signal(&mut self, pid: &ProcessId, signal: Signal) -> bool {
        if !self.is_running(pid) {
            return false;
        }
        self.core.record(
            Some(&pid.host),
            TraceEvent::Signal {
                pid: pid.pid,
                signal: signal.name(),
            },
        );
        if signal == Signal::Kill {
            if let Some(slot) = self.processes.get_mut(pid) {
                slot.killed = true;
            }
            self.finish(pid, 128 + Signal::Kill.number());
        } else {
            let now = self.core.now;
            self.core.schedule(
                now,
                TimerKind::OneShot,
                Due::Signal {
                    pid: pid.clone(),
                    signal,
                },
            );
        }
        true
    }

    /// Cuts the network between two hosts, both ways.
    pub fn partition(&mut self, a: &str, b: &str) {
        if a != b && self.core.net.partitions.insert(Network::pair(a, b)) {
            self.core.record(
                None,
                TraceEvent::Partition {
                    a: a.to_owned(),
                    b: b.to_owned(),
                },
            );
        }
    }

    /// Mends a cut made by [`World::partition`].
    pub fn heal(&mut self, a: &str, b: &str) {
        if self.core.net.partitions.remove(&Network::pair(a, b)) {
            self.core.record(
                None,
                TraceEvent::Heal {
                    a: a.to_owned(),
                    b: b.to_owned(),
                },
            );
        }
    }

    /// Sets the latency, jitter and loss between two hosts.
    pub fn set_link(&mut self, a: &str, b: &str, link: LinkConfig) {
        self.core.net.links.insert(Network::pair(a, b), link);
    }

    /// Hands an event to a process and applies what it asked for.
    fn dispatch(&mut self, pid: &ProcessId, event: Event) {
        let Some(mut process) = self.processes.get_mut(pid).and_then(|s| s.process.take()) else {
            return;
        };
        let mut effects = Effects::default();
        {
            let mut ctx = Context::new(&mut self.core, pid, &mut effects);
            process.handle(&mut ctx, event);
        }
        let slot = self.processes.get_mut(pid).expect("slot kept");
        match &slot.stdio {
            Stdio::Capture => {
                slot.stdout.push_str(&effects.stdout);
                slot.stderr.push_str(&effects.stderr);
            }
            Stdio::File(path) => {
                let text = effects.stdout + &effects.stderr;
                if !text.is_empty() {
                    let fs = self.core.host(&pid.host).fs.clone();
                    let _ = fs.borrow_mut().append(path, text.as_bytes());
                }
            }
            Stdio::Null => {}
        }
        match effects.exit {
            Some(status) => self.finish(pid, status),
            None => slot.process = Some(process),
        }
    }

    /// Ends a process: its connections close, its ports free up, its events go.
    fn finish(&mut self, pid: &ProcessId, status: i32) {
        let Some(slot) = self.processes.get_mut(pid) else {
            return;
        };
        if slot.status.is_some() {
            return;
        }
        slot.process = None;
        slot.status = Some(status);
        self.core.record(
            Some(&pid.host),
            TraceEvent::ProcessExited {
                pid: pid.pid,
                status,
            },
        );
        self.core
            .queue
            .remove_where(|due| due.process() == Some(pid));
        self.core.close_all_of(pid);
        self.core.locks.retain(|_, holder| holder != pid);
    }
}
