//! Ensembles of three servers of each release in the simulator, with
//! clients spread over them: leader election, majority commit, leader loss,
//! partitions and restarts over many seeds, and ZooKeeper's guarantees
//! checked on the recorded history — no acknowledged write lost, writes in
//! one order, per-session order and read-your-writes, fresh reads after
//! `sync`, and stale reads from followers (allowed, and seen).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::time::Duration;

mod common;

use common::{spawn_four_letters, start_server, KAFKA_HOME};
use coord::client::{ClientEvent, ZkClient};
use coord::proto::{Op, ReplyBody};
use coord::{CreateMode, ErrorCode, KeeperState, ZkVersion};
use sim::{
    Context, Event, LinkConfig, Process, ProcessId, Signal, SimTime, Stdio, TimerKind, World,
    WorldConfig,
};

const SERVERS: [&str; 3] = ["kafka-1", "kafka-2", "kafka-3"];
const CLIENT_HOSTS: [&str; 2] = ["app-1", "app-2"];
const CONNECT: &str = "kafka-1:2181,kafka-2:2181,kafka-3:2181";

fn ensemble_world(seed: u64) -> World {
    let mut config = WorldConfig::playground(seed, WorldConfig::DEFAULT_START_TIME);
    config
        .hosts
        .extend(CLIENT_HOSTS.iter().map(|h| h.to_string()));
    let mut w = World::new(config);
    let zk = "dataDir=/tmp/zookeeper\nclientPort=2181\nmaxClientCnxns=0\ntickTime=2000\ninitLimit=5\nsyncLimit=2\nserver.1=kafka-1:2888:3888\nserver.2=kafka-2:2888:3888\nserver.3=kafka-3:2888:3888\n";
    for (i, host) in SERVERS.iter().enumerate() {
        let fs = w.host_fs(host).unwrap();
        let mut fs = fs.borrow_mut();
        fs.create_dir_all(&format!("{KAFKA_HOME}/config")).unwrap();
        fs.write(
            &format!("{KAFKA_HOME}/config/zookeeper.properties"),
            zk.into(),
        )
        .unwrap();
        fs.create_dir_all("/tmp/zookeeper").unwrap();
        fs.write("/tmp/zookeeper/myid", format!("{}\n", i + 1).into())
            .unwrap();
    }
    // Servers talk over a slower, jittery link than clients to servers, so
    // followers lag behind the leader now and then.
    for (i, a) in SERVERS.iter().enumerate() {
        for b in &SERVERS[i + 1..] {
            w.set_link(
                a,
                b,
                LinkConfig {
                    latency: Duration::from_millis(2),
                    jitter: Duration::from_millis(8),
                    loss: 0.0,
                },
            );
        }
    }
    w
}

/// The servers of an ensemble, with everything each has printed.
struct Ensemble {
    version: ZkVersion,
    pids: BTreeMap<&'static str, ProcessId>,
    console: BTreeMap<&'static str, String>,
}

impl Ensemble {
    fn start(w: &mut World, version: ZkVersion) -> Ensemble {
        let mut e = Ensemble {
            version,
            pids: BTreeMap::new(),
            console: BTreeMap::new(),
        };
        for host in SERVERS {
            e.pids.insert(host, start_server(w, host, version));
        }
        e
    }

    fn collect(&mut self, w: &mut World) {
        for (host, pid) in &self.pids {
            let (out, _) = w.take_output(pid);
            self.console.entry(host).or_default().push_str(&out);
        }
    }

    /// What a server's console last said it was: LOOKING, FOLLOWING or LEADING.
    fn state(&self, host: &str) -> &'static str {
        let text = self.console.get(host).map_or("", |s| s.as_str());
        text.lines()
            .rev()
            .find_map(|l| {
                ["LOOKING", "FOLLOWING", "LEADING"].into_iter().find(|s| {
                    l.ends_with(&format!(
                        "INFO {s} (org.apache.zookeeper.server.quorum.QuorumPeer)"
                    ))
                })
            })
            .unwrap_or("")
    }

    fn leader(&self) -> Option<&'static str> {
        SERVERS.into_iter().find(|h| self.state(h) == "LEADING")
    }

    fn kill(&mut self, w: &mut World, host: &'static str) {
        self.collect(w);
        w.signal(&self.pids[host], Signal::Kill);
    }

    fn restart(&mut self, w: &mut World, host: &'static str) {
        self.collect(w);
        let pid = start_server(w, host, self.version);
        self.pids.insert(host, pid);
    }
}

fn run_for(w: &mut World, e: &mut Ensemble, seconds: f64) {
    let until: SimTime = w.now() + Duration::from_secs_f64(seconds);
    while w.step_until(until).is_some() {}
    w.advance_clock_to(until);
    e.collect(w);
}

fn now_ms(ctx: &Context<'_>) -> i64 {
    ctx.now().unix_millis() as i64
}

// --- the workload ---------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    /// setData /k to a unique value.
    Write(String),
    /// getData /k (after a sync when `synced`).
    Read {
        synced: bool,
    },
    /// create /q/c<client>- sequential, with a unique value.
    Create(String),
    Sync,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Pending,
    /// /k's version (and data, for reads); a created path.
    Version(i32, String),
    Created(String),
    Synced,
    Failed(ErrorCode),
}

#[derive(Clone, Debug)]
struct Record {
    session: i64,
    kind: Kind,
    invoked: i64,
    completed: i64,
    outcome: Outcome,
}

type History = Rc<RefCell<Vec<Record>>>;

/// A client that keeps writing, reading and creating until `stop_ms`.
struct Worker {
    id: usize,
    client: ZkClient,
    history: History,
    /// xid → history index.
    inflight: BTreeMap<i32, usize>,
    stop_ms: i64,
    counter: u32,
    waiting: bool,
    watch_log: Option<Rc<RefCell<Vec<String>>>>,
}

const THINK: u64 = 7;

impl Worker {
    fn submit(&mut self, ctx: &mut Context<'_>, kind: Kind, op: Op) -> Vec<ClientEvent> {
        let index = {
            let mut h = self.history.borrow_mut();
            h.push(Record {
                session: self.client.session_id(),
                kind,
                invoked: now_ms(ctx),
                completed: 0,
                outcome: Outcome::Pending,
            });
            h.len() - 1
        };
        let (xid, events) = self.client.submit(ctx, op);
        self.inflight.insert(xid, index);
        events
    }

    fn next(&mut self, ctx: &mut Context<'_>) -> Vec<ClientEvent> {
        if self.waiting || !self.inflight.is_empty() || !self.client.is_connected() {
            return Vec::new();
        }
        if now_ms(ctx) >= self.stop_ms {
            return Vec::new();
        }
        self.counter += 1;
        let value = format!("c{}-{}", self.id, self.counter);
        match ctx.random_below(10) {
            0..=2 => self.submit(
                ctx,
                Kind::Write(value.clone()),
                Op::set_data("/k", Some(value.as_bytes()), -1),
            ),
            3..=5 => self.submit(
                ctx,
                Kind::Read { synced: false },
                Op::GetData {
                    path: "/k".into(),
                    watch: false,
                },
            ),
            6..=7 => self.submit(
                ctx,
                Kind::Create(value.clone()),
                Op::create(
                    &format!("/q/c{}-", self.id),
                    Some(value.as_bytes()),
                    CreateMode::PersistentSequential,
                ),
            ),
            _ => {
                let mut events = self.submit(ctx, Kind::Sync, Op::Sync { path: "/k".into() });
                events.extend(self.submit(
                    ctx,
                    Kind::Read { synced: true },
                    Op::GetData {
                        path: "/k".into(),
                        watch: false,
                    },
                ));
                events
            }
        }
    }

    fn events(&mut self, ctx: &mut Context<'_>, mut events: Vec<ClientEvent>) {
        while !events.is_empty() {
            for e in std::mem::take(&mut events) {
                match e {
                    ClientEvent::Reply { xid, result, .. } => {
                        let Some(index) = self.inflight.remove(&xid) else {
                            continue;
                        };
                        let mut h = self.history.borrow_mut();
                        let r = &mut h[index];
                        r.completed = now_ms(ctx);
                        r.outcome = match result {
                            Ok(ReplyBody::Stat(stat)) => {
                                Outcome::Version(stat.version, String::new())
                            }
                            Ok(ReplyBody::Data { data, stat }) => Outcome::Version(
                                stat.version,
                                data.map(|d| String::from_utf8_lossy(&d).into_owned())
                                    .unwrap_or_default(),
                            ),
                            Ok(ReplyBody::Created { path }) => Outcome::Created(path),
                            Ok(ReplyBody::Synced { .. }) => Outcome::Synced,
                            Ok(other) => panic!("unexpected {other:?}"),
                            Err(e) => Outcome::Failed(e.code),
                        };
                        if r.session == 0 {
                            r.session = self.client.session_id();
                        }
                        if self.inflight.is_empty() {
                            self.waiting = true;
                            let think = 1 + ctx.random_below(40);
                            ctx.set_timer(Duration::from_millis(think), THINK, TimerKind::OneShot);
                        }
                    }
                    ClientEvent::State(state) => {
                        if state == KeeperState::SyncConnected {
                            events.extend(self.next(ctx));
                        }
                        if let Some(log) = &self.watch_log {
                            log.borrow_mut().push(format!("state {}", state.name()));
                        }
                    }
                    ClientEvent::Watch { event, path } => {
                        if let Some(log) = &self.watch_log {
                            log.borrow_mut()
                                .push(format!("watch {} {path}", event.name()));
                        }
                    }
                    ClientEvent::Log { .. } => {}
                }
            }
        }
    }
}

impl Process for Worker {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        let events = match event {
            Event::Start => self.client.start(ctx),
            Event::Timer(THINK) => {
                self.waiting = false;
                self.next(ctx)
            }
            event => self.client.handle(ctx, event).unwrap_or_default(),
        };
        self.events(ctx, events);
    }
}

/// `connect` with the hosts in a seed-chosen order (ZooKeeper's client shuffles them).
fn shuffled_connect(w: &mut World) -> String {
    let mut hosts: Vec<&str> = CONNECT.split(',').collect();
    for i in (1..hosts.len()).rev() {
        let j = w.random_below(i as u64 + 1) as usize;
        hosts.swap(i, j);
    }
    hosts.join(",")
}

fn spawn_worker(
    w: &mut World,
    id: usize,
    version: ZkVersion,
    history: &History,
    stop_ms: i64,
) -> ProcessId {
    let connect = shuffled_connect(w);
    let worker = Worker {
        id,
        client: ZkClient::new(version, &connect, 10_000),
        history: history.clone(),
        inflight: BTreeMap::new(),
        stop_ms,
        counter: 0,
        waiting: false,
        watch_log: None,
    };
    w.spawn(
        CLIENT_HOSTS[id % 2],
        vec!["worker".into()],
        "/",
        Stdio::Null,
        Box::new(worker),
    )
}

/// A client that sends a list of requests once connected (after a delay),
/// and records the answers and the watches that fire.
struct Probe {
    client: ZkClient,
    ops: Vec<Op>,
    delay_ms: u64,
    answers: Rc<RefCell<Vec<Result<ReplyBody, ErrorCode>>>>,
    watches: Rc<RefCell<Vec<String>>>,
    sent: bool,
    /// Stays (and keeps its session) after the answers.
    stay: bool,
}

const SEND: u64 = 11;

impl Probe {
    fn new(version: ZkVersion, connect: &str, timeout_ms: i32, ops: Vec<Op>) -> Probe {
        Probe {
            client: ZkClient::new(version, connect, timeout_ms),
            ops,
            delay_ms: 0,
            answers: Rc::default(),
            watches: Rc::default(),
            sent: false,
            stay: false,
        }
    }
}

impl Process for Probe {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        let events = match event {
            Event::Start => self.client.start(ctx),
            Event::Timer(SEND) => {
                let mut events = Vec::new();
                for op in self.ops.clone() {
                    events.extend(self.client.submit(ctx, op).1);
                }
                events
            }
            event => self.client.handle(ctx, event).unwrap_or_default(),
        };
        for e in events {
            match e {
                ClientEvent::State(KeeperState::SyncConnected) if !self.sent => {
                    self.sent = true;
                    ctx.set_timer(
                        Duration::from_millis(self.delay_ms),
                        SEND,
                        TimerKind::OneShot,
                    );
                }
                ClientEvent::Watch { event, path } => {
                    self.watches
                        .borrow_mut()
                        .push(format!("{} {path}", event.name()));
                }
                ClientEvent::Reply { result, .. } => {
                    let mut answers = self.answers.borrow_mut();
                    answers.push(result.map_err(|e| e.code));
                    if answers.len() == self.ops.len() && !self.stay {
                        ctx.exit(0);
                    }
                }
                _ => {}
            }
        }
    }
}

fn probe(
    w: &mut World,
    e: &mut Ensemble,
    connect: &str,
    ops: Vec<Op>,
) -> Vec<Result<ReplyBody, ErrorCode>> {
    let probe = Probe::new(e.version, connect, 10_000, ops);
    let answers = probe.answers.clone();
    let pid = w.spawn(
        "app-1",
        vec!["probe".into()],
        "/",
        Stdio::Null,
        Box::new(probe),
    );
    for _ in 0..40 {
        run_for(w, e, 0.5);
        if !w.is_running(&pid) {
            break;
        }
    }
    w.signal(&pid, Signal::Kill);
    answers.take()
}

/// Asks a server a four-letter word.
fn four_letters(w: &mut World, e: &mut Ensemble, host: &'static str, word: &'static str) -> String {
    let answer = spawn_four_letters(w, "app-2", host, word);
    run_for(w, e, 0.2);
    answer.take()
}

fn mode(w: &mut World, e: &mut Ensemble, host: &'static str) -> String {
    four_letters(w, e, host, "srvr")
        .lines()
        .find_map(|l| l.strip_prefix("Mode: ").map(str::to_owned))
        .unwrap_or_else(|| "not serving".to_owned())
}

// --- the checker ------------------------------------------------------------------

#[derive(Debug, Default)]
struct Findings {
    stale_reads: usize,
    acked_writes: usize,
    failed: usize,
}

/// ZooKeeper's guarantees on one run's history, and the final state read
/// from every server.
fn check(history: &[Record], children: &BTreeSet<String>, final_k: &(i32, String)) -> Findings {
    let mut f = Findings::default();
    let done = |r: &&Record| r.outcome != Outcome::Pending;
    // Writes of /k: one order, in real time, each version once.
    let writes: Vec<&Record> = history
        .iter()
        .filter(|r| matches!(r.kind, Kind::Write(_)) && matches!(r.outcome, Outcome::Version(..)))
        .collect();
    f.acked_writes = writes.len();
    let mut by_version: BTreeMap<i32, &str> = BTreeMap::new();
    for w in &writes {
        let (Kind::Write(value), Outcome::Version(v, _)) = (&w.kind, &w.outcome) else {
            unreachable!()
        };
        if let Some(other) = by_version.insert(*v, value) {
            let both: Vec<&&Record> = writes.iter().filter(|r| version(r) == *v).collect();
            panic!("two acknowledged writes got version {v}: {other} and {value}: {both:#?}");
        }
    }
    for a in &writes {
        for b in &writes {
            if a.completed < b.invoked {
                assert!(
                    version(a) < version(b),
                    "write {a:?} finished before {b:?} began but has a later version"
                );
            }
        }
    }
    // No acknowledged write lost: the final /k is at least the newest
    // acknowledged version, and holds the value that version was written with.
    if let Some(max) = by_version.keys().max() {
        assert!(
            final_k.0 >= *max,
            "/k lost version {max}: ends at {final_k:?}"
        );
    }
    if let Some(value) = by_version.get(&final_k.0) {
        assert_eq!(
            *value, final_k.1,
            "/k's final value is not the one written at its version"
        );
    }
    let written: BTreeSet<&str> = history
        .iter()
        .filter_map(|r| match &r.kind {
            Kind::Write(v) => Some(v.as_str()),
            _ => None,
        })
        .collect();
    // Reads: a real value; per session never backwards; own writes seen;
    // after a sync, everything acknowledged before it.
    let mut last_read: BTreeMap<i64, i32> = BTreeMap::new();
    let mut own_write: BTreeMap<i64, (i64, i32)> = BTreeMap::new();
    let mut by_completion: Vec<&Record> = history.iter().filter(done).collect();
    by_completion.sort_by_key(|r| (r.completed, r.invoked));
    for r in by_completion {
        match (&r.kind, &r.outcome) {
            (Kind::Write(_), Outcome::Version(v, _)) => {
                own_write.insert(r.session, (r.completed, *v));
            }
            (Kind::Read { synced }, Outcome::Version(v, data)) => {
                if *v > 0 {
                    assert!(
                        written.contains(data.as_str()),
                        "read a value nobody wrote: {r:?}"
                    );
                    if let Some(value) = by_version.get(v) {
                        assert_eq!(value, data, "version {v} read with another value: {r:?}");
                    }
                }
                let before = last_read.insert(r.session, *v).unwrap_or(-1);
                assert!(
                    *v >= before,
                    "session 0x{:x} read version {v} after {before}",
                    r.session
                );
                if let Some((at, mine)) = own_write.get(&r.session) {
                    if *at < r.invoked {
                        assert!(
                            v >= mine,
                            "session 0x{:x} did not see its own write {mine}: {r:?}",
                            r.session
                        );
                    }
                }
                let newest_acked = writes
                    .iter()
                    .filter(|w| w.completed < r.invoked)
                    .map(|w| version(w))
                    .max()
                    .unwrap_or(-1);
                if *v < newest_acked {
                    assert!(
                        !synced,
                        "a read after sync missed version {newest_acked}: {r:?}"
                    );
                    f.stale_reads += 1;
                }
            }
            (_, Outcome::Failed(code)) => {
                assert!(
                    matches!(code, ErrorCode::ConnectionLoss | ErrorCode::SessionExpired),
                    "unexpected failure {code:?} of {r:?}"
                );
                f.failed += 1;
            }
            _ => {}
        }
    }
    // Every acknowledged create is there; a session's creates are numbered in its order.
    let mut last_seq: BTreeMap<i64, u64> = BTreeMap::new();
    let mut creates: Vec<&Record> = history.iter().filter(done).collect();
    creates.sort_by_key(|r| r.invoked);
    for r in creates {
        if let Outcome::Created(path) = &r.outcome {
            let name = path.trim_start_matches("/q/");
            assert!(children.contains(name), "acknowledged create {path} lost");
            let seq: u64 = name[name.len() - 10..].parse().unwrap();
            let before = last_seq.insert(r.session, seq).unwrap_or(0);
            assert!(
                seq > before || before == 0,
                "session 0x{:x} created out of order",
                r.session
            );
        }
    }
    f
}

fn version(r: &Record) -> i32 {
    match &r.outcome {
        Outcome::Version(v, _) => *v,
        _ => -1,
    }
}

/// What each server holds at the end, read through a client of that server
/// alone after a sync: /q's children and /k.
fn final_state(w: &mut World, e: &mut Ensemble) -> (BTreeSet<String>, (i32, String)) {
    let mut seen = Vec::new();
    for host in SERVERS {
        let answers = probe(
            w,
            e,
            &format!("{host}:2181"),
            vec![
                Op::Sync { path: "/".into() },
                Op::GetChildren {
                    path: "/q".into(),
                    watch: false,
                    with_stat: false,
                },
                Op::GetData {
                    path: "/k".into(),
                    watch: false,
                },
            ],
        );
        assert_eq!(answers.len(), 3, "{host} answered {answers:?}");
        let Ok(ReplyBody::Children { children, .. }) = &answers[1] else {
            panic!("{answers:?}")
        };
        let Ok(ReplyBody::Data { data, stat }) = &answers[2] else {
            panic!("{answers:?}")
        };
        let k = (
            stat.version,
            data.as_ref()
                .map(|d| String::from_utf8_lossy(d).into_owned())
                .unwrap_or_default(),
        );
        seen.push((children.iter().cloned().collect::<BTreeSet<String>>(), k));
    }
    for s in &seen[1..] {
        assert_eq!(s, &seen[0], "servers disagree after a sync");
    }
    seen.remove(0)
}

/// A fault to inject during a run.
#[derive(Clone, Copy, Debug)]
enum Fault {
    None,
    KillLeader,
    IsolateLeader,
    IsolateFollower,
}

/// One run: an ensemble, four clients, a fault at a random time; then
/// every server heals and the history is checked.
fn run(seed: u64, version: ZkVersion, fault: Fault) -> Findings {
    let mut w = ensemble_world(seed);
    let mut e = Ensemble::start(&mut w, version);
    run_for(&mut w, &mut e, 3.0);
    let leaders: Vec<&str> = SERVERS
        .into_iter()
        .filter(|h| e.state(h) == "LEADING")
        .collect();
    assert_eq!(leaders.len(), 1, "seed {seed}: one leader, not {leaders:?}");
    let setup = probe(
        &mut w,
        &mut e,
        CONNECT,
        vec![
            Op::create("/k", Some(b"start"), CreateMode::Persistent),
            Op::create("/q", None, CreateMode::Persistent),
        ],
    );
    assert!(setup.iter().all(|r| r.is_ok()), "{setup:?}");
    let history = History::default();
    let stop_ms = now_ms_world(&w) + 30_000;
    let workers: Vec<ProcessId> = (0..4)
        .map(|id| spawn_worker(&mut w, id, version, &history, stop_ms))
        .collect();
    run_for(&mut w, &mut e, 2.0 + (seed % 5) as f64);
    let leader = e.leader().expect("a leader before the fault");
    let others: Vec<&'static str> = SERVERS.into_iter().filter(|h| *h != leader).collect();
    match fault {
        Fault::None => run_for(&mut w, &mut e, 12.0),
        Fault::KillLeader => {
            e.kill(&mut w, leader);
            run_for(&mut w, &mut e, 8.0);
            let new = e.leader();
            assert!(
                new.is_some() && new != Some(leader),
                "seed {seed}: a new leader among the two left"
            );
            e.restart(&mut w, leader);
            run_for(&mut w, &mut e, 4.0);
        }
        Fault::IsolateLeader | Fault::IsolateFollower => {
            let cut = match fault {
                Fault::IsolateLeader => leader,
                _ => others[(seed % 2) as usize],
            };
            for h in SERVERS
                .iter()
                .chain(CLIENT_HOSTS.iter())
                .filter(|h| **h != cut)
            {
                w.partition(cut, h);
            }
            run_for(&mut w, &mut e, 10.0);
            assert_ne!(
                e.state(cut),
                "LEADING",
                "seed {seed}: a minority of one does not lead"
            );
            assert!(
                e.leader().is_some(),
                "seed {seed}: the majority has a leader"
            );
            for h in SERVERS.iter().chain(CLIENT_HOSTS.iter()) {
                w.heal(cut, h);
            }
            run_for(&mut w, &mut e, 4.0);
        }
    }
    // Let the workers finish and the ensemble settle.
    run_for(&mut w, &mut e, 20.0);
    for p in &workers {
        w.signal(p, Signal::Kill);
    }
    let (children, k) = final_state(&mut w, &mut e);
    let findings = check(&history.borrow(), &children, &k);
    assert!(
        findings.acked_writes > 20,
        "seed {seed}: the workload ran ({findings:?})"
    );
    findings
}

fn now_ms_world(w: &World) -> i64 {
    w.now().unix_millis() as i64
}

/// `count` seeds from `first`, or `COORD_SEEDS` of them for a longer sweep
/// (`COORD_SEEDS=500 cargo test --release -p coord --test ensemble`).
fn seeds(first: u64, count: u64) -> std::ops::Range<u64> {
    let count = std::env::var("COORD_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(count);
    first * 1000..first * 1000 + count
}

fn many(version: ZkVersion, fault: Fault, seeds: std::ops::Range<u64>) -> Findings {
    let mut total = Findings::default();
    for seed in seeds {
        let f = run(seed, version, fault);
        total.stale_reads += f.stale_reads;
        total.acked_writes += f.acked_writes;
        total.failed += f.failed;
    }
    total
}

#[test]
fn a_healthy_ensemble_keeps_zookeepers_guarantees_and_followers_serve_stale_reads() {
    for version in [ZkVersion::V3_3, ZkVersion::V3_5] {
        let f = many(version, Fault::None, seeds(0, 6));
        assert!(
            f.stale_reads > 0,
            "{version:?}: some reads from followers are stale: {f:?}"
        );
    }
}

#[test]
fn no_acknowledged_write_is_lost_when_the_leader_dies() {
    for version in [ZkVersion::V3_3, ZkVersion::V3_5] {
        let f = many(version, Fault::KillLeader, seeds(10, 6));
        assert!(
            f.failed > 0,
            "{version:?}: clients of the dead leader saw ConnectionLoss: {f:?}"
        );
    }
}

#[test]
fn an_isolated_leader_steps_down_and_the_majority_goes_on() {
    for version in [ZkVersion::V3_3, ZkVersion::V3_5] {
        many(version, Fault::IsolateLeader, seeds(20, 5));
    }
}

#[test]
fn an_isolated_follower_stops_serving_and_catches_up() {
    for version in [ZkVersion::V3_3, ZkVersion::V3_5] {
        many(version, Fault::IsolateFollower, seeds(30, 5));
    }
}

#[test]
fn a_server_reports_its_mode_and_a_lone_server_serves_nobody() {
    for version in [ZkVersion::V3_3, ZkVersion::V3_5] {
        let mut w = ensemble_world(3);
        let mut e = Ensemble::start(&mut w, version);
        run_for(&mut w, &mut e, 3.0);
        let mut modes: Vec<String> = SERVERS.iter().map(|h| mode(&mut w, &mut e, h)).collect();
        modes.sort();
        assert_eq!(modes, ["follower", "follower", "leader"]);
        // Two servers die: the last one has no quorum and closes its clients.
        let leader = e.leader().unwrap();
        let survivor = SERVERS.into_iter().find(|h| *h != leader).unwrap();
        for h in SERVERS.into_iter().filter(|h| *h != survivor) {
            e.kill(&mut w, h);
        }
        run_for(&mut w, &mut e, 8.0);
        assert_eq!(e.state(survivor), "LOOKING");
        assert_eq!(
            four_letters(&mut w, &mut e, survivor, "srvr"),
            "This ZooKeeper instance is not currently serving requests\n"
        );
        let ruok = match version {
            ZkVersion::V3_3 => "imok",
            ZkVersion::V3_5 => "ruok is not executed because it is not in the whitelist.\n",
        };
        assert_eq!(four_letters(&mut w, &mut e, survivor, "ruok"), ruok);
        let console = e.console[survivor].clone();
        let answers = probe(
            &mut w,
            &mut e,
            &format!("{survivor}:2181"),
            vec![Op::create("/x", None, CreateMode::Persistent)],
        );
        assert!(
            answers.is_empty(),
            "nothing is answered without a quorum: {answers:?}"
        );
        let after = &e.console[survivor][console.len()..];
        assert!(after.contains("ZooKeeperServer not running"), "{after}");
        // One comes back: a majority again, and writes go through.
        let back = SERVERS.into_iter().find(|h| *h != survivor).unwrap();
        e.restart(&mut w, back);
        run_for(&mut w, &mut e, 8.0);
        let answers = probe(
            &mut w,
            &mut e,
            &format!("{survivor}:2181,{back}:2181"),
            vec![Op::create("/x", None, CreateMode::Persistent)],
        );
        assert_eq!(answers, [Ok(ReplyBody::Created { path: "/x".into() })]);
    }
}

fn exists(w: &mut World, e: &mut Ensemble, host: &str, path: &str) -> bool {
    let answers = probe(
        w,
        e,
        &format!("{host}:2181"),
        vec![
            Op::Sync { path: "/".into() },
            Op::Exists {
                path: path.into(),
                watch: false,
            },
        ],
    );
    match &answers[..] {
        [Ok(_), Ok(ReplyBody::Stat(_))] => true,
        [Ok(_), Err(ErrorCode::NoNode)] => false,
        other => panic!("{host}: {other:?}"),
    }
}

#[test]
fn a_deposed_leaders_uncommitted_write_is_truncated_away() {
    for version in [ZkVersion::V3_3, ZkVersion::V3_5] {
        for seed in seeds(40, 3) {
            let mut w = ensemble_world(seed);
            let mut e = Ensemble::start(&mut w, version);
            run_for(&mut w, &mut e, 3.0);
            let before = probe(
                &mut w,
                &mut e,
                CONNECT,
                vec![Op::create("/a", None, CreateMode::Persistent)],
            );
            assert!(before[0].is_ok());
            run_for(&mut w, &mut e, 1.0);
            // The leader loses its followers but not its client: it logs the
            // client's create, cannot commit it, and steps down.
            let old = e.leader().unwrap();
            let mut client = Probe::new(
                version,
                &format!("{old}:2181"),
                10_000,
                vec![Op::create("/lost", None, CreateMode::Persistent)],
            );
            client.delay_ms = 1000;
            client.stay = true;
            let lost = client.answers.clone();
            let pid = w.spawn(
                "app-1",
                vec!["client".into()],
                "/",
                Stdio::Null,
                Box::new(client),
            );
            run_for(&mut w, &mut e, 0.5);
            for h in SERVERS.into_iter().filter(|h| *h != old) {
                w.partition(old, h);
            }
            run_for(&mut w, &mut e, 8.0);
            assert_eq!(
                *lost.borrow(),
                [Err(ErrorCode::ConnectionLoss)],
                "seed {seed}"
            );
            w.signal(&pid, Signal::Kill);
            let new = e.leader().expect("the majority elects a leader");
            assert_ne!(new, old);
            let after = probe(
                &mut w,
                &mut e,
                &format!("{new}:2181"),
                vec![Op::create("/after", None, CreateMode::Persistent)],
            );
            assert!(after[0].is_ok(), "{after:?}");
            for h in SERVERS.into_iter().filter(|h| *h != old) {
                w.heal(old, h);
            }
            // 3.3 may first lead alone on stale votes, until initLimit passes.
            run_for(&mut w, &mut e, 25.0);
            if e.state(old) != "FOLLOWING" {
                for h in SERVERS {
                    let c = &e.console[h];
                    let tail: Vec<&str> = c.lines().filter(|l| !l.starts_with('\t')).collect();
                    eprintln!(
                        "==== {h}\n{}",
                        tail[tail.len().saturating_sub(60)..].join("\n")
                    );
                }
            }
            assert_eq!(e.state(old), "FOLLOWING", "{version:?} seed {seed}");
            assert!(
                e.console[old].contains("Truncating log to get in sync with the leader"),
                "{version:?} seed {seed}: the old leader truncates"
            );
            for host in SERVERS {
                assert!(
                    !exists(&mut w, &mut e, host, "/lost"),
                    "{host} has the uncommitted /lost"
                );
                assert!(
                    exists(&mut w, &mut e, host, "/after"),
                    "{host} lacks /after"
                );
            }
            // And after a restart, from its disk.
            e.kill(&mut w, old);
            run_for(&mut w, &mut e, 1.0);
            e.restart(&mut w, old);
            run_for(&mut w, &mut e, 8.0);
            assert!(!exists(&mut w, &mut e, old, "/lost"));
            assert!(exists(&mut w, &mut e, old, "/after"));
        }
    }
}

/// A client that watches /w, reads it every few milliseconds, and notes
/// what it sees in order.
struct Watcher {
    client: ZkClient,
    log: Rc<RefCell<Vec<String>>>,
}

const READ_AGAIN: u64 = 9;

impl Process for Watcher {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        let events = match event {
            Event::Start => self.client.start(ctx),
            Event::Timer(READ_AGAIN) => {
                ctx.set_timer(Duration::from_millis(3), READ_AGAIN, TimerKind::OneShot);
                if !self.client.is_connected() {
                    return;
                }
                self.client
                    .submit(
                        ctx,
                        Op::GetData {
                            path: "/w".into(),
                            watch: false,
                        },
                    )
                    .1
            }
            event => self.client.handle(ctx, event).unwrap_or_default(),
        };
        for e in events {
            match e {
                ClientEvent::State(KeeperState::SyncConnected) => {
                    self.client.submit(
                        ctx,
                        Op::GetData {
                            path: "/w".into(),
                            watch: true,
                        },
                    );
                    ctx.set_timer(Duration::from_millis(3), READ_AGAIN, TimerKind::OneShot);
                }
                ClientEvent::Watch { event, path } => {
                    self.log
                        .borrow_mut()
                        .push(format!("watch {} {path}", event.name()));
                }
                ClientEvent::Reply {
                    result: Ok(ReplyBody::Data { data, .. }),
                    ..
                } => {
                    let text = String::from_utf8_lossy(&data.unwrap_or_default()).into_owned();
                    self.log.borrow_mut().push(format!("read {text}"));
                }
                _ => {}
            }
        }
    }
}

#[test]
fn a_watch_fires_before_the_new_data_is_read_on_every_server() {
    for version in [ZkVersion::V3_3, ZkVersion::V3_5] {
        for seed in seeds(50, 4) {
            let mut w = ensemble_world(seed);
            let mut e = Ensemble::start(&mut w, version);
            run_for(&mut w, &mut e, 3.0);
            probe(
                &mut w,
                &mut e,
                CONNECT,
                vec![Op::create("/w", Some(b"old"), CreateMode::Persistent)],
            );
            let logs: Vec<Rc<RefCell<Vec<String>>>> = SERVERS
                .iter()
                .map(|host| {
                    let log = Rc::new(RefCell::new(Vec::new()));
                    let watcher = Watcher {
                        client: ZkClient::new(version, &format!("{host}:2181"), 10_000),
                        log: log.clone(),
                    };
                    w.spawn(
                        "app-2",
                        vec!["watcher".into()],
                        "/",
                        Stdio::Null,
                        Box::new(watcher),
                    );
                    log
                })
                .collect();
            run_for(&mut w, &mut e, 1.0);
            let set = probe(
                &mut w,
                &mut e,
                CONNECT,
                vec![Op::set_data("/w", Some(b"new"), -1)],
            );
            assert!(set[0].is_ok());
            run_for(&mut w, &mut e, 1.0);
            for (host, log) in SERVERS.iter().zip(&logs) {
                let log = log.borrow();
                let watch = log.iter().position(|l| l == "watch NodeDataChanged /w");
                let first_new = log.iter().position(|l| l == "read new");
                assert!(watch.is_some() && first_new.is_some(), "{host}: {log:?}");
                assert!(
                    watch < first_new,
                    "{version:?} seed {seed} {host}: the new data before the watch"
                );
                assert!(log[..watch.unwrap()].iter().all(|l| l == "read old"));
            }
        }
    }
}

#[test]
fn a_session_on_a_follower_lives_by_its_pings_and_expires_at_the_leader() {
    for version in [ZkVersion::V3_3, ZkVersion::V3_5] {
        let mut w = ensemble_world(60);
        let mut e = Ensemble::start(&mut w, version);
        run_for(&mut w, &mut e, 3.0);
        let follower = SERVERS
            .into_iter()
            .find(|h| e.state(h) == "FOLLOWING")
            .unwrap();
        let leader = e.leader().unwrap();
        // An owner on a follower holds an ephemeral node; a watcher on the
        // leader waits for it to go.
        let mut owner = Probe::new(
            version,
            &format!("{follower}:2181"),
            6000,
            vec![Op::create("/eph", None, CreateMode::Ephemeral)],
        );
        owner.stay = true;
        let owner = w.spawn(
            "app-1",
            vec!["owner".into()],
            "/",
            Stdio::Null,
            Box::new(owner),
        );
        let mut watcher = Probe::new(
            version,
            &format!("{leader}:2181"),
            10_000,
            vec![Op::Exists {
                path: "/eph".into(),
                watch: true,
            }],
        );
        watcher.delay_ms = 500;
        watcher.stay = true;
        let watched = watcher.watches.clone();
        let watcher = w.spawn(
            "app-2",
            vec!["watcher".into()],
            "/",
            Stdio::Null,
            Box::new(watcher),
        );
        run_for(&mut w, &mut e, 1.0);
        assert!(exists(&mut w, &mut e, leader, "/eph"));
        // Well past its timeout: the follower's pings keep it alive.
        run_for(&mut w, &mut e, 20.0);
        assert!(
            exists(&mut w, &mut e, leader, "/eph"),
            "{version:?}: pings through a follower keep a session"
        );
        // The owner dies without closing: the leader expires the session.
        w.signal(&owner, Signal::Kill);
        run_for(&mut w, &mut e, 12.0);
        for host in SERVERS {
            assert!(
                !exists(&mut w, &mut e, host, "/eph"),
                "{version:?}: {host} still has /eph"
            );
        }
        assert!(
            e.console[leader].contains(", timeout of 6000ms exceeded"),
            "{}",
            e.console[leader]
        );
        assert_eq!(*watched.borrow(), ["NodeDeleted /eph"]);
        w.signal(&watcher, Signal::Kill);
    }
}
