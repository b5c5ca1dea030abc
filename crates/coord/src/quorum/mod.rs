//! `QuorumPeer`: one server of an ensemble (`server.N` lines and a `myid`).
//! It looks for a leader with [`crate::election`] over the election port
//! (`QuorumCnxManager`'s channels), then leads or follows with
//! [`crate::zab`] over the quorum port, and serves clients only while it
//! does: a server without a quorum closes every client connection and
//! looks again. What each step logs is what 3.3 and 3.5 log.
//!
//! The election channels live in `cnxmanager`, the leader's side of Zab in
//! `leader`, the follower's in `follower`; this module holds what outlives a
//! role (`Core`), the startup and the election that picks the role.

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

mod cnxmanager;
mod follower;
mod leader;

use cnxmanager::Channels;
pub use cnxmanager::ElectionHello;
use follower::Follower;
use leader::{Leader, LearnerHandler, Stage};

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
}
