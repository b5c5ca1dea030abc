//! Replication on one broker: each partition's leader or follower state
//! (`partition`), as Kafka's `ReplicaManager` keeps it. The broker process
//! feeds it LeaderAndIsr requests, appends, follower fetches and the clock,
//! and carries out what it asks for (ISR writes, AlterIsr requests).

pub mod partition;

pub use partition::{IsrState, IsrUpdate, Outcome, Partition, ReplicaSettings};

#[cfg(test)]
mod tests;
