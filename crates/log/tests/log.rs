//! The partition log's behaviour per release, checked on the files it writes.

use bytes::Bytes;
use kafka_log::checkpoint::OffsetCheckpoint;
use kafka_log::index::{parse_offset_index, parse_time_index};
use kafka_log::{
    FileOp, Level, Log, LogConfig, LogError, LogVersion, MemoryStorage, OpenOptions,
    RecoveryReport, Storage,
};
use protocol::convert::AppendConfig;
use protocol::{BatchOptions, CompressionType, Magic, Records, RecordsBuilder};

const T0: i64 = 1_380_585_600_000;

fn config(version: LogVersion) -> LogConfig {
    LogConfig::defaults(version)
}

fn append_config(magic: Magic) -> AppendConfig {
    AppendConfig::defaults(magic, "test-0", T0)
}

fn magic_of(version: LogVersion) -> Magic {
    match version {
        LogVersion::Kafka0_8_0 => Magic::V0,
        _ => Magic::V2,
    }
}

/// A producer's batch of `count` records of `value_len` bytes each.
fn batch(
    magic: Magic,
    count: usize,
    value_len: usize,
    timestamp: i64,
    key: Option<&str>,
) -> Records {
    let mut b = RecordsBuilder::new(BatchOptions::new(magic, CompressionType::None));
    for i in 0..count {
        let value = vec![b'a' + (i % 26) as u8; value_len];
        b.append(
            timestamp + i as i64,
            key.map(str::as_bytes),
            Some(&value),
            vec![],
        );
    }
    Records::new(b.build().unwrap())
}

/// A log with its storage: every operation goes to the storage at once.
struct Harness {
    log: Log,
    storage: MemoryStorage,
    ops: Vec<FileOp>,
}

impl Harness {
    fn new(version: LogVersion, config: LogConfig) -> Harness {
        let log = Log::create("test", 0, "/tmp/kafka-logs", 0, config, T0);
        let mut h = Harness {
            log,
            storage: MemoryStorage::new(),
            ops: Vec::new(),
        };
        let _ = version;
        h.sync();
        h
    }

    fn sync(&mut self) {
        let ops = self.log.take_ops();
        self.ops.extend(ops.clone());
        self.storage.submit(ops).unwrap();
    }

    fn append(&mut self, records: &Records, now: i64) -> kafka_log::LogAppendInfo {
        let magic = records.batches().next().unwrap().unwrap().magic();
        let mut cfg = append_config(magic);
        cfg.now_ms = now;
        let info = self.log.append_as_leader(records, &cfg, now).unwrap();
        self.sync();
        info
    }

    fn file(&self, name: &str) -> Bytes {
        self.storage
            .file(&format!("test-0/{name}"))
            .unwrap_or_else(|| panic!("no file {name}"))
    }

    /// The log opened again from what the storage holds (2.8.2 defaults).
    fn reopen(&self, clean_shutdown: bool, recovery_point: i64) -> (Log, RecoveryReport) {
        let files = self.storage.load("").unwrap();
        Log::open(
            &files,
            OpenOptions {
                topic: "test".into(),
                partition: 0,
                log_dir: "/tmp/kafka-logs".into(),
                broker_id: 0,
                config: config(LogVersion::Kafka2_8_2),
                recovery_point,
                log_start_offset: 0,
                clean_shutdown,
                now_ms: T0,
            },
        )
        .unwrap()
    }

    fn lines(&mut self) -> Vec<String> {
        self.log
            .take_lines()
            .into_iter()
            .map(|l| format!("{} {} ({})", l.level.name(), l.message, l.logger))
            .collect()
    }

    /// Every offset from `from` to the end; a read returns one segment's data, so read on.
    fn offsets(&self, from: i64) -> Vec<i64> {
        let mut all = Vec::new();
        let mut next = from;
        while next < self.log.log_end_offset() {
            let data = self.log.read(next, usize::MAX, None, true).unwrap();
            let records = Records::new(data.records).records().unwrap();
            let Some(last) = records.last() else { break };
            next = last.offset + 1;
            all.extend(records.iter().map(|r| r.offset).filter(|o| *o >= from));
        }
        all
    }
}

#[test]
fn a_new_log_has_kafkas_files_for_each_release() {
    let h = Harness::new(LogVersion::Kafka2_8_2, config(LogVersion::Kafka2_8_2));
    assert_eq!(h.file("00000000000000000000.log").len(), 0);
    assert_eq!(
        h.file("00000000000000000000.index").len(),
        10_485_760,
        "preallocated"
    );
    assert_eq!(
        h.file("00000000000000000000.timeindex").len(),
        10_485_756,
        "rounded down to 12-byte entries"
    );
    assert_eq!(h.file("leader-epoch-checkpoint")[..], b"0\n0\n"[..]);
    let old = Harness::new(LogVersion::Kafka0_8_0, config(LogVersion::Kafka0_8_0));
    assert_eq!(old.file("00000000000000000000.index").len(), 10_485_760);
    assert!(
        old.storage
            .file("test-0/00000000000000000000.timeindex")
            .is_none(),
        "0.8.0 has no time index"
    );
    assert!(old.storage.file("test-0/leader-epoch-checkpoint").is_none());
}

#[test]
fn index_entries_follow_the_interval_and_each_releases_key() {
    for (version, expected_key) in [(LogVersion::Kafka2_8_2, 9), (LogVersion::Kafka0_8_0, 5)] {
        let mut h = Harness::new(version, config(version));
        let magic = magic_of(version);
        // Five records of ~1000 bytes per append: the first append never indexes.
        h.append(&batch(magic, 5, 1000, T0, None), T0);
        assert!(h.log.active_segment().offset_index().is_empty());
        // Over 4096 bytes since the last entry: the next append gets one.
        h.append(&batch(magic, 5, 1000, T0 + 10, None), T0);
        let index = parse_offset_index(&h.file("00000000000000000000.index")[..8]);
        assert_eq!(index[0].relative_offset, expected_key, "{version:?}");
        assert_eq!(
            index[0].position as usize,
            h.log.active_segment().batches()[if magic == Magic::V2 { 1 } else { 5 }].position
                as usize
        );
        if version.has_time_index() {
            let times = parse_time_index(&h.file("00000000000000000000.timeindex")[..12]);
            assert_eq!((times[0].timestamp, times[0].relative_offset), (T0 + 14, 9));
        }
    }
}

#[test]
fn rolling_trims_indexes_and_writes_a_producer_snapshot() {
    let mut h = Harness::new(LogVersion::Kafka2_8_2, config(LogVersion::Kafka2_8_2));
    h.append(&batch(Magic::V2, 3, 10, T0, None), T0);
    h.log.roll(T0);
    h.sync();
    assert_eq!(h.file("00000000000000000000.index").len(), 0);
    assert_eq!(
        h.file("00000000000000000000.timeindex").len(),
        12,
        "the last entry at roll"
    );
    assert_eq!(h.file("00000000000000000003.index").len(), 10_485_760);
    assert_eq!(
        h.file("00000000000000000003.snapshot")[..],
        [0x00, 0x01, 0x48, 0x67, 0x4B, 0xC7, 0, 0, 0, 0][..]
    );
    assert_eq!(h.log.recovery_point(), 3, "a roll flushes the old segment");
    let lines = h.lines();
    assert!(lines.contains(&"INFO [Log partition=test-0, dir=/tmp/kafka-logs] Rolled new log segment at offset 3 in 0 ms. (kafka.log.Log)".to_owned()), "{lines:?}");
}

#[test]
fn segments_roll_on_size_as_each_release_decides() {
    for version in [LogVersion::Kafka2_8_2, LogVersion::Kafka0_8_0] {
        let mut cfg = config(version);
        cfg.segment_bytes = 1000;
        let mut h = Harness::new(version, cfg);
        let magic = magic_of(version);
        let one = batch(magic, 1, 400, T0, None);
        let size = one.len() as u64;
        for _ in 0..3 {
            h.append(&batch(magic, 1, 400, T0, None), T0);
        }
        let sizes: Vec<u64> = h.log.segments().map(|s| s.size_in_bytes()).collect();
        match version {
            // 2.8.2 rolls before the segment would pass segment.bytes.
            LogVersion::Kafka2_8_2 => assert_eq!(sizes, [2 * size, size]),
            // 0.8.0 rolls only once the segment is already over it.
            _ => assert_eq!(sizes, [3 * size]),
        }
    }
}

#[test]
fn reads_follow_the_fetch_versions_rules() {
    let mut h = Harness::new(LogVersion::Kafka2_8_2, config(LogVersion::Kafka2_8_2));
    h.append(&batch(Magic::V2, 2, 500, T0, None), T0);
    h.append(&batch(Magic::V2, 2, 500, T0, None), T0);
    let first = h.log.active_segment().batches()[0].size as usize;
    // Fetch v0-v2: max_bytes is a hard limit; the batch comes cut.
    let cut = h.log.read(0, 100, None, false).unwrap();
    assert_eq!(cut.records.len(), 100);
    assert!(cut.first_entry_incomplete);
    assert_eq!(
        Records::new(cut.records).batches().count(),
        0,
        "a partial batch only"
    );
    // Fetch v3+: the first batch whole even above max_bytes.
    let whole = h.log.read(0, 100, None, true).unwrap();
    assert_eq!(whole.records.len(), first);
    // Nothing at or above the high watermark.
    let bounded = h.log.read(0, usize::MAX, Some(2), true).unwrap();
    assert_eq!(Records::new(bounded.records).records().unwrap().len(), 2);
    // A read in the middle of a batch starts at the batch.
    assert_eq!(h.offsets(3), [3]);
    assert_eq!(
        h.log.read(4, 10, None, false).unwrap().records.len(),
        0,
        "the log end offset reads as empty"
    );
    let err = h.log.read(5, 10, None, false).unwrap_err();
    assert_eq!(err.kafka_name(), "OffsetOutOfRangeException");
    assert_eq!(err.to_string(), "Received request for offset 5 for partition test-0, but we only have log segments in the range 0 to 4.");
}

#[test]
fn truncation_removes_whole_batches_and_ends_the_log_at_the_target() {
    let mut h = Harness::new(LogVersion::Kafka2_8_2, config(LogVersion::Kafka2_8_2));
    h.append(&batch(Magic::V2, 3, 10, T0, None), T0);
    h.log.roll(T0);
    h.append(&batch(Magic::V2, 3, 10, T0, None), T0);
    h.append(&batch(Magic::V2, 3, 10, T0, None), T0);
    assert!(h.log.truncate_to(6, T0));
    h.sync();
    assert_eq!(h.log.log_end_offset(), 6);
    assert_eq!(h.offsets(0), [0, 1, 2, 3, 4, 5]);
    assert!(h.log.truncate_to(1, T0));
    h.sync();
    assert_eq!(
        h.offsets(0),
        Vec::<i64>::new(),
        "the batch holding offset 1 is gone whole"
    );
    assert_eq!(h.log.log_end_offset(), 1);
    assert!(
        h.storage
            .file("test-0/00000000000000000003.log.deleted")
            .is_some(),
        "deleted later, as .deleted"
    );
    h.log.tick(T0 + 60_000);
    h.sync();
    assert!(h
        .storage
        .file("test-0/00000000000000000003.log.deleted")
        .is_none());
}

#[test]
fn recovery_cuts_a_torn_tail_and_says_so() {
    let mut h = Harness::new(LogVersion::Kafka2_8_2, config(LogVersion::Kafka2_8_2));
    h.append(&batch(Magic::V2, 2, 10, T0, None), T0);
    h.append(&batch(Magic::V2, 2, 10, T0, None), T0);
    // The last append reached the disk only in part.
    let log_path = "test-0/00000000000000000000.log".to_owned();
    let len = h.file("00000000000000000000.log").len() as u64;
    h.storage
        .submit(vec![FileOp::SetLen {
            path: log_path,
            len: len - 5,
        }])
        .unwrap();
    let (mut log, report) = h.reopen(false, 0);
    assert_eq!(report.recovered_segments, [0]);
    let truncation = report.truncation.unwrap();
    assert_eq!((truncation.offset, truncation.error), (2, None));
    assert_eq!(log.log_end_offset(), 2);
    let lines: Vec<String> = log
        .take_lines()
        .into_iter()
        .filter(|l| l.level >= Level::Info)
        .map(|l| l.message)
        .collect();
    assert!(
        lines.contains(
            &"[Log partition=test-0, dir=/tmp/kafka-logs] Recovering unflushed segment 0"
                .to_owned()
        ),
        "{lines:?}"
    );
    assert!(lines.contains(&"[Log partition=test-0, dir=/tmp/kafka-logs] Corruption found in segment 0, truncating to offset 2".to_owned()), "{lines:?}");
}

#[test]
fn recovery_refuses_a_batch_whose_crc_fails() {
    let mut h = Harness::new(LogVersion::Kafka2_8_2, config(LogVersion::Kafka2_8_2));
    h.append(&batch(Magic::V2, 2, 10, T0, None), T0);
    h.append(&batch(Magic::V2, 2, 10, T0, None), T0);
    let second = h.log.active_segment().batches()[1].position as u64;
    h.storage
        .submit(vec![FileOp::WriteAt {
            path: "test-0/00000000000000000000.log".into(),
            offset: second + 70,
            data: Bytes::from_static(b"X"),
        }])
        .unwrap();
    let (log, report) = h.reopen(false, 0);
    let truncation = report.truncation.unwrap();
    assert_eq!(truncation.offset, 2);
    assert!(truncation
        .error
        .unwrap()
        .starts_with("Record batch is corrupt (stored crc = "));
    assert_eq!(
        log.log_end_offset(),
        2,
        "never serve a record whose CRC fails"
    );
}

#[test]
fn retention_in_2_8_2_goes_by_record_time_and_deletes_a_minute_later() {
    let mut cfg = config(LogVersion::Kafka2_8_2);
    cfg.retention_ms = 1000;
    let mut h = Harness::new(LogVersion::Kafka2_8_2, cfg);
    h.append(&batch(Magic::V2, 2, 10, T0, None), T0);
    h.log.roll(T0);
    h.append(&batch(Magic::V2, 2, 10, T0 + 5000, None), T0 + 5000);
    h.sync();
    h.lines();
    assert_eq!(h.log.delete_old_segments(T0 + 5500, 4), 1);
    h.sync();
    assert_eq!(h.log.log_start_offset(), 2);
    assert!(h
        .storage
        .file("test-0/00000000000000000000.log.deleted")
        .is_some());
    let lines = h.lines();
    assert!(lines[0].starts_with("INFO [Log partition=test-0, dir=/tmp/kafka-logs] Deleting segment LogSegment(baseOffset=0, size="), "{lines:?}");
    assert!(lines[0].ends_with(", largestRecordTimestamp=Some(1380585600001)) due to retention time 1000ms breach based on the largest record timestamp in the segment (kafka.log.Log)"), "{lines:?}");
    assert_eq!(lines[1], "INFO [Log partition=test-0, dir=/tmp/kafka-logs] Incremented log start offset to 2 due to segment deletion (kafka.log.Log)");
    h.log.tick(T0 + 5500 + 60_000);
    h.sync();
    assert!(h
        .storage
        .file("test-0/00000000000000000000.log.deleted")
        .is_none());
    assert_eq!(h.lines()[0], "INFO Deleted log /tmp/kafka-logs/test-0/00000000000000000000.log.deleted. (kafka.log.LogSegment)");
}

#[test]
fn retention_in_0_8_0_goes_by_file_time_and_deletes_at_once() {
    let mut cfg = config(LogVersion::Kafka0_8_0);
    cfg.retention_ms = 1000;
    let mut h = Harness::new(LogVersion::Kafka0_8_0, cfg);
    h.append(&batch(Magic::V0, 2, 10, T0, None), T0);
    h.log.roll(T0);
    h.append(&batch(Magic::V0, 2, 10, T0, None), T0 + 5000);
    h.lines();
    assert_eq!(h.log.delete_old_segments(T0 + 5500, 4), 1);
    h.sync();
    assert!(h.storage.file("test-0/00000000000000000000.log").is_none());
    assert!(h
        .storage
        .file("test-0/00000000000000000000.log.deleted")
        .is_none());
    assert_eq!(h.lines(), [
        "INFO [Kafka Log on Broker 0], Deleting log segment 0 from test-0 (kafka.log.Log)",
        "INFO Deleting index /tmp/kafka-logs/test-0/00000000000000000000.index (kafka.log.OffsetIndex)",
    ]);
}

#[test]
fn compaction_keeps_the_latest_value_of_each_key() {
    let mut cfg = config(LogVersion::Kafka2_8_2);
    cfg.cleanup_compact = true;
    cfg.cleanup_delete = false;
    let mut h = Harness::new(LogVersion::Kafka2_8_2, cfg);
    for (key, count) in [("a", 2), ("b", 1), ("a", 1), ("c", 2)] {
        h.append(&batch(Magic::V2, count, 5, T0, Some(key)), T0);
    }
    h.log.roll(T0);
    h.append(&batch(Magic::V2, 1, 5, T0, Some("a")), T0);
    h.sync();
    let before = h.log.cleanable_ratio(0, T0);
    assert!(before > 0.99 && h.log.needs_cleaning(0, T0));
    let result = h.log.clean(0, T0).unwrap();
    h.sync();
    assert_eq!(result.end_offset, 6, "the active segment is not cleaned");
    assert_eq!(
        h.offsets(0),
        [2, 3, 5, 6],
        "latest a (below the active segment), b, latest c, then the active segment"
    );
    assert!(
        h.storage
            .file("test-0/00000000000000000000.log.deleted")
            .is_some(),
        "the old segment waits as .deleted"
    );
    assert!(
        h.storage.file("test-0/00000000000000000000.log").is_some(),
        "the cleaned one took its name"
    );
    assert!(h.ops.iter().any(|op| matches!(op, FileOp::Rename { from, to } if from.ends_with(".log.cleaned") && to.ends_with(".log.swap"))));
}

#[test]
fn a_clean_restart_reads_everything_back_and_checkpoints_round_trip() {
    let mut h = Harness::new(LogVersion::Kafka2_8_2, config(LogVersion::Kafka2_8_2));
    h.append(&batch(Magic::V2, 3, 10, T0, Some("k")), T0);
    h.log.assign_leader_epoch(1, 3);
    h.append(&batch(Magic::V2, 3, 10, T0, Some("k")), T0);
    h.log.close(T0);
    h.sync();
    // The batches carried leader epoch 0 from offset 0; epoch 1 starts at 3.
    assert_eq!(
        h.file("leader-epoch-checkpoint")[..],
        b"0\n2\n0 0\n1 3\n"[..]
    );
    let (log, report) = h.reopen(true, 6);
    assert!(report.recovered_segments.is_empty());
    assert_eq!((log.log_end_offset(), log.recovery_point()), (6, 6));
    assert_eq!(log.leader_epochs().entries(), &[(0, 0), (1, 3)]);
    let mut c = OffsetCheckpoint::default();
    c.offsets.insert(("test".into(), 0), log.recovery_point());
    assert_eq!(c.to_text(), "0\n1\ntest 0 6\n");
}

#[test]
fn too_large_records_and_bad_offsets_are_refused() {
    let mut cfg = config(LogVersion::Kafka2_8_2);
    cfg.max_message_bytes = 100;
    let mut h = Harness::new(LogVersion::Kafka2_8_2, cfg);
    let err = h
        .log
        .append_as_leader(
            &batch(Magic::V2, 1, 500, T0, None),
            &append_config(Magic::V2),
            T0,
        )
        .unwrap_err();
    assert_eq!(err.kafka_name(), "RecordTooLargeException");
    let follower = batch(Magic::V2, 1, 5, T0, None);
    h.log.append_as_follower(&follower, T0).unwrap();
    let err = h.log.append_as_follower(&follower, T0).unwrap_err();
    assert!(matches!(err, LogError::Record(_)), "offset 0 again: {err}");
}

#[test]
fn tombstones_go_once_a_newer_clean_segment_is_delete_retention_ms_younger() {
    let mut cfg = config(LogVersion::Kafka2_8_2);
    cfg.cleanup_compact = true;
    cfg.cleanup_delete = false;
    cfg.segment_bytes = 100; // one batch per segment, so cleaning never merges them
    let day = cfg.delete_retention_ms;
    assert_eq!(day, 86_400_000, "delete.retention.ms defaults to a day");
    let mut h = Harness::new(LogVersion::Kafka2_8_2, cfg);
    let mut b = RecordsBuilder::new(BatchOptions::new(Magic::V2, CompressionType::None));
    b.append(T0, Some(b"a"), Some(b"1"), vec![]);
    b.append(T0, Some(b"a"), None, vec![]);
    h.append(&Records::new(b.build().unwrap()), T0);
    h.log.roll(T0);
    h.log.clean(0, T0).unwrap();
    h.sync();
    assert_eq!(
        h.offsets(0),
        [1],
        "the tombstone stays while nothing older is clean"
    );

    let later = T0 + day + 60_000;
    h.append(&batch(Magic::V2, 1, 1, later, Some("b")), later);
    h.log.roll(later);
    let first_dirty = h.log.clean(2, later).unwrap().end_offset;
    h.sync();
    assert_eq!(
        h.offsets(0),
        [1, 2],
        "the horizon is the last clean segment's time less a day"
    );

    h.append(&batch(Magic::V2, 1, 1, later, Some("c")), later);
    h.log.roll(later);
    h.log.clean(first_dirty, later).unwrap();
    h.sync();
    assert_eq!(
        h.offsets(0),
        [2, 3],
        "a clean segment a day younger lets the tombstone go"
    );
}

#[test]
fn segments_roll_on_time_by_record_time_in_2_8_2_and_by_the_clock_in_0_8_0() {
    let mut cfg = config(LogVersion::Kafka2_8_2);
    cfg.segment_ms = 1000;
    let mut h = Harness::new(LogVersion::Kafka2_8_2, cfg);
    h.append(&batch(Magic::V2, 1, 10, T0, None), T0);
    // Wall-clock time alone does not roll a 2.8.2 segment whose records are young.
    h.append(&batch(Magic::V2, 1, 10, T0 + 500, None), T0 + 60_000);
    assert_eq!(h.log.segments().count(), 1);
    h.append(&batch(Magic::V2, 1, 10, T0 + 1001, None), T0 + 60_000);
    assert_eq!(
        h.log.segments().map(|s| s.base_offset).collect::<Vec<_>>(),
        [0, 2]
    );

    let mut cfg = config(LogVersion::Kafka0_8_0);
    cfg.segment_ms = 1000;
    let mut h = Harness::new(LogVersion::Kafka0_8_0, cfg);
    h.append(&batch(Magic::V0, 1, 10, T0, None), T0);
    h.append(&batch(Magic::V0, 1, 10, T0, None), T0 + 1000);
    assert_eq!(h.log.segments().count(), 1);
    h.lines();
    h.append(&batch(Magic::V0, 1, 10, T0, None), T0 + 1001);
    assert_eq!(
        h.log.segments().map(|s| s.base_offset).collect::<Vec<_>>(),
        [0, 2]
    );
    assert!(h.lines().contains(
        &"INFO [Kafka Log on Broker 0], Rolling test-0 due to time based rolling (kafka.log.Log)"
            .to_owned()
    ));
}

#[test]
fn a_full_index_rolls_the_segment() {
    let mut cfg = config(LogVersion::Kafka0_8_0);
    cfg.index_interval_bytes = 1;
    cfg.max_index_size_bytes = 16; // two offset-index entries
    let mut h = Harness::new(LogVersion::Kafka0_8_0, cfg);
    for _ in 0..4 {
        h.append(&batch(Magic::V0, 1, 10, T0, None), T0);
    }
    assert_eq!(
        h.log.segments().map(|s| s.base_offset).collect::<Vec<_>>(),
        [0, 3]
    );
    assert!(h.lines().contains(&"INFO [Kafka Log on Broker 0], Rolling test-0 due to full index maxIndexSize = 16, entries = 2, maxEntries = 2 (kafka.log.Log)".to_owned()));
}

#[test]
fn offsets_are_found_by_time_as_each_release_can() {
    let mut h = Harness::new(LogVersion::Kafka2_8_2, config(LogVersion::Kafka2_8_2));
    h.append(&batch(Magic::V2, 2, 10, T0, None), T0);
    h.append(&batch(Magic::V2, 2, 10, T0 + 100, None), T0);
    // ListOffsets by timestamp: the first record at or after it.
    assert_eq!(
        h.log.offset_for_timestamp(T0 + 1).unwrap(),
        Some((1, T0 + 1))
    );
    assert_eq!(
        h.log.offset_for_timestamp(T0 + 2).unwrap(),
        Some((2, T0 + 100))
    );
    assert_eq!(h.log.offset_for_timestamp(T0 + 102).unwrap(), None);

    // 0.8.0's OffsetRequest: segment starts by file time, newest first.
    let mut h = Harness::new(LogVersion::Kafka0_8_0, config(LogVersion::Kafka0_8_0));
    h.append(&batch(Magic::V0, 1, 10, T0, None), T0);
    h.log.roll(T0 + 1000);
    h.append(&batch(Magic::V0, 1, 10, T0, None), T0 + 2000);
    let now = T0 + 3000;
    assert_eq!(
        h.log.offsets_before(-1, 10, now),
        [2, 1, 0],
        "latest: the log end first"
    );
    assert_eq!(h.log.offsets_before(-2, 10, now), [0], "earliest");
    assert_eq!(h.log.offsets_before(T0 + 1500, 10, now), [0]);
    assert_eq!(h.log.offsets_before(-1, 1, now), [2], "maxNumOffsets");
}

#[test]
fn flush_messages_forces_the_log_after_that_many_messages() {
    for version in [LogVersion::Kafka0_8_0, LogVersion::Kafka2_8_2] {
        let mut cfg = config(version);
        cfg.flush_messages = 3;
        let mut h = Harness::new(version, cfg);
        let syncs = |h: &Harness| {
            h.ops
                .iter()
                .filter(|op| matches!(op, FileOp::Sync { path } if path.ends_with(".log")))
                .count()
        };
        h.append(&batch(magic_of(version), 2, 10, T0, None), T0);
        assert_eq!(syncs(&h), 0, "{version:?}");
        h.append(&batch(magic_of(version), 1, 10, T0, None), T0);
        assert_eq!(syncs(&h), 1, "{version:?}");
        if version == LogVersion::Kafka2_8_2 {
            assert_eq!(h.log.recovery_point(), 3);
        }
    }
}

#[test]
fn delete_records_moves_the_log_start_offset() {
    let mut h = Harness::new(LogVersion::Kafka2_8_2, config(LogVersion::Kafka2_8_2));
    h.append(&batch(Magic::V2, 3, 10, T0, None), T0);
    h.lines();
    h.log.increment_log_start_offset(2).unwrap();
    assert_eq!(h.log.log_start_offset(), 2);
    assert_eq!(h.offsets(2), [2]);
    assert_eq!(
        h.log.read(0, 100, None, true).unwrap_err().kafka_name(),
        "OffsetOutOfRangeException"
    );
    assert!(h.lines().contains(&"INFO [Log partition=test-0, dir=/tmp/kafka-logs] Incremented log start offset to 2 due to client delete records request (kafka.log.Log)".to_owned()));
}

#[test]
fn a_topic_id_is_written_to_partition_metadata_once_and_read_back() {
    let mut h = Harness::new(LogVersion::Kafka2_8_2, config(LogVersion::Kafka2_8_2));
    let id = "Pl2YOmrsS4CXSr_hMkPnyA";
    h.log.assign_topic_id(id).unwrap();
    h.sync();
    assert_eq!(
        h.file("partition.metadata")[..],
        b"version: 0\ntopic_id: Pl2YOmrsS4CXSr_hMkPnyA"[..]
    );
    let other = h.log.assign_topic_id("AAAAAAAAAAAAAAAAAAAAAA").unwrap_err();
    assert_eq!(other.kafka_name(), "InconsistentTopicIdException");
    let (log, _) = h.reopen(true, 0);
    assert_eq!(log.topic_id(), Some(id));

    let mut old = Harness::new(LogVersion::Kafka0_8_0, config(LogVersion::Kafka0_8_0));
    old.log.assign_topic_id(id).unwrap();
    old.sync();
    assert!(
        old.storage.file("test-0/partition.metadata").is_none(),
        "0.8.0 has no topic ids"
    );
}
