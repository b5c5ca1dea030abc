//! The coordinator's settings: `GroupConfig` (membership) and
//! `OffsetConfig` (the offsets topic), with 2.8.2's `KafkaConfig` defaults
//! and read from a broker's configuration.

use protocol::CompressionType;

use crate::config::{KafkaConfig, Value};

/// `GroupConfig`: what a group's members may ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupConfig {
    /// `group.min.session.timeout.ms`.
    pub group_min_session_timeout_ms: i32,
    /// `group.max.session.timeout.ms`.
    pub group_max_session_timeout_ms: i32,
    /// `group.max.size`.
    pub group_max_size: i32,
    /// `group.initial.rebalance.delay.ms`.
    pub group_initial_rebalance_delay_ms: i32,
}

impl Default for GroupConfig {
    fn default() -> GroupConfig {
        GroupConfig {
            group_min_session_timeout_ms: 6000,
            group_max_session_timeout_ms: 1_800_000,
            group_max_size: i32::MAX,
            group_initial_rebalance_delay_ms: 3000,
        }
    }
}

/// `OffsetConfig`: how offsets and group metadata are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OffsetConfig {
    /// `offset.metadata.max.bytes`.
    pub max_metadata_size: i32,
    /// `offsets.retention.minutes` in milliseconds.
    pub offsets_retention_ms: i64,
    /// `offsets.retention.check.interval.ms`.
    pub offsets_retention_check_interval_ms: i64,
    /// `offsets.topic.num.partitions`.
    pub offsets_topic_num_partitions: i32,
    /// `offsets.topic.compression.codec`.
    pub offsets_topic_compression: CompressionType,
    /// `offsets.commit.timeout.ms`.
    pub offset_commit_timeout_ms: i32,
    /// `offsets.commit.required.acks`.
    pub offset_commit_required_acks: i16,
}

impl Default for OffsetConfig {
    /// A 2.8.2 broker's defaults (`GroupCoordinator.offsetConfig`), not
    /// `OffsetConfig`'s own (which keep offsets one day, not seven).
    fn default() -> OffsetConfig {
        OffsetConfig {
            max_metadata_size: 4096,
            offsets_retention_ms: 10080 * 60 * 1000,
            offsets_retention_check_interval_ms: 600_000,
            offsets_topic_num_partitions: 50,
            offsets_topic_compression: CompressionType::None,
            offset_commit_timeout_ms: 5000,
            offset_commit_required_acks: -1,
        }
    }
}

fn int(config: &KafkaConfig, name: &str, default: i32) -> i32 {
    match config.get(name) {
        Some(Value::Int(v)) => *v,
        _ => default,
    }
}

fn long(config: &KafkaConfig, name: &str, default: i64) -> i64 {
    match config.get(name) {
        Some(Value::Long(v)) => *v,
        Some(Value::Int(v)) => i64::from(*v),
        _ => default,
    }
}

impl GroupConfig {
    /// The `group.*` settings of a 2.8.2 broker.
    pub fn from_kafka_config(config: &KafkaConfig) -> GroupConfig {
        let d = GroupConfig::default();
        GroupConfig {
            group_min_session_timeout_ms: int(
                config,
                "group.min.session.timeout.ms",
                d.group_min_session_timeout_ms,
            ),
            group_max_session_timeout_ms: int(
                config,
                "group.max.session.timeout.ms",
                d.group_max_session_timeout_ms,
            ),
            group_max_size: int(config, "group.max.size", d.group_max_size),
            group_initial_rebalance_delay_ms: int(
                config,
                "group.initial.rebalance.delay.ms",
                d.group_initial_rebalance_delay_ms,
            ),
        }
    }
}

impl OffsetConfig {
    /// The `offset*` settings of a 2.8.2 broker.
    pub fn from_kafka_config(config: &KafkaConfig) -> OffsetConfig {
        let d = OffsetConfig::default();
        let codec = int(config, "offsets.topic.compression.codec", 0);
        OffsetConfig {
            max_metadata_size: int(config, "offset.metadata.max.bytes", d.max_metadata_size),
            offsets_retention_ms: long(
                config,
                "offsets.retention.minutes",
                d.offsets_retention_ms / 60_000,
            ) * 60_000,
            offsets_retention_check_interval_ms: long(
                config,
                "offsets.retention.check.interval.ms",
                d.offsets_retention_check_interval_ms,
            ),
            offsets_topic_num_partitions: int(
                config,
                "offsets.topic.num.partitions",
                d.offsets_topic_num_partitions,
            ),
            offsets_topic_compression: u8::try_from(codec)
                .ok()
                .and_then(|id| CompressionType::from_id(id).ok())
                .unwrap_or(CompressionType::None),
            offset_commit_timeout_ms: int(
                config,
                "offsets.commit.timeout.ms",
                d.offset_commit_timeout_ms,
            ),
            offset_commit_required_acks: match config.get("offsets.commit.required.acks") {
                Some(Value::Short(v)) => *v,
                _ => d.offset_commit_required_acks,
            },
        }
    }
}
