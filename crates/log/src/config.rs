//! A log's settings (topic configs with the broker's defaults), and the
//! release whose on-disk behaviour the log follows.

/// Whose files and rules the log keeps: the releases differ in what files
/// exist, when index entries are written, when segments roll, how retention
/// decides and deletes, and what recovery checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogVersion {
    /// Kafka 0.8.0: `.log` and `.index` only; no recovery point, no time
    /// index, no compaction; retention by file time, deleted at once.
    Kafka0_8_0,
    /// Kafka 2.8.2: time indexes, recovery point and checkpoints, leader-epoch
    /// checkpoint, producer snapshots, `.deleted` files, compaction.
    Kafka2_8_2,
}

impl LogVersion {
    pub fn has_time_index(self) -> bool {
        self >= LogVersion::Kafka2_8_2
    }

    /// Index entries keyed by the append's last offset (2.0+, KAFKA-6264) rather than its first.
    pub fn index_by_last_offset(self) -> bool {
        self >= LogVersion::Kafka2_8_2
    }

    pub fn has_recovery_point(self) -> bool {
        self >= LogVersion::Kafka2_8_2
    }

    pub fn has_leader_epochs(self) -> bool {
        self >= LogVersion::Kafka2_8_2
    }

    pub fn has_producer_snapshots(self) -> bool {
        self >= LogVersion::Kafka2_8_2
    }

    /// Deleted segments are renamed `.deleted` and removed after `file.delete.delay.ms`.
    pub fn deletes_later(self) -> bool {
        self >= LogVersion::Kafka2_8_2
    }

    pub fn has_compaction(self) -> bool {
        self >= LogVersion::Kafka2_8_2
    }
}

/// A partition log's settings, by Kafka's topic-level names (units in the names).
#[derive(Clone, Debug, PartialEq)]
pub struct LogConfig {
    pub version: LogVersion,
    /// `segment.bytes` (`log.segment.bytes`)
    pub segment_bytes: u64,
    /// `segment.ms` (`log.roll.ms` / `log.roll.hours`)
    pub segment_ms: i64,
    /// `index.interval.bytes` (`log.index.interval.bytes`)
    pub index_interval_bytes: u64,
    /// `segment.index.bytes` (`log.index.size.max.bytes`)
    pub max_index_size_bytes: u64,
    /// `retention.ms`; -1 keeps forever.
    pub retention_ms: i64,
    /// `retention.bytes`; -1 has no limit.
    pub retention_bytes: i64,
    /// `file.delete.delay.ms` (`log.segment.delete.delay.ms`)
    pub file_delete_delay_ms: i64,
    /// `flush.messages` (`log.flush.interval.messages`)
    pub flush_messages: u64,
    /// `flush.ms` (`log.flush.interval.ms`)
    pub flush_ms: i64,
    /// `cleanup.policy` contains `delete`
    pub cleanup_delete: bool,
    /// `cleanup.policy` contains `compact`
    pub cleanup_compact: bool,
    /// `min.cleanable.dirty.ratio`
    pub min_cleanable_dirty_ratio: f64,
    /// `delete.retention.ms`: how long tombstones outlive compaction.
    pub delete_retention_ms: i64,
    /// `min.compaction.lag.ms`
    pub min_compaction_lag_ms: i64,
    /// `max.message.bytes` (`message.max.bytes`)
    pub max_message_bytes: usize,
}

impl LogConfig {
    /// The code defaults of a release (not its shipped server.properties).
    pub fn defaults(version: LogVersion) -> LogConfig {
        let hours_168 = 168 * 3_600_000;
        match version {
            LogVersion::Kafka0_8_0 => LogConfig {
                version,
                segment_bytes: 1_073_741_824,
                segment_ms: hours_168,
                index_interval_bytes: 4096,
                max_index_size_bytes: 10_485_760,
                retention_ms: hours_168,
                retention_bytes: -1,
                file_delete_delay_ms: 0,
                flush_messages: 10_000,
                flush_ms: 3_000,
                cleanup_delete: true,
                cleanup_compact: false,
                min_cleanable_dirty_ratio: 0.5,
                delete_retention_ms: 86_400_000,
                min_compaction_lag_ms: 0,
                max_message_bytes: 1_000_000,
            },
            LogVersion::Kafka2_8_2 => LogConfig {
                version,
                file_delete_delay_ms: 60_000,
                flush_messages: u64::MAX,
                flush_ms: i64::MAX,
                max_message_bytes: 1_048_588,
                ..LogConfig::defaults(LogVersion::Kafka0_8_0)
            },
        }
    }

    /// Slots a new `.index` file has (its size rounded down to whole entries).
    pub fn offset_index_entries_max(&self) -> u64 {
        self.max_index_size_bytes / crate::index::OFFSET_ENTRY_BYTES
    }

    pub fn time_index_entries_max(&self) -> u64 {
        self.max_index_size_bytes / crate::index::TIME_ENTRY_BYTES
    }
}
