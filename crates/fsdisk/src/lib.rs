//! A [`Storage`] on real files: a log directory on disk, in Kafka's layout,
//! so real Kafka tools (and kafka-python) can read what the playground wrote.
//! Native only: the browser build uses IndexedDB instead.

use std::fs::{self, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};

use bytes::Bytes;
use kafka_log::storage::{DirSnapshot, FileOp, Storage, StorageError, Ticket};

/// Files under `root`; operation paths are relative to it.
#[derive(Debug)]
pub struct FileStorage {
    root: PathBuf,
    next_ticket: Ticket,
    /// The ticket of the last fsync: everything before it is on the disk.
    synced_ticket: Ticket,
}

impl FileStorage {
    pub fn new(root: impl Into<PathBuf>) -> Result<FileStorage, StorageError> {
        let root = root.into();
        fs::create_dir_all(&root).map_err(|e| io(&root, e))?;
        Ok(FileStorage {
            root,
            next_ticket: 0,
            synced_ticket: 0,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The real path of a relative one; `..` and absolute paths are refused.
    fn path(&self, relative: &str) -> Result<PathBuf, StorageError> {
        let p = Path::new(relative);
        if p.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(StorageError::Io(format!(
                "{relative}: not a path inside the log directory"
            )));
        }
        Ok(self.root.join(p))
    }

    fn change(&mut self, op: FileOp) -> Result<(), StorageError> {
        match op {
            FileOp::CreateDir { path } => {
                let p = self.path(&path)?;
                fs::create_dir_all(&p).map_err(|e| io(&p, e))
            }
            FileOp::Append { path, data } => {
                let p = self.path(&path)?;
                let mut f = open(&p, true)?;
                f.write_all(&data).map_err(|e| io(&p, e))
            }
            FileOp::WriteAt { path, offset, data } => {
                let p = self.path(&path)?;
                let mut f = open(&p, false)?;
                f.seek(SeekFrom::Start(offset)).map_err(|e| io(&p, e))?;
                f.write_all(&data).map_err(|e| io(&p, e))
            }
            FileOp::SetLen { path, len } => {
                let p = self.path(&path)?;
                open(&p, false)?.set_len(len).map_err(|e| io(&p, e))
            }
            FileOp::Rename { from, to } => {
                let (f, t) = (self.path(&from)?, self.path(&to)?);
                fs::rename(&f, &t).map_err(|e| io(&f, e))
            }
            FileOp::Delete { path } => {
                let p = self.path(&path)?;
                match fs::remove_file(&p) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(&p, e)),
                    _ => Ok(()),
                }
            }
            FileOp::DeleteDir { path } => {
                let p = self.path(&path)?;
                fs::remove_dir_all(&p).map_err(|e| io(&p, e))
            }
            FileOp::Sync { path } => {
                let p = self.path(&path)?;
                let f = fs::File::open(&p).map_err(|e| io(&p, e))?;
                f.sync_all().map_err(|e| io(&p, e))?;
                self.synced_ticket = self.next_ticket + 1;
                Ok(())
            }
        }
    }
}

fn io(path: &Path, e: std::io::Error) -> StorageError {
    if e.kind() == std::io::ErrorKind::NotFound {
        StorageError::NotFound(path.display().to_string())
    } else {
        StorageError::Io(format!("{}: {e}", path.display()))
    }
}

fn open(path: &Path, append: bool) -> Result<fs::File, StorageError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(false)
        .open(path)
        .map_err(|e| io(path, e))
}

impl Storage for FileStorage {
    fn apply(&mut self, op: FileOp) -> Result<Ticket, StorageError> {
        self.change(op)?;
        self.next_ticket += 1;
        Ok(self.next_ticket)
    }

    fn durable(&self) -> Ticket {
        self.synced_ticket
    }

    fn load(&self, root: &str) -> Result<DirSnapshot, StorageError> {
        let mut snapshot = DirSnapshot::default();
        let start = if root.is_empty() {
            self.root.clone()
        } else {
            self.path(root)?
        };
        if start.exists() {
            walk(&self.root, &start, &mut snapshot)?;
        }
        Ok(snapshot)
    }
}

fn walk(root: &Path, dir: &Path, out: &mut DirSnapshot) -> Result<(), StorageError> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| io(dir, e))?
        .map(|e| e.map(|e| e.path()).map_err(|e| io(dir, e)))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let relative = path
            .strip_prefix(root)
            .expect("walked under the root")
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_dir() {
            out.dirs.push(relative);
            walk(root, &path, out)?;
        } else {
            let data = fs::read(&path).map_err(|e| io(&path, e))?;
            out.files.insert(relative, Bytes::from(data));
        }
    }
    Ok(())
}
