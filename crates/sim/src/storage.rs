//! A host's files as a [`Storage`]: where a process keeps its data directory
//! (a broker's `log.dirs`, ZooKeeper's `dataDir`), so the files it writes are
//! the files a terminal on the host lists. Everything written stays in the
//! host's page cache, which survives a process being killed; what a power
//! loss would take is left to the disk faults of a later issue.

use bytes::Bytes;
use kafka_log::storage::{DirSnapshot, FileOp, Storage, StorageError, Ticket};

use crate::fs::{normalize, FsError, SharedFs};

/// The files under `root` on a host.
#[derive(Clone, Debug)]
pub struct HostStorage {
    fs: SharedFs,
    root: String,
    ticket: Ticket,
}

impl HostStorage {
    pub fn new(fs: SharedFs, root: &str) -> HostStorage {
        HostStorage {
            fs,
            root: normalize("/", root),
            ticket: 0,
        }
    }

    /// The absolute path of an operation's relative path; `..` cannot leave the root.
    fn path(&self, relative: &str) -> Result<String, StorageError> {
        let path = normalize(&self.root, relative);
        let inside = path == self.root || path.starts_with(&format!("{}/", self.root));
        if !inside || relative.starts_with('/') {
            return Err(StorageError::Io(format!(
                "{relative}: outside the data directory {}",
                self.root
            )));
        }
        Ok(path)
    }

    fn error(path: &str, e: FsError) -> StorageError {
        match e {
            FsError::NotFound => StorageError::NotFound(path.to_owned()),
            other => StorageError::Io(format!("{path}: {other}")),
        }
    }
}

impl Storage for HostStorage {
    fn apply(&mut self, op: FileOp) -> Result<Ticket, StorageError> {
        let mut fs = self.fs.borrow_mut();
        match op {
            FileOp::CreateDir { path } => {
                let p = self.path(&path)?;
                fs.create_dir_all(&p).map_err(|e| Self::error(&p, e))?;
            }
            FileOp::Append { path, data } => {
                let p = self.path(&path)?;
                fs.write_sparse(&p, |f| f.append(data))
                    .map_err(|e| Self::error(&p, e))?;
            }
            FileOp::WriteAt { path, offset, data } => {
                let p = self.path(&path)?;
                fs.write_sparse(&p, |f| f.write_at(offset as usize, &data))
                    .map_err(|e| Self::error(&p, e))?;
            }
            FileOp::SetLen { path, len } => {
                let p = self.path(&path)?;
                fs.write_sparse(&p, |f| f.set_len(len as usize))
                    .map_err(|e| Self::error(&p, e))?;
            }
            FileOp::Rename { from, to } => {
                let (f, t) = (self.path(&from)?, self.path(&to)?);
                let node = fs.remove(&f).map_err(|e| Self::error(&f, e))?;
                fs.insert(&t, node).map_err(|e| Self::error(&t, e))?;
            }
            FileOp::Delete { path } | FileOp::DeleteDir { path } => {
                let p = self.path(&path)?;
                match fs.remove(&p) {
                    Ok(_) | Err(FsError::NotFound) => {}
                    Err(e) => return Err(Self::error(&p, e)),
                }
            }
            FileOp::Sync { path } => {
                let p = self.path(&path)?;
                fs.lookup(&p).map_err(|e| Self::error(&p, e))?;
            }
        }
        self.ticket += 1;
        Ok(self.ticket)
    }

    fn durable(&self) -> Ticket {
        self.ticket
    }

    fn load(&self, root: &str) -> Result<DirSnapshot, StorageError> {
        let start = if root.is_empty() {
            self.root.clone()
        } else {
            self.path(root)?
        };
        let prefix = if root.is_empty() {
            String::new()
        } else {
            format!("{root}/")
        };
        let fs = self.fs.borrow();
        let (files, dirs) = fs.walk(&start).map_err(|e| Self::error(&start, e))?;
        let mut snapshot = DirSnapshot::default();
        if !root.is_empty() && fs.is_dir(&start) {
            snapshot.dirs.push(root.to_owned());
        }
        for (path, data) in files {
            snapshot
                .files
                .insert(format!("{prefix}{path}"), Bytes::from(data));
        }
        snapshot
            .dirs
            .extend(dirs.into_iter().map(|d| format!("{prefix}{d}")));
        Ok(snapshot)
    }
}
