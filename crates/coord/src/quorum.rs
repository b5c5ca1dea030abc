//! `QuorumPeer`: one server of an ensemble (`server.N` lines and a `myid`).
//! It looks for a leader with [`crate::election`] over the election port
//! (`QuorumCnxManager`'s channels), then leads or follows with
//! [`crate::zab`] over the quorum port, and serves clients only while it
//! does: a server without a quorum closes every client connection and
//! looks again. What each step logs is what 3.3 and 3.5 log.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;

use sim::{
    downcast, ConnId, Context, Event, Message, NetError, Payload, ProcessTimer, SocketAddr,
    TimerKind,
};

use crate::config::ServerConfig;
use crate::election::{Election, Notification, ServerState, Step, Vote, FINALIZE_WAIT_MS};
use crate::jvm::Environment;
use crate::server::{Role, Submission, SubmissionKind, ZkServer};
use crate::txn::{Txn, TxnHeader};
use crate::zab::{epoch_of, make_zxid, plan_sync, CommittedLog, Proposals, QuorumPacket, SyncPlan};
use crate::ZkVersion;

const QP: &str = "org.apache.zookeeper.server.quorum.QuorumPeer";
const FLE: &str = "org.apache.zookeeper.server.quorum.FastLeaderElection";
const QCM: &str = "org.apache.zookeeper.server.quorum.QuorumCnxManager";
const LEADER: &str = "org.apache.zookeeper.server.quorum.Leader";
const LEARNER: &str = "org.apache.zookeeper.server.quorum.Learner";
const FOLLOWER: &str = "org.apache.zookeeper.server.quorum.Follower";
const HANDLER: &str = "org.apache.zookeeper.server.quorum.LearnerHandler";

/// The server's own timer (session expiry) uses token 1; the peer's carry
/// its generation above this.
const TIMER_SHIFT: u64 = 8;
const ELECTION_POLL: u64 = 1;
const LEADER_TICK: u64 = 2;
const FOLLOWER_READ_TIMEOUT: u64 = 3;
const FOLLOWER_RETRY: u64 = 4;
/// Connection attempts time out by connection id.
const CONNECT_TIMEOUT: u64 = 1 << 62;
/// `QuorumCnxManager.cnxTO`.
const ELECTION_CONNECT_TIMEOUT_MS: u64 = 5000;

/// The first thing sent on an election connection: who is calling.
#[derive(Clone, Debug)]
pub struct ElectionHello {
    pub sid: i64,
}

impl Payload for ElectionHello {
    fn summary(&self) -> String {
        format!("election hello from {}", self.sid)
    }
}

/// A Java exception with the head of its stack trace, as log4j prints it below a line.
fn trace(exception: &str, frames: &[&str]) -> String {
    let mut out = format!("{exception}\n");
    for f in frames {
        out.push_str(&format!("\tat {f}\n"));
    }
    out
}

fn connect_exception(error: &NetError) -> String {
    match error {
        NetError::TimedOut => "java.net.SocketTimeoutException: connect timed out".to_owned(),
        NetError::UnknownHost(h) => format!("java.net.UnknownHostException: {h}"),
        _ => "java.net.ConnectException: Connection refused (Connection refused)".to_owned(),
    }
}

/// `QuorumCnxManager`: one channel per pair of servers on the election
/// ports; the higher id keeps the connection it made, and each server's
/// last message is re-sent when a channel comes up.
#[derive(Debug, Default)]
struct Channels {
    by_sid: BTreeMap<i64, ConnId>,
    by_conn: BTreeMap<ConnId, i64>,
    connecting: BTreeMap<ConnId, (i64, ProcessTimer)>,
    /// Accepted connections that have not said who they are.
    accepted: BTreeSet<ConnId>,
    last: BTreeMap<i64, Notification>,
}

/// Everything of a peer that outlives its role.
#[derive(Debug)]
struct Core {
    version: ZkVersion,
    myid: i64,
    log_file: Option<String>,
    server: ZkServer,
    election: Election,
    /// The vote it acts on (`currentVote`).
    vote: Vote,
    channels: Channels,
    /// Notifications it sent itself.
    inbox: VecDeque<Notification>,
    committed: CommittedLog,
    accepted_epoch: i64,
    current_epoch: i64,
    generation: u64,
    poll_timer: Option<ProcessTimer>,
    election_started_ms: Option<i64>,
}

/// A learner as its leader's `LearnerHandler` sees it.
#[derive(Debug)]
struct LearnerHandler {
    sid: Option<i64>,
    peer: SocketAddr,
    stage: Stage,
    peer_last_zxid: i64,
    /// Receives proposals and commits.
    forwarding: bool,
    tick_of_last_ack: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    AwaitInfo,
    /// 3.5: LEADERINFO sent.
    AwaitEpochAck,
    /// 3.5: acked the epoch; a quorum has not yet.
    AwaitEpochQuorum,
    AwaitNewLeaderAck,
    /// 3.5: acked NEWLEADER; the leader has not started yet.
    AwaitStart,
    Running,
}

/// A sync waiting for the proposals before it.
#[derive(Debug)]
struct PendingSync {
    after: i64,
    /// Which learner asked (none: a client of the leader's own).
    learner: Option<ConnId>,
    session: i64,
    cxid: i32,
    path: String,
}

#[derive(Debug)]
struct Leader {
    epoch: Option<i64>,
    new_leader_zxid: i64,
    learners: BTreeMap<ConnId, LearnerHandler>,
    epoch_votes: BTreeMap<i64, i64>,
    epoch_acks: BTreeSet<i64>,
    epoch_acked: bool,
    new_leader_acks: BTreeSet<i64>,
    started: bool,
    proposals: Proposals,
    syncs: Vec<PendingSync>,
    deferred: Vec<(Option<ConnId>, Submission)>,
    tick: i64,
    tick_skip: bool,
    /// When the current wait (epoch, epoch acks, NEWLEADER acks) gives up.
    deadline_ms: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Connecting,
    /// 3.5: waiting for LEADERINFO.
    Discovery,
    Sync,
    Broadcast,
}

#[derive(Debug)]
struct Follower {
    host: String,
    port: u16,
    conn: Option<ConnId>,
    connect_timer: Option<ProcessTimer>,
    tries: u32,
    phase: Phase,
    started_ms: i64,
    new_leader_zxid: i64,
    snapshot_needed: bool,
    /// Logged proposals waiting for their commit.
    pending: VecDeque<(TxnHeader, Txn)>,
    /// Proposals logged while syncing, acknowledged once up to date.
    unacked: Vec<i64>,
    read_timer: Option<ProcessTimer>,
}

#[derive(Debug)]
enum PeerRole {
    Looking,
    Following(Follower),
    Leading(Leader),
}

/// An ensemble's server process state.
#[derive(Debug)]
pub(crate) struct QuorumPeer {
    core: Core,
    role: PeerRole,
}

impl Core {
    fn log(&self, ctx: &mut Context<'_>, level: &str, logger: &str, message: &str) {
        crate::server::log(ctx, &self.log_file, level, logger, message);
    }

    fn log_trace(
        &self,
        ctx: &mut Context<'_>,
        level: &str,
        logger: &str,
        message: &str,
        trace: &str,
    ) {
        self.log(ctx, level, logger, message);
        ctx.stdout(trace);
        if let Some(path) = &self.log_file {
            let _ = ctx.fs().borrow_mut().append(path, trace.as_bytes());
        }
    }

    fn now_ms(ctx: &Context<'_>) -> i64 {
        ctx.now().unix_millis() as i64
    }

    fn config(&self) -> &ServerConfig {
        &self.server.config
    }

    fn tick_ms(&self) -> i64 {
        self.config().tick_time_ms
    }

    fn init_limit_ms(&self) -> i64 {
        self.tick_ms() * self.config().init_limit.unwrap_or(10)
    }

    fn sync_limit_ms(&self) -> i64 {
        self.tick_ms() * self.config().sync_limit.unwrap_or(5)
    }

    fn voters(&self) -> BTreeSet<i64> {
        self.config().servers.keys().copied().collect()
    }

    fn is_quorum(&self, sids: &BTreeSet<i64>) -> bool {
        let voters = self.voters();
        sids.iter().filter(|s| voters.contains(s)).count() > voters.len() / 2
    }

    fn timer(&self, ctx: &mut Context<'_>, after_ms: i64, kind: u64) -> ProcessTimer {
        let token = (self.generation << TIMER_SHIFT) | kind;
        ctx.set_timer(
            Duration::from_millis(after_ms.max(0) as u64),
            token,
            TimerKind::OneShot,
        )
    }

    fn last_logged_zxid(&self) -> i64 {
        self.server.tree.last_processed_zxid
    }

    fn state(&self, role: &PeerRole) -> ServerState {
        match role {
            PeerRole::Looking => ServerState::Looking,
            PeerRole::Following(_) => ServerState::Following,
            PeerRole::Leading(_) => ServerState::Leading,
        }
    }

    /// `acceptedEpoch` and `currentEpoch` (3.5): written atomically, no newline.
    fn write_epoch(&mut self, ctx: &mut Context<'_>, name: &str, epoch: i64) {
        if self.version == ZkVersion::V3_3 {
            return;
        }
        match name {
            "acceptedEpoch" => self.accepted_epoch = epoch,
            _ => self.current_epoch = epoch,
        }
        use kafka_log::storage::{FileOp, Storage};
        let tmp = format!("version-2/{name}.tmp");
        let _ = ctx.storage(&self.config().data_dir).submit(vec![
            FileOp::CreateDir {
                path: "version-2".into(),
            },
            FileOp::SetLen {
                path: tmp.clone(),
                len: 0,
            },
            FileOp::Append {
                path: tmp.clone(),
                data: bytes::Bytes::from(epoch.to_string()),
            },
            FileOp::Sync { path: tmp.clone() },
            FileOp::Rename {
                from: tmp,
                to: format!("version-2/{name}"),
            },
        ]);
    }

    fn read_epoch(&self, ctx: &Context<'_>, name: &str) -> Option<i64> {
        let path = format!("{}/version-2/{name}", self.config().data_dir);
        let bytes = ctx.fs().borrow().read(&path).ok()?;
        String::from_utf8_lossy(&bytes).trim().parse().ok()
    }

    /// A committed transaction applies here and joins the committed log.
    fn apply(&mut self, ctx: &mut Context<'_>, header: &TxnHeader, txn: &Txn) {
        self.server.apply_committed(ctx, header, txn);
        self.committed.add(header, txn);
    }

    // --- election channels -------------------------------------------------

    fn election_address(&self, sid: i64) -> Option<(String, u16)> {
        self.config()
            .servers
            .get(&sid)
            .map(|s| (s.host.clone(), s.election_port))
    }

    fn describe(&self, ctx: &Context<'_>, host: &str, port: u16) -> String {
        match ctx.resolve(host) {
            Some(ip) => format!("{host}/{ip}:{port}"),
            None => format!("{host}:{port}"),
        }
    }

    /// `toSend`: to itself through the queue, to others over their channel.
    fn send_notification(&mut self, ctx: &mut Context<'_>, to: i64, n: Notification) {
        if to == self.myid {
            self.inbox.push_back(n);
            return;
        }
        self.channels.last.insert(to, n.clone());
        match self.channels.by_sid.get(&to) {
            Some(&conn) => ctx.send(conn, Box::new(n)),
            None => self.connect_one(ctx, to),
        }
    }

    fn connect_one(&mut self, ctx: &mut Context<'_>, sid: i64) {
        if self.channels.by_sid.contains_key(&sid)
            || self.channels.connecting.values().any(|(s, _)| *s == sid)
        {
            return;
        }
        let Some((host, port)) = self.election_address(sid) else {
            return;
        };
        match ctx.connect(&host, port) {
            Ok(conn) => {
                let timer = ctx.set_timer(
                    Duration::from_millis(ELECTION_CONNECT_TIMEOUT_MS),
                    CONNECT_TIMEOUT | conn.0,
                    TimerKind::OneShot,
                );
                self.channels.connecting.insert(conn, (sid, timer));
            }
            Err(e) => self.cannot_open_channel(ctx, sid, &e),
        }
    }

    fn cannot_open_channel(&mut self, ctx: &mut Context<'_>, sid: i64, error: &NetError) {
        let Some((host, port)) = self.election_address(sid) else {
            return;
        };
        let address = self.describe(ctx, &host, port);
        let frames: &[&str] = match self.version {
            ZkVersion::V3_3 => &[
                "sun.nio.ch.SocketChannelImpl.checkConnect(Native Method)",
                "sun.nio.ch.SocketChannelImpl.finishConnect(SocketChannelImpl.java:717)",
                "sun.nio.ch.SocketAdaptor.connect(SocketAdaptor.java:111)",
                "org.apache.zookeeper.server.quorum.QuorumCnxManager.connectOne(QuorumCnxManager.java:371)",
                "org.apache.zookeeper.server.quorum.QuorumCnxManager.connectAll(QuorumCnxManager.java:404)",
                "org.apache.zookeeper.server.quorum.FastLeaderElection.lookForLeader(FastLeaderElection.java:688)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:622)",
            ],
            ZkVersion::V3_5 => &[
                "java.net.PlainSocketImpl.socketConnect(Native Method)",
                "java.net.AbstractPlainSocketImpl.doConnect(AbstractPlainSocketImpl.java:350)",
                "java.net.AbstractPlainSocketImpl.connectToAddress(AbstractPlainSocketImpl.java:206)",
                "java.net.AbstractPlainSocketImpl.connect(AbstractPlainSocketImpl.java:188)",
                "java.net.SocksSocketImpl.connect(SocksSocketImpl.java:392)",
                "java.net.Socket.connect(Socket.java:607)",
                "org.apache.zookeeper.server.quorum.QuorumCnxManager.connectOne(QuorumCnxManager.java:373)",
                "org.apache.zookeeper.server.quorum.QuorumCnxManager.connectOne(QuorumCnxManager.java:706)",
                "org.apache.zookeeper.server.quorum.QuorumCnxManager.connectAll(QuorumCnxManager.java:751)",
                "org.apache.zookeeper.server.quorum.FastLeaderElection.lookForLeader(FastLeaderElection.java:928)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1215)",
            ],
        };
        let text = format!("Cannot open channel to {sid} at election address {address}");
        self.log_trace(
            ctx,
            "WARN",
            QCM,
            &text,
            &trace(&connect_exception(error), frames),
        );
    }

    fn channel_up(&mut self, ctx: &mut Context<'_>, sid: i64, conn: ConnId) {
        if let Some(old) = self.channels.by_sid.insert(sid, conn) {
            if old != conn {
                self.channels.by_conn.remove(&old);
                ctx.close(old);
            }
        }
        self.channels.by_conn.insert(conn, sid);
        if let Some(n) = self.channels.last.get(&sid).cloned() {
            ctx.send(conn, Box::new(n));
        }
    }

    fn dropping_line(&self, sid: i64) -> String {
        match self.version {
            ZkVersion::V3_3 => format!(
                "Have smaller server identifier, so dropping the connection: ({sid}, {})",
                self.myid
            ),
            ZkVersion::V3_5 => format!(
                "Have smaller server identifier, so dropping the connection: (myId:{} --> sid:{sid})",
                self.myid
            ),
        }
    }

    fn channel_connected(&mut self, ctx: &mut Context<'_>, conn: ConnId) {
        let Some((sid, timer)) = self.channels.connecting.remove(&conn) else {
            return;
        };
        ctx.cancel_timer(timer);
        ctx.send(conn, Box::new(ElectionHello { sid: self.myid }));
        if sid > self.myid {
            // The higher id calls back; this connection is dropped.
            let line = self.dropping_line(sid);
            self.log(ctx, "INFO", QCM, &line);
            ctx.close(conn);
        } else {
            self.channel_up(ctx, sid, conn);
        }
    }

    fn channel_hello(&mut self, ctx: &mut Context<'_>, conn: ConnId, sid: i64) {
        self.channels.accepted.remove(&conn);
        if !self.config().servers.contains_key(&sid) {
            ctx.close(conn);
            return;
        }
        if sid < self.myid {
            ctx.close(conn);
            self.connect_one(ctx, sid);
        } else {
            self.channel_up(ctx, sid, conn);
        }
    }

    fn channel_closed(&mut self, ctx: &mut Context<'_>, conn: ConnId) -> bool {
        if let Some(sid) = self.channels.by_conn.remove(&conn) {
            if self.channels.by_sid.get(&sid) == Some(&conn) {
                self.channels.by_sid.remove(&sid);
            }
            return true;
        }
        if let Some((_, timer)) = self.channels.connecting.remove(&conn) {
            ctx.cancel_timer(timer);
            return true;
        }
        self.channels.accepted.remove(&conn)
    }

    fn is_channel(&self, conn: ConnId) -> bool {
        self.channels.by_conn.contains_key(&conn)
            || self.channels.connecting.contains_key(&conn)
            || self.channels.accepted.contains(&conn)
    }

    /// Sends what the election queued and logs what it noted.
    fn flush_election(&mut self, ctx: &mut Context<'_>) {
        for (level, line) in std::mem::take(&mut self.election.logs) {
            self.log(ctx, level, FLE, &line);
        }
        for (to, n) in std::mem::take(&mut self.election.outbox) {
            self.send_notification(ctx, to, n);
        }
    }

    fn arm_poll(&mut self, ctx: &mut Context<'_>, after_ms: u64) {
        if let Some(t) = self.poll_timer.take() {
            ctx.cancel_timer(t);
        }
        self.poll_timer = Some(self.timer(ctx, after_ms as i64, ELECTION_POLL));
    }
}

/// The startup of a quorum peer, up to its first election. `None` when the process exited.
pub(crate) fn start(
    ctx: &mut Context<'_>,
    config: ServerConfig,
    myid: i64,
    env: Environment,
    log_file: Option<String>,
) -> Option<QuorumPeer> {
    let v = config.version;
    let qpm = "org.apache.zookeeper.server.quorum.QuorumPeerMain";
    let log = |ctx: &mut Context<'_>, level: &str, logger: &str, m: &str| {
        crate::server::log(ctx, &log_file, level, logger, m)
    };
    match v {
        ZkVersion::V3_3 => log(ctx, "INFO", qpm, "Starting quorum peer"),
        ZkVersion::V3_5 => {
            log(
                ctx,
                "INFO",
                "org.apache.zookeeper.jmx.ManagedUtil",
                "Log4j 1.2 jmx support found and enabled.",
            );
            log(
                ctx,
                "INFO",
                qpm,
                &format!("Starting quorum peer, myid={myid}"),
            );
        }
    }
    let port = config.client_port.unwrap_or(2181);
    let factory = match v {
        ZkVersion::V3_3 => "org.apache.zookeeper.server.NIOServerCnxn",
        ZkVersion::V3_5 => "org.apache.zookeeper.server.NIOServerCnxnFactory",
    };
    if v == ZkVersion::V3_5 {
        log(
            ctx,
            "INFO",
            "org.apache.zookeeper.server.ServerCnxnFactory",
            "Using org.apache.zookeeper.server.NIOServerCnxnFactory as server connection factory",
        );
        log(ctx, "INFO", factory, "Configuring NIO connection handler with 10s sessionless connection timeout, 1 selector thread(s), 8 worker threads, and 64 kB direct buffers.");
    }
    log(
        ctx,
        "INFO",
        factory,
        &format!("binding to port 0.0.0.0/0.0.0.0:{port}"),
    );
    if ctx.listen(port).is_err() {
        log(
            ctx,
            "ERROR",
            qpm,
            "Unexpected exception, exiting abnormally",
        );
        ctx.stdout("java.net.BindException: Address already in use\n");
        ctx.exit(1);
        return None;
    }
    if v == ZkVersion::V3_5 {
        log(ctx, "INFO", QP, "Local sessions disabled");
        log(ctx, "INFO", QP, "Local session upgrading disabled");
    }
    log(
        ctx,
        "INFO",
        QP,
        &format!("tickTime set to {}", config.tick_time_ms),
    );
    log(
        ctx,
        "INFO",
        QP,
        &format!("minSessionTimeout set to {}", config.min_session_timeout_ms),
    );
    log(
        ctx,
        "INFO",
        QP,
        &format!("maxSessionTimeout set to {}", config.max_session_timeout_ms),
    );
    log(
        ctx,
        "INFO",
        QP,
        &format!("initLimit set to {}", config.init_limit.unwrap_or(10)),
    );
    if v == ZkVersion::V3_5 {
        log(
            ctx,
            "INFO",
            "org.apache.zookeeper.server.persistence.FileTxnSnapLog",
            "zookeeper.snapshot.trust.empty : false",
        );
    }
    let voters: BTreeSet<i64> = config.servers.keys().copied().collect();
    let election_port = config.servers.get(&myid).map(|s| s.election_port);
    let mut server = ZkServer::new(config, env, log_file.clone(), myid, ctx);
    server.role = Role::NotServing;
    let mut core = Core {
        version: v,
        myid,
        log_file,
        server,
        election: Election::new(v, myid, voters),
        vote: Vote {
            leader: myid,
            zxid: 0,
            election_epoch: 0,
            peer_epoch: 0,
            state: ServerState::Looking,
        },
        channels: Channels::default(),
        inbox: VecDeque::new(),
        committed: CommittedLog::default(),
        accepted_epoch: 0,
        current_epoch: 0,
        generation: 0,
        poll_timer: None,
        election_started_ms: None,
    };
    let loaded = match core.server.restore_from_disk(ctx) {
        Ok((txns, had_snapshot)) => {
            for (h, t) in &txns {
                core.committed.add(h, t);
            }
            had_snapshot
        }
        Err(message) => {
            core.log(ctx, "ERROR", QP, "Unable to load database on disk");
            ctx.stdout(&format!("java.io.IOException: {message}\n"));
            ctx.exit(1);
            return None;
        }
    };
    if v == ZkVersion::V3_5 {
        if !loaded {
            core.server.take_snapshot(ctx);
        }
        let last_epoch = epoch_of(core.last_logged_zxid());
        for name in ["currentEpoch", "acceptedEpoch"] {
            let epoch = match core.read_epoch(ctx, name) {
                Some(e) => e,
                None => {
                    core.log(ctx, "INFO", QP, &format!("{name} not found! Creating with a reasonable default of {last_epoch}. This should only happen when you are upgrading your installation"));
                    core.write_epoch(ctx, name, last_epoch);
                    last_epoch
                }
            };
            match name {
                "currentEpoch" => core.current_epoch = epoch,
                _ => core.accepted_epoch = epoch,
            }
        }
    }
    let Some(election_port) = election_port else {
        core.log(
            ctx,
            "ERROR",
            QP,
            &format!("Setting LearnerType to PARTICIPANT but {myid} not in QuorumPeers. "),
        );
        ctx.exit(1);
        return None;
    };
    let bind = match v {
        ZkVersion::V3_3 => format!("My election bind port: {election_port}"),
        ZkVersion::V3_5 => {
            let host = core.config().servers[&myid].host.clone();
            let address = core.describe(ctx, &host, election_port);
            format!("{myid} is accepting connections now, my election bind port: {address}")
        }
    };
    core.log(ctx, "INFO", QCM, &bind);
    if ctx.listen(election_port).is_err() {
        core.log_trace(
            ctx,
            "ERROR",
            QCM,
            "Exception while listening",
            "java.net.BindException: Address already in use\n",
        );
    }
    let mut peer = QuorumPeer {
        core,
        role: PeerRole::Looking,
    };
    peer.look(ctx);
    peer.flush(ctx);
    Some(peer)
}

impl QuorumPeer {
    pub(crate) fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        match event {
            Event::Accepted { conn, local, peer } => {
                let election = self.core.config().servers[&self.core.myid].election_port;
                let quorum = self.core.config().servers[&self.core.myid].quorum_port;
                if local.port == election {
                    self.core.channels.accepted.insert(conn);
                } else if local.port == quorum {
                    if let PeerRole::Leading(leader) = &mut self.role {
                        leader.learners.insert(
                            conn,
                            LearnerHandler {
                                sid: None,
                                peer,
                                stage: Stage::AwaitInfo,
                                peer_last_zxid: 0,
                                forwarding: false,
                                tick_of_last_ack: leader.tick,
                            },
                        );
                    } else {
                        ctx.close(conn);
                    }
                } else {
                    self.core
                        .server
                        .handle(ctx, Event::Accepted { conn, local, peer });
                }
            }
            Event::Connected { conn } => {
                if self.core.channels.connecting.contains_key(&conn) {
                    self.core.channel_connected(ctx, conn);
                } else if self.follower_conn(conn) {
                    self.follower_connected(ctx, conn);
                }
            }
            Event::ConnectFailed { conn, error } => {
                if let Some((sid, timer)) = self.core.channels.connecting.remove(&conn) {
                    ctx.cancel_timer(timer);
                    self.core.cannot_open_channel(ctx, sid, &error);
                } else if self.follower_conn(conn) {
                    self.follower_connect_failed(ctx, &error);
                }
            }
            Event::Received { conn, message } => self.received(ctx, conn, message),
            Event::Closed { conn, error } => {
                if self.core.channel_closed(ctx, conn) {
                } else if self.follower_conn(conn) {
                    let exception = match error {
                        Some(NetError::TimedOut) => {
                            "java.net.SocketTimeoutException: Read timed out"
                        }
                        Some(NetError::Reset) => "java.net.SocketException: Connection reset",
                        _ => "java.io.EOFException",
                    };
                    self.follower_failed(ctx, exception);
                } else if let PeerRole::Leading(leader) = &mut self.role {
                    if let Some(h) = leader.learners.remove(&conn) {
                        let line = format!("******* GOODBYE /{} ********", h.peer);
                        self.core.log(ctx, "WARN", HANDLER, &line);
                    } else {
                        self.core.server.handle(ctx, Event::Closed { conn, error });
                    }
                } else {
                    self.core.server.handle(ctx, Event::Closed { conn, error });
                }
            }
            Event::Timer(token) if token & CONNECT_TIMEOUT != 0 => {
                let conn = ConnId(token & !CONNECT_TIMEOUT);
                if let Some((sid, _)) = self.core.channels.connecting.remove(&conn) {
                    ctx.close(conn);
                    self.core.cannot_open_channel(ctx, sid, &NetError::TimedOut);
                } else if self.follower_conn(conn) {
                    ctx.close(conn);
                    self.follower_connect_failed(ctx, &NetError::TimedOut);
                }
            }
            Event::Timer(token) if token >= 1 << TIMER_SHIFT => {
                if token >> TIMER_SHIFT != self.core.generation {
                    return;
                }
                match token & ((1 << TIMER_SHIFT) - 1) {
                    ELECTION_POLL => self.poll_timeout(ctx),
                    LEADER_TICK => self.leader_tick(ctx),
                    FOLLOWER_READ_TIMEOUT => {
                        if let PeerRole::Following(f) = &mut self.role {
                            if let Some(conn) = f.conn.take() {
                                ctx.close(conn);
                            }
                        }
                        self.follower_failed(
                            ctx,
                            "java.net.SocketTimeoutException: Read timed out",
                        );
                    }
                    FOLLOWER_RETRY => self.follower_connect(ctx),
                    _ => {}
                }
            }
            event => self.core.server.handle(ctx, event),
        }
        self.flush(ctx);
    }

    /// After each event: notifications it sent itself, then the changes its
    /// clients asked for go to the ensemble.
    fn flush(&mut self, ctx: &mut Context<'_>) {
        loop {
            self.core.flush_election(ctx);
            if let Some(n) = self.core.inbox.pop_front() {
                self.notification(ctx, n);
                continue;
            }
            let subs = std::mem::take(&mut self.core.server.to_quorum);
            if subs.is_empty() {
                break;
            }
            for sub in subs {
                let forward_to = match &self.role {
                    PeerRole::Leading(_) => None,
                    PeerRole::Following(f) => f.conn,
                    PeerRole::Looking => continue,
                };
                match forward_to {
                    None => self.leader_submit(ctx, None, sub),
                    Some(conn) => ctx.send(conn, Box::new(QuorumPacket::Request(sub))),
                }
            }
        }
    }

    fn received(&mut self, ctx: &mut Context<'_>, conn: ConnId, message: Message) {
        if self.core.is_channel(conn) {
            let message = match downcast::<ElectionHello>(message) {
                Ok(hello) => {
                    if self.core.channels.accepted.contains(&conn) {
                        self.core.channel_hello(ctx, conn, hello.sid);
                    }
                    return;
                }
                Err(m) => m,
            };
            if let Ok(mut n) = downcast::<Notification>(message) {
                if let Some(&sid) = self.core.channels.by_conn.get(&conn) {
                    n.sid = sid;
                    self.notification(ctx, n);
                }
            }
            return;
        }
        let leader_conn =
            matches!(&self.role, PeerRole::Leading(l) if l.learners.contains_key(&conn));
        if leader_conn || self.follower_conn(conn) {
            let Ok(packet) = downcast::<QuorumPacket>(message) else {
                ctx.close(conn);
                return;
            };
            if leader_conn {
                self.learner_packet(ctx, conn, packet);
            } else {
                self.leader_packet(ctx, packet);
            }
            return;
        }
        self.core
            .server
            .handle(ctx, Event::Received { conn, message });
    }

    // --- election ------------------------------------------------------------

    /// LOOKING: drop clients, reload the database, and vote for itself.
    fn look(&mut self, ctx: &mut Context<'_>) {
        self.core.generation += 1;
        let first = self.core.election_started_ms.is_none() && self.core.election.logicalclock == 0;
        self.role = PeerRole::Looking;
        if !first {
            self.core.server.stop_serving(ctx);
            match self.core.server.restore_from_disk(ctx) {
                Ok((txns, _)) => {
                    self.core.committed.clear();
                    for (h, t) in &txns {
                        self.core.committed.add(h, t);
                    }
                }
                Err(message) => {
                    self.core
                        .log(ctx, "ERROR", QP, "Unable to load database on disk");
                    ctx.stdout(&format!("java.io.IOException: {message}\n"));
                    ctx.exit(1);
                    return;
                }
            }
        }
        self.core.vote.state = ServerState::Looking;
        self.core.log(ctx, "INFO", QP, "LOOKING");
        let now = Core::now_ms(ctx);
        self.core.election_started_ms.get_or_insert(now);
        let zxid = self.core.last_logged_zxid();
        let epoch = self.core.current_epoch;
        self.core.election.start(zxid, epoch);
        self.core.flush_election(ctx);
        let wait = self.core.election.not_timeout_ms;
        self.core.arm_poll(ctx, wait);
    }

    fn notification(&mut self, ctx: &mut Context<'_>, n: Notification) {
        let my_state = self.core.state(&self.role);
        let line = n.log_line(self.core.version, my_state);
        self.core.log(ctx, "INFO", FLE, &line);
        if my_state != ServerState::Looking {
            if n.state == ServerState::Looking && n.sid != self.core.myid {
                let v = self.core.vote;
                let reply = Notification {
                    state: my_state,
                    leader: v.leader,
                    zxid: v.zxid,
                    election_epoch: match self.core.version {
                        ZkVersion::V3_3 => self.core.election.logicalclock,
                        ZkVersion::V3_5 => v.election_epoch,
                    },
                    peer_epoch: v.peer_epoch,
                    sid: self.core.myid,
                };
                self.core.send_notification(ctx, n.sid, reply);
            }
            return;
        }
        if n.state == ServerState::Looking && n.election_epoch < self.core.election.logicalclock {
            let (to, mine) = self.core.election.proposal_for(n.sid);
            self.core.send_notification(ctx, to, mine);
        }
        let step = self.core.election.receive(&n);
        self.core.flush_election(ctx);
        match step {
            Step::Wait => {
                let wait = self.core.election.not_timeout_ms;
                self.core.arm_poll(ctx, wait);
            }
            Step::Finalize => self.core.arm_poll(ctx, FINALIZE_WAIT_MS),
            Step::Decided(vote) => self.decided(ctx, vote),
        }
    }

    fn poll_timeout(&mut self, ctx: &mut Context<'_>) {
        if !matches!(self.role, PeerRole::Looking) {
            return;
        }
        self.core.poll_timer = None;
        let step = self.core.election.poll_timeout();
        self.core.flush_election(ctx);
        match step {
            Step::Decided(vote) => self.decided(ctx, vote),
            _ => {
                let wait = self.core.election.not_timeout_ms;
                self.core.arm_poll(ctx, wait);
            }
        }
    }

    fn election_took(&mut self, ctx: &mut Context<'_>, state: &str) {
        let started = self
            .core
            .election_started_ms
            .take()
            .unwrap_or(Core::now_ms(ctx));
        if self.core.version == ZkVersion::V3_5 {
            let took = Core::now_ms(ctx) - started;
            let logger = if state == "LEADING" { LEADER } else { FOLLOWER };
            self.core.log(
                ctx,
                "INFO",
                logger,
                &format!("{state} - LEADER ELECTION TOOK - {took} MS"),
            );
        }
    }

    fn decided(&mut self, ctx: &mut Context<'_>, vote: Vote) {
        if let Some(t) = self.core.poll_timer.take() {
            ctx.cancel_timer(t);
        }
        self.core.generation += 1;
        self.core.vote = vote;
        if vote.leader == self.core.myid {
            self.lead(ctx);
        } else {
            self.follow(ctx, vote.leader);
        }
    }

    // --- leader ----------------------------------------------------------------

    fn lead(&mut self, ctx: &mut Context<'_>) {
        self.core.log(ctx, "INFO", QP, "LEADING");
        self.election_took(ctx, "LEADING");
        let quorum_port = self.core.config().servers[&self.core.myid].quorum_port;
        if ctx.listen(quorum_port).is_err() {
            let t = trace(
                "java.net.BindException: Address already in use (Bind failed)",
                &["java.net.PlainSocketImpl.socketBind(Native Method)"],
            );
            self.core.log_trace(
                ctx,
                "ERROR",
                LEADER,
                &format!("Couldn't bind to port {quorum_port}"),
                &t,
            );
            self.look(ctx);
            return;
        }
        self.core.server.log_created(ctx);
        // `zk.loadData()`: the leader snapshots what it has.
        self.core.server.take_snapshot(ctx);
        let now = Core::now_ms(ctx);
        let last = self.core.server.last_zxid();
        let mut leader = Leader {
            epoch: None,
            new_leader_zxid: 0,
            learners: BTreeMap::new(),
            epoch_votes: BTreeMap::new(),
            epoch_acks: BTreeSet::new(),
            epoch_acked: false,
            new_leader_acks: BTreeSet::new(),
            started: false,
            proposals: Proposals::new(self.core.voters().len(), last),
            syncs: Vec::new(),
            deferred: Vec::new(),
            tick: 0,
            tick_skip: true,
            deadline_ms: now + self.core.init_limit_ms(),
        };
        leader
            .epoch_votes
            .insert(self.core.myid, self.core.accepted_epoch);
        self.role = PeerRole::Leading(leader);
        let half = self.core.tick_ms() / 2;
        self.core.timer(ctx, half, LEADER_TICK);
        if self.core.version == ZkVersion::V3_3 {
            let epoch = epoch_of(last) + 1;
            self.establish_epoch(ctx, epoch);
        }
    }

    fn handler(&mut self, conn: ConnId) -> Option<&mut LearnerHandler> {
        match &mut self.role {
            PeerRole::Leading(l) => l.learners.get_mut(&conn),
            _ => None,
        }
    }

    /// The new epoch is known: 3.5 tells the waiting learners (LEADERINFO).
    fn establish_epoch(&mut self, ctx: &mut Context<'_>, epoch: i64) {
        let v = self.core.version;
        let myid = self.core.myid;
        let new_leader_zxid = make_zxid(epoch, 0);
        self.core.write_epoch(ctx, "acceptedEpoch", epoch);
        self.core.server.set_next_zxid(new_leader_zxid + 1);
        let now = Core::now_ms(ctx);
        let init = self.core.init_limit_ms();
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        leader.epoch = Some(epoch);
        leader.new_leader_zxid = new_leader_zxid;
        leader.deadline_ms = now + init;
        match v {
            ZkVersion::V3_3 => {
                leader.new_leader_acks.insert(myid);
                self.core.log(
                    ctx,
                    "INFO",
                    LEADER,
                    &format!("NEWLEADER proposal has Zxid of {new_leader_zxid:x}"),
                );
            }
            ZkVersion::V3_5 => {
                leader.epoch_acks.insert(myid);
                let waiting: Vec<ConnId> = leader
                    .learners
                    .iter()
                    .filter(|(_, h)| h.stage == Stage::AwaitInfo && h.sid.is_some())
                    .map(|(c, _)| *c)
                    .collect();
                for conn in waiting {
                    self.send_leader_info(ctx, conn);
                }
            }
        }
    }

    fn send_leader_info(&mut self, ctx: &mut Context<'_>, conn: ConnId) {
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        let zxid = leader.new_leader_zxid;
        if let Some(h) = leader.learners.get_mut(&conn) {
            h.stage = Stage::AwaitEpochAck;
            ctx.send(conn, Box::new(QuorumPacket::LeaderInfo { zxid }));
        }
    }

    /// 3.5: a quorum acknowledged the epoch; it becomes current, and the
    /// learners that acknowledged are brought in step.
    fn epoch_acked(&mut self, ctx: &mut Context<'_>) {
        let now = Core::now_ms(ctx);
        let init = self.core.init_limit_ms();
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        leader.epoch_acked = true;
        leader.deadline_ms = now + init;
        let epoch = leader.epoch.unwrap_or(0);
        let zxid = leader.new_leader_zxid;
        leader.new_leader_acks.insert(self.core.myid);
        self.core.write_epoch(ctx, "currentEpoch", epoch);
        self.core.vote.peer_epoch = epoch;
        self.core.log(
            ctx,
            "INFO",
            LEADER,
            &format!("NEWLEADER proposal has Zxid of {zxid:x}"),
        );
        let waiting: Vec<ConnId> = match &self.role {
            PeerRole::Leading(l) => l
                .learners
                .iter()
                .filter(|(_, h)| h.stage == Stage::AwaitEpochQuorum)
                .map(|(c, _)| *c)
                .collect(),
            _ => return,
        };
        for conn in waiting {
            self.sync_learner(ctx, conn);
        }
    }

    /// `syncFollower`: DIFF, TRUNC or SNAP, then NEWLEADER; from here on
    /// the learner gets every proposal.
    fn sync_learner(&mut self, ctx: &mut Context<'_>, conn: ConnId) {
        let v = self.core.version;
        let leader_last = self.core.server.last_zxid();
        let (min, max) = (self.core.committed.min(), self.core.committed.max());
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        let Some(h) = leader.learners.get(&conn) else {
            return;
        };
        let sid = h.sid.unwrap_or(0);
        let peer = h.peer_last_zxid;
        let new_leader_zxid = leader.new_leader_zxid;
        let outstanding: Vec<(TxnHeader, Txn)> = leader.proposals.outstanding();
        let mut plan = plan_sync(&self.core.committed, peer, leader_last);
        // A learner at the start of an epoch (counter 0) has nothing to truncate.
        if peer & 0xffff_ffff == 0 && matches!(plan, SyncPlan::Trunc { .. }) && peer != 0 {
            plan = SyncPlan::Snap;
        }
        let line = match v {
            ZkVersion::V3_3 => format!("Synchronizing with Follower sid: {sid} maxCommittedLog ={max:x} minCommittedLog = {min:x} peerLastZxid = {peer:x}"),
            ZkVersion::V3_5 => format!("Synchronizing with Follower sid: {sid} maxCommittedLog=0x{max:x} minCommittedLog=0x{min:x} lastProcessedZxid=0x{leader_last:x} peerLastZxid=0x{peer:x}"),
        };
        self.core.log(ctx, "INFO", HANDLER, &line);
        let mut packets = Vec::new();
        if v == ZkVersion::V3_3 {
            packets.push(QuorumPacket::NewLeader {
                zxid: leader_last.max(new_leader_zxid),
            });
        }
        let txns = match plan {
            SyncPlan::Diff { zxid, txns } => {
                let line = match v {
                    ZkVersion::V3_3 => "Sending diff".to_owned(),
                    ZkVersion::V3_5 => format!("Sending DIFF zxid=0x{zxid:x} for peer sid: {sid}"),
                };
                if v == ZkVersion::V3_5 && !txns.is_empty() {
                    self.core.log(
                        ctx,
                        "INFO",
                        HANDLER,
                        &format!("Using committedLog for peer sid: {sid}"),
                    );
                }
                if v == ZkVersion::V3_5 || !txns.is_empty() {
                    self.core.log(ctx, "INFO", HANDLER, &line);
                }
                packets.push(QuorumPacket::Diff { zxid });
                txns
            }
            SyncPlan::Trunc { zxid, txns } => {
                let line = match v {
                    ZkVersion::V3_3 => "Sending TRUNC".to_owned(),
                    ZkVersion::V3_5 => format!("Sending TRUNC zxid=0x{zxid:x} for peer sid: {sid}"),
                };
                self.core.log(ctx, "INFO", HANDLER, &line);
                packets.push(QuorumPacket::Trunc { zxid });
                txns
            }
            SyncPlan::Snap => {
                let line = match v {
                    ZkVersion::V3_3 => format!("Sending snapshot last zxid of peer is 0x{peer:x}  zxid of leader is 0x{:x}sent zxid of db as 0x{leader_last:x}", leader_last.max(new_leader_zxid)),
                    ZkVersion::V3_5 => format!("Sending snapshot last zxid of peer is 0x{peer:x}, zxid of leader is 0x{:x}, send zxid of db as 0x{leader_last:x}, 0 concurrent snapshots, snapshot was exempt from throttle", leader_last.max(new_leader_zxid)),
                };
                self.core.log(ctx, "INFO", HANDLER, &line);
                packets.push(QuorumPacket::Snap {
                    zxid: leader_last,
                    snapshot: self.core.server.snapshot_now(),
                });
                Vec::new()
            }
        };
        for (header, txn) in txns {
            let zxid = header.zxid;
            packets.push(QuorumPacket::Proposal { header, txn });
            packets.push(QuorumPacket::Commit { zxid });
        }
        for (header, txn) in outstanding {
            packets.push(QuorumPacket::Proposal { header, txn });
        }
        match v {
            ZkVersion::V3_3 => packets.push(QuorumPacket::UpToDate),
            ZkVersion::V3_5 => packets.push(QuorumPacket::NewLeader {
                zxid: new_leader_zxid,
            }),
        }
        for p in packets {
            ctx.send(conn, Box::new(p));
        }
        if let Some(h) = self.handler(conn) {
            h.forwarding = true;
            h.stage = Stage::AwaitNewLeaderAck;
        }
    }

    fn learner_packet(&mut self, ctx: &mut Context<'_>, conn: ConnId, packet: QuorumPacket) {
        let v = self.core.version;
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        let tick = leader.tick;
        let started = leader.started;
        let new_leader_zxid = leader.new_leader_zxid;
        let Some(h) = leader.learners.get_mut(&conn) else {
            return;
        };
        h.tick_of_last_ack = tick;
        let stage = h.stage;
        let sid = h.sid.unwrap_or(0);
        match packet {
            QuorumPacket::FollowerInfo { sid, zxid } if stage == Stage::AwaitInfo => {
                h.sid = Some(sid);
                h.peer_last_zxid = zxid;
                let info = self.learner_info(ctx, sid);
                self.core.log(
                    ctx,
                    "INFO",
                    HANDLER,
                    &format!("Follower sid: {sid} : info : {info}"),
                );
                match v {
                    ZkVersion::V3_3 => self.sync_learner(ctx, conn),
                    ZkVersion::V3_5 => self.epoch_vote(ctx, conn, sid, epoch_of(zxid)),
                }
            }
            QuorumPacket::AckEpoch { zxid, .. } if stage == Stage::AwaitEpochAck => {
                h.peer_last_zxid = zxid;
                h.stage = Stage::AwaitEpochQuorum;
                let acked = leader.epoch_acked;
                leader.epoch_acks.insert(sid);
                let acks = leader.epoch_acks.clone();
                if acked {
                    self.sync_learner(ctx, conn);
                } else if self.core.is_quorum(&acks) {
                    self.epoch_acked(ctx);
                }
            }
            QuorumPacket::Ack { zxid } if stage == Stage::AwaitNewLeaderAck => {
                if zxid != new_leader_zxid {
                    return;
                }
                h.stage = match (v, started) {
                    (ZkVersion::V3_3, _) | (_, true) => Stage::Running,
                    _ => Stage::AwaitStart,
                };
                if v == ZkVersion::V3_5 && started {
                    ctx.send(conn, Box::new(QuorumPacket::UpToDate));
                }
                leader.new_leader_acks.insert(sid);
                let acks = leader.new_leader_acks.clone();
                if !started && self.core.is_quorum(&acks) {
                    self.leader_start(ctx);
                }
            }
            QuorumPacket::Ack { zxid } => {
                if zxid & 0xffff_ffff == 0 {
                    return;
                }
                let committed = leader.proposals.ack(sid, zxid);
                self.commit(ctx, committed);
            }
            QuorumPacket::Request(sub) => {
                if started {
                    self.leader_submit(ctx, Some(conn), sub);
                } else {
                    leader.deferred.push((Some(conn), sub));
                }
            }
            QuorumPacket::Ping { sessions } => {
                let now = Core::now_ms(ctx);
                for (id, _) in sessions {
                    self.core.server.sessions.touch(id, now);
                }
                self.core.server.schedule_expiry(ctx);
            }
            _ => {}
        }
    }

    /// How `LearnerHandler` prints a learner's `QuorumServer`.
    fn learner_info(&self, ctx: &Context<'_>, sid: i64) -> String {
        let Some(s) = self.core.config().servers.get(&sid) else {
            return "null".to_owned();
        };
        match self.core.version {
            // 3.3's QuorumServer has no toString: Object's, with an identity hash.
            ZkVersion::V3_3 => format!(
                "org.apache.zookeeper.server.quorum.QuorumPeer$QuorumServer@{:x}",
                (crate::java::string_hash(&s.host) as u32)
                    .wrapping_mul(31)
                    .wrapping_add(sid as u32)
            ),
            ZkVersion::V3_5 => {
                let ip = ctx
                    .resolve(&s.host)
                    .map(|i| i.to_string())
                    .unwrap_or_default();
                format!(
                    "{}/{ip}:{}:{}:participant",
                    s.host, s.quorum_port, s.election_port
                )
            }
        }
    }

    /// 3.5's `getEpochToPropose`: a quorum's accepted epochs decide the new one.
    fn epoch_vote(&mut self, ctx: &mut Context<'_>, conn: ConnId, sid: i64, accepted: i64) {
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        if leader.epoch.is_some() {
            self.send_leader_info(ctx, conn);
            return;
        }
        leader.epoch_votes.insert(sid, accepted);
        let sids: BTreeSet<i64> = leader.epoch_votes.keys().copied().collect();
        let epoch = leader.epoch_votes.values().max().copied().unwrap_or(0) + 1;
        if self.core.is_quorum(&sids) {
            self.establish_epoch(ctx, epoch);
        }
    }

    /// A quorum acknowledged NEWLEADER: the leader serves.
    fn leader_start(&mut self, ctx: &mut Context<'_>) {
        let v = self.core.version;
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        leader.started = true;
        let zxid = leader.new_leader_zxid;
        let sids: Vec<String> = leader
            .new_leader_acks
            .iter()
            .map(|s| s.to_string())
            .collect();
        let line = match v {
            ZkVersion::V3_3 => format!("Have quorum of supporters; starting up and setting last processed zxid: {zxid}"),
            ZkVersion::V3_5 => format!("Have quorum of supporters, sids: [[{}]]; starting up and setting last processed zxid: 0x{zxid:x}", sids.join(", ")),
        };
        let waiting: Vec<ConnId> = leader
            .learners
            .iter()
            .filter(|(_, h)| h.stage == Stage::AwaitStart)
            .map(|(c, _)| *c)
            .collect();
        for conn in &waiting {
            if let Some(h) = leader.learners.get_mut(conn) {
                h.stage = Stage::Running;
            }
            ctx.send(*conn, Box::new(QuorumPacket::UpToDate));
        }
        let deferred = std::mem::take(&mut leader.deferred);
        self.core.log(ctx, "INFO", LEADER, &line);
        if self.core.server.tree.last_processed_zxid < zxid {
            self.core.server.tree.last_processed_zxid = zxid;
        }
        self.core.server.role = Role::Leader;
        self.core.server.restart_session_deadlines(ctx);
        for (from, sub) in deferred {
            self.leader_submit(ctx, from, sub);
        }
    }

    /// A change from a client of this leader (`from` none) or of a learner:
    /// prepared, logged, proposed; a sync waits for what was proposed before it.
    fn leader_submit(&mut self, ctx: &mut Context<'_>, from: Option<ConnId>, sub: Submission) {
        let myid = self.core.myid;
        if let SubmissionKind::Sync { path } = &sub.kind {
            let path = path.clone();
            let PeerRole::Leading(leader) = &mut self.role else {
                return;
            };
            match leader.proposals.last() {
                None => self.answer_sync(ctx, from, sub.session, sub.cxid, &path),
                Some(after) => leader.syncs.push(PendingSync {
                    after,
                    learner: from,
                    session: sub.session,
                    cxid: sub.cxid,
                    path,
                }),
            }
            return;
        }
        let (header, txn) = self.core.server.prepare(ctx, &sub);
        self.core.server.log_txn(ctx, &header, &txn);
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        leader.proposals.propose(&header, &txn);
        for (conn, h) in &leader.learners {
            if h.forwarding {
                ctx.send(
                    *conn,
                    Box::new(QuorumPacket::Proposal {
                        header: header.clone(),
                        txn: txn.clone(),
                    }),
                );
            }
        }
        let committed = leader.proposals.ack(myid, header.zxid);
        self.commit(ctx, committed);
    }

    fn answer_sync(
        &mut self,
        ctx: &mut Context<'_>,
        learner: Option<ConnId>,
        session: i64,
        cxid: i32,
        path: &str,
    ) {
        match learner {
            None => self.core.server.sync_done(ctx, session, cxid, path),
            Some(conn) => ctx.send(
                conn,
                Box::new(QuorumPacket::Sync {
                    session,
                    cxid,
                    path: path.to_owned(),
                }),
            ),
        }
    }

    /// Committed proposals go out as COMMITs and apply here; syncs behind them answer.
    fn commit(&mut self, ctx: &mut Context<'_>, committed: Vec<crate::zab::Proposal>) {
        for p in committed {
            let PeerRole::Leading(leader) = &mut self.role else {
                return;
            };
            for (conn, h) in &leader.learners {
                if h.forwarding {
                    ctx.send(
                        *conn,
                        Box::new(QuorumPacket::Commit {
                            zxid: p.header.zxid,
                        }),
                    );
                }
            }
            let zxid = p.header.zxid;
            let ready: Vec<PendingSync> = {
                let (ready, rest) = std::mem::take(&mut leader.syncs)
                    .into_iter()
                    .partition(|s| s.after <= zxid);
                leader.syncs = rest;
                ready
            };
            self.core.apply(ctx, &p.header, &p.txn);
            for s in ready {
                self.answer_sync(ctx, s.learner, s.session, s.cxid, &s.path);
            }
        }
    }

    /// Every half tick: pings; every tick, a quorum must have answered within
    /// `syncLimit` (or, before it started, `initLimit` must not have passed).
    fn leader_tick(&mut self, ctx: &mut Context<'_>) {
        let v = self.core.version;
        let myid = self.core.myid;
        let sync_limit = self.core.config().sync_limit.unwrap_or(5);
        let voters = self.core.voters();
        let now = Core::now_ms(ctx);
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        if !leader.tick_skip {
            leader.tick += 1;
        }
        if !leader.started {
            if now >= leader.deadline_ms {
                let reason = if leader.epoch.is_none() {
                    Err("java.lang.InterruptedException: Timeout while waiting for epoch from quorum")
                } else if v == ZkVersion::V3_5 && !leader.epoch_acked {
                    Err("java.lang.InterruptedException: Timeout while waiting for epoch to be acked by quorum")
                } else {
                    let acks: Vec<String> = leader
                        .new_leader_acks
                        .iter()
                        .map(|s| s.to_string())
                        .collect();
                    Ok(match v {
                        ZkVersion::V3_3 => format!(
                            "Waiting for a quorum of followers, only synced with: {}",
                            acks.iter().map(|s| format!("{s}: ")).collect::<String>()
                        ),
                        ZkVersion::V3_5 => format!(
                            "Waiting for a quorum of followers, only synced with sids: [ [{}] ]",
                            acks.join(", ")
                        ),
                    })
                };
                match reason {
                    Ok(reason) => self.leader_shutdown(ctx, &reason),
                    Err(exception) => {
                        let t = trace(exception, &[
                            "org.apache.zookeeper.server.quorum.Leader.getEpochToPropose(Leader.java:1230)",
                            "org.apache.zookeeper.server.quorum.Leader.lead(Leader.java:482)",
                            "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1269)",
                        ]);
                        self.core
                            .log_trace(ctx, "WARN", QP, "Unexpected exception", &t);
                        self.leader_shutdown(ctx, "Forcing shutdown");
                    }
                }
                return;
            }
        } else {
            let tick = leader.tick;
            let mut synced: BTreeSet<i64> = [myid].into_iter().collect();
            for h in leader.learners.values() {
                if let Some(sid) = h.sid {
                    if voters.contains(&sid) && h.tick_of_last_ack >= tick - sync_limit {
                        synced.insert(sid);
                    }
                }
            }
            if !leader.tick_skip && synced.len() <= voters.len() / 2 {
                let reason = match v {
                    ZkVersion::V3_3 => format!(
                        "Only {} followers, need {}",
                        synced.len() - 1,
                        voters.len() / 2
                    ),
                    ZkVersion::V3_5 => format!(
                        "Not sufficient followers synced, only synced with sids: [ [{}] ]",
                        synced
                            .iter()
                            .map(|s| s.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.leader_shutdown(ctx, &reason);
                return;
            }
        }
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        leader.tick_skip = !leader.tick_skip;
        for (conn, h) in &leader.learners {
            if h.stage == Stage::Running || h.stage == Stage::AwaitStart {
                ctx.send(
                    *conn,
                    Box::new(QuorumPacket::Ping {
                        sessions: Vec::new(),
                    }),
                );
            }
        }
        let half = self.core.tick_ms() / 2;
        self.core.timer(ctx, half, LEADER_TICK);
    }

    fn leader_shutdown(&mut self, ctx: &mut Context<'_>, reason: &str) {
        let v = self.core.version;
        if v == ZkVersion::V3_5 {
            self.core.log(ctx, "INFO", LEADER, "Shutting down");
        }
        let frames: &[&str] = match v {
            ZkVersion::V3_3 => &[
                "org.apache.zookeeper.server.quorum.Leader.shutdown(Leader.java:390)",
                "org.apache.zookeeper.server.quorum.Leader.lead(Leader.java:314)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:658)",
            ],
            ZkVersion::V3_5 => &[
                "org.apache.zookeeper.server.quorum.Leader.shutdown(Leader.java:683)",
                "org.apache.zookeeper.server.quorum.Leader.lead(Leader.java:663)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1269)",
            ],
        };
        let t = trace(
            &format!("java.lang.Exception: shutdown Leader! reason: {reason}"),
            frames,
        );
        self.core
            .log_trace(ctx, "INFO", LEADER, "Shutdown called", &t);
        let quorum_port = self.core.config().servers[&self.core.myid].quorum_port;
        ctx.stop_listening(quorum_port);
        if let PeerRole::Leading(leader) = &self.role {
            for conn in leader.learners.keys() {
                ctx.close(*conn);
            }
        }
        self.look(ctx);
    }

    // --- follower ----------------------------------------------------------------

    fn follower_conn(&self, conn: ConnId) -> bool {
        matches!(&self.role, PeerRole::Following(f) if f.conn == Some(conn))
    }

    fn follow(&mut self, ctx: &mut Context<'_>, leader: i64) {
        self.core.log(ctx, "INFO", QP, "FOLLOWING");
        self.election_took(ctx, "FOLLOWING");
        self.core.server.log_created(ctx);
        let (host, port) = match self.core.config().servers.get(&leader) {
            Some(s) => (s.host.clone(), s.quorum_port),
            None => {
                self.core.log(
                    ctx,
                    "WARN",
                    LEARNER,
                    &format!("Couldn't find the leader with id = {leader}"),
                );
                self.look(ctx);
                return;
            }
        };
        self.role = PeerRole::Following(Follower {
            host,
            port,
            conn: None,
            connect_timer: None,
            tries: 0,
            phase: Phase::Connecting,
            started_ms: Core::now_ms(ctx),
            new_leader_zxid: 0,
            snapshot_needed: true,
            pending: VecDeque::new(),
            unacked: Vec::new(),
            read_timer: None,
        });
        self.follower_connect(ctx);
    }

    fn follower_connect(&mut self, ctx: &mut Context<'_>) {
        let sync_limit = self.core.sync_limit_ms();
        let PeerRole::Following(f) = &mut self.role else {
            return;
        };
        match ctx.connect(&f.host, f.port) {
            Ok(conn) => {
                f.conn = Some(conn);
                f.connect_timer = Some(ctx.set_timer(
                    Duration::from_millis(sync_limit as u64),
                    CONNECT_TIMEOUT | conn.0,
                    TimerKind::OneShot,
                ));
            }
            Err(e) => self.follower_connect_failed(ctx, &e),
        }
    }

    fn follower_connect_failed(&mut self, ctx: &mut Context<'_>, error: &NetError) {
        let v = self.core.version;
        let init = self.core.init_limit_ms();
        let now = Core::now_ms(ctx);
        let PeerRole::Following(f) = &mut self.role else {
            return;
        };
        f.conn = None;
        let tries = f.tries;
        f.tries += 1;
        let address = self.core.describe(ctx, &f.host.clone(), f.port);
        let f_started = f.started_ms;
        let frames: &[&str] = match v {
            ZkVersion::V3_3 => &[
                "org.apache.zookeeper.server.quorum.Learner.connectToLeader(Learner.java:220)",
                "org.apache.zookeeper.server.quorum.Follower.followLeader(Follower.java:65)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:645)",
            ],
            ZkVersion::V3_5 => &[
                "org.apache.zookeeper.server.quorum.Learner.sockConnect(Learner.java:233)",
                "org.apache.zookeeper.server.quorum.Learner.connectToLeader(Learner.java:262)",
                "org.apache.zookeeper.server.quorum.Follower.followLeader(Follower.java:77)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1256)",
            ],
        };
        let t = trace(&connect_exception(error), frames);
        let last = tries >= 4;
        let line = match v {
            ZkVersion::V3_3 if last => "Unexpected exception".to_owned(),
            ZkVersion::V3_3 => {
                format!("Unexpected exception, tries={tries}, connecting to {address}")
            }
            ZkVersion::V3_5 => {
                let remaining = init - (now - f_started);
                let what = if last {
                    "Unexpected exception, retries exceeded."
                } else {
                    "Unexpected exception,"
                };
                format!("{what} tries={tries}, remaining init limit={remaining}, connecting to {address}")
            }
        };
        let level = if last { "ERROR" } else { "WARN" };
        self.core.log_trace(ctx, level, LEARNER, &line, &t);
        if last {
            self.follower_failed(ctx, &connect_exception(error));
        } else {
            self.core.timer(ctx, 1000, FOLLOWER_RETRY);
        }
    }

    fn follower_connected(&mut self, ctx: &mut Context<'_>, conn: ConnId) {
        let v = self.core.version;
        let myid = self.core.myid;
        let zxid = match v {
            ZkVersion::V3_3 => self.core.last_logged_zxid(),
            ZkVersion::V3_5 => make_zxid(self.core.accepted_epoch, 0),
        };
        let init = self.core.init_limit_ms();
        let timer = self.core.timer(ctx, init, FOLLOWER_READ_TIMEOUT);
        let PeerRole::Following(f) = &mut self.role else {
            return;
        };
        if let Some(t) = f.connect_timer.take() {
            ctx.cancel_timer(t);
        }
        f.phase = match v {
            ZkVersion::V3_3 => Phase::Sync,
            ZkVersion::V3_5 => Phase::Discovery,
        };
        f.read_timer = Some(timer);
        ctx.send(
            conn,
            Box::new(QuorumPacket::FollowerInfo { sid: myid, zxid }),
        );
    }

    /// `followLeader` ends with an exception: shut down and look again.
    fn follower_failed(&mut self, ctx: &mut Context<'_>, exception: &str) {
        let v = self.core.version;
        let PeerRole::Following(f) = &mut self.role else {
            return;
        };
        if let Some(conn) = f.conn.take() {
            ctx.close(conn);
        }
        for t in [f.read_timer.take(), f.connect_timer.take()]
            .into_iter()
            .flatten()
        {
            ctx.cancel_timer(t);
        }
        let frames: &[&str] = match v {
            ZkVersion::V3_3 => &[
                "org.apache.zookeeper.server.quorum.Learner.readPacket(Learner.java:146)",
                "org.apache.zookeeper.server.quorum.Follower.followLeader(Follower.java:78)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:645)",
            ],
            ZkVersion::V3_5 => &[
                "org.apache.zookeeper.server.quorum.Learner.readPacket(Learner.java:158)",
                "org.apache.zookeeper.server.quorum.Follower.followLeader(Follower.java:92)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1256)",
            ],
        };
        self.core.log_trace(
            ctx,
            "WARN",
            FOLLOWER,
            "Exception when following the leader",
            &trace(exception, frames),
        );
        let shutdown_frames: &[&str] = match v {
            ZkVersion::V3_3 => &[
                "org.apache.zookeeper.server.quorum.Follower.shutdown(Follower.java:165)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:649)",
            ],
            ZkVersion::V3_5 => &[
                "org.apache.zookeeper.server.quorum.Follower.shutdown(Follower.java:201)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1260)",
            ],
        };
        self.core.log_trace(
            ctx,
            "INFO",
            FOLLOWER,
            "shutdown called",
            &trace("java.lang.Exception: shutdown Follower", shutdown_frames),
        );
        self.look(ctx);
    }

    /// A packet from the leader.
    fn leader_packet(&mut self, ctx: &mut Context<'_>, packet: QuorumPacket) {
        let v = self.core.version;
        let limit = match &self.role {
            PeerRole::Following(f) if f.phase == Phase::Broadcast => self.core.sync_limit_ms(),
            _ => self.core.init_limit_ms(),
        };
        let timer = self.core.timer(ctx, limit, FOLLOWER_READ_TIMEOUT);
        let PeerRole::Following(f) = &mut self.role else {
            return;
        };
        if let Some(old) = f.read_timer.replace(timer) {
            ctx.cancel_timer(old);
        }
        let Some(conn) = f.conn else { return };
        match packet {
            QuorumPacket::LeaderInfo { zxid } if f.phase == Phase::Discovery => {
                let epoch = epoch_of(zxid);
                let accepted = self.core.accepted_epoch;
                let last = self.core.last_logged_zxid();
                let current = self.core.current_epoch;
                if epoch < accepted {
                    let line = format!("Proposed leader epoch 0x{epoch:x} is less than our accepted epoch 0x{accepted:x}");
                    self.core.log(ctx, "ERROR", FOLLOWER, &line);
                    self.follower_failed(
                        ctx,
                        "java.io.IOException: Error: Epoch of leader is lower",
                    );
                    return;
                }
                let current_epoch = if epoch > accepted {
                    self.core.write_epoch(ctx, "acceptedEpoch", epoch);
                    current
                } else {
                    -1
                };
                if let PeerRole::Following(f) = &mut self.role {
                    f.phase = Phase::Sync;
                }
                ctx.send(
                    conn,
                    Box::new(QuorumPacket::AckEpoch {
                        zxid: last,
                        current_epoch,
                    }),
                );
            }
            QuorumPacket::NewLeader { zxid }
                if f.phase == Phase::Sync && v == ZkVersion::V3_3 && f.new_leader_zxid == 0 =>
            {
                f.new_leader_zxid = zxid;
                let last = self.core.last_logged_zxid();
                if epoch_of(zxid) < epoch_of(last) {
                    let line = format!(
                        "Leader epoch {:x} is less than our epoch {:x}",
                        epoch_of(zxid),
                        epoch_of(last)
                    );
                    self.core.log(ctx, "FATAL", FOLLOWER, &line);
                    self.follower_failed(
                        ctx,
                        "java.io.IOException: Error: Epoch of leader is lower",
                    );
                }
            }
            QuorumPacket::Diff { zxid } if f.phase == Phase::Sync => {
                f.snapshot_needed = false;
                self.core.log(
                    ctx,
                    "INFO",
                    LEARNER,
                    &format!("Getting a diff from the leader 0x{zxid:x}"),
                );
            }
            QuorumPacket::Trunc { zxid } if f.phase == Phase::Sync => {
                let line = format!("Truncating log to get in sync with the leader 0x{zxid:x}");
                self.core.log(ctx, "WARN", LEARNER, &line);
                if let Err(e) = self.core.server.truncate_log(ctx, zxid) {
                    self.core.log(
                        ctx,
                        "ERROR",
                        LEARNER,
                        &format!("Not able to truncate the log {zxid:x}: {e}"),
                    );
                    ctx.exit(13);
                    return;
                }
                self.core.committed.clear();
            }
            QuorumPacket::Snap { zxid, snapshot } if f.phase == Phase::Sync => {
                let line = match v {
                    ZkVersion::V3_3 => "Getting a snapshot from leader".to_owned(),
                    ZkVersion::V3_5 => format!("Getting a snapshot from leader 0x{zxid:x}"),
                };
                self.core.log(ctx, "INFO", LEARNER, &line);
                if let Err(e) = self.core.server.install_snapshot(ctx, zxid, &snapshot) {
                    self.follower_failed(ctx, &format!("java.io.IOException: {e}"));
                    return;
                }
                self.core.committed.clear();
            }
            QuorumPacket::NewLeader { zxid } if f.phase == Phase::Sync => {
                // 3.5: the follower snapshots after a SNAP or TRUNC, takes the epoch, and acks.
                self.core
                    .log(ctx, "INFO", LEARNER, "Learner received NEWLEADER message");
                f.new_leader_zxid = zxid;
                let snapshot = f.snapshot_needed;
                if snapshot {
                    self.core.server.take_snapshot(ctx);
                }
                self.core.write_epoch(ctx, "currentEpoch", epoch_of(zxid));
                ctx.send(conn, Box::new(QuorumPacket::Ack { zxid }));
            }
            QuorumPacket::UpToDate if f.phase == Phase::Sync => {
                let new_leader_zxid = f.new_leader_zxid;
                f.phase = Phase::Broadcast;
                let unacked = std::mem::take(&mut f.unacked);
                match v {
                    ZkVersion::V3_3 => {
                        self.core.server.take_snapshot(ctx);
                        ctx.send(
                            conn,
                            Box::new(QuorumPacket::Ack {
                                zxid: new_leader_zxid,
                            }),
                        );
                    }
                    ZkVersion::V3_5 => {
                        self.core
                            .log(ctx, "INFO", LEARNER, "Learner received UPTODATE message");
                        self.core.vote.peer_epoch = epoch_of(new_leader_zxid);
                    }
                }
                for zxid in unacked {
                    ctx.send(conn, Box::new(QuorumPacket::Ack { zxid }));
                }
                self.core.server.role = Role::Follower;
                let limit = self.core.sync_limit_ms();
                let timer = self.core.timer(ctx, limit, FOLLOWER_READ_TIMEOUT);
                if let PeerRole::Following(f) = &mut self.role {
                    if let Some(old) = f.read_timer.replace(timer) {
                        ctx.cancel_timer(old);
                    }
                }
            }
            QuorumPacket::Proposal { header, txn }
                if f.phase == Phase::Sync || f.phase == Phase::Broadcast =>
            {
                let zxid = header.zxid;
                let broadcast = f.phase == Phase::Broadcast;
                if let Some((last, _)) = f.pending.back() {
                    if zxid != last.zxid + 1 {
                        let line = format!("Got zxid 0x{zxid:x} expected 0x{:x}", last.zxid + 1);
                        self.core.log(ctx, "WARN", FOLLOWER, &line);
                    }
                }
                f.pending.push_back((header.clone(), txn.clone()));
                if !broadcast {
                    f.unacked.push(zxid);
                }
                self.core.server.log_txn(ctx, &header, &txn);
                if broadcast {
                    ctx.send(conn, Box::new(QuorumPacket::Ack { zxid }));
                }
            }
            QuorumPacket::Commit { zxid }
                if f.phase == Phase::Sync || f.phase == Phase::Broadcast =>
            {
                match f.pending.front() {
                    Some((h, _)) if h.zxid == zxid => {
                        let (header, txn) = f.pending.pop_front().expect("just seen");
                        f.unacked.retain(|z| *z != zxid);
                        self.core.apply(ctx, &header, &txn);
                    }
                    Some((h, _)) => {
                        let line =
                            format!("Committing 0x{zxid:x}, but next proposal is 0x{:x}", h.zxid);
                        self.core.log(ctx, "WARN", FOLLOWER, &line);
                    }
                    None => {}
                }
            }
            QuorumPacket::Ping { .. } if f.phase == Phase::Broadcast => {
                let sessions: Vec<(i64, i32)> = std::mem::take(&mut self.core.server.touched)
                    .into_iter()
                    .collect();
                ctx.send(conn, Box::new(QuorumPacket::Ping { sessions }));
            }
            QuorumPacket::Sync {
                session,
                cxid,
                path,
            } if f.phase == Phase::Broadcast => {
                self.core.server.sync_done(ctx, session, cxid, &path);
            }
            _ => {}
        }
    }
}
