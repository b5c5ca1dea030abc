//! `Log`: a partition's segments, offsets, flushing, rolling, retention and
//! truncation, following the release the broker runs ([`LogVersion`]).
//!
//! Sans-IO: every method takes `now_ms`; what must reach the disk is queued
//! as [`FileOp`]s ([`Log::take_ops`]) and what Kafka would log as
//! [`LogLine`]s ([`Log::take_lines`]).

use std::collections::BTreeMap;

use bytes::Bytes;
use protocol::convert::{validate_and_assign_offsets, AppendConfig};
use protocol::{Batch, Magic, RecordError, Records};

use crate::config::{LogConfig, LogVersion};
use crate::error::LogError;
use crate::leader_epoch::LeaderEpochCache;
use crate::lines::{Level, LogLine};
use crate::producer_state::{snapshot_path, ProducerStateManager};
use crate::recovery::OpenOptions;
use crate::segment::LogSegment;
use crate::storage::FileOp;

pub const LOG_LOGGER: &str = "kafka.log.Log";

/// What an append wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogAppendInfo {
    pub first_offset: i64,
    pub last_offset: i64,
    pub max_timestamp: i64,
    pub offset_of_max_timestamp: i64,
    pub record_count: usize,
    pub bytes: usize,
}

/// What a read returns: raw batches, possibly ending in a partial one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchData {
    pub records: Bytes,
    /// The first batch did not fit `max_bytes` and was cut (Fetch v0–v2 only).
    pub first_entry_incomplete: bool,
}

/// Segment files waiting out `file.delete.delay.ms` as `.deleted`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PendingDelete {
    due_ms: i64,
    paths: Vec<String>,
}

/// One partition's log.
#[derive(Clone, Debug)]
pub struct Log {
    pub topic: String,
    pub partition: i32,
    /// The log directory as the broker names it in messages, such as `/tmp/kafka-logs`.
    pub(crate) log_dir: String,
    /// The partition's directory inside the log directory, such as `test-0`.
    dir: String,
    broker_id: i32,
    config: LogConfig,
    pub(crate) segments: BTreeMap<i64, LogSegment>,
    log_start_offset: i64,
    log_end_offset: i64,
    recovery_point: i64,
    last_flush_ms: i64,
    /// 0.8.0 counts appended messages since the last flush.
    unflushed_messages: u64,
    pending_deletes: Vec<PendingDelete>,
    pub(crate) leader_epochs: LeaderEpochCache,
    pub(crate) producers: ProducerStateManager,
    /// From `partition.metadata` (2.8+), once the controller gave the topic an id.
    pub(crate) topic_id: Option<String>,
    ops: Vec<FileOp>,
    lines: Vec<LogLine>,
}

/// Names a partition's directory: `<topic>-<partition>`.
pub fn partition_dir(topic: &str, partition: i32) -> String {
    format!("{topic}-{partition}")
}

impl Log {
    /// A new, empty log (a partition created on this broker).
    pub fn create(
        topic: &str,
        partition: i32,
        log_dir: &str,
        broker_id: i32,
        config: LogConfig,
        now_ms: i64,
    ) -> Log {
        let mut log = Log::empty(&OpenOptions {
            topic: topic.to_owned(),
            partition,
            log_dir: log_dir.to_owned(),
            broker_id,
            config,
            recovery_point: 0,
            log_start_offset: 0,
            clean_shutdown: true,
            now_ms,
        });
        log.ops.push(FileOp::CreateDir {
            path: log.dir.clone(),
        });
        let segment = LogSegment::create(&log.dir, 0, &log.config, now_ms, &mut log.ops);
        log.segments.insert(0, segment);
        if log.config.version.has_leader_epochs() {
            log.write_leader_epochs();
        }
        log.line(
            Level::Info,
            match log.config.version {
                LogVersion::Kafka0_8_0 => {
                    format!("Completed load of log {} with log end offset 0", log.dir)
                }
                _ => {
                    "Loading producer state till offset 0 with message format version 2".to_owned()
                }
            },
        );
        log
    }

    /// A log with no segment yet, named and configured as `options` say.
    pub(crate) fn empty(options: &OpenOptions) -> Log {
        let now_ms = options.now_ms;
        Log {
            topic: options.topic.clone(),
            partition: options.partition,
            log_dir: options.log_dir.clone(),
            dir: partition_dir(&options.topic, options.partition),
            broker_id: options.broker_id,
            config: options.config.clone(),
            segments: BTreeMap::new(),
            log_start_offset: 0,
            log_end_offset: 0,
            recovery_point: 0,
            last_flush_ms: now_ms,
            unflushed_messages: 0,
            pending_deletes: Vec::new(),
            leader_epochs: LeaderEpochCache::default(),
            producers: ProducerStateManager::default(),
            topic_id: None,
            ops: Vec::new(),
            lines: Vec::new(),
        }
    }

    pub fn dir(&self) -> &str {
        &self.dir
    }

    pub fn config(&self) -> &LogConfig {
        &self.config
    }

    pub fn set_config(&mut self, config: LogConfig) {
        assert_eq!(
            config.version, self.config.version,
            "a log keeps its release"
        );
        self.config = config;
    }

    pub fn log_start_offset(&self) -> i64 {
        self.log_start_offset
    }

    pub fn log_end_offset(&self) -> i64 {
        self.log_end_offset
    }

    pub fn recovery_point(&self) -> i64 {
        self.recovery_point
    }

    pub fn segments(&self) -> impl Iterator<Item = &LogSegment> {
        self.segments.values()
    }

    pub fn active_segment(&self) -> &LogSegment {
        self.segments
            .values()
            .next_back()
            .expect("a log always has a segment")
    }

    fn active_mut(&mut self) -> &mut LogSegment {
        self.segments
            .values_mut()
            .next_back()
            .expect("a log always has a segment")
    }

    pub fn size_in_bytes(&self) -> u64 {
        self.segments.values().map(LogSegment::size_in_bytes).sum()
    }

    pub fn leader_epochs(&self) -> &LeaderEpochCache {
        &self.leader_epochs
    }

    pub fn producers(&self) -> &ProducerStateManager {
        &self.producers
    }

    /// File operations to hand to the storage, in order.
    pub fn take_ops(&mut self) -> Vec<FileOp> {
        std::mem::take(&mut self.ops)
    }

    /// What Kafka would have logged since the last call.
    pub fn take_lines(&mut self) -> Vec<LogLine> {
        std::mem::take(&mut self.lines)
    }

    /// The `[...]` prefix the release puts on `kafka.log.Log` messages.
    fn prefix(&self) -> String {
        match self.config.version {
            LogVersion::Kafka0_8_0 => format!("[Kafka Log on Broker {}], ", self.broker_id),
            _ => format!("[Log partition={}, dir={}] ", self.dir, self.log_dir),
        }
    }

    pub(crate) fn line(&mut self, level: Level, message: String) {
        let text = format!("{}{message}", self.prefix());
        self.lines.push(LogLine::new(level, LOG_LOGGER, text));
    }

    pub(crate) fn raw_line(&mut self, level: Level, logger: &'static str, message: String) {
        self.lines.push(LogLine::new(level, logger, message));
    }

    fn file_path(&self, segment_path: &str) -> String {
        format!("{}/{segment_path}", self.log_dir)
    }

    /// Validates a producer's records, assigns offsets from the log end offset and appends them.
    pub fn append_as_leader(
        &mut self,
        records: &Records,
        append: &AppendConfig,
        now_ms: i64,
    ) -> Result<LogAppendInfo, LogError> {
        for batch in records.batches() {
            let batch = batch?;
            if batch.size_in_bytes() > self.config.max_message_bytes {
                return Err(LogError::RecordTooLarge(
                    "The request included a message larger than the max message size the server will accept.".to_owned(),
                ));
            }
        }
        let appended = validate_and_assign_offsets(records, self.log_end_offset, append)?;
        let info = LogAppendInfo {
            first_offset: appended.first_offset,
            last_offset: appended.last_offset,
            max_timestamp: appended.max_timestamp,
            offset_of_max_timestamp: appended.offset_of_max_timestamp,
            record_count: appended.record_count,
            bytes: appended.records.len(),
        };
        self.append_validated(appended.records, now_ms)?;
        Ok(info)
    }

    /// Appends a leader's batches as they are (a follower's fetch): offsets must continue the log.
    pub fn append_as_follower(
        &mut self,
        records: &Records,
        now_ms: i64,
    ) -> Result<LogAppendInfo, LogError> {
        let mut first = None;
        let mut last = self.log_end_offset - 1;
        let mut count = 0;
        let (mut max_timestamp, mut offset_of_max) = (-1, self.log_end_offset);
        for batch in records.batches() {
            let batch = batch?;
            batch.ensure_valid()?;
            let base = batch.base_offset()?;
            if base <= last {
                return Err(LogError::Record(RecordError::invalid(format!(
                    "Out of order offsets found in append to {}: {base} follows {last}",
                    self.dir
                ))));
            }
            first.get_or_insert(base);
            last = batch.last_offset();
            count += batch.count_or_none().unwrap_or(1) as usize;
            if batch.max_timestamp() > max_timestamp {
                max_timestamp = batch.max_timestamp();
                offset_of_max = last;
            }
        }
        let Some(first) = first else {
            return Ok(LogAppendInfo {
                first_offset: self.log_end_offset,
                last_offset: self.log_end_offset - 1,
                max_timestamp: -1,
                offset_of_max_timestamp: -1,
                record_count: 0,
                bytes: 0,
            });
        };
        self.append_validated(records.clone(), now_ms)?;
        Ok(LogAppendInfo {
            first_offset: first,
            last_offset: last,
            max_timestamp,
            offset_of_max_timestamp: offset_of_max,
            record_count: count,
            bytes: records.len(),
        })
    }

    /// Appends batches whose offsets are assigned and continue the log.
    fn append_validated(&mut self, records: Records, now_ms: i64) -> Result<(), LogError> {
        let batches: Vec<Batch> = records.batches().collect::<Result<_, _>>()?;
        let (Some(first), Some(last)) = (batches.first(), batches.last()) else {
            return Ok(());
        };
        let first_offset = first.base_offset()?;
        let incoming_max_ts = batches.iter().map(Batch::max_timestamp).max().unwrap_or(-1);
        self.maybe_roll(
            records.len() as u64,
            first_offset,
            last.last_offset(),
            incoming_max_ts,
            now_ms,
        );
        let active = self
            .segments
            .values_mut()
            .next_back()
            .expect("a log always has a segment");
        active.append(
            records.bytes(),
            &batches,
            &self.config,
            now_ms,
            &mut self.ops,
        );
        let config = &self.config;
        self.log_end_offset = last.last_offset() + 1;
        let mut epochs_changed = false;
        for batch in &batches {
            if let (true, Some(Ok(header))) = (config.version.has_leader_epochs(), batch.header()) {
                if header.partition_leader_epoch >= 0 {
                    epochs_changed |= self
                        .leader_epochs
                        .assign(header.partition_leader_epoch, header.base_offset);
                }
            }
            if config.version.has_producer_snapshots() {
                self.producers.update(batch);
            }
            self.unflushed_messages += batch.count_or_none().unwrap_or(1).max(0) as u64;
        }
        if epochs_changed {
            self.write_leader_epochs();
        }
        if self.unflushed_messages() >= self.config.flush_messages {
            self.flush(self.log_end_offset, now_ms);
        }
        Ok(())
    }

    /// Messages appended since the last flush.
    pub fn unflushed_messages(&self) -> u64 {
        match self.config.version {
            LogVersion::Kafka0_8_0 => self.unflushed_messages,
            _ => (self.log_end_offset - self.recovery_point).max(0) as u64,
        }
    }

    /// Rolls a new segment when the next append would not belong in the active one.
    fn maybe_roll(
        &mut self,
        incoming_bytes: u64,
        first_offset: i64,
        last_offset: i64,
        incoming_max_ts: i64,
        now_ms: i64,
    ) {
        let config = &self.config;
        let seg = self.active_segment();
        let size = seg.size_in_bytes();
        let reason = match config.version {
            LogVersion::Kafka0_8_0 => {
                if size > config.segment_bytes {
                    Some("full data log".to_owned())
                } else if seg
                    .rolling_based_timestamp
                    .is_some_and(|t| now_ms - t > config.segment_ms)
                {
                    Some("time based rolling".to_owned())
                } else if seg.offset_index_full(config) {
                    Some(format!(
                        "full index maxIndexSize = {}, entries = {}, maxEntries = {}",
                        config.max_index_size_bytes,
                        seg.offset_index().len(),
                        config.offset_index_entries_max()
                    ))
                } else {
                    None
                }
            }
            _ => {
                let waited = match seg.rolling_based_timestamp {
                    Some(first) if incoming_max_ts >= 0 => incoming_max_ts - first,
                    _ => now_ms - seg.created_ms,
                };
                let would_overflow = size + incoming_bytes > config.segment_bytes;
                let old = size > 0 && waited > config.segment_ms;
                let full = seg.offset_index_full(config) || seg.time_index_full(config);
                let offset_overflow = last_offset - seg.base_offset > i64::from(i32::MAX);
                (size > 0 && (would_overflow || old || full || offset_overflow)).then(String::new)
            }
        };
        if let Some(reason) = reason {
            if config.version == LogVersion::Kafka0_8_0 {
                self.line(Level::Info, format!("Rolling {} due to {reason}", self.dir));
            }
            let new_base = first_offset.max(self.log_end_offset);
            self.roll_at(new_base, now_ms);
        }
    }

    /// Starts a new active segment at the log end offset.
    pub fn roll(&mut self, now_ms: i64) {
        let at = self.log_end_offset;
        self.roll_at(at, now_ms);
    }

    fn roll_at(&mut self, new_base: i64, now_ms: i64) {
        let version = self.config.version;
        if version == LogVersion::Kafka0_8_0 {
            self.flush(self.log_end_offset, now_ms);
        }
        if self.segments.contains_key(&new_base) {
            // Rolling onto an empty active segment at the same offset: nothing to do.
            return;
        }
        let mut ops = Vec::new();
        self.active_mut().on_become_inactive(version, &mut ops);
        let segment = LogSegment::create(&self.dir, new_base, &self.config, now_ms, &mut ops);
        self.ops.extend(ops);
        match version {
            LogVersion::Kafka0_8_0 => {
                let log_file = self.file_path(&segment.log_path());
                let index_file = self.file_path(&segment.index_path());
                self.line(
                    Level::Info,
                    format!("Rolling log '{}' to {log_file} and {index_file}", self.dir),
                );
            }
            _ => {
                self.write_producer_snapshot(new_base);
                self.line(
                    Level::Info,
                    format!("Rolled new log segment at offset {new_base} in 0 ms."),
                );
            }
        }
        self.segments.insert(new_base, segment);
        if version.has_recovery_point() {
            self.flush(new_base, now_ms);
        }
    }

    fn write_producer_snapshot(&mut self, offset: i64) {
        let path = snapshot_path(&self.dir, offset);
        let data = Bytes::from(self.producers.snapshot_bytes());
        self.ops.push(FileOp::SetLen {
            path: path.clone(),
            len: 0,
        });
        self.ops.push(FileOp::Append {
            path: path.clone(),
            data,
        });
        self.ops.push(FileOp::Sync { path });
        self.raw_line(
            Level::Info,
            "kafka.log.ProducerStateManager",
            format!(
                "[ProducerStateManager partition={}] Writing producer snapshot at offset {offset}",
                self.dir
            ),
        );
    }

    /// The topic's id, when `partition.metadata` holds one.
    pub fn topic_id(&self) -> Option<&str> {
        self.topic_id.as_deref()
    }

    /// A LeaderAndIsr request carried the topic's id (2.8+): `partition.metadata`
    /// is written once; a different id than the log's is refused.
    pub fn assign_topic_id(&mut self, topic_id: &str) -> Result<(), LogError> {
        match &self.topic_id {
            Some(id) if id != topic_id => Err(LogError::InconsistentTopicId(format!(
                "Tried to assign topic ID {topic_id} to log for topic partition {}, but log already contained topic ID {id}",
                self.dir
            ))),
            Some(_) => Ok(()),
            None if self.config.version >= LogVersion::Kafka2_8_2 => {
                self.topic_id = Some(topic_id.to_owned());
                let path = format!("{}/{}", self.dir, crate::checkpoint::PARTITION_METADATA);
                let text = crate::checkpoint::partition_metadata(topic_id);
                crate::checkpoint::write_atomically(&path, text.into_bytes(), &mut self.ops);
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn write_leader_epochs(&mut self) {
        let path = format!(
            "{}/{}",
            self.dir,
            crate::checkpoint::LEADER_EPOCH_CHECKPOINT
        );
        let mut ops = Vec::new();
        self.leader_epochs.write(&path, &mut ops);
        self.ops.extend(ops);
    }

    /// Notes that `epoch` starts at `start_offset` (a broker becoming leader).
    pub fn assign_leader_epoch(&mut self, epoch: i32, start_offset: i64) {
        if self.config.version.has_leader_epochs() && self.leader_epochs.assign(epoch, start_offset)
        {
            self.write_leader_epochs();
        }
    }

    /// fsyncs what lies below `offset` and moves the recovery point there.
    pub fn flush(&mut self, offset: i64, now_ms: i64) {
        let offset = offset.min(self.log_end_offset);
        let version = self.config.version;
        let from = self.recovery_point;
        let paths: Vec<String> = match version {
            // 0.8.0 forces only the active segment.
            LogVersion::Kafka0_8_0 => self.active_segment().paths(version),
            _ => self
                .segments
                .values()
                .filter(|s| s.next_offset() > from && s.base_offset < offset.max(from + 1))
                .flat_map(|s| s.paths(version))
                .collect(),
        };
        if version == LogVersion::Kafka0_8_0 && self.unflushed_messages == 0 {
            return;
        }
        self.ops
            .extend(paths.into_iter().map(|path| FileOp::Sync { path }));
        if version.has_recovery_point() && offset > self.recovery_point {
            self.recovery_point = offset;
        }
        self.unflushed_messages = 0;
        self.last_flush_ms = now_ms;
    }

    /// Time-driven work: `flush.ms` flushes, and `.deleted` files whose delay has passed.
    pub fn tick(&mut self, now_ms: i64) {
        self.flush_if_due(now_ms);
        self.delete_due_files(now_ms);
    }

    /// The log flusher's check: flushes when `flush.ms` passed since the last flush.
    pub fn flush_if_due(&mut self, now_ms: i64) {
        if self.unflushed_messages() > 0 && now_ms - self.last_flush_ms >= self.config.flush_ms {
            self.flush(self.log_end_offset, now_ms);
        }
    }

    /// Deletes the `.deleted` files whose `file.delete.delay.ms` has passed.
    pub fn delete_due_files(&mut self, now_ms: i64) {
        let (due, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending_deletes)
            .into_iter()
            .partition(|p| p.due_ms <= now_ms);
        self.pending_deletes = waiting;
        for pending in due {
            for path in pending.paths {
                let kind = if path.ends_with(".log.deleted") {
                    "log"
                } else if path.ends_with(".timeindex.deleted") {
                    "time index"
                } else {
                    "offset index"
                };
                let full = self.file_path(&path);
                self.raw_line(
                    Level::Info,
                    "kafka.log.LogSegment",
                    format!("Deleted {kind} {full}."),
                );
                self.ops.push(FileOp::Delete { path });
            }
        }
    }

    /// When the next `.deleted` file is due, for the broker's scheduler.
    pub fn next_deletion_due_ms(&self) -> Option<i64> {
        self.pending_deletes.iter().map(|p| p.due_ms).min()
    }

    /// Reads from `start_offset`: at most `max_bytes` (the first batch whole
    /// when `min_one_message`, as Fetch v3+ does), and nothing at or past
    /// `max_offset` (the high watermark for consumers).
    pub fn read(
        &self,
        start_offset: i64,
        max_bytes: usize,
        max_offset: Option<i64>,
        min_one_message: bool,
    ) -> Result<FetchData, LogError> {
        let empty = FetchData {
            records: Bytes::new(),
            first_entry_incomplete: false,
        };
        if start_offset == self.log_end_offset {
            return Ok(empty);
        }
        if start_offset > self.log_end_offset || start_offset < self.log_start_offset {
            return Err(self.out_of_range(start_offset));
        }
        let floor = self
            .segments
            .range(..=start_offset)
            .next_back()
            .map(|(b, _)| *b)
            .unwrap_or(self.log_start_offset);
        for (_, segment) in self.segments.range(floor..) {
            let Some(i) = segment.batch_index_for(start_offset) else {
                if self.config.version == LogVersion::Kafka0_8_0 {
                    return Ok(empty);
                }
                continue;
            };
            let start = segment.batches()[i].position as usize;
            let end_limit = match max_offset {
                Some(limit) => match segment.batch_index_for(limit) {
                    Some(j) => segment.batches()[j].position as usize,
                    None => segment.size_in_bytes() as usize,
                },
                None => segment.size_in_bytes() as usize,
            };
            if end_limit <= start {
                return Ok(empty);
            }
            let first_size = segment.batches()[i].size as usize;
            let adjusted = if min_one_message {
                max_bytes.max(first_size)
            } else {
                max_bytes
            };
            let len = (end_limit - start).min(adjusted);
            return Ok(FetchData {
                records: segment.file_records().slice(start..start + len),
                first_entry_incomplete: adjusted < first_size,
            });
        }
        Ok(empty)
    }

    fn out_of_range(&self, offset: i64) -> LogError {
        LogError::OffsetOutOfRange(match self.config.version {
            LogVersion::Kafka0_8_0 => format!(
                "Request for offset {offset} but we only have log segments in the range {} to {}.",
                self.log_start_offset, self.log_end_offset
            ),
            _ => format!(
                "Received request for offset {offset} for partition {}, but we only have log segments in the range {} to {}.",
                self.dir, self.log_start_offset, self.log_end_offset
            ),
        })
    }

    /// Removes everything at `offset` and after (a follower matching its leader).
    /// Returns whether anything was removed.
    pub fn truncate_to(&mut self, offset: i64, now_ms: i64) -> bool {
        if offset >= self.log_end_offset {
            return false;
        }
        if self
            .segments
            .keys()
            .next()
            .is_some_and(|first| *first > offset)
        {
            self.truncate_fully_and_start_at(offset, now_ms);
            return true;
        }
        self.line(Level::Info, format!("Truncating to offset {offset}"));
        let above: Vec<i64> = self.segments.range(offset + 1..).map(|(b, _)| *b).collect();
        let removed: Vec<LogSegment> = above
            .iter()
            .filter_map(|b| self.segments.remove(b))
            .collect();
        self.delete_segment_files(removed, now_ms, "truncation");
        let config = self.config.clone();
        let mut ops = Vec::new();
        self.active_mut()
            .truncate_to(offset, &config, now_ms, &mut ops);
        self.ops.extend(ops);
        // As Kafka does, the log ends at the target even if a batch holding it was removed whole.
        self.log_end_offset = offset;
        self.recovery_point = self.recovery_point.min(self.log_end_offset);
        if self.leader_epochs.truncate_from_end(self.log_end_offset) {
            self.write_leader_epochs();
        }
        self.producers.truncate(self.log_end_offset);
        true
    }

    /// Deletes every segment and starts again, empty, at `offset`.
    pub fn truncate_fully_and_start_at(&mut self, offset: i64, now_ms: i64) {
        self.line(
            Level::Debug,
            format!("Truncate and start at offset {offset}"),
        );
        let removed: Vec<LogSegment> = std::mem::take(&mut self.segments).into_values().collect();
        self.delete_segment_files(removed, now_ms, "truncation");
        let segment = LogSegment::create(&self.dir, offset, &self.config, now_ms, &mut self.ops);
        self.segments.insert(offset, segment);
        self.log_start_offset = offset;
        self.log_end_offset = offset;
        self.recovery_point = offset;
        self.leader_epochs = LeaderEpochCache::default();
        if self.config.version.has_leader_epochs() {
            self.write_leader_epochs();
        }
        self.producers = ProducerStateManager::default();
    }

    /// Deletes segment files: at once (0.8.0), or renamed `.deleted` and
    /// removed after `file.delete.delay.ms`.
    pub(crate) fn delete_segment_files(
        &mut self,
        segments: Vec<LogSegment>,
        now_ms: i64,
        reason: &str,
    ) {
        if segments.is_empty() {
            return;
        }
        let version = self.config.version;
        if version.deletes_later() {
            let names: Vec<String> = segments.iter().map(segment_string).collect();
            if reason != "retention" {
                self.line(
                    Level::Info,
                    format!(
                        "Deleting segments as part of log {reason}: {}",
                        names.join(",")
                    ),
                );
            }
            let mut paths = Vec::new();
            for s in &segments {
                for path in s.paths(version) {
                    let deleted = format!("{path}.deleted");
                    self.ops.push(FileOp::Rename {
                        from: path,
                        to: deleted.clone(),
                    });
                    paths.push(deleted);
                }
            }
            self.pending_deletes.push(PendingDelete {
                due_ms: now_ms + self.config.file_delete_delay_ms,
                paths,
            });
        } else {
            for s in segments {
                self.line(
                    Level::Info,
                    format!("Deleting log segment {} from {}", s.base_offset, self.dir),
                );
                let index = self.file_path(&s.index_path());
                self.raw_line(
                    Level::Info,
                    "kafka.log.OffsetIndex",
                    format!("Deleting index {index}"),
                );
                for path in s.paths(version) {
                    self.ops.push(FileOp::Delete { path });
                }
            }
        }
    }

    pub(crate) fn log_end_offset_set(&mut self, offset: i64) {
        self.log_end_offset = offset;
    }

    pub(crate) fn set_recovery_point(&mut self, offset: i64) {
        self.recovery_point = offset;
    }

    pub(crate) fn extend_ops(&mut self, ops: Vec<FileOp>) {
        self.ops.extend(ops);
    }

    /// Sets the log start offset (retention, recovery); the leader epochs follow.
    pub(crate) fn set_log_start_offset(&mut self, offset: i64) {
        self.log_start_offset = offset;
        if self.config.version.has_recovery_point() {
            self.recovery_point = self.recovery_point.max(offset);
        }
        if self.leader_epochs.truncate_from_start(offset) {
            self.write_leader_epochs();
        }
    }

    /// Moves the log start offset forward (DeleteRecords); whole segments
    /// below it go at the next retention pass.
    pub fn increment_log_start_offset(&mut self, offset: i64) -> Result<(), LogError> {
        if offset > self.log_end_offset {
            return Err(self.out_of_range(offset));
        }
        if offset > self.log_start_offset {
            self.log_start_offset = offset;
            self.line(
                Level::Info,
                format!(
                    "Incremented log start offset to {offset} due to client delete records request"
                ),
            );
            if self.leader_epochs.truncate_from_start(offset) {
                self.write_leader_epochs();
            }
        }
        Ok(())
    }

    /// Closes the log at a clean shutdown: flushed, indexes trimmed, snapshot written.
    pub fn close(&mut self, now_ms: i64) {
        let end = self.log_end_offset;
        self.flush(end, now_ms);
        let version = self.config.version;
        let mut ops = Vec::new();
        self.active_mut().on_become_inactive(version, &mut ops);
        self.ops.extend(ops);
        if version.has_producer_snapshots() {
            self.write_producer_snapshot(end);
        }
    }

    /// The first record at or after `timestamp` (ListOffsets by time, 0.10.1+):
    /// its offset and timestamp.
    pub fn offset_for_timestamp(&self, timestamp: i64) -> Result<Option<(i64, i64)>, LogError> {
        for segment in self.segments.values() {
            if segment
                .largest_record_timestamp()
                .is_none_or(|t| t < timestamp)
            {
                continue;
            }
            for entry in segment
                .batches()
                .iter()
                .filter(|b| b.max_timestamp >= timestamp)
            {
                let batch = Batch::from_bytes(segment.batch_bytes(entry))?;
                for record in batch.records()? {
                    if record.timestamp >= timestamp && record.offset >= self.log_start_offset {
                        return Ok(Some((record.offset, record.timestamp)));
                    }
                }
            }
        }
        Ok(None)
    }

    /// Kafka 0.8's `getOffsetsBefore`: segment base offsets whose files were
    /// last modified before `timestamp` (-1: the latest, -2: the earliest), newest first.
    pub fn offsets_before(&self, timestamp: i64, max_offsets: usize, now_ms: i64) -> Vec<i64> {
        let mut points: Vec<(i64, i64)> = self
            .segments
            .values()
            .map(|s| (s.base_offset, s.last_modified_ms))
            .collect();
        if self.active_segment().size_in_bytes() > 0 {
            points.push((self.log_end_offset, now_ms));
        }
        let start = match timestamp {
            -1 => points.len(),
            -2 => 1,
            t => points
                .iter()
                .rposition(|&(_, modified)| modified <= t)
                .map_or(0, |i| i + 1),
        };
        points[..start]
            .iter()
            .rev()
            .take(max_offsets)
            .map(|&(offset, _)| offset)
            .collect()
    }

    /// Whether the magic of batches in this log is at least `magic` (for down-conversion decisions).
    pub fn holds_only_magic_at_least(&self, magic: Magic) -> bool {
        self.segments.values().all(|s| {
            s.batches().iter().all(|b| {
                s.file_records()
                    .byte_at(b.position as usize + 16)
                    .is_some_and(|m| (m as i8) >= magic.value())
            })
        })
    }
}

/// `LogSegment(baseOffset=0, size=73, lastModifiedTime=..., largestRecordTimestamp=Some(...))`, as 2.8 prints it.
pub(crate) fn segment_string(s: &LogSegment) -> String {
    let largest = match s.largest_record_timestamp() {
        Some(t) => format!("Some({t})"),
        None => "None".to_owned(),
    };
    format!(
        "LogSegment(baseOffset={}, size={}, lastModifiedTime={}, largestRecordTimestamp={largest})",
        s.base_offset,
        s.size_in_bytes(),
        s.last_modified_ms
    )
}
