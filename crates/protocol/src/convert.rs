//! Converting between magics: what a broker does to a producer's batches on
//! append (Kafka's `LogValidator`: offsets assigned, timestamps checked,
//! up-converted or recompressed when the log's format or codec differs), and
//! to the log's batches for a fetcher that only reads older magics
//! (`RecordsUtil.downConvert`).

use bytes::Bytes;

use crate::batch::{CRC_AT, MAX_TIMESTAMP_AT, PARTITION_LEADER_EPOCH_AT, TIMESTAMP_TYPE_BIT};
use crate::{
    crc32c, Batch, BatchOptions, CompressionType, Magic, Record, RecordError, RecordView, Records,
    RecordsBuilder, TimestampType, NO_TIMESTAMP,
};

/// Down-converts every batch newer than `to_magic`, keeping offsets; older
/// batches pass unchanged. Control batches (transaction markers) are left
/// out, as old clients cannot read them; zstd cannot go below v2.
pub fn down_convert(records: &Records, to_magic: Magic) -> Result<Records, RecordError> {
    let mut out = Vec::with_capacity(records.len());
    for batch in records.batches() {
        let batch = batch?;
        if batch.magic() <= to_magic {
            out.extend_from_slice(batch.bytes());
            continue;
        }
        if batch.is_control() {
            continue;
        }
        let compression = batch.compression()?;
        if compression == CompressionType::Zstd {
            return Err(RecordError::UnsupportedCompressionType(
                "Down-conversion of zstandard-compressed batches is not supported".to_owned(),
            ));
        }
        let records = batch.records()?;
        let Some(first) = records.first() else {
            continue;
        };
        let mut options = BatchOptions::new(to_magic, compression).with_base_offset(first.offset);
        if to_magic > Magic::V0 && batch.timestamp_type() == TimestampType::LogAppendTime {
            options.timestamp_type = TimestampType::LogAppendTime;
            options.log_append_time = batch.max_timestamp();
        }
        let mut builder = RecordsBuilder::new(options);
        for record in records {
            builder.append_with_offset(record)?;
        }
        out.extend_from_slice(&builder.build()?);
    }
    Ok(Records::new(Bytes::from(out)))
}

/// The log's side of an append: its format, codec and timestamp rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppendConfig {
    /// `log.message.format.version` as a magic.
    pub magic: Magic,
    /// `compression.type`; `None` for `producer` (keep the producer's codec).
    pub compression: Option<CompressionType>,
    /// `message.timestamp.type`
    pub timestamp_type: TimestampType,
    /// `message.timestamp.difference.max.ms`
    pub timestamp_difference_max_ms: i64,
    /// `cleanup.policy=compact`: every record needs a key.
    pub compacted: bool,
    /// The broker's clock now, in Unix milliseconds.
    pub now_ms: i64,
    pub partition_leader_epoch: i32,
    /// For error messages: the partition, such as `test-0`.
    pub topic_partition: String,
}

impl AppendConfig {
    /// A log in `magic` with the broker's defaults: the producer's codec,
    /// create time, any timestamp accepted, not compacted, leader epoch 0.
    pub fn defaults(magic: Magic, topic_partition: &str, now_ms: i64) -> AppendConfig {
        AppendConfig {
            magic,
            compression: None,
            timestamp_type: TimestampType::CreateTime,
            timestamp_difference_max_ms: i64::MAX,
            compacted: false,
            now_ms,
            partition_leader_epoch: 0,
            topic_partition: topic_partition.to_owned(),
        }
    }
}

/// What an append writes to the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appended {
    pub records: Records,
    pub first_offset: i64,
    pub last_offset: i64,
    pub max_timestamp: i64,
    pub offset_of_max_timestamp: i64,
    pub record_count: usize,
    /// Whether the batches were rebuilt (converted or recompressed) rather than
    /// changed in place.
    pub rebuilt: bool,
}

/// Validates a producer's records and assigns offsets from `next_offset`
/// (`LogValidator.validateMessagesAndAssignOffsets`).
pub fn validate_and_assign_offsets(
    records: &Records,
    next_offset: i64,
    config: &AppendConfig,
) -> Result<Appended, RecordError> {
    let batches: Vec<Batch> = records.batches().collect::<Result<_, _>>()?;
    if batches.is_empty() {
        return Err(RecordError::corrupt(
            "Record batch is corrupt (no batch in the request)",
        ));
    }
    let mut count = 0_i64;
    let mut in_place = true;
    // The largest record timestamp and its offset, as the time index keeps it.
    let mut newest = (NO_TIMESTAMP, next_offset);
    for batch in &batches {
        // Corruption first, as `Log.analyzeAndValidateRecords` checks it
        // before `LogValidator` looks at codecs.
        batch.ensure_valid()?;
        let source = batch.compression()?;
        let target = config.compression.unwrap_or(source);
        target.check_magic(config.magic)?;
        let magic = batch.magic();
        let base = if magic == Magic::V2 {
            batch.base_offset()?
        } else {
            0
        };
        let (mut first, mut i) = (None, 0_i64);
        // v2 batches keep their bytes when record offsets are base, base+1, ...;
        // v1 compressed messages when inner offsets are 0, 1, 2, ...
        let (mut consecutive, mut relative_from_zero) = (true, true);
        batch.for_each_record(|record| {
            check_record(&record, magic, config)?;
            let first = *first.get_or_insert(record.offset);
            consecutive &= record.offset == base + i;
            relative_from_zero &= record.offset - first == i;
            if record.timestamp > newest.0 {
                newest = (record.timestamp, next_offset + count);
            }
            i += 1;
            count += 1;
            Ok(())
        })?;
        // In place only when nothing but offsets and timestamps change.
        in_place &= magic == config.magic
            && source == target
            && (config.magic == Magic::V2
                || (config.magic == Magic::V1
                    && (source == CompressionType::None || relative_from_zero)))
            && (config.magic != Magic::V2 || consecutive);
    }
    let first_offset = next_offset;
    let last_offset = next_offset + count - 1;
    let (max_timestamp, offset_of_max_timestamp) =
        if config.timestamp_type == TimestampType::LogAppendTime && config.magic > Magic::V0 {
            // v2 batches say the last offset; v0/v1 wrappers the first.
            let at = if config.magic >= Magic::V2 {
                last_offset
            } else {
                first_offset
            };
            (config.now_ms, at)
        } else {
            newest
        };
    let out = if in_place {
        assign_in_place(&batches, next_offset, config, max_timestamp)
    } else {
        let mut all = Vec::with_capacity(count as usize);
        for batch in &batches {
            all.extend(batch.records()?);
        }
        rebuild(&batches, all, next_offset, config)?
    };
    Ok(Appended {
        records: Records::new(out),
        first_offset,
        last_offset,
        max_timestamp,
        offset_of_max_timestamp,
        record_count: count as usize,
        rebuilt: !in_place,
    })
}

fn check_record(
    record: &RecordView<'_>,
    magic: Magic,
    config: &AppendConfig,
) -> Result<(), RecordError> {
    if config.compacted && record.key.is_none() {
        return Err(RecordError::invalid(format!(
            "Compacted topic cannot accept message without key in topic partition {}.",
            config.topic_partition
        )));
    }
    if magic > Magic::V0
        && config.timestamp_type == TimestampType::CreateTime
        && (record.timestamp - config.now_ms).abs() > config.timestamp_difference_max_ms
    {
        return Err(RecordError::InvalidTimestamp(format!(
            "Timestamp {} of message with offset {} is out of range. The timestamp should be within [{}, {}]",
            record.timestamp,
            record.offset,
            config.now_ms.saturating_sub(config.timestamp_difference_max_ms),
            config.now_ms.saturating_add(config.timestamp_difference_max_ms)
        )));
    }
    Ok(())
}

/// Sets offsets (and, for log-append time, timestamps) in the producer's bytes.
fn assign_in_place(
    batches: &[Batch],
    next_offset: i64,
    config: &AppendConfig,
    max_timestamp: i64,
) -> Bytes {
    let mut out = Vec::new();
    let mut offset = next_offset;
    for batch in batches {
        let start = out.len();
        out.extend_from_slice(batch.bytes());
        let bytes = &mut out[start..];
        let count = batch
            .count_or_none()
            .map_or_else(|| batch.records().map_or(1, |r| r.len() as i64), i64::from);
        match batch.magic() {
            Magic::V2 => {
                bytes[..8].copy_from_slice(&offset.to_be_bytes());
                let at = PARTITION_LEADER_EPOCH_AT;
                bytes[at..at + 4].copy_from_slice(&config.partition_leader_epoch.to_be_bytes());
                if config.timestamp_type == TimestampType::LogAppendTime {
                    let attributes =
                        u16::from_be_bytes([bytes[21], bytes[22]]) | TIMESTAMP_TYPE_BIT;
                    bytes[21..23].copy_from_slice(&attributes.to_be_bytes());
                    bytes[MAX_TIMESTAMP_AT..MAX_TIMESTAMP_AT + 8]
                        .copy_from_slice(&max_timestamp.to_be_bytes());
                    let crc = crc32c(&bytes[21..]);
                    bytes[CRC_AT..CRC_AT + 4].copy_from_slice(&crc.to_be_bytes());
                }
            }
            _ => {
                // A legacy message's offset is its last record's (the wrapper's).
                bytes[..8].copy_from_slice(&(offset + count - 1).to_be_bytes());
                if batch.magic() == Magic::V1
                    && config.timestamp_type == TimestampType::LogAppendTime
                {
                    bytes[17] |= 0x08;
                    bytes[18..26].copy_from_slice(&config.now_ms.to_be_bytes());
                    let crc = crate::crc32(&bytes[16..]);
                    bytes[12..16].copy_from_slice(&crc.to_be_bytes());
                }
            }
        }
        offset += count;
    }
    Bytes::from(out)
}

/// Writes all records again in the log's format and codec, as one batch.
fn rebuild(
    batches: &[Batch],
    all: Vec<Record>,
    next_offset: i64,
    config: &AppendConfig,
) -> Result<Bytes, RecordError> {
    let first = &batches[0];
    let source = first.compression()?;
    let mut options = BatchOptions::new(config.magic, config.compression.unwrap_or(source))
        .with_base_offset(next_offset);
    if config.magic > Magic::V0 {
        options.timestamp_type = config.timestamp_type;
        options.log_append_time = config.now_ms;
    }
    options.partition_leader_epoch = config.partition_leader_epoch;
    if config.magic == Magic::V2 {
        options.producer_id = first.producer_id();
        options.producer_epoch = first.producer_epoch();
        options.base_sequence = first.base_sequence();
        options.is_transactional = first.is_transactional();
    }
    let mut builder = RecordsBuilder::new(options);
    for (i, mut record) in all.into_iter().enumerate() {
        record.offset = next_offset + i as i64;
        builder.append_with_offset(record)?;
    }
    builder.build()
}
