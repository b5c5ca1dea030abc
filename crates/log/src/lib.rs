//! A partition's log as Kafka keeps it on disk.
//!
//! [`Log`] holds a partition's [`LogSegment`]s in memory (the read path) and
//! writes through [`FileOp`]s to a [`Storage`]: `.log` files of batches,
//! preallocated sparse `.index`/`.timeindex` files, checkpoints, producer
//! snapshots, in Kafka's directory layout and byte formats. It rolls
//! segments, flushes by Kafka's policy, truncates, applies retention and
//! compaction, and recovers from torn writes, following the rules of the
//! release the broker runs ([`LogVersion`]). No I/O, no clock: `now_ms` is
//! an argument, operations are returned. `KAFKA-FORMATS.md` holds the
//! research behind the formats and rules, with sources.

pub mod checkpoint;
mod cleaner;
mod config;
mod error;
pub mod file_records;
pub mod index;
mod leader_epoch;
mod lines;
mod log;
mod log_manager;
mod producer_state;
mod recovery;
mod retention;
mod segment;
pub mod storage;

pub use cleaner::CleanResult;
pub use config::{LogConfig, LogVersion};
pub use error::LogError;
pub use file_records::FileRecords;
pub use leader_epoch::LeaderEpochCache;
pub use lines::{Level, LogLine};
pub use log::{partition_dir, FetchData, Log, LogAppendInfo};
pub use log_manager::{parse_partition_dir, LogManager, LogManagerConfig, TopicPartition};
pub use producer_state::{ProducerEntry, ProducerStateManager};
pub use recovery::{OpenOptions, RecoveryReport, Truncation};
pub use segment::{BatchEntry, LogSegment};
pub use storage::{DirSnapshot, FileOp, MemoryStorage, SparseFile, Storage, StorageError};
