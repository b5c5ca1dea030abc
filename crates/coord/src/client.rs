//! The ZooKeeper client (`ZooKeeper` + `ClientCnxn`) as a part of a
//! process: it connects to one server of the connect string after another,
//! establishes or renews the session, pings when idle, matches replies to
//! requests in order, keeps the watches it set (and sets them again after a
//! reconnect), and reports state changes — `SyncConnected`, `Disconnected`,
//! `Expired` — as ZooKeeper's client does. The embedding process routes its
//! events here and prints the log lines it wants.

use std::collections::{BTreeSet, VecDeque};
use std::time::Duration;

use bytes::Bytes;
use sim::{downcast, ConnId, Context, Event, NetError, ProcessTimer, TimerKind};

use crate::error::{ErrorCode, KeeperError};
use crate::proto::{Op, ReplyBody, ZkPacket, PING_XID};
use crate::watch::{EventType, KeeperState};
use crate::ZkVersion;

/// Timer tokens at and above this belong to the client.
pub const CLIENT_TIMER_BASE: u64 = 1 << 40;
const TICK: u64 = CLIENT_TIMER_BASE;
const RECONNECT: u64 = CLIENT_TIMER_BASE + 1;

/// `ClientCnxn`'s logger.
pub const LOGGER: &str = "org.apache.zookeeper.ClientCnxn";
/// `ZooKeeper`'s logger (the handle: connecting and closing).
pub const ZOOKEEPER_LOGGER: &str = "org.apache.zookeeper.ZooKeeper";
/// `ClientCnxnSocket`'s logger (3.5).
pub const SOCKET_LOGGER: &str = "org.apache.zookeeper.ClientCnxnSocket";

/// What the client tells its process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientEvent {
    /// A `WatchedEvent` of type `None`: the connection's state changed.
    State(KeeperState),
    /// A watch fired.
    Watch { event: EventType, path: String },
    /// The answer to a request: its `xid`, what it was, and the result.
    Reply {
        xid: i32,
        op: Op,
        result: Result<ReplyBody, KeeperError>,
    },
    /// A line the client logs (level, logger, message, and the stack trace
    /// printed after it), for the process to print or not.
    Log {
        level: &'static str,
        logger: &'static str,
        message: String,
        trace: Option<String>,
    },
}

impl ClientEvent {
    /// An INFO line of `logger` without a stack trace.
    fn info(logger: &'static str, message: String) -> ClientEvent {
        ClientEvent::Log {
            level: "INFO",
            logger,
            message,
            trace: None,
        }
    }

    /// The reply of a request that failed with `code` before any server answered.
    fn failed(xid: i32, op: Op, code: ErrorCode) -> ClientEvent {
        ClientEvent::Reply {
            xid,
            result: Err(KeeperError {
                code,
                path: op.path().map(str::to_owned),
            }),
            op,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Waiting before the next attempt.
    Idle,
    /// TCP connecting.
    Connecting(ConnId),
    /// TCP up, the ConnectRequest sent.
    Handshake(ConnId),
    Connected(ConnId),
    /// Closed by the process, or the session expired.
    Closed,
}

/// One ZooKeeper client session.
#[derive(Debug)]
pub struct ZkClient {
    version: ZkVersion,
    hosts: Vec<(String, u16)>,
    next_host: usize,
    requested_timeout_ms: i32,
    negotiated_timeout_ms: i32,
    session_id: i64,
    password: Bytes,
    last_zxid: i64,
    next_xid: i32,
    state: State,
    /// Sent, waiting for their replies (in order).
    pending: VecDeque<(i32, Op)>,
    /// Not yet sent (while connecting).
    queued: VecDeque<(i32, Op)>,
    data_watches: BTreeSet<String>,
    exist_watches: BTreeSet<String>,
    child_watches: BTreeSet<String>,
    last_send_ms: i64,
    last_recv_ms: i64,
    attempt_started_ms: i64,
    timer: Option<ProcessTimer>,
    /// The first attempt goes at once; later ones after a random wait.
    attempts: u32,
    closing_xid: Option<i32>,
    /// The `Watcher` the handle was created with, as `Initiating client
    /// connection` prints it.
    watcher: String,
    /// The server of the current attempt, as `InetSocketAddress` prints it
    /// (`localhost/127.0.0.1:2181`).
    server_address: String,
    /// A session was established once (3.5's `isFirstConnect` is over).
    ever_connected: bool,
}

impl ZkClient {
    /// A client for `connect_string` (`host:port[,host:port...]`); the
    /// process calls [`ZkClient::start`] to connect.
    pub fn new(version: ZkVersion, connect_string: &str, session_timeout_ms: i32) -> ZkClient {
        let hosts = parse_connect_string(connect_string);
        ZkClient {
            version,
            hosts,
            next_host: 0,
            requested_timeout_ms: session_timeout_ms,
            negotiated_timeout_ms: session_timeout_ms,
            session_id: 0,
            password: Bytes::from(vec![0u8; 16]),
            last_zxid: 0,
            next_xid: 1,
            state: State::Idle,
            pending: VecDeque::new(),
            queued: VecDeque::new(),
            data_watches: BTreeSet::new(),
            exist_watches: BTreeSet::new(),
            child_watches: BTreeSet::new(),
            last_send_ms: 0,
            last_recv_ms: 0,
            attempt_started_ms: 0,
            timer: None,
            attempts: 0,
            closing_xid: None,
            watcher: "org.apache.zookeeper.ZooKeeperMain$MyWatcher".to_owned(),
            server_address: String::new(),
            ever_connected: false,
        }
    }

    /// The watcher the embedding program passes to `new ZooKeeper(...)`, as
    /// its `toString` prints (`org.I0Itec.zkclient.ZkClient@20beaacc`).
    pub fn with_watcher(mut self, watcher: impl Into<String>) -> ZkClient {
        self.watcher = watcher.into();
        self
    }

    pub fn session_id(&self) -> i64 {
        self.session_id
    }

    pub fn is_connected(&self) -> bool {
        matches!(self.state, State::Connected(_))
    }

    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// ZooKeeper's `States` as the CLI's prompt shows it.
    pub fn state_name(&self) -> &'static str {
        match self.state {
            State::Connected(_) => "CONNECTED",
            State::Closed => "CLOSED",
            _ => "CONNECTING",
        }
    }

    /// Shuffles the hosts once (as `StaticHostProvider` does) and connects.
    pub fn start(&mut self, ctx: &mut Context<'_>) -> Vec<ClientEvent> {
        for i in (1..self.hosts.len()).rev() {
            let j = ctx.random_below(i as u64 + 1) as usize;
            self.hosts.swap(i, j);
        }
        let mut out = vec![ClientEvent::info(
            ZOOKEEPER_LOGGER,
            format!(
                "Initiating client connection, connectString={} sessionTimeout={} watcher={}",
                self.connect_string(),
                self.requested_timeout_ms,
                self.watcher
            ),
        )];
        if self.version >= ZkVersion::V3_5 {
            out.push(ClientEvent::info(
                SOCKET_LOGGER,
                "jute.maxbuffer value is 4194304 Bytes".to_owned(),
            ));
            // Two `{}` for three arguments: nothing follows `enabled=`.
            out.push(ClientEvent::info(
                LOGGER,
                "zookeeper.request.timeout value is 0. feature enabled=".to_owned(),
            ));
        }
        self.attempt(ctx, &mut out);
        out
    }

    fn connect_string(&self) -> String {
        self.hosts
            .iter()
            .map(|(h, p)| format!("{h}:{p}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    fn now_ms(ctx: &Context<'_>) -> i64 {
        ctx.now().unix_millis() as i64
    }

    fn read_timeout_ms(&self) -> i64 {
        i64::from(self.negotiated_timeout_ms) * 2 / 3
    }

    fn connect_timeout_ms(&self) -> i64 {
        i64::from(self.negotiated_timeout_ms) / self.hosts.len().max(1) as i64
    }

    fn attempt(&mut self, ctx: &mut Context<'_>, out: &mut Vec<ClientEvent>) {
        if self.hosts.is_empty() {
            self.state = State::Closed;
            return;
        }
        let (host, port) = self.hosts[self.next_host % self.hosts.len()].clone();
        self.next_host += 1;
        self.attempts += 1;
        self.attempt_started_ms = Self::now_ms(ctx);
        self.server_address = ctx.resolve(&host).map_or_else(
            || format!("{host}:{port}"),
            |ip| format!("{host}/{ip}:{port}"),
        );
        let sasl = match self.version {
            ZkVersion::V3_3 => "",
            ZkVersion::V3_5 => ". Will not attempt to authenticate using SASL (unknown error)",
        };
        out.push(ClientEvent::info(
            LOGGER,
            format!(
                "Opening socket connection to server {}{sasl}",
                self.server_address
            ),
        ));
        match ctx.connect(&host, port) {
            Ok(conn) => self.state = State::Connecting(conn),
            Err(e) => {
                self.state = State::Idle;
                self.failed_attempt(ctx, &e, out);
            }
        }
        self.schedule(ctx);
    }

    /// An attempt failed: log as this release does, and wait to try the next host.
    fn failed_attempt(
        &mut self,
        ctx: &mut Context<'_>,
        error: &NetError,
        out: &mut Vec<ClientEvent>,
    ) {
        let exception = match error {
            NetError::Refused => "java.net.ConnectException: Connection refused".to_owned(),
            NetError::TimedOut => "java.net.ConnectException: Connection timed out".to_owned(),
            NetError::UnknownHost(h) => format!("java.net.UnknownHostException: {h}"),
            other => format!("java.io.IOException: {other}"),
        };
        match self.version {
            ZkVersion::V3_3 => out.push(ClientEvent::Log {
                level: "WARN",
                logger: LOGGER,
                message: format!(
                    "Session 0x{:x} for server null, unexpected error, closing socket connection and attempting reconnect",
                    self.session_id
                ),
                trace: Some(format!("{exception}\n\tat sun.nio.ch.SocketChannelImpl.checkConnect(Native Method)\n\tat sun.nio.ch.SocketChannelImpl.finishConnect(SocketChannelImpl.java:717)\n\tat org.apache.zookeeper.ClientCnxn$SendThread.run(ClientCnxn.java:1146)\n")),
            }),
            // A `SocketException` is logged in one line, without its class.
            ZkVersion::V3_5 => out.push(ClientEvent::info(
                LOGGER,
                format!("Socket error occurred: {}: {error}", self.server_address),
            )),
        }
        self.fail_requests(ErrorCode::ConnectionLoss, out);
        self.wait_to_reconnect(ctx);
    }

    fn wait_to_reconnect(&mut self, ctx: &mut Context<'_>) {
        self.state = State::Idle;
        // A random wait before each attempt but the first (3.5: only once a
        // session was established); a further second after each round of
        // all hosts.
        let mut wait = match self.version {
            ZkVersion::V3_5 if !self.ever_connected => 0,
            _ => ctx.random_below(1000),
        };
        if self.next_host % self.hosts.len().max(1) == 0 {
            wait += 1000;
        }
        if let Some(t) = self.timer.take() {
            ctx.cancel_timer(t);
        }
        self.timer =
            Some(ctx.set_timer(Duration::from_millis(wait), RECONNECT, TimerKind::Periodic));
    }

    /// Sends a request; its reply comes as [`ClientEvent::Reply`]. While
    /// connecting, requests wait; a closed client fails them at once.
    pub fn submit(&mut self, ctx: &mut Context<'_>, op: Op) -> (i32, Vec<ClientEvent>) {
        let xid = self.next_xid;
        self.next_xid += 1;
        let mut out = Vec::new();
        match self.state {
            State::Closed => {
                let code = if self.session_id == 0 {
                    ErrorCode::ConnectionLoss
                } else {
                    ErrorCode::SessionExpired
                };
                out.push(ClientEvent::failed(xid, op, code));
            }
            State::Connected(conn) => {
                self.pending.push_back((xid, op.clone()));
                self.send(ctx, conn, ZkPacket::Request { xid, op });
            }
            _ => self.queued.push_back((xid, op)),
        }
        (xid, out)
    }

    /// Ends the session (`close()`): a closeSession request, then the socket.
    pub fn close(&mut self, ctx: &mut Context<'_>) -> Vec<ClientEvent> {
        let mut out = Vec::new();
        match self.state {
            State::Connected(conn) => {
                let xid = self.next_xid;
                self.next_xid += 1;
                self.closing_xid = Some(xid);
                self.pending.push_back((xid, Op::CloseSession));
                self.send(
                    ctx,
                    conn,
                    ZkPacket::Request {
                        xid,
                        op: Op::CloseSession,
                    },
                );
            }
            State::Connecting(conn) | State::Handshake(conn) => {
                ctx.close(conn);
                self.closed(ctx, &mut out);
            }
            _ => self.closed(ctx, &mut out),
        }
        out
    }

    fn closed(&mut self, ctx: &mut Context<'_>, out: &mut Vec<ClientEvent>) {
        self.state = State::Closed;
        if let Some(t) = self.timer.take() {
            ctx.cancel_timer(t);
        }
        self.fail_requests(ErrorCode::ConnectionLoss, out);
        let session = self.session_id;
        out.push(ClientEvent::info(
            ZOOKEEPER_LOGGER,
            format!("Session: 0x{session:x} closed"),
        ));
        out.push(ClientEvent::info(
            LOGGER,
            match self.version {
                ZkVersion::V3_3 => "EventThread shut down".to_owned(),
                ZkVersion::V3_5 => format!("EventThread shut down for session: 0x{session:x}"),
            },
        ));
        if self.version >= ZkVersion::V3_5 {
            out.push(ClientEvent::State(KeeperState::Closed));
        }
    }

    fn send(&mut self, ctx: &mut Context<'_>, conn: ConnId, packet: ZkPacket) {
        self.last_send_ms = Self::now_ms(ctx);
        ctx.send(conn, Box::new(packet));
    }

    /// Replies that will never come: their requests fail.
    fn fail_requests(&mut self, code: ErrorCode, out: &mut Vec<ClientEvent>) {
        for (xid, op) in self.pending.drain(..).chain(self.queued.drain(..)) {
            if op == Op::CloseSession || matches!(op, Op::SetWatches { .. }) {
                continue;
            }
            out.push(ClientEvent::failed(xid, op, code));
        }
    }

    /// One timer for the next thing due: a ping, a read timeout, a connect timeout.
    fn schedule(&mut self, ctx: &mut Context<'_>) {
        if let Some(t) = self.timer.take() {
            ctx.cancel_timer(t);
        }
        let now = Self::now_ms(ctx);
        let due = match self.state {
            State::Connected(_) => {
                let ping = self.last_send_ms + self.read_timeout_ms() / 2;
                let dead = self.last_recv_ms + self.read_timeout_ms();
                ping.min(dead)
            }
            State::Connecting(_) | State::Handshake(_) => {
                self.attempt_started_ms + self.connect_timeout_ms()
            }
            _ => return,
        };
        let after = Duration::from_millis((due - now).max(1) as u64);
        self.timer = Some(ctx.set_timer(after, TICK, TimerKind::Periodic));
    }

    /// Handles an event if it is the client's; `None` if it is not.
    pub fn handle(
        &mut self,
        ctx: &mut Context<'_>,
        event: Event,
    ) -> Result<Vec<ClientEvent>, Event> {
        let mine = match &event {
            Event::Timer(token) => *token >= CLIENT_TIMER_BASE,
            Event::Connected { conn }
            | Event::ConnectFailed { conn, .. }
            | Event::Received { conn, .. }
            | Event::Closed { conn, .. } => self.conn() == Some(*conn),
            _ => false,
        };
        if !mine {
            return Err(event);
        }
        let mut out = Vec::new();
        match event {
            Event::Timer(RECONNECT) => {
                self.timer = None;
                if self.state == State::Idle {
                    self.attempt(ctx, &mut out);
                }
            }
            Event::Timer(_) => {
                self.timer = None;
                self.tick(ctx, &mut out);
            }
            Event::Connected { conn } => {
                let message = match self.version {
                    ZkVersion::V3_3 => format!(
                        "Socket connection established to {}, initiating session",
                        self.server_address
                    ),
                    ZkVersion::V3_5 => {
                        let local = ctx.addresses(conn).map(|(l, _)| l.to_string());
                        format!(
                            "Socket connection established, initiating session, client: /{}, server: {}",
                            local.unwrap_or_default(),
                            self.server_address
                        )
                    }
                };
                out.push(ClientEvent::info(LOGGER, message));
                self.state = State::Handshake(conn);
                self.last_recv_ms = Self::now_ms(ctx);
                let packet = ZkPacket::Connect {
                    last_zxid_seen: self.last_zxid,
                    timeout_ms: self.requested_timeout_ms,
                    session_id: self.session_id,
                    password: self.password.clone(),
                };
                self.send(ctx, conn, packet);
                self.schedule(ctx);
            }
            Event::ConnectFailed { error, .. } => self.failed_attempt(ctx, &error, &mut out),
            Event::Received { message, .. } => {
                self.last_recv_ms = Self::now_ms(ctx);
                if let Ok(packet) = downcast::<ZkPacket>(message) {
                    self.receive(ctx, packet, &mut out);
                }
            }
            Event::Closed { .. } => self.lost(ctx, "likely server has closed socket", &mut out),
            _ => {}
        }
        Ok(out)
    }

    fn conn(&self) -> Option<ConnId> {
        match self.state {
            State::Connecting(c) | State::Handshake(c) | State::Connected(c) => Some(c),
            _ => None,
        }
    }

    fn tick(&mut self, ctx: &mut Context<'_>, out: &mut Vec<ClientEvent>) {
        let now = Self::now_ms(ctx);
        match self.state {
            State::Connected(conn) => {
                if now - self.last_recv_ms >= self.read_timeout_ms() {
                    let message = format!(
                        "Client session timed out, have not heard from server in {}ms for sessionid 0x{:x}, closing socket connection and attempting reconnect",
                        now - self.last_recv_ms,
                        self.session_id
                    );
                    ctx.close(conn);
                    self.lost_with(ctx, "WARN", message, out);
                    return;
                }
                if now - self.last_send_ms >= self.read_timeout_ms() / 2 {
                    self.send(
                        ctx,
                        conn,
                        ZkPacket::Request {
                            xid: PING_XID,
                            op: Op::Ping,
                        },
                    );
                }
                self.schedule(ctx);
            }
            State::Connecting(conn) | State::Handshake(conn) => {
                if now - self.attempt_started_ms >= self.connect_timeout_ms() {
                    ctx.close(conn);
                    let message = format!(
                        "Client session timed out, have not heard from server in {}ms for sessionid 0x{:x}, closing socket connection and attempting reconnect",
                        now - self.attempt_started_ms,
                        self.session_id
                    );
                    self.lost_with(ctx, "INFO", message, out);
                } else {
                    self.schedule(ctx);
                }
            }
            _ => {}
        }
    }

    fn lost(&mut self, ctx: &mut Context<'_>, why: &str, out: &mut Vec<ClientEvent>) {
        if self.state == State::Closed {
            return;
        }
        if self.closing_xid.is_some() {
            self.closing_xid = None;
            self.closed(ctx, out);
            return;
        }
        let message = format!(
            "Unable to read additional data from server sessionid 0x{:x}, {why}, closing socket connection and attempting reconnect",
            self.session_id
        );
        self.lost_with(ctx, "INFO", message, out);
    }

    fn lost_with(
        &mut self,
        ctx: &mut Context<'_>,
        level: &'static str,
        message: String,
        out: &mut Vec<ClientEvent>,
    ) {
        if self.closing_xid.take().is_some() {
            // close() waits no longer: the session is over for this handle.
            self.closed(ctx, out);
            return;
        }
        let was_connected = matches!(self.state, State::Connected(_));
        out.push(ClientEvent::Log {
            level,
            logger: LOGGER,
            message,
            trace: None,
        });
        if was_connected {
            out.push(ClientEvent::State(KeeperState::Disconnected));
        }
        self.fail_requests(ErrorCode::ConnectionLoss, out);
        self.wait_to_reconnect(ctx);
    }

    fn receive(&mut self, ctx: &mut Context<'_>, packet: ZkPacket, out: &mut Vec<ClientEvent>) {
        match packet {
            ZkPacket::Connected {
                timeout_ms,
                session_id,
                password,
            } => {
                let State::Handshake(conn) = self.state else {
                    return;
                };
                if timeout_ms <= 0 {
                    let message = format!(
                        "Unable to reconnect to ZooKeeper service, session 0x{:x} has expired",
                        self.session_id
                    );
                    out.push(ClientEvent::Log {
                        level: "WARN",
                        logger: LOGGER,
                        message,
                        trace: None,
                    });
                    ctx.close(conn);
                    self.state = State::Closed;
                    if let Some(t) = self.timer.take() {
                        ctx.cancel_timer(t);
                    }
                    self.fail_requests(ErrorCode::SessionExpired, out);
                    out.push(ClientEvent::State(KeeperState::Expired));
                    return;
                }
                self.negotiated_timeout_ms = timeout_ms;
                self.session_id = session_id;
                self.password = password;
                self.state = State::Connected(conn);
                self.ever_connected = true;
                self.next_host = self.next_host.saturating_sub(1) % self.hosts.len().max(1);
                out.push(ClientEvent::info(
                    LOGGER,
                    format!(
                        "Session establishment complete on server {}, sessionid = 0x{session_id:x}, negotiated timeout = {timeout_ms}",
                        self.server_address
                    ),
                ));
                out.push(ClientEvent::State(KeeperState::SyncConnected));
                // Watches set before are set again (primeConnection).
                let watches = (&self.data_watches, &self.exist_watches, &self.child_watches);
                if !(watches.0.is_empty() && watches.1.is_empty() && watches.2.is_empty()) {
                    let op = Op::SetWatches {
                        relative_zxid: self.last_zxid,
                        data: watches.0.iter().cloned().collect(),
                        exist: watches.1.iter().cloned().collect(),
                        child: watches.2.iter().cloned().collect(),
                    };
                    self.pending.push_back((-8, op.clone()));
                    self.send(ctx, conn, ZkPacket::Request { xid: -8, op });
                }
                for (xid, op) in std::mem::take(&mut self.queued) {
                    self.pending.push_back((xid, op.clone()));
                    self.send(ctx, conn, ZkPacket::Request { xid, op });
                }
                self.schedule(ctx);
            }
            ZkPacket::Reply { xid, zxid, result } => {
                if zxid > 0 {
                    self.last_zxid = self.last_zxid.max(zxid);
                }
                if xid == PING_XID {
                    return;
                }
                let Some((expected, op)) = self.pending.pop_front() else {
                    return;
                };
                if expected != xid {
                    // Xid out of order: ZooKeeper drops the connection.
                    if let Some(conn) = self.conn() {
                        ctx.close(conn);
                    }
                    self.pending.push_front((expected, op));
                    self.lost(ctx, &format!("Xid out of order. Got Xid {xid} with err 0 expected Xid {expected} for a packet with details"), out);
                    return;
                }
                if op == Op::CloseSession {
                    if let Some(conn) = self.conn() {
                        ctx.close(conn);
                    }
                    self.closing_xid = None;
                    self.closed(ctx, out);
                    return;
                }
                if matches!(op, Op::SetWatches { .. }) {
                    return;
                }
                self.remember_watch(&op, &result);
                out.push(ClientEvent::Reply {
                    xid,
                    result: result.map_err(|code| KeeperError {
                        code,
                        path: op.path().map(str::to_owned),
                    }),
                    op,
                });
            }
            ZkPacket::Notification { event, path, .. } => {
                match event {
                    EventType::NodeCreated | EventType::NodeDataChanged => {
                        self.data_watches.remove(&path);
                        self.exist_watches.remove(&path);
                    }
                    EventType::NodeDeleted => {
                        self.data_watches.remove(&path);
                        self.exist_watches.remove(&path);
                        self.child_watches.remove(&path);
                    }
                    EventType::NodeChildrenChanged => {
                        self.child_watches.remove(&path);
                    }
                    EventType::None => {}
                }
                out.push(ClientEvent::Watch { event, path });
            }
            _ => {}
        }
    }

    /// `ZKWatchManager`: which watch a successful (or NoNode) read left.
    fn remember_watch(&mut self, op: &Op, result: &Result<ReplyBody, ErrorCode>) {
        match op {
            Op::Exists { path, watch: true } => match result {
                Ok(_) => {
                    self.data_watches.insert(path.clone());
                }
                Err(ErrorCode::NoNode) => {
                    self.exist_watches.insert(path.clone());
                }
                Err(_) => {}
            },
            Op::GetData { path, watch: true } if result.is_ok() => {
                self.data_watches.insert(path.clone());
            }
            Op::GetChildren {
                path, watch: true, ..
            } if result.is_ok() => {
                self.child_watches.insert(path.clone());
            }
            _ => {}
        }
    }
}

/// `host:port[,host:port...][/chroot]` (the chroot is not supported yet and ignored).
pub fn parse_connect_string(text: &str) -> Vec<(String, u16)> {
    let hosts = text.split('/').next().unwrap_or("");
    hosts
        .split(',')
        .filter(|h| !h.is_empty())
        .map(|h| match h.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), port.parse().unwrap_or(2181)),
            None => (h.to_owned(), 2181),
        })
        .collect()
}
