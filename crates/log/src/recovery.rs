//! Opening a log from its files, with Kafka's recovery: after a clean
//! shutdown the files are trusted; otherwise the unflushed segments (2.8.2:
//! from the recovery point on; 0.8.0: the last one) are read batch by batch,
//! every CRC checked, indexes rebuilt, and a torn or corrupt tail cut off.

use bytes::Bytes;
use protocol::{Batch, Records};

use crate::checkpoint::{LEADER_EPOCH_CHECKPOINT, PARTITION_METADATA};
use crate::config::{LogConfig, LogVersion};
use crate::error::LogError;
use crate::index::{parse_offset_index, parse_time_index, OffsetEntry, TimeEntry};
use crate::leader_epoch::LeaderEpochCache;
use crate::lines::Level;
use crate::log::{partition_dir, Log};
use crate::segment::{BatchEntry, LogSegment};
use crate::storage::{DirSnapshot, FileOp};

/// What the broker knows about a log when it opens it.
#[derive(Clone, Debug)]
pub struct OpenOptions {
    pub topic: String,
    pub partition: i32,
    /// The log directory as messages name it, such as `/tmp/kafka-logs`.
    pub log_dir: String,
    pub broker_id: i32,
    pub config: LogConfig,
    /// From `recovery-point-offset-checkpoint` (0 when unknown).
    pub recovery_point: i64,
    /// From `log-start-offset-checkpoint` (0 when unknown).
    pub log_start_offset: i64,
    /// `.kafka_cleanshutdown` was there.
    pub clean_shutdown: bool,
    pub now_ms: i64,
}

/// What recovery found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecoveryReport {
    /// Base offsets of the segments read and checked.
    pub recovered_segments: Vec<i64>,
    /// Where the log was cut: the segment, the offset the log now ends at, the bytes removed.
    pub truncation: Option<Truncation>,
    /// Segments deleted because they followed a corrupt one.
    pub deleted_segments: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Truncation {
    pub segment: i64,
    pub offset: i64,
    pub bytes: u64,
    /// The problem found, in Kafka's words; `None` for a partial batch at the end.
    pub error: Option<String>,
}

/// The base offset a segment file name starts with.
fn base_offset_of(name: &str) -> Option<i64> {
    let digits = name.split('.').next()?;
    (digits.len() == 20 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())?
}

/// A segment's batches re-read and checked: the valid prefix, its batches and rebuilt indexes.
struct Scan {
    valid_bytes: usize,
    batches: Vec<BatchEntry>,
    offset_index: Vec<OffsetEntry>,
    time_index: Vec<TimeEntry>,
    error: Option<String>,
}

/// Reads a segment's batches; with `check`, validates them and rebuilds the
/// indexes as `LogSegment.recover` does (one entry per batch, when more than
/// `index.interval.bytes` passed since the last).
fn scan(data: &Bytes, base_offset: i64, config: &LogConfig, check: bool) -> Scan {
    let records = Records::new(data.clone());
    let iter = records.batches();
    let mut out = Scan {
        valid_bytes: 0,
        batches: Vec::new(),
        offset_index: Vec::new(),
        time_index: Vec::new(),
        error: None,
    };
    let (mut last_index_at, mut max_ts, mut offset_of_max) = (0usize, -1i64, base_offset);
    let mut previous_last = base_offset - 1;
    for next in iter {
        let batch: Batch = match next {
            Ok(b) => b,
            Err(e) => {
                out.error = Some(e.to_string());
                break;
            }
        };
        if check {
            if let Err(e) = batch.ensure_valid() {
                out.error = Some(e.to_string());
                break;
            }
            if batch.last_offset() <= previous_last
                || batch.last_offset() - base_offset > i64::from(i32::MAX)
            {
                out.error = Some(format!(
                    "Invalid offset {} in segment with base offset {base_offset}",
                    batch.last_offset()
                ));
                break;
            }
        }
        let entry = BatchEntry::of(&batch, out.valid_bytes as u32);
        if entry.max_timestamp > max_ts {
            max_ts = entry.max_timestamp;
            offset_of_max = entry.last_offset;
        }
        if check && out.valid_bytes - last_index_at > config.index_interval_bytes as usize {
            let key = if config.version.index_by_last_offset() {
                entry.last_offset
            } else {
                entry.first_offset
            };
            out.offset_index.push(OffsetEntry {
                relative_offset: (key - base_offset) as u32,
                position: out.valid_bytes as u32,
            });
            if config.version.has_time_index()
                && max_ts > out.time_index.last().map_or(-1, |e| e.timestamp)
            {
                out.time_index.push(TimeEntry {
                    timestamp: max_ts,
                    relative_offset: (offset_of_max - base_offset) as u32,
                });
            }
            last_index_at = out.valid_bytes;
        }
        previous_last = entry.last_offset;
        out.valid_bytes += entry.size as usize;
        out.batches.push(entry);
    }
    if check
        && config.version.has_time_index()
        && max_ts > out.time_index.last().map_or(-1, |e| e.timestamp)
    {
        out.time_index.push(TimeEntry {
            timestamp: max_ts,
            relative_offset: (offset_of_max - base_offset) as u32,
        });
    }
    out
}

impl Log {
    /// Opens a partition's log from what the storage holds (see [`OpenOptions`]).
    pub fn open(
        files: &DirSnapshot,
        options: OpenOptions,
    ) -> Result<(Log, RecoveryReport), LogError> {
        let mut log = Log::empty(&options);
        let OpenOptions {
            topic,
            partition,
            log_dir,
            broker_id: _,
            config,
            recovery_point,
            log_start_offset,
            clean_shutdown,
            now_ms,
        } = options;
        let version = config.version;

        let dir = partition_dir(&topic, partition);
        let mut report = RecoveryReport::default();
        let names: Vec<String> = files
            .files_in(&dir)
            .into_iter()
            .map(str::to_owned)
            .collect();
        let file = |name: &str| files.files.get(&format!("{dir}/{name}"));
        let abs = |name: &str| format!("{log_dir}/{dir}/{name}");
        let mut ops = Vec::new();

        // Leftovers of deletions and cleanings that did not finish.
        for name in names
            .iter()
            .filter(|n| n.ends_with(".deleted") || n.ends_with(".cleaned") || n.ends_with(".swap"))
        {
            if version.deletes_later() {
                if let Some(stem) = name.strip_suffix(".log.swap") {
                    log.line(
                        Level::Info,
                        format!(
                            "Found log file {} from interrupted swap operation, repairing.",
                            abs(name)
                        ),
                    );
                    ops.push(FileOp::Rename {
                        from: format!("{dir}/{name}"),
                        to: format!("{dir}/{stem}.log"),
                    });
                    continue;
                }
                log.line(
                    Level::Debug,
                    format!("Deleting stray temporary file {}", abs(name)),
                );
                ops.push(FileOp::Delete {
                    path: format!("{dir}/{name}"),
                });
            }
        }
        let mut bases: Vec<i64> = names
            .iter()
            .filter(|n| {
                n.ends_with(".log") || (version.deletes_later() && n.ends_with(".log.swap"))
            })
            .filter_map(|n| base_offset_of(n))
            .collect();
        bases.sort_unstable();
        bases.dedup();
        for name in names
            .iter()
            .filter(|n| n.ends_with(".index") || n.ends_with(".timeindex"))
        {
            if base_offset_of(name).is_some_and(|b| !bases.contains(&b)) {
                log.line(
                    Level::Warn,
                    match version {
                        LogVersion::Kafka0_8_0 => format!(
                            "Found an orphaned index file, {}, with no corresponding log file.",
                            abs(name)
                        ),
                        _ => format!(
                            "Found an orphaned index file {}, with no corresponding log file.",
                            abs(name)
                        ),
                    },
                );
                ops.push(FileOp::Delete {
                    path: format!("{dir}/{name}"),
                });
            }
        }

        let recover_from = if clean_shutdown {
            i64::MAX
        } else {
            match version {
                LogVersion::Kafka0_8_0 => bases.last().copied().unwrap_or(0),
                _ => bases
                    .iter()
                    .copied()
                    .filter(|b| *b <= recovery_point)
                    .max()
                    .unwrap_or(0),
            }
        };
        let mut cut = false;
        for &base in &bases {
            let stem = format!("{base:020}");
            let log_name = if names.contains(&format!("{stem}.log")) {
                format!("{stem}.log")
            } else {
                format!("{stem}.log.swap")
            };
            if cut {
                report.deleted_segments.push(base);
                for suffix in ["log", "index", "timeindex"] {
                    if file(&format!("{stem}.{suffix}")).is_some() {
                        ops.push(FileOp::Delete {
                            path: format!("{dir}/{stem}.{suffix}"),
                        });
                    }
                }
                continue;
            }
            let data = file(&log_name).cloned().unwrap_or_default();
            let index_file = file(&format!("{stem}.index"));
            if index_file.is_none() && version == LogVersion::Kafka0_8_0 {
                return Err(LogError::IllegalState(
                    "Found log file with no corresponding index file.".to_owned(),
                ));
            }
            let recover = base >= recover_from || index_file.is_none();
            if recover {
                if index_file.is_none() {
                    log.line(Level::Error, format!(
                        "Could not find offset index file corresponding to log file {}, recovering segment and rebuilding index files...",
                        abs(&log_name)
                    ));
                }
                report.recovered_segments.push(base);
                log.line(
                    Level::Info,
                    match version {
                        LogVersion::Kafka0_8_0 => {
                            format!("Recovering log segment {}", abs(&log_name))
                        }
                        _ => format!("Recovering unflushed segment {base}"),
                    },
                );
            }
            let scanned = scan(&data, base, &config, recover);
            let (offset_index, time_index) = if recover {
                (scanned.offset_index.clone(), scanned.time_index.clone())
            } else {
                let offsets = parse_offset_index(index_file.map_or(&[][..], |b| &b[..]));
                let times = parse_time_index(
                    file(&format!("{stem}.timeindex")).map_or(&[][..], |b| &b[..]),
                );
                (
                    offsets,
                    if version.has_time_index() {
                        times
                    } else {
                        Vec::new()
                    },
                )
            };
            let segment = LogSegment::loaded(
                &dir,
                base,
                data.slice(..scanned.valid_bytes),
                scanned.batches,
                offset_index,
                time_index,
                version,
                now_ms,
            );
            if recover {
                let truncated = (data.len() - scanned.valid_bytes) as u64;
                if truncated > 0 || scanned.error.is_some() {
                    if let Some(error) = &scanned.error {
                        match version {
                            LogVersion::Kafka0_8_0 => log.raw_line(Level::Warn, crate::log::LOG_LOGGER, format!("Found invalid messages in log {dir}")),
                            _ => log.raw_line(Level::Warn, "kafka.log.LogSegment", format!(
                                "Found invalid messages in log segment {} at byte offset {}: {error}. null",
                                abs(&log_name),
                                scanned.valid_bytes
                            )),
                        }
                    }
                    let end = segment.next_offset();
                    match version {
                        LogVersion::Kafka0_8_0 => log.line(
                            Level::Warn,
                            format!("Truncated {truncated} invalid bytes from the log {dir}."),
                        ),
                        _ => log.line(
                            Level::Warn,
                            format!(
                                "Corruption found in segment {base}, truncating to offset {end}"
                            ),
                        ),
                    }
                    report.truncation = Some(Truncation {
                        segment: base,
                        offset: end,
                        bytes: truncated,
                        error: scanned.error.clone(),
                    });
                    ops.push(FileOp::SetLen {
                        path: format!("{dir}/{log_name}"),
                        len: scanned.valid_bytes as u64,
                    });
                    cut = true;
                }
                segment.trim_indexes(version, &mut ops);
                if version.has_time_index() {
                    let entries: Vec<u8> = segment
                        .time_index()
                        .iter()
                        .flat_map(|e| e.to_bytes())
                        .collect();
                    ops.push(FileOp::WriteAt {
                        path: segment.time_index_path(),
                        offset: 0,
                        data: Bytes::from(entries),
                    });
                }
                let entries: Vec<u8> = segment
                    .offset_index()
                    .iter()
                    .flat_map(|e| e.to_bytes())
                    .collect();
                ops.push(FileOp::WriteAt {
                    path: segment.index_path(),
                    offset: 0,
                    data: Bytes::from(entries),
                });
            }
            log.segments.insert(base, segment);
        }
        if cut && version.deletes_later() && !report.deleted_segments.is_empty() {
            let names: Vec<String> = report
                .deleted_segments
                .iter()
                .map(|b| format!("LogSegment(baseOffset={b})"))
                .collect();
            log.line(
                Level::Info,
                format!(
                    "Deleting segments as part of log recovery: {}",
                    names.join(",")
                ),
            );
        }
        if log.segments.is_empty() {
            let start = log_start_offset.max(0);
            let segment = LogSegment::create(&dir, start, &config, now_ms, &mut ops);
            log.segments.insert(start, segment);
        }
        log.extend_ops(ops);
        log.finish_open(
            files,
            &dir,
            log_start_offset,
            recovery_point,
            clean_shutdown,
            now_ms,
        )?;
        Ok((log, report))
    }

    /// Offsets, leader epochs and producer state once the segments are in place.
    fn finish_open(
        &mut self,
        files: &DirSnapshot,
        dir: &str,
        log_start_offset: i64,
        recovery_point: i64,
        clean_shutdown: bool,
        now_ms: i64,
    ) -> Result<(), LogError> {
        let version = self.config().version;
        let active = self.active_segment();
        self.log_end_offset_set(active.next_offset());
        let first_base = *self.segments.keys().next().expect("a segment");
        let start = log_start_offset.max(first_base);
        if version.has_recovery_point() && self.log_end_offset() < start {
            self.line(Level::Warn, format!(
                "Deleting all segments because logEndOffset ({}) is smaller than logStartOffset ({start}). This could happen if segment files were deleted from the file system.",
                self.log_end_offset()
            ));
            self.truncate_fully_and_start_at(start, now_ms);
        }
        self.set_log_start_offset(start);
        let end = self.log_end_offset();
        let point = if clean_shutdown || !version.has_recovery_point() {
            end
        } else {
            recovery_point.min(end)
        };
        self.set_recovery_point(point);
        let config = self.config().clone();
        let mut ops = Vec::new();
        self.active_segment()
            .resize_indexes_to_max(&config, &mut ops);
        self.extend_ops(ops);
        if let Some(data) = files.files.get(&format!("{dir}/{PARTITION_METADATA}")) {
            // `version: 0` then `topic_id: <id>`; an unreadable file takes the log dir offline in Kafka.
            let text = String::from_utf8_lossy(data);
            let id = text
                .lines()
                .nth(1)
                .and_then(|l| l.strip_prefix("topic_id: "))
                .map(str::trim)
                .filter(|id| !id.is_empty());
            match id {
                Some(id) if text.starts_with("version: 0") => self.topic_id = Some(id.to_owned()),
                _ => {
                    return Err(LogError::IllegalState(format!(
                        "Error while reading partition metadata file {}/{dir}/{PARTITION_METADATA}",
                        self.log_dir
                    )))
                }
            }
        }
        if version.has_leader_epochs() {
            let path = format!("{dir}/{LEADER_EPOCH_CHECKPOINT}");
            let text = files
                .files
                .get(&path)
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            match LeaderEpochCache::parse(&text, &path) {
                Ok(cache) => self.leader_epochs = cache,
                Err(e) => self.line(Level::Warn, e),
            }
            self.leader_epochs.truncate_from_end(end);
            self.leader_epochs
                .truncate_from_start(self.log_start_offset());
        }
        if version.has_producer_snapshots() {
            let batches: Vec<Batch> = self
                .segments
                .values()
                .flat_map(|s| s.batches().iter().map(move |b| s.batch_bytes(b)))
                .filter_map(|bytes| Batch::from_bytes(bytes).ok())
                .collect();
            for batch in &batches {
                self.producers.update(batch);
            }
            self.line(
                Level::Info,
                format!("Loading producer state till offset {end} with message format version 2"),
            );
        }
        // 2.8.2's "Completed load" line is the LogManager's.
        if version == LogVersion::Kafka0_8_0 {
            self.line(
                Level::Info,
                format!("Completed load of log {dir} with log end offset {end}"),
            );
        }
        Ok(())
    }
}
