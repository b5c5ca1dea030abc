//! The deterministic simulator everything in the playground runs in.
//!
//! A [`World`] owns virtual time, one seeded RNG, the hosts (`kafka-1`, ...)
//! with their file systems ([`fs`]), the processes running on them
//! ([`Process`], driven one [`Event`] at a time through a [`Context`]), the
//! network between them ([`net`]: TCP-like connections with latency, loss
//! and partitions), one queue of everything due ordered by (virtual time,
//! sequence number), and a trace of every event. Nothing here reads a real
//! clock, a real socket or a global RNG: the same seed and the same inputs
//! give the same trace, byte for byte.

mod clock;
mod context;
pub mod fs;
pub mod net;
mod process;
mod storage;
mod timers;
mod trace;
mod transport;
mod world;

pub use clock::SimTime;
pub use context::Context;
pub use net::{ConnId, LinkConfig, NetError, SocketAddr};
pub use process::{
    downcast, AsAny, Event, Message, Payload, Process, ProcessId, ProcessTimer, RawBytes, Signal,
};
pub use storage::HostStorage;
pub use timers::{TimerId, TimerKind, TimerOwner};
pub use trace::{TraceEvent, TraceRecord};
pub use world::{FiredTimer, HostName, ProcessInfo, Stdio, Step, World, WorldConfig};
