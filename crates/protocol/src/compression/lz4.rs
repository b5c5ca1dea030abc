//! LZ4 as Kafka frames it (`KafkaLZ4BlockOutputStream`): the LZ4 frame format
//! with independent 64 KiB blocks, no checksums. For magic v0 the frame
//! descriptor's checksum is computed over the magic number too — the bug of
//! KAFKA-3160 that message format v1 corrected — and Kafka checks it that way.

use xxhash_rust::xxh32::xxh32;

use crate::RecordError;

const MAGIC: u32 = 0x184D_2204;
const BLOCK_BYTES: usize = 64 * 1024;
/// Version 01, independent blocks; no block checksum, content size or content checksum.
const FLG: u8 = 0b0110_0000;
/// Largest block 64 KiB (block size id 4).
const BD: u8 = 4 << 4;
const UNCOMPRESSED_BLOCK: u32 = 0x8000_0000;

// Kafka's messages (KafkaLZ4BlockInputStream).
const PREMATURE_EOS: &str = "Stream ended prematurely";
const NOT_SUPPORTED: &str = "Stream unsupported (invalid magic bytes)";
const BLOCK_HASH_MISMATCH: &str = "Block checksum mismatch";
const DESCRIPTOR_HASH_MISMATCH: &str = "Stream frame descriptor corrupted";

/// The frame descriptor's checksum byte: the second byte of xxhash32 over the
/// descriptor, from the magic number on when `broken` (magic v0).
fn header_checksum(frame_start: &[u8], descriptor_end: usize, broken: bool) -> u8 {
    let from = if broken { 0 } else { 4 };
    ((xxh32(&frame_start[from..descriptor_end], 0) >> 8) & 0xFF) as u8
}

pub fn compress(data: &[u8], broken_checksum: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 2 + 32);
    out.extend_from_slice(&MAGIC.to_le_bytes());
    out.push(FLG);
    out.push(BD);
    out.push(header_checksum(&out, 6, broken_checksum));
    for block in data.chunks(BLOCK_BYTES) {
        let packed = lz4_flex::block::compress(block);
        if packed.len() < block.len() {
            out.extend_from_slice(&(packed.len() as u32).to_le_bytes());
            out.extend_from_slice(&packed);
        } else {
            out.extend_from_slice(&(block.len() as u32 | UNCOMPRESSED_BLOCK).to_le_bytes());
            out.extend_from_slice(block);
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out
}

fn error(message: &str) -> RecordError {
    RecordError::corrupt(format!("Failed to decompress lz4 data: {message}"))
}

fn u32_at(data: &[u8], pos: usize) -> Result<u32, RecordError> {
    data.get(pos..pos + 4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("four bytes")))
        .ok_or_else(|| error(PREMATURE_EOS))
}

/// Reads any LZ4 frame (other producers may add checksums or a content size).
pub fn decompress(data: &[u8], broken_checksum: bool) -> Result<Vec<u8>, RecordError> {
    if u32_at(data, 0)? != MAGIC {
        return Err(error(NOT_SUPPORTED));
    }
    let (&flg, &bd) = (
        data.get(4).ok_or_else(|| error(PREMATURE_EOS))?,
        data.get(5).ok_or_else(|| error(PREMATURE_EOS))?,
    );
    if flg >> 6 != 0b01 {
        return Err(error("Frame version unsupported"));
    }
    let block_checksum = flg & 0b0001_0000 != 0;
    let content_size = flg & 0b0000_1000 != 0;
    let content_checksum = flg & 0b0000_0100 != 0;
    let dict_id = flg & 0b0000_0001 != 0;
    let block_max = match (bd >> 4) & 0x7 {
        4 => 64 * 1024,
        5 => 256 * 1024,
        6 => 1024 * 1024,
        7 => 4 * 1024 * 1024,
        _ => return Err(error("Block size unsupported")),
    };
    let descriptor_end = 6 + if content_size { 8 } else { 0 } + if dict_id { 4 } else { 0 };
    let stored = *data
        .get(descriptor_end)
        .ok_or_else(|| error(PREMATURE_EOS))?;
    if stored != header_checksum(data, descriptor_end, broken_checksum) {
        return Err(error(DESCRIPTOR_HASH_MISMATCH));
    }
    let mut pos = descriptor_end + 1;
    let mut out = Vec::new();
    loop {
        let size = u32_at(data, pos)?;
        pos += 4;
        if size == 0 {
            break;
        }
        let len = (size & !UNCOMPRESSED_BLOCK) as usize;
        if len > block_max {
            return Err(error("Block size exceeds the frame's maximum"));
        }
        let block = data
            .get(pos..pos + len)
            .ok_or_else(|| error(PREMATURE_EOS))?;
        pos += len;
        if block_checksum {
            if u32_at(data, pos)? != xxh32(block, 0) {
                return Err(error(BLOCK_HASH_MISMATCH));
            }
            pos += 4;
        }
        if out.len() + block_max > super::DECOMPRESSED_BYTES_MAX {
            return Err(super::too_large());
        }
        if size & UNCOMPRESSED_BLOCK != 0 {
            out.extend_from_slice(block);
        } else {
            let start = out.len();
            out.resize(start + block_max, 0);
            let n = lz4_flex::block::decompress_into(block, &mut out[start..])
                .map_err(|e| error(&e.to_string()))?;
            out.truncate(start + n);
        }
    }
    if content_checksum && u32_at(data, pos)? != xxh32(&out, 0) {
        return Err(error("Content checksum mismatch"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_v0_frames_carry_kafka_3160s_checksum_and_are_checked_by_it() {
        let old = compress(b"kafka kafka kafka", true);
        let new = compress(b"kafka kafka kafka", false);
        // Only the descriptor checksum byte differs.
        assert_eq!(old[..6], new[..6]);
        assert_ne!(old[6], new[6]);
        assert_eq!(new[6], ((xxh32(&[FLG, BD], 0) >> 8) & 0xFF) as u8);
        assert_eq!(decompress(&old, true).unwrap(), b"kafka kafka kafka");
        assert_eq!(decompress(&new, false).unwrap(), b"kafka kafka kafka");
        assert!(decompress(&old, false)
            .unwrap_err()
            .to_string()
            .contains(DESCRIPTOR_HASH_MISMATCH));
    }

    #[test]
    fn incompressible_blocks_are_stored_raw() {
        let noise: Vec<u8> = (0..70_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let framed = compress(&noise, false);
        assert_eq!(decompress(&framed, false).unwrap(), noise);
    }
}
