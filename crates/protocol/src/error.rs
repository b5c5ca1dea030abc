//! Errors with the names of Kafka's exceptions, so tools can print Kafka's words.

use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RecordError {
    /// `org.apache.kafka.common.errors.CorruptRecordException`: bytes that do
    /// not form a valid batch (bad CRC, bad size, truncated compressed data).
    #[error("{0}")]
    CorruptRecord(String),
    /// `org.apache.kafka.common.InvalidRecordException`: a well-formed batch
    /// whose content breaks a rule (a record's fields do not add up).
    #[error("{0}")]
    InvalidRecord(String),
    /// `UnsupportedCompressionTypeException`: a codec unknown, or not allowed
    /// for this magic (zstd before v2).
    #[error("{0}")]
    UnsupportedCompressionType(String),
    /// `InvalidTimestampException`: a create time too far from the broker's clock.
    #[error("{0}")]
    InvalidTimestamp(String),
}

impl RecordError {
    /// The Java exception's simple class name, as Kafka's tools print it.
    pub fn kafka_name(&self) -> &'static str {
        match self {
            RecordError::CorruptRecord(_) => "CorruptRecordException",
            RecordError::InvalidRecord(_) => "InvalidRecordException",
            RecordError::UnsupportedCompressionType(_) => "UnsupportedCompressionTypeException",
            RecordError::InvalidTimestamp(_) => "InvalidTimestampException",
        }
    }

    pub fn corrupt(message: impl Into<String>) -> RecordError {
        RecordError::CorruptRecord(message.into())
    }

    pub fn invalid(message: impl Into<String>) -> RecordError {
        RecordError::InvalidRecord(message.into())
    }
}
