//! The log directory as a broker keeps it: which files exist and what they
//! hold at startup, as the scheduler runs, at a clean shutdown and after a
//! restart — for 0.8.0 and 2.8.2.

use std::collections::BTreeMap;

use bytes::Bytes;
use kafka_log::{FileOp, LogManager, LogManagerConfig, LogVersion, MemoryStorage, Storage};
use protocol::convert::AppendConfig;
use protocol::{BatchOptions, CompressionType, Magic, Records, RecordsBuilder};

const T0: i64 = 1_380_585_600_000;

/// A broker's log directory on the memory backend.
struct Dir {
    manager: LogManager,
    storage: MemoryStorage,
    ops: Vec<FileOp>,
    lines: Vec<String>,
}

impl Dir {
    fn start(version: LogVersion, storage: MemoryStorage, now: i64) -> Dir {
        Dir::start_with(
            LogManagerConfig::defaults(version, "/tmp/kafka-logs", 0),
            storage,
            now,
        )
    }

    fn start_with(config: LogManagerConfig, storage: MemoryStorage, now: i64) -> Dir {
        let files = storage.load("").unwrap();
        let manager = LogManager::startup(&files, config, now).unwrap();
        let mut dir = Dir {
            manager,
            storage,
            ops: Vec::new(),
            lines: Vec::new(),
        };
        dir.sync();
        dir
    }

    fn sync(&mut self) {
        let ops = self.manager.take_ops();
        self.ops.extend(ops.clone());
        self.storage.submit(ops).unwrap();
        self.lines.extend(
            self.manager
                .take_lines()
                .into_iter()
                .map(|l| format!("{} {} ({})", l.level.name(), l.message, l.logger)),
        );
    }

    fn tick(&mut self, now: i64) {
        self.manager.tick(now);
        self.sync();
    }

    /// The directory listing, as `find` would print it.
    fn listing(&self) -> Vec<String> {
        self.storage
            .load("")
            .unwrap()
            .files
            .keys()
            .cloned()
            .collect()
    }

    fn text(&self, name: &str) -> String {
        String::from_utf8(self.storage.file(name).expect(name).to_vec()).unwrap()
    }

    fn append(&mut self, topic: &str, records: &Records, now: i64) {
        let magic = records.batches().next().unwrap().unwrap().magic();
        let append = AppendConfig::defaults(magic, &format!("{topic}-0"), now);
        self.manager
            .get_or_create_log(topic, 0, None, &BTreeMap::new(), now)
            .append_as_leader(records, &append, now)
            .unwrap();
        self.sync();
    }

    fn take_lines(&mut self) -> Vec<String> {
        std::mem::take(&mut self.lines)
    }
}

fn batch(magic: Magic, keys: &[&str], now: i64) -> Records {
    let mut b = RecordsBuilder::new(BatchOptions::new(magic, CompressionType::None));
    for key in keys {
        b.append(now, Some(key.as_bytes()), Some(b"value"), vec![]);
    }
    Records::new(b.build().unwrap())
}

#[test]
fn a_2_8_2_log_dir_fills_as_the_broker_runs_and_restarts_cleanly() {
    let mut dir = Dir::start(LogVersion::Kafka2_8_2, MemoryStorage::new(), T0);
    assert_eq!(
        dir.listing(),
        [
            ".lock",
            "cleaner-offset-checkpoint",
            "log-start-offset-checkpoint",
            "recovery-point-offset-checkpoint",
            "replication-offset-checkpoint"
        ],
        "the checkpoint files exist, empty, from the start"
    );
    assert_eq!(dir.text("recovery-point-offset-checkpoint"), "");
    assert_eq!(
        dir.take_lines(),
        [
            "INFO Loading logs from log dirs ArraySeq(/tmp/kafka-logs) (kafka.log.LogManager)",
            "INFO Attempting recovery for all logs in /tmp/kafka-logs since no clean shutdown file was found (kafka.log.LogManager)",
            "INFO Loaded 0 logs in 0ms. (kafka.log.LogManager)",
            "INFO Starting log cleanup with a period of 300000 ms. (kafka.log.LogManager)",
            "INFO Starting log flusher with a default period of 9223372036854775807 ms. (kafka.log.LogManager)",
            "INFO Starting the log cleaner (kafka.log.LogCleaner)",
        ]
    );

    dir.append("test", &batch(Magic::V2, &["a", "b", "c"], T0), T0);
    assert!(dir.take_lines().contains(
        &"INFO Created log for partition test-0 in /tmp/kafka-logs/test-0 with properties {} (kafka.log.LogManager)".to_owned()
    ));
    dir.manager.set_high_watermark("test", 0, 3);
    dir.manager.start_high_watermark_checkpoints(T0);
    dir.tick(T0 + 4_999);
    assert_eq!(dir.text("replication-offset-checkpoint"), "");
    dir.tick(T0 + 5_000);
    assert_eq!(
        dir.text("replication-offset-checkpoint"),
        "0\n1\ntest 0 3\n"
    );
    dir.tick(T0 + 29_999);
    assert_eq!(dir.text("recovery-point-offset-checkpoint"), "");
    dir.tick(T0 + 30_000);
    assert_eq!(
        dir.text("recovery-point-offset-checkpoint"),
        "0\n1\ntest 0 0\n",
        "nothing is flushed yet: the recovery point stays at 0"
    );
    assert_eq!(
        dir.text("log-start-offset-checkpoint"),
        "0\n0\n",
        "only logs whose start moved past their first segment"
    );

    dir.manager.shutdown(T0 + 40_000);
    dir.sync();
    assert_eq!(
        dir.text("recovery-point-offset-checkpoint"),
        "0\n1\ntest 0 3\n"
    );
    assert_eq!(dir.text(".kafka_cleanshutdown"), "");
    let last_ops: Vec<&str> = dir.ops.iter().rev().take(1).map(FileOp::path).collect();
    assert_eq!(last_ops, [".kafka_cleanshutdown"], "the marker comes last");

    let mut restarted = Dir::start(LogVersion::Kafka2_8_2, dir.storage.clone(), T0 + 60_000);
    assert!(!restarted
        .listing()
        .contains(&".kafka_cleanshutdown".to_owned()));
    let lines = restarted.take_lines();
    assert!(lines.contains(&"INFO Skipping recovery for all logs in /tmp/kafka-logs since clean shutdown file was found (kafka.log.LogManager)".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"INFO Completed load of Log(dir=/tmp/kafka-logs/test-0, topic=test, partition=0, highWatermark=0, lastStableOffset=0, logStartOffset=0, logEndOffset=3) with 1 segments in 0ms (1/1 loaded in /tmp/kafka-logs) (kafka.log.LogManager)".to_owned()), "{lines:#?}");
    assert!(
        !lines.iter().any(|l| l.contains("Recovering")),
        "{lines:#?}"
    );
    assert_eq!(
        restarted
            .manager
            .read_high_watermarks(&restarted.storage.load("").unwrap()),
        BTreeMap::from([(("test".to_owned(), 0), 3)])
    );
}

#[test]
fn a_2_8_2_broker_that_crashed_recovers_from_the_checkpointed_recovery_point() {
    let mut dir = Dir::start(LogVersion::Kafka2_8_2, MemoryStorage::new(), T0);
    dir.append("test", &batch(Magic::V2, &["a"], T0), T0);
    dir.manager.log_mut("test", 0).unwrap().roll(T0);
    dir.append("test", &batch(Magic::V2, &["b"], T0), T0);
    dir.tick(T0 + 30_000);
    assert_eq!(
        dir.text("recovery-point-offset-checkpoint"),
        "0\n1\ntest 0 1\n"
    );
    // No shutdown: the process dies.
    let mut restarted = Dir::start(LogVersion::Kafka2_8_2, dir.storage.clone(), T0 + 60_000);
    let lines = restarted.take_lines();
    assert!(lines.contains(&"INFO Attempting recovery for all logs in /tmp/kafka-logs since no clean shutdown file was found (kafka.log.LogManager)".to_owned()));
    let recovering: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("Recovering unflushed segment"))
        .collect();
    assert_eq!(
        recovering,
        ["INFO [Log partition=test-0, dir=/tmp/kafka-logs] Recovering unflushed segment 1 (kafka.log.Log)"],
        "only segments from the recovery point on"
    );
    assert_eq!(
        restarted.manager.log("test", 0).unwrap().log_end_offset(),
        2
    );
}

#[test]
fn a_0_8_0_log_dir_holds_only_what_0_8_0_wrote() {
    let mut dir = Dir::start(LogVersion::Kafka0_8_0, MemoryStorage::new(), T0);
    assert_eq!(dir.listing(), [".lock"]);
    assert_eq!(
        dir.take_lines(),
        [
            "INFO [Log Manager on Broker 0] Starting log cleaner every 600000 ms (kafka.log.LogManager)",
            "INFO [Log Manager on Broker 0] Starting log flusher every 3000 ms with the following overrides Map() (kafka.log.LogManager)",
        ]
    );
    dir.append("test", &batch(Magic::V0, &["a", "b"], T0), T0);
    assert!(dir.take_lines().contains(
        &"INFO [Log Manager on Broker 0] Created log for partition [test,0] in /tmp/kafka-logs. (kafka.log.LogManager)".to_owned()
    ));
    let synced = |dir: &Dir| {
        dir.ops
            .iter()
            .filter(|op| matches!(op, FileOp::Sync { path } if path.ends_with(".log")))
            .count()
    };
    dir.tick(T0 + 2_999);
    assert_eq!(synced(&dir), 0);
    dir.tick(T0 + 3_000);
    assert_eq!(
        synced(&dir),
        1,
        "the flusher forces the log after flush.ms, on its 3 s beat"
    );
    dir.manager.set_high_watermark("test", 0, 2);
    dir.manager.start_high_watermark_checkpoints(T0 + 3_000);
    dir.tick(T0 + 120_000);
    dir.manager.shutdown(T0 + 120_000);
    dir.sync();
    assert_eq!(
        dir.listing(),
        [
            ".kafka_cleanshutdown",
            ".lock",
            "replication-offset-checkpoint",
            "test-0/00000000000000000000.index",
            "test-0/00000000000000000000.log"
        ]
    );
    assert_eq!(
        dir.text("replication-offset-checkpoint"),
        "0\n1\ntest 0 2\n"
    );
    let mut restarted = Dir::start(LogVersion::Kafka0_8_0, dir.storage.clone(), T0 + 200_000);
    let lines = restarted.take_lines();
    assert_eq!(
        lines[..2],
        [
            "INFO [Log Manager on Broker 0] Loading log 'test-0' (kafka.log.LogManager)".to_owned(),
            "INFO [Kafka Log on Broker 0], Completed load of log test-0 with log end offset 2 (kafka.log.Log)".to_owned(),
        ]
    );
}

#[test]
fn retention_waits_for_its_task_and_the_high_watermark() {
    let mut config = LogManagerConfig::defaults(LogVersion::Kafka2_8_2, "/tmp/kafka-logs", 0);
    config.log_config.retention_ms = 60_000;
    let mut dir = Dir::start_with(config, MemoryStorage::new(), T0);
    dir.append("test", &batch(Magic::V2, &["a"], T0), T0);
    dir.manager.log_mut("test", 0).unwrap().roll(T0);
    dir.append(
        "test",
        &batch(Magic::V2, &["b"], T0 + 300_000),
        T0 + 300_000,
    );
    dir.tick(T0 + 300_000);
    assert_eq!(
        dir.manager.log("test", 0).unwrap().log_start_offset(),
        0,
        "at 30 s the high watermark had not passed the segment"
    );
    dir.manager.set_high_watermark("test", 0, 2);
    dir.tick(T0 + 329_999);
    assert_eq!(
        dir.manager.log("test", 0).unwrap().log_start_offset(),
        0,
        "the task runs at 30 s, then every 300 s"
    );
    dir.tick(T0 + 330_000);
    assert_eq!(dir.manager.log("test", 0).unwrap().log_start_offset(), 1);
    assert!(dir
        .listing()
        .contains(&"test-0/00000000000000000000.log.deleted".to_owned()));
    dir.tick(T0 + 390_000);
    assert!(
        !dir.listing().iter().any(|f| f.ends_with(".deleted")),
        "gone after file.delete.delay.ms"
    );
    dir.tick(T0 + 390_000 + 60_000);
    assert_eq!(
        dir.text("log-start-offset-checkpoint"),
        "0\n0\n",
        "the start is the first segment's base again: nothing to write"
    );
}

#[test]
fn the_cleaner_compacts_the_filthiest_log_and_checkpoints_where_it_stopped() {
    let mut config = LogManagerConfig::defaults(LogVersion::Kafka2_8_2, "/tmp/kafka-logs", 0);
    config.log_config.cleanup_compact = true;
    config.log_config.cleanup_delete = false;
    let mut dir = Dir::start_with(config, MemoryStorage::new(), T0);
    for key in ["a", "a", "a", "b"] {
        dir.append("compacted", &batch(Magic::V2, &[key], T0), T0);
    }
    dir.manager.log_mut("compacted", 0).unwrap().roll(T0);
    dir.tick(T0 + 14_999);
    assert_eq!(
        dir.text("cleaner-offset-checkpoint"),
        "",
        "the cleaner looked at T0 and backs off 15 s"
    );
    dir.tick(T0 + 15_000);
    assert_eq!(
        dir.text("cleaner-offset-checkpoint"),
        "0\n1\ncompacted 0 4\n"
    );
    let log = dir.manager.log("compacted", 0).unwrap();
    let records = Records::new(log.read(0, usize::MAX, None, true).unwrap().records)
        .records()
        .unwrap();
    let kept: Vec<(i64, Bytes)> = records
        .into_iter()
        .map(|r| (r.offset, r.key.unwrap()))
        .collect();
    assert_eq!(kept, [(2, Bytes::from("a")), (3, Bytes::from("b"))]);
    assert!(dir
        .lines
        .iter()
        .any(|l| l.contains("Cleaner 0: Beginning cleaning of log compacted-0.")));
}

#[test]
fn meta_properties_is_2_8_2s_and_rewritten_at_each_start() {
    let mut dir = Dir::start(LogVersion::Kafka2_8_2, MemoryStorage::new(), T0);
    dir.manager.checkpoint_broker_metadata(
        Some("k4EXp4XJTwOMnBqTzV4lhA"),
        "Tue Oct 01 00:00:00 UTC 2013",
    );
    dir.sync();
    assert_eq!(
        dir.text("meta.properties"),
        "#\n#Tue Oct 01 00:00:00 UTC 2013\ncluster.id=k4EXp4XJTwOMnBqTzV4lhA\nversion=0\nbroker.id=0\n"
    );
    assert!(dir.ops.iter().any(|op| matches!(op, FileOp::Rename { from, to } if from == "meta.properties.tmp" && to == "meta.properties")));

    let mut old = Dir::start(LogVersion::Kafka0_8_0, MemoryStorage::new(), T0);
    old.manager
        .checkpoint_broker_metadata(None, "Tue Oct 01 00:00:00 UTC 2013");
    old.sync();
    assert_eq!(old.listing(), [".lock"], "0.8.0 writes no meta.properties");
}
