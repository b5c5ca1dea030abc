//! A record as producers and consumers see it, and the small types around it.

use bytes::Bytes;

/// `RecordBatch.NO_TIMESTAMP`: a record without a timestamp (magic v0).
pub const NO_TIMESTAMP: i64 = -1;
/// `RecordBatch.NO_PRODUCER_ID`
pub const NO_PRODUCER_ID: i64 = -1;
/// `RecordBatch.NO_PRODUCER_EPOCH`
pub const NO_PRODUCER_EPOCH: i16 = -1;
/// `RecordBatch.NO_SEQUENCE`
pub const NO_SEQUENCE: i32 = -1;

/// The message format version ("magic" byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Magic {
    /// Kafka 0.8–0.9: no timestamps.
    V0 = 0,
    /// Kafka 0.10–0.11: timestamps; relative offsets inside compressed messages.
    V1 = 1,
    /// Kafka 0.11+: record batches.
    V2 = 2,
}

impl Magic {
    pub fn from_byte(b: i8) -> Option<Magic> {
        match b {
            0 => Some(Magic::V0),
            1 => Some(Magic::V1),
            2 => Some(Magic::V2),
            _ => None,
        }
    }

    pub fn value(self) -> i8 {
        self as i8
    }
}

/// Whose clock a timestamp is (`TimestampType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampType {
    /// Magic v0 has none.
    NoTimestampType,
    CreateTime,
    LogAppendTime,
}

impl TimestampType {
    /// Kafka's name, as the console consumer's `print.timestamp` shows it.
    pub fn name(self) -> &'static str {
        match self {
            TimestampType::NoTimestampType => "NoTimestampType",
            TimestampType::CreateTime => "CreateTime",
            TimestampType::LogAppendTime => "LogAppendTime",
        }
    }
}

/// A record header (magic v2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub key: String,
    pub value: Option<Bytes>,
}

/// One record with its absolute offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub offset: i64,
    /// [`NO_TIMESTAMP`] when the format has none.
    pub timestamp: i64,
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
    pub headers: Vec<Header>,
}

impl Record {
    /// A record for building a batch: offsets are assigned by the builder.
    pub fn new(timestamp: i64, key: Option<&[u8]>, value: Option<&[u8]>) -> Record {
        Record {
            offset: 0,
            timestamp,
            key: key.map(Bytes::copy_from_slice),
            value: value.map(Bytes::copy_from_slice),
            headers: Vec::new(),
        }
    }
}
