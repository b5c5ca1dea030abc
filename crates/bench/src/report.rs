//! The benchmark plan (every kernel with its prepared input, its memcpy
//! baseline and its target) and the table of results: time per operation,
//! throughput, and the ratio to the baseline measured in the same run.

use std::fmt::Write as _;
use std::hint::black_box;

use bytes::Bytes;

use crate::kernels::{self, AppendWorkload, ReadWorkload, CODECS, FETCH_BYTES};

/// A figure the issue asks a kernel to reach.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    BytesPerSecond(f64),
    RecordsPerSecond(f64),
}

/// One benchmark: a name, what one run processes, and the run itself.
pub struct Kernel {
    pub name: String,
    /// Bytes one run processes (the payload, for encoding and decoding).
    pub bytes: usize,
    /// Records one run processes (0 when records do not apply).
    pub records: usize,
    /// The memcpy kernel of the same bytes this one is compared with.
    pub baseline: Option<String>,
    pub target: Option<Target>,
    run: Box<dyn FnMut()>,
}

impl std::fmt::Debug for Kernel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kernel").field("name", &self.name).finish()
    }
}

impl Kernel {
    pub fn run(&mut self) {
        (self.run)();
    }
}

fn memcpy_kernel(bytes: usize) -> Kernel {
    let src = vec![0x5a_u8; bytes];
    let mut dst = vec![0_u8; bytes];
    Kernel {
        name: memcpy_name(bytes),
        bytes,
        records: 0,
        baseline: None,
        target: None,
        run: Box::new(move || {
            kernels::memcpy(black_box(&mut dst), black_box(&src));
        }),
    }
}

fn memcpy_name(bytes: usize) -> String {
    format!("memcpy {bytes} B")
}

/// Where the kernels run: the issue sets different targets for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// One native core: append ≥ 1 GB/s, v2 decode ≥ 10 M records/s, CRC32C
    /// at hardware speed (read from its ratio to memcpy).
    Native,
    /// WebAssembly in a browser: CRC32C ≥ 1 GB/s.
    Browser,
}

/// Every kernel, baselines first, with the targets of `platform`.
pub fn plan(platform: Platform) -> Vec<Kernel> {
    let native = |target| (platform == Platform::Native).then_some(target);
    let mut plan = Vec::new();
    let per_batch = kernels::records_per_batch();
    let values = kernels::values(per_batch);
    let payload = per_batch * kernels::VALUE_BYTES;
    let batch = AppendWorkload::new().batch_bytes();
    for bytes in [FETCH_BYTES, payload, batch] {
        plan.push(memcpy_kernel(bytes));
    }

    let data: Vec<u8> = kernels::values(FETCH_BYTES / kernels::VALUE_BYTES + 1)
        .concat()
        .into_iter()
        .take(FETCH_BYTES)
        .collect();
    plan.push(Kernel {
        name: "crc32c 1 MiB".into(),
        bytes: FETCH_BYTES,
        records: 0,
        baseline: Some(memcpy_name(FETCH_BYTES)),
        target: (platform == Platform::Browser).then_some(Target::BytesPerSecond(1e9)),
        run: Box::new(move || {
            black_box(kernels::crc32c(black_box(&data)));
        }),
    });

    for codec in CODECS {
        let name = codec.name();
        let encoded: Bytes = kernels::encode_v2(&values, codec);
        let values = values.clone();
        plan.push(Kernel {
            name: format!("encode v2 {name}"),
            bytes: payload,
            records: per_batch,
            baseline: Some(memcpy_name(payload)),
            target: None,
            run: Box::new(move || {
                black_box(kernels::encode_v2(black_box(&values), codec));
            }),
        });
        plan.push(Kernel {
            name: format!("decode v2 {name}"),
            bytes: payload,
            records: per_batch,
            baseline: Some(memcpy_name(payload)),
            target: (codec == protocol::CompressionType::None)
                .then(|| native(Target::RecordsPerSecond(10e6)))
                .flatten(),
            run: Box::new(move || {
                black_box(kernels::decode_v2(black_box(&encoded)));
            }),
        });
    }

    let validate = AppendWorkload::new();
    plan.push(Kernel {
        name: "validate 16 KiB batch".into(),
        bytes: validate.batch_bytes(),
        records: per_batch,
        baseline: Some(memcpy_name(batch)),
        target: None,
        run: Box::new(move || {
            black_box(validate.validate());
        }),
    });
    let mut append = AppendWorkload::new();
    plan.push(Kernel {
        name: "append 16 KiB batch".into(),
        bytes: append.batch_bytes(),
        records: per_batch,
        baseline: Some(memcpy_name(batch)),
        target: native(Target::BytesPerSecond(1e9)),
        run: Box::new(move || append.append()),
    });

    let mut read = ReadWorkload::new(16 * FETCH_BYTES);
    plan.push(Kernel {
        name: "read back 1 MiB fetch".into(),
        bytes: FETCH_BYTES,
        records: 0,
        baseline: Some(memcpy_name(FETCH_BYTES)),
        target: None,
        run: Box::new(move || {
            black_box(read.fetch());
        }),
    });
    plan
}

/// A kernel's measured time per run.
#[derive(Clone, Debug)]
pub struct Row {
    pub name: String,
    pub bytes: usize,
    pub records: usize,
    pub baseline: Option<String>,
    pub target: Option<Target>,
    pub seconds: f64,
}

impl Row {
    pub fn new(kernel: &Kernel, seconds: f64) -> Row {
        Row {
            name: kernel.name.clone(),
            bytes: kernel.bytes,
            records: kernel.records,
            baseline: kernel.baseline.clone(),
            target: kernel.target,
            seconds,
        }
    }

    pub fn bytes_per_second(&self) -> f64 {
        self.bytes as f64 / self.seconds
    }

    pub fn records_per_second(&self) -> f64 {
        self.records as f64 / self.seconds
    }

    /// Whether the target is reached (`None` without a target).
    pub fn meets_target(&self) -> Option<bool> {
        self.target.map(|t| match t {
            Target::BytesPerSecond(x) => self.bytes_per_second() >= x,
            Target::RecordsPerSecond(x) => self.records_per_second() >= x,
        })
    }
}

/// The median of per-run times.
pub fn median(mut seconds: Vec<f64>) -> f64 {
    assert!(!seconds.is_empty(), "a kernel ran at least once");
    seconds.sort_by(f64::total_cmp);
    seconds[seconds.len() / 2]
}

/// The results table: each kernel's throughput and its ratio to the memcpy
/// of the same bytes from the same run.
pub fn render(rows: &[Row], title: &str) -> String {
    let mut out = format!("{title}\n");
    let _ = writeln!(
        out,
        "{:<24} {:>10} {:>11} {:>13} {:>10}  target",
        "kernel", "per run", "throughput", "records", "vs memcpy"
    );
    for row in rows {
        let ratio = row
            .baseline
            .as_ref()
            .and_then(|b| rows.iter().find(|r| &r.name == b))
            .map_or(String::new(), |base| {
                format!("{:.3}", base.seconds / row.seconds)
            });
        let records = if row.records > 0 {
            format!("{:.1} M rec/s", row.records_per_second() / 1e6)
        } else {
            String::new()
        };
        let target = match (row.target, row.meets_target()) {
            (Some(Target::BytesPerSecond(x)), Some(met)) => {
                format!("≥ {:.1} GB/s: {}", x / 1e9, verdict(met))
            }
            (Some(Target::RecordsPerSecond(x)), Some(met)) => {
                format!("≥ {:.0} M rec/s: {}", x / 1e6, verdict(met))
            }
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{:<24} {:>10} {:>11} {:>13} {:>10}  {target}",
            row.name,
            duration(row.seconds),
            format!("{:.2} GB/s", row.bytes_per_second() / 1e9),
            records,
            ratio,
        );
    }
    out
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT MET"
    }
}

fn duration(seconds: f64) -> String {
    if seconds >= 1e-3 {
        format!("{:.2} ms", seconds * 1e3)
    } else if seconds >= 1e-6 {
        format!("{:.2} µs", seconds * 1e6)
    } else {
        format!("{:.0} ns", seconds * 1e9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kernel_runs_and_every_baseline_is_in_the_plan() {
        let mut plan = plan(Platform::Native);
        let names: Vec<String> = plan.iter().map(|k| k.name.clone()).collect();
        for kernel in &mut plan {
            kernel.run();
            if let Some(b) = &kernel.baseline {
                assert!(names.contains(b), "{} compares with {b}", kernel.name);
            }
        }
        assert_eq!(plan.len(), 3 + 1 + 2 * CODECS.len() + 3);
    }

    #[test]
    fn the_table_shows_ratios_to_the_baseline_and_targets() {
        let row = |name: &str, seconds, baseline: Option<&str>, target| Row {
            name: name.into(),
            bytes: 1000,
            records: 10,
            baseline: baseline.map(Into::into),
            target,
            seconds,
        };
        let rows = [
            row("memcpy 1000 B", 1e-7, None, None),
            row(
                "decode",
                4e-7,
                Some("memcpy 1000 B"),
                Some(Target::RecordsPerSecond(10e6)),
            ),
            row(
                "append",
                2e-6,
                Some("memcpy 1000 B"),
                Some(Target::BytesPerSecond(1e9)),
            ),
        ];
        let table = render(&rows, "native");
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[2].contains("10.00 GB/s"), "{table}");
        assert!(
            lines[3].contains("0.250")
                && lines[3].contains("25.0 M rec/s")
                && lines[3].ends_with("met"),
            "{table}"
        );
        assert!(
            lines[4].contains("0.050") && lines[4].contains("NOT MET"),
            "{table}"
        );
    }
}
