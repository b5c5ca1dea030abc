//! Compression of message sets and record batches, framed as Kafka frames it.

mod lz4;
mod snappy;

use std::io::{Read, Write};

use crate::{Magic, RecordError};

/// The codec in a batch's attributes (bits 0–2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompressionType {
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}

/// The most bytes one compressed batch may expand to; more is treated as corrupt
/// (a "zip bomb" must not take the page down).
pub const DECOMPRESSED_BYTES_MAX: usize = 256 * 1024 * 1024;

impl CompressionType {
    pub fn from_id(id: u8) -> Result<CompressionType, RecordError> {
        match id {
            0 => Ok(CompressionType::None),
            1 => Ok(CompressionType::Gzip),
            2 => Ok(CompressionType::Snappy),
            3 => Ok(CompressionType::Lz4),
            4 => Ok(CompressionType::Zstd),
            other => Err(RecordError::UnsupportedCompressionType(format!(
                "Unknown compression type id: {other}"
            ))),
        }
    }

    /// Kafka's names, as `compression.type` takes them.
    pub fn from_name(name: &str) -> Option<CompressionType> {
        match name {
            "none" => Some(CompressionType::None),
            "gzip" => Some(CompressionType::Gzip),
            "snappy" => Some(CompressionType::Snappy),
            "lz4" => Some(CompressionType::Lz4),
            "zstd" => Some(CompressionType::Zstd),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            CompressionType::None => "none",
            CompressionType::Gzip => "gzip",
            CompressionType::Snappy => "snappy",
            CompressionType::Lz4 => "lz4",
            CompressionType::Zstd => "zstd",
        }
    }

    pub fn id(self) -> u8 {
        self as u8
    }

    /// zstd exists only for record batches (magic v2), as in Kafka 2.1+.
    pub fn check_magic(self, magic: Magic) -> Result<(), RecordError> {
        if self == CompressionType::Zstd && magic < Magic::V2 {
            return Err(RecordError::UnsupportedCompressionType(format!(
                "ZStandard compression is not supported for magic {}",
                magic.value()
            )));
        }
        Ok(())
    }

    /// Compresses `data` as Kafka's producer does for this magic.
    pub fn compress(self, magic: Magic, data: &[u8]) -> Result<Vec<u8>, RecordError> {
        self.check_magic(magic)?;
        Ok(match self {
            CompressionType::None => data.to_vec(),
            CompressionType::Gzip => gzip_compress(data),
            CompressionType::Snappy => snappy::compress(data),
            CompressionType::Lz4 => lz4::compress(data, magic == Magic::V0),
            CompressionType::Zstd => {
                ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
            }
        })
    }

    /// Decompresses a batch's payload; corrupt data is a `CorruptRecordException`.
    pub fn decompress(self, magic: Magic, data: &[u8]) -> Result<Vec<u8>, RecordError> {
        self.check_magic(magic)?;
        match self {
            CompressionType::None => Ok(data.to_vec()),
            CompressionType::Gzip => read_bounded(flate2::read::MultiGzDecoder::new(data), "gzip"),
            CompressionType::Snappy => snappy::decompress(data),
            CompressionType::Lz4 => lz4::decompress(data, magic == Magic::V0),
            CompressionType::Zstd => zstd_decompress(data),
        }
    }
}

/// gzip as `java.util.zip.GZIPOutputStream` writes it: no name, no time, OS 0.
fn gzip_compress(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::GzBuilder::new().mtime(0).operating_system(0).write(
        Vec::with_capacity(data.len() / 2 + 64),
        flate2::Compression::default(),
    );
    encoder
        .write_all(data)
        .expect("writing to a Vec cannot fail");
    encoder.finish().expect("writing to a Vec cannot fail")
}

fn zstd_decompress(data: &[u8]) -> Result<Vec<u8>, RecordError> {
    let mut input = data;
    let mut out = Vec::new();
    while !input.is_empty() {
        let decoder = ruzstd::decoding::StreamingDecoder::new(&mut input)
            .map_err(|e| RecordError::corrupt(format!("Failed to decompress zstd data: {e}")))?;
        out.extend(read_bounded(decoder, "zstd")?);
        if out.len() > DECOMPRESSED_BYTES_MAX {
            return Err(too_large());
        }
    }
    Ok(out)
}

fn too_large() -> RecordError {
    RecordError::corrupt(format!(
        "Decompressed data exceeds the playground's limit of {DECOMPRESSED_BYTES_MAX} bytes"
    ))
}

/// Reads a decoder to its end, refusing more than [`DECOMPRESSED_BYTES_MAX`].
fn read_bounded(reader: impl Read, codec: &str) -> Result<Vec<u8>, RecordError> {
    let mut out = Vec::new();
    reader
        .take(DECOMPRESSED_BYTES_MAX as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| RecordError::corrupt(format!("Failed to decompress {codec} data: {e}")))?;
    if out.len() > DECOMPRESSED_BYTES_MAX {
        return Err(too_large());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ALL: [CompressionType; 5] = [
        CompressionType::None,
        CompressionType::Gzip,
        CompressionType::Snappy,
        CompressionType::Lz4,
        CompressionType::Zstd,
    ];

    #[test]
    fn gzip_header_is_javas() {
        let out = CompressionType::Gzip.compress(Magic::V0, b"kafka").unwrap();
        assert_eq!(&out[..4], &[0x1f, 0x8b, 8, 0]);
        assert_eq!(&out[4..8], &[0, 0, 0, 0], "no modification time");
        assert_eq!(out[9], 0, "OS byte as Java writes it");
    }

    #[test]
    fn zstd_needs_magic_v2() {
        let err = CompressionType::Zstd.compress(Magic::V1, b"x").unwrap_err();
        assert_eq!(err.kafka_name(), "UnsupportedCompressionTypeException");
        assert_eq!(
            CompressionType::from_id(5).unwrap_err().to_string(),
            "Unknown compression type id: 5"
        );
    }

    #[test]
    fn garbage_is_corrupt_not_a_panic() {
        for codec in ALL.into_iter().skip(1) {
            for garbage in [
                &b""[..],
                b"\x00",
                b"not compressed at all, not even close",
                &[0xff; 300],
            ] {
                if let Err(e) = codec.decompress(Magic::V2, garbage) {
                    assert_eq!(e.kafka_name(), "CorruptRecordException", "{codec:?}");
                }
            }
        }
    }

    #[test]
    fn blocks_larger_than_a_frame_block_round_trip() {
        // Over snappy's 32 KiB and lz4's 64 KiB blocks, half compressible.
        let data: Vec<u8> = (0..300_000u32)
            .map(|i| {
                if i % 2 == 0 {
                    7
                } else {
                    (i.wrapping_mul(2_654_435_761) >> 11) as u8
                }
            })
            .collect();
        for codec in ALL {
            let packed = codec.compress(Magic::V2, &data).unwrap();
            assert_eq!(
                codec.decompress(Magic::V2, &packed).unwrap(),
                data,
                "{codec:?}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn every_codec_round_trips(data in prop::collection::vec(any::<u8>(), 0..4_000usize), repeat in 1usize..4) {
            let data: Vec<u8> = data.repeat(repeat);
            for codec in ALL {
                for magic in [Magic::V0, Magic::V1, Magic::V2] {
                    if codec.check_magic(magic).is_err() { continue; }
                    let packed = codec.compress(magic, &data).unwrap();
                    prop_assert_eq!(codec.decompress(magic, &packed).unwrap(), data.clone(), "{:?} {:?}", codec, magic);
                }
            }
        }

        #[test]
        fn decompressing_random_bytes_never_panics(data in prop::collection::vec(any::<u8>(), 0..512)) {
            for codec in ALL {
                let _ = codec.decompress(Magic::V2, &data);
                let _ = codec.decompress(Magic::V0, &data);
            }
        }
    }
}
