//! The Kafka broker, as each release of the playground runs it.
//!
//! So far:
//! - [`config`]: `server.properties` and `--override` read as Kafka 0.8.0
//!   and 2.8.2 read them, with their log lines and fatal errors;
//! - [`admin`]: where a topic's replicas go;
//! - [`election`]: which replica leads a partition;
//! - [`controller`]: the controller's state machines, as decisions (ZooKeeper
//!   writes and requests to brokers);
//! - [`replica`]: each partition's replication — ISR, high watermark, acks,
//!   purgatories, followers' fetchers;
//! - [`metadata_cache`]: what the broker knows of the cluster for Metadata;
//! - [`group`]: 2.8.2's group coordinator — consumer groups' membership,
//!   rebalances and committed offsets in `__consumer_offsets`;
//! - [`apis`]: one request in, its answer out, in the release's versions;
//! - [`replication_check`]: a seeded model of replication under faults and
//!   the invariants checked on it (`kplay sim`);
//! - [`server`]: the broker process (`kafka.Kafka`) from start-up to
//!   shutdown — its log lines, ZooKeeper session, registration, errors, and
//!   the controller's election and broker tracking.
//!
//! It is pure: no clock, no files, no threads; the broker process acts only
//! through the simulator's `Context`.

pub mod admin;
pub mod apis;
pub mod config;
pub mod controller;
pub mod election;
pub mod group;
pub mod metadata_cache;
pub mod replica;
pub mod replication_check;
pub(crate) mod scala;
pub mod server;
