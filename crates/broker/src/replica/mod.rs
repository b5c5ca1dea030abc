//! Replication on one broker: each partition's leader or follower state
//! (`partition`) and the `ReplicaManager` over them (`manager`): LeaderAndIsr,
//! produce with its acks, fetches from consumers and followers, and the
//! requests that wait. The broker process feeds it requests and the clock,
//! and carries out what it asks for (ISR writes, AlterIsr requests, fetchers).

pub mod fetcher;
pub mod manager;
pub mod partition;

pub use fetcher::{FetcherRequest, FetcherSettings, ReplicaFetcher};
pub use manager::{
    Completed, FetchResult, FetcherChange, ProduceResult, ReplicaManager, RequestId, TopicSettings,
};
pub use partition::{IsrState, IsrUpdate, Outcome, Partition, ReplicaSettings};

#[cfg(test)]
mod tests;
