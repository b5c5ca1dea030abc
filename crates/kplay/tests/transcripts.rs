//! kplay's contract, run on the real binary: `tests/transcripts/NAME.in` is typed
//! line by line into `kplay [NAME.args]`; its output must equal `NAME.out` and its
//! exit status `NAME.status` (0 when there is no such file).
//!
//! `UPDATE_TRANSCRIPTS=1 cargo test -p kplay` rewrites the `.out` and `.status`
//! files from what kplay prints; read the diff before committing it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn transcripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/transcripts")
}

struct Outcome {
    stdout: String,
    status: i32,
}

fn run_kplay(args: &[String], typed: &str) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kplay starts");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(typed.as_bytes())
        .expect("kplay reads its input");
    let output = child.wait_with_output().expect("kplay finishes");
    assert!(
        output.stderr.is_empty(),
        "kplay wrote to stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Outcome {
        stdout: String::from_utf8(output.stdout).expect("kplay prints UTF-8"),
        status: output.status.code().expect("kplay exits, not killed"),
    }
}

#[test]
fn every_transcript_matches() {
    let update = std::env::var_os("UPDATE_TRANSCRIPTS").is_some();
    let mut cases: Vec<PathBuf> = fs::read_dir(transcripts_dir())
        .expect("tests/transcripts exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "in"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 6, "the transcripts are there: {cases:?}");
    let mut failures = Vec::new();
    for input in &cases {
        let typed = fs::read_to_string(input).expect("readable .in");
        let args: Vec<String> = fs::read_to_string(input.with_extension("args"))
            .map(|a| a.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        let outcome = run_kplay(&args, &typed);
        let out_path = input.with_extension("out");
        let status_path = input.with_extension("status");
        if update {
            fs::write(&out_path, &outcome.stdout).expect("writable .out");
            if outcome.status == 0 {
                let _ = fs::remove_file(&status_path);
            } else {
                fs::write(&status_path, format!("{}\n", outcome.status)).expect("writable .status");
            }
            continue;
        }
        let expected = fs::read_to_string(&out_path).unwrap_or_default();
        let expected_status: i32 = fs::read_to_string(&status_path)
            .map(|s| s.trim().parse().expect("a .status file holds a number"))
            .unwrap_or(0);
        if outcome.stdout != expected || outcome.status != expected_status {
            failures.push(format!(
                "{}: exit {} (expected {expected_status})\n--- expected\n{expected}\n--- actual\n{}",
                input.display(),
                outcome.status,
                outcome.stdout
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn ls_bin_lists_the_0_8_0_scripts() {
    let outcome = run_kplay(&[], "ls bin\n");
    for script in [
        "kafka-create-topic.sh",
        "kafka-list-topic.sh",
        "kafka-server-start.sh",
        "zookeeper-shell.sh",
    ] {
        assert!(outcome.stdout.contains(script), "{}", outcome.stdout);
    }
    assert!(
        !outcome.stdout.contains("kafka-topics.sh"),
        "0.8.0 has no kafka-topics.sh"
    );
    assert_eq!(outcome.status, 0);
}

#[test]
fn bad_arguments_get_a_clear_error() {
    let outcome = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .args(["--start-time", "yesterday"])
        .stdin(Stdio::null())
        .output()
        .expect("kplay runs");
    let stderr = String::from_utf8_lossy(&outcome.stderr);
    assert_eq!(outcome.status.code(), Some(2));
    assert!(
        stderr.contains("invalid value 'yesterday' for '--start-time"),
        "{stderr}"
    );
    let outcome = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .args(["--host", "kafka-9"])
        .stdin(Stdio::null())
        .output()
        .expect("kplay runs");
    assert_eq!(outcome.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&outcome.stderr),
        "kplay: no host named kafka-9 (the hosts are kafka-1, kafka-2, kafka-3)\n"
    );
}

/// Runs `kplay sim ARGS` and returns its exit status and stdout.
fn kplay_sim(args: &[&str]) -> (Option<i32>, String) {
    let outcome = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .arg("sim")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("kplay runs");
    (
        outcome.status.code(),
        String::from_utf8_lossy(&outcome.stdout).into_owned(),
    )
}

#[test]
fn sim_checks_what_each_release_promises() {
    let (status, out) = kplay_sim(&["--seeds", "20"]);
    assert_eq!(status, Some(0), "{out}");
    assert!(out.contains("20 seeds: "), "{out}");
    assert!(out.contains(", 0 lost, 0 replicas diverged"), "{out}");
    // 0.8.0 loses acknowledged records in some seeds, and says how to replay one.
    let (status, out) = kplay_sim(&["--release", "0.8.0", "--seeds", "60"]);
    assert_eq!(status, Some(0), "0.8.0 promised nothing: {out}");
    let replay = out
        .lines()
        .find_map(|l| l.strip_prefix("replay: kplay sim "))
        .unwrap_or_else(|| panic!("a failing seed is shown: {out}"));
    let args: Vec<&str> = replay.split(' ').collect();
    let (_, traced) = kplay_sim(&args);
    assert!(traced.contains("kill -9 broker"), "{traced}");
    assert!(
        traced.contains("1 seeds lost acknowledged records"),
        "the replay fails the same way: {traced}"
    );
    let outcome = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .args(["sim", "--release", "3.0"])
        .output()
        .expect("kplay runs");
    assert_eq!(outcome.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&outcome.stderr).contains("unknown release 3.0 (0.8.0 or 2.8.2)")
    );
}
