//! The data tree against a simple model: any sequence of creates (every
//! mode), deletes, setData, checks, multis and session closes gives the
//! model's results, stats and tree — whether each write is applied before
//! the next is prepared, or many are prepared before any is applied (a
//! leader with proposals in flight).

use std::collections::BTreeMap;

use bytes::Bytes;
use coord::{
    Acl, CreateMode, DataTree, ErrorCode, Outstanding, Txn, TxnHeader, WriteOp, ZkVersion,
};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Step {
    Write { session: i64, op: WriteOp },
    Close { session: i64 },
}

const PATHS: [&str; 6] = ["/a", "/a/b", "/a/b/c", "/b", "/a/s", "/b/e"];

fn write_op() -> impl Strategy<Value = WriteOp> {
    let path = prop::sample::select(PATHS.to_vec()).prop_map(str::to_owned);
    let version = prop::sample::select(vec![-1, 0, 1, 2]);
    let mode = prop::sample::select(vec![
        CreateMode::Persistent,
        CreateMode::Ephemeral,
        CreateMode::PersistentSequential,
        CreateMode::EphemeralSequential,
    ]);
    let data = prop::option::of(prop::collection::vec(any::<u8>(), 0..4).prop_map(Bytes::from));
    prop_oneof![
        4 => (path.clone(), data.clone(), mode).prop_map(|(path, data, mode)| WriteOp::Create { path, data, acl: Acl::open(), mode }),
        2 => (path.clone(), version.clone()).prop_map(|(path, version)| WriteOp::Delete { path, version }),
        2 => (path.clone(), data, version.clone()).prop_map(|(path, data, version)| WriteOp::SetData { path, data, version }),
        1 => (path, version).prop_map(|(path, version)| WriteOp::Check { path, version }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => (1i64..3, write_op()).prop_map(|(session, op)| Step::Write { session, op }),
        2 => (1i64..3, prop::collection::vec(write_op(), 1..4)).prop_map(|(session, ops)| Step::Write { session, op: WriteOp::Multi(ops) }),
        1 => (1i64..3).prop_map(|session| Step::Close { session }),
    ]
}

/// The model: each node's data, stat fields and children, kept the plain way.
#[derive(Clone, Debug, PartialEq)]
struct MNode {
    data: Option<Bytes>,
    version: i32,
    cversion: i32,
    owner: i64,
    czxid: i64,
    mzxid: i64,
    pzxid: i64,
}

#[derive(Clone, Debug)]
struct Model {
    nodes: BTreeMap<String, MNode>,
    /// 3.5 keeps `cversion` as a count of creates (deletes leave it).
    creates_only: bool,
}

fn parent(path: &str) -> String {
    match path.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => path[..i].into(),
        None => "/".into(),
    }
}

impl Model {
    fn new(version: ZkVersion) -> Model {
        let mut m = Model {
            nodes: BTreeMap::new(),
            creates_only: version == ZkVersion::V3_5,
        };
        let mut system = vec!["/", "/zookeeper", "/zookeeper/quota"];
        if m.creates_only {
            system.push("/zookeeper/config");
        }
        for p in system {
            m.nodes.insert(
                p.into(),
                MNode {
                    data: Some(Bytes::new()),
                    version: 0,
                    cversion: 0,
                    owner: 0,
                    czxid: 0,
                    mzxid: 0,
                    pzxid: 0,
                },
            );
        }
        m
    }

    fn children(&self, path: &str) -> usize {
        self.nodes
            .keys()
            .filter(|p| p.as_str() != "/" && parent(p) == path)
            .count()
    }

    /// One op; on error the model is unchanged (multis are all or nothing).
    fn apply(&mut self, session: i64, zxid: i64, op: &WriteOp) -> Result<(), ErrorCode> {
        match op {
            WriteOp::Create {
                path, data, mode, ..
            } => {
                let par = parent(path);
                let pnode = self.nodes.get(&par).ok_or(ErrorCode::NoNode)?.clone();
                let full = if mode.is_sequential() {
                    format!("{path}{:010}", pnode.cversion)
                } else {
                    path.clone()
                };
                if self.nodes.contains_key(&full) {
                    return Err(ErrorCode::NodeExists);
                }
                if pnode.owner != 0 {
                    return Err(ErrorCode::NoChildrenForEphemerals);
                }
                let p = self.nodes.get_mut(&par).unwrap();
                p.cversion += 1;
                p.pzxid = zxid;
                let owner = if mode.is_ephemeral() { session } else { 0 };
                self.nodes.insert(
                    full,
                    MNode {
                        data: data.clone(),
                        version: 0,
                        cversion: 0,
                        owner,
                        czxid: zxid,
                        mzxid: zxid,
                        pzxid: zxid,
                    },
                );
                Ok(())
            }
            WriteOp::Delete { path, version } => {
                if path.starts_with("/zookeeper") {
                    return Err(ErrorCode::BadArguments);
                }
                self.nodes.get(&parent(path)).ok_or(ErrorCode::NoNode)?;
                let node = self.nodes.get(path).ok_or(ErrorCode::NoNode)?;
                if *version != -1 && node.version != *version {
                    return Err(ErrorCode::BadVersion);
                }
                if self.children(path) > 0 {
                    return Err(ErrorCode::NotEmpty);
                }
                self.remove(path, zxid);
                Ok(())
            }
            WriteOp::SetData {
                path,
                data,
                version,
            } => {
                let node = self.nodes.get_mut(path).ok_or(ErrorCode::NoNode)?;
                if *version != -1 && node.version != *version {
                    return Err(ErrorCode::BadVersion);
                }
                node.version += 1;
                node.data = data.clone();
                node.mzxid = zxid;
                Ok(())
            }
            WriteOp::Check { path, version } => {
                let node = self.nodes.get(path).ok_or(ErrorCode::NoNode)?;
                if *version != -1 && node.version != *version {
                    return Err(ErrorCode::BadVersion);
                }
                Ok(())
            }
            WriteOp::SetAcl { .. } => unreachable!("not generated"),
            WriteOp::Multi(ops) => {
                let saved = self.nodes.clone();
                for op in ops {
                    if let Err(e) = self.apply(session, zxid, op) {
                        self.nodes = saved;
                        return Err(e);
                    }
                }
                Ok(())
            }
        }
    }

    fn remove(&mut self, path: &str, zxid: i64) {
        self.nodes.remove(path);
        let creates_only = self.creates_only;
        let p = self.nodes.get_mut(&parent(path)).unwrap();
        if !creates_only {
            p.cversion += 1;
        }
        p.pzxid = zxid;
    }

    fn close(&mut self, session: i64, zxid: i64) {
        let owned: Vec<String> = self
            .nodes
            .iter()
            .filter(|(_, n)| n.owner == session)
            .map(|(p, _)| p.clone())
            .collect();
        for path in owned {
            self.remove(&path, zxid);
        }
    }
}

/// The error a transaction stands for (a multi's failing op's).
fn outcome(txn: &Txn) -> Result<(), ErrorCode> {
    match txn {
        Txn::Error(code) => Err(*code),
        Txn::Multi(txns) => match txns.iter().find_map(|t| match t {
            Txn::Error(c) if *c != ErrorCode::RuntimeInconsistency => Some(*c),
            _ => None,
        }) {
            Some(code) => Err(code),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

fn header(session: i64, zxid: i64) -> TxnHeader {
    TxnHeader {
        session,
        cxid: 0,
        zxid,
        time: 1_000 + zxid,
    }
}

fn txn_of(step: &Step, outstanding: &mut Outstanding, tree: &DataTree, zxid: i64) -> (i64, Txn) {
    match step {
        Step::Write { session, op } => (
            *session,
            outstanding.prepare(tree, *session, zxid, 1_000 + zxid, op),
        ),
        Step::Close { session } => (*session, Txn::CloseSession),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_tree_matches_the_model_applied_at_once_or_pipelined(steps in prop::collection::vec(step(), 1..40), new in any::<bool>()) {
        let version = if new { ZkVersion::V3_5 } else { ZkVersion::V3_3 };
        // Applied at once, checked against the model.
        let mut tree = DataTree::new(version);
        let mut outstanding = Outstanding::default();
        let mut model = Model::new(version);
        let mut txns = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            let zxid = i as i64 + 1;
            let (session, txn) = txn_of(step, &mut outstanding, &tree, zxid);
            let expected = match step {
                Step::Write { session, op } => model.apply(*session, zxid, op),
                Step::Close { session } => { model.close(*session, zxid); Ok(()) }
            };
            prop_assert_eq!(outcome(&txn), expected, "{:?}", step);
            tree.apply(&header(session, zxid), &txn);
            outstanding.applied(zxid);
            txns.push((session, txn));
        }
        prop_assert!(outstanding.is_empty());
        let ours: BTreeMap<String, MNode> = tree.nodes().map(|(p, n)| {
            let s = n.stat();
            (p.to_owned(), MNode { data: n.data.clone(), version: s.version, cversion: s.cversion, owner: s.ephemeral_owner, czxid: s.czxid, mzxid: s.mzxid, pzxid: s.pzxid })
        }).collect();
        prop_assert_eq!(&ours, &model.nodes);
        for (path, node) in tree.nodes() {
            prop_assert_eq!(node.stat().num_children as usize, model.children(path));
        }

        // Every write prepared before anything is applied: the same transactions.
        // (Session closes are decided by the session tracker, not prepared: they end the pipeline.)
        let mut pipelined = DataTree::new(version);
        let mut outstanding = Outstanding::default();
        let mut batch = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            let zxid = i as i64 + 1;
            if matches!(step, Step::Close { .. }) {
                for (z, s, t) in batch.drain(..) { pipelined.apply(&header(s, z), &t); outstanding.applied(z); }
            }
            let (session, txn) = txn_of(step, &mut outstanding, &pipelined, zxid);
            prop_assert_eq!(&txn, &txns[i].1, "step {}", i);
            if matches!(step, Step::Close { .. }) {
                pipelined.apply(&header(session, zxid), &txn);
                outstanding.applied(zxid);
            } else {
                batch.push((zxid, session, txn));
            }
        }
        for (z, s, t) in batch { pipelined.apply(&header(s, z), &t); }
        prop_assert_eq!(&pipelined, &tree);
    }
}

#[test]
fn sequential_nodes_take_the_parents_cversion_ten_digits_wide() {
    let mut tree = DataTree::new(ZkVersion::V3_5);
    let mut outstanding = Outstanding::default();
    let mut zxid = 0;
    let mut write = |tree: &mut DataTree, op: WriteOp| {
        zxid += 1;
        let txn = outstanding.prepare(tree, 7, zxid, 0, &op);
        tree.apply(&header(7, zxid), &txn).created
    };
    let create = |path: &str, mode| WriteOp::Create {
        path: path.into(),
        data: None,
        acl: Acl::open(),
        mode,
    };
    assert_eq!(
        write(&mut tree, create("/q", CreateMode::Persistent)),
        Some("/q".into())
    );
    assert_eq!(
        write(&mut tree, create("/q/x", CreateMode::Persistent)),
        Some("/q/x".into())
    );
    assert_eq!(
        write(&mut tree, create("/q/n-", CreateMode::PersistentSequential)),
        Some("/q/n-0000000001".into())
    );
    assert_eq!(
        write(&mut tree, create("/q/e-", CreateMode::EphemeralSequential)),
        Some("/q/e-0000000002".into())
    );
    assert_eq!(tree.ephemerals(7), ["/q/e-0000000002"]);
    write(
        &mut tree,
        WriteOp::Delete {
            path: "/q/x".into(),
            version: -1,
        },
    );
    assert_eq!(
        write(&mut tree, create("/q/n-", CreateMode::PersistentSequential)),
        Some("/q/n-0000000003".into()),
        "3.5 counts creates only"
    );
    let q = tree.node("/q").unwrap();
    assert_eq!(
        (q.stat().cversion, tree.client_stat(q).cversion),
        (4, 5),
        "clients see 2*creates - children"
    );
    let root = tree.node("/").unwrap();
    assert_eq!(
        tree.client_stat(root).cversion,
        0,
        "a fresh 3.5 root shows -1; one create later, 0"
    );
    let names: Vec<&str> = root.children().collect();
    assert_eq!(names, ["q", "zookeeper"]);
    let system: Vec<&str> = tree.node("/zookeeper").unwrap().children().collect();
    assert_eq!(system, ["config", "quota"], "3.5 has /zookeeper/config");
    assert_eq!(
        tree.client_stat(DataTree::new(ZkVersion::V3_5).node("/").unwrap())
            .cversion,
        -1
    );
    assert_eq!(
        Outstanding::default().prepare(
            &tree,
            7,
            99,
            0,
            &WriteOp::SetData {
                path: "/zookeeper/config".into(),
                data: None,
                version: -1
            }
        ),
        Txn::Error(ErrorCode::NoAuth),
        "read-only for everyone"
    );
    assert_eq!(
        Outstanding::default().prepare(
            &tree,
            7,
            99,
            0,
            &WriteOp::Delete {
                path: "/zookeeper".into(),
                version: -1
            }
        ),
        Txn::Error(ErrorCode::BadArguments)
    );
}

#[test]
fn watches_fire_once_for_the_changes_they_watch() {
    use coord::{EventType, WatchKind};
    let mut tree = DataTree::new(ZkVersion::V3_3);
    let mut outstanding = Outstanding::default();
    tree.watches.add("/w", WatchKind::Data, 1); // exists on a missing node
    tree.watches.add("/", WatchKind::Child, 2);
    let create = WriteOp::Create {
        path: "/w".into(),
        data: None,
        acl: Acl::open(),
        mode: CreateMode::Persistent,
    };
    let txn = outstanding.prepare(&tree, 9, 1, 0, &create);
    let applied = tree.apply(&header(9, 1), &txn);
    assert_eq!(
        applied.fired,
        [
            (1, "/w".into(), EventType::NodeCreated),
            (2, "/".into(), EventType::NodeChildrenChanged)
        ]
    );
    let set = WriteOp::SetData {
        path: "/w".into(),
        data: Some(Bytes::from_static(b"x")),
        version: -1,
    };
    let txn = outstanding.prepare(&tree, 9, 2, 0, &set);
    assert!(
        tree.apply(&header(9, 2), &txn).fired.is_empty(),
        "one-shot: already fired"
    );
    tree.watches.add("/w", WatchKind::Data, 1);
    tree.watches.add("/w", WatchKind::Child, 1);
    tree.watches.add("/w", WatchKind::Child, 3);
    let delete = WriteOp::Delete {
        path: "/w".into(),
        version: 1,
    };
    let txn = outstanding.prepare(&tree, 9, 3, 0, &delete);
    let applied = tree.apply(&header(9, 3), &txn);
    assert_eq!(
        applied.fired,
        [
            (1, "/w".into(), EventType::NodeDeleted),
            (3, "/w".into(), EventType::NodeDeleted)
        ],
        "once per session"
    );
}

#[test]
fn a_failed_multi_changes_nothing_and_reports_each_op() {
    let mut tree = DataTree::new(ZkVersion::V3_5);
    let mut outstanding = Outstanding::default();
    let ops = WriteOp::Multi(vec![
        WriteOp::Create {
            path: "/m".into(),
            data: None,
            acl: Acl::open(),
            mode: CreateMode::Persistent,
        },
        WriteOp::Delete {
            path: "/nope".into(),
            version: -1,
        },
        WriteOp::Create {
            path: "/m2".into(),
            data: None,
            acl: Acl::open(),
            mode: CreateMode::Persistent,
        },
    ]);
    let txn = outstanding.prepare(&tree, 1, 1, 0, &ops);
    let Txn::Multi(subs) = &txn else {
        panic!("{txn:?}")
    };
    assert!(matches!(subs[0], Txn::Create { .. }));
    assert_eq!(subs[1], Txn::Error(ErrorCode::NoNode));
    assert_eq!(subs[2], Txn::Error(ErrorCode::RuntimeInconsistency));
    tree.apply(&header(1, 1), &txn);
    assert!(tree.node("/m").is_none());
    assert!(
        outstanding.prepare(
            &tree,
            1,
            2,
            0,
            &WriteOp::Check {
                path: "/m".into(),
                version: -1
            }
        ) == Txn::Error(ErrorCode::NoNode)
    );
}
