//! A 2.8.2 log directory on real files looks as Kafka leaves it: the same
//! names, `ls -l` sizes of the preallocated indexes, and sparse files.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;

use fsdisk::FileStorage;
use interop::scratch_dir;
use kafka_log::{LogManager, LogManagerConfig, LogVersion, Storage};

#[test]
fn a_log_directory_on_disk_has_kafkas_files_and_sparse_indexes() {
    let root = scratch_dir(env!("CARGO_TARGET_TMPDIR"), "layout");
    let mut disk = FileStorage::new(&root).unwrap();
    let config = LogManagerConfig::defaults(LogVersion::Kafka2_8_2, "/tmp/kafka-logs", 0);
    let mut manager = LogManager::startup(&disk.load("").unwrap(), config, 0).unwrap();
    manager.get_or_create_log("test", 0, None, &BTreeMap::new(), 0);
    disk.submit(manager.take_ops()).unwrap();

    let mut names: Vec<String> = walk(&root);
    names.sort();
    assert_eq!(
        names,
        [
            ".lock",
            "cleaner-offset-checkpoint",
            "log-start-offset-checkpoint",
            "recovery-point-offset-checkpoint",
            "replication-offset-checkpoint",
            "test-0/00000000000000000000.index",
            "test-0/00000000000000000000.log",
            "test-0/00000000000000000000.timeindex",
            "test-0/leader-epoch-checkpoint",
        ]
    );
    let index = std::fs::metadata(root.join("test-0/00000000000000000000.index")).unwrap();
    assert_eq!(index.len(), 10_485_760, "ls -l shows the preallocated size");
    assert!(
        index.blocks() * 512 < 1 << 20,
        "but it takes no room: {} blocks",
        index.blocks()
    );
    let time_index = std::fs::metadata(root.join("test-0/00000000000000000000.timeindex")).unwrap();
    assert_eq!(time_index.len(), 10_485_756, "whole 12-byte entries");
    std::fs::remove_dir_all(&root).unwrap();
}

fn walk(root: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.extend(walk(&path).into_iter().map(|f| format!("{name}/{f}")));
        } else {
            out.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    out
}
