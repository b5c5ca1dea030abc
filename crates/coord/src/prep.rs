//! `PrepRequestProcessor`: the leader turns a write request into a
//! transaction — checking it against the tree as it will be once every
//! transaction already proposed is applied, naming sequential nodes, and
//! counting versions — or into an error transaction that still takes a zxid.

use std::collections::BTreeMap;

use bytes::Bytes;

use crate::acl::{permits, perms, Acl};
use crate::error::ErrorCode;
use crate::tree::{is_special, parent_of, validate_path, DataTree, Stat};
use crate::txn::Txn;
use crate::ZkVersion;

/// `CreateMode`: the flags of a create.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateMode {
    Persistent,
    Ephemeral,
    PersistentSequential,
    EphemeralSequential,
}

impl CreateMode {
    pub fn flags(self) -> i32 {
        match self {
            CreateMode::Persistent => 0,
            CreateMode::Ephemeral => 1,
            CreateMode::PersistentSequential => 2,
            CreateMode::EphemeralSequential => 3,
        }
    }

    pub fn from_flags(flags: i32) -> Option<CreateMode> {
        [
            CreateMode::Persistent,
            CreateMode::Ephemeral,
            CreateMode::PersistentSequential,
            CreateMode::EphemeralSequential,
        ]
        .into_iter()
        .find(|m| m.flags() == flags)
    }

    pub fn is_ephemeral(self) -> bool {
        matches!(
            self,
            CreateMode::Ephemeral | CreateMode::EphemeralSequential
        )
    }

    pub fn is_sequential(self) -> bool {
        matches!(
            self,
            CreateMode::PersistentSequential | CreateMode::EphemeralSequential
        )
    }
}

/// A request that changes the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteOp {
    Create {
        path: String,
        data: Option<Bytes>,
        acl: Vec<Acl>,
        mode: CreateMode,
    },
    Delete {
        path: String,
        version: i32,
    },
    SetData {
        path: String,
        data: Option<Bytes>,
        version: i32,
    },
    SetAcl {
        path: String,
        acl: Vec<Acl>,
        version: i32,
    },
    Check {
        path: String,
        version: i32,
    },
    Multi(Vec<WriteOp>),
}

/// A node as proposed changes leave it: its stat and ACL (`ChangeRecord`).
type Pending = (Stat, Vec<Acl>);

/// The tree as it will be: nodes changed by proposed but not yet applied
/// transactions (`outstandingChanges`), over the applied tree.
#[derive(Clone, Debug, Default)]
pub struct Outstanding {
    /// Path → (zxid of the last change, the node then, or `None` if deleted).
    changes: BTreeMap<String, (i64, Option<Pending>)>,
}

impl Outstanding {
    fn node(&self, tree: &DataTree, path: &str) -> Option<(Stat, Vec<Acl>)> {
        match self.changes.get(path) {
            Some((_, node)) => node.clone(),
            None => tree.node(path).map(|n| (n.stat(), n.acl.clone())),
        }
    }

    fn stat(&self, tree: &DataTree, path: &str) -> Option<Stat> {
        self.node(tree, path).map(|(stat, _)| stat)
    }

    /// The node's stat and ACL, if it exists; NoAuth if its ACL denies `perm`.
    fn checked(
        &self,
        tree: &DataTree,
        path: &str,
        perm: i32,
    ) -> Result<(Stat, Vec<Acl>), ErrorCode> {
        let (stat, acl) = self.node(tree, path).ok_or(ErrorCode::NoNode)?;
        if !permits(&acl, perm) {
            return Err(ErrorCode::NoAuth);
        }
        Ok((stat, acl))
    }

    fn record(&mut self, path: &str, zxid: i64, stat: Option<Stat>, acl: Vec<Acl>) {
        self.changes
            .insert(path.to_owned(), (zxid, stat.map(|s| (s, acl))));
    }

    /// Forgets changes that are in the tree now that `zxid` is applied.
    pub fn applied(&mut self, zxid: i64) {
        self.changes.retain(|_, (z, _)| *z > zxid);
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Prepares a write as the transaction with `zxid` at `time` for `session`.
    pub fn prepare(
        &mut self,
        tree: &DataTree,
        session: i64,
        zxid: i64,
        time: i64,
        op: &WriteOp,
    ) -> Txn {
        match op {
            // A failing op leaves the multi's ops before it as they are
            // (applied as nothing, reported OK), its own error, and
            // RuntimeInconsistency for the ops after it.
            WriteOp::Multi(ops) => {
                let saved = self.changes.clone();
                let mut txns = Vec::with_capacity(ops.len());
                let mut failed = false;
                for op in ops {
                    if failed {
                        txns.push(Txn::Error(ErrorCode::RuntimeInconsistency));
                        continue;
                    }
                    match self.prepare_one(tree, session, zxid, time, op) {
                        Ok(txn) => txns.push(txn),
                        Err(code) => {
                            failed = true;
                            self.changes = saved.clone();
                            txns.push(Txn::Error(code));
                        }
                    }
                }
                Txn::Multi(txns)
            }
            op => self
                .prepare_one(tree, session, zxid, time, op)
                .unwrap_or_else(Txn::Error),
        }
    }

    fn prepare_one(
        &mut self,
        tree: &DataTree,
        session: i64,
        zxid: i64,
        _time: i64,
        op: &WriteOp,
    ) -> Result<Txn, ErrorCode> {
        match op {
            WriteOp::Create {
                path,
                data,
                acl,
                mode,
            } => {
                if validate_path(path).is_err() || path == "/" {
                    return Err(ErrorCode::BadArguments);
                }
                if acl.is_empty() || !acl.iter().all(Acl::is_valid) {
                    return Err(ErrorCode::InvalidAcl);
                }
                let parent_path = parent_of(path);
                let (parent, parent_acl) = self.checked(tree, parent_path, perms::CREATE)?;
                let mut final_path = path.clone();
                if mode.is_sequential() {
                    final_path.push_str(&format!("{:010}", parent.cversion));
                }
                if validate_path(&final_path).is_err() {
                    return Err(ErrorCode::BadArguments);
                }
                if self.stat(tree, &final_path).is_some() {
                    return Err(ErrorCode::NodeExists);
                }
                if parent.ephemeral_owner != 0 {
                    return Err(ErrorCode::NoChildrenForEphemerals);
                }
                let parent_cversion = parent.cversion + 1;
                self.record(
                    parent_path,
                    zxid,
                    Some(Stat {
                        cversion: parent_cversion,
                        num_children: parent.num_children + 1,
                        pzxid: zxid,
                        ..parent
                    }),
                    parent_acl,
                );
                self.record(
                    &final_path,
                    zxid,
                    Some(Stat {
                        czxid: zxid,
                        mzxid: zxid,
                        pzxid: zxid,
                        ephemeral_owner: if mode.is_ephemeral() { session } else { 0 },
                        data_length: data.as_ref().map_or(0, |d| d.len() as i32),
                        ..Stat::default()
                    }),
                    acl.clone(),
                );
                Ok(Txn::Create {
                    path: final_path,
                    data: data.clone(),
                    acl: acl.clone(),
                    ephemeral: mode.is_ephemeral(),
                    parent_cversion,
                })
            }
            WriteOp::Delete { path, version } => {
                if validate_path(path).is_err() || is_special(path, tree.version()) {
                    return Err(ErrorCode::BadArguments);
                }
                let parent_path = parent_of(path);
                let (parent, parent_acl) = self.node(tree, parent_path).ok_or(ErrorCode::NoNode)?;
                let node = self.stat(tree, path).ok_or(ErrorCode::NoNode)?;
                if !permits(&parent_acl, perms::DELETE) {
                    return Err(ErrorCode::NoAuth);
                }
                if *version != -1 && node.version != *version {
                    return Err(ErrorCode::BadVersion);
                }
                if node.num_children > 0 {
                    return Err(ErrorCode::NotEmpty);
                }
                let cversion = match tree.version() {
                    ZkVersion::V3_3 => parent.cversion + 1,
                    ZkVersion::V3_5 => parent.cversion,
                };
                self.record(
                    parent_path,
                    zxid,
                    Some(Stat {
                        cversion,
                        num_children: parent.num_children - 1,
                        pzxid: zxid,
                        ..parent
                    }),
                    parent_acl,
                );
                self.record(path, zxid, None, Vec::new());
                Ok(Txn::Delete { path: path.clone() })
            }
            WriteOp::SetData {
                path,
                data,
                version,
            } => {
                let (node, node_acl) = self.checked(tree, path, perms::WRITE)?;
                if *version != -1 && node.version != *version {
                    return Err(ErrorCode::BadVersion);
                }
                let new_version = node.version + 1;
                self.record(
                    path,
                    zxid,
                    Some(Stat {
                        version: new_version,
                        mzxid: zxid,
                        data_length: data.as_ref().map_or(0, |d| d.len() as i32),
                        ..node
                    }),
                    node_acl,
                );
                Ok(Txn::SetData {
                    path: path.clone(),
                    data: data.clone(),
                    version: new_version,
                })
            }
            WriteOp::SetAcl { path, acl, version } => {
                if acl.is_empty() || !acl.iter().all(Acl::is_valid) {
                    return Err(ErrorCode::InvalidAcl);
                }
                let (node, _) = self.checked(tree, path, perms::ADMIN)?;
                if *version != -1 && node.aversion != *version {
                    return Err(ErrorCode::BadVersion);
                }
                let new_version = node.aversion + 1;
                self.record(
                    path,
                    zxid,
                    Some(Stat {
                        aversion: new_version,
                        ..node
                    }),
                    acl.clone(),
                );
                Ok(Txn::SetAcl {
                    path: path.clone(),
                    acl: acl.clone(),
                    version: new_version,
                })
            }
            WriteOp::Check { path, version } => {
                let (node, _) = self.checked(tree, path, perms::READ)?;
                if *version != -1 && node.version != *version {
                    return Err(ErrorCode::BadVersion);
                }
                Ok(Txn::Check {
                    path: path.clone(),
                    version: *version,
                })
            }
            WriteOp::Multi(_) => Err(ErrorCode::BadArguments),
        }
    }
}
