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
//! - [`apis`]: one request in, its answer out, in the release's versions.
//!
//! It is pure: no clock, no files, no threads.

pub mod admin;
pub mod apis;
pub mod config;
pub mod controller;
pub mod election;
pub mod metadata_cache;
pub mod replica;
mod scala;
