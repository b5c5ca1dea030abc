//! Message format v0 and v1 (Kafka's `LegacyRecord`), one message at a time.
//!
//! ```text
//! offset i64 | size i32 | crc u32 | magic i8 | attributes i8 | [timestamp i64, v1] | key bytes | value bytes
//! ```
//! The CRC32 covers magic to the end. A compressed message's value is a
//! whole inner message set; its offset is that of the last inner message.

use bytes::Bytes;

use crate::{crc32, CompressionType, Magic, Record, RecordError, TimestampType, NO_TIMESTAMP};

/// Offset and size fields in front of every message or batch.
pub const LOG_OVERHEAD: usize = 12;
/// crc + magic + attributes + key length + value length.
pub const RECORD_OVERHEAD_V0: usize = 14;
/// v0's overhead plus the timestamp.
pub const RECORD_OVERHEAD_V1: usize = 22;

const CRC_AT: usize = LOG_OVERHEAD;
const MAGIC_AT: usize = CRC_AT + 4;
const ATTRIBUTES_AT: usize = MAGIC_AT + 1;
const TIMESTAMP_AT: usize = ATTRIBUTES_AT + 1;
const COMPRESSION_MASK: u8 = 0x07;
const TIMESTAMP_TYPE_BIT: u8 = 0x08;

pub fn overhead(magic: Magic) -> usize {
    if magic == Magic::V0 {
        RECORD_OVERHEAD_V0
    } else {
        RECORD_OVERHEAD_V1
    }
}

/// Appends one message (with its log overhead) to `out`.
#[allow(clippy::too_many_arguments)]
pub fn write_message(
    out: &mut Vec<u8>,
    magic: Magic,
    offset: i64,
    timestamp: i64,
    timestamp_type: TimestampType,
    compression: CompressionType,
    key: Option<&[u8]>,
    value: Option<&[u8]>,
) {
    assert!(magic < Magic::V2, "legacy messages are v0 or v1");
    let start = out.len();
    out.extend_from_slice(&offset.to_be_bytes());
    out.extend_from_slice(&[0; 4]); // size, filled in below
    out.extend_from_slice(&[0; 4]); // crc, filled in below
    out.push(magic.value() as u8);
    let mut attributes = compression.id() & COMPRESSION_MASK;
    if magic == Magic::V1 && timestamp_type == TimestampType::LogAppendTime {
        attributes |= TIMESTAMP_TYPE_BIT;
    }
    out.push(attributes);
    if magic == Magic::V1 {
        out.extend_from_slice(&timestamp.to_be_bytes());
    }
    for field in [key, value] {
        match field {
            None => out.extend_from_slice(&(-1i32).to_be_bytes()),
            Some(bytes) => {
                out.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
                out.extend_from_slice(bytes);
            }
        }
    }
    let size = (out.len() - start - LOG_OVERHEAD) as i32;
    out[start + 8..start + 12].copy_from_slice(&size.to_be_bytes());
    let crc = crc32(&out[start + MAGIC_AT..]);
    out[start + CRC_AT..start + MAGIC_AT].copy_from_slice(&crc.to_be_bytes());
}

/// A message's key and value; `None` is null.
pub type KeyValue<'a> = (Option<&'a [u8]>, Option<&'a [u8]>);

/// A view of one legacy message: `bytes` holds the message with its log overhead.
#[derive(Clone, Debug)]
pub struct LegacyMessage<'a> {
    pub bytes: &'a [u8],
}

impl LegacyMessage<'_> {
    pub fn offset(&self) -> i64 {
        i64::from_be_bytes(self.bytes[..8].try_into().expect("eight bytes"))
    }

    pub fn magic(&self) -> Magic {
        Magic::from_byte(self.bytes[MAGIC_AT] as i8).expect("checked when the message was framed")
    }

    pub fn stored_crc(&self) -> u32 {
        u32::from_be_bytes(self.bytes[CRC_AT..MAGIC_AT].try_into().expect("four bytes"))
    }

    pub fn computed_crc(&self) -> u32 {
        crc32(&self.bytes[MAGIC_AT..])
    }

    fn attributes(&self) -> u8 {
        self.bytes[ATTRIBUTES_AT]
    }

    pub fn compression(&self) -> Result<CompressionType, RecordError> {
        CompressionType::from_id(self.attributes() & COMPRESSION_MASK)
    }

    pub fn timestamp_type(&self) -> TimestampType {
        match (self.magic(), self.attributes() & TIMESTAMP_TYPE_BIT != 0) {
            (Magic::V0, _) => TimestampType::NoTimestampType,
            (_, true) => TimestampType::LogAppendTime,
            (_, false) => TimestampType::CreateTime,
        }
    }

    pub fn timestamp(&self) -> i64 {
        match self.magic() {
            Magic::V0 => NO_TIMESTAMP,
            _ => i64::from_be_bytes(
                self.bytes[TIMESTAMP_AT..TIMESTAMP_AT + 8]
                    .try_into()
                    .expect("eight bytes"),
            ),
        }
    }

    /// Checks the size and the CRC (`LegacyRecord.ensureValid`).
    pub fn ensure_valid(&self) -> Result<(), RecordError> {
        let size = self.bytes.len() - LOG_OVERHEAD;
        let minimum = overhead(self.magic());
        if size < minimum {
            return Err(RecordError::corrupt(format!(
                "Record is corrupt (the size {size} is smaller than the minimum record overhead {minimum})"
            )));
        }
        let (stored, computed) = (self.stored_crc(), self.computed_crc());
        if stored != computed {
            return Err(RecordError::corrupt(format!(
                "Record is corrupt (stored crc = {stored}, computed crc = {computed})"
            )));
        }
        Ok(())
    }

    /// The key and the value, checked against the message's size.
    pub fn key_value(&self) -> Result<KeyValue<'_>, RecordError> {
        let mut pos = LOG_OVERHEAD + overhead(self.magic()) - 8;
        let key = self.delimited(&mut pos)?;
        let value = self.delimited(&mut pos)?;
        if pos != self.bytes.len() {
            return Err(RecordError::invalid(format!(
                "Invalid record size: expected to read {} bytes in record payload, but instead read {}",
                self.bytes.len() - LOG_OVERHEAD,
                pos - LOG_OVERHEAD
            )));
        }
        Ok((key, value))
    }

    fn delimited(&self, pos: &mut usize) -> Result<Option<&[u8]>, RecordError> {
        let len_bytes = self.bytes.get(*pos..*pos + 4).ok_or_else(|| {
            RecordError::corrupt("Record is corrupt (truncated key or value length)")
        })?;
        *pos += 4;
        let len = i32::from_be_bytes(len_bytes.try_into().expect("four bytes"));
        if len < 0 {
            return Ok(None);
        }
        let data = self.bytes.get(*pos..*pos + len as usize).ok_or_else(|| {
            RecordError::corrupt(format!(
                "Record is corrupt (a key or value of {len} bytes runs past the message)"
            ))
        })?;
        *pos += len as usize;
        Ok(Some(data))
    }

    /// The records of this message: itself, or for a compressed message the
    /// inner messages with absolute offsets and the wrapper's timestamp rules.
    pub fn records(&self, whole: &Bytes) -> Result<Vec<Record>, RecordError> {
        self.ensure_valid()?;
        let (key, value) = self.key_value()?;
        let compression = self.compression()?;
        if compression == CompressionType::None {
            return Ok(vec![Record {
                offset: self.offset(),
                timestamp: self.timestamp(),
                key: key.map(|k| slice_of(whole, k)),
                value: value.map(|v| slice_of(whole, v)),
                headers: Vec::new(),
            }]);
        }
        let wrapper_magic = self.magic();
        let inner = compression.decompress(wrapper_magic, value.unwrap_or_default())?;
        let inner = Bytes::from(inner);
        let mut messages = Vec::new();
        let mut pos = 0;
        while pos < inner.len() {
            let (frame, magic) = crate::records::frame(&inner[pos..])?.ok_or_else(|| {
                RecordError::corrupt(
                    "Record is corrupt (a compressed message set ends in a partial message)",
                )
            })?;
            if magic != wrapper_magic {
                return Err(RecordError::invalid(format!(
                    "Compressed message magic {} does not match wrapper magic {}",
                    magic.value(),
                    wrapper_magic.value()
                )));
            }
            let message = LegacyMessage {
                bytes: &inner[pos..pos + frame],
            };
            message.ensure_valid()?;
            if message.compression()? != CompressionType::None {
                return Err(RecordError::invalid(
                    "Inner messages must not be compressed",
                ));
            }
            messages.push((pos, frame));
            pos += frame;
        }
        let Some(&(last_pos, last_len)) = messages.last() else {
            return Err(RecordError::invalid(
                "Compressed message set has no messages",
            ));
        };
        // v1 inner offsets are relative: the wrapper's offset is the last one's.
        // A producer's own wrapper (offset 0) leaves them as they are, as in
        // Kafka's `DeepRecordsIterator` (it converts only when the base is >= 0).
        let last_inner = LegacyMessage {
            bytes: &inner[last_pos..last_pos + last_len],
        }
        .offset();
        let base = self.offset() - last_inner;
        let shift = if wrapper_magic == Magic::V1 && base >= 0 {
            base
        } else {
            0
        };
        let log_append = self.timestamp_type() == TimestampType::LogAppendTime;
        messages
            .into_iter()
            .map(|(pos, len)| {
                let message = LegacyMessage {
                    bytes: &inner[pos..pos + len],
                };
                let (key, value) = message.key_value()?;
                Ok(Record {
                    offset: message.offset() + shift,
                    timestamp: if log_append {
                        self.timestamp()
                    } else {
                        message.timestamp()
                    },
                    key: key.map(|k| slice_of(&inner, k)),
                    value: value.map(|v| slice_of(&inner, v)),
                    headers: Vec::new(),
                })
            })
            .collect()
    }
}

/// A `Bytes` for `part`, which lies inside `whole`: no copy.
fn slice_of(whole: &Bytes, part: &[u8]) -> Bytes {
    whole.slice_ref(part)
}
