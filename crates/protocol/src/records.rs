//! Reading: a buffer of batches (`MemoryRecords` in Kafka), and one batch of
//! any magic. A legacy message (v0/v1) counts as one batch, as in Kafka's
//! `AbstractLegacyRecordBatch`.

use bytes::Bytes;

use crate::batch::{
    BatchHeader, ControlRecordType, DefaultBatch, RecordView, RECORD_BATCH_OVERHEAD,
};
use crate::legacy::{self, LegacyMessage, LOG_OVERHEAD, RECORD_OVERHEAD_V0};
use crate::{
    CompressionType, Magic, Record, RecordError, TimestampType, NO_PRODUCER_EPOCH, NO_PRODUCER_ID,
    NO_SEQUENCE,
};

/// Where the magic byte sits in both formats.
const MAGIC_AT: usize = 16;

/// A buffer of whole batches, possibly ending in a partial one (a fetch
/// response cut at its size limit, or a torn write at the end of a log).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Records {
    bytes: Bytes,
}

impl Records {
    pub fn new(bytes: Bytes) -> Records {
        Records { bytes }
    }

    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The batches, framed without decompressing; iteration ends at the end of
    /// the buffer or at a partial batch, and yields an error (then ends) at
    /// bytes that cannot be a batch.
    pub fn batches(&self) -> Batches<'_> {
        Batches {
            bytes: &self.bytes,
            pos: 0,
            failed: false,
        }
    }

    /// Every record of every batch, decompressed, CRCs checked.
    pub fn records(&self) -> Result<Vec<Record>, RecordError> {
        let mut all = Vec::new();
        for batch in self.batches() {
            all.extend(batch?.records()?);
        }
        Ok(all)
    }
}

/// Iterator over the batches of [`Records`].
pub struct Batches<'a> {
    bytes: &'a Bytes,
    pos: usize,
    failed: bool,
}

impl Batches<'_> {
    /// Where the next batch would start: after the last whole batch read.
    pub fn position(&self) -> usize {
        self.pos
    }
}

impl Iterator for Batches<'_> {
    type Item = Result<Batch, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match frame(&self.bytes[self.pos..]) {
            Ok(None) => None,
            Ok(Some((len, magic))) => {
                let batch = Batch {
                    bytes: self.bytes.slice(self.pos..self.pos + len),
                    magic,
                };
                self.pos += len;
                Some(Ok(batch))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// The size and magic of the batch at the start of `rest`; `None` when `rest`
/// holds only part of one (`ByteBufferLogInputStream.nextBatch`).
pub(crate) fn frame(rest: &[u8]) -> Result<Option<(usize, Magic)>, RecordError> {
    if rest.len() < LOG_OVERHEAD {
        return Ok(None);
    }
    let size = i32::from_be_bytes(rest[8..12].try_into().expect("four bytes"));
    if size < RECORD_OVERHEAD_V0 as i32 {
        return Err(RecordError::corrupt(format!(
            "Record size {size} is less than the minimum record overhead ({RECORD_OVERHEAD_V0})"
        )));
    }
    let total = LOG_OVERHEAD + size as usize;
    if rest.len() < total || rest.len() <= MAGIC_AT {
        return Ok(None);
    }
    let magic = Magic::from_byte(rest[MAGIC_AT] as i8).ok_or_else(|| {
        RecordError::corrupt(format!(
            "Invalid magic found in record: {}",
            rest[MAGIC_AT] as i8
        ))
    })?;
    let minimum = match magic {
        Magic::V2 => RECORD_BATCH_OVERHEAD,
        legacy => LOG_OVERHEAD + legacy::overhead(legacy),
    };
    if total < minimum {
        return Err(RecordError::corrupt(format!(
            "Record size {size} is less than the minimum record overhead ({})",
            minimum - LOG_OVERHEAD
        )));
    }
    Ok(Some((total, magic)))
}

/// One batch: a v2 record batch or a legacy message (perhaps a compressed wrapper).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    bytes: Bytes,
    magic: Magic,
}

impl Batch {
    /// Reads the single batch that `bytes` holds exactly.
    pub fn from_bytes(bytes: Bytes) -> Result<Batch, RecordError> {
        match frame(&bytes)? {
            Some((len, magic)) if len == bytes.len() => Ok(Batch { bytes, magic }),
            _ => Err(RecordError::corrupt(
                "Record is corrupt (the bytes do not hold exactly one batch)",
            )),
        }
    }

    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    pub fn magic(&self) -> Magic {
        self.magic
    }

    pub fn size_in_bytes(&self) -> usize {
        self.bytes.len()
    }

    fn legacy(&self) -> Option<LegacyMessage<'_>> {
        (self.magic < Magic::V2).then_some(LegacyMessage { bytes: &self.bytes })
    }

    fn v2(&self) -> Option<DefaultBatch<'_>> {
        (self.magic == Magic::V2).then_some(DefaultBatch { bytes: &self.bytes })
    }

    /// The v2 header; `None` for legacy messages.
    pub fn header(&self) -> Option<Result<BatchHeader, RecordError>> {
        self.v2().map(|b| b.header())
    }

    /// The offset of the last record (for a legacy message: its own offset).
    pub fn last_offset(&self) -> i64 {
        let base = i64::from_be_bytes(self.bytes[..8].try_into().expect("eight bytes"));
        match self.v2() {
            Some(b) => {
                base + i64::from(i32::from_be_bytes(
                    b.bytes[23..27].try_into().expect("four bytes"),
                ))
            }
            None => base,
        }
    }

    /// The first record's offset; a compressed legacy message is decompressed to find it.
    pub fn base_offset(&self) -> Result<i64, RecordError> {
        match (self.v2(), self.compression()?) {
            (Some(_), _) | (None, CompressionType::None) => Ok(i64::from_be_bytes(
                self.bytes[..8].try_into().expect("eight bytes"),
            )),
            (None, _) => Ok(self
                .records()?
                .first()
                .map_or(self.last_offset(), |r| r.offset)),
        }
    }

    pub fn stored_crc(&self) -> u32 {
        match (self.legacy(), self.v2()) {
            (Some(m), _) => m.stored_crc(),
            (_, Some(b)) => b.stored_crc(),
            _ => unreachable!("a batch is legacy or v2"),
        }
    }

    /// Checks the batch's size and CRC (`RecordBatch.ensureValid`).
    pub fn ensure_valid(&self) -> Result<(), RecordError> {
        match (self.legacy(), self.v2()) {
            (Some(m), _) => m.ensure_valid(),
            (_, Some(b)) => b.ensure_valid(),
            _ => unreachable!("a batch is legacy or v2"),
        }
    }

    pub fn compression(&self) -> Result<CompressionType, RecordError> {
        match (self.legacy(), self.v2()) {
            (Some(m), _) => m.compression(),
            (_, Some(b)) => Ok(b.header()?.compression),
            _ => unreachable!("a batch is legacy or v2"),
        }
    }

    pub fn timestamp_type(&self) -> TimestampType {
        match (self.legacy(), self.v2()) {
            (Some(m), _) => m.timestamp_type(),
            (_, Some(b)) => {
                if b.header()
                    .is_ok_and(|h| h.timestamp_type == TimestampType::LogAppendTime)
                {
                    TimestampType::LogAppendTime
                } else {
                    TimestampType::CreateTime
                }
            }
            _ => unreachable!("a batch is legacy or v2"),
        }
    }

    /// The largest timestamp: the v2 header's, or a legacy message's own.
    pub fn max_timestamp(&self) -> i64 {
        match (self.legacy(), self.v2()) {
            (Some(m), _) => m.timestamp(),
            (_, Some(b)) => i64::from_be_bytes(b.bytes[35..43].try_into().expect("eight bytes")),
            _ => unreachable!("a batch is legacy or v2"),
        }
    }

    /// The records in the batch as the header says, without decompressing
    /// (`None` for a compressed legacy message).
    pub fn count_or_none(&self) -> Option<i32> {
        match self.v2() {
            Some(b) => Some(b.record_count()),
            None => (self.compression().ok()? == CompressionType::None).then_some(1),
        }
    }

    pub fn producer_id(&self) -> i64 {
        self.header()
            .and_then(Result::ok)
            .map_or(NO_PRODUCER_ID, |h| h.producer_id)
    }

    pub fn producer_epoch(&self) -> i16 {
        self.header()
            .and_then(Result::ok)
            .map_or(NO_PRODUCER_EPOCH, |h| h.producer_epoch)
    }

    pub fn base_sequence(&self) -> i32 {
        self.header()
            .and_then(Result::ok)
            .map_or(NO_SEQUENCE, |h| h.base_sequence)
    }

    pub fn is_transactional(&self) -> bool {
        self.header()
            .and_then(Result::ok)
            .is_some_and(|h| h.is_transactional)
    }

    pub fn is_control(&self) -> bool {
        self.header()
            .and_then(Result::ok)
            .is_some_and(|h| h.is_control)
    }

    /// The types of a control batch's markers.
    pub fn control_types(&self) -> Result<Vec<ControlRecordType>, RecordError> {
        match self.v2() {
            Some(b) if b.header()?.is_control => b.control_types(&self.bytes),
            _ => Ok(Vec::new()),
        }
    }

    /// Visits every record, decompressed, with absolute offsets, without
    /// copying it; CRCs are checked. What a broker's validation reads.
    pub fn for_each_record(
        &self,
        mut visit: impl FnMut(RecordView<'_>) -> Result<(), RecordError>,
    ) -> Result<(), RecordError> {
        match (self.legacy(), self.v2()) {
            (Some(m), _) => m
                .records(&self.bytes)?
                .iter()
                .try_for_each(|r| visit(RecordView::of_legacy(r))),
            (_, Some(b)) => b.for_each_record(&self.bytes, |_, view| visit(view)),
            _ => unreachable!("a batch is legacy or v2"),
        }
    }

    /// Every record, decompressed, with absolute offsets; CRCs are checked.
    pub fn records(&self) -> Result<Vec<Record>, RecordError> {
        match (self.legacy(), self.v2()) {
            (Some(m), _) => m.records(&self.bytes),
            (_, Some(b)) => b.records(&self.bytes),
            _ => unreachable!("a batch is legacy or v2"),
        }
    }
}
