//! The trace: every event of the world, in order, as text that can be compared.

use std::fmt;

use crate::SimTime;

/// What happened. Later issues add produce, replicate, elect, isr-change, ...
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceEvent {
    TimerSet { owner: u64, at: SimTime },
    TimerFired { owner: u64 },
    TimerCancelled { owner: u64 },
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
            TraceEvent::Note(text) => write!(f, "note {text}"),
        }
    }
}
