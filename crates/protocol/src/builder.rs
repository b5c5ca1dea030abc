//! Writing: Kafka's `MemoryRecordsBuilder` for every magic.
//!
//! Records get consecutive offsets from the base offset (or explicit ones,
//! when a broker rebuilds a batch). v0/v1 write one message per record, or
//! with compression one wrapper message whose value is the compressed inner
//! message set (v0 inner offsets absolute, v1 relative to the first); v2 writes
//! one record batch.

use bytes::Bytes;

use crate::batch::{write_batch, BatchHeader};
use crate::legacy::write_message;
use crate::{
    CompressionType, Header, Magic, Record, RecordError, TimestampType, NO_PRODUCER_EPOCH,
    NO_PRODUCER_ID, NO_SEQUENCE, NO_TIMESTAMP,
};

/// Everything about a batch but its records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchOptions {
    pub magic: Magic,
    pub compression: CompressionType,
    pub timestamp_type: TimestampType,
    pub base_offset: i64,
    /// The broker's clock, used as every record's timestamp with `LogAppendTime`.
    pub log_append_time: i64,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
    pub is_transactional: bool,
    pub is_control: bool,
    pub partition_leader_epoch: i32,
}

impl BatchOptions {
    /// A producer's batch: create time, no idempotence.
    pub fn new(magic: Magic, compression: CompressionType) -> BatchOptions {
        BatchOptions {
            magic,
            compression,
            timestamp_type: if magic == Magic::V0 {
                TimestampType::NoTimestampType
            } else {
                TimestampType::CreateTime
            },
            base_offset: 0,
            log_append_time: NO_TIMESTAMP,
            producer_id: NO_PRODUCER_ID,
            producer_epoch: NO_PRODUCER_EPOCH,
            base_sequence: NO_SEQUENCE,
            is_transactional: false,
            is_control: false,
            partition_leader_epoch: -1,
        }
    }

    pub fn with_base_offset(mut self, base_offset: i64) -> BatchOptions {
        self.base_offset = base_offset;
        self
    }
}

/// Collects records, then writes them as one batch (or v0/v1 messages).
#[derive(Clone, Debug)]
pub struct RecordsBuilder {
    options: BatchOptions,
    records: Vec<Record>,
    next_offset: i64,
}

impl RecordsBuilder {
    pub fn new(options: BatchOptions) -> RecordsBuilder {
        RecordsBuilder {
            next_offset: options.base_offset,
            options,
            records: Vec::new(),
        }
    }

    pub fn options(&self) -> &BatchOptions {
        &self.options
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Appends a record at the next offset; returns that offset.
    pub fn append(
        &mut self,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: Vec<Header>,
    ) -> i64 {
        let offset = self.next_offset;
        self.push(Record {
            offset,
            timestamp,
            key: key.map(Bytes::copy_from_slice),
            value: value.map(Bytes::copy_from_slice),
            headers,
        });
        offset
    }

    /// Appends a record keeping its offset, which must be above the last one.
    pub fn append_with_offset(&mut self, record: Record) -> Result<(), RecordError> {
        if record.offset < self.next_offset {
            return Err(RecordError::invalid(format!(
                "Illegal offset {} following previous offset {} (Offsets must increase monotonically).",
                record.offset,
                self.next_offset - 1
            )));
        }
        self.push(record);
        Ok(())
    }

    fn push(&mut self, mut record: Record) {
        if self.options.magic == Magic::V0 {
            record.timestamp = NO_TIMESTAMP;
        } else if self.options.timestamp_type == TimestampType::LogAppendTime {
            record.timestamp = self.options.log_append_time;
        }
        if self.options.magic < Magic::V2 {
            record.headers.clear();
        }
        self.next_offset = record.offset + 1;
        self.records.push(record);
    }

    /// The largest timestamp and the offset it is at (the first one on a tie).
    pub fn max_timestamp(&self) -> (i64, i64) {
        let mut max = (NO_TIMESTAMP, self.records.first().map_or(-1, |r| r.offset));
        for r in &self.records {
            if r.timestamp > max.0 {
                max = (r.timestamp, r.offset);
            }
        }
        max
    }

    /// Writes the batch. Nothing appended: no bytes.
    pub fn build(&self) -> Result<Bytes, RecordError> {
        let o = &self.options;
        o.compression.check_magic(o.magic)?;
        let (Some(first), Some(last)) = (self.records.first(), self.records.last()) else {
            return Ok(Bytes::new());
        };
        let mut out = Vec::new();
        match (o.magic, o.compression) {
            (Magic::V2, _) => {
                let header = BatchHeader {
                    base_offset: o.base_offset.min(first.offset),
                    partition_leader_epoch: o.partition_leader_epoch,
                    compression: o.compression,
                    timestamp_type: o.timestamp_type,
                    is_transactional: o.is_transactional,
                    is_control: o.is_control,
                    last_offset_delta: (last.offset - o.base_offset.min(first.offset)) as i32,
                    base_timestamp: first.timestamp,
                    max_timestamp: self.max_timestamp().0,
                    producer_id: o.producer_id,
                    producer_epoch: o.producer_epoch,
                    base_sequence: o.base_sequence,
                };
                write_batch(&header, &self.records, &mut out)?;
            }
            (magic, CompressionType::None) => {
                for r in &self.records {
                    write_message(
                        &mut out,
                        magic,
                        r.offset,
                        r.timestamp,
                        o.timestamp_type,
                        CompressionType::None,
                        r.key.as_deref(),
                        r.value.as_deref(),
                    );
                }
            }
            (magic, codec) => {
                let mut inner = Vec::new();
                for r in &self.records {
                    // v1 inner offsets are relative to the first; v0's are absolute.
                    let offset = if magic == Magic::V1 {
                        r.offset - first.offset
                    } else {
                        r.offset
                    };
                    write_message(
                        &mut inner,
                        magic,
                        offset,
                        r.timestamp,
                        TimestampType::CreateTime,
                        CompressionType::None,
                        r.key.as_deref(),
                        r.value.as_deref(),
                    );
                }
                let packed = codec.compress(magic, &inner)?;
                let wrapper_timestamp = match o.timestamp_type {
                    TimestampType::LogAppendTime => o.log_append_time,
                    _ => self.max_timestamp().0,
                };
                write_message(
                    &mut out,
                    magic,
                    last.offset,
                    wrapper_timestamp,
                    o.timestamp_type,
                    codec,
                    None,
                    Some(&packed),
                );
            }
        }
        Ok(Bytes::from(out))
    }
}
