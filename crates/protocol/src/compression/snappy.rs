//! Snappy as Kafka's producer writes it: xerial's `SnappyOutputStream`
//! framing (a 16-byte header, then length-prefixed raw snappy blocks).
//! Plain (unframed) snappy is accepted on read, as Kafka's reader does.

use crate::RecordError;

/// `-126 'S' 'N' 'A' 'P' 'P' 'Y' 0`, then version 1 and compatible version 1.
const XERIAL_HEADER: [u8; 16] = [
    0x82, b'S', b'N', b'A', b'P', b'P', b'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1,
];
const XERIAL_MAGIC_LEN: usize = 8;
/// xerial's default block size.
const BLOCK_BYTES: usize = 32 * 1024;

pub fn compress(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(XERIAL_HEADER.len() + data.len() / 2 + 16);
    out.extend_from_slice(&XERIAL_HEADER);
    let mut encoder = snap::raw::Encoder::new();
    for block in data.chunks(BLOCK_BYTES) {
        let packed = encoder
            .compress_vec(block)
            .expect("a 32 KiB block is within snappy's limits");
        out.extend_from_slice(&(packed.len() as u32).to_be_bytes());
        out.extend_from_slice(&packed);
    }
    out
}

pub fn decompress(data: &[u8]) -> Result<Vec<u8>, RecordError> {
    let corrupt =
        |e: snap::Error| RecordError::corrupt(format!("Failed to decompress snappy data: {e}"));
    let mut decoder = snap::raw::Decoder::new();
    if !data.starts_with(&XERIAL_HEADER[..XERIAL_MAGIC_LEN]) {
        return decoder.decompress_vec(data).map_err(corrupt);
    }
    if data.len() < XERIAL_HEADER.len() {
        return Err(RecordError::corrupt(
            "Failed to decompress snappy data: truncated stream header",
        ));
    }
    let mut out = Vec::new();
    let mut pos = XERIAL_HEADER.len();
    while pos < data.len() {
        let len_bytes = data.get(pos..pos + 4).ok_or_else(|| {
            RecordError::corrupt("Failed to decompress snappy data: truncated block length")
        })?;
        let len = u32::from_be_bytes(len_bytes.try_into().expect("four bytes")) as usize;
        pos += 4;
        let block = data.get(pos..pos + len).ok_or_else(|| {
            RecordError::corrupt("Failed to decompress snappy data: truncated block")
        })?;
        pos += len;
        let size = snap::raw::decompress_len(block).map_err(corrupt)?;
        if out.len() + size > super::DECOMPRESSED_BYTES_MAX {
            return Err(super::too_large());
        }
        out.extend(decoder.decompress_vec(block).map_err(corrupt)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_xerial_header_and_reads_plain_snappy_too() {
        let framed = compress(b"hello hello hello hello");
        assert_eq!(&framed[..16], &XERIAL_HEADER);
        assert_eq!(decompress(&framed).unwrap(), b"hello hello hello hello");
        let plain = snap::raw::Encoder::new().compress_vec(b"plain").unwrap();
        assert_eq!(decompress(&plain).unwrap(), b"plain");
    }
}
