//! Compaction (`LogCleaner`, `cleanup.policy=compact`, 0.8.1+): keep only the
//! latest record of each key; tombstones (null values) go once they are
//! older than `delete.retention.ms`. Cleaned segments are written as
//! `.cleaned`, renamed `.swap`, then take the place of the old ones, which
//! become `.deleted` — the same file dance as Kafka's cleaner.

use std::collections::BTreeMap;

use bytes::Bytes;
use protocol::{Batch, BatchOptions, CompressionType, Magic, Record, Records, RecordsBuilder};

use crate::config::LogConfig;
use crate::error::LogError;
use crate::lines::Level;
use crate::log::{segment_string, Log};
use crate::segment::LogSegment;
use crate::storage::{write_synced, FileOp};

const CLEANER_LOGGER: &str = "kafka.log.LogCleaner";

/// What one cleaning did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CleanResult {
    /// Where the next cleaning starts (the cleaner checkpoint).
    pub end_offset: i64,
    pub records_read: usize,
    pub records_kept: usize,
    pub segments_cleaned: usize,
}

impl Log {
    /// The offset cleaning stops at: the active segment's base, or an older
    /// segment still inside `min.compaction.lag.ms`.
    pub fn first_uncleanable_offset(&self, now_ms: i64) -> i64 {
        let lag = self.config().min_compaction_lag_ms;
        let young = self
            .segments()
            .find(|s| lag > 0 && s.largest_timestamp() > now_ms - lag)
            .map(|s| s.base_offset);
        let active = self.active_segment().base_offset;
        young.map_or(active, |y| y.min(active))
    }

    /// Dirty bytes over all cleanable bytes (`LogToClean.cleanableRatio`).
    pub fn cleanable_ratio(&self, first_dirty_offset: i64, now_ms: i64) -> f64 {
        let end = self.first_uncleanable_offset(now_ms);
        let (mut clean, mut dirty) = (0u64, 0u64);
        for s in self.segments().filter(|s| s.base_offset < end) {
            if s.next_offset() <= first_dirty_offset {
                clean += s.size_in_bytes();
            } else {
                dirty += s.size_in_bytes();
            }
        }
        if clean + dirty == 0 {
            0.0
        } else {
            dirty as f64 / (clean + dirty) as f64
        }
    }

    /// Whether the cleaner would pick this log now.
    pub fn needs_cleaning(&self, first_dirty_offset: i64, now_ms: i64) -> bool {
        self.config().cleanup_compact
            && self.cleanable_ratio(first_dirty_offset, now_ms)
                > self.config().min_cleanable_dirty_ratio
    }

    /// Compacts everything below the first uncleanable offset.
    pub fn clean(&mut self, first_dirty_offset: i64, now_ms: i64) -> Result<CleanResult, LogError> {
        let end = self.first_uncleanable_offset(now_ms);
        let first_dirty = first_dirty_offset.clamp(self.log_start_offset(), end);
        let name = self.dir().to_owned();
        let cleaner_line = |log: &mut Log, text: String| {
            log.raw_line(Level::Info, CLEANER_LOGGER, format!("Cleaner 0: {text}"))
        };
        cleaner_line(self, format!("Beginning cleaning of log {name}."));
        cleaner_line(self, format!("Building offset map for {name}..."));
        let targets: Vec<i64> = self
            .segments()
            .filter(|s| s.base_offset < end)
            .map(|s| s.base_offset)
            .collect();
        let mut latest: BTreeMap<Bytes, i64> = BTreeMap::new();
        let mut records_read = 0;
        for base in &targets {
            for (_, record) in segment_records(&self.segments[base])? {
                if record.offset >= first_dirty && record.offset < end {
                    if let Some(key) = &record.key {
                        latest.insert(key.clone(), record.offset);
                    }
                }
            }
        }
        let map_end = end;
        let delete_horizon_ms = self
            .segments()
            .filter(|s| s.next_offset() <= first_dirty)
            .last()
            .map_or(0, |s| {
                s.last_modified_ms - self.config().delete_retention_ms
            });
        let groups = group_by_size(
            targets.iter().map(|b| &self.segments[b]).collect(),
            self.config(),
        );
        let mut records_kept = 0;
        let mut segments_cleaned = 0;
        for group in groups {
            let old: Vec<LogSegment> = group.iter().map(|b| self.segments[b].clone()).collect();
            let mut cleaned = LogSegment::empty(self.dir(), group[0], now_ms);
            let config = self.config().clone();
            let mut scratch = Vec::new();
            for segment in &old {
                for (batch, records) in segment_batches(segment)? {
                    records_read += records.len();
                    let kept: Vec<Record> = records
                        .into_iter()
                        .filter(|r| {
                            retain(
                                r,
                                &latest,
                                map_end,
                                segment.last_modified_ms > delete_horizon_ms,
                            )
                        })
                        .collect();
                    if kept.is_empty() {
                        continue;
                    }
                    records_kept += kept.len();
                    let rebuilt = rebuild(&batch, kept)?;
                    let batches: Vec<Batch> = Records::new(rebuilt.clone())
                        .batches()
                        .collect::<Result<_, _>>()?;
                    cleaned.append(&rebuilt, &batches, &config, now_ms, &mut scratch);
                }
            }
            cleaned.last_modified_ms = old.last().map_or(now_ms, |s| s.last_modified_ms);
            cleaner_line(
                self,
                format!(
                    "Swapping in cleaned segment {} for segment(s) {} in log {name}",
                    segment_string(&cleaned),
                    old.iter()
                        .map(segment_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            self.swap_in(cleaned, old, now_ms);
            segments_cleaned += 1;
        }
        Ok(CleanResult {
            end_offset: end,
            records_read,
            records_kept,
            segments_cleaned,
        })
    }

    /// Writes a cleaned segment as `.cleaned`, renames it `.swap`, retires the
    /// old segments as `.deleted`, and gives the new one its final names.
    fn swap_in(&mut self, cleaned: LogSegment, old: Vec<LogSegment>, now_ms: i64) {
        let version = self.config().version;
        let mut ops = Vec::new();
        let final_paths = cleaned.paths(version);
        let contents: Vec<Bytes> = vec![
            cleaned.file_records().to_bytes(),
            cleaned
                .offset_index()
                .iter()
                .flat_map(|e| e.to_bytes())
                .collect::<Vec<u8>>()
                .into(),
            cleaned
                .time_index()
                .iter()
                .flat_map(|e| e.to_bytes())
                .collect::<Vec<u8>>()
                .into(),
        ];
        for (path, data) in final_paths.iter().zip(contents) {
            write_synced(&format!("{path}.cleaned"), data, &mut ops);
        }
        for path in &final_paths {
            ops.push(FileOp::Rename {
                from: format!("{path}.cleaned"),
                to: format!("{path}.swap"),
            });
        }
        self.extend_ops(ops);
        for s in &old {
            self.segments.remove(&s.base_offset);
        }
        self.delete_segment_files(old, now_ms, "cleaning");
        let mut ops = Vec::new();
        for path in &final_paths {
            ops.push(FileOp::Rename {
                from: format!("{path}.swap"),
                to: path.clone(),
            });
        }
        self.extend_ops(ops);
        self.segments.insert(cleaned.base_offset, cleaned);
    }
}

/// Whether compaction keeps a record: keyed, not superseded within the
/// cleaned range, and not a tombstone past the delete horizon.
fn retain(
    record: &Record,
    latest: &BTreeMap<Bytes, i64>,
    map_end: i64,
    tombstones_live: bool,
) -> bool {
    if record.offset >= map_end {
        return true;
    }
    let Some(key) = &record.key else {
        return false;
    };
    let newest = latest.get(key).copied().unwrap_or(-1);
    record.offset >= newest && (record.value.is_some() || tombstones_live)
}

/// Every batch of a segment with its records.
fn segment_batches(segment: &LogSegment) -> Result<Vec<(Batch, Vec<Record>)>, LogError> {
    let records = Records::new(segment.file_records().to_bytes());
    let mut out = Vec::new();
    for batch in records.batches() {
        let batch = batch?;
        let recs = batch.records()?;
        out.push((batch, recs));
    }
    Ok(out)
}

fn segment_records(segment: &LogSegment) -> Result<Vec<(Batch, Record)>, LogError> {
    Ok(segment_batches(segment)?
        .into_iter()
        .flat_map(|(b, rs)| rs.into_iter().map(move |r| (b.clone(), r)))
        .collect())
}

/// A batch written again with only `kept` records, keeping its format, codec and producer.
fn rebuild(batch: &Batch, kept: Vec<Record>) -> Result<Bytes, LogError> {
    let compression = batch.compression()?;
    let magic = batch.magic();
    let mut options = BatchOptions::new(magic, compression).with_base_offset(kept[0].offset);
    if magic > Magic::V0 {
        options.timestamp_type = batch.timestamp_type();
        options.log_append_time = batch.max_timestamp();
    }
    if magic == Magic::V2 {
        let header = batch.header().expect("a v2 batch has a header")?;
        options.base_offset = header.base_offset;
        options.producer_id = header.producer_id;
        options.producer_epoch = header.producer_epoch;
        options.base_sequence = header.base_sequence;
        options.is_transactional = header.is_transactional;
        options.is_control = header.is_control;
        options.partition_leader_epoch = header.partition_leader_epoch;
    }
    if compression == CompressionType::None && magic < Magic::V2 {
        options.base_offset = kept[0].offset;
    }
    let mut builder = RecordsBuilder::new(options);
    for record in kept {
        builder.append_with_offset(record)?;
    }
    Ok(builder.build()?)
}

/// Consecutive segments that fit in one segment (`groupSegmentsBySize`).
fn group_by_size(segments: Vec<&LogSegment>, config: &LogConfig) -> Vec<Vec<i64>> {
    let mut groups: Vec<Vec<i64>> = Vec::new();
    let mut size = 0u64;
    let mut index_bytes = 0u64;
    for s in segments {
        let s_index = s.offset_index().len() as u64 * 8;
        let fits = groups.last().is_some_and(|g| {
            size + s.size_in_bytes() <= config.segment_bytes
                && index_bytes + s_index <= config.max_index_size_bytes
                && s.next_offset() - g[0] <= i64::from(i32::MAX)
        });
        if fits {
            groups.last_mut().expect("checked").push(s.base_offset);
            size += s.size_in_bytes();
            index_bytes += s_index;
        } else {
            groups.push(vec![s.base_offset]);
            size = s.size_in_bytes();
            index_bytes = s_index;
        }
    }
    groups
}
