//! A standalone ZooKeeper server of each release in the simulator, driven by
//! client processes: what it prints, what it answers, what it keeps on disk,
//! how sessions expire and survive a restart, and the four-letter words.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

mod common;

use common::{spawn_four_letters, start_server, KAFKA_HOME};
use coord::client::{ClientEvent, ZkClient};
use coord::proto::{Op, ReplyBody};
use coord::{CreateMode, ErrorCode, EventType, KeeperState, ZkVersion};
use sim::{
    Context, Event, Process, ProcessId, Signal, SimTime, Stdio, TimerKind, World, WorldConfig,
};

const CONFIG: &str =
    "dataDir=/tmp/zookeeper\nclientPort=2181\nmaxClientCnxns=0\nadmin.enableServer=false\n";

fn world() -> World {
    let w = World::new(WorldConfig::playground(7, WorldConfig::DEFAULT_START_TIME));
    for host in ["kafka-1", "kafka-2", "kafka-3"] {
        let fs = w.host_fs(host).unwrap();
        let mut fs = fs.borrow_mut();
        fs.create_dir_all(&format!("{KAFKA_HOME}/config")).unwrap();
        fs.write(
            &format!("{KAFKA_HOME}/config/zookeeper.properties"),
            CONFIG.into(),
        )
        .unwrap();
    }
    w
}

fn run_for(w: &mut World, seconds: f64) {
    w.run_for(Duration::from_secs_f64(seconds));
}

/// Console lines without their timestamps.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_once("] ").map_or(l, |(_, rest)| rest).to_owned())
        .collect()
}

type Log = Rc<RefCell<Vec<String>>>;

enum Step {
    Do(Op),
    Sleep(u64),
    Close,
}

/// A client process that runs its steps one after another and notes what it hears.
struct Script {
    client: ZkClient,
    steps: VecDeque<Step>,
    log: Log,
    busy: bool,
}

impl Script {
    fn new(version: ZkVersion, steps: Vec<Step>, log: &Log) -> Script {
        Script {
            client: ZkClient::new(version, "kafka-1:2181", 30_000),
            steps: steps.into(),
            log: log.clone(),
            busy: false,
        }
    }

    fn next(&mut self, ctx: &mut Context<'_>) {
        if self.busy || !self.client.is_connected() {
            return;
        }
        match self.steps.pop_front() {
            Some(Step::Do(op)) => {
                self.busy = true;
                let (_, events) = self.client.submit(ctx, op);
                self.events(ctx, events);
            }
            Some(Step::Sleep(ms)) => {
                self.busy = true;
                ctx.set_timer(Duration::from_millis(ms), 7, TimerKind::OneShot);
            }
            Some(Step::Close) => {
                let events = self.client.close(ctx);
                self.events(ctx, events);
            }
            None => {}
        }
    }

    fn events(&mut self, ctx: &mut Context<'_>, events: Vec<ClientEvent>) {
        for e in events {
            match e {
                ClientEvent::State(state) => {
                    self.log
                        .borrow_mut()
                        .push(format!("state {}", state.name()));
                    if state == KeeperState::Closed || state == KeeperState::Expired {
                        ctx.exit(0);
                    }
                }
                ClientEvent::Watch { event, path } => self
                    .log
                    .borrow_mut()
                    .push(format!("watch {} {path}", event.name())),
                ClientEvent::Reply { op, result, .. } => {
                    self.busy = false;
                    let text = match result {
                        Ok(ReplyBody::Created { path }) => format!("created {path}"),
                        Ok(ReplyBody::Data { data, stat }) => format!(
                            "data {:?} version {}",
                            data.map(|d| String::from_utf8_lossy(&d).into_owned()),
                            stat.version
                        ),
                        Ok(ReplyBody::Children { children, .. }) => {
                            format!("children {children:?}")
                        }
                        Ok(ReplyBody::Stat(stat)) => {
                            format!("stat version {} czxid 0x{:x}", stat.version, stat.czxid)
                        }
                        Ok(ReplyBody::Multi(results)) => format!("multi {results:?}"),
                        Ok(_) => "ok".to_owned(),
                        Err(e) => e.to_string(),
                    };
                    self.log
                        .borrow_mut()
                        .push(format!("{} {}", op.name(), text));
                }
                ClientEvent::Log { .. } => {}
            }
        }
        self.next(ctx);
    }
}

impl Process for Script {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        let events = match event {
            Event::Start => self.client.start(ctx),
            Event::Timer(7) => {
                self.busy = false;
                Vec::new()
            }
            event => self.client.handle(ctx, event).unwrap_or_default(),
        };
        self.events(ctx, events);
    }
}

fn script(w: &mut World, host: &str, version: ZkVersion, steps: Vec<Step>) -> (ProcessId, Log) {
    let log = Log::default();
    let pid = w.spawn(
        host,
        vec!["script".into()],
        "/",
        Stdio::Capture,
        Box::new(Script::new(version, steps, &log)),
    );
    (pid, log)
}

fn texts(log: &Log) -> Vec<String> {
    log.borrow().clone()
}

#[test]
fn each_release_starts_as_its_console_shows() {
    let mut w = world();
    let server = start_server(&mut w, "kafka-1", ZkVersion::V3_3);
    run_for(&mut w, 1.0);
    let out = lines(&w.take_output(&server).0);
    assert_eq!(out[..4], [
        "INFO Reading configuration from: config/zookeeper.properties (org.apache.zookeeper.server.quorum.QuorumPeerConfig)",
        "WARN Either no config or no quorum defined in config, running  in standalone mode (org.apache.zookeeper.server.quorum.QuorumPeerMain)",
        "INFO Reading configuration from: config/zookeeper.properties (org.apache.zookeeper.server.quorum.QuorumPeerConfig)",
        "INFO Starting server (org.apache.zookeeper.server.ZooKeeperServerMain)",
    ]);
    assert_eq!(out[4], "INFO Server environment:zookeeper.version=3.3.3-1203054, built on 11/17/2011 05:47 GMT (org.apache.zookeeper.server.ZooKeeperServer)");
    assert_eq!(out.len(), 4 + 15 + 5);
    assert_eq!(
        out[19..],
        [
            "INFO tickTime set to 3000 (org.apache.zookeeper.server.ZooKeeperServer)",
            "INFO minSessionTimeout set to -1 (org.apache.zookeeper.server.ZooKeeperServer)",
            "INFO maxSessionTimeout set to -1 (org.apache.zookeeper.server.ZooKeeperServer)",
            "INFO binding to port 0.0.0.0/0.0.0.0:2181 (org.apache.zookeeper.server.NIOServerCnxn)",
            "INFO Snapshotting: 0 (org.apache.zookeeper.server.persistence.FileTxnSnapLog)",
        ]
    );
    let fs = w.host_fs("kafka-1").unwrap();
    assert_eq!(
        fs.borrow()
            .read("/tmp/zookeeper/version-2/snapshot.0")
            .unwrap()
            .len(),
        296
    );

    let mut w = world();
    let server = start_server(&mut w, "kafka-1", ZkVersion::V3_5);
    run_for(&mut w, 1.0);
    let out = lines(&w.take_output(&server).0);
    let snapshotting: Vec<&String> = out
        .iter()
        .filter(|l| l.starts_with("INFO Snapshotting"))
        .collect();
    assert_eq!(snapshotting, ["INFO Snapshotting: 0x0 to /tmp/zookeeper/version-2/snapshot.0 (org.apache.zookeeper.server.persistence.FileTxnSnapLog)"; 2]);
    assert!(out.contains(&"INFO Created server with tickTime 3000 minSessionTimeout 6000 maxSessionTimeout 60000 datadir /tmp/zookeeper/version-2 snapdir /tmp/zookeeper/version-2 (org.apache.zookeeper.server.ZooKeeperServer)".to_owned()));
    assert_eq!(out.last().unwrap(), "INFO Using checkIntervalMs=60000 maxPerMinute=10000 (org.apache.zookeeper.server.ContainerManager)");
    assert_eq!(
        w.host_fs("kafka-1")
            .unwrap()
            .borrow()
            .read("/tmp/zookeeper/version-2/snapshot.0")
            .unwrap()
            .len(),
        424
    );

    // A second server on the same port.
    let again = start_server(&mut w, "kafka-1", ZkVersion::V3_5);
    run_for(&mut w, 1.0);
    assert_eq!(w.exit_status(&again), Some(1));
    let out = w.take_output(&again).0;
    assert!(out.contains("ERROR Unexpected exception, exiting abnormally (org.apache.zookeeper.server.ZooKeeperServerMain)\njava.net.BindException: Address already in use\n"), "{out}");
}

#[test]
fn clients_create_read_watch_and_see_zookeepers_errors() {
    for version in [ZkVersion::V3_3, ZkVersion::V3_5] {
        let mut w = world();
        start_server(&mut w, "kafka-1", version);
        run_for(&mut w, 1.0);
        let (_, watcher) = script(
            &mut w,
            "kafka-2",
            version,
            vec![
                Step::Do(Op::Exists {
                    path: "/w".into(),
                    watch: true,
                }),
                Step::Do(Op::GetChildren {
                    path: "/".into(),
                    watch: true,
                    with_stat: false,
                }),
            ],
        );
        run_for(&mut w, 1.0);
        let (_, log) = script(
            &mut w,
            "kafka-3",
            version,
            vec![
                Step::Do(Op::create("/w", Some(b"v1"), CreateMode::Persistent)),
                Step::Do(Op::create("/w", Some(b"v2"), CreateMode::Persistent)),
                Step::Do(Op::create("/w/s-", None, CreateMode::PersistentSequential)),
                Step::Do(Op::create("/w/s-", None, CreateMode::EphemeralSequential)),
                Step::Do(Op::GetData {
                    path: "/w".into(),
                    watch: false,
                }),
                Step::Do(Op::set_data("/w", Some(b"v3"), 5)),
                Step::Do(Op::set_data("/w", Some(b"v3"), 0)),
                Step::Do(Op::delete("/w", -1)),
                Step::Do(Op::create("/x/y", None, CreateMode::Persistent)),
                Step::Do(Op::GetData {
                    path: "/nope".into(),
                    watch: false,
                }),
                Step::Close,
            ],
        );
        run_for(&mut w, 5.0);
        assert_eq!(
            texts(&log),
            [
                "state SyncConnected".to_owned(),
                "create created /w".into(),
                "create KeeperErrorCode = NodeExists for /w".into(),
                "create created /w/s-0000000000".into(),
                "create created /w/s-0000000001".into(),
                "getData data Some(\"v1\") version 0".into(),
                "setData KeeperErrorCode = BadVersion for /w".into(),
                "setData stat version 1 czxid 0x3".into(),
                "delete KeeperErrorCode = Directory not empty for /w".into(),
                "create KeeperErrorCode = NoNode for /x/y".into(),
                "getData KeeperErrorCode = NoNode for /nope".into(),
            ]
            .into_iter()
            .chain((version >= ZkVersion::V3_5).then(|| "state Closed".to_owned()))
            .collect::<Vec<_>>(),
            "{version:?}"
        );
        assert_eq!(
            texts(&watcher)[..],
            [
                "state SyncConnected",
                "exists KeeperErrorCode = NoNode for /w",
                "getChildren children [\"zookeeper\"]",
                "watch NodeCreated /w",
                "watch NodeChildrenChanged /",
            ],
            "{version:?}"
        );
    }
}

#[test]
fn an_expired_session_takes_its_ephemerals_and_a_restart_keeps_the_rest() {
    for version in [ZkVersion::V3_3, ZkVersion::V3_5] {
        let mut w = world();
        let server = start_server(&mut w, "kafka-1", version);
        run_for(&mut w, 1.0);
        let (owner, _) = script(
            &mut w,
            "kafka-2",
            version,
            vec![
                Step::Do(Op::create("/kept", Some(b"data"), CreateMode::Persistent)),
                Step::Do(Op::create("/gone", None, CreateMode::Ephemeral)),
                Step::Sleep(1_000_000),
            ],
        );
        run_for(&mut w, 2.0);
        w.signal(&owner, Signal::Kill);
        // The client's 30 s request became 30 s; expiry comes within a tick after.
        run_for(&mut w, 29.0);
        let (_, early) = script(
            &mut w,
            "kafka-3",
            version,
            vec![
                Step::Do(Op::Exists {
                    path: "/gone".into(),
                    watch: false,
                }),
                Step::Close,
            ],
        );
        run_for(&mut w, 1.0);
        assert_eq!(texts(&early)[1], "exists stat version 0 czxid 0x3");
        run_for(&mut w, 5.0);
        let out = w.take_output(&server).0;
        assert!(out.contains("Expiring session 0x"), "{out}");
        assert!(out.contains(
            ", timeout of 30000ms exceeded (org.apache.zookeeper.server.ZooKeeperServer)"
        ));

        // Kill -9 the server, start it again: the data is read back.
        w.signal(&server, Signal::Kill);
        let server = start_server(&mut w, "kafka-1", version);
        run_for(&mut w, 1.0);
        let out = w.take_output(&server).0;
        assert!(
            out.contains("Reading snapshot /tmp/zookeeper/version-2/snapshot.0"),
            "{out}"
        );
        let (_, after) = script(
            &mut w,
            "kafka-3",
            version,
            vec![
                Step::Do(Op::GetData {
                    path: "/kept".into(),
                    watch: false,
                }),
                Step::Do(Op::Exists {
                    path: "/gone".into(),
                    watch: false,
                }),
                Step::Close,
            ],
        );
        run_for(&mut w, 2.0);
        assert_eq!(
            texts(&after)[1..3],
            [
                "getData data Some(\"data\") version 0",
                "exists KeeperErrorCode = NoNode for /gone"
            ]
        );
        let fs = w.host_fs("kafka-1").unwrap();
        let listing: Vec<String> = fs
            .borrow()
            .list("/tmp/zookeeper/version-2")
            .unwrap()
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        assert!(
            listing.contains(&"log.1".to_owned())
                && listing
                    .iter()
                    .any(|n| n.starts_with("snapshot.") && n != "snapshot.0"),
            "{listing:?}"
        );
        let log1 = fs
            .borrow()
            .lookup("/tmp/zookeeper/version-2/log.1")
            .unwrap()
            .clone();
        let sim::fs::Node::File(f) = log1 else {
            panic!()
        };
        assert_eq!(f.size(), Some(67_108_880));
    }
}

#[test]
fn a_session_survives_a_server_restart_shorter_than_its_timeout() {
    let version = ZkVersion::V3_5;
    let mut w = world();
    let server = start_server(&mut w, "kafka-1", version);
    run_for(&mut w, 1.0);
    let (_, log) = script(
        &mut w,
        "kafka-2",
        version,
        vec![
            Step::Do(Op::create("/eph", None, CreateMode::Ephemeral)),
            Step::Do(Op::Exists {
                path: "/eph".into(),
                watch: true,
            }),
            Step::Sleep(20_000),
            Step::Do(Op::Exists {
                path: "/eph".into(),
                watch: false,
            }),
        ],
    );
    run_for(&mut w, 2.0);
    w.signal(&server, Signal::Kill);
    run_for(&mut w, 5.0);
    start_server(&mut w, "kafka-1", version);
    run_for(&mut w, 20.0);
    let seen = texts(&log);
    assert_eq!(
        seen[..3],
        [
            "state SyncConnected",
            "create created /eph",
            "exists stat version 0 czxid 0x2"
        ]
    );
    assert!(seen.contains(&"state Disconnected".to_owned()), "{seen:?}");
    assert_eq!(
        seen.iter().filter(|s| *s == "state SyncConnected").count(),
        2,
        "the same session, reconnected: {seen:?}"
    );
    assert_eq!(
        seen.last().unwrap(),
        "exists stat version 0 czxid 0x2",
        "its ephemeral is still there"
    );
}

/// `echo <word> | nc localhost 2181`: what comes back.
fn nc(w: &mut World, word: &'static str) -> String {
    let answer = spawn_four_letters(w, "kafka-1", "localhost", word);
    run_for(w, 0.5);
    answer.take()
}

#[test]
fn four_letter_words_answer_as_each_release_does() {
    let mut w = world();
    start_server(&mut w, "kafka-1", ZkVersion::V3_3);
    run_for(&mut w, 1.0);
    assert_eq!(nc(&mut w, "ruok"), "imok");
    assert_eq!(nc(&mut w, "srvr"), "Zookeeper version: 3.3.3-1203054, built on 11/17/2011 05:47 GMT\nLatency min/avg/max: 0/0/0\nReceived: 2\nSent: 0\nOutstanding: 0\nZxid: 0x0\nMode: standalone\nNode count: 4\n");
    assert_eq!(nc(&mut w, "mntr"), "", "3.3 does not know mntr: no answer");

    let mut w = world();
    start_server(&mut w, "kafka-1", ZkVersion::V3_5);
    run_for(&mut w, 1.0);
    assert_eq!(
        nc(&mut w, "ruok"),
        "ruok is not executed because it is not in the whitelist.\n"
    );
    assert_eq!(nc(&mut w, "srvr"), "Zookeeper version: 3.5.9-83df9301aa5c2a5d284a9940177808c01bc35cef, built on 01/06/2021 20:03 GMT\nLatency min/avg/max: 0/0/0\nReceived: 2\nSent: 0\nConnections: 1\nOutstanding: 0\nZxid: 0x0\nMode: standalone\nNode count: 5\n");
    let _ = (SimTime::default(), EventType::None, ErrorCode::NoNode);
}
