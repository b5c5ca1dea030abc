//! Record batches, magic v2 (Kafka's `DefaultRecordBatch` and `DefaultRecord`).
//!
//! ```text
//! baseOffset i64 | batchLength i32 | partitionLeaderEpoch i32 | magic i8 | crc u32 |
//! attributes i16 | lastOffsetDelta i32 | baseTimestamp i64 | maxTimestamp i64 |
//! producerId i64 | producerEpoch i16 | baseSequence i32 | recordCount i32 | records...
//! ```
//! The CRC32C covers attributes to the end, so the broker can set the base
//! offset and the leader epoch without recomputing it. A record is
//! `length varint | attributes i8 | timestampDelta varlong | offsetDelta varint |
//! key | value | headers`, lengths as varints and -1 for null.

use bytes::Bytes;

use crate::varint::{
    read_varint, read_varlong, size_of_varint, size_of_varlong, write_varint, write_varlong,
};
use crate::{crc32c, CompressionType, Header, Magic, Record, RecordError, TimestampType};

/// The size of a batch with no records.
pub const RECORD_BATCH_OVERHEAD: usize = 61;

pub(crate) const PARTITION_LEADER_EPOCH_AT: usize = 12;
pub(crate) const CRC_AT: usize = 17;
const ATTRIBUTES_AT: usize = 21;
const LAST_OFFSET_DELTA_AT: usize = 23;
const BASE_TIMESTAMP_AT: usize = 27;
pub(crate) const MAX_TIMESTAMP_AT: usize = 35;
const PRODUCER_ID_AT: usize = 43;
const PRODUCER_EPOCH_AT: usize = 51;
const BASE_SEQUENCE_AT: usize = 53;
const RECORD_COUNT_AT: usize = 57;

const COMPRESSION_MASK: u16 = 0x07;
pub(crate) const TIMESTAMP_TYPE_BIT: u16 = 0x08;
const TRANSACTIONAL_BIT: u16 = 0x10;
const CONTROL_BIT: u16 = 0x20;

/// The kinds of control records (transaction markers) a control batch holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlRecordType {
    Abort,
    Commit,
    Unknown(i16),
}

/// Fields of a batch's header, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchHeader {
    pub base_offset: i64,
    pub partition_leader_epoch: i32,
    pub compression: CompressionType,
    pub timestamp_type: TimestampType,
    pub is_transactional: bool,
    pub is_control: bool,
    pub last_offset_delta: i32,
    pub base_timestamp: i64,
    pub max_timestamp: i64,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
}

/// Writes a whole batch: `records` must hold absolute offsets from `header.base_offset` up.
pub fn write_batch(
    header: &BatchHeader,
    records: &[Record],
    out: &mut Vec<u8>,
) -> Result<(), RecordError> {
    let mut body = Vec::with_capacity(records.len() * 32);
    for record in records {
        let offset_delta = (record.offset - header.base_offset) as i32;
        let timestamp_delta = record.timestamp - header.base_timestamp;
        write_record(record, offset_delta, timestamp_delta, &mut body);
    }
    let payload = header.compression.compress(Magic::V2, &body)?;
    let start = out.len();
    out.extend_from_slice(&header.base_offset.to_be_bytes());
    out.extend_from_slice(&((RECORD_BATCH_OVERHEAD - 12 + payload.len()) as i32).to_be_bytes());
    out.extend_from_slice(&header.partition_leader_epoch.to_be_bytes());
    out.push(Magic::V2.value() as u8);
    out.extend_from_slice(&[0; 4]); // crc, below
    let mut attributes = u16::from(header.compression.id());
    if header.timestamp_type == TimestampType::LogAppendTime {
        attributes |= TIMESTAMP_TYPE_BIT;
    }
    if header.is_transactional {
        attributes |= TRANSACTIONAL_BIT;
    }
    if header.is_control {
        attributes |= CONTROL_BIT;
    }
    out.extend_from_slice(&attributes.to_be_bytes());
    out.extend_from_slice(&header.last_offset_delta.to_be_bytes());
    out.extend_from_slice(&header.base_timestamp.to_be_bytes());
    out.extend_from_slice(&header.max_timestamp.to_be_bytes());
    out.extend_from_slice(&header.producer_id.to_be_bytes());
    out.extend_from_slice(&header.producer_epoch.to_be_bytes());
    out.extend_from_slice(&header.base_sequence.to_be_bytes());
    out.extend_from_slice(&(records.len() as i32).to_be_bytes());
    out.extend_from_slice(&payload);
    let crc = crc32c(&out[start + ATTRIBUTES_AT..]);
    out[start + CRC_AT..start + CRC_AT + 4].copy_from_slice(&crc.to_be_bytes());
    Ok(())
}

fn write_record(record: &Record, offset_delta: i32, timestamp_delta: i64, out: &mut Vec<u8>) {
    let mut size = 1 + size_of_varlong(timestamp_delta) + size_of_varint(offset_delta);
    size += bytes_size(record.key.as_deref()) + bytes_size(record.value.as_deref());
    size += size_of_varint(record.headers.len() as i32);
    for h in &record.headers {
        size += bytes_size(Some(h.key.as_bytes())) + bytes_size(h.value.as_deref());
    }
    write_varint(size as i32, out);
    out.push(0); // attributes: unused
    write_varlong(timestamp_delta, out);
    write_varint(offset_delta, out);
    write_bytes(record.key.as_deref(), out);
    write_bytes(record.value.as_deref(), out);
    write_varint(record.headers.len() as i32, out);
    for h in &record.headers {
        write_bytes(Some(h.key.as_bytes()), out);
        write_bytes(h.value.as_deref(), out);
    }
}

fn bytes_size(field: Option<&[u8]>) -> usize {
    match field {
        None => size_of_varint(-1),
        Some(b) => size_of_varint(b.len() as i32) + b.len(),
    }
}

fn write_bytes(field: Option<&[u8]>, out: &mut Vec<u8>) {
    match field {
        None => write_varint(-1, out),
        Some(b) => {
            write_varint(b.len() as i32, out);
            out.extend_from_slice(b);
        }
    }
}

/// A view of one v2 batch; `bytes` is exactly the batch.
#[derive(Clone, Debug)]
pub struct DefaultBatch<'a> {
    pub bytes: &'a [u8],
}

impl DefaultBatch<'_> {
    fn i16_at(&self, at: usize) -> i16 {
        i16::from_be_bytes(self.bytes[at..at + 2].try_into().expect("two bytes"))
    }

    fn i32_at(&self, at: usize) -> i32 {
        i32::from_be_bytes(self.bytes[at..at + 4].try_into().expect("four bytes"))
    }

    fn i64_at(&self, at: usize) -> i64 {
        i64::from_be_bytes(self.bytes[at..at + 8].try_into().expect("eight bytes"))
    }

    pub fn stored_crc(&self) -> u32 {
        self.i32_at(CRC_AT) as u32
    }

    pub fn computed_crc(&self) -> u32 {
        crc32c(&self.bytes[ATTRIBUTES_AT..])
    }

    fn attributes(&self) -> u16 {
        self.i16_at(ATTRIBUTES_AT) as u16
    }

    pub fn header(&self) -> Result<BatchHeader, RecordError> {
        let attributes = self.attributes();
        Ok(BatchHeader {
            base_offset: self.i64_at(0),
            partition_leader_epoch: self.i32_at(PARTITION_LEADER_EPOCH_AT),
            compression: CompressionType::from_id((attributes & COMPRESSION_MASK) as u8)?,
            timestamp_type: if attributes & TIMESTAMP_TYPE_BIT != 0 {
                TimestampType::LogAppendTime
            } else {
                TimestampType::CreateTime
            },
            is_transactional: attributes & TRANSACTIONAL_BIT != 0,
            is_control: attributes & CONTROL_BIT != 0,
            last_offset_delta: self.i32_at(LAST_OFFSET_DELTA_AT),
            base_timestamp: self.i64_at(BASE_TIMESTAMP_AT),
            max_timestamp: self.i64_at(MAX_TIMESTAMP_AT),
            producer_id: self.i64_at(PRODUCER_ID_AT),
            producer_epoch: self.i16_at(PRODUCER_EPOCH_AT),
            base_sequence: self.i32_at(BASE_SEQUENCE_AT),
        })
    }

    pub fn record_count(&self) -> i32 {
        self.i32_at(RECORD_COUNT_AT)
    }

    /// Checks the size and the CRC (`DefaultRecordBatch.ensureValid`).
    pub fn ensure_valid(&self) -> Result<(), RecordError> {
        if self.bytes.len() < RECORD_BATCH_OVERHEAD {
            return Err(RecordError::corrupt(format!(
                "Record batch is corrupt (the size {} is smaller than the minimum allowed overhead {RECORD_BATCH_OVERHEAD})",
                self.bytes.len()
            )));
        }
        let (stored, computed) = (self.stored_crc(), self.computed_crc());
        if stored != computed {
            return Err(RecordError::corrupt(format!(
                "Record batch is corrupt (stored crc = {stored}, computed crc = {computed})"
            )));
        }
        Ok(())
    }

    /// Every record, decompressed, with absolute offsets and timestamps.
    pub fn records(&self, whole: &Bytes) -> Result<Vec<Record>, RecordError> {
        let mut records = Vec::with_capacity(self.record_count().clamp(0, 1 << 16) as usize);
        self.for_each_record(whole, |body, view| {
            records.push(view.to_record(body));
            Ok(())
        })?;
        Ok(records)
    }

    /// Visits every record where it lies (in `body`, the batch's bytes or
    /// their decompression), with absolute offsets and timestamps, after
    /// checking the CRC; no record is copied.
    pub(crate) fn for_each_record(
        &self,
        whole: &Bytes,
        mut visit: impl FnMut(&Bytes, RecordView<'_>) -> Result<(), RecordError>,
    ) -> Result<(), RecordError> {
        self.ensure_valid()?;
        let header = self.header()?;
        let count = self.record_count();
        if count < 0 {
            return Err(RecordError::invalid(format!(
                "Found invalid record count {count} in magic v2 batch"
            )));
        }
        let payload = &self.bytes[RECORD_BATCH_OVERHEAD..];
        let body: Bytes = if header.compression == CompressionType::None {
            whole.slice_ref(payload)
        } else {
            Bytes::from(header.compression.decompress(Magic::V2, payload)?)
        };
        let mut pos = 0;
        for _ in 0..count {
            if pos >= body.len() {
                return Err(RecordError::invalid(
                    "Incorrect declared batch size, premature EOF reached",
                ));
            }
            let mut view = read_record(&body, &mut pos)?;
            view.offset += header.base_offset;
            view.timestamp = match header.timestamp_type {
                TimestampType::LogAppendTime => header.max_timestamp,
                _ => header.base_timestamp + view.timestamp,
            };
            visit(&body, view)?;
        }
        if pos != body.len() {
            return Err(RecordError::invalid(
                "Incorrect declared batch size, records still remaining in file",
            ));
        }
        Ok(())
    }

    /// The type of each control record (transaction markers) of a control batch.
    pub fn control_types(&self, whole: &Bytes) -> Result<Vec<ControlRecordType>, RecordError> {
        self.records(whole)?
            .iter()
            .map(|r| {
                let key = r.key.as_deref().filter(|k| k.len() >= 4).ok_or_else(|| {
                    RecordError::invalid(
                        "Invalid control record: the key is missing or shorter than 4 bytes",
                    )
                })?;
                Ok(match i16::from_be_bytes([key[2], key[3]]) {
                    0 => ControlRecordType::Abort,
                    1 => ControlRecordType::Commit,
                    other => ControlRecordType::Unknown(other),
                })
            })
            .collect()
    }
}

/// Reads one record; its offset and timestamp are the deltas.
/// A v2 record where it lies in its batch's records, borrowed.
#[derive(Clone, Copy, Debug)]
pub struct RecordView<'a> {
    pub offset: i64,
    pub timestamp: i64,
    pub key: Option<&'a [u8]>,
    pub value: Option<&'a [u8]>,
    /// The headers' bytes (their count already read), checked well-formed.
    headers: &'a [u8],
    header_count: usize,
}

impl<'a> RecordView<'a> {
    /// A view of a record of the legacy formats (which have no headers).
    pub(crate) fn of_legacy(record: &'a Record) -> RecordView<'a> {
        RecordView {
            offset: record.offset,
            timestamp: record.timestamp,
            key: record.key.as_deref(),
            value: record.value.as_deref(),
            headers: &[],
            header_count: 0,
        }
    }

    /// The record, owning slices of `body` (the bytes the view lies in).
    pub fn to_record(&self, body: &Bytes) -> Record {
        let owned = |field: Option<&[u8]>| field.map(|f| body.slice_ref(f));
        let mut headers = Vec::with_capacity(self.header_count);
        let mut p = 0;
        for _ in 0..self.header_count {
            let key = read_field(self.headers, &mut p)
                .ok()
                .flatten()
                .expect("checked when read");
            let value = read_field(self.headers, &mut p).expect("checked when read");
            headers.push(Header {
                key: String::from_utf8(key.to_vec()).expect("checked when read"),
                value: owned(value),
            });
        }
        Record {
            offset: self.offset,
            timestamp: self.timestamp,
            key: owned(self.key),
            value: owned(self.value),
            headers,
        }
    }
}

/// A length-prefixed field: `None` for length -1.
fn read_field<'a>(bytes: &'a [u8], p: &mut usize) -> Result<Option<&'a [u8]>, RecordError> {
    let len = read_varint(bytes, p)?;
    if len < 0 {
        return Ok(None);
    }
    let field = bytes.get(*p..*p + len as usize).ok_or_else(|| {
        RecordError::invalid("Invalid record: a key, value or header runs past the record")
    })?;
    *p += len as usize;
    Ok(Some(field))
}

fn read_record<'a>(body: &'a [u8], pos: &mut usize) -> Result<RecordView<'a>, RecordError> {
    let length = read_varint(body, pos)?;
    if length < 0 {
        return Err(RecordError::invalid(format!(
            "Invalid record size {length}"
        )));
    }
    let start = *pos;
    let end = start
        .checked_add(length as usize)
        .filter(|end| *end <= body.len())
        .ok_or_else(|| RecordError::invalid(format!(
            "Invalid record size: expected {length} bytes in record payload, but the batch ends first"
        )))?;
    let record_bytes = &body[start..end];
    if record_bytes.is_empty() {
        return Err(RecordError::invalid("Invalid record size 0"));
    }
    let mut p = 1; // attributes: unused
    let timestamp_delta = read_varlong(record_bytes, &mut p)?;
    let offset_delta = read_varint(record_bytes, &mut p)?;
    let key = read_field(record_bytes, &mut p)?;
    let value = read_field(record_bytes, &mut p)?;
    let header_count = read_varint(record_bytes, &mut p)?;
    if header_count < 0 {
        return Err(RecordError::invalid(format!(
            "Found invalid number of record headers {header_count}"
        )));
    }
    let headers_at = p;
    for _ in 0..header_count {
        let key = read_field(record_bytes, &mut p)?
            .ok_or_else(|| RecordError::invalid("Invalid negative header key size"))?;
        std::str::from_utf8(key)
            .map_err(|_| RecordError::invalid("Invalid header key: not UTF-8"))?;
        read_field(record_bytes, &mut p)?;
    }
    if p != record_bytes.len() {
        return Err(RecordError::invalid(format!(
            "Invalid record size: expected to read {length} bytes in record payload, but instead read {p}"
        )));
    }
    *pos = end;
    Ok(RecordView {
        offset: i64::from(offset_delta),
        timestamp: timestamp_delta,
        key,
        value,
        headers: &record_bytes[headers_at..],
        header_count: header_count as usize,
    })
}
