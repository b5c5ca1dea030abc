//! What is measured: encoding and decoding v2 batches of 100-byte records,
//! CRC32C, appending 16 KiB batches to a partition log on the memory backend,
//! reading them back as a fetch does — and memcpy, the baseline.

use bytes::Bytes;
use kafka_log::{Log, LogConfig, LogVersion, MemoryStorage, Storage};
use protocol::convert::{validate_and_assign_offsets, AppendConfig};
use protocol::{BatchOptions, CompressionType, Magic, Records, RecordsBuilder};

/// The size of each record's value, as in the figures.
pub const VALUE_BYTES: usize = 100;
/// The size of a producer's batch (`batch.size`, 16384 by default).
pub const BATCH_BYTES: usize = 16 * 1024;
/// How much one fetch reads back.
pub const FETCH_BYTES: usize = 1024 * 1024;
/// A log is started afresh once it holds this much, so memory stays bounded.
const LOG_BYTES_MAX: u64 = 64 * 1024 * 1024;

const T0: i64 = 1_700_000_000_000;

/// Every codec a v2 batch can use, in Kafka's id order.
pub const CODECS: [CompressionType; 5] = [
    CompressionType::None,
    CompressionType::Gzip,
    CompressionType::Snappy,
    CompressionType::Lz4,
    CompressionType::Zstd,
];

/// `count` record values of 100 bytes: words drawn by a fixed generator, so
/// they compress about as well as typical text payloads do.
pub fn values(count: usize) -> Vec<Vec<u8>> {
    const WORDS: [&[u8]; 8] = [
        b"kafka ",
        b"broker ",
        b"topic ",
        b"offset ",
        b"leader ",
        b"replica ",
        b"log ",
        b"isr ",
    ];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..count)
        .map(|_| {
            let mut value = Vec::with_capacity(VALUE_BYTES);
            while value.len() < VALUE_BYTES {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                value.extend_from_slice(WORDS[(state % WORDS.len() as u64) as usize]);
            }
            value.truncate(VALUE_BYTES);
            value
        })
        .collect()
}

/// How many 100-byte records fill a 16 KiB v2 batch.
pub fn records_per_batch() -> usize {
    let all = values(BATCH_BYTES / VALUE_BYTES);
    (1..all.len())
        .take_while(|n| encode_v2(&all[..*n], CompressionType::None).len() <= BATCH_BYTES)
        .last()
        .expect("one record fits")
}

/// A producer's v2 batch of `values`, compressed with `codec`.
pub fn encode_v2(values: &[Vec<u8>], codec: CompressionType) -> Bytes {
    let mut builder = RecordsBuilder::new(BatchOptions::new(Magic::V2, codec));
    for (i, value) in values.iter().enumerate() {
        builder.append(T0 + i as i64, None, Some(value), Vec::new());
    }
    builder.build().expect("a batch of small records builds")
}

/// A consumer's reading: every batch's CRC checked, every record decoded.
/// Returns the number of records and their value bytes.
pub fn decode_v2(batches: &Bytes) -> (usize, usize) {
    let mut count = 0;
    let mut bytes = 0;
    for batch in Records::new(batches.clone()).batches() {
        let batch = batch.expect("a whole batch");
        batch.ensure_valid().expect("a valid batch");
        for record in batch.records().expect("its records decode") {
            count += 1;
            bytes += record.value.map_or(0, |v| v.len());
        }
    }
    (count, bytes)
}

/// CRC32C (Castagnoli), as v2 batches are checked.
pub fn crc32c(data: &[u8]) -> u32 {
    protocol::crc32c(data)
}

/// The baseline: copying the same bytes.
pub fn memcpy(dst: &mut [u8], src: &[u8]) {
    dst.copy_from_slice(src);
}

/// A leader appending producers' 16 KiB batches to a 2.8.2 log whose files
/// go to the memory backend.
#[derive(Debug)]
pub struct AppendWorkload {
    log: Log,
    storage: MemoryStorage,
    batch: Records,
    append: AppendConfig,
}

impl AppendWorkload {
    pub fn new() -> AppendWorkload {
        let batch = Records::new(encode_v2(
            &values(records_per_batch()),
            CompressionType::None,
        ));
        let append = AppendConfig::defaults(Magic::V2, "bench-0", T0);
        let (log, storage) = fresh_log();
        AppendWorkload {
            log,
            storage,
            batch,
            append,
        }
    }

    /// The size of one appended batch.
    pub fn batch_bytes(&self) -> usize {
        self.batch.len()
    }

    /// Only the leader's validation and offset assignment (`LogValidator`),
    /// the first part of an append.
    pub fn validate(&self) -> usize {
        validate_and_assign_offsets(&self.batch, self.log.log_end_offset(), &self.append)
            .expect("the batch is valid")
            .record_count
    }

    /// Appends one batch and hands its file operations to the backend.
    pub fn append(&mut self) {
        if self.log.size_in_bytes() >= LOG_BYTES_MAX {
            (self.log, self.storage) = fresh_log();
        }
        self.log
            .append_as_leader(&self.batch, &self.append, T0)
            .expect("the batch appends");
        self.storage
            .submit(self.log.take_ops())
            .expect("memory takes every operation");
    }

    /// The log, for reading back what was appended.
    pub fn log(&self) -> &Log {
        &self.log
    }
}

impl Default for AppendWorkload {
    fn default() -> Self {
        AppendWorkload::new()
    }
}

fn fresh_log() -> (Log, MemoryStorage) {
    let mut log = Log::create(
        "bench",
        0,
        "/tmp/kafka-logs",
        0,
        LogConfig::defaults(LogVersion::Kafka2_8_2),
        T0,
    );
    let mut storage = MemoryStorage::new();
    storage
        .submit(log.take_ops())
        .expect("memory takes every operation");
    (log, storage)
}

/// A consumer fetching 1 MiB at a time through a log of 16 KiB batches,
/// starting over at the end.
#[derive(Debug)]
pub struct ReadWorkload {
    appended: AppendWorkload,
    next_offset: i64,
}

impl ReadWorkload {
    /// A log of `bytes` of batches to read through.
    pub fn new(bytes: usize) -> ReadWorkload {
        let mut appended = AppendWorkload::new();
        for _ in 0..bytes.div_ceil(appended.batch_bytes()) {
            appended.append();
        }
        ReadWorkload {
            appended,
            next_offset: 0,
        }
    }

    /// One fetch (Fetch v3+: at most 1 MiB, the first batch whole); returns the bytes read.
    pub fn fetch(&mut self) -> usize {
        let log = self.appended.log();
        if self.next_offset >= log.log_end_offset() {
            self.next_offset = log.log_start_offset();
        }
        let data = log
            .read(self.next_offset, FETCH_BYTES, None, true)
            .expect("the offset is in the log");
        let last = Records::new(data.records.clone())
            .batches()
            .map_while(Result::ok)
            .last()
            .map_or(self.next_offset, |b| b.last_offset());
        self.next_offset = last + 1;
        data.records.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_of_records_fills_16_kib_and_decodes_whole() {
        let per_batch = records_per_batch();
        let batch = encode_v2(&values(per_batch), CompressionType::None);
        assert!(batch.len() <= BATCH_BYTES && batch.len() > BATCH_BYTES - 150);
        for codec in CODECS {
            let encoded = encode_v2(&values(per_batch), codec);
            assert_eq!(decode_v2(&encoded), (per_batch, per_batch * VALUE_BYTES));
        }
    }

    #[test]
    fn fetches_go_through_the_log_and_start_over() {
        let mut read = ReadWorkload::new(3 * FETCH_BYTES);
        let total: usize = (0..3).map(|_| read.fetch()).sum();
        assert!(total >= 3 * FETCH_BYTES - 3 * BATCH_BYTES);
        while read.next_offset < read.appended.log().log_end_offset() {
            read.fetch();
        }
        assert!(read.fetch() > 0, "after the end, reading starts over");
    }
}
