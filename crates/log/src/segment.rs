//! `LogSegment`: one `.log` file with its `.index` (and `.timeindex`), kept in
//! memory as the read path, written to storage as [`FileOp`]s.

use protocol::Batch;

use crate::config::{LogConfig, LogVersion};
use crate::file_records::FileRecords;
use crate::index::{OffsetEntry, TimeEntry, OFFSET_ENTRY_BYTES, TIME_ENTRY_BYTES};
use crate::storage::FileOp;

/// `NNNNNNNNNNNNNNNNNNNN`: a base offset as Kafka names segment files.
pub fn file_stem(base_offset: i64) -> String {
    format!("{base_offset:020}")
}

/// Where one batch sits in the segment, kept for every batch (Kafka finds
/// the same positions with its sparse index and a scan).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchEntry {
    pub position: u32,
    pub size: u32,
    pub first_offset: i64,
    pub last_offset: i64,
    pub max_timestamp: i64,
}

impl BatchEntry {
    pub fn of(batch: &Batch, position: u32) -> BatchEntry {
        BatchEntry {
            position,
            size: batch.size_in_bytes() as u32,
            first_offset: batch.base_offset().unwrap_or_else(|_| batch.last_offset()),
            last_offset: batch.last_offset(),
            max_timestamp: batch.max_timestamp(),
        }
    }
}

/// One segment of a partition's log.
#[derive(Clone, Debug)]
pub struct LogSegment {
    pub base_offset: i64,
    dir: String,
    pub(crate) data: FileRecords,
    pub(crate) batches: Vec<BatchEntry>,
    pub(crate) offset_index: Vec<OffsetEntry>,
    pub(crate) time_index: Vec<TimeEntry>,
    pub(crate) bytes_since_last_index_entry: u64,
    pub(crate) max_timestamp_so_far: i64,
    pub(crate) offset_of_max_timestamp_so_far: i64,
    /// When time-based rolling counts from: the first append's largest
    /// timestamp (2.8.2), or its wall-clock time (0.8.0).
    pub(crate) rolling_based_timestamp: Option<i64>,
    pub(crate) created_ms: i64,
    /// The `.log` file's modification time.
    pub last_modified_ms: i64,
}

impl LogSegment {
    /// A new, empty segment; its files are created (indexes preallocated).
    pub fn create(
        dir: &str,
        base_offset: i64,
        config: &LogConfig,
        now_ms: i64,
        out: &mut Vec<FileOp>,
    ) -> LogSegment {
        let segment = LogSegment::empty(dir, base_offset, now_ms);
        out.push(FileOp::SetLen {
            path: segment.log_path(),
            len: 0,
        });
        segment.preallocate_indexes(config, out);
        segment
    }

    /// An in-memory segment with no files behind it yet.
    pub(crate) fn empty(dir: &str, base_offset: i64, now_ms: i64) -> LogSegment {
        LogSegment {
            base_offset,
            dir: dir.to_owned(),
            data: FileRecords::new(),
            batches: Vec::new(),
            offset_index: Vec::new(),
            time_index: Vec::new(),
            bytes_since_last_index_entry: 0,
            max_timestamp_so_far: -1,
            offset_of_max_timestamp_so_far: base_offset,
            rolling_based_timestamp: None,
            created_ms: now_ms,
            last_modified_ms: now_ms,
        }
    }

    /// A segment read back from its files.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn loaded(
        dir: &str,
        base_offset: i64,
        data: bytes::Bytes,
        batches: Vec<BatchEntry>,
        offset_index: Vec<OffsetEntry>,
        time_index: Vec<TimeEntry>,
        version: LogVersion,
        now_ms: i64,
    ) -> LogSegment {
        let mut s = LogSegment::empty(dir, base_offset, now_ms);
        for b in &batches {
            if b.max_timestamp > s.max_timestamp_so_far {
                s.max_timestamp_so_far = b.max_timestamp;
                s.offset_of_max_timestamp_so_far = b.last_offset;
            }
        }
        s.rolling_based_timestamp = match (version, batches.first()) {
            (LogVersion::Kafka0_8_0, Some(_)) => Some(now_ms),
            (_, Some(first)) if first.max_timestamp >= 0 => Some(first.max_timestamp),
            _ => None,
        };
        s.data = FileRecords::from(data);
        s.batches = batches;
        s.offset_index = offset_index;
        s.time_index = time_index;
        s
    }

    pub fn log_path(&self) -> String {
        format!("{}/{}.log", self.dir, file_stem(self.base_offset))
    }

    pub fn index_path(&self) -> String {
        format!("{}/{}.index", self.dir, file_stem(self.base_offset))
    }

    pub fn time_index_path(&self) -> String {
        format!("{}/{}.timeindex", self.dir, file_stem(self.base_offset))
    }

    /// The files of this segment for a release.
    pub fn paths(&self, version: LogVersion) -> Vec<String> {
        let mut paths = vec![self.log_path(), self.index_path()];
        if version.has_time_index() {
            paths.push(self.time_index_path());
        }
        paths
    }

    pub fn size_in_bytes(&self) -> u64 {
        self.data.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.batches.is_empty()
    }

    pub fn batches(&self) -> &[BatchEntry] {
        &self.batches
    }

    pub fn offset_index(&self) -> &[OffsetEntry] {
        &self.offset_index
    }

    pub fn time_index(&self) -> &[TimeEntry] {
        &self.time_index
    }

    /// The offset after the segment's last record (its base when empty).
    pub fn next_offset(&self) -> i64 {
        self.batches
            .last()
            .map_or(self.base_offset, |b| b.last_offset + 1)
    }

    /// The largest record timestamp, or the file's modification time when
    /// there is none (`LogSegment.largestTimestamp`).
    pub fn largest_timestamp(&self) -> i64 {
        if self.max_timestamp_so_far >= 0 {
            self.max_timestamp_so_far
        } else {
            self.last_modified_ms
        }
    }

    /// The largest record timestamp, if any record has one.
    pub fn largest_record_timestamp(&self) -> Option<i64> {
        (self.max_timestamp_so_far >= 0).then_some(self.max_timestamp_so_far)
    }

    /// The `.log` file's bytes.
    pub fn file_records(&self) -> &FileRecords {
        &self.data
    }

    /// One batch's bytes, shared.
    pub fn batch_bytes(&self, entry: &BatchEntry) -> bytes::Bytes {
        let start = entry.position as usize;
        self.data.slice(start..start + entry.size as usize)
    }

    fn preallocate_indexes(&self, config: &LogConfig, out: &mut Vec<FileOp>) {
        out.push(FileOp::SetLen {
            path: self.index_path(),
            len: config.offset_index_entries_max() * OFFSET_ENTRY_BYTES,
        });
        if config.version.has_time_index() {
            out.push(FileOp::SetLen {
                path: self.time_index_path(),
                len: config.time_index_entries_max() * TIME_ENTRY_BYTES,
            });
        }
    }

    pub fn offset_index_full(&self, config: &LogConfig) -> bool {
        self.offset_index.len() as u64 >= config.offset_index_entries_max()
    }

    /// The time index keeps one slot for the entry written when the segment rolls.
    pub fn time_index_full(&self, config: &LogConfig) -> bool {
        config.version.has_time_index()
            && self.time_index.len() as u64 + 1 >= config.time_index_entries_max()
    }

    /// Appends whole batches whose offsets continue the segment.
    pub fn append(
        &mut self,
        bytes: &bytes::Bytes,
        batches: &[Batch],
        config: &LogConfig,
        now_ms: i64,
        out: &mut Vec<FileOp>,
    ) {
        let (Some(first), Some(last)) = (batches.first(), batches.last()) else {
            return;
        };
        assert!(
            first.last_offset() >= self.next_offset() && last.last_offset() >= first.last_offset(),
            "appends continue the segment's offsets"
        );
        let position = self.data.len() as u32;
        let first_offset = first.base_offset().unwrap_or_else(|_| first.last_offset());
        let (max_timestamp, offset_of_max) = batches
            .iter()
            .map(|b| (b.max_timestamp(), b.last_offset()))
            .fold(
                (-1, first_offset),
                |acc, b| if b.0 > acc.0 { b } else { acc },
            );
        if self.batches.is_empty() {
            self.rolling_based_timestamp = match config.version {
                LogVersion::Kafka0_8_0 => Some(now_ms),
                _ => (max_timestamp >= 0).then_some(max_timestamp),
            };
        }
        if max_timestamp > self.max_timestamp_so_far {
            self.max_timestamp_so_far = max_timestamp;
            self.offset_of_max_timestamp_so_far = offset_of_max;
        }
        if self.bytes_since_last_index_entry > config.index_interval_bytes {
            let key = if config.version.index_by_last_offset() {
                last.last_offset()
            } else {
                first_offset
            };
            self.append_offset_entry(key, position, out);
            if config.version.has_time_index() {
                self.maybe_append_time_entry(
                    self.max_timestamp_so_far,
                    self.offset_of_max_timestamp_so_far,
                    out,
                );
            }
            self.bytes_since_last_index_entry = 0;
        }
        let mut at = position;
        for batch in batches {
            self.batches.push(BatchEntry::of(batch, at));
            at += batch.size_in_bytes() as u32;
        }
        self.data.append(bytes.clone());
        self.bytes_since_last_index_entry += bytes.len() as u64;
        self.last_modified_ms = now_ms;
        out.push(FileOp::Append {
            path: self.log_path(),
            data: bytes.clone(),
        });
    }

    fn append_offset_entry(&mut self, offset: i64, position: u32, out: &mut Vec<FileOp>) {
        let entry = OffsetEntry {
            relative_offset: (offset - self.base_offset) as u32,
            position,
        };
        let at = self.offset_index.len() as u64 * OFFSET_ENTRY_BYTES;
        self.offset_index.push(entry);
        out.push(FileOp::WriteAt {
            path: self.index_path(),
            offset: at,
            data: bytes::Bytes::copy_from_slice(&entry.to_bytes()),
        });
    }

    /// Adds a time index entry when the timestamp grew (`TimeIndex.maybeAppend`).
    fn maybe_append_time_entry(&mut self, timestamp: i64, offset: i64, out: &mut Vec<FileOp>) {
        let last = self.time_index.last().map_or(-1, |e| e.timestamp);
        if timestamp <= last {
            return;
        }
        let entry = TimeEntry {
            timestamp,
            relative_offset: (offset - self.base_offset) as u32,
        };
        let at = self.time_index.len() as u64 * TIME_ENTRY_BYTES;
        self.time_index.push(entry);
        out.push(FileOp::WriteAt {
            path: self.time_index_path(),
            offset: at,
            data: bytes::Bytes::copy_from_slice(&entry.to_bytes()),
        });
    }

    /// The segment stops being the active one (a roll, a close): its last
    /// time entry is written and its index files trimmed to their entries.
    pub fn on_become_inactive(&mut self, version: LogVersion, out: &mut Vec<FileOp>) {
        if version.has_time_index() {
            self.maybe_append_time_entry(
                self.max_timestamp_so_far,
                self.offset_of_max_timestamp_so_far,
                out,
            );
        }
        self.trim_indexes(version, out);
    }

    pub(crate) fn trim_indexes(&self, version: LogVersion, out: &mut Vec<FileOp>) {
        out.push(FileOp::SetLen {
            path: self.index_path(),
            len: self.offset_index.len() as u64 * OFFSET_ENTRY_BYTES,
        });
        if version.has_time_index() {
            out.push(FileOp::SetLen {
                path: self.time_index_path(),
                len: self.time_index.len() as u64 * TIME_ENTRY_BYTES,
            });
        }
    }

    /// The active segment's indexes go back to their full preallocated size.
    pub(crate) fn resize_indexes_to_max(&self, config: &LogConfig, out: &mut Vec<FileOp>) {
        self.preallocate_indexes(config, out);
    }

    /// Removes every batch holding `offset` or later; returns the bytes removed.
    pub fn truncate_to(
        &mut self,
        offset: i64,
        config: &LogConfig,
        now_ms: i64,
        out: &mut Vec<FileOp>,
    ) -> u64 {
        let keep = self.batches.partition_point(|b| b.last_offset < offset);
        let position = self
            .batches
            .get(keep)
            .map_or(self.data.len(), |b| b.position as usize);
        let removed = (self.data.len() - position) as u64;
        self.batches.truncate(keep);
        self.data.truncate(position);
        let base = self.base_offset;
        self.offset_index
            .retain(|e| base + i64::from(e.relative_offset) < offset);
        self.time_index
            .retain(|e| base + i64::from(e.relative_offset) < offset);
        self.max_timestamp_so_far = -1;
        self.offset_of_max_timestamp_so_far = self.base_offset;
        for b in &self.batches {
            if b.max_timestamp > self.max_timestamp_so_far {
                self.max_timestamp_so_far = b.max_timestamp;
                self.offset_of_max_timestamp_so_far = b.last_offset;
            }
        }
        self.bytes_since_last_index_entry = 0;
        if self.batches.is_empty() {
            self.rolling_based_timestamp = None;
            self.created_ms = now_ms;
        }
        if removed > 0 {
            self.last_modified_ms = now_ms;
        }
        out.push(FileOp::SetLen {
            path: self.log_path(),
            len: position as u64,
        });
        self.trim_indexes(config.version, out);
        self.resize_indexes_to_max(config, out);
        removed
    }

    /// The index of the first batch whose last offset is at least `offset`.
    pub fn batch_index_for(&self, offset: i64) -> Option<usize> {
        let i = self.batches.partition_point(|b| b.last_offset < offset);
        (i < self.batches.len()).then_some(i)
    }
}
