//! `LogManager`: one log directory (`log.dirs`) with its partition logs, the
//! broker's periodic work on them — retention, the log flusher, offset
//! checkpoints, the log cleaner — and the files of the directory itself:
//! `.lock`, `.kafka_cleanshutdown`, `meta.properties`,
//! `recovery-point-offset-checkpoint`, `log-start-offset-checkpoint`,
//! `replication-offset-checkpoint` and `cleaner-offset-checkpoint`, each
//! written when and as the broker's release writes it.
//!
//! Like [`Log`], it does no I/O and reads no clock: `tick(now_ms)` runs what
//! the broker's scheduler would have run by then, and operations and log
//! lines are taken by the caller.

use std::collections::BTreeMap;

use crate::checkpoint::{
    self, OffsetCheckpoint, CLEANER_OFFSET_CHECKPOINT, CLEAN_SHUTDOWN_FILE, LOCK_FILE,
    LOG_START_OFFSET_CHECKPOINT, META_PROPERTIES, RECOVERY_POINT_CHECKPOINT,
    REPLICATION_OFFSET_CHECKPOINT,
};
use crate::config::{LogConfig, LogVersion};
use crate::error::LogError;
use crate::lines::{Level, LogLine};
use crate::log::{partition_dir, Log};
use crate::recovery::OpenOptions;
use crate::storage::{DirSnapshot, FileOp};

const LOGGER: &str = "kafka.log.LogManager";
const CLEANER_LOGGER: &str = "kafka.log.LogCleaner";

/// `LogManager.InitialTaskDelayMs` (2.8.2): the periodic tasks start 30 s after startup.
const INITIAL_TASK_DELAY_MS: i64 = 30_000;
/// 0.8.0 starts its retention task a minute after startup.
const INITIAL_CLEANUP_DELAY_MS_0_8: i64 = 60_000;

/// A partition: topic and partition number.
pub type TopicPartition = (String, i32);

/// The broker settings the log manager runs by (code defaults from
/// [`LogManagerConfig::defaults`]; the broker overrides them from its properties).
#[derive(Clone, Debug, PartialEq)]
pub struct LogManagerConfig {
    pub version: LogVersion,
    /// The log directory as messages name it (`log.dirs`, such as `/tmp/kafka-logs`).
    pub log_dir: String,
    pub broker_id: i32,
    /// The settings of new logs (the broker's `log.*` defaults).
    pub log_config: LogConfig,
    /// `log.retention.check.interval.ms` (2.8.2, 300000); `log.cleanup.interval.mins` × 60000 (0.8.0, 10 minutes).
    pub retention_check_interval_ms: i64,
    /// `log.flush.scheduler.interval.ms` (0.8.0: 3000; 2.8.2: never).
    pub flush_scheduler_interval_ms: i64,
    /// `log.flush.offset.checkpoint.interval.ms` (60000; 0.8.1+).
    pub recovery_point_checkpoint_interval_ms: i64,
    /// `log.flush.start.offset.checkpoint.interval.ms` (60000; 0.11+).
    pub log_start_offset_checkpoint_interval_ms: i64,
    /// `replica.high.watermark.checkpoint.interval.ms` (5000).
    pub high_watermark_checkpoint_interval_ms: i64,
    /// `log.cleaner.enable` (2.8.2: true; 0.8.0 has no cleaner).
    pub cleaner_enable: bool,
    /// `log.cleaner.backoff.ms` (15000).
    pub cleaner_backoff_ms: i64,
}

impl LogManagerConfig {
    pub fn defaults(version: LogVersion, log_dir: &str, broker_id: i32) -> LogManagerConfig {
        let new = version >= LogVersion::Kafka2_8_2;
        LogManagerConfig {
            version,
            log_dir: log_dir.to_owned(),
            broker_id,
            log_config: LogConfig::defaults(version),
            retention_check_interval_ms: if new { 300_000 } else { 600_000 },
            flush_scheduler_interval_ms: if new { i64::MAX } else { 3_000 },
            recovery_point_checkpoint_interval_ms: 60_000,
            log_start_offset_checkpoint_interval_ms: 60_000,
            high_watermark_checkpoint_interval_ms: 5_000,
            cleaner_enable: version.has_compaction(),
            cleaner_backoff_ms: 15_000,
        }
    }
}

/// The broker's scheduled tasks over the logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Task {
    /// `kafka-log-retention` (0.8.0: `kafka-logcleaner-`).
    Retention,
    /// `kafka-log-flusher`.
    Flusher,
    /// `kafka-recovery-point-checkpoint` (2.8.2).
    RecoveryPointCheckpoint,
    /// `kafka-log-start-offset-checkpoint` (2.8.2).
    LogStartOffsetCheckpoint,
    /// `highwatermark-checkpoint` (ReplicaManager, after the first LeaderAndIsr).
    HighWatermarkCheckpoint,
    /// The log cleaner thread's next look for a log to compact.
    Cleaner,
}

#[derive(Clone, Copy, Debug)]
struct Scheduled {
    task: Task,
    due_ms: i64,
    period_ms: i64,
}

/// A log directory and its logs.
#[derive(Debug)]
pub struct LogManager {
    config: LogManagerConfig,
    logs: BTreeMap<TopicPartition, Log>,
    high_watermarks: BTreeMap<TopicPartition, i64>,
    cleaner_checkpoint: OffsetCheckpoint,
    schedule: Vec<Scheduled>,
    ops: Vec<FileOp>,
    lines: Vec<LogLine>,
}

/// `<topic>-<partition>` as a topic and partition (Kafka's `parseTopicPartitionName`).
pub fn parse_partition_dir(name: &str) -> Option<TopicPartition> {
    let (topic, partition) = name.rsplit_once('-')?;
    let partition = partition.parse().ok().filter(|p: &i32| *p >= 0)?;
    (!topic.is_empty()).then(|| (topic.to_owned(), partition))
}

impl LogManager {
    /// Opens the log directory as a starting broker does: takes `.lock`,
    /// notes and removes `.kafka_cleanshutdown`, reads the checkpoints,
    /// loads (and, after an unclean shutdown, recovers) every partition
    /// directory, and starts the periodic tasks.
    pub fn startup(
        files: &DirSnapshot,
        config: LogManagerConfig,
        now_ms: i64,
    ) -> Result<LogManager, LogError> {
        let mut manager = LogManager {
            config,
            logs: BTreeMap::new(),
            high_watermarks: BTreeMap::new(),
            cleaner_checkpoint: OffsetCheckpoint::default(),
            schedule: Vec::new(),
            ops: Vec::new(),
            lines: Vec::new(),
        };
        let version = manager.config.version;
        let dir = manager.config.log_dir.clone();
        let new = version >= LogVersion::Kafka2_8_2;
        if !files.files.contains_key(LOCK_FILE) {
            manager.create_empty(LOCK_FILE);
        }
        if new {
            manager.info(format!("Loading logs from log dirs ArraySeq({dir})"));
        }
        let clean_shutdown = files.files.contains_key(CLEAN_SHUTDOWN_FILE);
        if clean_shutdown {
            manager.ops.push(FileOp::Delete {
                path: CLEAN_SHUTDOWN_FILE.to_owned(),
            });
        }
        if new {
            manager.info(if clean_shutdown {
                format!("Skipping recovery for all logs in {dir} since clean shutdown file was found")
            } else {
                format!("Attempting recovery for all logs in {dir} since no clean shutdown file was found")
            });
        }
        let recovery_points = manager.read_checkpoint(
            files,
            RECOVERY_POINT_CHECKPOINT,
            "resetting the recovery checkpoint to 0",
        );
        let log_start_offsets = manager.read_checkpoint(
            files,
            LOG_START_OFFSET_CHECKPOINT,
            "resetting to the base offset of the first segment",
        );
        if new {
            manager.cleaner_checkpoint = manager
                .read_checkpoint(files, CLEANER_OFFSET_CHECKPOINT, "resetting to 0")
                .unwrap_or_default();
            // OffsetCheckpointFile creates its file, empty, when it is constructed.
            let mut checkpoints = vec![
                RECOVERY_POINT_CHECKPOINT,
                LOG_START_OFFSET_CHECKPOINT,
                REPLICATION_OFFSET_CHECKPOINT,
            ];
            if manager.config.cleaner_enable {
                checkpoints.push(CLEANER_OFFSET_CHECKPOINT);
            }
            for name in checkpoints {
                if !files.files.contains_key(name) {
                    manager.create_empty(name);
                }
            }
        }
        let partitions: Vec<(String, TopicPartition)> = files
            .dirs
            .iter()
            .filter(|d| !d.contains('/'))
            .filter_map(|d| parse_partition_dir(d).map(|tp| (d.clone(), tp)))
            .collect();
        let total = partitions.len();
        for (i, (name, tp)) in partitions.into_iter().enumerate() {
            if !new {
                manager.info(format!("Loading log '{name}'"));
            }
            let options = OpenOptions {
                topic: tp.0.clone(),
                partition: tp.1,
                log_dir: dir.clone(),
                broker_id: manager.config.broker_id,
                config: manager.config.log_config.clone(),
                recovery_point: recovery_points
                    .as_ref()
                    .and_then(|c| c.offsets.get(&tp).copied())
                    .unwrap_or(0),
                log_start_offset: log_start_offsets
                    .as_ref()
                    .and_then(|c| c.offsets.get(&tp).copied())
                    .unwrap_or(0),
                clean_shutdown,
                now_ms,
            };
            let (mut log, _) = Log::open(files, options)?;
            manager.lines.extend(log.take_lines());
            manager.ops.extend(log.take_ops());
            if new {
                let segments = log.segments().count();
                let text = format!(
                    "Completed load of {} with {segments} segments in 0ms ({}/{total} loaded in {dir})",
                    manager.describe(&log),
                    i + 1
                );
                manager.info(text);
            }
            manager.logs.insert(tp, log);
        }
        if new {
            manager.info(format!("Loaded {total} logs in 0ms."));
            manager.info(format!(
                "Starting log cleanup with a period of {} ms.",
                manager.config.retention_check_interval_ms
            ));
            manager.info(format!(
                "Starting log flusher with a default period of {} ms.",
                manager.config.flush_scheduler_interval_ms
            ));
            let c = &manager.config;
            let tasks = [
                (Task::Retention, c.retention_check_interval_ms),
                (Task::Flusher, c.flush_scheduler_interval_ms),
                (
                    Task::RecoveryPointCheckpoint,
                    c.recovery_point_checkpoint_interval_ms,
                ),
                (
                    Task::LogStartOffsetCheckpoint,
                    c.log_start_offset_checkpoint_interval_ms,
                ),
            ];
            for (task, period_ms) in tasks {
                manager.schedule(
                    task,
                    now_ms.saturating_add(INITIAL_TASK_DELAY_MS),
                    period_ms,
                );
            }
            if manager.config.cleaner_enable {
                manager.lines.push(LogLine::new(
                    Level::Info,
                    CLEANER_LOGGER,
                    "Starting the log cleaner",
                ));
                // The cleaner thread looks at once, then backs off between looks.
                manager.clean_filthiest_logs(now_ms);
                let backoff = manager.config.cleaner_backoff_ms;
                manager.schedule(Task::Cleaner, now_ms.saturating_add(backoff), backoff);
            }
        } else {
            let (cleanup, flush) = (
                manager.config.retention_check_interval_ms,
                manager.config.flush_scheduler_interval_ms,
            );
            manager.info(format!("Starting log cleaner every {cleanup} ms"));
            manager.info(format!(
                "Starting log flusher every {flush} ms with the following overrides Map()"
            ));
            manager.schedule(
                Task::Retention,
                now_ms + INITIAL_CLEANUP_DELAY_MS_0_8,
                cleanup,
            );
            manager.schedule(Task::Flusher, now_ms.saturating_add(flush), flush);
        }
        Ok(manager)
    }

    pub fn config(&self) -> &LogManagerConfig {
        &self.config
    }

    /// `Log(dir=…, topic=…, …)`, as 2.8.2's `Log.toString` prints a log.
    fn describe(&self, log: &Log) -> String {
        let tp = (log.topic.clone(), log.partition);
        let high_watermark = self.high_watermark(&tp);
        format!(
            "Log(dir={}/{}, topic={}, partition={}, highWatermark={high_watermark}, lastStableOffset={high_watermark}, logStartOffset={}, logEndOffset={})",
            self.config.log_dir,
            log.dir(),
            log.topic,
            log.partition,
            log.log_start_offset(),
            log.log_end_offset()
        )
    }

    fn schedule(&mut self, task: Task, due_ms: i64, period_ms: i64) {
        self.schedule.retain(|s| s.task != task);
        self.schedule.push(Scheduled {
            task,
            due_ms,
            period_ms,
        });
    }

    fn info(&mut self, message: String) {
        let message = match self.config.version {
            LogVersion::Kafka0_8_0 => {
                format!(
                    "[Log Manager on Broker {}] {message}",
                    self.config.broker_id
                )
            }
            _ => message,
        };
        self.lines.push(LogLine::new(Level::Info, LOGGER, message));
    }

    fn create_empty(&mut self, path: &str) {
        self.ops.push(FileOp::SetLen {
            path: path.to_owned(),
            len: 0,
        });
    }

    /// A checkpoint of the directory; `None` when it is missing or unreadable
    /// (a WARN names the file, and the broker carries on as Kafka does).
    fn read_checkpoint(
        &mut self,
        files: &DirSnapshot,
        name: &str,
        fallback: &str,
    ) -> Option<OffsetCheckpoint> {
        let data = files.files.get(name)?;
        let path = format!("{}/{name}", self.config.log_dir);
        let parsed = std::str::from_utf8(data)
            .map_err(|_| format!("Malformed checkpoint file ({path})"))
            .and_then(|text| OffsetCheckpoint::parse(text, &path));
        match parsed {
            Ok(c) => Some(c),
            Err(e) => {
                let dir = self.config.log_dir.clone();
                self.lines.push(LogLine::new(
                    Level::Warn,
                    LOGGER,
                    format!("Error occurred while reading {name} file of directory {dir}, {fallback}: {e}"),
                ));
                None
            }
        }
    }

    /// Moves every log's pending operations and lines into the manager's, in order.
    fn gather(&mut self) {
        for log in self.logs.values_mut() {
            self.ops.extend(log.take_ops());
            self.lines.extend(log.take_lines());
        }
    }

    /// The file operations since the last call, in the order they must apply.
    pub fn take_ops(&mut self) -> Vec<FileOp> {
        self.gather();
        std::mem::take(&mut self.ops)
    }

    /// The server.log lines since the last call.
    pub fn take_lines(&mut self) -> Vec<LogLine> {
        self.gather();
        std::mem::take(&mut self.lines)
    }

    pub fn log(&self, topic: &str, partition: i32) -> Option<&Log> {
        self.logs.get(&(topic.to_owned(), partition))
    }

    pub fn log_mut(&mut self, topic: &str, partition: i32) -> Option<&mut Log> {
        self.gather();
        self.logs.get_mut(&(topic.to_owned(), partition))
    }

    pub fn logs(&self) -> impl Iterator<Item = &Log> {
        self.logs.values()
    }

    /// The log of a partition, created (with `config`, or the broker's
    /// defaults) if this directory has none. `overrides` are the topic's
    /// overridden settings as 2.8.2 prints them (`key=value`, strings quoted).
    pub fn get_or_create_log(
        &mut self,
        topic: &str,
        partition: i32,
        config: Option<LogConfig>,
        overrides: &BTreeMap<String, String>,
        now_ms: i64,
    ) -> &mut Log {
        self.gather();
        let tp = (topic.to_owned(), partition);
        if !self.logs.contains_key(&tp) {
            let config = config.unwrap_or_else(|| self.config.log_config.clone());
            let mut log = Log::create(
                topic,
                partition,
                &self.config.log_dir,
                self.config.broker_id,
                config,
                now_ms,
            );
            self.ops.extend(log.take_ops());
            self.lines.extend(log.take_lines());
            let dir = self.config.log_dir.clone();
            let text = match self.config.version {
                LogVersion::Kafka0_8_0 => {
                    format!("Created log for partition [{topic},{partition}] in {dir}.")
                }
                _ => {
                    let properties: Vec<String> =
                        overrides.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    format!(
                        "Created log for partition {} in {dir}/{} with properties {{{}}}",
                        partition_dir(topic, partition),
                        partition_dir(topic, partition),
                        properties.join(", ")
                    )
                }
            };
            self.info(text);
            self.logs.insert(tp.clone(), log);
        }
        self.logs.get_mut(&tp).expect("just created")
    }

    /// The high watermark of a partition, as the replica manager set it
    /// (the log start offset until it does).
    pub fn high_watermark(&self, tp: &TopicPartition) -> i64 {
        self.high_watermarks
            .get(tp)
            .copied()
            .unwrap_or_else(|| self.logs.get(tp).map_or(0, |log| log.log_start_offset()))
    }

    /// The replica manager moved a partition's high watermark.
    pub fn set_high_watermark(&mut self, topic: &str, partition: i32, high_watermark: i64) {
        self.high_watermarks
            .insert((topic.to_owned(), partition), high_watermark);
    }

    /// The replica manager's first LeaderAndIsr request starts the
    /// high-watermark checkpoint task (`replication-offset-checkpoint`).
    pub fn start_high_watermark_checkpoints(&mut self, now_ms: i64) {
        if !self
            .schedule
            .iter()
            .any(|s| s.task == Task::HighWatermarkCheckpoint)
        {
            let period = self.config.high_watermark_checkpoint_interval_ms;
            let first = match self.config.version {
                LogVersion::Kafka0_8_0 => now_ms,
                _ => now_ms.saturating_add(period),
            };
            self.schedule(Task::HighWatermarkCheckpoint, first, period);
        }
    }

    /// A follower truncating to its leader; 2.8.2 then checkpoints the recovery points.
    pub fn truncate_to(&mut self, topic: &str, partition: i32, offset: i64, now_ms: i64) -> bool {
        self.gather();
        let Some(log) = self.logs.get_mut(&(topic.to_owned(), partition)) else {
            return false;
        };
        let truncated = log.truncate_to(offset, now_ms);
        if truncated {
            let tp = (topic.to_owned(), partition);
            if let Some(hw) = self.high_watermarks.get_mut(&tp) {
                *hw = (*hw).min(offset);
            }
            self.cleaner_truncated(&tp, offset);
            if self.config.version.has_recovery_point() {
                self.checkpoint_recovery_points();
            }
        }
        truncated
    }

    /// When the scheduler next has something to run.
    pub fn next_due_ms(&self) -> Option<i64> {
        self.schedule
            .iter()
            .map(|s| s.due_ms)
            .chain(self.logs.values().filter_map(Log::next_deletion_due_ms))
            .min()
    }

    /// Runs every task due by `now_ms`, in time order, as the scheduler would have.
    pub fn tick(&mut self, now_ms: i64) {
        self.gather();
        loop {
            let next = self
                .schedule
                .iter()
                .enumerate()
                .filter(|(_, s)| s.due_ms <= now_ms)
                .min_by_key(|(_, s)| s.due_ms)
                .map(|(i, s)| (i, *s));
            let Some((i, scheduled)) = next else { break };
            self.schedule[i].due_ms = scheduled.due_ms.saturating_add(scheduled.period_ms);
            self.run(scheduled.task, scheduled.due_ms);
        }
        for log in self.logs.values_mut() {
            log.delete_due_files(now_ms);
        }
        self.gather();
    }

    fn run(&mut self, task: Task, now_ms: i64) {
        match task {
            Task::Retention => {
                let tps: Vec<TopicPartition> = self.logs.keys().cloned().collect();
                for tp in tps {
                    let high_watermark = self.high_watermark(&tp);
                    let log = self.logs.get_mut(&tp).expect("listed");
                    log.delete_old_segments(now_ms, high_watermark);
                }
            }
            Task::Flusher => {
                for log in self.logs.values_mut() {
                    log.flush_if_due(now_ms);
                }
            }
            Task::RecoveryPointCheckpoint => self.checkpoint_recovery_points(),
            Task::LogStartOffsetCheckpoint => self.checkpoint_log_start_offsets(),
            Task::HighWatermarkCheckpoint => self.checkpoint_high_watermarks(),
            Task::Cleaner => self.clean_filthiest_logs(now_ms),
        }
        self.gather();
    }

    /// `recovery-point-offset-checkpoint`: every log's recovery point.
    fn checkpoint_recovery_points(&mut self) {
        self.gather();
        let offsets = self
            .logs
            .iter()
            .map(|(tp, log)| (tp.clone(), log.recovery_point()))
            .collect();
        OffsetCheckpoint { offsets }.write(RECOVERY_POINT_CHECKPOINT, &mut self.ops);
    }

    /// `log-start-offset-checkpoint`: only logs whose start offset passed
    /// their first segment's base offset.
    fn checkpoint_log_start_offsets(&mut self) {
        self.gather();
        let offsets = self
            .logs
            .iter()
            .filter(|(_, log)| {
                log.segments()
                    .next()
                    .is_some_and(|s| log.log_start_offset() > s.base_offset)
            })
            .map(|(tp, log)| (tp.clone(), log.log_start_offset()))
            .collect();
        OffsetCheckpoint { offsets }.write(LOG_START_OFFSET_CHECKPOINT, &mut self.ops);
    }

    /// `replication-offset-checkpoint`: every partition's high watermark.
    pub fn checkpoint_high_watermarks(&mut self) {
        self.gather();
        let offsets = self
            .logs
            .keys()
            .map(|tp| (tp.clone(), self.high_watermark(tp)))
            .collect();
        OffsetCheckpoint { offsets }.write(REPLICATION_OFFSET_CHECKPOINT, &mut self.ops);
    }

    /// The high watermarks a restarted broker reads back (0.8.0 warns for a missing file).
    pub fn read_high_watermarks(&mut self, files: &DirSnapshot) -> BTreeMap<TopicPartition, i64> {
        self.read_checkpoint(files, REPLICATION_OFFSET_CHECKPOINT, "resetting to 0")
            .map(|c| c.offsets)
            .unwrap_or_default()
    }

    /// `meta.properties`: 2.8.2 rewrites it at every start once the broker
    /// is registered (`date` is `new Date().toString()`); 0.8.0 has none.
    pub fn checkpoint_broker_metadata(&mut self, cluster_id: Option<&str>, date: &str) {
        if self.config.version >= LogVersion::Kafka2_8_2 {
            let text = checkpoint::meta_properties(self.config.broker_id, cluster_id, date);
            checkpoint::write_atomically(META_PROPERTIES, text.into_bytes(), &mut self.ops);
        }
    }

    /// The log cleaner: compacts the filthiest log while any needs it, and
    /// checkpoints where each cleaning ended.
    fn clean_filthiest_logs(&mut self, now_ms: i64) {
        loop {
            let filthiest = self
                .logs
                .iter()
                .filter(|(_, log)| log.config().cleanup_compact)
                .map(|(tp, log)| {
                    let first_dirty = self.first_dirty_offset(tp, log);
                    (
                        tp.clone(),
                        first_dirty,
                        log.cleanable_ratio(first_dirty, now_ms),
                    )
                })
                .filter(|(tp, first_dirty, _)| self.logs[tp].needs_cleaning(*first_dirty, now_ms))
                .max_by(|a, b| a.2.total_cmp(&b.2));
            let Some((tp, first_dirty, _)) = filthiest else {
                break;
            };
            let log = self.logs.get_mut(&tp).expect("listed");
            match log.clean(first_dirty, now_ms) {
                Ok(result) => {
                    self.cleaner_checkpoint
                        .offsets
                        .insert(tp, result.end_offset);
                    self.cleaner_checkpoint
                        .write(CLEANER_OFFSET_CHECKPOINT, &mut self.ops);
                }
                Err(e) => {
                    self.lines.push(LogLine::new(
                        Level::Warn,
                        CLEANER_LOGGER,
                        format!("Unexpected exception thrown when cleaning log {}. Marking its partition ({}) as uncleanable: {e}", self.describe(&self.logs[&tp]), partition_dir(&tp.0, tp.1)),
                    ));
                    break;
                }
            }
            self.gather();
        }
    }

    /// Where cleaning resumes: the checkpoint, or the log start when the
    /// checkpoint is missing or outside the log.
    fn first_dirty_offset(&self, tp: &TopicPartition, log: &Log) -> i64 {
        self.cleaner_checkpoint
            .offsets
            .get(tp)
            .copied()
            .filter(|o| *o >= log.log_start_offset() && *o <= log.log_end_offset())
            .unwrap_or_else(|| log.log_start_offset())
    }

    /// After a truncation the cleaner checkpoint may not pass the active segment.
    fn cleaner_truncated(&mut self, tp: &TopicPartition, offset: i64) {
        let Some(active_base) = self.logs.get(tp).map(|l| l.active_segment().base_offset) else {
            return;
        };
        if let Some(checkpoint) = self.cleaner_checkpoint.offsets.get_mut(tp) {
            if *checkpoint > offset {
                *checkpoint = active_base;
                self.cleaner_checkpoint
                    .write(CLEANER_OFFSET_CHECKPOINT, &mut self.ops);
            }
        }
    }

    /// A clean shutdown: every log flushed and closed, the checkpoints
    /// written (2.8.2), and `.kafka_cleanshutdown` created last.
    pub fn shutdown(&mut self, now_ms: i64) {
        self.gather();
        let new = self.config.version >= LogVersion::Kafka2_8_2;
        if new {
            self.info("Shutting down.".to_owned());
        }
        if self
            .schedule
            .iter()
            .any(|s| s.task == Task::HighWatermarkCheckpoint)
        {
            // ReplicaManager.shutdown checkpoints the high watermarks first.
            self.checkpoint_high_watermarks();
        }
        for log in self.logs.values_mut() {
            log.close(now_ms);
        }
        self.gather();
        if new {
            self.checkpoint_recovery_points();
            self.checkpoint_log_start_offsets();
        }
        self.create_empty(CLEAN_SHUTDOWN_FILE);
        self.schedule.clear();
        if new {
            self.info("Shutdown complete.".to_owned());
        }
    }
}
