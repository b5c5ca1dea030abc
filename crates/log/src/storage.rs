//! The one seam between a log and a disk: an ordered stream of file
//! operations, and what the backend says is durable.
//!
//! A log never reads its files while running: its in-memory segments are the
//! read path. It writes through [`FileOp`]s, which a [`Storage`] applies in
//! order, now (memory, files) or later (IndexedDB); `durable()` says up to
//! which submitted operation a crash would keep everything. Files are read
//! only when a log directory is opened ([`Storage::load`]).

use std::collections::BTreeMap;

use bytes::Bytes;
use thiserror::Error;

use crate::file_records::FileRecords;

/// A path relative to the storage's root, `/`-separated (`test-0/00000000000000000000.log`).
pub type FilePath = String;

/// One change to the files of a log directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileOp {
    CreateDir {
        path: FilePath,
    },
    /// Writes `data` at the end of the file, creating it if needed.
    Append {
        path: FilePath,
        data: Bytes,
    },
    /// Writes `data` at `offset`, creating the file and filling a gap with zeros.
    WriteAt {
        path: FilePath,
        offset: u64,
        data: Bytes,
    },
    /// Sets the file's length: truncates, or extends with zeros (sparse, as
    /// Kafka preallocates its index files).
    SetLen {
        path: FilePath,
        len: u64,
    },
    Rename {
        from: FilePath,
        to: FilePath,
    },
    /// Deletes the file if it is there (Kafka's `deleteIfExists`: a
    /// segment renamed `.deleted` twice is deleted by both schedules).
    Delete {
        path: FilePath,
    },
    DeleteDir {
        path: FilePath,
    },
    /// fsync: everything written to the file before reaches the disk.
    Sync {
        path: FilePath,
    },
}

impl FileOp {
    pub fn path(&self) -> &str {
        match self {
            FileOp::CreateDir { path }
            | FileOp::Append { path, .. }
            | FileOp::WriteAt { path, .. }
            | FileOp::SetLen { path, .. }
            | FileOp::Delete { path }
            | FileOp::DeleteDir { path }
            | FileOp::Sync { path } => path,
            FileOp::Rename { from, .. } => from,
        }
    }
}

/// A submitted operation's place in the stream; later operations have higher tickets.
pub type Ticket = u64;

/// The contents of a directory tree, as loaded when a log directory opens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirSnapshot {
    /// Files by path, with their bytes (a sparse file's holes are zeros).
    pub files: BTreeMap<FilePath, Bytes>,
    pub dirs: Vec<FilePath>,
}

impl DirSnapshot {
    /// The names of the files directly in `dir` (`""` for the root).
    pub fn files_in(&self, dir: &str) -> Vec<&str> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        self.files
            .keys()
            .filter_map(|p| p.strip_prefix(&prefix))
            .filter(|rest| !rest.contains('/'))
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StorageError {
    #[error("{0}: No such file or directory")]
    NotFound(FilePath),
    #[error("{0}")]
    Io(String),
}

/// Writes a whole file afresh and fsyncs it (a temporary file before its rename).
pub fn write_synced(path: &str, data: Bytes, out: &mut Vec<FileOp>) {
    out.push(FileOp::SetLen {
        path: path.to_owned(),
        len: 0,
    });
    out.push(FileOp::Append {
        path: path.to_owned(),
        data,
    });
    out.push(FileOp::Sync {
        path: path.to_owned(),
    });
}

/// A disk for log directories.
pub trait Storage {
    /// Applies one operation after those before it; returns its ticket.
    fn apply(&mut self, op: FileOp) -> Result<Ticket, StorageError>;
    /// Applies operations in order. Returns the ticket of the last one (of
    /// what is durable, when there is none).
    fn submit(&mut self, ops: Vec<FileOp>) -> Result<Ticket, StorageError> {
        ops.into_iter()
            .try_fold(self.durable(), |_, op| self.apply(op))
    }
    /// Every operation up to this ticket survives a crash of the machine.
    fn durable(&self) -> Ticket;
    /// Everything under `root` (`""` for all), as it would be read after a restart.
    fn load(&self, root: &str) -> Result<DirSnapshot, StorageError>;
}

/// A file in memory: its written bytes (shared chunks), then zeros up to its
/// length (sparse, as Kafka's preallocated index files are on disk).
#[derive(Clone, Debug, Default)]
pub struct SparseFile {
    data: FileRecords,
    len: usize,
}

impl SparseFile {
    /// The file's length (`ls -l`), zeros of the sparse tail included.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes actually written (the rest of the length is a hole).
    pub fn written(&self) -> usize {
        self.data.len()
    }

    /// Writes the zeros of the sparse tail up to `at`.
    fn fill_to(&mut self, at: usize) {
        let written = self.data.len();
        if written < at {
            self.data.append(Bytes::from(vec![0; at - written]));
        }
    }

    pub fn append(&mut self, bytes: Bytes) {
        self.fill_to(self.len);
        self.data.append(bytes);
        self.len = self.data.len();
    }

    pub fn write_at(&mut self, offset: usize, bytes: &Bytes) {
        let end = offset + bytes.len();
        if offset >= self.data.len() {
            self.fill_to(offset);
            self.data.append(bytes.clone());
        } else {
            // Over written bytes: rare (index entries go at the written end).
            let mut flat = self.data.to_bytes().to_vec();
            flat.resize(flat.len().max(end), 0);
            flat[offset..end].copy_from_slice(bytes);
            self.data = FileRecords::from(Bytes::from(flat));
        }
        self.len = self.len.max(end);
    }

    pub fn set_len(&mut self, len: usize) {
        self.data.truncate(len);
        self.len = len;
    }

    pub fn to_bytes(&self) -> Bytes {
        if self.data.len() == self.len {
            return self.data.to_bytes();
        }
        let mut full = self.data.to_bytes().to_vec();
        full.resize(self.len, 0);
        Bytes::from(full)
    }
}

/// Files in memory: what tests use, and the model of what a disk holds.
/// Appended bytes are shared, not copied; preallocated files take no room.
/// [`MemoryStorage::crash`] shows what a power loss would keep on a
/// journaling file system: the names and sizes of files (create, rename,
/// delete, truncate), but only the bytes that a `Sync` reached.
#[derive(Clone, Debug, Default)]
pub struct MemoryStorage {
    files: BTreeMap<FilePath, SparseFile>,
    dirs: std::collections::BTreeSet<FilePath>,
    next_ticket: Ticket,
    /// Every file as a power loss would leave it.
    synced: BTreeMap<FilePath, SparseFile>,
}

impl MemoryStorage {
    pub fn new() -> MemoryStorage {
        MemoryStorage::default()
    }

    /// A power loss: every file keeps its name, and its bytes go back to
    /// what was synced, cut or zero-extended as later truncations and
    /// preallocations set its size.
    pub fn crash(&mut self) {
        self.files = self.synced.clone();
    }

    /// A file's contents (its sparse tail as zeros).
    pub fn file(&self, path: &str) -> Option<Bytes> {
        self.files.get(path).map(SparseFile::to_bytes)
    }

    /// A file exists (empty, if never synced) from its first write on.
    fn created(&mut self, path: &str) {
        if !self.synced.contains_key(path) {
            self.synced.insert(path.to_owned(), SparseFile::default());
        }
    }

    fn change(&mut self, op: FileOp) -> Result<(), StorageError> {
        match op {
            FileOp::CreateDir { path } => {
                self.dirs.insert(path);
            }
            FileOp::Append { path, data } => {
                self.created(&path);
                self.files.entry(path).or_default().append(data);
            }
            FileOp::WriteAt { path, offset, data } => {
                self.created(&path);
                self.files
                    .entry(path)
                    .or_default()
                    .write_at(offset as usize, &data);
            }
            FileOp::SetLen { path, len } => {
                self.synced
                    .entry(path.clone())
                    .or_default()
                    .set_len(len as usize);
                self.files.entry(path).or_default().set_len(len as usize);
            }
            FileOp::Rename { from, to } => {
                let file = self
                    .files
                    .remove(&from)
                    .ok_or_else(|| StorageError::NotFound(from.clone()))?;
                self.files.insert(to.clone(), file);
                match self.synced.remove(&from) {
                    Some(synced) => self.synced.insert(to, synced),
                    None => self.synced.remove(&to),
                };
            }
            FileOp::Delete { path } => {
                self.files.remove(&path);
                self.synced.remove(&path);
            }
            FileOp::DeleteDir { path } => {
                let prefix = format!("{path}/");
                self.files.retain(|p, _| !p.starts_with(&prefix));
                self.synced.retain(|p, _| !p.starts_with(&prefix));
                self.dirs.retain(|d| d != &path && !d.starts_with(&prefix));
            }
            FileOp::Sync { path } => {
                let file = self
                    .files
                    .get(&path)
                    .ok_or_else(|| StorageError::NotFound(path.clone()))?;
                self.synced.insert(path, file.clone());
            }
        }
        Ok(())
    }
}

impl Storage for MemoryStorage {
    fn apply(&mut self, op: FileOp) -> Result<Ticket, StorageError> {
        self.change(op)?;
        self.next_ticket += 1;
        Ok(self.next_ticket)
    }

    fn durable(&self) -> Ticket {
        self.next_ticket
    }

    fn load(&self, root: &str) -> Result<DirSnapshot, StorageError> {
        let inside = |p: &str| root.is_empty() || p == root || p.starts_with(&format!("{root}/"));
        Ok(DirSnapshot {
            files: self
                .files
                .iter()
                .filter(|(p, _)| inside(p))
                .map(|(p, f)| (p.clone(), f.to_bytes()))
                .collect(),
            dirs: self.dirs.iter().filter(|d| inside(d)).cloned().collect(),
        })
    }
}
