//! Record formats end to end: what the builder writes, the reader reads back;
//! damaged bytes are typed errors, never panics; conversions keep offsets.

use bytes::Bytes;
use proptest::prelude::*;
use protocol::convert::{down_convert, validate_and_assign_offsets, AppendConfig};
use protocol::{
    BatchOptions, CompressionType, Header, Magic, Record, RecordError, Records, RecordsBuilder,
    TimestampType, NO_TIMESTAMP,
};

const CODECS: [CompressionType; 5] = [
    CompressionType::None,
    CompressionType::Gzip,
    CompressionType::Snappy,
    CompressionType::Lz4,
    CompressionType::Zstd,
];
const MAGICS: [Magic; 3] = [Magic::V0, Magic::V1, Magic::V2];

fn record(
    offset: i64,
    timestamp: i64,
    key: Option<&[u8]>,
    value: Option<&[u8]>,
    headers: Vec<Header>,
) -> Record {
    Record {
        offset,
        timestamp,
        key: key.map(Bytes::copy_from_slice),
        value: value.map(Bytes::copy_from_slice),
        headers,
    }
}

/// What a record looks like after a trip through `magic`: v0 drops
/// timestamps, v0 and v1 drop headers.
fn as_in(magic: Magic, mut r: Record) -> Record {
    if magic == Magic::V0 {
        r.timestamp = NO_TIMESTAMP;
    }
    if magic < Magic::V2 {
        r.headers.clear();
    }
    r
}

fn build(magic: Magic, codec: CompressionType, base_offset: i64, records: &[Record]) -> Bytes {
    let mut b = RecordsBuilder::new(BatchOptions::new(magic, codec).with_base_offset(base_offset));
    for r in records {
        b.append_with_offset(r.clone()).unwrap();
    }
    b.build().unwrap()
}

/// aiokafka's `test_read_write_serde_v2` (tests/record/test_default_records.py):
/// an independent implementation's CRC32C of this uncompressed batch.
#[test]
fn a_v2_batch_matches_an_independent_implementations_crc() {
    let mut options = BatchOptions::new(Magic::V2, CompressionType::None);
    options.is_transactional = true;
    options.producer_id = 123456;
    options.producer_epoch = 123;
    options.base_sequence = 9999;
    options.partition_leader_epoch = 0;
    let mut b = RecordsBuilder::new(options);
    let headers = vec![
        Header {
            key: "header1".into(),
            value: Some(Bytes::from_static(b"aaa")),
        },
        Header {
            key: "header2".into(),
            value: Some(Bytes::from_static(b"bbb")),
        },
    ];
    for offset in 0..10 {
        b.append(
            9_999_999 + offset,
            Some(b"test"),
            Some(b"Super"),
            headers.clone(),
        );
    }
    let records = Records::new(b.build().unwrap());
    let batch = records.batches().next().unwrap().unwrap();
    assert_eq!(batch.stored_crc(), 3_950_153_926);
    batch.ensure_valid().unwrap();
    assert!(batch.is_transactional());
    assert_eq!(batch.last_offset(), 9);
    assert_eq!(batch.max_timestamp(), 10_000_008);
    let read = batch.records().unwrap();
    assert_eq!(read.len(), 10);
    assert_eq!(read[3].timestamp, 10_000_002);
    assert_eq!(read[3].headers, headers);
}

/// A magic v0 message as Kafka 0.8 writes it, field by field.
#[test]
fn a_v0_message_has_kafkas_layout() {
    let bytes = build(
        Magic::V0,
        CompressionType::None,
        5,
        &[record(5, NO_TIMESTAMP, Some(b"k"), Some(b"value"), vec![])],
    );
    let expected_crc = protocol::crc32(&[
        0, 0, 0, 0, 0, 1, b'k', 0, 0, 0, 5, b'v', b'a', b'l', b'u', b'e',
    ]);
    let mut expected = Vec::new();
    expected.extend_from_slice(&5i64.to_be_bytes());
    expected.extend_from_slice(&20i32.to_be_bytes());
    expected.extend_from_slice(&expected_crc.to_be_bytes());
    expected.extend_from_slice(&[
        0, 0, 0, 0, 0, 1, b'k', 0, 0, 0, 5, b'v', b'a', b'l', b'u', b'e',
    ]);
    assert_eq!(&bytes[..], &expected[..]);
}

#[test]
fn compressed_legacy_messages_wrap_inner_offsets_as_each_magic_does() {
    let records: Vec<Record> = (0..3)
        .map(|i| record(100 + i, 1000 + i, None, Some(b"v"), vec![]))
        .collect();
    for (magic, first_inner) in [(Magic::V0, 100), (Magic::V1, 0)] {
        let bytes = build(magic, CompressionType::Gzip, 100, &records);
        let batch = Records::new(bytes).batches().next().unwrap().unwrap();
        assert_eq!(
            batch.last_offset(),
            102,
            "the wrapper carries the last offset"
        );
        assert_eq!(batch.base_offset().unwrap(), 100);
        let inner = CompressionType::Gzip
            .decompress(
                magic,
                &batch.bytes()
                    [12 + protocol::RECORD_OVERHEAD_V0 + if magic == Magic::V1 { 8 } else { 0 }..],
            )
            .unwrap();
        assert_eq!(
            i64::from_be_bytes(inner[..8].try_into().unwrap()),
            first_inner
        );
        let read = batch.records().unwrap();
        assert_eq!(
            read.iter().map(|r| r.offset).collect::<Vec<_>>(),
            [100, 101, 102]
        );
    }
}

#[test]
fn log_append_time_replaces_every_timestamp() {
    for magic in [Magic::V1, Magic::V2] {
        let mut options = BatchOptions::new(magic, CompressionType::Lz4);
        options.timestamp_type = TimestampType::LogAppendTime;
        options.log_append_time = 77;
        let mut b = RecordsBuilder::new(options);
        b.append(5, None, Some(b"a"), vec![]);
        b.append(9, None, Some(b"b"), vec![]);
        let batch = Records::new(b.build().unwrap())
            .batches()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(batch.timestamp_type(), TimestampType::LogAppendTime);
        assert_eq!(batch.max_timestamp(), 77);
        assert!(
            batch.records().unwrap().iter().all(|r| r.timestamp == 77),
            "{magic:?}"
        );
    }
}

#[test]
fn a_partial_batch_at_the_end_stops_iteration_without_error() {
    let a = build(
        Magic::V2,
        CompressionType::None,
        0,
        &[record(0, 1, None, Some(b"x"), vec![])],
    );
    let b = build(
        Magic::V2,
        CompressionType::None,
        1,
        &[record(1, 2, None, Some(b"y"), vec![])],
    );
    let mut joined = a.to_vec();
    joined.extend_from_slice(&b[..b.len() - 3]);
    let records = Records::new(Bytes::from(joined));
    let mut batches = records.batches();
    assert!(batches.next().unwrap().is_ok());
    assert!(batches.next().is_none());
    assert_eq!(batches.position(), a.len());
}

#[test]
fn damage_is_reported_with_kafkas_exception_names() {
    let bytes = build(
        Magic::V2,
        CompressionType::None,
        0,
        &[record(0, 1, Some(b"k"), Some(b"v"), vec![])],
    );
    let mut flipped = bytes.to_vec();
    let last = flipped.len() - 1;
    flipped[last] ^= 0xFF;
    let batch = Records::new(Bytes::from(flipped))
        .batches()
        .next()
        .unwrap()
        .unwrap();
    let err = batch.ensure_valid().unwrap_err();
    assert_eq!(err.kafka_name(), "CorruptRecordException");
    assert!(
        err.to_string()
            .starts_with("Record batch is corrupt (stored crc = "),
        "{err}"
    );

    let mut bad_magic = bytes.to_vec();
    bad_magic[16] = 7;
    let err = Records::new(Bytes::from(bad_magic))
        .batches()
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err,
        RecordError::CorruptRecord("Invalid magic found in record: 7".into())
    );

    let mut small = bytes.to_vec();
    small[8..12].copy_from_slice(&3i32.to_be_bytes());
    let err = Records::new(Bytes::from(small))
        .batches()
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Record size 3 is less than the minimum record overhead (14)"
    );
}

#[test]
fn down_conversion_keeps_offsets_and_drops_what_old_formats_lack() {
    let records: Vec<Record> = (0..4)
        .map(|i| {
            record(
                10 + i,
                500 + i,
                Some(b"k"),
                Some(b"v"),
                vec![Header {
                    key: "h".into(),
                    value: None,
                }],
            )
        })
        .collect();
    let v2 = Records::new(build(Magic::V2, CompressionType::Snappy, 10, &records));
    for to in [Magic::V1, Magic::V0] {
        let old = down_convert(&v2, to).unwrap();
        let batch = old.batches().next().unwrap().unwrap();
        assert_eq!(batch.magic(), to);
        assert_eq!(batch.compression().unwrap(), CompressionType::Snappy);
        let read = old.records().unwrap();
        assert_eq!(
            read,
            records
                .iter()
                .cloned()
                .map(|r| as_in(to, r))
                .collect::<Vec<_>>()
        );
    }
    let zstd = Records::new(build(Magic::V2, CompressionType::Zstd, 0, &records));
    assert_eq!(
        down_convert(&zstd, Magic::V1).unwrap_err().kafka_name(),
        "UnsupportedCompressionTypeException"
    );
    // Batches already old enough pass unchanged.
    let v0 = Records::new(build(Magic::V0, CompressionType::None, 0, &records));
    assert_eq!(down_convert(&v0, Magic::V1).unwrap(), v0);
}

fn append_config(magic: Magic, compression: Option<CompressionType>) -> AppendConfig {
    AppendConfig {
        compression,
        partition_leader_epoch: 3,
        ..AppendConfig::defaults(magic, "test-0", 1_380_585_600_000)
    }
}

/// The offsets of every record.
fn offsets(records: &Records) -> Vec<i64> {
    records
        .records()
        .unwrap()
        .iter()
        .map(|r| r.offset)
        .collect()
}

#[test]
fn appends_assign_offsets_in_place_or_convert() {
    let records: Vec<Record> = (0..3)
        .map(|i| record(i, 1_380_585_600_000 + i, Some(b"k"), Some(b"v"), vec![]))
        .collect();
    let v2 = Records::new(build(Magic::V2, CompressionType::None, 0, &records));
    // Same format and codec: the producer's bytes, with offsets and leader epoch set.
    let appended = validate_and_assign_offsets(&v2, 42, &append_config(Magic::V2, None)).unwrap();
    assert!(!appended.rebuilt);
    assert_eq!((appended.first_offset, appended.last_offset), (42, 44));
    assert_eq!(appended.records.len(), v2.len());
    let batch = appended.records.batches().next().unwrap().unwrap();
    batch.ensure_valid().unwrap();
    assert_eq!(batch.header().unwrap().unwrap().partition_leader_epoch, 3);
    assert_eq!(offsets(&appended.records), [42, 43, 44]);
    assert_eq!(
        (appended.max_timestamp, appended.offset_of_max_timestamp),
        (1_380_585_600_002, 44)
    );

    // A 0.8 producer's v0 messages into a v2 log: up-converted, timestamps unknown.
    let v0 = Records::new(build(Magic::V0, CompressionType::None, 0, &records));
    let up = validate_and_assign_offsets(
        &v0,
        7,
        &append_config(Magic::V2, Some(CompressionType::Gzip)),
    )
    .unwrap();
    assert!(up.rebuilt);
    let batch = up.records.batches().next().unwrap().unwrap();
    assert_eq!(
        (batch.magic(), batch.compression().unwrap()),
        (Magic::V2, CompressionType::Gzip)
    );
    assert!(up
        .records
        .records()
        .unwrap()
        .iter()
        .all(|r| r.timestamp == NO_TIMESTAMP));

    // A compressed v0 set is always rebuilt: its inner offsets are absolute.
    let v0z = Records::new(build(Magic::V0, CompressionType::Snappy, 0, &records));
    let again = validate_and_assign_offsets(&v0z, 100, &append_config(Magic::V0, None)).unwrap();
    assert!(again.rebuilt);
    assert_eq!(offsets(&again.records), [100, 101, 102]);
}

#[test]
fn appends_refuse_what_the_log_forbids() {
    let keyless = Records::new(build(
        Magic::V2,
        CompressionType::None,
        0,
        &[record(0, 1_380_585_600_000, None, Some(b"v"), vec![])],
    ));
    let mut compacted = append_config(Magic::V2, None);
    compacted.compacted = true;
    assert_eq!(
        validate_and_assign_offsets(&keyless, 0, &compacted)
            .unwrap_err()
            .to_string(),
        "Compacted topic cannot accept message without key in topic partition test-0."
    );
    let mut strict = append_config(Magic::V2, None);
    strict.timestamp_difference_max_ms = 1000;
    let old = Records::new(build(
        Magic::V2,
        CompressionType::None,
        0,
        &[record(0, 5, Some(b"k"), None, vec![])],
    ));
    let err = validate_and_assign_offsets(&old, 9, &strict).unwrap_err();
    assert_eq!(err.kafka_name(), "InvalidTimestampException");
    assert_eq!(
        err.to_string(),
        "Timestamp 5 of message with offset 0 is out of range. The timestamp should be within [1380585599000, 1380585601000]"
    );
}

/// A record's timestamp, key, value and headers, before it gets an offset.
type RawRecord = (
    i64,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Vec<(String, Option<Vec<u8>>)>,
);

fn arb_record() -> impl Strategy<Value = RawRecord> {
    (
        0i64..4_000_000_000_000,
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..200)),
        proptest::collection::vec(
            (
                "[a-z\\u{00e9}]{0,8}",
                proptest::option::of(proptest::collection::vec(any::<u8>(), 0..10)),
            ),
            0..3,
        ),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_magic_and_codec_round_trips(
        raw in proptest::collection::vec(arb_record(), 1..30),
        base in 0i64..1_000_000,
        gaps in proptest::collection::vec(1i64..3, 30),
    ) {
        let mut offset = base;
        let records: Vec<Record> = raw.into_iter().zip(gaps).map(|((ts, k, v, hs), gap)| {
            let r = Record {
                offset,
                timestamp: ts,
                key: k.map(Bytes::from),
                value: v.map(Bytes::from),
                headers: hs.into_iter().map(|(key, value)| Header { key, value: value.map(Bytes::from) }).collect(),
            };
            offset += gap;
            r
        }).collect();
        for magic in MAGICS {
            for codec in CODECS {
                if codec.check_magic(magic).is_err() { continue; }
                let bytes = build(magic, codec, base, &records);
                let read = Records::new(bytes).records().unwrap();
                let expected: Vec<Record> = records.iter().cloned().map(|r| as_in(magic, r)).collect();
                prop_assert_eq!(read, expected, "{:?} {:?}", magic, codec);
            }
        }
    }

    #[test]
    fn damaged_bytes_never_panic(
        raw in proptest::collection::vec(arb_record(), 1..5),
        magic in 0usize..3,
        codec in 0usize..5,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let (magic, codec) = (MAGICS[magic], CODECS[codec]);
        prop_assume!(codec.check_magic(magic).is_ok());
        let records: Vec<Record> = raw.into_iter().enumerate().map(|(i, (ts, k, v, _))| record(i as i64, ts, k.as_deref(), v.as_deref(), vec![])).collect();
        let mut bytes = build(magic, codec, 0, &records).to_vec();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] ^= byte | 1;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        let records = Records::new(Bytes::from(bytes));
        for batch in records.batches().flatten() {
            let _ = batch.ensure_valid();
            let _ = batch.records();
            let _ = batch.base_offset();
            let _ = batch.control_types();
        }
        let _ = down_convert(&records, Magic::V0);
        let _ = validate_and_assign_offsets(&records, 0, &append_config(Magic::V2, Some(CompressionType::Lz4)));
    }
}

/// Kafka's `MemoryRecordsTest.testChecksum` (clients/src/test/java/org/apache/
/// kafka/common/record/MemoryRecordsTest.java, 2.8.2): the checksums Kafka
/// hard-codes for two records in each magic, uncompressed and with LZ4.
#[test]
fn kafkas_own_checksums_for_each_magic() {
    let expected = [
        (Magic::V0, CompressionType::None, 1_978_725_405_u32),
        (Magic::V0, CompressionType::Lz4, 66_944_826),
        (Magic::V1, CompressionType::None, 109_425_508),
        (Magic::V1, CompressionType::Lz4, 1_407_303_399),
        (Magic::V2, CompressionType::None, 3_851_219_455),
        (Magic::V2, CompressionType::Lz4, 2_745_969_314),
    ];
    for (magic, codec, crc) in expected {
        // MemoryRecords.withRecords: offsets from 0, create time, no producer.
        let mut b = RecordsBuilder::new(BatchOptions::new(magic, codec));
        b.append(283_843, Some(b"key1"), Some(b"value1"), vec![]);
        b.append(1234, Some(b"key2"), Some(b"value2"), vec![]);
        let records = Records::new(b.build().unwrap());
        let batch = records.batches().next().unwrap().unwrap();
        assert_eq!(batch.stored_crc(), crc, "{magic:?} {codec:?}");
        batch.ensure_valid().unwrap();
    }
}
