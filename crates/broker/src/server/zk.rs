//! `KafkaZkClient`: the broker's ZooKeeper session, as each release holds
//! it — 0.8.0 through zkclient 0.3 (`org.I0Itec.zkclient.ZkClient`) on the
//! ZooKeeper 3.3 client, 2.8.2 through its own `ZooKeeperClient` on the 3.5
//! client. It logs what those libraries log (with the loggers and levels of
//! BROKER-LIFECYCLE.md), waits for the first connection no longer than
//! `zookeeper.connection.timeout.ms`, and runs requests without blocking:
//! each request carries a continuation `K` that comes back with its reply,
//! so the broker stays an event-driven state machine. Creating a znode
//! together with its missing parents (zkclient's `createPersistent(path,
//! true)`, 2.8.2's `createRecursive`) is one request here.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use bytes::Bytes;
use coord::client::{ClientEvent, ZkClient};
use coord::jvm::{zookeeper_version, Environment};
use coord::proto::{Op, ReplyBody};
use coord::{CreateMode, ErrorCode, EventType, KeeperError, KeeperState, ZkVersion};
use distribution::Release;
use kafka_log::Level;
use sim::{Context, Event, ProcessTimer, TimerKind};

use super::log4j::Log4j;

/// The timer token of the connection timeout (below the client's own tokens).
pub const CONNECT_TIMEOUT_TIMER: u64 = 1 << 39;

const ZKCLIENT: &str = "org.I0Itec.zkclient.ZkClient";
const ZK_EVENT_THREAD: &str = "org.I0Itec.zkclient.ZkEventThread";
const ZOOKEEPER_CLIENT: &str = "kafka.zookeeper.ZooKeeperClient";

/// The ZooKeeper client a release bundles.
pub fn zk_version(release: Release) -> ZkVersion {
    match release {
        Release::V0_8_0 => ZkVersion::V3_3,
        Release::V2_8_2 => ZkVersion::V3_5,
    }
}

/// What the session tells the broker.
#[derive(Debug)]
pub enum ZkOut<K> {
    /// The answer to a request, with the continuation it was sent with.
    Reply {
        key: K,
        result: Result<ReplyBody, KeeperError>,
    },
    /// A watch fired.
    Watch {
        event: EventType,
        path: String,
    },
    /// The session is (again) connected.
    Connected,
    Disconnected,
    /// The server expired the session; this handle is done.
    Expired,
    /// `close()` is done: the session is over.
    Closed,
    /// No connection within `zookeeper.connection.timeout.ms` of the start.
    ConnectTimeout,
}

/// A request on its way, and what to do with its answer.
#[derive(Debug)]
enum Pending<K> {
    Plain(K),
    /// A create whose missing parents are created first: the stack holds the
    /// target at the bottom and the parent being created on top.
    WithParents {
        key: K,
        stack: Vec<(String, Option<Bytes>, CreateMode)>,
    },
}

/// A broker's ZooKeeper session.
#[derive(Debug)]
pub struct KafkaZkClient<K> {
    release: Release,
    client: ZkClient,
    connect_string: String,
    connection_timeout_ms: i32,
    pending: BTreeMap<i32, Pending<K>>,
    out: VecDeque<ZkOut<K>>,
    connect_timer: Option<ProcessTimer>,
    /// Connected once: the connection timeout is over.
    connected_once: bool,
    /// 2.8.2 logs `Waiting until connected.` before the first attempt.
    waiting_line_due: bool,
    /// `close()` was called and has not finished.
    closing: bool,
}

impl<K> KafkaZkClient<K> {
    pub fn new(
        release: Release,
        ctx: &mut Context<'_>,
        connect_string: &str,
        session_timeout_ms: i32,
        connection_timeout_ms: i32,
    ) -> KafkaZkClient<K> {
        // `Object.toString` of the watcher: its class and identity hash.
        let hash = ctx.random_below(1 << 31);
        let watcher = match release {
            Release::V0_8_0 => format!("{ZKCLIENT}@{hash:x}"),
            Release::V2_8_2 => {
                format!("kafka.zookeeper.ZooKeeperClient$ZooKeeperClientWatcher$@{hash:x}")
            }
        };
        let client = ZkClient::new(zk_version(release), connect_string, session_timeout_ms)
            .with_watcher(watcher);
        KafkaZkClient {
            release,
            client,
            connect_string: connect_string.to_owned(),
            connection_timeout_ms,
            pending: BTreeMap::new(),
            out: VecDeque::new(),
            connect_timer: None,
            connected_once: false,
            waiting_line_due: release == Release::V2_8_2,
            closing: false,
        }
    }

    pub fn session_id(&self) -> i64 {
        self.client.session_id()
    }

    pub fn is_connected(&self) -> bool {
        self.client.is_connected()
    }

    /// 2.8.2's `[ZooKeeperClient Kafka server] ` lines.
    fn zookeeper_client(&self, ctx: &mut Context<'_>, log: &Log4j, message: &str) {
        log.info(
            ctx,
            ZOOKEEPER_CLIENT,
            &format!("[ZooKeeperClient Kafka server] {message}"),
        );
    }

    /// Creates the ZooKeeper handle and starts connecting; the connection
    /// timeout starts now.
    pub fn start(&mut self, ctx: &mut Context<'_>, log: &Log4j, env: &Environment) {
        match self.release {
            Release::V0_8_0 => log.info(ctx, ZK_EVENT_THREAD, "Starting ZkClient event thread."),
            Release::V2_8_2 => {
                let text = format!("Initializing a new session to {}.", self.connect_string);
                self.zookeeper_client(ctx, log, &text);
            }
        }
        let version = zk_version(self.release);
        for (key, value) in env.entries_for_heap(version, zookeeper_version(version), 1024) {
            log.info(
                ctx,
                coord::client::ZOOKEEPER_LOGGER,
                &format!("Client environment:{key}={value}"),
            );
        }
        let events = self.client.start(ctx);
        self.connect_timer = Some(ctx.set_timer(
            Duration::from_millis(self.connection_timeout_ms.max(0) as u64),
            CONNECT_TIMEOUT_TIMER,
            TimerKind::OneShot,
        ));
        self.client_events(ctx, log, events);
    }

    /// Sends a request; its reply comes back as [`ZkOut::Reply`] with `key`.
    pub fn request(&mut self, ctx: &mut Context<'_>, log: &Log4j, op: Op, key: K) {
        let (xid, events) = self.client.submit(ctx, op);
        self.pending.insert(xid, Pending::Plain(key));
        self.client_events(ctx, log, events);
    }

    /// Creates `path`, creating its missing parents (persistent, no data)
    /// first. The reply is the target's: `NodeExists` of a parent is fine.
    pub fn create_with_parents(
        &mut self,
        ctx: &mut Context<'_>,
        log: &Log4j,
        path: &str,
        data: Option<&[u8]>,
        mode: CreateMode,
        key: K,
    ) {
        let op = Op::create(path, data, mode);
        let (xid, events) = self.client.submit(ctx, op);
        let stack = vec![(path.to_owned(), data.map(Bytes::copy_from_slice), mode)];
        self.pending
            .insert(xid, Pending::WithParents { key, stack });
        self.client_events(ctx, log, events);
    }

    /// Ends the session; [`ZkOut::Closed`] follows once the server has
    /// closed it (or at once when there is no connection).
    pub fn close(&mut self, ctx: &mut Context<'_>, log: &Log4j) {
        if let Some(t) = self.connect_timer.take() {
            ctx.cancel_timer(t);
        }
        match self.release {
            // ZkClient.close() stops its event thread before closing the connection.
            Release::V0_8_0 => log.info(ctx, ZK_EVENT_THREAD, "Terminate ZkClient event thread."),
            Release::V2_8_2 => self.zookeeper_client(ctx, log, "Closing."),
        }
        if self.client.is_closed() {
            self.closed(ctx, log);
            return;
        }
        self.closing = true;
        let events = self.client.close(ctx);
        self.client_events(ctx, log, events);
    }

    /// The next thing for the broker to act on.
    pub fn next_out(&mut self) -> Option<ZkOut<K>> {
        self.out.pop_front()
    }

    /// Takes the event if it is the session's.
    pub fn handle(
        &mut self,
        ctx: &mut Context<'_>,
        log: &Log4j,
        event: Event,
    ) -> Result<(), Event> {
        if let Event::Timer(CONNECT_TIMEOUT_TIMER) = event {
            self.connect_timer = None;
            if !self.connected_once {
                self.out.push_back(ZkOut::ConnectTimeout);
            }
            return Ok(());
        }
        let events = self.client.handle(ctx, event)?;
        self.client_events(ctx, log, events);
        Ok(())
    }

    fn client_events(&mut self, ctx: &mut Context<'_>, log: &Log4j, events: Vec<ClientEvent>) {
        for event in events {
            match event {
                ClientEvent::Log {
                    level,
                    logger,
                    message,
                    trace,
                } => {
                    let level = match level {
                        "WARN" => Level::Warn,
                        "ERROR" => Level::Error,
                        "DEBUG" => Level::Debug,
                        _ => Level::Info,
                    };
                    if self.waiting_line_due && message.starts_with("Opening socket connection") {
                        // ZooKeeperClient's constructor waits while the
                        // send thread opens the first socket.
                        self.waiting_line_due = false;
                        self.zookeeper_client(ctx, log, "Waiting until connected.");
                    }
                    log.event(ctx, level, logger, &message, trace.as_deref().unwrap_or(""));
                }
                ClientEvent::State(state) => self.state(ctx, log, state),
                // Closing stops the event thread (0.8.0) or drops the
                // handlers (2.8.2) first: no listener fires any more.
                ClientEvent::Watch { event, path } => {
                    if !self.closing && !self.client.is_closed() {
                        self.out.push_back(ZkOut::Watch { event, path });
                    }
                }
                ClientEvent::Reply { xid, op: _, result } => self.reply(ctx, log, xid, result),
            }
        }
        if self.closing && self.client.is_closed() {
            self.closing = false;
            self.closed(ctx, log);
        }
    }

    fn state(&mut self, ctx: &mut Context<'_>, log: &Log4j, state: KeeperState) {
        if self.release == Release::V0_8_0 && state != KeeperState::Closed {
            log.info(
                ctx,
                ZKCLIENT,
                &format!("zookeeper state changed ({})", state.name()),
            );
        }
        match state {
            KeeperState::SyncConnected => {
                if !self.connected_once {
                    self.connected_once = true;
                    if let Some(t) = self.connect_timer.take() {
                        ctx.cancel_timer(t);
                    }
                    if self.release == Release::V2_8_2 {
                        self.zookeeper_client(ctx, log, "Connected.");
                    }
                }
                self.out.push_back(ZkOut::Connected);
            }
            KeeperState::Disconnected => self.out.push_back(ZkOut::Disconnected),
            KeeperState::Expired => self.out.push_back(ZkOut::Expired),
            _ => {}
        }
    }

    fn closed(&mut self, ctx: &mut Context<'_>, log: &Log4j) {
        if self.release == Release::V2_8_2 {
            self.zookeeper_client(ctx, log, "Closed.");
        }
        self.out.push_back(ZkOut::Closed);
    }

    fn reply(
        &mut self,
        ctx: &mut Context<'_>,
        log: &Log4j,
        xid: i32,
        result: Result<ReplyBody, KeeperError>,
    ) {
        let Some(pending) = self.pending.remove(&xid) else {
            return;
        };
        match pending {
            Pending::Plain(key) => self.out.push_back(ZkOut::Reply { key, result }),
            Pending::WithParents { key, mut stack } => {
                let is_target = stack.len() == 1;
                let next = match &result {
                    Err(e) if e.code == ErrorCode::NoNode => {
                        let (path, _, _) = stack.last().expect("a create is on the stack");
                        match path.rfind('/').filter(|i| *i > 0) {
                            Some(i) => {
                                let parent = path[..i].to_owned();
                                stack.push((parent, None, CreateMode::Persistent));
                                true
                            }
                            None => false,
                        }
                    }
                    Err(e) if e.code == ErrorCode::NodeExists && !is_target => {
                        stack.pop();
                        true
                    }
                    Ok(_) if !is_target => {
                        stack.pop();
                        true
                    }
                    _ => false,
                };
                if !next {
                    self.out.push_back(ZkOut::Reply { key, result });
                    return;
                }
                let (path, data, mode) = stack.last().expect("the target stays").clone();
                let (xid, events) = self
                    .client
                    .submit(ctx, Op::create(&path, data.as_deref(), mode));
                self.pending
                    .insert(xid, Pending::WithParents { key, stack });
                self.client_events(ctx, log, events);
            }
        }
    }
}
