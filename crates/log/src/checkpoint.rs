//! Kafka's small text files in log directories: offset checkpoints
//! (`recovery-point-offset-checkpoint`, `replication-offset-checkpoint`,
//! `log-start-offset-checkpoint`, `cleaner-offset-checkpoint`), the
//! `leader-epoch-checkpoint` framing, `meta.properties` and `partition.metadata`.
//!
//! A checkpoint is `0` (the version), the number of entries, then one entry a
//! line, fields separated by single spaces; it is written to `<file>.tmp`,
//! fsynced, and renamed over the file.

use std::collections::BTreeMap;

use bytes::Bytes;

use crate::storage::{write_synced, FileOp};

pub const RECOVERY_POINT_CHECKPOINT: &str = "recovery-point-offset-checkpoint";
pub const REPLICATION_OFFSET_CHECKPOINT: &str = "replication-offset-checkpoint";
pub const LOG_START_OFFSET_CHECKPOINT: &str = "log-start-offset-checkpoint";
pub const CLEANER_OFFSET_CHECKPOINT: &str = "cleaner-offset-checkpoint";
pub const LEADER_EPOCH_CHECKPOINT: &str = "leader-epoch-checkpoint";
pub const CLEAN_SHUTDOWN_FILE: &str = ".kafka_cleanshutdown";
pub const LOCK_FILE: &str = ".lock";
pub const META_PROPERTIES: &str = "meta.properties";
pub const PARTITION_METADATA: &str = "partition.metadata";

/// The text of a checkpoint with these entry lines.
pub fn format(lines: impl Iterator<Item = String>) -> String {
    let lines: Vec<String> = lines.collect();
    let mut out = format!("0\n{}\n", lines.len());
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

pub fn malformed(path: &str, line: &str) -> String {
    format!("Malformed line in checkpoint file ({path}): '{line}'")
}

/// Parses a checkpoint into its entries' fields. An empty file reads as no
/// entries, as Kafka's reader does; errors use Kafka's words.
pub fn parse(text: &str, path: &str, fields: usize) -> Result<Vec<Vec<String>>, String> {
    let mut lines = text.lines();
    let Some(version) = lines.next() else {
        return Ok(Vec::new());
    };
    if version.trim() != "0" {
        return Err(format!(
            "Unrecognized version of the checkpoint file ({path}): {version}"
        ));
    }
    let Some(count) = lines.next() else {
        return Ok(Vec::new());
    };
    let count: usize = count.trim().parse().map_err(|_| malformed(path, count))?;
    let mut entries = Vec::with_capacity(count);
    for line in lines.by_ref().take(count) {
        let parts: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        if parts.len() != fields {
            return Err(malformed(path, line));
        }
        entries.push(parts);
    }
    if entries.len() != count {
        return Err(format!(
            "Expected {count} entries in checkpoint file ({path}), but found only {}",
            entries.len()
        ));
    }
    Ok(entries)
}

/// Writes `data` to `path` through `path.tmp`, fsync and rename.
pub fn write_atomically(path: &str, data: Vec<u8>, out: &mut Vec<FileOp>) {
    let tmp = format!("{path}.tmp");
    write_synced(&tmp, Bytes::from(data), out);
    out.push(FileOp::Rename {
        from: tmp,
        to: path.to_owned(),
    });
}

/// An offset per partition: the content of the log-directory checkpoints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetCheckpoint {
    pub offsets: BTreeMap<(String, i32), i64>,
}

impl OffsetCheckpoint {
    pub fn parse(text: &str, path: &str) -> Result<OffsetCheckpoint, String> {
        let mut offsets = BTreeMap::new();
        for fields in parse(text, path, 3)? {
            let line = fields.join(" ");
            let partition = fields[1].parse().map_err(|_| malformed(path, &line))?;
            let offset = fields[2].parse().map_err(|_| malformed(path, &line))?;
            offsets.insert((fields[0].clone(), partition), offset);
        }
        Ok(OffsetCheckpoint { offsets })
    }

    pub fn to_text(&self) -> String {
        format(
            self.offsets
                .iter()
                .map(|((t, p), o)| format!("{t} {p} {o}")),
        )
    }

    pub fn write(&self, path: &str, out: &mut Vec<FileOp>) {
        write_atomically(path, self.to_text().into_bytes(), out);
    }
}

/// `meta.properties` as `java.util.Properties.store` writes it (0.9+): an
/// empty comment, the date comment, then the keys. Before 2.4 only
/// `version` and `broker.id`; 2.4+ adds `cluster.id`.
///
/// `Properties.store` writes the keys in its `Hashtable`'s order, which
/// depends on the JVM: the playground's is Java 8 (see `coord::jvm`), where
/// `cluster.id`, `version` and `broker.id` fall in that order.
pub fn meta_properties(broker_id: i32, cluster_id: Option<&str>, date: &str) -> String {
    let mut text = format!("#\n#{date}\n");
    if let Some(id) = cluster_id {
        text.push_str(&format!("cluster.id={id}\n"));
    }
    text.push_str(&format!("version=0\nbroker.id={broker_id}\n"));
    text
}

/// `partition.metadata` (2.8+): no newline at the end.
pub fn partition_metadata(topic_id: &str) -> String {
    format!("version: 0\ntopic_id: {topic_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_checkpoints_round_trip_and_errors_are_kafkas() {
        let mut c = OffsetCheckpoint::default();
        c.offsets.insert(("test".into(), 0), 42);
        c.offsets.insert(("test".into(), 1), 7);
        assert_eq!(c.to_text(), "0\n2\ntest 0 42\ntest 1 7\n");
        assert_eq!(OffsetCheckpoint::parse(&c.to_text(), "p").unwrap(), c);
        assert_eq!(
            OffsetCheckpoint::parse("", "p").unwrap(),
            OffsetCheckpoint::default()
        );
        assert_eq!(OffsetCheckpoint::default().to_text(), "0\n0\n");
        assert_eq!(
            OffsetCheckpoint::parse("1\n0\n", "/tmp/kafka-logs/x").unwrap_err(),
            "Unrecognized version of the checkpoint file (/tmp/kafka-logs/x): 1"
        );
        assert_eq!(
            OffsetCheckpoint::parse("0\n2\ntest 0 1\n", "x").unwrap_err(),
            "Expected 2 entries in checkpoint file (x), but found only 1"
        );
        assert_eq!(
            OffsetCheckpoint::parse("0\n1\ntest zero 1\n", "x").unwrap_err(),
            "Malformed line in checkpoint file (x): 'test zero 1'"
        );
    }

    #[test]
    fn small_files_have_kafkas_text() {
        assert_eq!(
            partition_metadata("AAAAAAAAAAAAAAAAAAAAAA"),
            "version: 0\ntopic_id: AAAAAAAAAAAAAAAAAAAAAA"
        );
        assert_eq!(
            meta_properties(0, Some("id"), "Tue Oct 01 00:00:00 UTC 2013"),
            "#\n#Tue Oct 01 00:00:00 UTC 2013\ncluster.id=id\nversion=0\nbroker.id=0\n"
        );
    }
}
