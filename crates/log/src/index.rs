//! Kafka's sparse indexes of a segment: `OffsetIndex` (`.index`: relative
//! offset i32, position i32) and `TimeIndex` (`.timeindex`: timestamp i64,
//! relative offset i32), big-endian, in files preallocated to
//! `segment.index.bytes` and trimmed to their entries when the segment rolls.

pub const OFFSET_ENTRY_BYTES: u64 = 8;
pub const TIME_ENTRY_BYTES: u64 = 12;

/// An offset index entry: the batch starting at `position` holds `relative_offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OffsetEntry {
    pub relative_offset: u32,
    pub position: u32,
}

/// A time index entry: the largest timestamp before `relative_offset` is `timestamp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeEntry {
    pub timestamp: i64,
    pub relative_offset: u32,
}

impl OffsetEntry {
    pub fn to_bytes(self) -> [u8; 8] {
        let mut b = [0; 8];
        b[..4].copy_from_slice(&self.relative_offset.to_be_bytes());
        b[4..].copy_from_slice(&self.position.to_be_bytes());
        b
    }
}

impl TimeEntry {
    pub fn to_bytes(self) -> [u8; 12] {
        let mut b = [0; 12];
        b[..8].copy_from_slice(&self.timestamp.to_be_bytes());
        b[8..].copy_from_slice(&self.relative_offset.to_be_bytes());
        b
    }
}

/// Reads an `.index` file: every whole entry, as Kafka trusts the file's length.
/// A preallocated file's zero tail reads as entries (0, 0), as Kafka's does
/// until recovery rebuilds it.
pub fn parse_offset_index(bytes: &[u8]) -> Vec<OffsetEntry> {
    bytes
        .chunks_exact(OFFSET_ENTRY_BYTES as usize)
        .map(|c| OffsetEntry {
            relative_offset: u32::from_be_bytes(c[..4].try_into().expect("four bytes")),
            position: u32::from_be_bytes(c[4..].try_into().expect("four bytes")),
        })
        .collect()
}

pub fn parse_time_index(bytes: &[u8]) -> Vec<TimeEntry> {
    bytes
        .chunks_exact(TIME_ENTRY_BYTES as usize)
        .map(|c| TimeEntry {
            timestamp: i64::from_be_bytes(c[..8].try_into().expect("eight bytes")),
            relative_offset: u32::from_be_bytes(c[8..].try_into().expect("four bytes")),
        })
        .collect()
}
