//! The group coordinator of Kafka 2.8.2 (`kafka.coordinator.group`):
//! consumer groups' membership, rebalances and committed offsets, kept in
//! `__consumer_offsets`. Kafka 0.8.0 has none: its consumers rebalance
//! through ZooKeeper. Pure and sans-IO like the replica manager: requests
//! and the clock (`now_ms`) in; answers, records to append, partitions to
//! load and log lines out.
//!
//! - `coordinator`: [`GroupCoordinator`] — its outputs, the checks every
//!   request passes, appends answered, time and the delayed operations;
//! - `election`: the offsets partitions it gains (loading) and loses;
//! - `join`: JoinGroup and the rebalance it starts; `sync`: SyncGroup and
//!   the assignment it hands out;
//! - `membership`: Heartbeat, LeaveGroup and members' sessions;
//! - `handlers`: OffsetCommit, OffsetFetch, DescribeGroups, ListGroups,
//!   DeleteGroups;
//! - `find`: FindCoordinator from the broker's metadata cache;
//! - `metadata` and `member`: `GroupMetadata` and `MemberMetadata`, a
//!   group's state machine and its members; `offsets`: a group's offsets;
//! - `manager`: `GroupMetadataManager` — the cache of groups, the owned and
//!   loading partitions; `store`: its appends; `load`: its loading;
//! - `log_format`: the key and value schemas of `__consumer_offsets`;
//! - `purgatory`: the heartbeat, join and sync operations that wait;
//! - `scala`: the iteration orders of Scala's collections, `UUID`;
//! - `config`: `GroupConfig` and `OffsetConfig`.
//!
//! A broker process wires it so: `startup` with the offsets topic's
//! partition count; on LeaderAndIsr, `on_election`/`on_resignation` for
//! the offsets partitions, then each `take_loads` task loaded with the
//! partition's records; each request to its handler (`None` means the
//! answer comes through `take_completed`); each `take_appends` record set
//! appended through the replica manager (`required_acks`, `timeout_ms`)
//! and its answer given to `append_completed`; `tick` at `next_due_ms`.

pub mod config;
mod coordinator;
mod election;
pub mod find;
mod handlers;
mod join;
mod load;
pub mod log_format;
mod manager;
mod member;
mod membership;
mod metadata;
mod offsets;
mod purgatory;
mod store;
mod sync;

pub use config::{GroupConfig, OffsetConfig};
pub use coordinator::{Completed, GroupCoordinator, LOGGER, NEW_MEMBER_JOIN_TIMEOUT_MS};
pub use find::{find_coordinator, FindCoordinatorAnswer};
pub use handlers::GROUP_AUTHORIZED_OPERATIONS;
pub use log_format::OffsetAndMetadata;
pub use manager::{LoadTask, LOGGER as MANAGER_LOGGER};
pub use member::MemberMetadata;
pub use metadata::{GroupMetadata, GroupState, CONSUMER_PROTOCOL_TYPE};
pub use store::{Append, AppendId};

#[cfg(test)]
mod tests;
