//! A ZooKeeper-like coordinator, as Kafka of the book keeps its metadata in:
//! ZooKeeper's data model (znodes with a full `Stat`, sequential and
//! ephemeral nodes, one-shot watches, multi, ACLs), its sessions, its
//! consistency guarantees, its servers — standalone and an ensemble with
//! leader election and majority commit — and its client, as processes of
//! the simulator; its `dataDir` is kept in ZooKeeper's layout.
//!
//! The research behind the behaviour, with sources per release, is in
//! `ZOOKEEPER-SEMANTICS.md`, `ZOOKEEPER-REFERENCE.md` and
//! `KAFKA-ZK-LAYOUT.md` beside this crate.

pub mod acl;
pub mod cli;
pub mod client;
pub mod config;
pub mod election;
pub mod error;
mod fourlw;
pub mod java;
pub mod jute;
pub mod jvm;
pub mod persist;
pub mod prep;
pub mod proto;
mod quorum;
pub mod server;
pub mod session;
pub mod tree;
pub mod txn;
pub mod watch;
pub mod zab;

pub use acl::Acl;
pub use error::{ErrorCode, KeeperError};
pub use prep::{CreateMode, Outstanding, WriteOp};
pub use tree::{DataTree, Node, Stat};
pub use txn::{Txn, TxnHeader};
pub use watch::{EventType, KeeperState, WatchKind, WatchManager, Watcher};

/// Which ZooKeeper a distribution bundles, where their behaviour differs:
/// Kafka 0.8.0 ships 3.3.4, Kafka 2.8.2 ships 3.5.9.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ZkVersion {
    V3_3,
    V3_5,
}
