//! The controller's decisions, pure: `ControllerContext` (what the
//! controller knows of brokers, topics and partitions) and the partition and
//! replica state machines that turn an event — a new topic, a broker that
//! died, started or is shutting down, an ISR change, a preferred leader
//! election — into the writes to ZooKeeper and the LeaderAndIsr,
//! UpdateMetadata and StopReplica requests Kafka's controller makes. The
//! broker process owns the ZooKeeper session and the connections; it feeds
//! events in and carries out the [`Decisions`] that come out.

pub mod context;
pub mod state_machines;

pub use context::{ControllerContext, LeaderIsrAndControllerEpoch};
pub use state_machines::{Decisions, ZkWrite};
