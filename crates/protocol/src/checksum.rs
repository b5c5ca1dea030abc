//! The two checksums of Kafka's formats: CRC32 (IEEE, magic v0/v1) and CRC32C
//! (Castagnoli, magic v2).

/// CRC32 (IEEE 802.3), as `java.util.zip.CRC32` computes it.
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

/// CRC32C (Castagnoli), as `org.apache.kafka.common.utils.Crc32C` computes it.
pub fn crc32c(data: &[u8]) -> u32 {
    crc32c::crc32c(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known answers: the standard check value of each algorithm over
    /// "123456789", and `Crc32CTest.testValue` of Kafka
    /// (clients/src/test/java/org/apache/kafka/common/utils/Crc32CTest.java).
    #[test]
    fn known_answers() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(crc32c(b"Some String"), 608_512_271);
        assert_eq!(crc32c(b""), 0);
    }
}
