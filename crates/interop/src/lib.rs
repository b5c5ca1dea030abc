//! Test support for byte compatibility with kafka-python, an independent
//! implementation of Kafka's record formats. `tests/interop/kafka_python_records.py`
//! encodes and decodes files; this crate finds the Python that has kafka-python
//! (`scripts/setup.sh` installs it in `target/interop-venv` and exports
//! `KAFKA_PYTHON`), runs the script, and turns its JSON into our `Record`s.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use bytes::Bytes;
use protocol::{Header, Record, NO_TIMESTAMP};
use serde_json::Value;

/// `tests/interop`: the script, its README and the committed vectors.
pub fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop")
}

/// The Python with kafka-python installed.
pub fn kafka_python() -> PathBuf {
    let python = std::env::var_os("KAFKA_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/interop-venv/bin/python")
        });
    assert!(
        python.exists(),
        "kafka-python is not installed at {}: run ./scripts/setup.sh (it creates target/interop-venv)",
        python.display()
    );
    python
}

/// Runs `kafka_python_records.py` with `args`; panics with its stderr if it fails.
pub fn run_script(args: &[&str]) {
    let output = Command::new(kafka_python())
        .arg(interop_dir().join("kafka_python_records.py"))
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "kafka_python_records.py {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// kafka-python's reading of a file of batches, CRCs checked (`decode --strict`).
pub fn decode_strict(file: &Path) -> Value {
    let out = file.with_extension("decoded.json");
    run_script(&[
        "decode",
        "--strict",
        "--in",
        file.to_str().expect("a UTF-8 path"),
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ]);
    let decoded = serde_json::from_slice(&std::fs::read(&out).expect("the decoding was written"))
        .expect("the decoding is JSON");
    std::fs::remove_file(&out).expect("the decoding can go");
    decoded
}

/// The records of a decoding, batch after batch.
pub fn decoded_records(decoded: &Value) -> Vec<Record> {
    decoded["batches"]
        .as_array()
        .expect("a decoding has batches")
        .iter()
        .flat_map(|b| b["records"].as_array().expect("a batch has records"))
        .map(|r| Record {
            offset: r["offset"].as_i64().expect("a record has an offset"),
            timestamp: r["timestamp"].as_i64().unwrap_or(NO_TIMESTAMP),
            key: from_b64(&r["key"]),
            value: from_b64(&r["value"]),
            headers: headers(&r["headers"]),
        })
        .collect()
}

/// A JSON array of `[key, base64 value]` pairs as record headers.
pub fn headers(field: &Value) -> Vec<Header> {
    field
        .as_array()
        .map(|hs| {
            hs.iter()
                .map(|h| Header {
                    key: h[0].as_str().expect("a header key").to_owned(),
                    value: from_b64(&h[1]),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A base64 string (or null) as bytes.
pub fn from_b64(field: &Value) -> Option<Bytes> {
    field
        .as_str()
        .map(|s| Bytes::from(BASE64.decode(s).expect("base64 in the JSON")))
}

/// Bytes (or none) as a base64 string (or null).
pub fn to_b64(field: &Option<Bytes>) -> Value {
    field
        .as_ref()
        .map_or(Value::Null, |b| Value::from(BASE64.encode(b)))
}

/// A fresh, empty directory under the calling crate's target tmp dir.
pub fn scratch_dir(target_tmpdir: &str, prefix: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = Path::new(target_tmpdir).join(format!(
        "{prefix}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}
