//! The `dataDir` in ZooKeeper's layout and formats: `myid`,
//! `version-2/log.<zxid>` transaction logs (a `ZKLG` header, then per
//! transaction an Adler32 checksum, the length, the jute-encoded header and
//! record, and `B`; preallocated 64 MiB at a time, so `ls -l` shows
//! 67108880) and `version-2/snapshot.<zxid>` (a `ZKSN` header, the sessions,
//! the ACL cache and every node, an Adler32 checksum, and `/`).

use std::collections::BTreeMap;

use bytes::Bytes;
use kafka_log::storage::{DirSnapshot, FileOp};

use crate::acl::Acl;
use crate::error::ErrorCode;
use crate::java::{long_hash, JavaHashSet};
use crate::jute::{JuteError, JuteReader, JuteWriter};
use crate::tree::{DataTree, Stat};
use crate::txn::{Txn, TxnHeader};
use crate::ZkVersion;

pub const LOG_MAGIC: i32 = 0x5a4b_4c47; // "ZKLG"
pub const SNAP_MAGIC: i32 = 0x5a4b_534e; // "ZKSN"
const FILE_VERSION: i32 = 2;
const FILE_HEADER_LEN: u64 = 16;
/// `zookeeper.preAllocSize`: logs grow in 64 MiB steps of zeros.
pub const PREALLOC_SIZE: u64 = 64 * 1024 * 1024;
pub const VERSION_DIR: &str = "version-2";

/// `version-2/log.1a`: file names carry zxids in lower-case hex.
pub fn log_name(zxid: i64) -> String {
    format!("{VERSION_DIR}/log.{zxid:x}")
}

pub fn snapshot_name(zxid: i64) -> String {
    format!("{VERSION_DIR}/snapshot.{zxid:x}")
}

fn zxid_of(name: &str, prefix: &str) -> Option<i64> {
    let hex = name.strip_prefix(&format!("{VERSION_DIR}/{prefix}."))?;
    i64::from_str_radix(hex, 16).ok()
}

/// A transaction as the log holds it: the jute header, then its record.
pub fn serialize_txn(version: ZkVersion, header: &TxnHeader, txn: &Txn) -> Vec<u8> {
    let mut w = JuteWriter::default();
    w.long(header.session)
        .int(header.cxid)
        .long(header.zxid)
        .long(header.time)
        .int(txn.op_code());
    write_record(&mut w, version, txn);
    w.buf
}

fn write_record(w: &mut JuteWriter, version: ZkVersion, txn: &Txn) {
    match txn {
        Txn::Create {
            path,
            data,
            acl,
            ephemeral,
            parent_cversion,
        } => {
            w.ustring(path)
                .opt_buffer(data.as_deref())
                .acl(acl)
                .boolean(*ephemeral);
            if version >= ZkVersion::V3_5 {
                w.int(*parent_cversion);
            }
        }
        Txn::Delete { path } => {
            w.ustring(path);
        }
        Txn::SetData {
            path,
            data,
            version,
        } => {
            w.ustring(path).opt_buffer(data.as_deref()).int(*version);
        }
        Txn::SetAcl { path, acl, version } => {
            w.ustring(path).acl(acl).int(*version);
        }
        Txn::Check { path, version } => {
            w.ustring(path).int(*version);
        }
        Txn::CreateSession { timeout_ms } => {
            w.int(*timeout_ms);
        }
        Txn::CloseSession => {}
        Txn::Error(code) => {
            w.int(code.value());
        }
        Txn::Multi(txns) => {
            w.int(txns.len() as i32);
            for t in txns {
                let mut sub = JuteWriter::default();
                write_record(&mut sub, version, t);
                w.int(t.op_code()).buffer(&sub.buf);
            }
        }
    }
}

pub fn deserialize_txn(version: ZkVersion, bytes: &[u8]) -> Result<(TxnHeader, Txn), JuteError> {
    let mut r = JuteReader::new(bytes);
    let header = TxnHeader {
        session: r.long()?,
        cxid: r.int()?,
        zxid: r.long()?,
        time: r.long()?,
    };
    let op = r.int()?;
    let txn = read_record(&mut r, version, op)?;
    Ok((header, txn))
}

fn read_record(r: &mut JuteReader<'_>, version: ZkVersion, op: i32) -> Result<Txn, JuteError> {
    Ok(match op {
        1 => {
            let path = r.ustring()?;
            let data = r.opt_buffer()?.map(Bytes::copy_from_slice);
            let acl = r.acl()?;
            let ephemeral = r.boolean()?;
            let parent_cversion = if version >= ZkVersion::V3_5 {
                r.int()?
            } else {
                -1
            };
            Txn::Create {
                path,
                data,
                acl,
                ephemeral,
                parent_cversion,
            }
        }
        2 => Txn::Delete { path: r.ustring()? },
        5 => Txn::SetData {
            path: r.ustring()?,
            data: r.opt_buffer()?.map(Bytes::copy_from_slice),
            version: r.int()?,
        },
        7 => Txn::SetAcl {
            path: r.ustring()?,
            acl: r.acl()?,
            version: r.int()?,
        },
        13 => Txn::Check {
            path: r.ustring()?,
            version: r.int()?,
        },
        -10 => Txn::CreateSession {
            timeout_ms: r.int()?,
        },
        -11 => Txn::CloseSession,
        -1 => Txn::Error(
            ErrorCode::from_value(r.int()?)
                .ok_or_else(|| JuteError("an unknown error code".into()))?,
        ),
        14 => {
            let count = r.int()?;
            if count < 0 || count as usize > r.remaining() {
                return Err(JuteError(format!("a multi of {count}")));
            }
            let mut txns = Vec::new();
            for _ in 0..count {
                let op = r.int()?;
                let bytes = r.buffer()?;
                txns.push(read_record(&mut JuteReader::new(bytes), version, op)?);
            }
            Txn::Multi(txns)
        }
        other => return Err(JuteError(format!("an unknown transaction type {other}"))),
    })
}

fn file_header(magic: i32, dbid: i64) -> Vec<u8> {
    let mut w = JuteWriter::default();
    w.int(magic).int(FILE_VERSION).long(dbid);
    w.buf
}

/// The transaction log being written: which file, where its data ends, how
/// far it is preallocated.
#[derive(Clone, Debug, Default)]
pub struct TxnLog {
    current: Option<(String, u64, u64)>,
    /// Transactions logged since the last snapshot.
    pub since_snapshot: u64,
}

impl TxnLog {
    /// Appends a transaction, starting a new file when there is none.
    pub fn append(
        &mut self,
        version: ZkVersion,
        header: &TxnHeader,
        txn: &Txn,
        out: &mut Vec<FileOp>,
    ) {
        let (name, mut position, mut size) = match self.current.take() {
            Some(current) => current,
            None => {
                let name = log_name(header.zxid);
                out.push(FileOp::SetLen {
                    path: name.clone(),
                    len: 0,
                });
                out.push(FileOp::Append {
                    path: name.clone(),
                    data: Bytes::from(file_header(LOG_MAGIC, 0)),
                });
                (name, FILE_HEADER_LEN, FILE_HEADER_LEN)
            }
        };
        // FilePadding: when fewer than 4 KiB are left, grow by preAllocSize.
        if position + 4096 >= size {
            size = if position > size {
                position + PREALLOC_SIZE
            } else {
                size + PREALLOC_SIZE
            };
            out.push(FileOp::SetLen {
                path: name.clone(),
                len: size,
            });
        }
        let entry = serialize_txn(version, header, txn);
        let mut w = JuteWriter::default();
        w.long(i64::from(adler2::adler32_slice(&entry)))
            .buffer(&entry)
            .byte(b'B');
        let len = w.buf.len() as u64;
        out.push(FileOp::WriteAt {
            path: name.clone(),
            offset: position,
            data: Bytes::from(w.buf),
        });
        position += len;
        self.since_snapshot += 1;
        self.current = Some((name, position, size));
    }

    /// fsyncs the log (ZooKeeper's group commit, before replies go out).
    pub fn sync(&self, out: &mut Vec<FileOp>) {
        if let Some((name, _, _)) = &self.current {
            out.push(FileOp::Sync { path: name.clone() });
        }
    }

    /// The next transaction starts a new log file (after a snapshot).
    pub fn roll(&mut self) {
        self.current = None;
        self.since_snapshot = 0;
    }
}

/// `snapshot.<zxid>`: the sessions, the ACL cache and the tree.
pub fn snapshot_bytes(tree: &DataTree, sessions: &BTreeMap<i64, i32>) -> Vec<u8> {
    let mut w = JuteWriter::default();
    w.buf.extend_from_slice(&file_header(SNAP_MAGIC, -1));
    // A HashMap copy of the sessions: Java's bucket order.
    let capacity = ((sessions.len() as f64 / 0.75) as usize + 1).next_power_of_two();
    let mut order = JavaHashSet::with_capacity(capacity);
    for id in sessions.keys() {
        order.insert(long_hash(*id), *id);
    }
    w.int(sessions.len() as i32);
    for id in order.iter() {
        w.long(*id).int(sessions[id]);
    }
    // The ACL cache (a HashMap of small longs: in number order).
    w.int(tree.acl_cache().len() as i32);
    for (i, acl) in tree.acl_cache().iter().enumerate() {
        w.long(i as i64 + 1).acl(acl);
    }
    // Nodes depth first from the root, whose path is written as "".
    let mut stack = vec!["/".to_owned()];
    while let Some(path) = stack.pop() {
        let node = tree.node(&path).expect("listed");
        let stat = node.stat();
        w.ustring(if path == "/" { "" } else { &path });
        w.opt_buffer(node.data.as_deref());
        w.long(node.acl_id());
        write_stat(&mut w, &stat);
        let mut children: Vec<&str> = node.children().collect();
        children.reverse();
        for child in children {
            stack.push(if path == "/" {
                format!("/{child}")
            } else {
                format!("{path}/{child}")
            });
        }
    }
    w.ustring("/");
    let checksum = adler2::adler32_slice(&w.buf);
    w.long(i64::from(checksum)).ustring("/");
    w.buf
}

fn write_stat(w: &mut JuteWriter, s: &Stat) {
    w.long(s.czxid)
        .long(s.mzxid)
        .long(s.ctime)
        .long(s.mtime)
        .int(s.version)
        .int(s.cversion)
        .int(s.aversion)
        .long(s.ephemeral_owner)
        .long(s.pzxid);
}

/// What a server reloads from its `dataDir`.
#[derive(Clone, Debug)]
pub struct Restored {
    pub tree: DataTree,
    /// Live sessions and their timeouts.
    pub sessions: BTreeMap<i64, i32>,
    pub last_zxid: i64,
    /// Transactions replayed from the logs after the snapshot.
    pub replayed: usize,
    /// The last of them (up to `COMMIT_LOG_COUNT`), for an ensemble
    /// leader's DIFFs (`ZKDatabase`'s committed log).
    pub txns: Vec<(TxnHeader, Txn)>,
}

/// The transaction logs of a data directory, by the zxid each starts at.
fn logs_by_zxid(files: &DirSnapshot) -> Vec<(i64, &String)> {
    let mut logs: Vec<(i64, &String)> = files
        .files
        .keys()
        .filter_map(|n| zxid_of(n, "log").map(|z| (z, n)))
        .collect();
    logs.sort();
    logs
}

/// Loads the newest valid snapshot and replays the logs after it.
pub fn restore(version: ZkVersion, files: &DirSnapshot) -> Result<Restored, String> {
    let mut snapshots: Vec<(i64, &String)> = files
        .files
        .keys()
        .filter_map(|n| zxid_of(n, "snapshot").map(|z| (z, n)))
        .collect();
    snapshots.sort();
    let mut restored = None;
    for (zxid, name) in snapshots.iter().rev() {
        if let Ok(r) = read_snapshot(version, &files.files[*name], *zxid) {
            restored = Some(r);
            break;
        }
    }
    let mut restored = restored.unwrap_or_else(|| Restored {
        tree: DataTree::new(version),
        sessions: BTreeMap::new(),
        last_zxid: 0,
        replayed: 0,
        txns: Vec::new(),
    });
    let logs = logs_by_zxid(files);
    for (_, name) in logs {
        for (header, txn) in read_log(version, &files.files[name]) {
            if header.zxid <= restored.last_zxid {
                continue;
            }
            match &txn {
                Txn::CreateSession { timeout_ms } => {
                    restored.sessions.insert(header.session, *timeout_ms);
                }
                Txn::CloseSession => {
                    restored.sessions.remove(&header.session);
                }
                _ => {}
            }
            restored.tree.apply(&header, &txn);
            restored.last_zxid = header.zxid;
            restored.replayed += 1;
            if restored.txns.len() == crate::zab::COMMIT_LOG_COUNT {
                restored.txns.remove(0);
            }
            restored.txns.push((header, txn));
        }
    }
    restored.tree.last_processed_zxid = restored.last_zxid;
    Ok(restored)
}

/// The transactions of a log file up to its end or its first damaged entry.
pub fn read_log(version: ZkVersion, data: &[u8]) -> Vec<(TxnHeader, Txn)> {
    log_entries(version, data)
        .into_iter()
        .map(|(_, header, txn)| (header, txn))
        .collect()
}

/// A log file's transactions, each with the offset its entry starts at.
fn log_entries(version: ZkVersion, data: &[u8]) -> Vec<(usize, TxnHeader, Txn)> {
    let mut out = Vec::new();
    let mut r = JuteReader::new(data);
    let header_ok = r.int() == Ok(LOG_MAGIC) && r.int().is_ok() && r.long().is_ok();
    if !header_ok {
        return out;
    }
    while r.remaining() > 0 {
        let start = data.len() - r.remaining();
        let Ok(crc) = r.long() else { break };
        let Ok(entry) = r.buffer() else { break };
        if entry.is_empty() || crc != i64::from(adler2::adler32_slice(entry)) {
            break;
        }
        if r.byte() != Ok(b'B') {
            break;
        }
        match deserialize_txn(version, entry) {
            Ok((header, txn)) => out.push((start, header, txn)),
            Err(_) => break,
        }
    }
    out
}

fn read_snapshot(version: ZkVersion, data: &[u8], zxid: i64) -> Result<Restored, JuteError> {
    // The checksum covers everything before it.
    let body_len = data
        .len()
        .checked_sub(8 + 4 + 1)
        .ok_or_else(|| JuteError("a short snapshot".into()))?;
    let mut tail = JuteReader::new(&data[body_len..]);
    if tail.long()? != i64::from(adler2::adler32_slice(&data[..body_len])) {
        return Err(JuteError("a snapshot whose checksum fails".into()));
    }
    let mut r = JuteReader::new(&data[..body_len]);
    if r.int()? != SNAP_MAGIC {
        return Err(JuteError("not a snapshot".into()));
    }
    r.int()?;
    r.long()?;
    let mut sessions = BTreeMap::new();
    for _ in 0..r.int()? {
        let id = r.long()?;
        sessions.insert(id, r.int()?);
    }
    let mut cached = BTreeMap::new();
    for _ in 0..r.int()? {
        let id = r.long()?;
        cached.insert(id, r.acl()?);
    }
    let cache: Vec<Vec<Acl>> = cached.into_values().collect();
    let mut nodes = Vec::new();
    loop {
        let path = r.ustring()?;
        if path == "/" {
            break;
        }
        let data = r.opt_buffer()?.map(Bytes::copy_from_slice);
        let acl_id = r.long()?;
        let stat = Stat {
            czxid: r.long()?,
            mzxid: r.long()?,
            ctime: r.long()?,
            mtime: r.long()?,
            version: r.int()?,
            cversion: r.int()?,
            aversion: r.int()?,
            ephemeral_owner: r.long()?,
            pzxid: r.long()?,
            ..Stat::default()
        };
        nodes.push((
            if path.is_empty() {
                "/".to_owned()
            } else {
                path
            },
            data,
            acl_id,
            stat,
        ));
    }
    let tree = DataTree::restore(version, cache, nodes, zxid).map_err(JuteError)?;
    Ok(Restored {
        tree,
        sessions,
        last_zxid: zxid,
        replayed: 0,
        txns: Vec::new(),
    })
}

/// A snapshot a leader sent (`SNAP`), as of `zxid`.
pub fn parse_snapshot(version: ZkVersion, data: &[u8], zxid: i64) -> Result<Restored, String> {
    read_snapshot(version, data, zxid).map_err(|e| e.0)
}

/// `FileTxnLog.truncate`: the file operations that drop every logged
/// transaction after `zxid` (a follower that logged proposals its new
/// leader never committed). Snapshots after `zxid` go too: 3.3 and 3.5
/// keep them and reload the uncommitted changes from them
/// (ZOOKEEPER-1549); the playground does as ZooKeeper 3.6 does, so a
/// truncated server never keeps a write the ensemble did not commit.
pub fn truncate_ops(version: ZkVersion, files: &DirSnapshot, zxid: i64) -> Vec<FileOp> {
    let mut ops: Vec<FileOp> = files
        .files
        .keys()
        .filter(|n| zxid_of(n, "snapshot").is_some_and(|z| z > zxid))
        .map(|n| FileOp::Delete { path: n.clone() })
        .collect();
    let logs = logs_by_zxid(files);
    for (first, name) in logs {
        if first > zxid {
            ops.push(FileOp::Delete { path: name.clone() });
            continue;
        }
        let data = &files.files[name];
        if let Some(end) = log_entries(version, data)
            .into_iter()
            .find(|(_, header, _)| header.zxid > zxid)
            .map(|(start, _, _)| start)
        {
            ops.push(FileOp::SetLen {
                path: name.clone(),
                len: end as u64,
            });
            ops.push(FileOp::Sync { path: name.clone() });
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The `snapshot.0` each release writes at a fresh start, byte for byte
    /// (observed from the released sources; ZOOKEEPER-SEMANTICS.md C10.6).
    #[test]
    fn a_fresh_snapshot_is_zookeepers_byte_for_byte() {
        let v33 = concat!(
            "5a4b534e00000002ffffffffffffffff00000000000000000000000000000000ffffffffffffffff000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000000000000000000000a2f7a6f6f6b656570657200000000ffffffffffffffff0000",
            "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000102f7a",
            "6f6f6b65657065722f71756f746100000000ffffffffffffffff0000000000000000000000000000000000000000000000000000000000000000000000000000",
            "00000000000000000000000000000000000000000000000000012f00000000ab102bd2000000012f",
        );
        let v35 = concat!(
            "5a4b534e00000002ffffffffffffffff00000000000000010000000000000001000000010000000100000005776f726c6400000006616e796f6e650000000000",
            "000000ffffffffffffffff0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            "000000000000000000000a2f7a6f6f6b656570657200000000ffffffffffffffff00000000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000000112f7a6f6f6b65657065722f636f6e6669670000000000000000000000010000",
            "0000000000000000000000000000000000000000000000000000000000000000000000000000ffffffff00000000000000000000000000000000000000102f7a",
            "6f6f6b65657065722f71756f746100000000ffffffffffffffff0000000000000000000000000000000000000000000000000000000000000000000000000000",
            "00000000000000000000000000000000000000000000000000012f00000000b8a23b49000000012f",
        );
        let none = BTreeMap::new();
        assert_eq!(
            hex(&snapshot_bytes(&DataTree::new(ZkVersion::V3_3), &none)),
            v33
        );
        assert_eq!(
            hex(&snapshot_bytes(&DataTree::new(ZkVersion::V3_5), &none)),
            v35
        );
    }

    #[test]
    fn logs_and_snapshots_restore_the_tree_and_sessions() {
        use crate::prep::{CreateMode, Outstanding, WriteOp};
        for version in [ZkVersion::V3_3, ZkVersion::V3_5] {
            let mut tree = DataTree::new(version);
            let mut outstanding = Outstanding::default();
            let mut log = TxnLog::default();
            let mut ops = Vec::new();
            let mut files = DirSnapshot::default();
            files.files.insert(
                snapshot_name(0),
                Bytes::from(snapshot_bytes(&tree, &BTreeMap::new())),
            );
            let session = 0x0100_0089_6462_0000;
            let steps = vec![
                (Txn::CreateSession { timeout_ms: 6000 }, None),
                (
                    Txn::Error(ErrorCode::NoNode),
                    Some(WriteOp::Create {
                        path: "/a".into(),
                        data: None,
                        acl: Acl::open(),
                        mode: CreateMode::Persistent,
                    }),
                ),
                (
                    Txn::Error(ErrorCode::NoNode),
                    Some(WriteOp::Create {
                        path: "/e-".into(),
                        data: Some(Bytes::from_static(b"x")),
                        acl: Acl::open(),
                        mode: CreateMode::EphemeralSequential,
                    }),
                ),
            ];
            for (zxid, (txn, op)) in steps.into_iter().enumerate() {
                let zxid = zxid as i64 + 1;
                let txn = match op {
                    Some(op) => outstanding.prepare(&tree, session, zxid, 1000, &op),
                    None => txn,
                };
                let header = TxnHeader {
                    session,
                    cxid: zxid as i32,
                    zxid,
                    time: 1000 + zxid,
                };
                log.append(version, &header, &txn, &mut ops);
                tree.apply(&header, &txn);
            }
            log.sync(&mut ops);
            let mut storage = kafka_log::MemoryStorage::new();
            use kafka_log::Storage;
            storage.submit(ops).unwrap();
            let on_disk = storage.load("").unwrap();
            let log_file = &on_disk.files["version-2/log.1"];
            assert_eq!(log_file.len(), 67_108_880, "preallocated: 16 + 64 MiB");
            files
                .files
                .insert("version-2/log.1".into(), log_file.clone());
            let restored = restore(version, &files).unwrap();
            assert_eq!(restored.tree, tree);
            assert_eq!(restored.last_zxid, 3);
            assert_eq!(restored.replayed, 3);
            assert_eq!(restored.sessions, BTreeMap::from([(session, 6000)]));
            assert_eq!(restored.tree.ephemerals(session), ["/e-0000000001"]);
            // A snapshot of the restored tree restores the same tree.
            let snap = snapshot_bytes(&restored.tree, &restored.sessions);
            let mut again = DirSnapshot::default();
            again.files.insert(snapshot_name(3), Bytes::from(snap));
            let twice = restore(version, &again).unwrap();
            assert_eq!(twice.tree, tree);
            assert_eq!(twice.sessions, restored.sessions);
        }
    }
}
