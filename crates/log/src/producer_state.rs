//! Producer state (`ProducerStateManager`, 0.11+): per producer id, its epoch,
//! last sequence and offset, as idempotence and transactions need, kept in
//! `<offset>.snapshot` files.
//!
//! ```text
//! version i16 (1) | crc u32 (CRC32C of the rest) | count i32 |
//! count × (producerId i64 | epoch i16 | lastSequence i32 | lastOffset i64 |
//!          offsetDelta i32 | timestamp i64 | coordinatorEpoch i32 | currentTxnFirstOffset i64)
//! ```

use std::collections::BTreeMap;

use protocol::Batch;

const SNAPSHOT_VERSION: i16 = 1;
const ENTRY_BYTES: usize = 46;
const HEADER_BYTES: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProducerEntry {
    pub epoch: i16,
    pub last_sequence: i32,
    pub last_offset: i64,
    pub offset_delta: i32,
    pub timestamp: i64,
    pub coordinator_epoch: i32,
    /// The first offset of the producer's open transaction, -1 when none.
    pub current_txn_first_offset: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProducerStateManager {
    producers: BTreeMap<i64, ProducerEntry>,
}

impl ProducerStateManager {
    pub fn producers(&self) -> &BTreeMap<i64, ProducerEntry> {
        &self.producers
    }

    /// Follows one appended batch.
    pub fn update(&mut self, batch: &Batch) {
        let pid = batch.producer_id();
        if pid < 0 {
            return;
        }
        let first = batch.base_offset().unwrap_or_else(|_| batch.last_offset());
        let count = batch.count_or_none().unwrap_or(1);
        let previous = self.producers.get(&pid).copied();
        // A transaction opens with its first batch and closes with its marker.
        let current_txn_first_offset = if !batch.is_transactional() || batch.is_control() {
            -1
        } else {
            match previous {
                Some(p) if p.current_txn_first_offset >= 0 => p.current_txn_first_offset,
                _ => first,
            }
        };
        let last_sequence = if batch.is_control() {
            previous.map_or(-1, |p| p.last_sequence)
        } else {
            batch.base_sequence().wrapping_add(count - 1)
        };
        self.producers.insert(
            pid,
            ProducerEntry {
                epoch: batch.producer_epoch(),
                last_sequence,
                last_offset: batch.last_offset(),
                offset_delta: (batch.last_offset() - first) as i32,
                timestamp: batch.max_timestamp(),
                coordinator_epoch: previous.map_or(-1, |p| p.coordinator_epoch),
                current_txn_first_offset,
            },
        );
    }

    /// After the log is truncated to `end_offset`: producers last seen there or later are forgotten.
    pub fn truncate(&mut self, end_offset: i64) {
        self.producers.retain(|_, p| p.last_offset < end_offset);
    }

    pub fn snapshot_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_BYTES + ENTRY_BYTES * self.producers.len());
        out.extend_from_slice(&SNAPSHOT_VERSION.to_be_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(self.producers.len() as i32).to_be_bytes());
        for (pid, p) in &self.producers {
            out.extend_from_slice(&pid.to_be_bytes());
            out.extend_from_slice(&p.epoch.to_be_bytes());
            out.extend_from_slice(&p.last_sequence.to_be_bytes());
            out.extend_from_slice(&p.last_offset.to_be_bytes());
            out.extend_from_slice(&p.offset_delta.to_be_bytes());
            out.extend_from_slice(&p.timestamp.to_be_bytes());
            out.extend_from_slice(&p.coordinator_epoch.to_be_bytes());
            out.extend_from_slice(&p.current_txn_first_offset.to_be_bytes());
        }
        let crc = protocol::crc32c(&out[6..]);
        out[2..6].copy_from_slice(&crc.to_be_bytes());
        out
    }

    /// Reads a snapshot file; a bad version, size or CRC is an error in Kafka's words.
    pub fn from_snapshot(bytes: &[u8], path: &str) -> Result<ProducerStateManager, String> {
        let corrupt = |why: &str| format!("Snapshot file '{path}' is corrupt ({why})");
        if bytes.len() < HEADER_BYTES {
            return Err(corrupt("too short"));
        }
        let version = i16::from_be_bytes([bytes[0], bytes[1]]);
        if version != SNAPSHOT_VERSION {
            return Err(format!(
                "Snapshot contained an unknown file version {version}"
            ));
        }
        let stored = u32::from_be_bytes(bytes[2..6].try_into().expect("four bytes"));
        let computed = protocol::crc32c(&bytes[6..]);
        if stored != computed {
            return Err(format!("Snapshot is corrupt (CRC is no longer valid). Stored crc: {stored}. Computed crc: {computed}"));
        }
        let count = i32::from_be_bytes(bytes[6..10].try_into().expect("four bytes"));
        if count < 0 || bytes.len() != HEADER_BYTES + count as usize * ENTRY_BYTES {
            return Err(corrupt("the entry count does not match the size"));
        }
        let mut producers = BTreeMap::new();
        for e in bytes[HEADER_BYTES..].chunks_exact(ENTRY_BYTES) {
            let i64_at =
                |at: usize| i64::from_be_bytes(e[at..at + 8].try_into().expect("eight bytes"));
            let i32_at =
                |at: usize| i32::from_be_bytes(e[at..at + 4].try_into().expect("four bytes"));
            producers.insert(
                i64_at(0),
                ProducerEntry {
                    epoch: i16::from_be_bytes([e[8], e[9]]),
                    last_sequence: i32_at(10),
                    last_offset: i64_at(14),
                    offset_delta: i32_at(22),
                    timestamp: i64_at(26),
                    coordinator_epoch: i32_at(34),
                    current_txn_first_offset: i64_at(38),
                },
            );
        }
        Ok(ProducerStateManager { producers })
    }
}

/// A snapshot's file name: `<20-digit offset>.snapshot`.
pub fn snapshot_path(dir: &str, offset: i64) -> String {
    format!("{dir}/{offset:020}.snapshot")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_snapshot_has_kafkas_bytes() {
        assert_eq!(
            ProducerStateManager::default().snapshot_bytes(),
            [0x00, 0x01, 0x48, 0x67, 0x4B, 0xC7, 0, 0, 0, 0]
        );
    }

    #[test]
    fn snapshots_round_trip_and_detect_damage() {
        let mut m = ProducerStateManager::default();
        m.producers.insert(
            7,
            ProducerEntry {
                epoch: 1,
                last_sequence: 9,
                last_offset: 100,
                offset_delta: 9,
                timestamp: 123,
                coordinator_epoch: -1,
                current_txn_first_offset: -1,
            },
        );
        let bytes = m.snapshot_bytes();
        assert_eq!(bytes.len(), 10 + 46);
        assert_eq!(ProducerStateManager::from_snapshot(&bytes, "p").unwrap(), m);
        let mut bad = bytes.clone();
        bad[20] ^= 1;
        assert!(ProducerStateManager::from_snapshot(&bad, "p")
            .unwrap_err()
            .starts_with("Snapshot is corrupt (CRC is no longer valid)"));
    }
}
