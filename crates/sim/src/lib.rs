//! The deterministic simulator everything in the playground runs in.
//!
//! A [`World`] owns virtual time, one seeded RNG, the hosts (`kafka-1`, ...), a
//! queue of timers ordered by (virtual time, sequence number) and a trace of
//! every event. Nothing here reads a real clock or a global RNG: the same seed
//! and the same inputs give the same trace, byte for byte. Later issues grow
//! the world with processes, a network and disks; the foundation needs time,
//! timers, randomness and host names.

mod clock;
mod timers;
mod trace;
mod world;

pub use clock::SimTime;
pub use timers::{TimerId, TimerKind, TimerOwner};
pub use trace::{TraceEvent, TraceRecord};
pub use world::{FiredTimer, HostName, World, WorldConfig};
