//! `QuorumPeerMain` as a process: reads its config, and runs a standalone
//! `ZooKeeperServer` — sessions, the request pipeline (prepare, log, apply,
//! watches, reply), the transaction log and snapshots in its `dataDir`,
//! session expiry, and the four-letter words — printing what each release
//! prints. An ensemble (`server.N` lines) runs [`crate::quorum`].

use std::collections::BTreeMap;
use std::time::Duration;

use kafka_log::storage::{FileOp, Storage};
use sim::{downcast, ConnId, Context, Event, Message, Process, RawBytes, SocketAddr};

use crate::config::{ConfigError, ServerConfig};
use crate::error::ErrorCode;
use crate::fourlw;
use crate::jvm::{log4j_line, zookeeper_version, Environment};
use crate::persist::{self, snapshot_bytes, snapshot_name, TxnLog, VERSION_DIR};
use crate::prep::{Outstanding, WriteOp};
use crate::proto::{Op, OpResult, ReplyBody, ZkPacket, PING_XID};
use crate::session::{initial_session_id, SessionTracker};
use crate::tree::{validate_path, Applied, DataTree};
use crate::txn::{Txn, TxnHeader};
use crate::watch::{EventType, KeeperState, WatchKind};
use crate::ZkVersion;

const EXPIRY_TIMER: u64 = 1;

const QPM: &str = "org.apache.zookeeper.server.quorum.QuorumPeerMain";
const QPC: &str = "org.apache.zookeeper.server.quorum.QuorumPeerConfig";
const ZKS: &str = "org.apache.zookeeper.server.ZooKeeperServer";
const ZKSM: &str = "org.apache.zookeeper.server.ZooKeeperServerMain";
const FTSL: &str = "org.apache.zookeeper.server.persistence.FileTxnSnapLog";
const PRP: &str = "org.apache.zookeeper.server.PrepRequestProcessor";
const CNXN: &str = "org.apache.zookeeper.server.NIOServerCnxn";

/// One client connection.
#[derive(Clone, Debug)]
pub(crate) struct Cnxn {
    pub(crate) peer: SocketAddr,
    pub(crate) session: Option<i64>,
    pub(crate) received: u64,
    pub(crate) sent: u64,
    pub(crate) last_op: &'static str,
    pub(crate) established_ms: i64,
    pub(crate) timeout_ms: i32,
    pub(crate) last_cxid: i32,
    pub(crate) last_zxid: i64,
    /// The first packet decides: a session handshake or a four-letter word.
    pub(crate) initialized: bool,
}

/// Counters `srvr` and `mntr` print.
#[derive(Clone, Debug, Default)]
pub(crate) struct ServerStats {
    pub(crate) received: u64,
    pub(crate) sent: u64,
}

/// What a server does with writes: commit them itself (standalone), have
/// them committed by the ensemble (leader, follower), or nothing while it
/// looks for a leader (its client port then closes every connection).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Standalone,
    Leader,
    Follower,
    NotServing,
}

impl Role {
    /// `Mode:` in `srvr` and `stat`.
    pub fn mode(self) -> &'static str {
        match self {
            Role::Standalone => "standalone",
            Role::Leader => "leader",
            Role::Follower => "follower",
            Role::NotServing => "not serving",
        }
    }
}

/// A change a server must get ordered: a client's write, a session's start
/// or end, or a sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    pub session: i64,
    pub cxid: i32,
    pub kind: SubmissionKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubmissionKind {
    Write(WriteOp),
    CreateSession { timeout_ms: i32 },
    CloseSession,
    Sync { path: String },
}

/// A local client's request on its way through the ensemble.
#[derive(Clone, Debug)]
struct PendingRequest {
    conn: ConnId,
    xid: i32,
}

/// A ZooKeeper server: its tree, sessions and client connections, and the
/// pipeline its writes go through.
#[derive(Debug)]
pub struct ZkServer {
    pub(crate) config: ServerConfig,
    pub(crate) env: Environment,
    /// Where 2.8.2's log4j also writes (`logs/server.log`).
    log_file: Option<String>,
    pub(crate) tree: DataTree,
    outstanding: Outstanding,
    pub(crate) sessions: SessionTracker,
    txn_log: TxnLog,
    pub(crate) conns: BTreeMap<ConnId, Cnxn>,
    session_conn: BTreeMap<i64, ConnId>,
    pub(crate) stats: ServerStats,
    next_zxid: i64,
    snap_roll: u64,
    expiry: Option<(i64, sim::ProcessTimer)>,
    pub(crate) four_letter_words_listed: bool,
    environment_logged: bool,
    pub(crate) role: Role,
    /// Local clients' writes on their way: (session, cxid) → who asked.
    pending: BTreeMap<(i64, i32), PendingRequest>,
    /// New sessions on their way: session → its connection.
    pending_connects: BTreeMap<i64, ConnId>,
    /// Connections with a write in flight, and what they sent after it.
    blocked: BTreeMap<ConnId, std::collections::VecDeque<(i32, Op)>>,
    /// Changes for the ensemble (leader: to propose; follower: to forward).
    pub(crate) to_quorum: Vec<Submission>,
    /// Sessions heard from since the last ping to the leader (follower).
    pub(crate) touched: BTreeMap<i64, i32>,
}

/// The process `bin/zookeeper-server-start.sh` runs.
#[derive(Debug)]
pub struct QuorumPeerMain {
    version: ZkVersion,
    args: Vec<String>,
    env: Environment,
    log_file: Option<String>,
    server: Option<ZkServer>,
    peer: Option<crate::quorum::QuorumPeer>,
}

impl QuorumPeerMain {
    /// `args` are QuorumPeerMain's (the config file); `log_file` is where
    /// 2.8.2's log4j copies its console (`<kafka>/logs/server.log`).
    pub fn new(
        version: ZkVersion,
        args: Vec<String>,
        env: Environment,
        log_file: Option<String>,
    ) -> QuorumPeerMain {
        QuorumPeerMain {
            version,
            args,
            env,
            log_file,
            server: None,
            peer: None,
        }
    }
}

/// Writes one log4j line to the console (and 2.8.2's `server.log`).
pub(crate) fn log(
    ctx: &mut Context<'_>,
    log_file: &Option<String>,
    level: &str,
    logger: &str,
    message: &str,
) {
    let line = log4j_line(ctx.now(), level, message, logger);
    ctx.stdout(&line);
    if let Some(path) = log_file {
        let fs = ctx.fs();
        let mut fs = fs.borrow_mut();
        if let Some((dir, _)) = sim::fs::split_parent(path) {
            let _ = fs.create_dir_all(dir);
        }
        let _ = fs.append(path, line.as_bytes());
    }
}

impl QuorumPeerMain {
    fn log(&self, ctx: &mut Context<'_>, level: &str, logger: &str, message: &str) {
        log(ctx, &self.log_file, level, logger, message);
    }

    /// The exit of a failed start, with the message and stack-trace head each release prints.
    fn fail(&self, ctx: &mut Context<'_>, what: &str, logger: &str, trace: &str, code: i32) {
        let level = match self.version {
            ZkVersion::V3_3 => "FATAL",
            ZkVersion::V3_5 => "ERROR",
        };
        self.log(ctx, level, logger, what);
        ctx.stdout(trace);
        ctx.exit(code);
    }

    /// `QuorumPeerConfig.parse`'s first lines.
    fn log_reading_config(&mut self, ctx: &mut Context<'_>, path: &str) {
        self.log(
            ctx,
            "INFO",
            QPC,
            &format!("Reading configuration from: {path}"),
        );
        if self.version >= ZkVersion::V3_5 && !path.starts_with('/') && !path.starts_with("./") {
            self.log(
                ctx,
                "WARN",
                QPC,
                &format!("{path} is relative. Prepend ./ to indicate that you're sure!"),
            );
        }
    }

    /// 3.5's lines on the client ports it will bind.
    fn log_client_ports(&mut self, ctx: &mut Context<'_>, config: &ServerConfig) {
        let port = config.client_port.unwrap_or(0);
        self.log(
            ctx,
            "INFO",
            QPC,
            &format!("clientPortAddress is 0.0.0.0:{port}"),
        );
        self.log(ctx, "INFO", QPC, "secureClientPort is not set");
    }

    fn start(&mut self, ctx: &mut Context<'_>) {
        let v = self.version;
        let Some(path) = self.args.first().cloned() else {
            self.log(
                ctx,
                self.fatal(),
                QPM,
                "Invalid arguments, exiting abnormally",
            );
            self.log(ctx, "INFO", QPM, "Usage: QuorumPeerMain configfile");
            ctx.stderr("Usage: QuorumPeerMain configfile\n");
            ctx.exit(2);
            return;
        };
        let absolute = sim::fs::normalize(&self.env.user_dir, &path);
        let read = |ctx: &Context<'_>, p: &str| ctx.fs().borrow().read(p).ok();
        self.log_reading_config(ctx, &path);
        let text = match read(ctx, &absolute) {
            Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            None => {
                self.config_failure(
                    ctx,
                    &path,
                    &ConfigError {
                        cause: format!(
                            "java.lang.IllegalArgumentException: {path} file is missing"
                        ),
                        wrapped: true,
                    },
                );
                return;
            }
        };
        let fs = ctx.fs();
        let parsed = ServerConfig::parse(v, &path, &text, |dir| {
            fs.borrow()
                .read(&format!("{dir}/myid"))
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        });
        let (config, myid) = match parsed {
            Ok(c) => c,
            Err(e) => {
                if v == ZkVersion::V3_3 && e.cause.contains("myid") {
                    self.log(ctx, "INFO", QPC, "Defaulting to majority quorums");
                }
                self.config_failure(ctx, &path, &e);
                return;
            }
        };
        if v >= ZkVersion::V3_5 {
            self.log_client_ports(ctx, &config);
            let dcm = "org.apache.zookeeper.server.DatadirCleanupManager";
            self.log(ctx, "INFO", dcm, "autopurge.snapRetainCount set to 3");
            self.log(ctx, "INFO", dcm, "autopurge.purgeInterval set to 0");
            self.log(ctx, "INFO", dcm, "Purge task is not scheduled.");
        }
        if config.servers.len() == 1 {
            self.log(
                ctx,
                "ERROR",
                QPC,
                "Invalid configuration, only one server specified (ignoring)",
            );
        }
        if let Some(id) = myid {
            if v == ZkVersion::V3_3 {
                self.log(ctx, "INFO", QPC, "Defaulting to majority quorums");
            }
            self.peer =
                crate::quorum::start(ctx, config, id, self.env.clone(), self.log_file.clone());
            return;
        }
        self.log(
            ctx,
            "WARN",
            QPM,
            "Either no config or no quorum defined in config, running  in standalone mode",
        );
        if v >= ZkVersion::V3_5 {
            self.log(
                ctx,
                "INFO",
                "org.apache.zookeeper.jmx.ManagedUtil",
                "Log4j 1.2 jmx support found and enabled.",
            );
        }
        // ZooKeeperServerMain parses the file again.
        self.log_reading_config(ctx, &path);
        if v >= ZkVersion::V3_5 {
            self.log_client_ports(ctx, &config);
        }
        self.log(ctx, "INFO", ZKSM, "Starting server");
        if v >= ZkVersion::V3_5 {
            self.log(ctx, "INFO", FTSL, "zookeeper.snapshot.trust.empty : false");
        }
        for (key, value) in self.env.entries(v, zookeeper_version(v)) {
            self.log(
                ctx,
                "INFO",
                ZKS,
                &format!("Server environment:{key}={value}"),
            );
        }
        let (min, max) = config.session_timeout_bounds();
        match v {
            ZkVersion::V3_3 => {
                self.log(
                    ctx,
                    "INFO",
                    ZKS,
                    &format!("tickTime set to {}", config.tick_time_ms),
                );
                self.log(
                    ctx,
                    "INFO",
                    ZKS,
                    &format!("minSessionTimeout set to {}", config.min_session_timeout_ms),
                );
                self.log(
                    ctx,
                    "INFO",
                    ZKS,
                    &format!("maxSessionTimeout set to {}", config.max_session_timeout_ms),
                );
            }
            ZkVersion::V3_5 => {
                self.log(ctx, "INFO", ZKS, &format!("minSessionTimeout set to {min}"));
                self.log(ctx, "INFO", ZKS, &format!("maxSessionTimeout set to {max}"));
                self.log(ctx, "INFO", ZKS, &created_line(&config));
                self.log(ctx, "INFO", "org.apache.zookeeper.server.ServerCnxnFactory", "Using org.apache.zookeeper.server.NIOServerCnxnFactory as server connection factory");
                self.log(ctx, "INFO", "org.apache.zookeeper.server.NIOServerCnxnFactory", "Configuring NIO connection handler with 10s sessionless connection timeout, 1 selector thread(s), 8 worker threads, and 64 kB direct buffers.");
            }
        }
        let port = config.client_port.unwrap_or(2181);
        let factory = match v {
            ZkVersion::V3_3 => CNXN,
            ZkVersion::V3_5 => "org.apache.zookeeper.server.NIOServerCnxnFactory",
        };
        self.log(
            ctx,
            "INFO",
            factory,
            &format!("binding to port 0.0.0.0/0.0.0.0:{port}"),
        );
        if ctx.listen(port).is_err() {
            let trace = match v {
                ZkVersion::V3_3 => "java.net.BindException: Address already in use\n\tat sun.nio.ch.Net.bind0(Native Method)\n\tat sun.nio.ch.Net.bind(Net.java:433)\n\tat sun.nio.ch.Net.bind(Net.java:425)\n\tat sun.nio.ch.ServerSocketChannelImpl.bind(ServerSocketChannelImpl.java:223)\n\tat sun.nio.ch.ServerSocketAdaptor.bind(ServerSocketAdaptor.java:74)\n\tat sun.nio.ch.ServerSocketAdaptor.bind(ServerSocketAdaptor.java:67)\n\tat org.apache.zookeeper.server.NIOServerCnxn$Factory.<init>(NIOServerCnxn.java:144)\n\tat org.apache.zookeeper.server.ZooKeeperServerMain.runFromConfig(ZooKeeperServerMain.java:108)\n\tat org.apache.zookeeper.server.ZooKeeperServerMain.initializeAndRun(ZooKeeperServerMain.java:85)\n\tat org.apache.zookeeper.server.ZooKeeperServerMain.main(ZooKeeperServerMain.java:51)\n\tat org.apache.zookeeper.server.quorum.QuorumPeerMain.initializeAndRun(QuorumPeerMain.java:108)\n\tat org.apache.zookeeper.server.quorum.QuorumPeerMain.main(QuorumPeerMain.java:76)\n",
                ZkVersion::V3_5 => "java.net.BindException: Address already in use\n\tat sun.nio.ch.Net.bind0(Native Method)\n\tat sun.nio.ch.Net.bind(Net.java:433)\n\tat sun.nio.ch.Net.bind(Net.java:425)\n\tat sun.nio.ch.ServerSocketChannelImpl.bind(ServerSocketChannelImpl.java:223)\n\tat sun.nio.ch.ServerSocketAdaptor.bind(ServerSocketAdaptor.java:74)\n\tat sun.nio.ch.ServerSocketAdaptor.bind(ServerSocketAdaptor.java:67)\n\tat org.apache.zookeeper.server.NIOServerCnxnFactory.configure(NIOServerCnxnFactory.java:687)\n\tat org.apache.zookeeper.server.ZooKeeperServerMain.runFromConfig(ZooKeeperServerMain.java:144)\n\tat org.apache.zookeeper.server.ZooKeeperServerMain.initializeAndRun(ZooKeeperServerMain.java:107)\n\tat org.apache.zookeeper.server.ZooKeeperServerMain.main(ZooKeeperServerMain.java:65)\n\tat org.apache.zookeeper.server.quorum.QuorumPeerMain.initializeAndRun(QuorumPeerMain.java:128)\n\tat org.apache.zookeeper.server.quorum.QuorumPeerMain.main(QuorumPeerMain.java:82)\n",
            };
            self.fail(
                ctx,
                "Unexpected exception, exiting abnormally",
                ZKSM,
                trace,
                1,
            );
            return;
        }
        let mut server = ZkServer::new(config, self.env.clone(), self.log_file.clone(), 1, ctx);
        if let Err(message) = server.load(ctx) {
            self.fail(
                ctx,
                "Unexpected exception, exiting abnormally",
                ZKSM,
                &format!("java.io.IOException: {message}\n"),
                1,
            );
            return;
        }
        if v >= ZkVersion::V3_5 {
            self.log(
                ctx,
                "INFO",
                PRP,
                "PrepRequestProcessor (sid:0) started, reconfigEnabled=false",
            );
            self.log(
                ctx,
                "INFO",
                "org.apache.zookeeper.server.ContainerManager",
                "Using checkIntervalMs=60000 maxPerMinute=10000",
            );
        }
        self.server = Some(server);
    }

    fn fatal(&self) -> &'static str {
        match self.version {
            ZkVersion::V3_3 => "FATAL",
            ZkVersion::V3_5 => "ERROR",
        }
    }

    fn config_failure(&self, ctx: &mut Context<'_>, path: &str, e: &ConfigError) {
        let mut trace = String::new();
        if e.wrapped {
            trace.push_str(&format!("org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing {path}\n"));
            let frames = match self.version {
                ZkVersion::V3_3 => "\tat org.apache.zookeeper.server.quorum.QuorumPeerConfig.parse(QuorumPeerConfig.java:110)\n\tat org.apache.zookeeper.server.quorum.QuorumPeerMain.initializeAndRun(QuorumPeerMain.java:99)\n\tat org.apache.zookeeper.server.quorum.QuorumPeerMain.main(QuorumPeerMain.java:76)\n",
                ZkVersion::V3_5 => "\tat org.apache.zookeeper.server.quorum.QuorumPeerConfig.parse(QuorumPeerConfig.java:157)\n\tat org.apache.zookeeper.server.quorum.QuorumPeerMain.initializeAndRun(QuorumPeerMain.java:113)\n\tat org.apache.zookeeper.server.quorum.QuorumPeerMain.main(QuorumPeerMain.java:82)\n",
            };
            trace.push_str(frames);
            trace.push_str(&format!("Caused by: {}\n\t... 2 more\n", e.cause));
        } else {
            trace.push_str(&format!("{}\n", e.cause));
        }
        self.log(ctx, self.fatal(), QPM, "Invalid config, exiting abnormally");
        ctx.stdout(&trace);
        ctx.stderr("Invalid config, exiting abnormally\n");
        ctx.exit(2);
    }
}

impl Process for QuorumPeerMain {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        match event {
            Event::Start => self.start(ctx),
            // No shutdown hook: a signal ends the JVM without a word.
            Event::Signal(signal) => ctx.exit(128 + signal.number()),
            event => {
                if let Some(server) = &mut self.server {
                    server.handle(ctx, event);
                } else if let Some(peer) = &mut self.peer {
                    peer.handle(ctx, event);
                }
            }
        }
    }
}

impl ZkServer {
    /// A server whose session ids carry `sid` (1 standalone, `myid` in an ensemble).
    pub(crate) fn new(
        config: ServerConfig,
        env: Environment,
        log_file: Option<String>,
        sid: i64,
        ctx: &mut Context<'_>,
    ) -> ZkServer {
        let version = config.version;
        let now_ms = ctx.now().unix_millis() as i64;
        // 3.3 seeds ids from the wall clock (with its signed shift); 3.5 from
        // a monotonic clock, about the host's uptime.
        let first = match version {
            ZkVersion::V3_3 => initial_session_id(sid, now_ms, true),
            ZkVersion::V3_5 => {
                let uptime_ms = 600_000 + ctx.random_below(86_400_000) as i64;
                initial_session_id(sid, uptime_ms, false)
            }
        };
        let tick = config.tick_time_ms;
        ZkServer {
            tree: DataTree::new(version),
            outstanding: Outstanding::default(),
            sessions: SessionTracker::new(first, tick),
            txn_log: TxnLog::default(),
            conns: BTreeMap::new(),
            session_conn: BTreeMap::new(),
            stats: ServerStats::default(),
            next_zxid: 1,
            snap_roll: 0,
            expiry: None,
            four_letter_words_listed: false,
            environment_logged: false,
            role: Role::Standalone,
            pending: BTreeMap::new(),
            pending_connects: BTreeMap::new(),
            blocked: BTreeMap::new(),
            to_quorum: Vec::new(),
            touched: BTreeMap::new(),
            config,
            env,
            log_file,
        }
    }

    pub(crate) fn version(&self) -> ZkVersion {
        self.config.version
    }

    fn log(&self, ctx: &mut Context<'_>, level: &str, logger: &str, message: &str) {
        log(ctx, &self.log_file, level, logger, message);
    }

    fn storage(&self, ctx: &Context<'_>) -> sim::HostStorage {
        ctx.storage(&self.config.data_dir)
    }

    fn write(&self, ctx: &Context<'_>, ops: Vec<FileOp>) {
        let _ = self.storage(ctx).submit(ops);
    }

    /// `loadData`: the newest snapshot and the logs after it, then a snapshot.
    fn load(&mut self, ctx: &mut Context<'_>) -> Result<(), String> {
        let v = self.version();
        let had_snapshot = self.restore_from_disk(ctx)?.1;
        let snapshots = match had_snapshot {
            true => 1,
            // 3.5 saves a snapshot in restore() when there is none, and again in loadData().
            false if v >= ZkVersion::V3_5 => 2,
            false => 1,
        };
        if v >= ZkVersion::V3_5 {
            self.log(
                ctx,
                "INFO",
                "org.apache.zookeeper.server.ZKDatabase",
                "zookeeper.snapshotSizeFactor = 0.33",
            );
        }
        for _ in 0..snapshots {
            self.take_snapshot(ctx);
        }
        self.schedule_expiry(ctx);
        Ok(())
    }

    /// `ZKDatabase.loadDataBase`: the tree and sessions from the newest
    /// snapshot and the logs after it. Returns the replayed transactions
    /// (an ensemble's committed log) and whether there was a snapshot.
    pub(crate) fn restore_from_disk(
        &mut self,
        ctx: &mut Context<'_>,
    ) -> Result<(Vec<(TxnHeader, Txn)>, bool), String> {
        let v = self.version();
        let files = self.storage(ctx).load("").map_err(|e| {
            format!(
                "Unable to create data directory {}/{VERSION_DIR}: {e}",
                self.config.data_dir
            )
        })?;
        let restored = persist::restore(v, &files)?;
        let newest = files
            .files
            .keys()
            .filter(|n| n.starts_with(&format!("{VERSION_DIR}/snapshot.")))
            .max_by_key(|n| {
                i64::from_str_radix(n.rsplit('.').next().unwrap_or("0"), 16).unwrap_or(0)
            })
            .cloned();
        self.replace_database(ctx, &restored.sessions, restored.tree, restored.last_zxid);
        self.txn_log.roll();
        if let Some(name) = &newest {
            self.log(
                ctx,
                "INFO",
                "org.apache.zookeeper.server.persistence.FileSnap",
                &format!("Reading snapshot {}/{name}", self.config.data_dir),
            );
        }
        Ok((restored.txns, newest.is_some()))
    }

    /// A follower takes the leader's database (`SNAP`).
    pub(crate) fn install_snapshot(
        &mut self,
        ctx: &mut Context<'_>,
        zxid: i64,
        bytes: &[u8],
    ) -> Result<(), String> {
        let restored = persist::parse_snapshot(self.version(), bytes, zxid)?;
        self.replace_database(ctx, &restored.sessions, restored.tree, zxid);
        Ok(())
    }

    /// Takes a whole database (tree and sessions) as of `last_zxid`,
    /// dropping what it had and what it had not finished.
    fn replace_database(
        &mut self,
        ctx: &Context<'_>,
        sessions: &BTreeMap<i64, i32>,
        tree: DataTree,
        last_zxid: i64,
    ) {
        let now_ms = ctx.now().unix_millis() as i64;
        let ids: Vec<i64> = self.sessions.ids().collect();
        for id in ids {
            self.sessions.remove(id);
        }
        for (id, timeout) in sessions {
            self.sessions.add(*id, *timeout, now_ms);
        }
        self.tree = tree;
        self.outstanding = Outstanding::default();
        self.next_zxid = last_zxid + 1;
    }

    /// A follower drops the transactions it logged after `zxid` (`TRUNC`)
    /// and reloads what is left.
    pub(crate) fn truncate_log(&mut self, ctx: &mut Context<'_>, zxid: i64) -> Result<(), String> {
        let files = self.storage(ctx).load("").map_err(|e| e.to_string())?;
        let ops = persist::truncate_ops(self.version(), &files, zxid);
        self.write(ctx, ops);
        self.restore_from_disk(ctx)?;
        Ok(())
    }

    /// This server's snapshot and the tree it holds (a leader sends it as `SNAP`).
    pub(crate) fn snapshot_now(&self) -> Vec<u8> {
        snapshot_bytes(&self.tree, &self.session_timeouts())
    }

    fn session_timeouts(&self) -> BTreeMap<i64, i32> {
        self.sessions
            .ids()
            .filter_map(|id| self.sessions.get(id).map(|s| (id, s.timeout_ms)))
            .collect()
    }

    /// A new leader's session tracker: every session's deadline starts now.
    pub(crate) fn restart_session_deadlines(&mut self, ctx: &mut Context<'_>) {
        let now_ms = ctx.now().unix_millis() as i64;
        let all: Vec<(i64, i32)> = self.session_timeouts().into_iter().collect();
        for (id, timeout) in all {
            self.sessions.add(id, timeout, now_ms);
        }
        self.schedule_expiry(ctx);
    }

    /// The environment (once per JVM) and `Created server with ...`, as an
    /// ensemble's server logs them when it starts following or leading.
    pub(crate) fn log_created(&mut self, ctx: &mut Context<'_>) {
        let v = self.version();
        if !self.environment_logged {
            self.environment_logged = true;
            for (key, value) in self.env.entries(v, zookeeper_version(v)) {
                self.log(
                    ctx,
                    "INFO",
                    ZKS,
                    &format!("Server environment:{key}={value}"),
                );
            }
        }
        let line = created_line(&self.config);
        self.log(ctx, "INFO", ZKS, &line);
    }

    pub(crate) fn take_snapshot(&mut self, ctx: &mut Context<'_>) {
        let zxid = self.tree.last_processed_zxid;
        let name = snapshot_name(zxid);
        let text = match self.version() {
            ZkVersion::V3_3 => format!("Snapshotting: {zxid:x}"),
            ZkVersion::V3_5 => format!(
                "Snapshotting: 0x{zxid:x} to {}/{name}",
                self.config.data_dir
            ),
        };
        self.log(ctx, "INFO", FTSL, &text);
        let sessions = self.session_timeouts();
        let mut ops = vec![FileOp::CreateDir {
            path: VERSION_DIR.to_owned(),
        }];
        persist_write(&mut ops, &name, snapshot_bytes(&self.tree, &sessions));
        self.write(ctx, ops);
    }

    /// The leader (or a standalone server) expires sessions on tick boundaries.
    pub(crate) fn schedule_expiry(&mut self, ctx: &mut Context<'_>) {
        let next = match self.role {
            Role::Standalone | Role::Leader => self.sessions.next_expiry_ms(),
            Role::Follower | Role::NotServing => None,
        };
        let Some(next) = next else {
            if let Some((_, timer)) = self.expiry.take() {
                ctx.cancel_timer(timer);
            }
            return;
        };
        if self.expiry.map(|(at, _)| at) == Some(next) {
            return;
        }
        if let Some((_, timer)) = self.expiry.take() {
            ctx.cancel_timer(timer);
        }
        let now_ms = ctx.now().unix_millis() as i64;
        let after = Duration::from_millis((next - now_ms).max(0) as u64);
        let timer = ctx.set_timer(after, EXPIRY_TIMER, sim::TimerKind::Periodic);
        self.expiry = Some((next, timer));
    }

    pub(crate) fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        match event {
            Event::Accepted { conn, peer, .. } => {
                if self.version() == ZkVersion::V3_3 {
                    self.log(
                        ctx,
                        "INFO",
                        CNXN,
                        &format!("Accepted socket connection from /{peer}"),
                    );
                }
                self.conns.insert(
                    conn,
                    Cnxn {
                        peer,
                        session: None,
                        received: 0,
                        sent: 0,
                        last_op: "NA",
                        established_ms: ctx.now().unix_millis() as i64,
                        timeout_ms: 0,
                        last_cxid: -1,
                        last_zxid: -1,
                        initialized: false,
                    },
                );
            }
            Event::Received { conn, message } => self.receive(ctx, conn, message),
            Event::Closed { conn, .. } => self.connection_lost(ctx, conn),
            Event::Timer(EXPIRY_TIMER) => {
                self.expiry = None;
                self.expire_sessions(ctx);
            }
            _ => {}
        }
    }

    fn receive(&mut self, ctx: &mut Context<'_>, conn: ConnId, message: Message) {
        let Some(cnxn) = self.conns.get_mut(&conn) else {
            return;
        };
        cnxn.received += 1;
        self.stats.received += 1;
        let first = !cnxn.initialized;
        cnxn.initialized = true;
        let message = match downcast::<RawBytes>(message) {
            Ok(raw) => {
                if first {
                    fourlw::answer(self, ctx, conn, &raw.0);
                } else {
                    self.drop_connection(ctx, conn, "closed");
                }
                return;
            }
            Err(m) => m,
        };
        if self.role == Role::NotServing {
            let text = match self.version() {
                ZkVersion::V3_3 => "Exception causing close of session 0x0 due to java.io.IOException: ZooKeeperServer not running",
                ZkVersion::V3_5 => "Exception causing close of session 0x0: ZooKeeperServer not running",
            };
            self.log(ctx, "WARN", CNXN, text);
            self.drop_connection(ctx, conn, "not serving");
            return;
        }
        let Ok(packet) = downcast::<ZkPacket>(message) else {
            self.drop_connection(ctx, conn, "closed");
            return;
        };
        match packet {
            ZkPacket::Connect {
                last_zxid_seen,
                timeout_ms,
                session_id,
                password,
            } if first => {
                self.connect(ctx, conn, last_zxid_seen, timeout_ms, session_id, &password)
            }
            ZkPacket::Request { xid, op } => match self.conns[&conn].session {
                Some(session) => self.request(ctx, conn, session, xid, op),
                None => self.drop_connection(ctx, conn, "closed"),
            },
            _ => self.drop_connection(ctx, conn, "closed"),
        }
    }

    fn send(&mut self, ctx: &mut Context<'_>, conn: ConnId, packet: ZkPacket) {
        if let Some(c) = self.conns.get_mut(&conn) {
            c.sent += 1;
            self.stats.sent += 1;
            ctx.send(conn, Box::new(packet));
        }
    }

    /// The next zxid's transaction header for a change (leader, standalone).
    pub(crate) fn header(&mut self, now_ms: i64, session: i64, cxid: i32) -> TxnHeader {
        let zxid = self.next_zxid;
        self.next_zxid += 1;
        TxnHeader {
            session,
            cxid,
            zxid,
            time: now_ms,
        }
    }

    /// The leader's zxids start at `epoch << 32`.
    pub(crate) fn set_next_zxid(&mut self, zxid: i64) {
        self.next_zxid = zxid;
    }

    pub(crate) fn last_zxid(&self) -> i64 {
        self.tree.last_processed_zxid
    }

    /// `PrepRequestProcessor`: the transaction a change becomes (standalone, leader).
    pub(crate) fn prepare(&mut self, ctx: &mut Context<'_>, sub: &Submission) -> (TxnHeader, Txn) {
        let v = self.version();
        let now_ms = ctx.now().unix_millis() as i64;
        let header = self.header(now_ms, sub.session, sub.cxid);
        let txn = match &sub.kind {
            SubmissionKind::CreateSession { timeout_ms } => Txn::CreateSession {
                timeout_ms: *timeout_ms,
            },
            SubmissionKind::CloseSession => {
                if v == ZkVersion::V3_3 {
                    self.log(
                        ctx,
                        "INFO",
                        PRP,
                        &format!(
                            "Processed session termination for sessionid: 0x{:x}",
                            sub.session
                        ),
                    );
                }
                Txn::CloseSession
            }
            SubmissionKind::Write(write) => {
                let txn = self.outstanding.prepare(
                    &self.tree,
                    sub.session,
                    header.zxid,
                    header.time,
                    write,
                );
                if let (ZkVersion::V3_3, Txn::Error(code)) = (v, &txn) {
                    let path = write_path(write);
                    let error_path = match (code, write) {
                        (ErrorCode::NoNode, WriteOp::Create { .. }) => {
                            crate::tree::parent_of(path).to_owned()
                        }
                        _ => path.to_owned(),
                    };
                    self.log(ctx, "INFO", PRP, &format!(
                        "Got user-level KeeperException when processing sessionid:0x{:x} type:{} cxid:0x{:x} zxid:0xfffffffffffffffe txntype:unknown reqpath:n/a Error Path:{error_path} Error:KeeperErrorCode = {} for {error_path}",
                        sub.session, write_name(write), sub.cxid, code.text()
                    ));
                }
                txn
            }
            SubmissionKind::Sync { .. } => Txn::Error(ErrorCode::Unimplemented),
        };
        (header, txn)
    }

    /// `SyncRequestProcessor`: the transaction goes to the log, fsynced.
    pub(crate) fn log_txn(&mut self, ctx: &mut Context<'_>, header: &TxnHeader, txn: &Txn) {
        let v = self.version();
        let mut ops = vec![FileOp::CreateDir {
            path: VERSION_DIR.to_owned(),
        }];
        let new_file = self.txn_log.since_snapshot == 0;
        self.txn_log.append(v, header, txn, &mut ops);
        if new_file {
            self.log(
                ctx,
                "INFO",
                "org.apache.zookeeper.server.persistence.FileTxnLog",
                &format!("Creating new log file: log.{:x}", header.zxid),
            );
        }
        self.txn_log.sync(&mut ops);
        self.write(ctx, ops);
        // snapCount 100000: a new log and a snapshot after half plus a random half.
        if self.snap_roll == 0 {
            self.snap_roll = 50_000 + ctx.random_below(50_000);
        }
        if self.txn_log.since_snapshot > self.snap_roll {
            self.txn_log.roll();
            self.snap_roll = 0;
            self.take_snapshot(ctx);
        }
    }

    /// `FinalRequestProcessor`: a committed transaction applies; the
    /// watches it fires are sent, then the local client that asked gets
    /// its answer.
    pub(crate) fn apply_committed(&mut self, ctx: &mut Context<'_>, header: &TxnHeader, txn: &Txn) {
        let v = self.version();
        let now_ms = ctx.now().unix_millis() as i64;
        let applied = self.tree.apply(header, txn);
        self.outstanding.applied(header.zxid);
        let session = header.session;
        match txn {
            Txn::CreateSession { timeout_ms } => {
                self.sessions.add(session, *timeout_ms, now_ms);
                if let Some(conn) = self.pending_connects.remove(&session) {
                    if self.conns.contains_key(&conn) {
                        self.established(ctx, conn, session, *timeout_ms);
                    }
                }
            }
            Txn::CloseSession => {
                self.sessions.remove(session);
                self.tree.watches.remove_watcher(session);
            }
            _ => {}
        }
        for (watcher, path, event) in applied.fired.clone() {
            if let Some(&conn) = self.session_conn.get(&watcher) {
                self.notify(ctx, conn, event, path);
            }
        }
        let asked = self.pending.remove(&(session, header.cxid));
        if let Txn::CloseSession = txn {
            if let Some(conn) = self.session_conn.remove(&session) {
                if let Some(req) = &asked {
                    self.send(
                        ctx,
                        req.conn,
                        ZkPacket::Reply {
                            xid: req.xid,
                            zxid: header.zxid,
                            result: Ok(ReplyBody::Empty),
                        },
                    );
                }
                if let Some(c) = self.conns.remove(&conn) {
                    if v == ZkVersion::V3_3 {
                        self.log(ctx, "INFO", CNXN, &format!("Closed socket connection for client /{} which had sessionid 0x{session:x}", c.peer));
                    }
                }
                self.blocked.remove(&conn);
                ctx.close(conn);
            }
            self.schedule_expiry(ctx);
            return;
        }
        if let Some(req) = asked {
            let result = self.reply_for(txn, &applied);
            let zxid = match v {
                ZkVersion::V3_3 => header.zxid,
                ZkVersion::V3_5 => self.tree.last_processed_zxid,
            };
            if let Some(c) = self.conns.get_mut(&req.conn) {
                c.last_zxid = zxid;
            }
            self.send(
                ctx,
                req.conn,
                ZkPacket::Reply {
                    xid: req.xid,
                    zxid,
                    result,
                },
            );
            self.unblock(ctx, req.conn);
        }
        self.schedule_expiry(ctx);
    }

    /// A sync came back from the leader: every write before it is applied here.
    pub(crate) fn sync_done(&mut self, ctx: &mut Context<'_>, session: i64, cxid: i32, path: &str) {
        if let Some(req) = self.pending.remove(&(session, cxid)) {
            let zxid = self.tree.last_processed_zxid;
            self.send(
                ctx,
                req.conn,
                ZkPacket::Reply {
                    xid: req.xid,
                    zxid,
                    result: Ok(ReplyBody::Synced {
                        path: path.to_owned(),
                    }),
                },
            );
            self.unblock(ctx, req.conn);
        }
    }

    /// The answer a write gets once its transaction applied.
    fn reply_for(&self, txn: &Txn, applied: &Applied) -> Result<ReplyBody, ErrorCode> {
        match txn {
            Txn::Error(code) => Err(*code),
            Txn::Create { .. } => Ok(ReplyBody::Created {
                path: applied.created.clone().unwrap_or_default(),
            }),
            Txn::Delete { .. } | Txn::Check { .. } => Ok(ReplyBody::Empty),
            Txn::SetData { path, .. } | Txn::SetAcl { path, .. } => {
                let node = self.tree.node(path).expect("just written");
                Ok(ReplyBody::Stat(self.tree.client_stat(node)))
            }
            Txn::Multi(txns) => Ok(ReplyBody::Multi(self.multi_results(txns))),
            Txn::CreateSession { .. } | Txn::CloseSession => Ok(ReplyBody::Empty),
        }
    }

    /// A change from this server's client: committed here (standalone) or
    /// handed to the ensemble.
    pub(crate) fn submit(&mut self, ctx: &mut Context<'_>, sub: Submission) {
        match self.role {
            Role::Standalone => {
                if let SubmissionKind::Sync { path } = &sub.kind {
                    let path = path.clone();
                    self.sync_done(ctx, sub.session, sub.cxid, &path);
                    return;
                }
                let (header, txn) = self.prepare(ctx, &sub);
                self.log_txn(ctx, &header, &txn);
                self.apply_committed(ctx, &header, &txn);
            }
            Role::Leader | Role::Follower => self.to_quorum.push(sub),
            Role::NotServing => {}
        }
    }

    /// Requests that waited behind a write go on, until the next write.
    fn unblock(&mut self, ctx: &mut Context<'_>, conn: ConnId) {
        let Some(mut queue) = self.blocked.remove(&conn) else {
            return;
        };
        while let Some((xid, op)) = queue.pop_front() {
            let Some(session) = self.conns.get(&conn).and_then(|c| c.session) else {
                return;
            };
            self.process_request(ctx, conn, session, xid, op);
            if let Some(rest) = self.blocked.get_mut(&conn) {
                rest.extend(queue);
                return;
            }
        }
    }

    /// Drops every client and the work in flight (a leader or follower that
    /// lost its ensemble; it now looks for a leader).
    pub(crate) fn stop_serving(&mut self, ctx: &mut Context<'_>) {
        self.role = Role::NotServing;
        let conns: Vec<ConnId> = self.conns.keys().copied().collect();
        for conn in conns {
            ctx.close(conn);
        }
        self.conns.clear();
        self.session_conn.clear();
        self.pending.clear();
        self.pending_connects.clear();
        self.blocked.clear();
        self.to_quorum.clear();
        self.touched.clear();
        self.outstanding = Outstanding::default();
        self.tree.watches = Default::default();
        self.schedule_expiry(ctx);
    }

    fn connect(
        &mut self,
        ctx: &mut Context<'_>,
        conn: ConnId,
        last_zxid_seen: i64,
        timeout_ms: i32,
        session_id: i64,
        password: &[u8],
    ) {
        let v = self.version();
        let peer = self.conns[&conn].peer;
        let last = self.tree.last_processed_zxid;
        if last_zxid_seen > last {
            let logger = if v == ZkVersion::V3_3 { CNXN } else { ZKS };
            self.log(ctx, "INFO", logger, &format!("Refusing session request for client /{peer} as it has seen zxid 0x{last_zxid_seen:x} our last zxid is 0x{last:x} client must try another server"));
            self.drop_connection(ctx, conn, "closed");
            return;
        }
        let (min, max) = self.config.session_timeout_bounds();
        let timeout = i64::from(timeout_ms).clamp(min, max) as i32;
        let now_ms = ctx.now().unix_millis() as i64;
        if session_id == 0 {
            if v == ZkVersion::V3_3 {
                self.log(
                    ctx,
                    "INFO",
                    CNXN,
                    &format!("Client attempting to establish new session at /{peer}"),
                );
            }
            let id = self.sessions.next_id();
            self.pending_connects.insert(id, conn);
            self.submit(
                ctx,
                Submission {
                    session: id,
                    cxid: 0,
                    kind: SubmissionKind::CreateSession {
                        timeout_ms: timeout,
                    },
                },
            );
        } else {
            if v == ZkVersion::V3_3 {
                self.log(
                    ctx,
                    "INFO",
                    CNXN,
                    &format!("Client attempting to renew session 0x{session_id:x} at /{peer}"),
                );
            }
            let valid = self
                .sessions
                .get(session_id)
                .is_some_and(|s| !s.closing && s.password == password);
            if !valid {
                self.log(
                    ctx,
                    "INFO",
                    CNXN,
                    &format!(
                        "Invalid session 0x{session_id:x} for client /{peer}, probably expired"
                    ),
                );
                self.send(
                    ctx,
                    conn,
                    ZkPacket::Connected {
                        timeout_ms: 0,
                        session_id: 0,
                        password: vec![0; 16].into(),
                    },
                );
                self.drop_connection(ctx, conn, "closed");
                return;
            }
            let timeout = self
                .sessions
                .get(session_id)
                .map_or(timeout, |s| s.timeout_ms);
            self.sessions.touch(session_id, now_ms);
            // The session moves here; its old connection, if any, is done.
            if let Some(old) = self.session_conn.get(&session_id).copied() {
                if old != conn {
                    self.conns.remove(&old);
                    ctx.close(old);
                }
            }
            self.established(ctx, conn, session_id, timeout);
        }
        self.schedule_expiry(ctx);
    }

    fn established(&mut self, ctx: &mut Context<'_>, conn: ConnId, session: i64, timeout: i32) {
        let peer = self.conns[&conn].peer;
        if let Some(c) = self.conns.get_mut(&conn) {
            c.session = Some(session);
            c.timeout_ms = timeout;
        }
        self.session_conn.insert(session, conn);
        if self.version() == ZkVersion::V3_3 {
            self.log(ctx, "INFO", CNXN, &format!("Established session 0x{session:x} with negotiated timeout {timeout} for client /{peer}"));
        }
        let password = self
            .sessions
            .get(session)
            .map(|s| s.password.clone())
            .unwrap_or_default();
        self.send(
            ctx,
            conn,
            ZkPacket::Connected {
                timeout_ms: timeout,
                session_id: session,
                password: password.into(),
            },
        );
    }

    fn request(&mut self, ctx: &mut Context<'_>, conn: ConnId, session: i64, xid: i32, op: Op) {
        if let Some(queue) = self.blocked.get_mut(&conn) {
            queue.push_back((xid, op));
            return;
        }
        self.process_request(ctx, conn, session, xid, op);
    }

    /// One request of a session, in its order: reads are answered here;
    /// writes go through the pipeline, and the session's next requests wait.
    fn process_request(
        &mut self,
        ctx: &mut Context<'_>,
        conn: ConnId,
        session: i64,
        xid: i32,
        op: Op,
    ) {
        let now_ms = ctx.now().unix_millis() as i64;
        let alive = match self.role {
            Role::Follower => self.sessions.get(session).is_some_and(|s| !s.closing),
            _ => self.sessions.touch(session, now_ms),
        };
        if !alive {
            let last = self.tree.last_processed_zxid;
            self.send(
                ctx,
                conn,
                ZkPacket::Reply {
                    xid,
                    zxid: last,
                    result: Err(ErrorCode::SessionExpired),
                },
            );
            return;
        }
        if self.role == Role::Follower {
            let timeout = self.sessions.get(session).map_or(0, |s| s.timeout_ms);
            self.touched.insert(session, timeout);
        }
        self.schedule_expiry(ctx);
        if let Some(c) = self.conns.get_mut(&conn) {
            c.last_op = cons_op(&op);
            if xid >= 0 {
                c.last_cxid = xid;
            }
        }
        let last = self.tree.last_processed_zxid;
        let kind = match op {
            Op::Ping => {
                self.send(
                    ctx,
                    conn,
                    ZkPacket::Reply {
                        xid: PING_XID,
                        zxid: last,
                        result: Ok(ReplyBody::Empty),
                    },
                );
                return;
            }
            Op::CloseSession => {
                self.sessions.set_closing(session);
                SubmissionKind::CloseSession
            }
            Op::Write(write) => SubmissionKind::Write(write),
            Op::Sync { path } => SubmissionKind::Sync { path },
            Op::SetWatches {
                relative_zxid,
                data,
                exist,
                child,
            } => {
                self.set_watches(ctx, conn, session, relative_zxid, &data, &exist, &child);
                self.send(
                    ctx,
                    conn,
                    ZkPacket::Reply {
                        xid,
                        zxid: last,
                        result: Ok(ReplyBody::Empty),
                    },
                );
                return;
            }
            read => {
                let result = self.read(session, &read);
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.last_zxid = last;
                }
                self.send(
                    ctx,
                    conn,
                    ZkPacket::Reply {
                        xid,
                        zxid: last,
                        result,
                    },
                );
                return;
            }
        };
        self.pending
            .insert((session, xid), PendingRequest { conn, xid });
        self.blocked.insert(conn, Default::default());
        self.submit(
            ctx,
            Submission {
                session,
                cxid: xid,
                kind,
            },
        );
    }

    fn multi_results(&self, txns: &[Txn]) -> Vec<OpResult> {
        let failed = txns
            .iter()
            .position(|t| matches!(t, Txn::Error(c) if *c != ErrorCode::RuntimeInconsistency));
        txns.iter()
            .enumerate()
            .map(|(i, t)| match (failed, t) {
                (Some(f), _) if i < f => OpResult::Error(None),
                (Some(_), Txn::Error(code)) => OpResult::Error(Some(*code)),
                (Some(_), _) => OpResult::Error(Some(ErrorCode::RuntimeInconsistency)),
                (None, Txn::Create { path, .. }) => OpResult::Create { path: path.clone() },
                (None, Txn::Delete { .. }) => OpResult::Delete,
                (None, Txn::SetData { path, .. }) => OpResult::SetData {
                    stat: self
                        .tree
                        .node(path)
                        .map(|n| self.tree.client_stat(n))
                        .unwrap_or_default(),
                },
                (None, _) => OpResult::Check,
            })
            .collect()
    }

    /// A read, served from this server's tree; a watch is left if asked.
    pub(crate) fn read(&mut self, session: i64, op: &Op) -> Result<ReplyBody, ErrorCode> {
        if let Some(path) = op.path() {
            if validate_path(path).is_err() {
                return Err(ErrorCode::BadArguments);
            }
        }
        match op {
            Op::Exists { path, watch } => {
                if *watch {
                    self.tree.watches.add(path, WatchKind::Data, session);
                }
                match self.tree.node(path) {
                    Some(node) => Ok(ReplyBody::Stat(self.tree.client_stat(node))),
                    None => Err(ErrorCode::NoNode),
                }
            }
            Op::GetData { path, watch } => {
                let node = self.tree.node(path).ok_or(ErrorCode::NoNode)?;
                if !crate::acl::permits(&node.acl, crate::acl::perms::READ) {
                    return Err(ErrorCode::NoAuth);
                }
                let body = ReplyBody::Data {
                    data: node.data.clone(),
                    stat: self.tree.client_stat(node),
                };
                if *watch {
                    self.tree.watches.add(path, WatchKind::Data, session);
                }
                Ok(body)
            }
            Op::GetAcl { path } => {
                let node = self.tree.node(path).ok_or(ErrorCode::NoNode)?;
                Ok(ReplyBody::Acl {
                    acl: node.acl.clone(),
                    stat: self.tree.client_stat(node),
                })
            }
            Op::GetChildren {
                path,
                watch,
                with_stat,
            } => {
                let node = self.tree.node(path).ok_or(ErrorCode::NoNode)?;
                if !crate::acl::permits(&node.acl, crate::acl::perms::READ) {
                    return Err(ErrorCode::NoAuth);
                }
                let body = ReplyBody::Children {
                    children: node.children().map(str::to_owned).collect(),
                    stat: with_stat.then(|| self.tree.client_stat(node)),
                };
                if *watch {
                    self.tree.watches.add(path, WatchKind::Child, session);
                }
                Ok(body)
            }
            _ => Err(ErrorCode::Unimplemented),
        }
    }

    /// `DataTree.setWatches` after a reconnect: fire what changed since
    /// `relative_zxid`, re-arm the rest.
    #[allow(clippy::too_many_arguments)]
    fn set_watches(
        &mut self,
        ctx: &mut Context<'_>,
        conn: ConnId,
        session: i64,
        relative_zxid: i64,
        data: &[String],
        exist: &[String],
        child: &[String],
    ) {
        let v = self.version();
        let mut fire = Vec::new();
        for path in data {
            match self.tree.node(path).map(|n| n.stat()) {
                None => fire.push((path.clone(), EventType::NodeDeleted)),
                Some(s) if v == ZkVersion::V3_3 && s.czxid > relative_zxid => {
                    fire.push((path.clone(), EventType::NodeCreated))
                }
                Some(s) if s.mzxid > relative_zxid => {
                    fire.push((path.clone(), EventType::NodeDataChanged))
                }
                Some(_) => self.tree.watches.add(path, WatchKind::Data, session),
            }
        }
        for path in exist {
            match self.tree.node(path).map(|n| n.stat()) {
                None => self.tree.watches.add(path, WatchKind::Data, session),
                Some(s) if v == ZkVersion::V3_3 && s.mzxid > relative_zxid => {
                    fire.push((path.clone(), EventType::NodeDataChanged))
                }
                Some(_) => fire.push((path.clone(), EventType::NodeCreated)),
            }
        }
        for path in child {
            match self.tree.node(path).map(|n| n.stat()) {
                None => fire.push((path.clone(), EventType::NodeDeleted)),
                Some(s) if s.pzxid > relative_zxid => {
                    fire.push((path.clone(), EventType::NodeChildrenChanged))
                }
                Some(_) => self.tree.watches.add(path, WatchKind::Child, session),
            }
        }
        for (path, event) in fire {
            self.notify(ctx, conn, event, path);
        }
    }

    /// A fired watch, sent to the connection of the session that set it.
    fn notify(&mut self, ctx: &mut Context<'_>, conn: ConnId, event: EventType, path: String) {
        self.send(
            ctx,
            conn,
            ZkPacket::Notification {
                state: KeeperState::SyncConnected,
                event,
                path,
            },
        );
    }

    /// Sessions whose time is up end with a closeSession of their own.
    fn expire_sessions(&mut self, ctx: &mut Context<'_>) {
        let now_ms = ctx.now().unix_millis() as i64;
        for (session, timeout) in self.sessions.expire(now_ms) {
            self.log(
                ctx,
                "INFO",
                ZKS,
                &format!("Expiring session 0x{session:x}, timeout of {timeout}ms exceeded"),
            );
            self.submit(
                ctx,
                Submission {
                    session,
                    cxid: 0,
                    kind: SubmissionKind::CloseSession,
                },
            );
        }
        self.schedule_expiry(ctx);
    }

    /// The client went away (or its connection broke): its session stays until it expires.
    fn connection_lost(&mut self, ctx: &mut Context<'_>, conn: ConnId) {
        let v = self.version();
        let Some(c) = self.conns.remove(&conn) else {
            return;
        };
        match c.session {
            Some(session) => {
                let text = format!("Unable to read additional data from client sessionid 0x{session:x}, likely client has closed socket");
                match v {
                    ZkVersion::V3_3 => {
                        self.log(ctx, "WARN", CNXN, &format!("EndOfStreamException: {text}"));
                        self.log(ctx, "INFO", CNXN, &format!("Closed socket connection for client /{} which had sessionid 0x{session:x}", c.peer));
                    }
                    ZkVersion::V3_5 => self.log(ctx, "WARN", CNXN, &text),
                }
                if self.session_conn.get(&session) == Some(&conn) {
                    self.session_conn.remove(&session);
                    self.tree.watches.remove_watcher(session);
                }
            }
            None if v == ZkVersion::V3_3 => {
                self.log(ctx, "INFO", CNXN, &format!("Closed socket connection for client /{} (no session established for client)", c.peer));
            }
            None => {}
        }
    }

    /// The server closes a connection (a four-letter word answered, a bad packet).
    pub(crate) fn drop_connection(&mut self, ctx: &mut Context<'_>, conn: ConnId, _why: &str) {
        if let Some(c) = self.conns.remove(&conn) {
            if c.session.is_none() && self.version() == ZkVersion::V3_3 {
                self.log(ctx, "INFO", CNXN, &format!("Closed socket connection for client /{} (no session established for client)", c.peer));
            }
        }
        ctx.close(conn);
    }

    pub(crate) fn log_line(&self, ctx: &mut Context<'_>, level: &str, logger: &str, message: &str) {
        self.log(ctx, level, logger, message);
    }
}

/// `ZooKeeperServer`'s constructor line.
fn created_line(config: &ServerConfig) -> String {
    let (min, max) = config.session_timeout_bounds();
    let data = format!("{}/{VERSION_DIR}", config.data_dir);
    format!("Created server with tickTime {} minSessionTimeout {min} maxSessionTimeout {max} datadir {data} snapdir {data}", config.tick_time_ms)
}

fn persist_write(ops: &mut Vec<FileOp>, name: &str, data: Vec<u8>) {
    ops.push(FileOp::SetLen {
        path: name.to_owned(),
        len: 0,
    });
    ops.push(FileOp::Append {
        path: name.to_owned(),
        data: data.into(),
    });
    ops.push(FileOp::Sync {
        path: name.to_owned(),
    });
}

fn write_path(write: &WriteOp) -> &str {
    match write {
        WriteOp::Create { path, .. }
        | WriteOp::Delete { path, .. }
        | WriteOp::SetData { path, .. }
        | WriteOp::SetAcl { path, .. }
        | WriteOp::Check { path, .. } => path,
        WriteOp::Multi(_) => "",
    }
}

/// `Request.op2String`.
fn write_name(write: &WriteOp) -> &'static str {
    match write {
        WriteOp::Create { .. } => "create",
        WriteOp::Delete { .. } => "delete",
        WriteOp::SetData { .. } => "setData",
        WriteOp::SetAcl { .. } => "setACL",
        WriteOp::Check { .. } => "check",
        WriteOp::Multi(_) => "multi",
    }
}

/// The short op names `cons` prints as `lop`.
fn cons_op(op: &Op) -> &'static str {
    match op {
        Op::Ping => "PING",
        Op::CloseSession => "CLOS",
        Op::Write(WriteOp::Create { .. }) => "CREA",
        Op::Write(WriteOp::Delete { .. }) => "DELE",
        Op::Write(WriteOp::SetData { .. }) => "SETD",
        Op::Write(WriteOp::SetAcl { .. }) => "SETA",
        Op::Write(WriteOp::Check { .. }) => "CHEC",
        Op::Write(WriteOp::Multi(_)) => "MULT",
        Op::GetData { .. } => "GETD",
        Op::Exists { .. } => "EXIS",
        Op::GetChildren { .. } => "GETC",
        Op::GetAcl { .. } => "GETA",
        Op::SetWatches { .. } => "SETW",
        Op::Sync { .. } => "SYNC",
    }
}
