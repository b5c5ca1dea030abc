//! `DataTree`: the znodes, each with its data, ACL and `Stat`, the
//! ephemeral nodes of each session, and the watches set on them. Applying a
//! [`Txn`] changes the tree and names the watches it fires; reads never change it.

use std::collections::{BTreeMap, BTreeSet};

use bytes::Bytes;

use crate::acl::Acl;
use crate::java::{string_hash, JavaHashSet};
use crate::txn::{Txn, TxnHeader};
use crate::watch::{EventType, WatchKind, WatchManager, Watcher};
use crate::ZkVersion;

/// A znode's metadata, as `stat` prints it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stat {
    /// The zxid of the create.
    pub czxid: i64,
    /// The zxid of the last change of the data.
    pub mzxid: i64,
    /// Milliseconds since the epoch at the create.
    pub ctime: i64,
    pub mtime: i64,
    /// Changes to the data.
    pub version: i32,
    /// Changes to the children.
    pub cversion: i32,
    /// Changes to the ACL.
    pub aversion: i32,
    /// The owning session of an ephemeral node, else 0.
    pub ephemeral_owner: i64,
    pub data_length: i32,
    pub num_children: i32,
    /// The zxid of the last change of the children.
    pub pzxid: i64,
}

/// One znode. Data can be null (`get` prints `null`), which is not empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub data: Option<Bytes>,
    pub acl: Vec<Acl>,
    /// The ACL's number in the tree's ACL cache (-1: the built-in open ACL).
    acl_id: i64,
    stat: Stat,
    /// A `HashSet<String>(8)`, whose order `getChildren` returns.
    children: JavaHashSet<String>,
}

impl Node {
    fn new(data: Option<Bytes>, acl: Vec<Acl>, stat: Stat) -> Node {
        Node {
            data,
            acl,
            acl_id: -1,
            stat,
            children: JavaHashSet::with_capacity(8),
        }
    }

    /// The stat as stored (3.5's `cversion` counts creates only), lengths
    /// and counts included. Clients see [`DataTree::client_stat`].
    pub fn stat(&self) -> Stat {
        Stat {
            data_length: self.data.as_ref().map_or(0, |d| d.len() as i32),
            num_children: self.children.len() as i32,
            ..self.stat
        }
    }

    /// The ACL's number in the snapshot's ACL cache (-1 for the built-in nodes).
    pub fn acl_id(&self) -> i64 {
        self.acl_id
    }

    /// Children's names, in the order Java's `HashSet` iterates them.
    pub fn children(&self) -> impl Iterator<Item = &str> {
        self.children.iter().map(String::as_str)
    }

    fn has_child(&self, name: &str) -> bool {
        self.children.contains(string_hash(name), &name.to_owned())
    }
}

/// 3.5's dynamic configuration node.
pub const CONFIG_NODE: &str = "/zookeeper/config";

/// Nodes that cannot be deleted (`BadArguments`).
pub fn is_special(path: &str, version: ZkVersion) -> bool {
    matches!(path, "/" | "/zookeeper" | "/zookeeper/quota")
        || (version >= ZkVersion::V3_5 && path == CONFIG_NODE)
}

/// `/a/b` → `/a`; `/a` → `/`.
pub fn parent_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// The last name of a path.
pub fn name_of(path: &str) -> &str {
    &path[path.rfind('/').map_or(0, |i| i + 1)..]
}

/// `PathUtils.validatePath`: why a path is not a znode path, if it is not.
pub fn validate_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("Path length must be > 0".to_owned());
    }
    if !path.starts_with('/') {
        return Err("Path must start with / character".to_owned());
    }
    if path.len() == 1 {
        return Ok(());
    }
    if path.ends_with('/') {
        return Err("Path must not end with / character".to_owned());
    }
    let chars: Vec<char> = path.chars().collect();
    for i in 1..chars.len() {
        let (last, c) = (chars[i - 1], chars[i]);
        if c == '\0' {
            return Err(format!("null character not allowed @{i}"));
        } else if c == '/' && last == '/' {
            return Err(format!("empty node name specified @{i}"));
        } else if c == '.' && last == '.' {
            let before = chars.get(i.wrapping_sub(2)).copied();
            let after = chars.get(i + 1).copied();
            if before == Some('/') && (after.is_none() || after == Some('/')) {
                return Err(format!("relative paths not allowed @{i}"));
            }
        } else if c == '.' {
            let after = chars.get(i + 1).copied();
            if last == '/' && (after.is_none() || after == Some('/')) {
                return Err(format!("relative paths not allowed @{i}"));
            }
        } else if ('\u{1}'..='\u{1f}').contains(&c)
            || ('\u{7f}'..='\u{9f}').contains(&c)
            // Java also refuses surrogates (d800-dfff), which a Rust string cannot hold.
            || ('\u{e000}'..='\u{f8ff}').contains(&c)
            || ('\u{fff0}'..='\u{ffff}').contains(&c)
        {
            return Err(format!("invalid charater @{i}"));
        }
    }
    Ok(())
}

/// What applying a transaction did, for the reply and the watches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The created node's path (with its sequence number).
    pub created: Option<String>,
    /// The stat after a setData or setACL.
    pub stat: Option<Stat>,
    /// The watches that fired: who, on which path, what happened.
    pub fired: Vec<(Watcher, String, EventType)>,
}

/// The tree of znodes.
#[derive(Clone, Debug)]
pub struct DataTree {
    version: ZkVersion,
    nodes: BTreeMap<String, Node>,
    ephemerals: BTreeMap<i64, BTreeSet<String>>,
    /// Every ACL a node was given, numbered from 1 in the order first used.
    acl_cache: Vec<Vec<Acl>>,
    pub watches: WatchManager,
    /// The zxid of the last transaction applied.
    pub last_processed_zxid: i64,
}

impl PartialEq for DataTree {
    fn eq(&self, other: &DataTree) -> bool {
        self.nodes == other.nodes && self.ephemerals == other.ephemerals
    }
}

impl DataTree {
    /// An empty tree: `/` and ZooKeeper's own `/zookeeper` (`/zookeeper/quota`,
    /// and in 3.5 `/zookeeper/config`).
    pub fn new(version: ZkVersion) -> DataTree {
        let mut tree = DataTree {
            version,
            nodes: BTreeMap::new(),
            ephemerals: BTreeMap::new(),
            acl_cache: Vec::new(),
            watches: WatchManager::default(),
            last_processed_zxid: 0,
        };
        tree.nodes.insert(
            "/".to_owned(),
            Node::new(Some(Bytes::new()), Acl::open(), Stat::default()),
        );
        for path in ["/zookeeper", "/zookeeper/quota"] {
            tree.insert_node(
                path,
                Node::new(Some(Bytes::new()), Acl::open(), Stat::default()),
            );
        }
        if version >= ZkVersion::V3_5 {
            // Read-only for everyone, set with setACL(-1): its aversion is -1.
            let read_only = vec![Acl {
                perms: crate::acl::perms::READ,
                scheme: "world".to_owned(),
                id: "anyone".to_owned(),
            }];
            let stat = Stat {
                aversion: -1,
                ..Stat::default()
            };
            let mut config = Node::new(Some(Bytes::new()), read_only, stat);
            config.acl_id = tree.acl_id(&config.acl);
            tree.insert_node(CONFIG_NODE, config);
        }
        tree
    }

    pub fn version(&self) -> ZkVersion {
        self.version
    }

    /// The ACL cache's number for an ACL, adding it if it is new.
    fn acl_id(&mut self, acl: &[Acl]) -> i64 {
        match self.acl_cache.iter().position(|a| a == acl) {
            Some(i) => i as i64 + 1,
            None => {
                self.acl_cache.push(acl.to_vec());
                self.acl_cache.len() as i64
            }
        }
    }

    /// The ACL cache, numbers from 1.
    pub fn acl_cache(&self) -> &[Vec<Acl>] {
        &self.acl_cache
    }

    fn insert_node(&mut self, path: &str, node: Node) {
        let parent = parent_of(path).to_owned();
        let name = name_of(path);
        self.nodes
            .get_mut(&parent)
            .expect("the parent exists")
            .children
            .insert(string_hash(name), name.to_owned());
        self.nodes.insert(path.to_owned(), node);
    }

    /// A tree read back from a snapshot: nodes in the snapshot's order
    /// (parents first), with their stats as stored.
    pub fn restore(
        version: ZkVersion,
        acl_cache: Vec<Vec<Acl>>,
        nodes: Vec<(String, Option<Bytes>, i64, Stat)>,
        zxid: i64,
    ) -> Result<DataTree, String> {
        let mut tree = DataTree::new(version);
        tree.acl_cache = acl_cache;
        for (path, data, acl_id, stat) in nodes {
            let owner = stat.ephemeral_owner;
            let acl = match acl_id {
                -1 => Acl::open(),
                id => tree
                    .acl_cache
                    .get((id - 1) as usize)
                    .cloned()
                    .ok_or_else(|| format!("the snapshot's node {path} has an unknown ACL {id}"))?,
            };
            if let Some(node) = tree.nodes.get_mut(&path) {
                node.data = data;
                node.acl = acl;
                node.acl_id = acl_id;
                node.stat = stat;
                continue;
            }
            if !tree.nodes.contains_key(parent_of(&path)) {
                return Err(format!("the snapshot's node {path} has no parent"));
            }
            let mut node = Node::new(data, acl, stat);
            node.acl_id = acl_id;
            tree.insert_node(&path, node);
            if owner != 0 {
                tree.ephemerals.entry(owner).or_default().insert(path);
            }
        }
        tree.last_processed_zxid = zxid;
        Ok(tree)
    }

    pub fn node(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    /// The stat a client sees: 3.4+ shows `cversion` as `2*creates − numChildren`
    /// (ZOOKEEPER-1046), so a fresh 3.5 root shows -1.
    pub fn client_stat(&self, node: &Node) -> Stat {
        let stat = node.stat();
        match self.version {
            ZkVersion::V3_3 => stat,
            ZkVersion::V3_5 => Stat {
                cversion: 2 * stat.cversion - stat.num_children,
                ..stat
            },
        }
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Every znode, paths in order.
    pub fn nodes(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.nodes.iter().map(|(p, n)| (p.as_str(), n))
    }

    /// The ephemeral nodes of a session.
    pub fn ephemerals(&self, session: i64) -> Vec<String> {
        self.ephemerals
            .get(&session)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Sessions that own ephemeral nodes, with their nodes.
    pub fn all_ephemerals(&self) -> &BTreeMap<i64, BTreeSet<String>> {
        &self.ephemerals
    }

    /// Applies a transaction at its zxid. The transaction was checked when it
    /// was made, so it applies whole; a mismatch is a bug and panics.
    pub fn apply(&mut self, header: &TxnHeader, txn: &Txn) -> Applied {
        let mut applied = Applied {
            created: None,
            stat: None,
            fired: Vec::new(),
        };
        self.apply_into(header, txn, &mut applied);
        self.last_processed_zxid = self.last_processed_zxid.max(header.zxid);
        applied
    }

    fn apply_into(&mut self, header: &TxnHeader, txn: &Txn, applied: &mut Applied) {
        match txn {
            Txn::Create {
                path,
                data,
                acl,
                ephemeral,
                parent_cversion,
            } => {
                let owner = if *ephemeral { header.session } else { 0 };
                let stat = Stat {
                    czxid: header.zxid,
                    mzxid: header.zxid,
                    ctime: header.time,
                    mtime: header.time,
                    ephemeral_owner: owner,
                    pzxid: header.zxid,
                    ..Stat::default()
                };
                let parent_path = parent_of(path).to_owned();
                let version = self.version;
                let parent = self
                    .nodes
                    .get_mut(&parent_path)
                    .expect("a create's parent exists");
                assert!(
                    !parent.has_child(name_of(path)),
                    "a create's node is new: {path}"
                );
                parent.stat.cversion = if version >= ZkVersion::V3_5 && *parent_cversion != -1 {
                    *parent_cversion
                } else {
                    parent.stat.cversion + 1
                };
                parent.stat.pzxid = header.zxid;
                let mut node = Node::new(data.clone(), acl.clone(), stat);
                node.acl_id = self.acl_id(acl);
                self.insert_node(path, node);
                if *ephemeral {
                    self.ephemerals
                        .entry(owner)
                        .or_default()
                        .insert(path.clone());
                }
                applied.created = Some(path.clone());
                self.fire(path, EventType::NodeCreated, WatchKind::Data, applied);
                self.fire(
                    &parent_path,
                    EventType::NodeChildrenChanged,
                    WatchKind::Child,
                    applied,
                );
            }
            Txn::Delete { path } => self.delete(path, header.zxid, applied),
            Txn::SetData {
                path,
                data,
                version,
            } => {
                let node = self.nodes.get_mut(path).expect("a setData's node exists");
                node.data = data.clone();
                node.stat.version = *version;
                node.stat.mzxid = header.zxid;
                node.stat.mtime = header.time;
                applied.stat = Some(node.stat());
                self.fire(path, EventType::NodeDataChanged, WatchKind::Data, applied);
            }
            Txn::SetAcl { path, acl, version } => {
                let acl_id = self.acl_id(acl);
                let node = self.nodes.get_mut(path).expect("a setACL's node exists");
                node.acl = acl.clone();
                node.acl_id = acl_id;
                node.stat.aversion = *version;
                applied.stat = Some(node.stat());
            }
            Txn::Check { .. } | Txn::Error(_) | Txn::CreateSession { .. } => {}
            Txn::CloseSession => {
                for path in self.ephemerals(header.session) {
                    self.delete(&path, header.zxid, applied);
                }
                self.ephemerals.remove(&header.session);
            }
            Txn::Multi(txns) => {
                // All or nothing: a multi with an error applies nothing.
                if !txns.iter().any(|t| matches!(t, Txn::Error(_))) {
                    for txn in txns {
                        self.apply_into(header, txn, applied);
                    }
                }
            }
        }
    }

    fn delete(&mut self, path: &str, zxid: i64, applied: &mut Applied) {
        let node = self.nodes.remove(path).expect("a delete's node exists");
        assert!(node.children.is_empty(), "a deleted node has no children");
        let owner = node.stat.ephemeral_owner;
        if owner != 0 {
            if let Some(set) = self.ephemerals.get_mut(&owner) {
                set.remove(path);
                if set.is_empty() {
                    self.ephemerals.remove(&owner);
                }
            }
        }
        let parent_path = parent_of(path).to_owned();
        let parent = self
            .nodes
            .get_mut(&parent_path)
            .expect("a node's parent exists");
        let name = name_of(path);
        parent.children.remove(string_hash(name), &name.to_owned());
        match self.version {
            ZkVersion::V3_3 => {
                parent.stat.cversion += 1;
                parent.stat.pzxid = zxid;
            }
            // 3.5 counts creates only, and moves pzxid forward only.
            ZkVersion::V3_5 => parent.stat.pzxid = parent.stat.pzxid.max(zxid),
        }
        let data_watchers = self.watches.trigger(path, WatchKind::Data);
        let child_watchers = self.watches.trigger(path, WatchKind::Child);
        for watcher in data_watchers.iter() {
            applied
                .fired
                .push((*watcher, path.to_owned(), EventType::NodeDeleted));
        }
        for watcher in child_watchers.difference(&data_watchers) {
            applied
                .fired
                .push((*watcher, path.to_owned(), EventType::NodeDeleted));
        }
        self.fire(
            &parent_path,
            EventType::NodeChildrenChanged,
            WatchKind::Child,
            applied,
        );
    }

    fn fire(&mut self, path: &str, event: EventType, kind: WatchKind, applied: &mut Applied) {
        for watcher in self.watches.trigger(path, kind) {
            applied.fired.push((watcher, path.to_owned(), event));
        }
    }
}
