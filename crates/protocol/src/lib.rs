//! Kafka's record formats, byte for byte as Kafka writes them.
//!
//! - Message sets of magic v0 (Kafka 0.8–0.9) and v1 (0.10–0.11, with
//!   timestamps), whose compressed messages wrap an inner message set.
//! - Record batches of magic v2 (0.11+): CRC32C, varints, headers, producer
//!   id/epoch/sequence, transactional and control bits.
//! - Compression as Kafka frames it: gzip, snappy (xerial framing), lz4
//!   (Kafka's LZ4 frames, with magic v0's broken header checksum) and zstd.
//! - Building batches ([`RecordsBuilder`]), reading them ([`Records`],
//!   [`Batch`]) and converting between magics ([`convert`]).
//!
//! Pure and sans-IO: bytes in, bytes out, typed errors named as Kafka names
//! them ([`RecordError`]); it never panics on input.

mod batch;
mod builder;
mod checksum;
pub mod compression;
pub mod convert;
mod error;
mod legacy;
mod record;
mod records;
pub mod varint;

pub use batch::{ControlRecordType, RecordView, RECORD_BATCH_OVERHEAD};
pub use builder::{BatchOptions, RecordsBuilder};
pub use checksum::{crc32, crc32c};
pub use compression::CompressionType;
pub use error::RecordError;
pub use legacy::{LOG_OVERHEAD, RECORD_OVERHEAD_V0, RECORD_OVERHEAD_V1};
pub use record::{
    Header, Magic, Record, TimestampType, NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE,
    NO_TIMESTAMP,
};
pub use records::{Batch, Records};
