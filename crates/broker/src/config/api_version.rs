//! Kafka 2.8.2's `kafka.api.ApiVersion`: the values `inter.broker.protocol.version`
//! and `log.message.format.version` accept, and the record format each
//! implies.

use super::java;

/// One `kafka.api.ApiVersion` of 2.8.2 (`core/src/main/scala/kafka/api/ApiVersion.scala`
/// @2.8.2 lines 47-120, 222-448): its config string, its short version, and
/// the record format (message format) version it writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiVersion {
    pub version: &'static str,
    pub short_version: &'static str,
    pub record_version: u8,
}

const fn api(version: &'static str, short_version: &'static str, record_version: u8) -> ApiVersion {
    ApiVersion {
        version,
        short_version,
        record_version,
    }
}

/// `ApiVersion.allVersions`, oldest first (the position is the id order).
pub static API_VERSIONS: [ApiVersion; 33] = [
    api("0.8.0", "0.8.0", 0),
    api("0.8.1", "0.8.1", 0),
    api("0.8.2", "0.8.2", 0),
    api("0.9.0", "0.9.0", 0),
    api("0.10.0-IV0", "0.10.0", 1),
    api("0.10.0-IV1", "0.10.0", 1),
    api("0.10.1-IV0", "0.10.1", 1),
    api("0.10.1-IV1", "0.10.1", 1),
    api("0.10.1-IV2", "0.10.1", 1),
    api("0.10.2-IV0", "0.10.2", 1),
    api("0.11.0-IV0", "0.11.0", 2),
    api("0.11.0-IV1", "0.11.0", 2),
    api("0.11.0-IV2", "0.11.0", 2),
    api("1.0-IV0", "1.0", 2),
    api("1.1-IV0", "1.1", 2),
    api("2.0-IV0", "2.0", 2),
    api("2.0-IV1", "2.0", 2),
    api("2.1-IV0", "2.1", 2),
    api("2.1-IV1", "2.1", 2),
    api("2.1-IV2", "2.1", 2),
    api("2.2-IV0", "2.2", 2),
    api("2.2-IV1", "2.2", 2),
    api("2.3-IV0", "2.3", 2),
    api("2.3-IV1", "2.3", 2),
    api("2.4-IV0", "2.4", 2),
    api("2.4-IV1", "2.4", 2),
    api("2.5-IV0", "2.5", 2),
    api("2.6-IV0", "2.6", 2),
    api("2.7-IV0", "2.7", 2),
    api("2.7-IV1", "2.7", 2),
    api("2.7-IV2", "2.7", 2),
    api("2.8-IV0", "2.8", 2),
    api("2.8-IV1", "2.8", 2),
];

/// `ApiVersion(versionString)`: the first three dot-separated segments for a
/// `0.` version, two otherwise, looked up by full or short version (a short
/// version means its latest internal version).
pub fn api_version(s: &str) -> Option<(usize, &'static ApiVersion)> {
    let segments = java::split_literal(s, '.');
    let take = if s.starts_with("0.") { 3 } else { 2 };
    let key = segments
        .iter()
        .take(take)
        .copied()
        .collect::<Vec<_>>()
        .join(".");
    API_VERSIONS
        .iter()
        .enumerate()
        .find(|(_, v)| v.version == key)
        .or_else(|| {
            API_VERSIONS
                .iter()
                .enumerate()
                .rev()
                .find(|(_, v)| v.short_version == key)
        })
}
