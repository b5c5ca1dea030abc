//! What a log operation can refuse, with the names of Kafka's errors.

use protocol::RecordError;
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LogError {
    #[error("{0}")]
    Record(#[from] RecordError),
    /// `OffsetOutOfRangeException`
    #[error("{0}")]
    OffsetOutOfRange(String),
    /// `RecordTooLargeException` (`MessageSizeTooLargeException` in 0.8)
    #[error("{0}")]
    RecordTooLarge(String),
    /// `IllegalStateException`: files a release cannot start from.
    #[error("{0}")]
    IllegalState(String),
    /// `InconsistentTopicIdException`
    #[error("{0}")]
    InconsistentTopicId(String),
}

impl LogError {
    /// The Java exception's simple class name.
    pub fn kafka_name(&self) -> &'static str {
        match self {
            LogError::Record(e) => e.kafka_name(),
            LogError::OffsetOutOfRange(_) => "OffsetOutOfRangeException",
            LogError::RecordTooLarge(_) => "RecordTooLargeException",
            LogError::IllegalState(_) => "IllegalStateException",
            LogError::InconsistentTopicId(_) => "InconsistentTopicIdException",
        }
    }
}
