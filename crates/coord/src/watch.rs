//! Watches: one-shot notifications a session leaves on a path. `getData`
//! and `exists` leave a data watch (even on a missing node, for `exists`),
//! `getChildren` a child watch; the change that fires one removes it.

use std::collections::{BTreeMap, BTreeSet};

/// Who is notified: a session, on the server that holds its connection.
pub type Watcher = i64;

/// `Watcher.Event.EventType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    None,
    NodeCreated,
    NodeDeleted,
    NodeDataChanged,
    NodeChildrenChanged,
}

impl EventType {
    pub fn value(self) -> i32 {
        match self {
            EventType::None => -1,
            EventType::NodeCreated => 1,
            EventType::NodeDeleted => 2,
            EventType::NodeDataChanged => 3,
            EventType::NodeChildrenChanged => 4,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            EventType::None => "None",
            EventType::NodeCreated => "NodeCreated",
            EventType::NodeDeleted => "NodeDeleted",
            EventType::NodeDataChanged => "NodeDataChanged",
            EventType::NodeChildrenChanged => "NodeChildrenChanged",
        }
    }
}

/// `Watcher.Event.KeeperState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeeperState {
    Disconnected,
    SyncConnected,
    AuthFailed,
    Expired,
    /// 3.5's client, after `close()`.
    Closed,
}

impl KeeperState {
    pub fn name(self) -> &'static str {
        match self {
            KeeperState::Disconnected => "Disconnected",
            KeeperState::SyncConnected => "SyncConnected",
            KeeperState::AuthFailed => "AuthFailed",
            KeeperState::Expired => "Expired",
            KeeperState::Closed => "Closed",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WatchKind {
    Data,
    Child,
}

/// The watches of one server, by path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WatchManager {
    data: BTreeMap<String, BTreeSet<Watcher>>,
    child: BTreeMap<String, BTreeSet<Watcher>>,
}

impl WatchManager {
    fn map(&mut self, kind: WatchKind) -> &mut BTreeMap<String, BTreeSet<Watcher>> {
        match kind {
            WatchKind::Data => &mut self.data,
            WatchKind::Child => &mut self.child,
        }
    }

    pub fn add(&mut self, path: &str, kind: WatchKind, watcher: Watcher) {
        self.map(kind)
            .entry(path.to_owned())
            .or_default()
            .insert(watcher);
    }

    /// Removes and returns the watchers of `path`.
    pub fn trigger(&mut self, path: &str, kind: WatchKind) -> BTreeSet<Watcher> {
        self.map(kind).remove(path).unwrap_or_default()
    }

    /// A session that went away takes its watches with it.
    pub fn remove_watcher(&mut self, watcher: Watcher) {
        for map in [&mut self.data, &mut self.child] {
            map.retain(|_, set| {
                set.remove(&watcher);
                !set.is_empty()
            });
        }
    }

    /// How many watches, over how many paths and sessions (`wchs`).
    pub fn counts(&self) -> (usize, usize, usize) {
        let watches: usize = self
            .data
            .values()
            .chain(self.child.values())
            .map(BTreeSet::len)
            .sum();
        let paths: BTreeSet<&String> = self.data.keys().chain(self.child.keys()).collect();
        let sessions: BTreeSet<&Watcher> = self
            .data
            .values()
            .chain(self.child.values())
            .flatten()
            .collect();
        (watches, paths.len(), sessions.len())
    }

    /// Paths each session watches (`wchc`), and sessions by path (`wchp`).
    pub fn by_path(&self) -> BTreeMap<String, BTreeSet<Watcher>> {
        let mut out: BTreeMap<String, BTreeSet<Watcher>> = BTreeMap::new();
        for (path, set) in self.data.iter().chain(self.child.iter()) {
            out.entry(path.clone()).or_default().extend(set);
        }
        out
    }
}
