//! Byte compatibility with an independent implementation, kafka-python
//! (tests/interop). Both ways, for every magic and codec:
//! - what kafka-python wrote (the committed vectors, and fresh files), we read
//!   with the same offsets, timestamps, keys, values and headers;
//! - what we write, kafka-python reads (`decode --strict`: CRCs checked).
//!
//! The second direction needs kafka-python: `scripts/setup.sh` installs it in
//! `target/interop-venv` and exports `KAFKA_PYTHON`.

use std::path::PathBuf;

use bytes::Bytes;
use interop::{
    decode_strict, decoded_records, from_b64 as b64, headers, interop_dir, run_script, scratch_dir,
    to_b64,
};
use proptest::prelude::*;
use protocol::{
    BatchOptions, CompressionType, Header, Magic, Record, Records, RecordsBuilder, TimestampType,
    NO_TIMESTAMP,
};
use serde_json::{json, Value};

/// The records a spec batch describes, as a reader should return them.
fn spec_records(batch: &Value) -> Vec<Record> {
    let magic = batch["magic"].as_i64().unwrap();
    let log_append = batch["timestamp_type"] == "log_append";
    let max_timestamp = batch["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["timestamp"].as_i64().unwrap_or(NO_TIMESTAMP))
        .max();
    let max_timestamp = batch["max_timestamp"]
        .as_i64()
        .or(max_timestamp)
        .unwrap_or(NO_TIMESTAMP);
    batch["records"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, r)| Record {
            offset: r["offset"]
                .as_i64()
                .unwrap_or(batch["base_offset"].as_i64().unwrap_or(0) + i as i64),
            timestamp: match (magic, log_append) {
                (0, _) => NO_TIMESTAMP,
                (_, true) => max_timestamp,
                _ => r["timestamp"].as_i64().unwrap(),
            },
            key: b64(&r["key"]),
            value: b64(&r["value"]),
            headers: headers(&r["headers"]),
        })
        .collect()
}

/// Our reading of `bytes` must match the spec, batch by batch.
fn assert_we_read_the_spec(bytes: Bytes, spec: &Value, name: &str) {
    let records = Records::new(bytes);
    let ours: Vec<Record> = records
        .records()
        .unwrap_or_else(|e| panic!("{name}: we cannot read it: {e}"));
    let expected: Vec<Record> = spec["batches"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(spec_records)
        .collect();
    assert_eq!(ours, expected, "{name}");
    for batch in records.batches() {
        let batch = batch.unwrap();
        batch
            .ensure_valid()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn we_read_every_vector_kafka_python_wrote() {
    let dir = interop_dir().join("vectors");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    names.sort();
    assert!(names.len() >= 14, "{names:?}");
    let mut magics_codecs = std::collections::BTreeSet::new();
    for bin in names {
        let name = bin.file_stem().unwrap().to_string_lossy().into_owned();
        let spec: Value =
            serde_json::from_slice(&std::fs::read(bin.with_extension("json")).unwrap()).unwrap();
        let decoded: Value = serde_json::from_slice(
            &std::fs::read(dir.join(format!("{name}.decoded.json"))).unwrap(),
        )
        .unwrap();
        let bytes = Bytes::from(std::fs::read(&bin).unwrap());
        if spec["batches"][0]["producer_raw"] == true {
            // What kafka-python's producer sends: offsets from 0, wrapper offset 0.
            let read = Records::new(bytes).records().unwrap();
            assert_eq!(
                read.iter().map(|r| r.offset).collect::<Vec<_>>(),
                (0..read.len() as i64).collect::<Vec<_>>(),
                "{name}"
            );
            continue;
        }
        assert_we_read_the_spec(bytes.clone(), &spec, &name);
        // The CRCs kafka-python computed are the ones we compute.
        let theirs: Vec<u64> = decoded["batches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["crc"].as_u64().unwrap())
            .collect();
        let ours: Vec<u64> = Records::new(bytes)
            .batches()
            .map(|b| u64::from(b.unwrap().stored_crc()))
            .collect();
        assert_eq!(ours, theirs, "{name}");
        for b in spec["batches"].as_array().unwrap() {
            magics_codecs.insert((
                b["magic"].as_i64().unwrap(),
                b["codec"].as_str().unwrap().to_owned(),
            ));
        }
    }
    assert_eq!(
        magics_codecs.len(),
        13,
        "every codec of every magic: {magics_codecs:?}"
    );
}

/// A spec batch for what we are about to write.
fn spec_batch(magic: Magic, codec: CompressionType, log_append: bool, records: &[Record]) -> Value {
    json!({
        "magic": magic.value(),
        "codec": codec.name(),
        "base_offset": records[0].offset,
        "timestamp_type": if log_append { "log_append" } else { "create" },
        "allow_uncompressed_fallback": true,
        "records": records.iter().map(|r| json!({
            "offset": r.offset,
            "timestamp": r.timestamp,
            "key": to_b64(&r.key),
            "value": to_b64(&r.value),
            "headers": if magic == Magic::V2 {
                r.headers.iter().map(|h| json!([h.key, to_b64(&h.value)])).collect::<Vec<_>>()
            } else {
                Vec::new()
            },
        })).collect::<Vec<_>>(),
    })
}

fn write_ours(magic: Magic, codec: CompressionType, log_append: bool, records: &[Record]) -> Bytes {
    let mut options = BatchOptions::new(magic, codec).with_base_offset(records[0].offset);
    options.partition_leader_epoch = 0;
    if log_append && magic > Magic::V0 {
        options.timestamp_type = TimestampType::LogAppendTime;
        options.log_append_time = records.iter().map(|r| r.timestamp).max().unwrap();
    }
    let mut builder = RecordsBuilder::new(options);
    for r in records {
        builder.append_with_offset(r.clone()).unwrap();
    }
    builder.build().unwrap()
}

fn arb_records() -> impl Strategy<Value = Vec<Record>> {
    (
        0i64..1_000_000,
        prop::collection::vec(
            (
                1i64..3,
                1_000_000_000_000i64..2_000_000_000_000,
                prop::option::of("[a-z0-9-]{0,12}"),
                prop::option::weighted(0.9, "(kafka |playground |\\u{d55c}\\u{ae00} ){1,12}"),
                prop::collection::vec(("[a-z]{1,6}", prop::option::of("[a-z]{0,6}")), 0..3),
            ),
            1..12,
        ),
    )
        .prop_map(|(base, raw)| {
            let mut offset = base;
            raw.into_iter()
                .map(|(gap, timestamp, key, value, headers)| {
                    let r = Record {
                        offset,
                        timestamp,
                        key: key.map(Bytes::from),
                        value: value.map(Bytes::from),
                        headers: headers
                            .into_iter()
                            .map(|(key, value)| Header {
                                key,
                                value: value.map(Bytes::from),
                            })
                            .collect(),
                    };
                    offset += gap;
                    r
                })
                .collect()
        })
}

const COMBOS: [(Magic, CompressionType); 13] = [
    (Magic::V0, CompressionType::None),
    (Magic::V0, CompressionType::Gzip),
    (Magic::V0, CompressionType::Snappy),
    (Magic::V0, CompressionType::Lz4),
    (Magic::V1, CompressionType::None),
    (Magic::V1, CompressionType::Gzip),
    (Magic::V1, CompressionType::Snappy),
    (Magic::V1, CompressionType::Lz4),
    (Magic::V2, CompressionType::None),
    (Magic::V2, CompressionType::Gzip),
    (Magic::V2, CompressionType::Snappy),
    (Magic::V2, CompressionType::Lz4),
    (Magic::V2, CompressionType::Zstd),
];

proptest! {
    // Each case runs kafka-python twice over one file holding all 13 combinations.
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn kafka_python_and_we_read_each_others_batches(
        sets in prop::collection::vec(arb_records(), 13),
        log_append in prop::collection::vec(any::<bool>(), 13),
    ) {
        let scratch = scratch_dir(env!("CARGO_TARGET_TMPDIR"), "interop");
        // We write, kafka-python reads.
        let mut ours = Vec::new();
        let mut spec_batches = Vec::new();
        for (((magic, codec), records), log_append) in COMBOS.iter().zip(&sets).zip(&log_append) {
            // With log-append time a broker gives every record its clock's time.
            let mut records = records.clone();
            if *log_append {
                let now = records.iter().map(|r| r.timestamp).max().unwrap();
                records.iter_mut().for_each(|r| r.timestamp = now);
            }
            let records = &records;
            ours.extend_from_slice(&write_ours(*magic, *codec, *log_append, records));
            spec_batches.push(spec_batch(*magic, *codec, *log_append, records));
        }
        let spec = json!({ "batches": spec_batches });
        let ours_path = scratch.join("ours.bin");
        std::fs::write(&ours_path, &ours).unwrap();
        let expected: Vec<Record> = spec_batches.iter().flat_map(spec_records).collect();
        let theirs = decoded_records(&decode_strict(&ours_path));
        prop_assert_eq!(&theirs, &expected);

        // kafka-python writes, we read.
        let spec_path = scratch.join("spec.json");
        std::fs::write(&spec_path, serde_json::to_vec(&spec).unwrap()).unwrap();
        let theirs_path = scratch.join("theirs.bin");
        run_script(&["encode", "--spec", spec_path.to_str().unwrap(), "--out", theirs_path.to_str().unwrap()]);
        assert_we_read_the_spec(Bytes::from(std::fs::read(&theirs_path).unwrap()), &spec, "kafka-python's file");
    }
}
