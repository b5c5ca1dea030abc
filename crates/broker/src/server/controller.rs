//! `KafkaController`: the broker's controller module. Every broker runs
//! one; the broker that creates the ephemeral `/controller` znode is the
//! controller of the cluster. It bumps `/controller_epoch` (conditional on
//! its version), watches `/brokers/ids`, and says in `controller.log` (and
//! `state-change.log`) what each release says when it becomes controller of
//! a cluster without topics, when a broker joins, when one leaves (its
//! session ended, or it asked for a controlled shutdown), and when it shuts
//! down. A broker that loses the election says what its release says.
//!
//! Like Kafka's controller it handles one event at a time (0.8.0: under
//! `controllerLock`, from zkclient's event thread; 2.8.2: its
//! `ControllerEventThread`); an event's ZooKeeper requests carry a [`Wait`]
//! continuation, and the next event starts once the current one is done.
//!
//! Topics written to ZooKeeper come online: the active controller watches
//! the children of `/brokers/topics` (0.8.0's `TopicChangeListener`, 2.8.2's
//! `TopicChange`), reads each new topic's assignment into its
//! [`ControllerContext`], lets [`ControllerContext::on_new_partitions`]
//! decide, writes the partitions' state znodes, then sends LeaderAndIsr and
//! UpdateMetadata through its send threads. Topics already there at
//! failover, topic deletion and 2.8.2's topic ids are not handled yet.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use coord::proto::{Op, OpResult, ReplyBody};
use coord::{CreateMode, ErrorCode, EventType, KeeperError, WriteOp};
use distribution::Release;
use kafka_api::requests::{
    ControlledShutdownResponse, LeaderAndIsrRequest, LiveBroker, PartitionState,
    UpdateMetadataRequest, UpdateMetadataResponse,
};
use kafka_api::{
    ApiKey, Errors, KafkaRequest, KafkaResponse, RequestBody, RequestHeader, ResponseBody,
    TopicPartition,
};
use kafka_log::Level;
use kafka_zk::{
    paths, BrokerRegistration, Controller, ControllerEpoch, FeatureStatus, FeatureZnode,
    TopicAssignment,
};
use sim::{downcast, ConnId, Context, Event, ProcessTimer, TimerKind};

use super::log4j::Log4j;
use super::zk::KafkaZkClient;
use super::Next;
use crate::controller::{ControllerContext, Decisions, ZkWrite};
use crate::scala::{hash_map, hash_set, immutable_set, join as mk_string, list, names, set};

const CONTROLLER: &str = "kafka.controller.KafkaController";
const CHANNEL_MANAGER: &str = "kafka.controller.ControllerChannelManager";
const SEND_THREAD: &str = "kafka.controller.RequestSendThread";
const STATE_CHANGE: &str = "state.change.logger";
const ZK_UTILS: &str = "kafka.utils.ZkUtils$";
const ELECTOR: &str = "kafka.server.ZookeeperLeaderElector";
const TOPIC_CHANGE_LISTENER: &str = "kafka.controller.PartitionStateMachine$TopicChangeListener";

/// The timer of 0.8.0's election back-off.
pub const ELECT_BACKOFF_TIMER: u64 = 10;
/// The timer of 2.8.2's automatic preferred replica election.
pub const REBALANCE_TIMER: u64 = 11;
/// The timer of 2.8.2's failover, once elected.
pub const FAILOVER_TIMER: u64 = 12;

/// What the controller's ZooKeeper requests wait for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// A reply nothing depends on (a watch being set, a cleanup).
    Ignore,
    /// 0.8.0: `ControllerEpochListener` reads `/controller_epoch`.
    EpochListenerExists,
    EpochListenerRead,
    /// The election's reads and writes.
    ElectorExists,
    ElectCreate,
    ElectConflict,
    ElectRecheck,
    ElectWinner,
    ControllerRead,
    EpochRead,
    EpochCreate,
    ElectMulti,
    CheckController,
    CheckEpoch,
    /// 0.8.0 `incrementControllerEpoch`.
    EpochSet,
    EpochCreateInitial,
    /// 2.8.2's feature versioning.
    FeatureRead,
    FeatureCreate,
    FeatureVersion,
    /// The live brokers and the topics.
    Brokers,
    BrokerData(i32),
    Topics,
    /// A topic change: the children of `/brokers/topics`, a new topic's
    /// assignment, a partition's state znode written.
    TopicChildren,
    TopicData,
    StateWritten,
    /// The end of 0.8.0's failover.
    DeletePreferred,
    /// zkclient reads a node again before calling its listener (0.8.0).
    LeaderRead,
    EpochChanged,
}

/// What the controller asks of its broker.
#[derive(Debug, PartialEq)]
pub enum Out {
    /// 0.8.0: the constructor's `ControllerEpochListener` read is done.
    Constructed,
    /// 0.8.0: `startup()` returned (it elects under the lock).
    StartupComplete,
    /// The answer to a controlled shutdown request.
    ControlledShutdownDone {
        conn: ConnId,
        correlation_id: i32,
        response: ResponseBody,
    },
}

/// An event of the controller's queue.
#[derive(Clone, Debug, PartialEq, Eq)]
enum CtlEvent {
    Construct,
    Startup,
    /// `/controller` changed: created or changed, or deleted.
    ControllerZnode {
        deleted: bool,
    },
    /// 0.8.0: `/controller_epoch` changed.
    EpochZnode,
    BrokerChange,
    /// The children of `/brokers/topics` changed.
    TopicChange,
    ControlledShutdown {
        broker: i32,
        conn: ConnId,
        correlation_id: i32,
    },
    AutoRebalance,
}

/// Why the election runs, which says what follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Startup,
    Reelect,
}

/// A live broker as the controller knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Broker {
    id: i32,
    host: String,
    port: i32,
    /// 2.8.2: the czxid of its registration.
    epoch: i64,
}

/// A request send thread's connection to one broker.
#[derive(Debug, Default)]
struct Channel {
    conn: Option<ConnId>,
    connected: bool,
    host: String,
    port: i32,
    correlation_id: i32,
    queue: VecDeque<KafkaRequest>,
}

/// The bundle an event handler works with.
pub struct Io<'a, 'c> {
    pub ctx: &'a mut Context<'c>,
    pub log: &'a Log4j,
    pub zk: &'a mut KafkaZkClient<Next>,
    /// 2.8.2: the epoch of the broker's finalized feature cache, once read.
    pub feature_epoch: Option<i32>,
}

impl Io<'_, '_> {
    fn request(&mut self, op: Op, wait: Wait) {
        self.zk
            .request(self.ctx, self.log, op, Next::Controller(wait));
    }

    /// Reads a znode's data, watching it or not.
    fn get(&mut self, path: &str, watch: bool, wait: Wait) {
        let op = Op::GetData {
            path: path.to_owned(),
            watch,
        };
        self.request(op, wait);
    }

    /// Creates a persistent znode with its missing parents.
    fn create_with_parents(&mut self, path: &str, data: &[u8], wait: Wait) {
        self.zk.create_with_parents(
            self.ctx,
            self.log,
            path,
            Some(data),
            CreateMode::Persistent,
            Next::Controller(wait),
        );
    }
}

/// The controller module of one broker.
#[derive(Debug)]
pub struct KafkaController {
    release: Release,
    id: i32,
    session_timeout_ms: i32,
    auto_rebalance: Option<i64>,
    epoch: i32,
    epoch_zk_version: i32,
    /// The controller the broker knows of (`leaderId`, `activeControllerId`).
    active_id: i32,
    /// The replica state machine has started (0.8.0's `hasStarted`).
    started: bool,
    running: bool,
    live: Vec<Broker>,
    shutting_down: Vec<i32>,
    topics: Vec<String>,
    channels: BTreeMap<i32, Channel>,
    queue: VecDeque<CtlEvent>,
    current: Option<CtlEvent>,
    purpose: Purpose,
    /// What this broker writes to `/controller`, and the epoch it aims for.
    elect_data: Vec<u8>,
    new_epoch: i32,
    /// Broker registrations being read: the ids still to come, and the
    /// children as ZooKeeper listed them.
    reading: Vec<i32>,
    listed: Vec<String>,
    read_brokers: Vec<Broker>,
    /// 2.8.2: the feature cache epoch the failover waits for.
    awaiting_feature: Option<i32>,
    /// The cluster as the state machines see it (kept in step with `epoch`,
    /// `live` and `shutting_down` by [`KafkaController::sync_context`]).
    context: ControllerContext,
    /// A topic change being handled: the new and deleted topics, the topics
    /// whose assignment is still to be read (the one being read first), the
    /// assignments read, and the decisions waiting for their znode writes.
    new_topics: Vec<String>,
    deleted_topics: Vec<String>,
    topic_reads: VecDeque<String>,
    reading_topic: Option<String>,
    read_assignments: Vec<(String, TopicAssignment)>,
    pending_writes: usize,
    pending_decisions: Option<Decisions>,
    backoff: Option<ProcessTimer>,
    rebalance: Option<ProcessTimer>,
    failover_timer: Option<ProcessTimer>,
    out: Vec<Out>,
}

impl KafkaController {
    pub fn new(
        release: Release,
        id: i32,
        session_timeout_ms: i32,
        auto_rebalance_interval_s: Option<i64>,
    ) -> KafkaController {
        KafkaController {
            release,
            id,
            session_timeout_ms,
            auto_rebalance: auto_rebalance_interval_s,
            epoch: 0,
            epoch_zk_version: 0,
            active_id: -1,
            started: false,
            running: true,
            live: Vec::new(),
            shutting_down: Vec::new(),
            topics: Vec::new(),
            channels: BTreeMap::new(),
            queue: VecDeque::new(),
            current: None,
            purpose: Purpose::Startup,
            elect_data: Vec::new(),
            new_epoch: 0,
            reading: Vec::new(),
            listed: Vec::new(),
            read_brokers: Vec::new(),
            awaiting_feature: None,
            context: ControllerContext::default(),
            new_topics: Vec::new(),
            deleted_topics: Vec::new(),
            topic_reads: VecDeque::new(),
            reading_topic: None,
            read_assignments: Vec::new(),
            pending_writes: 0,
            pending_decisions: None,
            backoff: None,
            rebalance: None,
            failover_timer: None,
            out: Vec::new(),
        }
    }

    /// Whether this broker is the cluster's controller.
    pub fn is_active(&self) -> bool {
        self.active_id == self.id && self.running
    }

    /// The controller's requests for its broker, in order.
    pub fn take_out(&mut self) -> Vec<Out> {
        std::mem::take(&mut self.out)
    }

    // --- logging ---------------------------------------------------------

    fn ident(&self) -> String {
        match self.release {
            Release::V0_8_0 => format!("[Controller {}]: ", self.id),
            Release::V2_8_2 => format!("[Controller id={}] ", self.id),
        }
    }

    fn log(&self, io: &mut Io<'_, '_>, level: Level, message: &str) {
        let text = format!("{}{message}", self.ident());
        io.log.log(io.ctx, level, CONTROLLER, &text);
    }

    fn info(&self, io: &mut Io<'_, '_>, message: &str) {
        self.log(io, Level::Info, message);
    }

    fn debug(&self, io: &mut Io<'_, '_>, message: &str) {
        self.log(io, Level::Debug, message);
    }

    /// A line of one of the state machines (`ReplicaStateMachine`, ...).
    fn state_machine(&self, io: &mut Io<'_, '_>, level: Level, replica: bool, message: &str) {
        let (logger, ident) = match (self.release, replica) {
            (Release::V0_8_0, true) => (
                "kafka.controller.ReplicaStateMachine",
                format!("[Replica state machine on controller {}]: ", self.id),
            ),
            (Release::V0_8_0, false) => (
                "kafka.controller.PartitionStateMachine",
                format!("[Partition state machine on Controller {}]: ", self.id),
            ),
            (Release::V2_8_2, true) => (
                "kafka.controller.ZkReplicaStateMachine",
                format!("[ReplicaStateMachine controllerId={}] ", self.id),
            ),
            (Release::V2_8_2, false) => (
                "kafka.controller.ZkPartitionStateMachine",
                format!("[PartitionStateMachine controllerId={}] ", self.id),
            ),
        };
        io.log
            .log(io.ctx, level, logger, &format!("{ident}{message}"));
    }

    fn send_thread(&self, io: &mut Io<'_, '_>, broker: i32, message: &str) {
        let ident = match self.release {
            Release::V0_8_0 => format!("[Controller-{}-to-broker-{broker}-send-thread], ", self.id),
            Release::V2_8_2 => format!("[RequestSendThread controllerId={}] ", self.id),
        };
        io.log
            .info(io.ctx, SEND_THREAD, &format!("{ident}{message}"));
    }

    /// `ShutdownableThread.shutdown()`'s three lines (0.8.0's `Stopped `
    /// has a trailing blank).
    fn send_thread_stopped(&self, io: &mut Io<'_, '_>, broker: i32) {
        let stopped = match self.release {
            Release::V0_8_0 => "Stopped ",
            Release::V2_8_2 => "Stopped",
        };
        for message in ["Shutting down", stopped, "Shutdown completed"] {
            self.send_thread(io, broker, message);
        }
    }

    // --- the event queue -------------------------------------------------

    fn enqueue(&mut self, io: &mut Io<'_, '_>, event: CtlEvent) {
        self.queue.push_back(event);
        self.pump(io);
    }

    fn pump(&mut self, io: &mut Io<'_, '_>) {
        while self.current.is_none() && self.running {
            let Some(event) = self.queue.pop_front() else {
                return;
            };
            self.current = Some(event.clone());
            self.process(io, event);
        }
    }

    /// The current event is done; the next may start.
    fn done(&mut self, io: &mut Io<'_, '_>) {
        self.current = None;
        self.pump(io);
    }

    fn process(&mut self, io: &mut Io<'_, '_>, event: CtlEvent) {
        match (self.release, event) {
            (_, CtlEvent::Construct) => {
                let op = Op::Exists {
                    path: paths::CONTROLLER_EPOCH.to_owned(),
                    watch: true,
                };
                io.request(op, Wait::EpochListenerExists);
            }
            (Release::V0_8_0, CtlEvent::Startup) => {
                self.info(io, "Controller starting up");
                self.purpose = Purpose::Startup;
                self.watch_controller(io, Wait::ElectorExists);
            }
            (Release::V2_8_2, CtlEvent::Startup) => {
                self.purpose = Purpose::Startup;
                self.watch_controller(io, Wait::Ignore);
                self.elect(io);
            }
            (Release::V0_8_0, CtlEvent::ControllerZnode { .. }) => {
                // zkclient reads the node again, then calls the listener.
                self.watch_controller(io, Wait::Ignore);
                io.get(paths::CONTROLLER, true, Wait::LeaderRead);
            }
            (Release::V2_8_2, CtlEvent::ControllerZnode { deleted }) => {
                // maybeResign(): watch again, read who the controller is.
                self.watch_controller(io, Wait::Ignore);
                self.purpose = Purpose::Reelect;
                let op = Op::GetData {
                    path: paths::CONTROLLER.to_owned(),
                    watch: false,
                };
                let wait = if deleted {
                    Wait::ControllerRead
                } else {
                    Wait::CheckController
                };
                io.request(op, wait);
            }
            (_, CtlEvent::EpochZnode) => {
                io.get(paths::CONTROLLER_EPOCH, true, Wait::EpochChanged);
            }
            (_, CtlEvent::BrokerChange) => {
                if !self.is_active() {
                    return self.done(io);
                }
                self.list_brokers(io);
            }
            (_, CtlEvent::TopicChange) => {
                if !self.is_active() || !self.started {
                    return self.done(io);
                }
                let op = Op::GetChildren {
                    path: paths::BROKER_TOPICS.to_owned(),
                    watch: true,
                    with_stat: false,
                };
                io.request(op, Wait::TopicChildren);
            }
            (
                _,
                CtlEvent::ControlledShutdown {
                    broker,
                    conn,
                    correlation_id,
                },
            ) => {
                self.controlled_shutdown(io, broker, conn, correlation_id);
                self.done(io);
            }
            (_, CtlEvent::AutoRebalance) => {
                if self.is_active() {
                    self.info(io, "Processing automatic preferred replica leader election");
                    self.log(
                        io,
                        Level::Trace,
                        "Checking need to trigger auto leader balancing",
                    );
                    self.schedule_rebalance(io, self.auto_rebalance.unwrap_or(300) * 1000);
                }
                self.done(io);
            }
        }
    }

    fn watch_controller(&mut self, io: &mut Io<'_, '_>, wait: Wait) {
        let op = Op::Exists {
            path: paths::CONTROLLER.to_owned(),
            watch: true,
        };
        io.request(op, wait);
    }

    // --- what the broker calls --------------------------------------------

    /// 0.8.0's constructor: the `ControllerEpochListener` reads the epoch
    /// ([`Out::Constructed`] follows).
    pub fn construct(&mut self, io: &mut Io<'_, '_>) {
        self.enqueue(io, CtlEvent::Construct);
    }

    /// `startup()`: 0.8.0 elects at once and returns when done
    /// ([`Out::StartupComplete`]); 2.8.2 starts its event thread.
    pub fn startup(&mut self, io: &mut Io<'_, '_>) {
        if self.release == Release::V2_8_2 {
            let text = format!("[ControllerEventThread controllerId={}] Starting", self.id);
            io.log.info(
                io.ctx,
                "kafka.controller.ControllerEventManager$ControllerEventThread",
                &text,
            );
        }
        self.enqueue(io, CtlEvent::Startup);
    }

    /// A watch the broker's session reported.
    pub fn watch(&mut self, io: &mut Io<'_, '_>, event: EventType, path: &str) {
        if !self.running {
            return;
        }
        match path {
            paths::CONTROLLER => {
                let deleted = event == EventType::NodeDeleted;
                self.enqueue(io, CtlEvent::ControllerZnode { deleted });
            }
            paths::CONTROLLER_EPOCH
                if self.release == Release::V0_8_0 && event != EventType::NodeDeleted =>
            {
                self.enqueue(io, CtlEvent::EpochZnode);
            }
            paths::BROKER_IDS if event == EventType::NodeChildrenChanged => {
                self.enqueue(io, CtlEvent::BrokerChange);
            }
            // zkclient (0.8.0) calls a child listener when its path is created.
            paths::BROKER_TOPICS
                if event == EventType::NodeChildrenChanged
                    || (self.release == Release::V0_8_0 && event == EventType::NodeCreated) =>
            {
                self.enqueue(io, CtlEvent::TopicChange);
            }
            _ => {}
        }
    }

    /// A controlled shutdown request reached this broker's socket server.
    pub fn request_controlled_shutdown(
        &mut self,
        io: &mut Io<'_, '_>,
        broker: i32,
        conn: ConnId,
        correlation_id: i32,
    ) {
        self.enqueue(
            io,
            CtlEvent::ControlledShutdown {
                broker,
                conn,
                correlation_id,
            },
        );
    }

    /// The broker's feature cache moved to `epoch` (2.8.2).
    pub fn feature_cache_updated(&mut self, io: &mut Io<'_, '_>, epoch: i32) {
        if self.awaiting_feature.is_some_and(|v| epoch >= v) {
            self.awaiting_feature = None;
            self.failover_handlers(io);
        }
    }

    /// Takes a timer of the controller's.
    pub fn timer(&mut self, io: &mut Io<'_, '_>, token: u64) -> bool {
        match token {
            ELECT_BACKOFF_TIMER => {
                self.backoff = None;
                self.elect(io);
                true
            }
            REBALANCE_TIMER => {
                self.rebalance = None;
                self.enqueue(io, CtlEvent::AutoRebalance);
                true
            }
            FAILOVER_TIMER => {
                self.failover_timer = None;
                io.get(paths::FEATURE, false, Wait::FeatureRead);
                true
            }
            _ => false,
        }
    }

    /// `shutdown()`: what each release logs as the controller module stops.
    pub fn shutdown(&mut self, io: &mut Io<'_, '_>) {
        self.running = false;
        self.queue.clear();
        if let Some(t) = self.backoff.take() {
            io.ctx.cancel_timer(t);
        }
        if let Some(t) = self.rebalance.take() {
            io.ctx.cancel_timer(t);
        }
        if let Some(t) = self.failover_timer.take() {
            io.ctx.cancel_timer(t);
        }
        let channels: Vec<i32> = self.channels.keys().copied().collect();
        match self.release {
            Release::V0_8_0 => {
                if self.active_id == self.id {
                    for broker in channels {
                        self.remove_channel(io, broker);
                    }
                    self.info(io, "Controller shutdown complete");
                }
            }
            Release::V2_8_2 => {
                let thread = format!("[ControllerEventThread controllerId={}] ", self.id);
                for message in ["Shutting down", "Stopped", "Shutdown completed"] {
                    io.log.info(
                        io.ctx,
                        "kafka.controller.ControllerEventManager$ControllerEventThread",
                        &format!("{thread}{message}"),
                    );
                }
                self.debug(io, "Resigning");
                self.state_machine(io, Level::Info, false, "Stopped partition state machine");
                self.state_machine(io, Level::Info, true, "Stopped replica state machine");
                for broker in channels {
                    self.remove_channel(io, broker);
                }
                self.info(io, "Resigned");
            }
        }
        self.active_id = -1;
    }

    // --- ZooKeeper replies ------------------------------------------------

    /// The answer to one of the controller's requests.
    pub fn reply(
        &mut self,
        io: &mut Io<'_, '_>,
        wait: Wait,
        result: Result<ReplyBody, KeeperError>,
    ) {
        if !self.running {
            return;
        }
        let code = result.as_ref().err().map(|e| e.code);
        match wait {
            Wait::Ignore => {}
            Wait::EpochListenerExists => match result {
                Ok(_) => {
                    io.get(paths::CONTROLLER_EPOCH, true, Wait::EpochListenerRead);
                }
                Err(_) => self.constructed(io),
            },
            Wait::EpochListenerRead => {
                if let Ok(ReplyBody::Data { data, stat }) = result {
                    self.read_epoch(data.as_deref().unwrap_or_default(), stat.version);
                    self.epoch_initialized(io);
                }
                self.constructed(io);
            }
            Wait::EpochChanged => {
                if let Ok(ReplyBody::Data { data, stat }) = result {
                    let text =
                        String::from_utf8_lossy(data.as_deref().unwrap_or_default()).into_owned();
                    let ident = format!("[ControllerEpochListener on {}]: ", self.id);
                    io.log.log(
                        io.ctx,
                        Level::Debug,
                        "kafka.controller.ControllerEpochListener",
                        &format!("{ident}Controller epoch listener fired with new epoch {text}"),
                    );
                    self.read_epoch(text.as_bytes(), stat.version);
                    self.epoch_initialized(io);
                }
                self.done(io);
            }
            Wait::ElectorExists => self.elect(io),
            Wait::ElectCreate => match code {
                None => self.elected_0_8_0(io),
                Some(ErrorCode::NodeExists) => {
                    io.get(paths::CONTROLLER, false, Wait::ElectConflict);
                }
                Some(_) => self.elect_failed(io),
            },
            Wait::ElectConflict => {
                let stored = match result {
                    Ok(ReplyBody::Data { data, .. }) => data.map(|d| d.to_vec()),
                    _ => None,
                };
                let stored_text = stored.as_deref().map_or("null".to_owned(), |d| {
                    String::from_utf8_lossy(d).into_owned()
                });
                let ours = String::from_utf8_lossy(&self.elect_data).into_owned();
                io.log.info(
                    io.ctx,
                    ZK_UTILS,
                    &format!(
                        "conflict in {} data: {ours} stored data: {stored_text}",
                        paths::CONTROLLER
                    ),
                );
                io.get(paths::CONTROLLER, false, Wait::ElectRecheck);
            }
            Wait::ElectRecheck => match result {
                Ok(ReplyBody::Data { data, .. }) => {
                    let stored = data.as_deref().unwrap_or_default();
                    if Controller::decode_broker_id(self.release, stored).ok() == Some(self.id) {
                        let ours = String::from_utf8_lossy(&self.elect_data).into_owned();
                        io.log.info(io.ctx, ZK_UTILS, &format!("I wrote this conflicted ephemeral node [{ours}] at {} a while back in a different session, hence I will backoff for this node to be deleted by Zookeeper and retry", paths::CONTROLLER));
                        let after = Duration::from_millis(self.session_timeout_ms.max(0) as u64);
                        self.backoff = Some(io.ctx.set_timer(
                            after,
                            ELECT_BACKOFF_TIMER,
                            TimerKind::OneShot,
                        ));
                    } else {
                        io.get(paths::CONTROLLER, false, Wait::ElectWinner);
                    }
                }
                _ => self.elect(io),
            },
            Wait::ElectWinner => {
                match result {
                    Ok(ReplyBody::Data { data, .. }) => {
                        let stored = data.as_deref().unwrap_or_default();
                        self.active_id =
                            Controller::decode_broker_id(self.release, stored).unwrap_or(-1);
                        let text = format!(
                            "Broker {} was elected as leader instead of broker {}",
                            self.active_id, self.id
                        );
                        io.log.log(io.ctx, Level::Debug, ELECTOR, &text);
                    }
                    _ => {
                        self.active_id = -1;
                        io.log.log(io.ctx, Level::Warn, ELECTOR, "A leader has been elected but just resigned, this will result in another round of election");
                    }
                }
                self.election_over(io);
            }
            Wait::LeaderRead => match result {
                Ok(ReplyBody::Data { data, .. }) => {
                    let stored = data.as_deref().unwrap_or_default();
                    self.active_id =
                        Controller::decode_broker_id(self.release, stored).unwrap_or(-1);
                    io.log.info(
                        io.ctx,
                        "kafka.server.ZookeeperLeaderElector$LeaderChangeListener",
                        &format!("New leader is {}", self.active_id),
                    );
                    self.done(io);
                }
                _ => {
                    let text = format!("{} leader change listener fired for path {} to handle data deleted: trying to elect as a leader", self.id, paths::CONTROLLER);
                    io.log.log(
                        io.ctx,
                        Level::Debug,
                        "kafka.server.ZookeeperLeaderElector$LeaderChangeListener",
                        &text,
                    );
                    self.purpose = Purpose::Reelect;
                    self.elect(io);
                }
            },
            Wait::EpochSet => match result {
                Ok(ReplyBody::Stat(stat)) => {
                    self.epoch += 1;
                    self.epoch_zk_version = stat.version;
                    self.failover_0_8_0_after_epoch(io);
                }
                Err(e) if e.code == ErrorCode::NoNode => {
                    let data = ControllerEpoch(1).encode(self.release);
                    io.request(
                        Op::create(paths::CONTROLLER_EPOCH, Some(&data), CreateMode::Persistent),
                        Wait::EpochCreateInitial,
                    );
                }
                _ => {
                    let trace = "kafka.common.ControllerMovedException: Controller moved to another broker. Aborting controller startup procedure\n";
                    let text = format!("{}Error while incrementing controller epoch", self.ident());
                    io.log.event(io.ctx, Level::Error, CONTROLLER, &text, trace);
                    self.failover_0_8_0_after_epoch(io);
                }
            },
            Wait::EpochCreateInitial => {
                if code.is_none() {
                    // KafkaController.InitialControllerEpochZkVersion is 1,
                    // whatever the znode's version (0) is.
                    self.epoch = 1;
                    self.epoch_zk_version = 1;
                    self.failover_0_8_0_after_epoch(io);
                } else {
                    let trace = "kafka.common.ControllerMovedException: Controller moved to another broker. Aborting controller startup procedure\n";
                    let text = format!(
                        "Error while electing or becoming leader on broker {}",
                        self.id
                    );
                    io.log.event(io.ctx, Level::Error, ELECTOR, &text, trace);
                    self.active_id = -1;
                    self.election_over(io);
                }
            }
            Wait::ControllerRead => match result {
                Ok(ReplyBody::Data { data, .. }) => {
                    let stored = data.as_deref().unwrap_or_default();
                    self.active_id =
                        Controller::decode_broker_id(self.release, stored).unwrap_or(-1);
                    let text = format!(
                        "Broker {} has been elected as the controller, so stopping the election process.",
                        self.active_id
                    );
                    self.debug(io, &text);
                    self.election_over(io);
                }
                _ => {
                    self.active_id = -1;
                    io.get(paths::CONTROLLER_EPOCH, false, Wait::EpochRead);
                }
            },
            Wait::EpochRead => match result {
                Ok(ReplyBody::Data { data, stat }) => {
                    self.read_epoch(data.as_deref().unwrap_or_default(), stat.version);
                    self.try_register(io);
                }
                _ => {
                    let data = ControllerEpoch(0).encode(self.release);
                    io.request(
                        Op::create(paths::CONTROLLER_EPOCH, Some(&data), CreateMode::Persistent),
                        Wait::EpochCreate,
                    );
                }
            },
            Wait::EpochCreate => match code {
                None => {
                    io.log.info(
                        io.ctx,
                        "kafka.zk.KafkaZkClient",
                        &format!(
                            "Successfully created {} with initial epoch 0",
                            paths::CONTROLLER_EPOCH
                        ),
                    );
                    self.epoch = 0;
                    self.epoch_zk_version = 0;
                    self.try_register(io);
                }
                _ => {
                    io.get(paths::CONTROLLER_EPOCH, false, Wait::EpochRead);
                }
            },
            Wait::ElectMulti => match result {
                Ok(ReplyBody::Multi(results)) => {
                    let failed = results.iter().find_map(|r| match r {
                        OpResult::Error(Some(c)) if *c != ErrorCode::RuntimeInconsistency => {
                            Some(*c)
                        }
                        _ => None,
                    });
                    match failed {
                        None => {
                            let version = results
                                .iter()
                                .find_map(|r| match r {
                                    OpResult::SetData { stat } => Some(stat.version),
                                    _ => None,
                                })
                                .unwrap_or(self.epoch_zk_version + 1);
                            self.epoch = self.new_epoch;
                            self.epoch_zk_version = version;
                            self.elected_2_8_2(io);
                        }
                        Some(ErrorCode::NodeExists) | Some(ErrorCode::BadVersion) => {
                            self.purpose_check(io);
                        }
                        Some(_) => self.elect_failed(io),
                    }
                }
                _ => self.elect_failed(io),
            },
            Wait::CheckController => match result {
                Ok(ReplyBody::Data { data, .. }) => {
                    let stored = data.as_deref().unwrap_or_default();
                    let id = Controller::decode_broker_id(self.release, stored).unwrap_or(-1);
                    if self.current == Some(CtlEvent::ControllerZnode { deleted: false }) {
                        // processControllerChange: note who leads.
                        self.active_id = id;
                        self.done(io);
                    } else if id == self.id {
                        io.get(paths::CONTROLLER_EPOCH, false, Wait::CheckEpoch);
                    } else {
                        self.active_id = id;
                        self.moved(io);
                    }
                }
                _ => {
                    if self.current == Some(CtlEvent::ControllerZnode { deleted: false }) {
                        self.active_id = -1;
                        self.done(io);
                    } else {
                        self.active_id = -1;
                        self.moved(io);
                    }
                }
            },
            Wait::CheckEpoch => match result {
                Ok(ReplyBody::Data { data, stat }) => {
                    let epoch =
                        ControllerEpoch::decode(self.release, data.as_deref().unwrap_or_default())
                            .map_or(-1, |e| e.0);
                    if epoch == self.new_epoch {
                        self.epoch = epoch;
                        self.epoch_zk_version = stat.version;
                        self.elected_2_8_2(io);
                    } else {
                        self.moved(io);
                    }
                }
                _ => self.moved(io),
            },
            Wait::FeatureRead => match result {
                Ok(ReplyBody::Data { data, stat }) => {
                    let existing = FeatureZnode::decode(data.as_deref().unwrap_or_default()).ok();
                    if existing.is_some_and(|f| f.status == FeatureStatus::Enabled) {
                        self.failover_handlers(io);
                    } else {
                        let node = FeatureZnode {
                            status: FeatureStatus::Enabled,
                        };
                        self.info(io, &format!("Updating FeatureZNode at path: {} with contents: FeatureZNode(Enabled,Features{{}})", paths::FEATURE));
                        io.request(
                            Op::set_data(paths::FEATURE, Some(&node.encode()), stat.version),
                            Wait::FeatureVersion,
                        );
                    }
                }
                _ => {
                    let node = FeatureZnode {
                        status: FeatureStatus::Enabled,
                    };
                    self.info(io, &format!("Creating FeatureZNode at path: {} with contents: FeatureZNode(Enabled,Features{{}})", paths::FEATURE));
                    io.request(
                        Op::create(paths::FEATURE, Some(&node.encode()), CreateMode::Persistent),
                        Wait::FeatureCreate,
                    );
                }
            },
            Wait::FeatureCreate => {
                io.get(paths::FEATURE, false, Wait::FeatureVersion);
            }
            Wait::FeatureVersion => {
                let version = match result {
                    Ok(ReplyBody::Data { stat, .. }) | Ok(ReplyBody::Stat(stat)) => stat.version,
                    _ => 0,
                };
                // featureCache.waitUntilEpochOrThrow(newVersion, …)
                if io.feature_epoch.is_some_and(|e| e >= version) {
                    self.failover_handlers(io);
                } else {
                    self.awaiting_feature = Some(version);
                }
            }
            Wait::Brokers => match result {
                Ok(ReplyBody::Children { children, .. }) => {
                    self.listed = children.clone();
                    let mut ids: Vec<i32> =
                        children.iter().filter_map(|c| c.parse().ok()).collect();
                    if self.release == Release::V2_8_2 {
                        ids.sort_unstable();
                    }
                    self.reading = ids;
                    self.read_brokers.clear();
                    self.read_next_broker(io);
                }
                _ => {
                    self.listed.clear();
                    self.reading.clear();
                    self.read_brokers.clear();
                    self.read_next_broker(io);
                }
            },
            Wait::BrokerData(id) => {
                if let Ok(ReplyBody::Data { data, stat }) = result {
                    if let Ok(reg) = BrokerRegistration::decode(
                        self.release,
                        data.as_deref().unwrap_or_default(),
                    ) {
                        self.read_brokers.push(Broker {
                            id,
                            host: reg.host.unwrap_or_default(),
                            port: reg.port,
                            epoch: stat.czxid,
                        });
                    }
                }
                self.read_next_broker(io);
            }
            Wait::Topics => {
                self.topics = match result {
                    Ok(ReplyBody::Children { children, .. }) => children,
                    _ => Vec::new(),
                };
                match self.release {
                    Release::V0_8_0 => self.failover_0_8_0_context(io),
                    Release::V2_8_2 => self.failover_2_8_2_context(io),
                }
            }
            Wait::TopicChildren => match result {
                Ok(ReplyBody::Children { children, .. }) => self.topics_listed(io, children),
                _ => self.done(io),
            },
            Wait::TopicData => {
                let topic = self.reading_topic.take().unwrap_or_default();
                let data = match result {
                    Ok(ReplyBody::Data { data, .. }) => data.map(|d| d.to_vec()),
                    _ => None,
                };
                match data.map(|d| TopicAssignment::decode(self.release, &d)) {
                    Some(Ok(assignment)) => self.read_assignments.push((topic, assignment)),
                    Some(Err(e)) => self.bad_topic(io, &topic, &e.to_string()),
                    // Deleted before it was read: nothing to bring online.
                    None => {}
                }
                self.read_next_topic(io);
            }
            Wait::StateWritten => {
                if let Err(e) = result {
                    let text = format!(
                        "{}Error while writing a partition state znode: {}",
                        self.ident(),
                        e.code.text()
                    );
                    io.log.log(io.ctx, Level::Error, CONTROLLER, &text);
                }
                self.pending_writes = self.pending_writes.saturating_sub(1);
                if self.pending_writes == 0 {
                    self.send_decisions(io);
                    self.done(io);
                }
            }
            Wait::DeletePreferred => self.election_over(io),
        }
    }

    fn constructed(&mut self, io: &mut Io<'_, '_>) {
        self.out.push(Out::Constructed);
        self.done(io);
    }

    fn read_epoch(&mut self, data: &[u8], version: i32) {
        if let Ok(epoch) = ControllerEpoch::decode(self.release, data) {
            self.epoch = epoch.0;
            self.epoch_zk_version = version;
        }
    }

    fn epoch_initialized(&self, io: &mut Io<'_, '_>) {
        let ident = format!("[ControllerEpochListener on {}]: ", self.id);
        io.log.info(
            io.ctx,
            "kafka.controller.ControllerEpochListener",
            &format!(
                "{ident}Initialized controller epoch to {} and zk version {}",
                self.epoch, self.epoch_zk_version
            ),
        );
    }

    // --- the election -----------------------------------------------------

    fn elect(&mut self, io: &mut Io<'_, '_>) {
        if !self.running {
            return;
        }
        let timestamp = io.ctx.now().unix_millis() as i64;
        self.elect_data = Controller {
            broker_id: self.id,
            timestamp,
        }
        .encode(self.release);
        match self.release {
            Release::V0_8_0 => {
                let op = Op::create(
                    paths::CONTROLLER,
                    Some(&self.elect_data),
                    CreateMode::Ephemeral,
                );
                io.request(op, Wait::ElectCreate);
            }
            Release::V2_8_2 => {
                io.get(paths::CONTROLLER, false, Wait::ControllerRead);
            }
        }
    }

    /// 2.8.2: `/controller` and the new epoch in one multi.
    fn try_register(&mut self, io: &mut Io<'_, '_>) {
        self.new_epoch = self.epoch + 1;
        let epoch = ControllerEpoch(self.new_epoch).encode(self.release);
        let multi = WriteOp::Multi(vec![
            WriteOp::Create {
                path: paths::CONTROLLER.to_owned(),
                data: Some(self.elect_data.clone().into()),
                acl: coord::Acl::open(),
                mode: CreateMode::Ephemeral,
            },
            WriteOp::SetData {
                path: paths::CONTROLLER_EPOCH.to_owned(),
                data: Some(epoch.into()),
                version: self.epoch_zk_version,
            },
        ]);
        io.request(Op::Write(multi), Wait::ElectMulti);
    }

    /// 2.8.2's `checkControllerAndEpoch` after a failed multi.
    fn purpose_check(&mut self, io: &mut Io<'_, '_>) {
        io.get(paths::CONTROLLER, false, Wait::CheckController);
    }

    /// 2.8.2: another broker won (`ControllerMovedException`).
    fn moved(&mut self, io: &mut Io<'_, '_>) {
        let trace = "org.apache.kafka.common.errors.ControllerMovedException: Controller moved to another broker. Aborting controller startup procedure\n";
        let text = if self.active_id != -1 {
            format!(
                "{}Broker {} was elected as controller instead of broker {}",
                self.ident(),
                self.active_id,
                self.id
            )
        } else {
            format!("{}A controller has been elected but just resigned, this will result in another round of election", self.ident())
        };
        let level = if self.active_id != -1 {
            Level::Debug
        } else {
            Level::Warn
        };
        io.log.event(io.ctx, level, CONTROLLER, &text, trace);
        self.election_over(io);
    }

    fn elect_failed(&mut self, io: &mut Io<'_, '_>) {
        self.active_id = -1;
        self.election_over(io);
    }

    /// The election (and the failover, if won) is over.
    fn election_over(&mut self, io: &mut Io<'_, '_>) {
        if self.purpose == Purpose::Startup && self.release == Release::V0_8_0 {
            self.info(io, "Controller startup complete");
            self.out.push(Out::StartupComplete);
        }
        self.done(io);
    }

    // --- 0.8.0's failover ---------------------------------------------------

    fn elected_0_8_0(&mut self, io: &mut Io<'_, '_>) {
        io.log.info(
            io.ctx,
            ELECTOR,
            &format!("{} successfully elected as leader", self.id),
        );
        self.active_id = self.id;
        self.info(
            io,
            &format!(
                "Broker {} starting become controller state transition",
                self.id
            ),
        );
        let data = ControllerEpoch(self.epoch + 1).encode(self.release);
        io.request(
            Op::set_data(paths::CONTROLLER_EPOCH, Some(&data), self.epoch_zk_version),
            Wait::EpochSet,
        );
    }

    fn failover_0_8_0_after_epoch(&mut self, io: &mut Io<'_, '_>) {
        self.info(
            io,
            &format!("Controller {} incremented epoch to {}", self.id, self.epoch),
        );
        // The topic and broker change listeners (zkclient's watchForChilds).
        for path in [paths::BROKER_TOPICS, paths::BROKER_IDS] {
            io.request(
                Op::Exists {
                    path: path.to_owned(),
                    watch: true,
                },
                Wait::Ignore,
            );
        }
        self.list_brokers(io);
    }

    /// Reads the children of `/brokers/ids` (watching them), then each
    /// broker's registration.
    fn list_brokers(&mut self, io: &mut Io<'_, '_>) {
        let op = Op::GetChildren {
            path: paths::BROKER_IDS.to_owned(),
            watch: true,
            with_stat: false,
        };
        io.request(op, Wait::Brokers);
    }

    fn read_next_broker(&mut self, io: &mut Io<'_, '_>) {
        if let Some(id) = self.reading.first().copied() {
            self.reading.remove(0);
            io.get(&paths::broker(id), false, Wait::BrokerData(id));
            return;
        }
        let brokers = std::mem::take(&mut self.read_brokers);
        match self.current {
            Some(CtlEvent::BrokerChange) => self.broker_change(io, brokers),
            _ => {
                self.live = brokers;
                let op = Op::GetChildren {
                    path: paths::BROKER_TOPICS.to_owned(),
                    watch: true,
                    with_stat: false,
                };
                io.request(op, Wait::Topics);
            }
        }
    }

    fn live_ids(&self) -> Vec<i32> {
        self.live
            .iter()
            .map(|b| b.id)
            .filter(|id| !self.shutting_down.contains(id))
            .collect()
    }

    fn all_ids(&self) -> Vec<i32> {
        self.live.iter().map(|b| b.id).collect()
    }

    /// `startChannelManager` and the context's three lines.
    fn start_channels_and_log_context(&mut self, io: &mut Io<'_, '_>) {
        for broker in self.live.clone() {
            self.add_channel(io, &broker);
        }
        let live = set(self.live_ids());
        let (shutting, topics) = match self.release {
            Release::V0_8_0 => (set(&self.shutting_down), names("Set", &self.topics)),
            Release::V2_8_2 => (
                hash_set(&self.shutting_down),
                names("HashSet", &self.topics),
            ),
        };
        self.info(
            io,
            &format!("Currently active brokers in the cluster: {live}"),
        );
        self.info(
            io,
            &format!("Currently shutting brokers in the cluster: {shutting}"),
        );
        self.info(
            io,
            &format!("Current list of topics in the cluster: {topics}"),
        );
    }

    fn failover_0_8_0_context(&mut self, io: &mut Io<'_, '_>) {
        self.shutting_down.clear();
        self.start_channels_and_log_context(io);
        let live = self.live_ids();
        self.started = true;
        for _ in &live {
            self.state_machine(
                io,
                Level::Info,
                true,
                &format!(
                    "No state transitions triggered since no partitions are assigned to brokers {}",
                    mk_string(&live)
                ),
            );
        }
        self.state_machine(
            io,
            Level::Info,
            true,
            "Invoking state change to OnlineReplica for replicas ",
        );
        self.state_machine(
            io,
            Level::Info,
            true,
            "Started replica state machine with initial state -> Map()",
        );
        self.state_machine(
            io,
            Level::Info,
            false,
            "Started partition state machine with initial state -> Map()",
        );
        self.info(
            io,
            &format!(
                "Broker {} is ready to serve as the new controller with epoch {}",
                self.id, self.epoch
            ),
        );
        self.info(io, "Partitions being reassigned: Map()");
        self.info(io, "Partitions already reassigned: List()");
        self.info(io, "Resuming reassignment of partitions: Map()");
        self.info(io, "Partitions undergoing preferred replica election: ");
        self.info(io, "Partitions that completed preferred replica election: ");
        self.info(io, "Resuming preferred replica election for partitions: ");
        self.info(
            io,
            "Starting preferred replica leader election for partitions ",
        );
        self.state_machine(
            io,
            Level::Info,
            false,
            "Invoking state change to OnlinePartition for partitions ",
        );
        io.request(
            Op::delete(paths::PREFERRED_REPLICA_ELECTION, -1),
            Wait::DeletePreferred,
        );
    }

    // --- 2.8.2's failover ---------------------------------------------------

    fn elected_2_8_2(&mut self, io: &mut Io<'_, '_>) {
        self.active_id = self.id;
        self.info(
            io,
            &format!(
                "{} successfully elected as the controller. Epoch incremented to {} and epoch zk version is now {}",
                self.id, self.epoch, self.epoch_zk_version
            ),
        );
        // onControllerFailover takes the event thread a moment before it
        // reads /feature (the coordinators start meanwhile, as real logs show).
        let after = Duration::from_millis(3);
        self.failover_timer = Some(io.ctx.set_timer(after, FAILOVER_TIMER, TimerKind::OneShot));
    }

    fn failover_handlers(&mut self, io: &mut Io<'_, '_>) {
        self.info(io, "Registering handlers");
        self.info(io, "Deleting log dir event notifications");
        self.watch_children(io, paths::LOG_DIR_EVENT_NOTIFICATION);
        self.info(io, "Deleting isr change notifications");
        self.watch_children(io, paths::ISR_CHANGE_NOTIFICATION);
        self.info(io, "Initializing controller context");
        self.list_brokers(io);
    }

    fn watch_children(&mut self, io: &mut Io<'_, '_>, path: &str) {
        let op = Op::GetChildren {
            path: path.to_owned(),
            watch: true,
            with_stat: false,
        };
        io.request(op, Wait::Ignore);
    }

    fn epochs(&self) -> String {
        let entries: Vec<(i32, i64)> = self.live.iter().map(|b| (b.id, b.epoch)).collect();
        hash_map(&entries)
    }

    fn failover_2_8_2_context(&mut self, io: &mut Io<'_, '_>) {
        self.shutting_down.clear();
        self.info(
            io,
            &format!("Initialized broker epochs cache: {}", self.epochs()),
        );
        let ids = self.all_ids();
        self.debug(
            io,
            &format!("Register BrokerModifications handler for {}", set(&ids)),
        );
        self.start_channels_and_log_context(io);
        self.info(io, "Fetching topic deletions in progress");
        self.info(io, "List of topics to be deleted: ");
        self.info(io, "List of topics ineligible for deletion: ");
        self.info(io, "Initializing topic deletion manager");
        io.log.info(
            io.ctx,
            "kafka.controller.TopicDeletionManager",
            &format!("[Topic Deletion Manager {}] Initializing manager with initial deletions: Set(), initial ineligible deletions: HashSet()", self.id),
        );
        self.info(io, "Sending update metadata request");
        self.send_update_metadata(io, &ids);
        self.started = true;
        for line in [
            "Initializing replica state",
            "Triggering online replica state changes",
            "Triggering offline replica state changes",
        ] {
            self.state_machine(io, Level::Info, true, line);
        }
        self.state_machine(
            io,
            Level::Debug,
            true,
            "Started replica state machine with initial state -> HashMap()",
        );
        for line in [
            "Initializing partition state",
            "Triggering online partition state changes",
        ] {
            self.state_machine(io, Level::Info, false, line);
        }
        self.state_machine(
            io,
            Level::Debug,
            false,
            "Started partition state machine with initial state -> HashMap()",
        );
        self.info(
            io,
            &format!(
                "Ready to serve as the new controller with epoch {}",
                self.epoch
            ),
        );
        self.info(io, "Partitions undergoing preferred replica election: ");
        self.info(io, "Partitions that completed preferred replica election: ");
        self.info(
            io,
            "Skipping preferred replica election for partitions due to topic deletion: ",
        );
        self.info(io, "Resuming preferred replica election for partitions: ");
        self.info(
            io,
            "Starting replica leader election (PREFERRED) for partitions  triggered by ZkTriggered",
        );
        // deletePreferredReplicaElection: conditional on the controller's epoch version.
        let multi = WriteOp::Multi(vec![
            WriteOp::Check {
                path: paths::CONTROLLER_EPOCH.to_owned(),
                version: self.epoch_zk_version,
            },
            WriteOp::Delete {
                path: paths::PREFERRED_REPLICA_ELECTION.to_owned(),
                version: -1,
            },
        ]);
        io.request(Op::Write(multi), Wait::Ignore);
        self.info(io, "Starting the controller scheduler");
        if self.auto_rebalance.is_some() {
            self.schedule_rebalance(io, 5_000);
        }
        self.election_over(io);
    }

    fn schedule_rebalance(&mut self, io: &mut Io<'_, '_>, after_ms: i64) {
        if let Some(t) = self.rebalance.take() {
            io.ctx.cancel_timer(t);
        }
        let after = Duration::from_millis(after_ms.max(0) as u64);
        self.rebalance = Some(
            io.ctx
                .set_timer(after, REBALANCE_TIMER, TimerKind::Periodic),
        );
    }

    // --- brokers joining and leaving ----------------------------------------

    fn broker_change(&mut self, io: &mut Io<'_, '_>, brokers: Vec<Broker>) {
        let known = self.all_ids();
        let current: Vec<i32> = match self.release {
            // The children as ZooKeeper listed them, made a Set.
            Release::V0_8_0 => {
                let mut ids = Vec::new();
                for id in self.listed.iter().filter_map(|c| c.parse::<i32>().ok()) {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                ids
            }
            Release::V2_8_2 => brokers.iter().map(|b| b.id).collect(),
        };
        let added: Vec<i32> = current
            .iter()
            .copied()
            .filter(|id| !known.contains(id))
            .collect();
        let dead: Vec<i32> = known
            .iter()
            .copied()
            .filter(|id| !current.contains(id))
            .collect();
        let bounced: Vec<i32> = match self.release {
            Release::V0_8_0 => Vec::new(),
            Release::V2_8_2 => brokers
                .iter()
                .filter(|b| self.live.iter().any(|l| l.id == b.id && b.epoch > l.epoch))
                .map(|b| b.id)
                .collect(),
        };
        match self.release {
            Release::V0_8_0 => {
                let ident = format!("[BrokerChangeListener on Controller {}]: ", self.id);
                let logger = "kafka.controller.ReplicaStateMachine$BrokerChangeListener";
                let text = format!(
                    "{ident}Broker change listener fired for path {} with children {}",
                    paths::BROKER_IDS,
                    self.listed.join(",")
                );
                io.log.info(io.ctx, logger, &text);
                if !self.started {
                    return self.done(io);
                }
                // liveBrokers = curBrokerIds.map(getBrokerInfo)
                let mut live = Vec::new();
                for id in &current {
                    if let Some(b) = brokers.iter().find(|b| b.id == *id) {
                        live.push(b.clone());
                    }
                }
                self.live = live;
                self.shutting_down
                    .retain(|id| current.contains(id) || dead.contains(id));
                let text = format!(
                    "{ident}Newly added brokers: {}, deleted brokers: {}, all live brokers: {}",
                    mk_string(&added),
                    mk_string(&dead),
                    mk_string(&self.live_ids())
                );
                io.log.info(io.ctx, logger, &text);
            }
            Release::V2_8_2 => {
                let mut sorted_all = current.clone();
                sorted_all.sort_unstable();
                let sorted = |v: &[i32]| {
                    let mut v = v.to_vec();
                    v.sort_unstable();
                    mk_string(&v)
                };
                let text = format!(
                    "Newly added brokers: {}, deleted brokers: {}, bounced brokers: {}, all live brokers: {}",
                    sorted(&added),
                    sorted(&dead),
                    sorted(&bounced),
                    mk_string(&sorted_all)
                );
                self.info(io, &text);
            }
        }
        for id in &added {
            if let Some(b) = brokers.iter().find(|b| b.id == *id) {
                self.add_channel(io, &b.clone());
            }
        }
        for id in &bounced {
            self.remove_channel(io, *id);
            if let Some(b) = brokers.iter().find(|b| b.id == *id) {
                self.add_channel(io, &b.clone());
            }
        }
        for id in &dead {
            self.remove_channel(io, *id);
        }
        if self.release == Release::V2_8_2 {
            let mut live: Vec<Broker> = self
                .live
                .iter()
                .filter(|b| !dead.contains(&b.id))
                .cloned()
                .collect();
            for b in &brokers {
                match live.iter_mut().find(|l| l.id == b.id) {
                    Some(l) => *l = b.clone(),
                    None => live.push(b.clone()),
                }
            }
            live.sort_by_key(|b| b.id);
            let existing: Vec<i32> = live
                .iter()
                .map(|b| b.id)
                .filter(|id| !added.contains(id))
                .collect();
            self.live = live;
            if !added.is_empty() {
                self.info(
                    io,
                    &format!("New broker startup callback for {}", mk_string(&added)),
                );
                self.send_update_metadata(io, &existing);
                self.send_update_metadata(io, &added);
                self.debug(
                    io,
                    &format!("Register BrokerModifications handler for {}", list(&added)),
                );
            }
            if !bounced.is_empty() {
                self.broker_failure(io, &bounced);
                self.info(
                    io,
                    &format!("New broker startup callback for {}", mk_string(&bounced)),
                );
                let others: Vec<i32> = self
                    .all_ids()
                    .into_iter()
                    .filter(|id| !bounced.contains(id))
                    .collect();
                self.send_update_metadata(io, &others);
                self.send_update_metadata(io, &bounced);
            }
            if !dead.is_empty() {
                self.broker_failure(io, &dead);
            }
            if !(added.is_empty() && dead.is_empty() && bounced.is_empty()) {
                self.info(
                    io,
                    &format!("Updated broker epochs cache: {}", self.epochs()),
                );
            }
        } else {
            if !added.is_empty() {
                self.info(
                    io,
                    &format!("New broker startup callback for {}", mk_string(&added)),
                );
                for _ in &added {
                    let text = format!("No state transitions triggered since no partitions are assigned to brokers {}", mk_string(&added));
                    io.log.info(io.ctx, ZK_UTILS, &text);
                }
                self.state_machine(
                    io,
                    Level::Info,
                    true,
                    "Invoking state change to OnlineReplica for replicas ",
                );
            }
            if !dead.is_empty() {
                self.broker_failure(io, &dead);
            }
        }
        self.done(io);
    }

    /// `onBrokerFailure`.
    fn broker_failure(&mut self, io: &mut Io<'_, '_>, dead: &[i32]) {
        self.info(
            io,
            &format!("Broker failure callback for {}", mk_string(dead)),
        );
        let were_shutting_down: Vec<i32> = dead
            .iter()
            .copied()
            .filter(|id| self.shutting_down.contains(id))
            .collect();
        self.shutting_down.retain(|id| !dead.contains(id));
        match self.release {
            Release::V0_8_0 => {
                self.info(
                    io,
                    &format!(
                        "Removed {} from list of shutting down brokers.",
                        list(&were_shutting_down)
                    ),
                );
                self.state_machine(
                    io,
                    Level::Info,
                    false,
                    "Invoking state change to OfflinePartition for partitions ",
                );
                for _ in dead {
                    let text = format!("No state transitions triggered since no partitions are assigned to brokers {}", mk_string(dead));
                    io.log.info(io.ctx, ZK_UTILS, &text);
                }
                self.state_machine(
                    io,
                    Level::Info,
                    true,
                    "Invoking state change to OfflineReplica for replicas ",
                );
            }
            Release::V2_8_2 => {
                if !were_shutting_down.is_empty() {
                    self.info(
                        io,
                        &format!(
                            "Removed {} from list of shutting down brokers.",
                            mk_string(&were_shutting_down)
                        ),
                    );
                }
                let ids = self.all_ids();
                self.send_update_metadata(io, &ids);
            }
        }
    }

    /// `shutdownBroker` (0.8.0) / `doControlledShutdown` (2.8.2): with no
    /// partitions, nothing is left to move.
    fn controlled_shutdown(
        &mut self,
        io: &mut Io<'_, '_>,
        broker: i32,
        conn: ConnId,
        correlation_id: i32,
    ) {
        let error = if !self.is_active() {
            Errors::NotController
        } else {
            self.info(io, &format!("Shutting down broker {broker}"));
            if self.all_ids().contains(&broker) {
                if !self.shutting_down.contains(&broker) {
                    self.shutting_down.push(broker);
                }
                self.debug(
                    io,
                    &format!(
                        "All shutting down brokers: {}",
                        mk_string(&self.shutting_down)
                    ),
                );
                self.debug(
                    io,
                    &format!("Live brokers: {}", mk_string(&self.live_ids())),
                );
                if self.release == Release::V2_8_2 {
                    self.send_update_metadata(io, &[]);
                }
                self.log(io, Level::Trace, "All leaders = ");
                Errors::None
            } else {
                Errors::BrokerNotAvailable
            }
        };
        self.out.push(Out::ControlledShutdownDone {
            conn,
            correlation_id,
            response: ResponseBody::ControlledShutdown(ControlledShutdownResponse {
                error,
                remaining_partitions: Vec::new(),
            }),
        });
    }

    // --- new topics -------------------------------------------------------------

    /// The children of `/brokers/topics`: which topics are new, which gone.
    fn topics_listed(&mut self, io: &mut Io<'_, '_>, children: Vec<String>) {
        if self.release == Release::V0_8_0 {
            let text = format!(
                "[TopicChangeListener on Controller {}]: Topic change listener fired for path {} with children {}",
                self.id,
                paths::BROKER_TOPICS,
                children.join(",")
            );
            io.log
                .log(io.ctx, Level::Debug, TOPIC_CHANGE_LISTENER, &text);
        }
        let mut new_topics: Vec<String> = children
            .iter()
            .filter(|t| !self.topics.contains(t))
            .cloned()
            .collect();
        new_topics.sort();
        new_topics.dedup();
        self.deleted_topics = self
            .topics
            .iter()
            .filter(|t| !children.contains(t))
            .cloned()
            .collect();
        self.topics = children;
        self.topic_reads = new_topics.iter().cloned().collect();
        self.new_topics = new_topics;
        self.read_assignments.clear();
        self.read_next_topic(io);
    }

    /// Reads the next new topic's assignment (watching it, as the
    /// partition modification listener does), or acts on what was read.
    fn read_next_topic(&mut self, io: &mut Io<'_, '_>) {
        if let Some(topic) = self.topic_reads.pop_front() {
            io.get(&paths::topic(&topic), true, Wait::TopicData);
            self.reading_topic = Some(topic);
            return;
        }
        self.topics_read(io);
    }

    /// A topic whose znode does not parse is left out, with an error line.
    fn bad_topic(&mut self, io: &mut Io<'_, '_>, topic: &str, error: &str) {
        let (logger, text) = match self.release {
            Release::V0_8_0 => (
                TOPIC_CHANGE_LISTENER,
                format!(
                    "[TopicChangeListener on Controller {}]: Error while handling new topic",
                    self.id
                ),
            ),
            Release::V2_8_2 => (
                "kafka.controller.ControllerEventManager$ControllerEventThread",
                format!(
                    "[ControllerEventThread controllerId={}] Uncaught error processing event TopicChange",
                    self.id
                ),
            ),
        };
        let trace = format!(
            "kafka.common.KafkaException: Invalid replica assignment in {}: {error}\n",
            paths::topic(topic)
        );
        io.log.event(io.ctx, Level::Error, logger, &text, &trace);
    }

    /// `onNewTopicCreation` / `onNewPartitionCreation`: the assignments go
    /// into the context, the state machines decide, the state znodes are
    /// written; the requests follow once the writes are answered.
    fn topics_read(&mut self, io: &mut Io<'_, '_>) {
        let deleted = std::mem::take(&mut self.deleted_topics);
        self.context
            .assignment
            .retain(|tp, _| !deleted.contains(&tp.topic));
        let read = std::mem::take(&mut self.read_assignments);
        let mut partitions: Vec<TopicPartition> = Vec::new();
        for (topic, assignment) in &read {
            for (p, replicas) in &assignment.partitions {
                let tp = TopicPartition::new(topic.clone(), *p);
                self.context
                    .assignment
                    .insert(tp.clone(), replicas.replicas.clone());
                partitions.push(tp);
            }
        }
        let new_topics = std::mem::take(&mut self.new_topics);
        self.log_topic_change(io, &new_topics, &deleted, &read);
        if partitions.is_empty() {
            return self.done(io);
        }
        let names: Vec<String> = partitions
            .iter()
            .map(|tp| match self.release {
                Release::V0_8_0 => tp.bracketed(),
                Release::V2_8_2 => tp.to_string(),
            })
            .collect();
        let names = names.join(",");
        if self.release == Release::V0_8_0 {
            self.info(io, &format!("New topic creation callback for {names}"));
        }
        self.info(io, &format!("New partition creation callback for {names}"));
        let replicas: Vec<String> = partitions
            .iter()
            .flat_map(|tp| {
                let replicas = self.context.assignment.get(tp).cloned().unwrap_or_default();
                replicas
                    .into_iter()
                    .map(move |r| format!("PartitionAndReplica({},{},{r})", tp.topic, tp.partition))
            })
            .collect();
        let replicas = replicas.join(",");
        if self.release == Release::V0_8_0 {
            let text = format!("Invoking state change to NewPartition for partitions {names}");
            self.state_machine(io, Level::Info, false, &text);
            let text = format!("Invoking state change to NewReplica for replicas {replicas}");
            self.state_machine(io, Level::Info, true, &text);
            let text = format!("Invoking state change to OnlinePartition for partitions {names}");
            self.state_machine(io, Level::Info, false, &text);
        }
        self.sync_context();
        let decisions = self.context.on_new_partitions(self.release, &partitions);
        if self.release == Release::V0_8_0 {
            let text = format!("Invoking state change to OnlineReplica for replicas {replicas}");
            self.state_machine(io, Level::Info, true, &text);
        }
        for line in &decisions.lines {
            io.log.line(io.ctx, line);
        }
        self.pending_writes = decisions.zk_writes.len();
        for write in &decisions.zk_writes {
            let data = write.data(self.release);
            match write {
                ZkWrite::CreateState { .. } => {
                    io.create_with_parents(&write.path(), &data, Wait::StateWritten);
                }
                ZkWrite::UpdateState {
                    expected_version, ..
                } => {
                    let op = Op::set_data(&write.path(), Some(&data), *expected_version);
                    io.request(op, Wait::StateWritten);
                }
            }
        }
        self.pending_decisions = Some(decisions);
        if self.pending_writes == 0 {
            self.send_decisions(io);
            self.done(io);
        }
    }

    /// The topic change's line, in each release's words and collections.
    fn log_topic_change(
        &self,
        io: &mut Io<'_, '_>,
        new_topics: &[String],
        deleted: &[String],
        read: &[(String, TopicAssignment)],
    ) {
        match self.release {
            Release::V0_8_0 => {
                // A Map[TopicAndPartition, Seq[Int]].
                let entries: Vec<String> = read
                    .iter()
                    .flat_map(|(topic, a)| {
                        a.partitions.iter().map(move |(p, r)| {
                            format!(
                                "[{topic},{p}] -> List({})",
                                r.replicas
                                    .iter()
                                    .map(i32::to_string)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        })
                    })
                    .collect();
                let text = format!(
                    "[TopicChangeListener on Controller {}]: New topics: [{}], deleted topics: [{}], new partition replica assignment [Map({})]",
                    self.id,
                    immutable_set(new_topics),
                    immutable_set(deleted),
                    entries.join(", ")
                );
                io.log.info(io.ctx, TOPIC_CHANGE_LISTENER, &text);
            }
            Release::V2_8_2 => {
                // A Set[TopicIdReplicaAssignment], each with its Map.
                let joined = |v: &[i32]| v.iter().map(i32::to_string).collect::<Vec<_>>().join(",");
                let assignments: Vec<String> = read
                    .iter()
                    .map(|(topic, a)| {
                        let entries: Vec<String> = a
                            .partitions
                            .iter()
                            .map(|(p, r)| {
                                format!(
                                    "{topic}-{p} -> ReplicaAssignment(replicas={}, addingReplicas={}, removingReplicas={})",
                                    joined(&r.replicas),
                                    joined(&r.adding_replicas),
                                    joined(&r.removing_replicas)
                                )
                            })
                            .collect();
                        let map = if entries.len() <= 4 { "Map" } else { "HashMap" };
                        let id = a
                            .topic_id
                            .as_ref()
                            .map_or("None".to_owned(), |id| format!("Some({id})"));
                        format!("TopicIdReplicaAssignment({topic},{id},{map}({}))", entries.join(", "))
                    })
                    .collect();
                let text = format!(
                    "New topics: [{}], deleted topics: [{}], new partition replica assignment [{}]",
                    immutable_set(new_topics),
                    names("HashSet", deleted),
                    immutable_set(&assignments)
                );
                self.info(io, &text);
            }
        }
    }

    /// The context takes what the controller tracks: its id and epoch, the
    /// live and shutting-down brokers.
    fn sync_context(&mut self) {
        let c = &mut self.context;
        c.controller_id = self.id;
        c.epoch = self.epoch;
        c.epoch_zk_version = self.epoch_zk_version;
        c.live_brokers = self
            .live
            .iter()
            .map(|b| {
                let broker = LiveBroker {
                    id: b.id,
                    host: b.host.clone(),
                    port: b.port,
                    rack: None,
                };
                (b.id, broker)
            })
            .collect();
        c.shutting_down = self.shutting_down.iter().copied().collect();
    }

    /// `sendRequestsToBrokers`: the decided LeaderAndIsr, then UpdateMetadata.
    fn send_decisions(&mut self, io: &mut Io<'_, '_>) {
        let Some(decisions) = self.pending_decisions.take() else {
            return;
        };
        for (broker, states) in decisions.leader_and_isr {
            self.send_leader_and_isr(io, broker, states);
        }
        if let Some((brokers, states)) = decisions.update_metadata {
            let brokers: Vec<i32> = brokers.into_iter().collect();
            self.send_update_metadata_states(io, &brokers, states);
        }
    }

    fn send_leader_and_isr(
        &mut self,
        io: &mut Io<'_, '_>,
        broker: i32,
        states: Vec<PartitionState>,
    ) {
        if self.release == Release::V2_8_2 {
            let leaders = states.iter().filter(|s| s.leader == broker).count();
            let text = format!(
                "[Controller id={} epoch={}] Sending LeaderAndIsr request to broker {broker} with {leaders} become-leader and {} become-follower partitions",
                self.id,
                self.epoch,
                states.len() - leaders
            );
            io.log.info(io.ctx, STATE_CHANGE, &text);
        }
        let live_leaders: Vec<LiveBroker> = self
            .context
            .live_brokers
            .values()
            .filter(|b| states.iter().any(|s| s.leader == b.id))
            .cloned()
            .collect();
        let version = match self.release {
            Release::V0_8_0 => 0,
            Release::V2_8_2 => 5,
        };
        let body = RequestBody::LeaderAndIsr(LeaderAndIsrRequest {
            controller_id: self.id,
            controller_epoch: self.epoch,
            broker_epoch: self.broker_epoch(broker),
            partition_states: states,
            live_leaders,
        });
        self.send(io, broker, ApiKey::LeaderAndIsr, version, body);
    }

    // --- the channels to the brokers -------------------------------------------

    fn add_channel(&mut self, io: &mut Io<'_, '_>, broker: &Broker) {
        if self.channels.contains_key(&broker.id) {
            return;
        }
        let text = format!(
            "[Channel manager on controller {}]: Controller {} trying to connect to broker {}",
            self.id, self.id, broker.id
        );
        io.log.log(io.ctx, Level::Debug, CHANNEL_MANAGER, &text);
        // ShutdownableThread logs `Starting ` (0.8.0, with a trailing blank).
        let starting = match self.release {
            Release::V0_8_0 => "Starting ",
            Release::V2_8_2 => "Starting",
        };
        self.send_thread(io, broker.id, starting);
        self.channels.insert(
            broker.id,
            Channel {
                host: broker.host.clone(),
                port: broker.port,
                ..Channel::default()
            },
        );
    }

    fn remove_channel(&mut self, io: &mut Io<'_, '_>, broker: i32) {
        if let Some(channel) = self.channels.remove(&broker) {
            if let Some(conn) = channel.conn {
                io.ctx.close(conn);
            }
            self.send_thread_stopped(io, broker);
        }
    }

    /// `sendUpdateMetadataRequest` without partitions: 2.8.2 logs it and
    /// sends one to each broker (0.8.0 sends none while there are none).
    fn send_update_metadata(&mut self, io: &mut Io<'_, '_>, brokers: &[i32]) {
        self.send_update_metadata_states(io, brokers, Vec::new());
    }

    /// UpdateMetadata with these partition states to each of `brokers`.
    fn send_update_metadata_states(
        &mut self,
        io: &mut Io<'_, '_>,
        brokers: &[i32],
        states: Vec<PartitionState>,
    ) {
        if self.release == Release::V0_8_0 && states.is_empty() {
            return;
        }
        if self.release == Release::V2_8_2 {
            let text = format!(
                "[Controller id={} epoch={}] Sending UpdateMetadata request to brokers {} for {} partitions",
                self.id,
                self.epoch,
                hash_set(brokers),
                states.len()
            );
            io.log.info(io.ctx, STATE_CHANGE, &text);
        }
        self.sync_context();
        let live_brokers: Vec<LiveBroker> = self.context.live_brokers.values().cloned().collect();
        let version = match self.release {
            Release::V0_8_0 => 0,
            Release::V2_8_2 => 7,
        };
        for id in brokers {
            let body = RequestBody::UpdateMetadata(UpdateMetadataRequest {
                controller_id: self.id,
                controller_epoch: self.epoch,
                broker_epoch: self.broker_epoch(*id),
                partition_states: states.clone(),
                live_brokers: live_brokers.clone(),
            });
            self.send(io, *id, ApiKey::UpdateMetadata, version, body);
        }
    }

    /// A broker's epoch as the controller knows it (-1 if unknown).
    fn broker_epoch(&self, id: i32) -> i64 {
        self.live
            .iter()
            .find(|b| b.id == id)
            .map_or(-1, |b| b.epoch)
    }

    /// Queues a request on a broker's send thread.
    fn send(
        &mut self,
        io: &mut Io<'_, '_>,
        broker: i32,
        api_key: ApiKey,
        api_version: i16,
        body: RequestBody,
    ) {
        let Some(channel) = self.channels.get_mut(&broker) else {
            return;
        };
        let request = KafkaRequest {
            header: RequestHeader {
                api_key,
                api_version,
                correlation_id: channel.correlation_id,
                client_id: self.id.to_string(),
            },
            body,
        };
        channel.correlation_id += 1;
        channel.queue.push_back(request);
        self.flush_channel(io, broker);
    }

    /// The send thread connects on its first request and sends in order.
    fn flush_channel(&mut self, io: &mut Io<'_, '_>, broker: i32) {
        let Some(channel) = self.channels.get_mut(&broker) else {
            return;
        };
        if channel.conn.is_none() {
            if let Ok(port) = u16::try_from(channel.port) {
                channel.conn = io.ctx.connect(&channel.host, port).ok();
            }
            return;
        }
        if !channel.connected {
            return;
        }
        let conn = channel.conn.expect("connected");
        while let Some(request) = channel.queue.pop_front() {
            io.ctx.send(conn, Box::new(request));
        }
    }

    /// Whether a connection is one of the send threads'.
    pub fn owns(&self, conn: ConnId) -> bool {
        self.channels.values().any(|c| c.conn == Some(conn))
    }

    /// An event on a send thread's connection.
    pub fn channel_event(&mut self, io: &mut Io<'_, '_>, event: Event) {
        let conn = match &event {
            Event::Connected { conn }
            | Event::ConnectFailed { conn, .. }
            | Event::Received { conn, .. }
            | Event::Closed { conn, .. } => *conn,
            _ => return,
        };
        let Some((&broker, _)) = self.channels.iter().find(|(_, c)| c.conn == Some(conn)) else {
            return;
        };
        match event {
            Event::Connected { .. } => {
                let channel = self.channels.get_mut(&broker).expect("found");
                channel.connected = true;
                let text = format!(
                    "Controller {} connected to {}:{} (id: {broker} rack: null) for sending state change requests",
                    self.id, channel.host, channel.port
                );
                self.send_thread(io, broker, &text);
                self.flush_channel(io, broker);
            }
            Event::ConnectFailed { .. } | Event::Closed { .. } => {
                // The send thread reconnects for its next request.
                let channel = self.channels.get_mut(&broker).expect("found");
                channel.conn = None;
                channel.connected = false;
            }
            Event::Received { message, .. } => {
                // Responses to UpdateMetadata carry nothing to act on.
                let _ = downcast::<KafkaResponse>(message);
            }
            _ => {}
        }
    }

    /// The broker's own answer to an UpdateMetadata request.
    pub fn update_metadata_response() -> ResponseBody {
        ResponseBody::UpdateMetadata(UpdateMetadataResponse {
            error: Errors::None,
        })
    }
}
