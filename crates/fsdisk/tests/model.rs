//! The log against a simple model: any sequence of appends, rolls,
//! truncations, retention, compaction and restarts (clean, or a power loss
//! where the backend can simulate one) leaves the log holding exactly what
//! the model says — on the memory backend and on real files, for 0.8.0 and 2.8.2.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use fsdisk::FileStorage;
use interop::{decode_strict, decoded_records, scratch_dir};
use kafka_log::{Log, LogConfig, LogVersion, MemoryStorage, OpenOptions, Storage};
use proptest::prelude::*;
use protocol::convert::AppendConfig;
use protocol::{BatchOptions, CompressionType, Magic, Records, RecordsBuilder};

const T0: i64 = 1_380_585_600_000;

#[derive(Clone, Debug)]
enum Op {
    Append {
        count: usize,
        key: u8,
        tombstone: bool,
        value_len: usize,
        codec: usize,
    },
    Roll,
    Truncate {
        at_permille: u16,
    },
    Retention {
        keep_bytes: u16,
    },
    Clean,
    Restart {
        crash: bool,
    },
    Advance {
        ms: u32,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (1usize..6, 0u8..4, prop::bool::weighted(0.15), 0usize..120, 0usize..5)
            .prop_map(|(count, key, tombstone, value_len, codec)| Op::Append { count, key, tombstone, value_len, codec }),
        1 => Just(Op::Roll),
        1 => (0u16..1000).prop_map(|at_permille| Op::Truncate { at_permille }),
        1 => (0u16..3000).prop_map(|keep_bytes| Op::Retention { keep_bytes }),
        1 => Just(Op::Clean),
        1 => any::<bool>().prop_map(|crash| Op::Restart { crash }),
        1 => (0u32..5000).prop_map(|ms| Op::Advance { ms }),
    ]
}

/// What the log should hold: records with their batch, in offset order.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ModelRecord {
    offset: i64,
    key: Option<Bytes>,
    value: Option<Bytes>,
    batch: u64,
}

#[derive(Default, Debug)]
struct Model {
    records: Vec<ModelRecord>,
    end: i64,
    next_batch: u64,
}

impl Model {
    /// The model of what a recovered log holds: its records, batched as its batches are.
    fn from_log(log: &Log, records: Vec<(i64, Option<Bytes>, Option<Bytes>)>) -> Model {
        let batches: Vec<(i64, i64)> = log
            .segments()
            .flat_map(|s| s.batches().iter().map(|b| (b.first_offset, b.last_offset)))
            .collect();
        let records = records
            .into_iter()
            .map(|(offset, key, value)| {
                let batch = batches
                    .iter()
                    .position(|(first, last)| *first <= offset && offset <= *last)
                    .expect("a record lies in a batch") as u64;
                ModelRecord {
                    offset,
                    key,
                    value,
                    batch,
                }
            })
            .collect();
        Model {
            records,
            end: log.log_end_offset(),
            next_batch: batches.len() as u64 + 1_000_000,
        }
    }

    fn batch_last(&self, batch: u64) -> i64 {
        self.records
            .iter()
            .filter(|r| r.batch == batch)
            .map(|r| r.offset)
            .max()
            .expect("a batch has records")
    }

    /// Truncation removes every batch holding `target` or later; the log then ends at `target`.
    fn truncate(&mut self, target: i64) {
        let doomed: Vec<u64> = self
            .records
            .iter()
            .filter(|r| self.batch_last(r.batch) >= target)
            .map(|r| r.batch)
            .collect();
        self.records.retain(|r| !doomed.contains(&r.batch));
        self.end = target;
    }

    /// Compaction below `end`: the latest record of each key stays.
    fn compact(&mut self, end: i64) {
        let latest = |key: &Option<Bytes>, records: &[ModelRecord]| {
            records
                .iter()
                .filter(|r| r.offset < end && &r.key == key)
                .map(|r| r.offset)
                .max()
        };
        let snapshot = self.records.clone();
        self.records.retain(|r| {
            r.offset >= end || (r.key.is_some() && latest(&r.key, &snapshot) == Some(r.offset))
        });
    }
}

/// A disk: memory (which can lose power) or real files.
trait Disk: Storage {
    fn power_loss(&mut self) -> bool;
}

impl Disk for MemoryStorage {
    fn power_loss(&mut self) -> bool {
        self.crash();
        true
    }
}

impl Disk for FileStorage {
    fn power_loss(&mut self) -> bool {
        false
    }
}

fn small_config(version: LogVersion) -> LogConfig {
    let mut c = LogConfig::defaults(version);
    c.segment_bytes = 1500;
    c.index_interval_bytes = 100;
    c.max_index_size_bytes = 64;
    c.retention_ms = -1;
    c.delete_retention_ms = i64::MAX / 4;
    c.file_delete_delay_ms = 1000;
    c.cleanup_compact = version.has_compaction();
    c
}

fn open(
    disk: &dyn Disk,
    version: LogVersion,
    clean: bool,
    recovery_point: i64,
    log_start: i64,
    now: i64,
) -> Log {
    let files = disk.load("").unwrap();
    let (log, _) = Log::open(
        &files,
        OpenOptions {
            topic: "t".into(),
            partition: 0,
            log_dir: "/tmp/kafka-logs".into(),
            broker_id: 0,
            config: small_config(version),
            recovery_point,
            log_start_offset: log_start,
            clean_shutdown: clean,
            now_ms: now,
        },
    )
    .unwrap();
    log
}

fn contents(log: &Log) -> Vec<(i64, Option<Bytes>, Option<Bytes>)> {
    let mut out = Vec::new();
    let mut next = log.log_start_offset();
    while next < log.log_end_offset() {
        let data = log.read(next, usize::MAX, None, true).unwrap();
        let records = Records::new(data.records).records().unwrap();
        let Some(last) = records.last() else {
            // A gap (a truncation inside a batch, or compaction): go to the next segment.
            match log.segments().map(|s| s.base_offset).find(|b| *b > next) {
                Some(b) => {
                    next = b;
                    continue;
                }
                None => break,
            }
        };
        next = last.offset + 1;
        out.extend(
            records
                .into_iter()
                .filter(|r| r.offset >= log.log_start_offset())
                .map(|r| (r.offset, r.key, r.value)),
        );
    }
    out.sort_by_key(|r| r.0);
    out.dedup_by_key(|r| r.0);
    out
}

fn run(disk: &mut dyn Disk, version: LogVersion, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let magic = if version == LogVersion::Kafka0_8_0 {
        Magic::V0
    } else {
        Magic::V2
    };
    let codecs = [
        CompressionType::None,
        CompressionType::Gzip,
        CompressionType::Snappy,
        CompressionType::Lz4,
        CompressionType::Zstd,
    ];
    let mut now = T0;
    let mut log = Log::create("t", 0, "/tmp/kafka-logs", 0, small_config(version), now);
    disk.submit(log.take_ops()).unwrap();
    let mut model = Model::default();
    for op in ops {
        match op {
            Op::Append {
                count,
                key,
                tombstone,
                value_len,
                codec,
            } => {
                let codec = codecs[codec];
                if codec.check_magic(magic).is_err() {
                    continue;
                }
                let mut b = RecordsBuilder::new(BatchOptions::new(magic, codec));
                let key = Bytes::from(format!("key-{key}"));
                let mut appended = Vec::new();
                for i in 0..count {
                    let value = (!tombstone).then(|| Bytes::from(vec![b'v'; value_len + i]));
                    b.append(now, Some(&key), value.as_deref(), vec![]);
                    appended.push(value);
                }
                let config = AppendConfig::defaults(magic, "t-0", now);
                let info = log
                    .append_as_leader(&Records::new(b.build().unwrap()), &config, now)
                    .unwrap();
                prop_assert_eq!(info.first_offset, model.end);
                let batch = model.next_batch;
                // A v0/v1 uncompressed set is one batch per message.
                let per_message = magic < Magic::V2 && codec == CompressionType::None;
                for (i, value) in appended.into_iter().enumerate() {
                    let id = if per_message {
                        model.next_batch + i as u64
                    } else {
                        batch
                    };
                    model.records.push(ModelRecord {
                        offset: model.end + i as i64,
                        key: Some(key.clone()),
                        value,
                        batch: id,
                    });
                }
                model.next_batch += if per_message { count as u64 } else { 1 };
                model.end += count as i64;
            }
            Op::Roll => log.roll(now),
            Op::Truncate { at_permille } => {
                // Followers truncate at batch boundaries (an epoch's end, a high
                // watermark) where no compaction gap lies just below: after a
                // truncation into a gap, Kafka's log end offset falls back on
                // restart to the last batch's end, which this model leaves out.
                let batches: Vec<(i64, i64)> = log
                    .segments()
                    .flat_map(|s| s.batches().iter().map(|b| (b.first_offset, b.last_offset)))
                    .collect();
                let boundaries: Vec<i64> = batches
                    .windows(2)
                    .filter(|w| w[0].1 + 1 == w[1].0)
                    .map(|w| w[1].0)
                    .filter(|o| *o > log.log_start_offset())
                    .collect();
                if !boundaries.is_empty() {
                    let target = boundaries[usize::from(at_permille) * boundaries.len() / 1000];
                    if log.truncate_to(target, now) {
                        model.truncate(target);
                    }
                }
            }
            Op::Retention { keep_bytes } => {
                let mut config = log.config().clone();
                config.retention_bytes = i64::from(keep_bytes);
                log.set_config(config.clone());
                let before = log.log_start_offset();
                log.delete_old_segments(now, log.log_end_offset());
                config.retention_bytes = -1;
                log.set_config(config);
                let start = log.log_start_offset();
                prop_assert!(start >= before);
                model.records.retain(|r| r.offset >= start);
            }
            Op::Clean => {
                if version.has_compaction() {
                    let end = log.first_uncleanable_offset(now);
                    log.clean(0, now).unwrap();
                    model.compact(end);
                }
            }
            Op::Restart { crash } => {
                let recovery_point = log.recovery_point();
                let start = log.log_start_offset();
                disk.submit(log.take_ops()).unwrap();
                if crash && disk.power_loss() {
                    // What was fsynced survives: below the recovery point (0.8.0:
                    // the rolled segments). Above it, the page cache's fate decides,
                    // and an unflushed truncation may even come undone, as on Linux.
                    let durable = if version.has_recovery_point() {
                        recovery_point
                    } else {
                        log.active_segment().base_offset
                    };
                    log = open(disk, version, false, recovery_point, start, now);
                    let actual = contents(&log);
                    let kept: Vec<_> = actual.iter().filter(|r| r.0 < durable).cloned().collect();
                    let expected: Vec<_> = model
                        .records
                        .iter()
                        .filter(|r| r.offset < durable && r.offset >= log.log_start_offset())
                        .map(|r| (r.offset, r.key.clone(), r.value.clone()))
                        .collect();
                    prop_assert_eq!(kept, expected, "what was durable before the power loss");
                    model = Model::from_log(&log, actual);
                } else {
                    log.close(now);
                    disk.submit(log.take_ops()).unwrap();
                    let point = log.recovery_point();
                    log = open(disk, version, true, point, start, now);
                    prop_assert_eq!(log.log_end_offset(), model.end);
                }
            }
            Op::Advance { ms } => {
                now += i64::from(ms);
                log.tick(now);
            }
        }
        disk.submit(log.take_ops()).unwrap();
        let expected: Vec<(i64, Option<Bytes>, Option<Bytes>)> = model
            .records
            .iter()
            .filter(|r| r.offset >= log.log_start_offset())
            .map(|r| (r.offset, r.key.clone(), r.value.clone()))
            .collect();
        prop_assert_eq!(contents(&log), expected);
        prop_assert_eq!(log.log_end_offset(), model.end);
    }
    Ok(())
}

/// kafka-python reads every segment file the way we do: same offsets,
/// timestamps, keys, values and headers, with every CRC valid.
fn kafka_python_reads_every_segment(dir: &Path) -> Result<(), TestCaseError> {
    let mut segments: Vec<PathBuf> = std::fs::read_dir(dir.join("t-0"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    segments.sort();
    let mut all = Vec::new();
    for segment in &segments {
        all.extend(std::fs::read(segment).unwrap());
    }
    if all.is_empty() {
        return Ok(());
    }
    let file = dir.join("segments.bin");
    std::fs::write(&file, &all).unwrap();
    let ours = Records::new(Bytes::from(all)).records().unwrap();
    prop_assert_eq!(decoded_records(&decode_strict(&file)), ours);
    Ok(())
}

proptest! {
    // The file cases also run kafka-python once each (a third of a second).
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_log_matches_the_model_in_memory(ops in prop::collection::vec(op(), 1..40), old in any::<bool>()) {
        let version = if old { LogVersion::Kafka0_8_0 } else { LogVersion::Kafka2_8_2 };
        run(&mut MemoryStorage::new(), version, ops)?;
    }

    #[test]
    fn the_log_matches_the_model_on_files(ops in prop::collection::vec(op(), 1..30), old in any::<bool>()) {
        let version = if old { LogVersion::Kafka0_8_0 } else { LogVersion::Kafka2_8_2 };
        let dir = scratch_dir(env!("CARGO_TARGET_TMPDIR"), "model");
        let mut disk = FileStorage::new(&dir).unwrap();
        run(&mut disk, version, ops)?;
        kafka_python_reads_every_segment(&dir)?;
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
