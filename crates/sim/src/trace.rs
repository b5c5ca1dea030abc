//! The trace: every event of the world, in order, as text that can be compared.

use std::fmt;

use crate::net::{ConnId, SocketAddr};
use crate::SimTime;

/// What happened. Messages appear twice: when sent and when delivered, so
/// a diagram can show them travel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceEvent {
    TimerSet {
        owner: u64,
        at: SimTime,
    },
    TimerFired {
        owner: u64,
    },
    TimerCancelled {
        owner: u64,
    },
    ProcessStarted {
        pid: u32,
        command: String,
    },
    ProcessExited {
        pid: u32,
        status: i32,
    },
    Signal {
        pid: u32,
        signal: &'static str,
    },
    Connect {
        conn: ConnId,
        from: SocketAddr,
        to: SocketAddr,
    },
    Accept {
        conn: ConnId,
        from: SocketAddr,
        to: SocketAddr,
    },
    ConnectFailed {
        conn: ConnId,
        to: SocketAddr,
        error: String,
    },
    Send {
        conn: ConnId,
        summary: String,
    },
    Deliver {
        conn: ConnId,
        summary: String,
    },
    Close {
        conn: ConnId,
        reason: String,
    },
    Partition {
        a: String,
        b: String,
    },
    Heal {
        a: String,
        b: String,
    },
    Note(String),
}

/// One line of the trace: when, on which host (if any), what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceRecord {
    pub at: SimTime,
    pub seq: u64,
    pub host: Option<String>,
    pub event: TraceEvent,
}

impl fmt::Display for TraceRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} #{} ", self.at, self.seq)?;
        if let Some(host) = &self.host {
            write!(f, "{host} ")?;
        }
        match &self.event {
            TraceEvent::TimerSet { owner, at } => write!(f, "timer-set owner={owner} at={at}"),
            TraceEvent::TimerFired { owner } => write!(f, "timer-fired owner={owner}"),
            TraceEvent::TimerCancelled { owner } => write!(f, "timer-cancelled owner={owner}"),
            TraceEvent::ProcessStarted { pid, command } => write!(f, "start pid={pid} {command}"),
            TraceEvent::ProcessExited { pid, status } => {
                write!(f, "exit pid={pid} status={status}")
            }
            TraceEvent::Signal { pid, signal } => write!(f, "signal pid={pid} SIG{signal}"),
            TraceEvent::Connect { conn, from, to } => write!(f, "connect {conn} {from} -> {to}"),
            TraceEvent::Accept { conn, from, to } => write!(f, "accept {conn} {from} -> {to}"),
            TraceEvent::ConnectFailed { conn, to, error } => {
                write!(f, "connect-failed {conn} -> {to}: {error}")
            }
            TraceEvent::Send { conn, summary } => write!(f, "send {conn} {summary}"),
            TraceEvent::Deliver { conn, summary } => write!(f, "deliver {conn} {summary}"),
            TraceEvent::Close { conn, reason } => write!(f, "close {conn} {reason}"),
            TraceEvent::Partition { a, b } => write!(f, "partition {a} | {b}"),
            TraceEvent::Heal { a, b } => write!(f, "heal {a} | {b}"),
            TraceEvent::Note(text) => write!(f, "note {text}"),
        }
    }
}
