//! `kafka.Kafka`, the broker process `bin/kafka-server-start.sh` runs, as a
//! [`sim::Process`]: [`KafkaServer`] reads its arguments and
//! `server.properties`, starts up as `KafkaServer.startup` of its release
//! does (log manager, socket server, ZooKeeper session, registration in
//! `/brokers/ids`, the controller, and in 2.8.2 the cluster id, the feature
//! cache and the coordinators), hosts the partitions the controller's
//! LeaderAndIsr requests give it (its `ReplicaManager` owns the log
//! manager), runs until a signal, and shuts down as its
//! release does — printing every line BROKER-LIFECYCLE.md lists, where each
//! release's log4j configuration sends it ([`log4j`]).
//!
//! The broker is an event-driven state machine. Its main thread is a
//! script of steps (`Step`): log lines, pauses, and tasks that may wait for
//! ZooKeeper ([`zk`], continuations by xid), a timer or the network; the
//! controller ([`controller`]) runs its own queue of events beside it.
//! Start-up errors (a locked log directory, a port in use, a broker id
//! already registered, ZooKeeper out of reach, a bad configuration) end
//! the process with each release's words and exit status.

pub mod controller;
mod fetcher;
mod isr;
pub mod log4j;
mod network;
mod shutdown;
mod startup;
pub mod zk;

use std::collections::VecDeque;
use std::time::Duration;

use coord::jvm::Environment;
use coord::proto::ReplyBody;
use coord::{EventType, KeeperError};
use distribution::Release;
use kafka_log::{Level, LogManager};
use sim::{Context, Event, Process, Signal, TimerKind};

use crate::apis::{ApiSettings, KafkaApis};
use crate::config::KafkaConfig;
use crate::replica::ReplicaManager;
use controller::{Io, KafkaController};
use fetcher::ReplicaFetcherManager;
use isr::IsrWrites;
use log4j::Log4j;
use network::SocketServer;
use zk::{KafkaZkClient, ZkOut};

/// The timer of the main thread's pauses.
const MAIN_TIMER: u64 = 1;
/// The replica manager's timer: its purgatories' deadlines, its ISR checks
/// and its log manager's scheduled tasks.
const REPLICA_MANAGER_TIMER: u64 = 2;
/// The timer of a controlled shutdown request's timeout.
const CONTROLLED_SHUTDOWN_TIMER: u64 = 3;
/// The timer of 2.8.2's feature thread.
const FEATURE_TIMER: u64 = 4;

/// What a ZooKeeper reply continues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// The main thread (start-up, shutdown).
    Main(MainWait),
    /// The controller.
    Controller(controller::Wait),
    /// 2.8.2's feature change listener reads `/feature`.
    Feature,
    /// 0.8.0's leader wrote a partition's state znode ([`isr`]).
    IsrWrite(u64),
}

/// What the main thread waits for from ZooKeeper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MainWait {
    TopLevelPath,
    FeatureExists,
    ClusterIdRead,
    ClusterIdCreate,
    Register,
    RegisterConflict,
    RegisterRecheck,
    RegisterOwner,
    TopicRead,
    ProducerIdRead,
    ProducerIdWrite,
    ShutdownControllerId,
    ShutdownControllerBroker,
}

/// One step of the main thread.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Log(Level, &'static str, String),
    /// Time the thread spends (stopping a thread, waiting on a poll).
    Pause(u64),
    Do(Task),
}

/// A step that does more than log: it may fail the start-up or wait.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Task {
    LogManager,
    Bind,
    ConnectZk,
    TopLevelPaths,
    FeatureInit,
    ClusterId,
    MetaProperties,
    ConfigBlocks,
    Register,
    CheckpointMetadata,
    ControllerConstruct,
    ControllerStartup,
    ReadTopic(&'static str),
    ProducerIdBlock,
    Started,
    ControlledShutdown,
    ControlledShutdownAttempt,
    StopListening,
    LogManagerShutdown,
    ControllerShutdown,
    CloseZk,
    Exit(i32),
}

/// What the main thread is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Starting,
    Running,
    /// Shutting down (after a signal, or a failed start-up).
    Stopping,
}

/// The parts of the broker that exist so far: what a shutdown stops.
#[derive(Clone, Copy, Debug, Default)]
struct Started {
    zk: bool,
    feature_listener: bool,
    quotas: bool,
    log_manager: bool,
    socket_server: bool,
    alter_isr: bool,
    replica_manager: bool,
    controller: bool,
    admin_manager: bool,
    group_coordinator: bool,
    transaction_coordinator: bool,
    apis: bool,
    dynamic_config: bool,
    startup_complete: bool,
}

/// The broker process (`java ... kafka.Kafka config/server.properties`).
#[derive(Debug)]
pub struct KafkaServer {
    release: Release,
    /// `kafka.Kafka`'s arguments.
    args: Vec<String>,
    env: Environment,
    log: Log4j,
    config: Option<KafkaConfig>,
    id: i32,
    /// 2.8.2's `logIdent`, `[KafkaServer id=0] ` once the id is known.
    ident: String,
    zk: Option<KafkaZkClient<Next>>,
    /// The partitions this broker hosts, and the log manager it owns.
    replica_manager: Option<ReplicaManager>,
    /// The replica manager's pending timer and when it is due.
    replica_timer: Option<(sim::ProcessTimer, i64)>,
    /// The follower's fetcher threads, one per leader broker.
    fetchers: ReplicaFetcherManager,
    /// 0.8.0's writes of ISR changes to ZooKeeper on their way.
    isr_writes: IsrWrites,
    /// `KafkaApis`, once start-up has finished.
    apis: Option<KafkaApis>,
    log_dir: String,
    socket: SocketServer,
    controller: Option<KafkaController>,
    steps: VecDeque<Step>,
    blocked: bool,
    /// The task the main thread waits in.
    waiting: Option<Task>,
    /// The timer of the pause the main thread is in.
    pause: Option<sim::ProcessTimer>,
    phase: Phase,
    started: Started,
    cluster_id: String,
    broker_epoch: i64,
    /// The registration this broker writes to `/brokers/ids/<id>`.
    registration: Vec<u8>,
    /// The next create of the top-level paths (2.8.2).
    top_level: usize,
    /// 2.8.2's `FinalizedFeatureCache`: the epoch of `/feature`, once read.
    feature_epoch: Option<i32>,
    /// The main thread waits for the feature cache's first update.
    awaiting_feature: bool,
    /// The version of `/latest_producer_id_block` the block is written at.
    producer_id_version: i32,
    producer_id_block: Option<kafka_zk::ProducerIdBlock>,
    /// Controlled shutdown: attempts left, and the controller asked.
    shutdown_retries: i32,
    shutdown_controller: Option<i32>,
}

impl KafkaServer {
    /// A broker of `release` started with `args` (what follows the class
    /// name); `logs_dir` is where its log4j files go.
    pub fn new(
        release: Release,
        args: Vec<String>,
        env: Environment,
        logs_dir: &str,
    ) -> KafkaServer {
        KafkaServer {
            release,
            args,
            env,
            log: Log4j::new(release, logs_dir),
            config: None,
            id: -1,
            ident: String::new(),
            zk: None,
            replica_manager: None,
            replica_timer: None,
            fetchers: ReplicaFetcherManager::default(),
            isr_writes: IsrWrites::default(),
            apis: None,
            log_dir: String::new(),
            socket: SocketServer::default(),
            controller: None,
            steps: VecDeque::new(),
            blocked: false,
            waiting: None,
            pause: None,
            phase: Phase::Starting,
            started: Started::default(),
            cluster_id: String::new(),
            broker_epoch: -1,
            registration: Vec::new(),
            top_level: 0,
            feature_epoch: None,
            awaiting_feature: false,
            producer_id_version: 0,
            producer_id_block: None,
            shutdown_retries: 0,
            shutdown_controller: None,
        }
    }

    fn config(&self) -> &KafkaConfig {
        self.config.as_ref().expect("read before the broker starts")
    }

    // --- the main thread's script ------------------------------------------

    fn info(&mut self, logger: &'static str, message: impl Into<String>) {
        self.steps
            .push_back(Step::Log(Level::Info, logger, message.into()));
    }

    fn push(&mut self, step: Step) {
        self.steps.push_back(step);
    }

    fn task(&mut self, task: Task) {
        self.steps.push_back(Step::Do(task));
    }

    /// Runs steps until one waits.
    fn run(&mut self, ctx: &mut Context<'_>) {
        while !self.blocked {
            let Some(step) = self.steps.pop_front() else {
                return;
            };
            match step {
                Step::Log(level, logger, message) => self.log.log(ctx, level, logger, &message),
                Step::Pause(ms) => {
                    let after = Duration::from_millis(ms);
                    self.pause = Some(ctx.set_timer(after, MAIN_TIMER, TimerKind::OneShot));
                    self.blocked = true;
                }
                Step::Do(task) => {
                    if !self.run_task(ctx, task.clone()) && !self.blocked {
                        self.blocked = true;
                        self.waiting = Some(task);
                        // What the session already knows (a close that
                        // finished at once) may end the wait.
                        self.drain_zk(ctx);
                    }
                }
            }
        }
    }

    /// The main thread's wait is over.
    fn resume(&mut self, ctx: &mut Context<'_>) {
        self.blocked = false;
        self.waiting = None;
        self.run(ctx);
    }

    /// The main thread drops what it was doing (a failed or interrupted
    /// start-up): its steps, its wait, its pause.
    fn abandon(&mut self, ctx: &mut Context<'_>) {
        self.phase = Phase::Stopping;
        self.steps.clear();
        self.waiting = None;
        if let Some(t) = self.pause.take() {
            ctx.cancel_timer(t);
        }
    }

    /// Resumes the main thread if it waits in `task`.
    fn resume_from(&mut self, ctx: &mut Context<'_>, task: Task) {
        if self.waiting == Some(task) {
            self.resume(ctx);
        }
    }

    /// Runs a task; false if the main thread now waits.
    fn run_task(&mut self, ctx: &mut Context<'_>, task: Task) -> bool {
        match task {
            Task::Started => {
                if self.release == Release::V2_8_2 {
                    let now = ctx.now().unix_millis();
                    let app_info = "org.apache.kafka.common.utils.AppInfoParser";
                    self.log
                        .info(ctx, app_info, &format!("Kafka startTimeMs: {now}"));
                    let text = format!("{}started", self.ident);
                    self.log.info(ctx, startup::KAFKA_SERVER, &text);
                }
                self.phase = Phase::Running;
                self.started.startup_complete = true;
                self.apis = Some(self.kafka_apis());
                self.schedule_replica_manager(ctx);
                self.process_requests(ctx);
                true
            }
            Task::Exit(status) => {
                ctx.exit(status);
                self.steps.clear();
                false
            }
            Task::ControlledShutdown
            | Task::ControlledShutdownAttempt
            | Task::StopListening
            | Task::LogManagerShutdown
            | Task::ControllerShutdown
            | Task::CloseZk => self.shutdown_task(ctx, task),
            task => self.startup_task(ctx, task),
        }
    }

    // --- ZooKeeper ---------------------------------------------------------

    /// The controller with what it works with.
    fn with_controller(
        &mut self,
        ctx: &mut Context<'_>,
        f: impl FnOnce(&mut KafkaController, &mut Io<'_, '_>),
    ) {
        let (Some(controller), Some(zk)) = (self.controller.as_mut(), self.zk.as_mut()) else {
            return;
        };
        let mut io = Io {
            ctx,
            log: &self.log,
            zk,
            feature_epoch: self.feature_epoch,
        };
        f(controller, &mut io);
        self.controller_out(ctx);
        self.drain_zk(ctx);
    }

    /// Acts on what the session reported, until it has nothing more.
    fn drain_zk(&mut self, ctx: &mut Context<'_>) {
        while let Some(out) = self.zk.as_mut().and_then(KafkaZkClient::next_out) {
            match out {
                ZkOut::Reply { key, result } => self.zk_reply(ctx, key, result),
                ZkOut::Watch { event, path } => self.zk_watch(ctx, event, &path),
                ZkOut::Connected => {
                    if self.waiting == Some(Task::ConnectZk) {
                        self.started.zk = true;
                        self.resume(ctx);
                    }
                }
                ZkOut::ConnectTimeout => self.zk_timeout(ctx),
                ZkOut::Closed => self.resume_from(ctx, Task::CloseZk),
                ZkOut::Disconnected => {}
                ZkOut::Expired => self.zk_expired(ctx),
            }
        }
    }

    fn zk_reply(
        &mut self,
        ctx: &mut Context<'_>,
        key: Next,
        result: Result<ReplyBody, KeeperError>,
    ) {
        match key {
            Next::Main(wait) => self.main_reply(ctx, wait, result),
            Next::Controller(wait) => self.with_controller(ctx, |c, io| c.reply(io, wait, result)),
            Next::Feature => self.feature_read(ctx, result),
            Next::IsrWrite(id) => self.isr_write_answered(ctx, id, result),
        }
    }

    fn zk_watch(&mut self, ctx: &mut Context<'_>, event: EventType, path: &str) {
        if path == kafka_zk::paths::FEATURE && self.release == Release::V2_8_2 {
            self.feature_changed(ctx, event);
        } else {
            self.with_controller(ctx, |c, io| c.watch(io, event, path));
        }
    }

    /// The session expired under the broker (ZooKeeper lost it for longer
    /// than the session timeout): its registration is gone. 0.8.0's zkclient
    /// logged the state change; 2.8.2's `ZooKeeperClient` says so. Creating
    /// a new session and registering again is not modelled: the broker
    /// stays up, unregistered.
    fn zk_expired(&mut self, ctx: &mut Context<'_>) {
        if self.release == Release::V2_8_2 {
            let text = "[ZooKeeperClient Kafka server] Session expired.";
            self.log.info(ctx, "kafka.zookeeper.ZooKeeperClient", text);
        }
    }

    fn controller_out(&mut self, ctx: &mut Context<'_>) {
        let Some(controller) = self.controller.as_mut() else {
            return;
        };
        for out in controller.take_out() {
            match out {
                controller::Out::Constructed => self.resume_from(ctx, Task::ControllerConstruct),
                controller::Out::StartupComplete => self.resume_from(ctx, Task::ControllerStartup),
                controller::Out::ControlledShutdownDone {
                    conn,
                    correlation_id,
                    response,
                } => self.respond(ctx, conn, correlation_id, response),
            }
        }
    }

    // --- the replica manager's scheduler ------------------------------------

    /// Sets the replica manager's timer for its next due time, unless a
    /// timer due no later is already set. Only while the broker runs.
    fn schedule_replica_manager(&mut self, ctx: &mut Context<'_>) {
        if self.phase != Phase::Running {
            return;
        }
        let due = self
            .replica_manager
            .as_ref()
            .and_then(|rm| rm.next_due_ms());
        let Some(due) = due.into_iter().chain(self.fetchers.next_due_ms()).min() else {
            return;
        };
        if let Some((timer, at)) = self.replica_timer {
            if at <= due {
                return;
            }
            ctx.cancel_timer(timer);
        }
        let now = ctx.now().unix_millis() as i64;
        let after = Duration::from_millis((due - now).max(1) as u64);
        let timer = ctx.set_timer(after, REPLICA_MANAGER_TIMER, TimerKind::Periodic);
        self.replica_timer = Some((timer, due));
    }

    fn tick_replica_manager(&mut self, ctx: &mut Context<'_>) {
        self.replica_timer = None;
        let now = ctx.now().unix_millis() as i64;
        if let Some(rm) = self.replica_manager.as_mut() {
            rm.tick(now);
        }
        self.drive_fetchers(ctx);
        self.flush_log_manager(ctx);
        self.schedule_replica_manager(ctx);
    }

    /// `KafkaApis` with the broker's settings (and 2.8.2's cluster id).
    fn kafka_apis(&self) -> KafkaApis {
        let config = self.config();
        let settings = ApiSettings {
            broker_id: self.id,
            auto_create_topics_enable: config.auto_create_topics_enable,
            num_partitions: config.num_partitions,
            default_replication_factor: config.default_replication_factor,
            cluster_id: match self.release {
                Release::V0_8_0 => None,
                Release::V2_8_2 => Some(self.cluster_id.clone()),
            },
        };
        KafkaApis::new(self.release, settings)
    }

    /// The replica manager's log manager, once started.
    fn log_manager(&mut self) -> Option<&mut LogManager> {
        self.replica_manager.as_mut().map(|rm| &mut rm.log_manager)
    }

    /// Carries out the replica manager's fetcher changes and sends what the
    /// fetchers have ready, writes its ISR changes ([`isr`]), prints the replica and log managers' lines,
    /// writes the log manager's file operations, answers the requests that
    /// waited and are done, and sets the replica manager's timer for what is
    /// due next.
    fn flush_log_manager(&mut self, ctx: &mut Context<'_>) {
        self.apply_fetcher_changes(ctx);
        self.drive_fetchers(ctx);
        let Some(rm) = self.replica_manager.as_mut() else {
            return;
        };
        let isr_updates = rm.take_isr_updates();
        let lines = rm.take_lines();
        let ops = rm.log_manager.take_ops();
        for line in &lines {
            self.log.line(ctx, line);
        }
        if !ops.is_empty() {
            use kafka_log::Storage;
            let _ = ctx.storage(&self.log_dir).submit(ops);
        }
        let completed = rm.take_completed();
        self.answer_delayed(ctx, completed);
        self.write_isr_updates(ctx, isr_updates);
        self.schedule_replica_manager(ctx);
    }

    // --- signals --------------------------------------------------------------

    fn signal(&mut self, ctx: &mut Context<'_>, signal: Signal) {
        let status = 128 + signal.number();
        match (self.release, self.phase) {
            (_, Phase::Stopping) => {}
            (Release::V2_8_2, Phase::Starting) => {
                // The hook calls shutdown() while startup() still runs.
                let logger = "org.apache.kafka.common.utils.LoggingSignalHandler";
                let text = format!("Terminating process due to signal SIG{}", signal.name());
                self.log.info(ctx, logger, &text);
                let ident = self.ident.clone();
                self.log
                    .info(ctx, startup::KAFKA_SERVER, &format!("{ident}shutting down"));
                let trace = "java.lang.IllegalStateException: Kafka server is still starting up, cannot shut down!\n\tat kafka.server.KafkaServer.shutdown(KafkaServer.scala:660)\n\tat kafka.Kafka$.$anonfun$main$3(Kafka.scala:100)\n\tat kafka.utils.Exit$.$anonfun$addShutdownHook$1(Exit.scala:38)\n\tat java.lang.Thread.run(Thread.java:748)\n";
                let text = format!("{ident}Fatal error during KafkaServer shutdown.");
                self.log
                    .event(ctx, Level::Error, startup::KAFKA_SERVER, &text, trace);
                self.log.log(
                    ctx,
                    Level::Error,
                    crate::config::error::KAFKA_MAIN_LOGGER,
                    "Halting Kafka.",
                );
                self.abandon(ctx);
                ctx.exit(1);
            }
            (Release::V2_8_2, Phase::Running) => {
                let logger = "org.apache.kafka.common.utils.LoggingSignalHandler";
                let text = format!("Terminating process due to signal SIG{}", signal.name());
                self.log.info(ctx, logger, &text);
                self.begin_shutdown(ctx, status);
            }
            // 0.8.0 logs nothing for the signal: the hook shuts down.
            (Release::V0_8_0, _) => self.begin_shutdown(ctx, status),
        }
    }

    /// Stops what runs and shuts down, then exits with `status`.
    fn begin_shutdown(&mut self, ctx: &mut Context<'_>, status: i32) {
        self.abandon(ctx);
        self.stop_fetchers(ctx);
        self.shutdown_steps();
        self.task(Task::Exit(status));
        self.blocked = false;
        self.run(ctx);
    }
}

impl Process for KafkaServer {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        match event {
            Event::Start => {
                self.start(ctx);
                self.run(ctx);
            }
            Event::Signal(signal) => self.signal(ctx, signal),
            Event::Timer(MAIN_TIMER) => {
                if self.pause.take().is_some() {
                    self.resume(ctx);
                }
            }
            Event::Timer(REPLICA_MANAGER_TIMER) => self.tick_replica_manager(ctx),
            Event::Timer(FEATURE_TIMER) => {
                self.read_feature(ctx);
                self.drain_zk(ctx);
            }
            Event::Timer(CONTROLLED_SHUTDOWN_TIMER) => self.controlled_shutdown_timeout(ctx),
            Event::Timer(
                token @ (controller::ELECT_BACKOFF_TIMER
                | controller::REBALANCE_TIMER
                | controller::FAILOVER_TIMER),
            ) => {
                self.with_controller(ctx, |c, io| {
                    c.timer(io, token);
                });
            }
            event => {
                let event = match self.zk.as_mut() {
                    Some(zk) => match zk.handle(ctx, &self.log, event) {
                        Ok(()) => {
                            self.drain_zk(ctx);
                            return;
                        }
                        Err(event) => event,
                    },
                    None => event,
                };
                self.network(ctx, event);
            }
        }
    }
}
