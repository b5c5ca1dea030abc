//! A host's file system: directories, files, permissions, times. The shell
//! works on it for its users, and the host's processes write their data
//! directories into it through [`crate::HostStorage`], so `ls -l` shows the
//! files a broker or a ZooKeeper server wrote.
//!
//! Paths are absolute and normalised (see [`normalize`]) before they reach
//! the file system. Files of a Kafka distribution keep their text as
//! `&'static str` until someone writes to them, so every host can hold the
//! same distributions without copying them. Files that processes write keep
//! their appends as shared chunks and their preallocated tails sparse.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use kafka_log::SparseFile;

use crate::SimTime;

/// What [`Vfs::walk`] finds: (relative path, content) of every file, and every directory.
pub type Walk = (Vec<(String, Vec<u8>)>, Vec<String>);

/// A file system shared by the terminals of one host.
pub type SharedFs = Rc<RefCell<Vfs>>;

/// Errors with the words of Linux's `strerror`, as tools print them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    NotADirectory,
    IsADirectory,
    Exists,
    NotEmpty,
    PermissionDenied,
    /// A binary of a real distribution that the playground names but does not hold.
    NotStored,
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FsError::NotFound => "No such file or directory",
            FsError::NotADirectory => "Not a directory",
            FsError::IsADirectory => "Is a directory",
            FsError::Exists => "File exists",
            FsError::NotEmpty => "Directory not empty",
            FsError::PermissionDenied => "Permission denied",
            FsError::NotStored => "binary of the real distribution, not stored in this playground",
        })
    }
}

/// What an executable file runs when it is not a shell script of the user's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Program {
    /// The distribution directory the script belongs to, such as `kafka_2.8.0-0.8.0`.
    pub distribution: &'static str,
    /// The script's file name, such as `kafka-server-start.sh`.
    pub script: &'static str,
}

#[derive(Clone, Debug)]
pub enum Data {
    Static(&'static str),
    Bytes(Vec<u8>),
    /// What a process wrote: chunks as appended, zeros up to the length.
    Sparse(SparseFile),
    NotStored,
    /// `/dev/null`: takes every write, reads as empty.
    Null,
}

impl Data {
    fn into_bytes(self) -> Vec<u8> {
        match self {
            Data::Static(s) => s.as_bytes().to_vec(),
            Data::Bytes(b) => b,
            Data::Sparse(f) => f.to_bytes().to_vec(),
            Data::NotStored | Data::Null => Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    /// Permission bits, such as `0o755`.
    pub mode: u32,
    pub mtime: SimTime,
}

#[derive(Clone, Debug)]
pub struct File {
    pub data: Data,
    pub meta: Meta,
    pub program: Option<Program>,
}

impl File {
    pub fn size(&self) -> Option<u64> {
        match &self.data {
            Data::Static(s) => Some(s.len() as u64),
            Data::Bytes(b) => Some(b.len() as u64),
            Data::Sparse(f) => Some(f.len() as u64),
            Data::NotStored => None,
            Data::Null => Some(0),
        }
    }

    /// Bytes that take room on the disk: a sparse file's holes do not.
    pub fn allocated_size(&self) -> Option<u64> {
        match &self.data {
            Data::Sparse(f) => Some(f.written() as u64),
            _ => self.size(),
        }
    }

    pub fn is_device(&self) -> bool {
        matches!(self.data, Data::Null)
    }

    pub fn is_executable(&self) -> bool {
        self.meta.mode & 0o111 != 0
    }
}

#[derive(Clone, Debug)]
pub struct Dir {
    pub entries: BTreeMap<String, Node>,
    pub meta: Meta,
}

#[derive(Clone, Debug)]
pub enum Node {
    Dir(Dir),
    File(File),
}

impl Node {
    pub fn meta(&self) -> Meta {
        match self {
            Node::Dir(d) => d.meta,
            Node::File(f) => f.meta,
        }
    }

    pub fn is_dir(&self) -> bool {
        matches!(self, Node::Dir(_))
    }
}

#[derive(Debug)]
pub struct Vfs {
    root: Node,
    /// The time stamped on what is created or changed; the shell keeps it current.
    now: SimTime,
}

impl Vfs {
    pub fn new(now: SimTime) -> Vfs {
        Vfs {
            root: Node::Dir(Dir {
                entries: BTreeMap::new(),
                meta: Meta {
                    mode: 0o755,
                    mtime: now,
                },
            }),
            now,
        }
    }

    pub fn set_now(&mut self, now: SimTime) {
        self.now = now;
    }

    pub fn lookup(&self, path: &str) -> Result<&Node, FsError> {
        let mut node = &self.root;
        for name in components(path) {
            match node {
                Node::Dir(d) => node = d.entries.get(name).ok_or(FsError::NotFound)?,
                Node::File(_) => return Err(FsError::NotADirectory),
            }
        }
        Ok(node)
    }

    fn lookup_mut(&mut self, path: &str) -> Result<&mut Node, FsError> {
        let mut node = &mut self.root;
        for name in components(path) {
            match node {
                Node::Dir(d) => node = d.entries.get_mut(name).ok_or(FsError::NotFound)?,
                Node::File(_) => return Err(FsError::NotADirectory),
            }
        }
        Ok(node)
    }

    /// The directory that holds `path`, and the last name of `path`.
    fn parent_mut<'a>(&mut self, path: &'a str) -> Result<(&mut Dir, &'a str), FsError> {
        let (parent, name) = split_parent(path).ok_or(FsError::Exists)?;
        match self.lookup_mut(parent)? {
            Node::Dir(d) => Ok((d, name)),
            Node::File(_) => Err(FsError::NotADirectory),
        }
    }

    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.lookup(path), Ok(Node::Dir(_)))
    }

    pub fn read(&self, path: &str) -> Result<Vec<u8>, FsError> {
        match self.lookup(path)? {
            Node::Dir(_) => Err(FsError::IsADirectory),
            Node::File(f) => match &f.data {
                Data::NotStored => Err(FsError::NotStored),
                data => Ok(data.clone().into_bytes()),
            },
        }
    }

    /// Lists a directory's entries in byte order of their names.
    pub fn list(&self, path: &str) -> Result<Vec<(&str, &Node)>, FsError> {
        match self.lookup(path)? {
            Node::Dir(d) => Ok(d.entries.iter().map(|(k, v)| (k.as_str(), v)).collect()),
            Node::File(_) => Err(FsError::NotADirectory),
        }
    }

    /// Creates an empty file or empties an existing one (`>`).
    pub fn truncate(&mut self, path: &str) -> Result<(), FsError> {
        self.write(path, Vec::new())
    }

    /// Replaces a file's content, creating the file if it is missing.
    pub fn write(&mut self, path: &str, data: Vec<u8>) -> Result<(), FsError> {
        self.store(path, &data, false)
    }

    /// Appends to a file, creating it if it is missing (`>>`, and writes to an open file).
    pub fn append(&mut self, path: &str, data: &[u8]) -> Result<(), FsError> {
        self.store(path, data, true)
    }

    fn store(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), FsError> {
        if self.is_dir(path) {
            return Err(FsError::IsADirectory);
        }
        let now = self.now;
        let (dir, name) = self.parent_mut(path)?;
        match dir.entries.get_mut(name) {
            Some(Node::Dir(_)) => Err(FsError::IsADirectory),
            Some(Node::File(f)) => {
                f.data = match (std::mem::replace(&mut f.data, Data::Null), append) {
                    (Data::Null, _) => Data::Null,
                    (old, true) => {
                        let mut bytes = old.into_bytes();
                        bytes.extend_from_slice(data);
                        Data::Bytes(bytes)
                    }
                    (_, false) => Data::Bytes(data.to_vec()),
                };
                f.meta.mtime = now;
                f.program = None;
                Ok(())
            }
            None => {
                let file = new_file(Data::Bytes(data.to_vec()), 0o644, now);
                dir.entries.insert(name.to_owned(), Node::File(file));
                dir.meta.mtime = now;
                Ok(())
            }
        }
    }

    /// Changes a file as a process writes it (appends shared, preallocation
    /// sparse), creating it (and its directories) if it is missing.
    pub fn write_sparse(
        &mut self,
        path: &str,
        change: impl FnOnce(&mut SparseFile),
    ) -> Result<(), FsError> {
        if self.is_dir(path) {
            return Err(FsError::IsADirectory);
        }
        let parent = split_parent(path).ok_or(FsError::IsADirectory)?.0;
        self.create_dir_all(parent)?;
        let now = self.now;
        let (dir, name) = self.parent_mut(path)?;
        let created = !dir.entries.contains_key(name);
        let node = dir.entries.entry(name.to_owned()).or_insert_with(|| {
            Node::File(new_file(Data::Sparse(SparseFile::default()), 0o644, now))
        });
        if created {
            dir.meta.mtime = now;
        }
        let Node::File(file) = node else {
            return Err(FsError::IsADirectory);
        };
        if !matches!(file.data, Data::Sparse(_)) {
            let bytes = std::mem::replace(&mut file.data, Data::Null).into_bytes();
            let mut sparse = SparseFile::default();
            sparse.append(bytes.into());
            file.data = Data::Sparse(sparse);
        }
        let Data::Sparse(sparse) = &mut file.data else {
            unreachable!("made sparse above")
        };
        change(sparse);
        file.meta.mtime = now;
        file.program = None;
        Ok(())
    }

    /// Every file under `root` with its content, and every directory, as
    /// paths relative to `root`.
    pub fn walk(&self, root: &str) -> Result<Walk, FsError> {
        fn visit(
            node: &Node,
            prefix: &str,
            files: &mut Vec<(String, Vec<u8>)>,
            dirs: &mut Vec<String>,
        ) {
            if let Node::Dir(d) = node {
                for (name, child) in &d.entries {
                    let path = if prefix.is_empty() {
                        name.clone()
                    } else {
                        format!("{prefix}/{name}")
                    };
                    match child {
                        Node::Dir(_) => {
                            dirs.push(path.clone());
                            visit(child, &path, files, dirs);
                        }
                        Node::File(f) => files.push((path, f.data.clone().into_bytes())),
                    }
                }
            }
        }
        let (mut files, mut dirs) = (Vec::new(), Vec::new());
        match self.lookup(root) {
            Ok(node) => visit(node, "", &mut files, &mut dirs),
            Err(FsError::NotFound) => {}
            Err(e) => return Err(e),
        }
        Ok((files, dirs))
    }

    /// Puts a file in place, replacing what was there (used to install distributions).
    pub fn install_file(&mut self, path: &str, file: File) -> Result<(), FsError> {
        self.create_dir_all(split_parent(path).ok_or(FsError::Exists)?.0)?;
        let (dir, name) = self.parent_mut(path)?;
        dir.entries.insert(name.to_owned(), Node::File(file));
        Ok(())
    }

    /// Takes a file or a whole directory out of the tree (`rm`, `mv`).
    pub fn remove(&mut self, path: &str) -> Result<Node, FsError> {
        let now = self.now;
        let (dir, name) = self.parent_mut(path).map_err(|e| match e {
            FsError::Exists => FsError::PermissionDenied,
            other => other,
        })?;
        let node = dir.entries.remove(name).ok_or(FsError::NotFound)?;
        dir.meta.mtime = now;
        Ok(node)
    }

    /// Puts a node at `path`, whose parent must be a directory (`cp`, `mv`).
    /// A file there is replaced; a directory there is an error.
    pub fn insert(&mut self, path: &str, node: Node) -> Result<(), FsError> {
        if self.is_dir(path) {
            return Err(FsError::IsADirectory);
        }
        let now = self.now;
        let (dir, name) = self.parent_mut(path)?;
        dir.entries.insert(name.to_owned(), node);
        dir.meta.mtime = now;
        Ok(())
    }

    /// Sets a file's time to now, creating it empty if it is missing (`touch`).
    pub fn touch(&mut self, path: &str) -> Result<(), FsError> {
        let now = self.now;
        match self.lookup_mut(path) {
            Ok(Node::Dir(d)) => d.meta.mtime = now,
            Ok(Node::File(f)) => f.meta.mtime = now,
            Err(FsError::NotFound) => return self.append(path, &[]),
            Err(e) => return Err(e),
        }
        Ok(())
    }

    /// Sets permission bits (`chmod`).
    pub fn set_mode(&mut self, path: &str, mode: u32) -> Result<(), FsError> {
        match self.lookup_mut(path)? {
            Node::Dir(d) => d.meta.mode = mode,
            Node::File(f) => f.meta.mode = mode,
        }
        Ok(())
    }

    pub fn create_dir(&mut self, path: &str) -> Result<(), FsError> {
        let now = self.now;
        let (dir, name) = self.parent_mut(path)?;
        if dir.entries.contains_key(name) {
            return Err(FsError::Exists);
        }
        dir.entries.insert(
            name.to_owned(),
            Node::Dir(Dir {
                entries: BTreeMap::new(),
                meta: Meta {
                    mode: 0o755,
                    mtime: now,
                },
            }),
        );
        dir.meta.mtime = now;
        Ok(())
    }

    pub fn create_dir_all(&mut self, path: &str) -> Result<(), FsError> {
        let mut current = String::new();
        for name in components(path) {
            current.push('/');
            current.push_str(name);
            match self.lookup(&current) {
                Ok(Node::Dir(_)) => {}
                Ok(Node::File(_)) => return Err(FsError::NotADirectory),
                Err(_) => self.create_dir(&current)?,
            }
        }
        Ok(())
    }
}

pub fn new_file(data: Data, mode: u32, mtime: SimTime) -> File {
    File {
        data,
        meta: Meta { mode, mtime },
        program: None,
    }
}

fn components(path: &str) -> impl Iterator<Item = &str> {
    debug_assert!(path.starts_with('/'), "vfs paths are absolute: {path}");
    path.split('/').filter(|c| !c.is_empty())
}

/// `/a/b/c` → (`/a/b`, `c`); `None` for `/`.
pub fn split_parent(path: &str) -> Option<(&str, &str)> {
    let trimmed = path.trim_end_matches('/');
    let idx = trimmed.rfind('/')?;
    let name = &trimmed[idx + 1..];
    if name.is_empty() {
        return None;
    }
    Some((if idx == 0 { "/" } else { &trimmed[..idx] }, name))
}

/// Resolves `path` against `cwd` and removes `.`, `..` and repeated slashes.
pub fn normalize(cwd: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let joined = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("{cwd}/{path}")
    };
    for c in joined.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut out = String::new();
    for p in parts {
        out.push('/');
        out.push_str(p);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_paths_like_the_kernel() {
        assert_eq!(normalize("/root", "a/./b/../c"), "/root/a/c");
        assert_eq!(normalize("/root", "/"), "/");
        assert_eq!(normalize("/", ".."), "/");
        assert_eq!(normalize("/root/x", "../../tmp//y/"), "/tmp/y");
    }

    #[test]
    fn writes_appends_and_reports_strerror_texts() {
        let mut fs = Vfs::new(SimTime::default());
        fs.create_dir_all("/root/dir").unwrap();
        fs.write("/root/f", b"a".to_vec()).unwrap();
        fs.append("/root/f", b"b").unwrap();
        assert_eq!(fs.read("/root/f").unwrap(), b"ab");
        assert_eq!(
            fs.read("/root/dir").unwrap_err().to_string(),
            "Is a directory"
        );
        assert_eq!(
            fs.read("/root/nope").unwrap_err().to_string(),
            "No such file or directory"
        );
        assert_eq!(fs.read("/root/f/x").unwrap_err(), FsError::NotADirectory);
        assert_eq!(fs.write("/nope/f", vec![]).unwrap_err(), FsError::NotFound);
        assert_eq!(fs.create_dir("/root/dir").unwrap_err(), FsError::Exists);
        let names: Vec<&str> = fs
            .list("/root")
            .unwrap()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["dir", "f"]);
    }
}
