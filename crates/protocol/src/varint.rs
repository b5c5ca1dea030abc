//! Kafka's variable-length integers (`ByteUtils`): zig-zag encoded, seven bits
//! a byte, least significant group first; `varint` for i32, `varlong` for i64.

use crate::RecordError;

fn zigzag32(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

fn zigzag64(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

pub fn write_unsigned_varint(mut v: u32, out: &mut Vec<u8>) {
    while v & !0x7F != 0 {
        out.push(((v & 0x7F) | 0x80) as u8);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn write_varint(v: i32, out: &mut Vec<u8>) {
    write_unsigned_varint(zigzag32(v), out);
}

pub fn write_varlong(v: i64, out: &mut Vec<u8>) {
    let mut v = zigzag64(v);
    while v & !0x7F != 0 {
        out.push(((v & 0x7F) | 0x80) as u8);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Bytes [`write_varint`] uses for `v`.
pub fn size_of_varint(v: i32) -> usize {
    let bits = 32 - zigzag32(v).leading_zeros() as usize;
    bits.max(1).div_ceil(7)
}

/// Bytes [`write_varlong`] uses for `v`.
pub fn size_of_varlong(v: i64) -> usize {
    let bits = 64 - zigzag64(v).leading_zeros() as usize;
    bits.max(1).div_ceil(7)
}

/// Reads from `buf` at `*pos`, moving `*pos` past what was read.
pub fn read_unsigned_varint(buf: &[u8], pos: &mut usize) -> Result<u32, RecordError> {
    let mut value: u32 = 0;
    for i in 0..5 {
        let b = *buf
            .get(*pos)
            .ok_or_else(|| RecordError::invalid("Truncated varint"))?;
        *pos += 1;
        value |= u32::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(RecordError::invalid(format!(
        "Varint is too long, the most significant bit in the 5th byte is set, converted value: {value:x}"
    )))
}

pub fn read_varint(buf: &[u8], pos: &mut usize) -> Result<i32, RecordError> {
    let v = read_unsigned_varint(buf, pos)?;
    Ok(((v >> 1) as i32) ^ -((v & 1) as i32))
}

pub fn read_varlong(buf: &[u8], pos: &mut usize) -> Result<i64, RecordError> {
    let mut value: u64 = 0;
    for i in 0..10 {
        let b = *buf
            .get(*pos)
            .ok_or_else(|| RecordError::invalid("Truncated varlong"))?;
        *pos += 1;
        value |= u64::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            return Ok(((value >> 1) as i64) ^ -((value & 1) as i64));
        }
    }
    Err(RecordError::invalid(format!(
        "Varlong is too long, most significant bit in the 10th byte is set, converted value: {value:x}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Known answers from Kafka's `ByteUtilsTest` (clients/src/test/java/org/apache/kafka/common/utils/ByteUtilsTest.java).
    #[test]
    fn known_answers_from_kafka() {
        let cases: &[(i32, &[u8])] = &[
            (0, &[0x00]),
            (-1, &[0x01]),
            (1, &[0x02]),
            (63, &[0x7E]),
            (-64, &[0x7F]),
            (64, &[0x80, 0x01]),
            (-65, &[0x81, 0x01]),
            (8191, &[0xFE, 0x7F]),
            (-8192, &[0xFF, 0x7F]),
            (8192, &[0x80, 0x80, 0x01]),
            (-8193, &[0x81, 0x80, 0x01]),
            (1048575, &[0xFE, 0xFF, 0x7F]),
            (-1048576, &[0xFF, 0xFF, 0x7F]),
            (1048576, &[0x80, 0x80, 0x80, 0x01]),
            (-1048577, &[0x81, 0x80, 0x80, 0x01]),
            (134217727, &[0xFE, 0xFF, 0xFF, 0x7F]),
            (-134217728, &[0xFF, 0xFF, 0xFF, 0x7F]),
            (134217728, &[0x80, 0x80, 0x80, 0x80, 0x01]),
            (-134217729, &[0x81, 0x80, 0x80, 0x80, 0x01]),
            (i32::MAX, &[0xFE, 0xFF, 0xFF, 0xFF, 0x0F]),
            (i32::MIN, &[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        ];
        for &(value, bytes) in cases {
            let mut out = Vec::new();
            write_varint(value, &mut out);
            assert_eq!(out, bytes, "{value}");
            assert_eq!(size_of_varint(value), bytes.len());
            let mut pos = 0;
            assert_eq!(read_varint(bytes, &mut pos), Ok(value));
            assert_eq!(pos, bytes.len());
        }
        let mut out = Vec::new();
        write_varlong(i64::MIN, &mut out);
        assert_eq!(
            out,
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        );
    }

    #[test]
    fn too_long_and_truncated_are_errors() {
        let mut pos = 0;
        assert!(read_varint(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], &mut pos).is_err());
        let mut pos = 0;
        assert!(read_varint(&[0x80], &mut pos).is_err());
    }

    proptest! {
        #[test]
        fn varints_round_trip(v in any::<i32>(), w in any::<i64>()) {
            let mut out = Vec::new();
            write_varint(v, &mut out);
            write_varlong(w, &mut out);
            prop_assert_eq!(out.len(), size_of_varint(v) + size_of_varlong(w));
            let mut pos = 0;
            prop_assert_eq!(read_varint(&out, &mut pos), Ok(v));
            prop_assert_eq!(read_varlong(&out, &mut pos), Ok(w));
            prop_assert_eq!(pos, out.len());
        }
    }
}
