//! Why a znode's data could not be decoded.
//!
//! Every decoder in this crate reads the format one Kafka release writes. It
//! fails where Kafka's own reader fails (bytes that are not JSON, a missing
//! key, a value of the wrong JSON type, a number out of Java `Int` range, a
//! decimal string that `toInt`/`toLong` rejects) and, more strictly than
//! Kafka, on a `version` the release never writes. Key order, whitespace and
//! unknown keys are accepted, as they are by Kafka.

use distribution::Release;

/// A znode's data is not what the release writes there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The bytes are not one JSON value (Kafka: `JsonProcessingException`,
    /// or 0.8.0's `Can't parse json string`).
    #[error("malformed JSON: {0}")]
    Malformed(String),
    /// A key the release always writes is absent.
    #[error("missing key `{0}`")]
    Missing(String),
    /// A value has the wrong JSON type, or is a number that does not fit.
    #[error("`{path}` is not {expected}")]
    WrongType {
        path: String,
        expected: &'static str,
    },
    /// Text that Java's `Integer.parseInt` or `Long.parseLong` rejects
    /// (Kafka: `NumberFormatException`).
    #[error("`{path}`: {text:?} is not a decimal {expected}")]
    NotANumber {
        path: String,
        text: String,
        expected: &'static str,
    },
    /// A `version` this release does not write.
    #[error("version {found} is not written by Kafka {release} (it writes {expected})")]
    Version {
        found: i32,
        release: Release,
        expected: &'static str,
    },
    /// A value of the right type that Kafka would still refuse, or that this
    /// crate does not model.
    #[error("`{path}`: {reason}")]
    Invalid { path: String, reason: String },
}

impl DecodeError {
    pub(crate) fn invalid(path: impl Into<String>, reason: impl Into<String>) -> Self {
        DecodeError::Invalid {
            path: path.into(),
            reason: reason.into(),
        }
    }
}
