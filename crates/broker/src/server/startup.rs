//! `Kafka.main` and `KafkaServer.startup` of each release: the arguments
//! and the configuration, then the start-up script — the log manager, the
//! socket server, the ZooKeeper session and the znodes it writes, the
//! registration, the controller, and 2.8.2's cluster id, feature cache and
//! coordinators — with the errors that end it (BROKER-LIFECYCLE.md A.1-A.2,
//! A.6, B.1-B.2, B.6, B.7).

use coord::proto::{Op, OpResult, ReplyBody};
use coord::{CreateMode, ErrorCode, KeeperError, WriteOp};
use distribution::Release;
use kafka_log::{Level, LogManager, LogManagerConfig, LogVersion, Storage};
use kafka_zk::{
    paths, BrokerRegistration, ClusterId, EndPoint, FeatureStatus, FeatureZnode, ProducerIdBlock,
};
use protocol::Magic;
use sim::Context;

use super::controller::KafkaController;
use super::zk::KafkaZkClient;
use super::{KafkaServer, MainWait, Next, Step, Task};
use crate::config::args::Stream;
use crate::config::error::KAFKA_MAIN_LOGGER;
use crate::config::{parse_args, ConfigError, FileProblem, KafkaConfig, UsageError};
use crate::metadata_cache::{GROUP_METADATA_TOPIC_NAME, TRANSACTION_STATE_TOPIC_NAME};
use crate::replica::{ReplicaManager, ReplicaSettings, TopicSettings};

pub(super) const KAFKA_SERVER: &str = "kafka.server.KafkaServer";
const LOG_MANAGER: &str = "kafka.log.LogManager";
const ZK_UTILS: &str = "kafka.utils.ZkUtils$";
const KAFKA_ZK_CLIENT: &str = "kafka.zk.KafkaZkClient";
const REAPER: &str = "kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper";
const THROTTLED_REAPER: &str = "kafka.server.ClientQuotaManager$ThrottledChannelReaper";
const FEATURE_LISTENER: &str = "kafka.server.FinalizedFeatureChangeListener";
const FEATURE_CACHE: &str = "kafka.server.FinalizedFeatureCache";
const SOCKET_SERVER: &str = "kafka.network.SocketServer";
const GROUP_COORDINATOR: &str = "kafka.coordinator.group.GroupCoordinator";
const TXN_COORDINATOR: &str = "kafka.coordinator.transaction.TransactionCoordinator";
const APP_INFO: &str = "org.apache.kafka.common.utils.AppInfoParser";

/// The quota managers' reaper threads (2.8.2), in start order.
pub(super) const THROTTLED_REAPERS: [&str; 4] =
    ["Fetch", "Produce", "Request", "ControllerMutation"];
/// The replica manager's purgatories (2.8.2), in start order.
pub(super) const REPLICA_REAPERS: [&str; 4] = ["Produce", "Fetch", "DeleteRecords", "ElectLeader"];

/// `kafka.Kafka.main`'s frames under 0.8.0's `KafkaServerStartable.startup`.
const MAIN_0_8_0: &str = "\tat kafka.server.KafkaServerStartable.startup(KafkaServerStartable.scala:34)\n\tat kafka.Kafka$.main(Kafka.scala:46)\n\tat kafka.Kafka.main(Kafka.scala)\n";
/// The same under 2.8.2's `KafkaServer.startup`.
const MAIN_2_8_2: &str =
    "\tat kafka.Kafka$.main(Kafka.scala:109)\n\tat kafka.Kafka.main(Kafka.scala)\n";
/// Java 8's frames of a failed bind.
const BIND_FRAMES: &str = "\tat sun.nio.ch.Net.bind0(Native Method)\n\tat sun.nio.ch.Net.bind(Net.java:433)\n\tat sun.nio.ch.Net.bind(Net.java:425)\n\tat sun.nio.ch.ServerSocketChannelImpl.bind(ServerSocketChannelImpl.java:223)\n\tat sun.nio.ch.ServerSocketAdaptor.bind(ServerSocketAdaptor.java:74)\n";

/// The log manager's settings from the broker's configuration.
pub(crate) fn log_manager_config(config: &KafkaConfig, dir: &str) -> LogManagerConfig {
    let version = match config.release {
        Release::V0_8_0 => LogVersion::Kafka0_8_0,
        Release::V2_8_2 => LogVersion::Kafka2_8_2,
    };
    let mut c = LogManagerConfig::defaults(version, dir, config.broker_id);
    c.retention_check_interval_ms = config.log_retention_check_interval_ms;
    c.flush_scheduler_interval_ms = config.log_flush_scheduler_interval_ms;
    c.high_watermark_checkpoint_interval_ms = config.replica_high_watermark_checkpoint_interval_ms;
    if let Some(enable) = config.log_cleaner_enable {
        c.cleaner_enable = enable;
    }
    let l = &mut c.log_config;
    l.segment_bytes = u64::try_from(config.log_segment_bytes).unwrap_or(l.segment_bytes);
    l.segment_ms = config.log_roll_ms;
    l.index_interval_bytes =
        u64::try_from(config.log_index_interval_bytes).unwrap_or(l.index_interval_bytes);
    l.max_index_size_bytes =
        u64::try_from(config.log_index_size_max_bytes).unwrap_or(l.max_index_size_bytes);
    l.retention_ms = config.log_retention_ms;
    l.retention_bytes = config.log_retention_bytes;
    l.flush_messages =
        u64::try_from(config.log_flush_interval_messages).unwrap_or(l.flush_messages);
    l.flush_ms = config.log_flush_interval_ms;
    c
}

/// Java's `UUID.randomUUID()` as `CoreUtils.generateUuidAsBase64` prints
/// it: 16 bytes (version 4), URL-safe base64 without padding.
fn random_uuid_base64(ctx: &mut Context<'_>) -> String {
    let mut bytes = [0u8; 16];
    for b in &mut bytes {
        *b = ctx.random_below(256) as u8;
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// `Stat.toString()` as Jute's `CsvOutputArchive` writes it, with its newline.
fn stat_csv(stat: &coord::Stat) -> String {
    format!(
        "{},{},{},{},{},{},{},{},{},{},{}\n",
        stat.czxid,
        stat.mzxid,
        stat.ctime,
        stat.mtime,
        stat.version,
        stat.cversion,
        stat.aversion,
        stat.ephemeral_owner,
        stat.data_length,
        stat.num_children,
        stat.pzxid
    )
}

/// The value of `key` in a `java.util.Properties` file.
fn property(text: &str, key: &str) -> Option<String> {
    text.lines().filter(|l| !l.starts_with('#')).find_map(|l| {
        l.split_once('=')
            .filter(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().to_owned())
    })
}

impl KafkaServer {
    /// The 0.8.0 `[Kafka Server 0], ` prefix, or 2.8.2's `logIdent`.
    pub(super) fn server_ident(&self) -> String {
        match self.release {
            Release::V0_8_0 => format!("[Kafka Server {}], ", self.id),
            Release::V2_8_2 => self.ident.clone(),
        }
    }

    fn server_info(&mut self, message: &str) {
        let text = format!("{}{message}", self.server_ident());
        self.info(KAFKA_SERVER, text);
    }

    /// `kafka.Kafka.main` up to `startup()`: arguments, configuration, and
    /// the start-up script.
    pub(super) fn start(&mut self, ctx: &mut Context<'_>) {
        let release = self.release;
        if release == Release::V2_8_2 {
            // `object Kafka extends Logging` registers log4j's MBean first.
            self.log.info(
                ctx,
                "kafka.utils.Log4jControllerRegistration$",
                "Registered kafka:type=kafka.Log4jController MBean",
            );
        }
        let (path, overrides) = match parse_args(release, &self.args) {
            Ok(args) => (args.config_path, args.overrides),
            Err(UsageError::Exit {
                stream,
                text,
                exit_code,
                after_file_read,
            }) => {
                if after_file_read {
                    if let Err(e) = self.read_file(ctx, &self.args[0].clone()) {
                        return self.config_failure(ctx, &e);
                    }
                }
                match stream {
                    Stream::Stdout => ctx.stdout(&text),
                    Stream::Stderr => ctx.stderr(&text),
                }
                ctx.exit(exit_code);
                return;
            }
            Err(UsageError::Fatal(e)) => {
                let e = self
                    .read_file(ctx, &self.args[0].clone())
                    .err()
                    .unwrap_or(e);
                return self.config_failure(ctx, &e);
            }
        };
        let text = match self.read_file(ctx, &path) {
            Ok(text) => text,
            Err(e) => return self.config_failure(ctx, &e),
        };
        let parsed = match KafkaConfig::parse(release, &text, &overrides) {
            Ok(parsed) => parsed,
            Err(e) => return self.config_failure(ctx, &e),
        };
        for line in &parsed.log {
            self.log.line(ctx, line);
        }
        self.config = Some(parsed.config);
        self.id = self.config().broker_id;
        self.log_dir = self.config().log_dirs.first().cloned().unwrap_or_default();
        match release {
            Release::V0_8_0 => self.script_0_8_0(),
            Release::V2_8_2 => self.script_2_8_2(),
        }
    }

    /// The properties file, read as the release reads it.
    fn read_file(&self, ctx: &Context<'_>, path: &str) -> Result<String, ConfigError> {
        let absolute = sim::fs::normalize(&self.env.user_dir, path);
        let fs = ctx.fs();
        let fs = fs.borrow();
        if fs.is_dir(&absolute) {
            return Err(ConfigError::unreadable_file(
                self.release,
                path,
                FileProblem::IsADirectory,
            ));
        }
        fs.read(&absolute)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|_| ConfigError::unreadable_file(self.release, path, FileProblem::NotFound))
    }

    /// `Kafka.main`'s catch: the record, the exception, the exit status.
    fn config_failure(&mut self, ctx: &mut Context<'_>, e: &ConfigError) {
        let fatal = e.fatal_lines(self.release);
        let mut trace: String = fatal.throwable.iter().map(|l| format!("{l}\n")).collect();
        if self.release == Release::V0_8_0 {
            trace.push_str(
                "\tat kafka.Kafka$.main(Kafka.scala:34)\n\tat kafka.Kafka.main(Kafka.scala)\n",
            );
        } else {
            trace.push_str(
                "\tat kafka.Kafka$.main(Kafka.scala:84)\n\tat kafka.Kafka.main(Kafka.scala)\n",
            );
        }
        let record = &fatal.record;
        self.log
            .event(ctx, record.level, record.logger, &record.message, &trace);
        ctx.exit(fatal.exit_code);
    }

    fn script_0_8_0(&mut self) {
        let connect = self.config().zookeeper_connect.clone().unwrap_or_default();
        self.server_info("Starting");
        self.task(Task::LogManager);
        self.task(Task::Bind);
        self.info(
            "kafka.server.KafkaZooKeeper",
            format!("connecting to ZK: {connect}"),
        );
        self.task(Task::ConnectZk);
        self.task(Task::Register);
        self.server_info(&format!("Connecting to ZK: {connect}"));
        self.task(Task::ControllerConstruct);
        self.info(
            "kafka.utils.Mx4jLoader$",
            "Will not load MX4J, mx4j-tools.jar is not in the classpath",
        );
        self.task(Task::ControllerStartup);
        self.server_info("Started");
        self.task(Task::Started);
    }

    fn script_2_8_2(&mut self) {
        let connect = self.config().zookeeper_connect.clone().unwrap_or_default();
        let id = self.id;
        self.info("org.apache.zookeeper.common.X509Util", "Setting -D jdk.tls.rejectClientInitiatedRenegotiation=true to disable client-initiated TLS renegotiation");
        self.info(
            "org.apache.kafka.common.utils.LoggingSignalHandler",
            "Registered signal handlers for TERM, INT, HUP",
        );
        self.info(KAFKA_SERVER, "starting");
        self.info(
            KAFKA_SERVER,
            format!("Connecting to zookeeper on {connect}"),
        );
        self.task(Task::ConnectZk);
        self.task(Task::TopLevelPaths);
        self.task(Task::FeatureInit);
        self.task(Task::ClusterId);
        self.task(Task::MetaProperties);
        self.task(Task::ConfigBlocks);
        for name in THROTTLED_REAPERS {
            self.info(
                THROTTLED_REAPER,
                format!("[ThrottledChannelReaper-{name}]: Starting"),
            );
        }
        self.task(Task::LogManager);
        self.info(
            "kafka.network.ConnectionQuotas",
            "Updated connection-accept-rate max connection creation rate to 2147483647",
        );
        self.task(Task::Bind);
        self.info(
            "kafka.server.BrokerToControllerRequestThread",
            format!("[broker-{id}-to-controller-send-thread]: Starting"),
        );
        for name in REPLICA_REAPERS {
            self.info(REAPER, format!("[ExpirationReaper-{id}-{name}]: Starting"));
        }
        self.info(
            "kafka.server.ReplicaManager$LogDirFailureHandler",
            "[LogDirFailureHandler]: Starting",
        );
        self.task(Task::Register);
        self.task(Task::CheckpointMetadata);
        self.task(Task::ControllerStartup);
        for name in ["topic", "Heartbeat", "Rebalance"] {
            self.info(REAPER, format!("[ExpirationReaper-{id}-{name}]: Starting"));
        }
        // Building the coordinators takes the main thread a moment; the
        // controller's event thread goes on meanwhile.
        self.push(Step::Pause(2));
        self.info(
            GROUP_COORDINATOR,
            format!("[GroupCoordinator {id}]: Starting up."),
        );
        self.task(Task::ReadTopic(GROUP_METADATA_TOPIC_NAME));
        self.info(
            GROUP_COORDINATOR,
            format!("[GroupCoordinator {id}]: Startup complete."),
        );
        self.push(Step::Pause(2));
        self.task(Task::ProducerIdBlock);
        self.info(
            TXN_COORDINATOR,
            format!("[TransactionCoordinator id={id}] Starting up."),
        );
        self.task(Task::ReadTopic(TRANSACTION_STATE_TOPIC_NAME));
        self.info(
            "kafka.coordinator.transaction.TransactionMarkerChannelManager",
            format!("[Transaction Marker Channel Manager {id}]: Starting"),
        );
        self.info(
            TXN_COORDINATOR,
            format!("[TransactionCoordinator id={id}] Startup complete."),
        );
        self.push(Step::Pause(2));
        self.info(
            REAPER,
            format!("[ExpirationReaper-{id}-AlterAcls]: Starting"),
        );
        self.info(
            "kafka.common.ZkNodeChangeNotificationListener$ChangeEventProcessThread",
            "[/config/changes-event-process-thread]: Starting",
        );
        let socket = format!("[SocketServer listenerType=ZK_BROKER, nodeId={id}] ");
        self.info(
            SOCKET_SERVER,
            format!("{socket}Starting socket server acceptors and processors"),
        );
        for listener in self.listener_names() {
            self.info(SOCKET_SERVER, format!("{socket}Started data-plane acceptor and processor(s) for endpoint : ListenerName({listener})"));
        }
        self.info(
            SOCKET_SERVER,
            format!("{socket}Started socket server acceptors and processors"),
        );
        self.info(APP_INFO, "Kafka version: 2.8.2");
        self.info(APP_INFO, "Kafka commitId: 3146c6ff4a24cc24");
        self.task(Task::Started);
    }

    /// 2.8.2's listeners: (name, host to bind, port).
    fn listeners(&self) -> Vec<(String, Option<String>, i32)> {
        let c = self.config();
        match &c.listeners {
            Some(listeners) => listeners
                .iter()
                .map(|l| (l.listener_name.clone(), l.host.clone(), l.port))
                .collect(),
            None => vec![("PLAINTEXT".to_owned(), c.host_name.clone(), c.port)],
        }
    }

    fn listener_names(&self) -> Vec<String> {
        self.listeners()
            .into_iter()
            .map(|(name, _, _)| name)
            .collect()
    }

    /// Runs a start-up task; false if the main thread waits.
    pub(super) fn startup_task(&mut self, ctx: &mut Context<'_>, task: Task) -> bool {
        match task {
            Task::LogManager => self.start_log_manager(ctx),
            Task::Bind => self.bind(ctx),
            Task::ConnectZk => {
                let c = self.config();
                let Some(connect) = c.zookeeper_connect.clone() else {
                    let trace = format!("java.lang.IllegalArgumentException: requirement failed: zookeeper.connect must be set\n{MAIN_2_8_2}");
                    self.fail(ctx, &trace);
                    return true;
                };
                let (session, connection) = (
                    c.zookeeper_session_timeout_ms,
                    c.zookeeper_connection_timeout_ms,
                );
                let mut zk = KafkaZkClient::new(self.release, ctx, &connect, session, connection);
                zk.start(ctx, &self.log, &self.env);
                self.zk = Some(zk);
                false
            }
            Task::TopLevelPaths => {
                self.top_level = 0;
                self.next_top_level_path(ctx)
            }
            Task::FeatureInit => {
                let thread =
                    "kafka.server.FinalizedFeatureChangeListener$ChangeNotificationProcessorThread";
                self.log.info(
                    ctx,
                    thread,
                    "[feature-zk-node-event-process-thread]: Starting",
                );
                self.started.feature_listener = true;
                let op = Op::Exists {
                    path: paths::FEATURE.to_owned(),
                    watch: true,
                };
                self.zk_request(ctx, op, Next::Main(MainWait::FeatureExists));
                false
            }
            Task::ClusterId => {
                self.read(ctx, paths::CLUSTER_ID, MainWait::ClusterIdRead);
                false
            }
            Task::MetaProperties => self.check_meta_properties(ctx),
            Task::ConfigBlocks => {
                if let Some(block) = self.config().values_block() {
                    self.log.line(ctx, &block);
                    self.log.line(ctx, &block);
                }
                self.started.quotas = true;
                true
            }
            Task::Register => {
                // 2.8.2 builds the replica manager before registering; 0.8.0 after.
                if self.release == Release::V2_8_2 {
                    self.started.alter_isr = true;
                    self.started.replica_manager = true;
                }
                self.register(ctx);
                false
            }
            Task::CheckpointMetadata => {
                let date = ctx.now().java_date();
                let cluster_id = self.cluster_id.clone();
                if let Some(lm) = self.log_manager() {
                    lm.checkpoint_broker_metadata(Some(&cluster_id), &date);
                }
                self.flush_log_manager(ctx);
                true
            }
            Task::ControllerConstruct => {
                // 0.8.0: the replica manager, the request handlers, then the controller.
                self.started.replica_manager = true;
                self.new_controller();
                self.with_controller(ctx, |c, io| c.construct(io));
                false
            }
            Task::ControllerStartup => {
                if self.controller.is_none() {
                    self.new_controller();
                }
                self.with_controller(ctx, |c, io| c.startup(io));
                self.started.admin_manager = true;
                self.started.group_coordinator = true;
                self.started.transaction_coordinator = true;
                self.started.apis = true;
                self.started.dynamic_config = true;
                self.release == Release::V2_8_2
            }
            Task::ReadTopic(topic) => {
                self.read(ctx, &paths::topic(topic), MainWait::TopicRead);
                false
            }
            Task::ProducerIdBlock => {
                self.read_producer_id_block(ctx);
                false
            }
            _ => true,
        }
    }

    fn new_controller(&mut self) {
        let c = self.config();
        let rebalance = match c.auto_leader_rebalance_enable {
            Some(true) => c.leader_imbalance_check_interval_seconds,
            _ => None,
        };
        self.controller = Some(KafkaController::new(
            self.release,
            self.id,
            c.zookeeper_session_timeout_ms,
            rebalance,
        ));
        self.started.controller = true;
    }

    /// Reads a znode's data for the main thread.
    pub(super) fn read(&mut self, ctx: &mut Context<'_>, path: &str, wait: MainWait) {
        let op = Op::GetData {
            path: path.to_owned(),
            watch: false,
        };
        self.zk_request(ctx, op, Next::Main(wait));
    }

    pub(super) fn zk_request(&mut self, ctx: &mut Context<'_>, op: Op, next: Next) {
        if let Some(zk) = self.zk.as_mut() {
            zk.request(ctx, &self.log, op, next);
        }
    }

    // --- failing ------------------------------------------------------------

    /// A start-up error: the release's fatal record with the exception
    /// (`trace`: its lines, each ending in `\n`), the shutdown of what was
    /// started, and exit status 1. The caller runs the new steps.
    pub(super) fn fail(&mut self, ctx: &mut Context<'_>, trace: &str) {
        self.abandon(ctx);
        match self.release {
            Release::V0_8_0 => {
                let logger = "kafka.server.KafkaServerStartable";
                let text = "Fatal error during KafkaServerStable startup. Prepare to shutdown";
                self.log.event(ctx, Level::Fatal, logger, text, trace);
                self.shutdown_steps();
                // System.exit(1) runs the hook: shutdown() once more.
                self.server_info("Shutting down");
            }
            Release::V2_8_2 => {
                let text = format!(
                    "{}Fatal error during KafkaServer startup. Prepare to shutdown",
                    self.ident
                );
                self.log
                    .event(ctx, Level::Error, KAFKA_SERVER, &text, trace);
                self.shutdown_steps();
                self.push(Step::Log(
                    Level::Error,
                    KAFKA_MAIN_LOGGER,
                    "Exiting Kafka.".to_owned(),
                ));
                self.server_info("shutting down");
            }
        }
        self.task(Task::Exit(1));
    }

    /// Fails from a ZooKeeper reply or a timer: the main thread runs again.
    fn fail_and_run(&mut self, ctx: &mut Context<'_>, trace: &str) {
        self.fail(ctx, trace);
        self.resume(ctx);
    }

    /// No connection within `zookeeper.connection.timeout.ms`.
    pub(super) fn zk_timeout(&mut self, ctx: &mut Context<'_>) {
        if self.waiting != Some(Task::ConnectZk) {
            return;
        }
        let timeout = self.config().zookeeper_connection_timeout_ms;
        if let Some(zk) = self.zk.as_mut() {
            zk.close(ctx, &self.log);
        }
        let trace = match self.release {
            Release::V0_8_0 => format!("org.I0Itec.zkclient.exception.ZkTimeoutException: Unable to connect to zookeeper server within timeout: {timeout}\n\tat org.I0Itec.zkclient.ZkClient.connect(ZkClient.java:880)\n\tat org.I0Itec.zkclient.ZkClient.<init>(ZkClient.java:98)\n\tat org.I0Itec.zkclient.ZkClient.<init>(ZkClient.java:84)\n\tat kafka.common.KafkaZookeeperClient$.getZookeeperClient(KafkaZookeperClient.scala:31)\n\tat kafka.server.KafkaZooKeeper.startup(KafkaZooKeeper.scala:39)\n\tat kafka.server.KafkaServer.startup(KafkaServer.scala:82)\n{MAIN_0_8_0}"),
            Release::V2_8_2 => format!("kafka.zookeeper.ZooKeeperClientTimeoutException: Timed out waiting for connection while in state: CONNECTING\n\tat kafka.zookeeper.ZooKeeperClient.$anonfun$waitUntilConnected$3(ZooKeeperClient.scala:271)\n\tat kafka.utils.CoreUtils$.inLock(CoreUtils.scala:253)\n\tat kafka.zookeeper.ZooKeeperClient.waitUntilConnected(ZooKeeperClient.scala:267)\n\tat kafka.zookeeper.ZooKeeperClient.<init>(ZooKeeperClient.scala:125)\n\tat kafka.zk.KafkaZkClient$.apply(KafkaZkClient.scala:1947)\n\tat kafka.server.KafkaServer.createZkClient$1(KafkaServer.scala:430)\n\tat kafka.server.KafkaServer.initZkClient(KafkaServer.scala:456)\n\tat kafka.server.KafkaServer.startup(KafkaServer.scala:191)\n{MAIN_2_8_2}"),
        };
        self.fail_and_run(ctx, &trace);
    }

    // --- the log manager and the socket server --------------------------------

    fn start_log_manager(&mut self, ctx: &mut Context<'_>) -> bool {
        let dir = self.log_dir.clone();
        let exists = ctx.fs().borrow().is_dir(&dir);
        if !exists {
            let text = match self.release {
                Release::V0_8_0 => format!(
                    "[Log Manager on Broker {}] Log directory '{dir}' not found, creating it.",
                    self.id
                ),
                Release::V2_8_2 => format!("Log directory {dir} not found, creating it."),
            };
            self.log.info(ctx, LOG_MANAGER, &text);
            let _ = ctx.fs().borrow_mut().create_dir_all(&dir);
        }
        if !ctx.try_lock(&format!("{dir}/.lock")) {
            let message = format!("Failed to acquire lock on file .lock in {dir}. A Kafka instance in another process or thread is using this directory.");
            let trace = match self.release {
                Release::V0_8_0 => format!("kafka.common.KafkaException: {message}\n\tat kafka.log.LogManager$$anonfun$lockLogDirs$1.apply(LogManager.scala:91)\n\tat kafka.log.LogManager$$anonfun$lockLogDirs$1.apply(LogManager.scala:88)\n\tat scala.collection.TraversableLike$$anonfun$map$1.apply(TraversableLike.scala:206)\n\tat scala.collection.TraversableLike$$anonfun$map$1.apply(TraversableLike.scala:206)\n\tat scala.collection.LinearSeqOptimized$class.foreach(LinearSeqOptimized.scala:61)\n\tat scala.collection.immutable.List.foreach(List.scala:45)\n\tat scala.collection.TraversableLike$class.map(TraversableLike.scala:206)\n\tat scala.collection.immutable.List.map(List.scala:45)\n\tat kafka.log.LogManager.lockLogDirs(LogManager.scala:88)\n\tat kafka.log.LogManager.<init>(LogManager.scala:61)\n\tat kafka.server.KafkaServer.startup(KafkaServer.scala:63)\n{MAIN_0_8_0}"),
                Release::V2_8_2 => format!("org.apache.kafka.common.KafkaException: {message}\n\tat kafka.log.LogManager.$anonfun$lockLogDirs$1(LogManager.scala:233)\n\tat scala.collection.StrictOptimizedIterableOps.flatMap(StrictOptimizedIterableOps.scala:117)\n\tat scala.collection.StrictOptimizedIterableOps.flatMap$(StrictOptimizedIterableOps.scala:104)\n\tat scala.collection.mutable.ArraySeq.flatMap(ArraySeq.scala:35)\n\tat kafka.log.LogManager.lockLogDirs(LogManager.scala:229)\n\tat kafka.log.LogManager.<init>(LogManager.scala:106)\n\tat kafka.log.LogManager$.apply(LogManager.scala:1223)\n\tat kafka.server.KafkaServer.startup(KafkaServer.scala:247)\n{MAIN_2_8_2}"),
            };
            self.fail(ctx, &trace);
            return true;
        }
        let storage = ctx.storage(&dir);
        let files = storage.load("").unwrap_or_default();
        let now = ctx.now().unix_millis() as i64;
        match LogManager::startup(&files, log_manager_config(self.config(), &dir), now) {
            Ok(lm) => {
                let config = self.config();
                let settings = ReplicaSettings {
                    replica_lag_time_max_ms: config.replica_lag_time_max_ms,
                    replica_lag_max_messages: config.replica_lag_max_messages,
                };
                let topic = TopicSettings {
                    magic: match self.release {
                        Release::V0_8_0 => Magic::V0,
                        Release::V2_8_2 => Magic::V2,
                    },
                    min_insync_replicas: config.min_insync_replicas.unwrap_or(1),
                };
                let broker_id = config.broker_id;
                self.replica_manager = Some(ReplicaManager::new(
                    self.release,
                    broker_id,
                    settings,
                    topic,
                    lm,
                ));
                self.started.log_manager = true;
                self.flush_log_manager(ctx);
                true
            }
            Err(e) => {
                let trace = format!("java.lang.IllegalStateException: {e}\n");
                self.fail(ctx, &trace);
                true
            }
        }
    }

    fn bind(&mut self, ctx: &mut Context<'_>) -> bool {
        self.started.socket_server = true;
        let id = self.id;
        for (name, host, port) in self.listeners() {
            let shown = host
                .clone()
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "0.0.0.0".to_owned());
            let bound = u16::try_from(port)
                .ok()
                .and_then(|p| ctx.listen(p).ok().map(|()| p));
            let Some(port) = bound else {
                let message = format!(
                    "Socket server failed to bind to {shown}:{port}: Address already in use."
                );
                let trace = match self.release {
                    Release::V0_8_0 => format!("kafka.common.KafkaException: {message}\n\tat kafka.network.Acceptor.openServerSocket(SocketServer.scala:188)\n\tat kafka.network.Acceptor.<init>(SocketServer.scala:134)\n\tat kafka.network.SocketServer.startup(SocketServer.scala:61)\n\tat kafka.server.KafkaServer.startup(KafkaServer.scala:77)\n{MAIN_0_8_0}Caused by: java.net.BindException: Address already in use\n{BIND_FRAMES}\tat kafka.network.Acceptor.openServerSocket(SocketServer.scala:184)\n\t... 6 more\n"),
                    Release::V2_8_2 => format!("org.apache.kafka.common.KafkaException: {message}\n\tat kafka.network.Acceptor.openServerSocket(SocketServer.scala:667)\n\tat kafka.network.Acceptor.<init>(SocketServer.scala:560)\n\tat kafka.network.SocketServer.createAcceptor(SocketServer.scala:288)\n\tat kafka.network.SocketServer.$anonfun$createDataPlaneAcceptorsAndProcessors$1(SocketServer.scala:261)\n\tat kafka.network.SocketServer.$anonfun$createDataPlaneAcceptorsAndProcessors$1$adapted(SocketServer.scala:259)\n\tat scala.collection.IterableOnceOps.foreach(IterableOnce.scala:563)\n\tat scala.collection.IterableOnceOps.foreach$(IterableOnce.scala:561)\n\tat scala.collection.AbstractIterable.foreach(Iterable.scala:919)\n\tat kafka.network.SocketServer.createDataPlaneAcceptorsAndProcessors(SocketServer.scala:259)\n\tat kafka.network.SocketServer.startup(SocketServer.scala:131)\n\tat kafka.server.KafkaServer.startup(KafkaServer.scala:285)\n{MAIN_2_8_2}Caused by: java.net.BindException: Address already in use\n{BIND_FRAMES}\tat kafka.network.Acceptor.openServerSocket(SocketServer.scala:663)\n\t... 12 more\n"),
                };
                self.fail(ctx, &trace);
                return true;
            };
            self.socket.ports.push(port);
            self.log.info(
                ctx,
                "kafka.network.Acceptor",
                &format!("Awaiting socket connections on {shown}:{port}."),
            );
            let text = match self.release {
                Release::V0_8_0 => format!("[Socket Server on Broker {id}], Started"),
                Release::V2_8_2 => format!("[SocketServer listenerType=ZK_BROKER, nodeId={id}] Created data-plane acceptor and processors for endpoint : ListenerName({name})"),
            };
            self.log.info(ctx, SOCKET_SERVER, &text);
        }
        true
    }

    // --- ZooKeeper at start-up ------------------------------------------------------

    fn next_top_level_path(&mut self, ctx: &mut Context<'_>) -> bool {
        let Some(path) = paths::PERSISTENT_ZK_PATHS_2_8_2.get(self.top_level) else {
            return true;
        };
        self.top_level += 1;
        if let Some(zk) = self.zk.as_mut() {
            zk.create_with_parents(
                ctx,
                &self.log,
                path,
                None,
                CreateMode::Persistent,
                Next::Main(MainWait::TopLevelPath),
            );
        }
        false
    }

    fn check_meta_properties(&mut self, ctx: &mut Context<'_>) -> bool {
        let file = format!("{}/meta.properties", self.log_dir);
        let text = ctx
            .fs()
            .borrow()
            .read(&file)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        match text {
            None => {
                let text = format!("No meta.properties file under dir {file}");
                self.log.log(
                    ctx,
                    Level::Warn,
                    "kafka.server.BrokerMetadataCheckpoint",
                    &text,
                );
            }
            Some(text) => {
                let frames = "\tat kafka.server.KafkaServer.startup(KafkaServer.scala:215)\n";
                if let Some(stored) =
                    property(&text, "cluster.id").filter(|c| *c != self.cluster_id)
                {
                    let trace = format!("kafka.common.InconsistentClusterIdException: The Cluster ID {} doesn't match stored clusterId Some({stored}) in meta.properties. The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.\n{frames}{MAIN_2_8_2}", self.cluster_id);
                    self.fail(ctx, &trace);
                    return true;
                }
                if let Some(stored) =
                    property(&text, "broker.id").filter(|b| *b != self.id.to_string())
                {
                    let trace = format!("kafka.common.InconsistentBrokerIdException: Configured broker.id {} doesn't match stored broker.id Some({stored}) in meta.properties. If you moved your data, make sure your configured broker.id matches. If you intend to create a new broker, you should remove all data in your data directories (log.dirs).\n\tat kafka.server.KafkaServer.getOrGenerateBrokerId(KafkaServer.scala:793)\n\tat kafka.server.KafkaServer.startup(KafkaServer.scala:221)\n{MAIN_2_8_2}", self.id);
                    self.fail(ctx, &trace);
                    return true;
                }
            }
        }
        self.ident = format!("[KafkaServer id={}] ", self.id);
        true
    }

    /// The host and port other brokers and clients reach this one at.
    fn advertised(&self, ctx: &Context<'_>) -> (String, i32) {
        let c = self.config();
        let host = |h: Option<&str>| {
            h.filter(|h| !h.trim().is_empty())
                .unwrap_or(ctx.host())
                .to_owned()
        };
        match c.advertised_listeners.as_ref().and_then(|l| l.first()) {
            Some(e) => (host(e.host.as_deref()), e.port),
            None => (host(c.host_name.as_deref()), c.port),
        }
    }

    fn register(&mut self, ctx: &mut Context<'_>) {
        let path = paths::broker(self.id);
        let now = ctx.now().unix_millis() as i64;
        match self.release {
            Release::V0_8_0 => {
                if self.registration.is_empty() {
                    let (host, port) = self.advertised(ctx);
                    self.registration =
                        BrokerRegistration::plaintext(self.release, &host, port, -1, now)
                            .encode(self.release);
                }
                let data = self.registration.clone();
                if let Some(zk) = self.zk.as_mut() {
                    zk.create_with_parents(
                        ctx,
                        &self.log,
                        &path,
                        Some(&data),
                        CreateMode::Ephemeral,
                        Next::Main(MainWait::Register),
                    );
                }
            }
            Release::V2_8_2 => {
                let c = self.config();
                let endpoints: Vec<EndPoint> = c
                    .advertised_listeners
                    .clone()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|e| EndPoint {
                        listener: e.listener_name.clone(),
                        host: e
                            .host
                            .clone()
                            .filter(|h| !h.trim().is_empty())
                            .unwrap_or_else(|| ctx.host().to_owned()),
                        port: e.port,
                        security_protocol: e.security_protocol,
                    })
                    .collect();
                self.registration = BrokerRegistration::from_endpoints(endpoints, -1, now, None)
                    .encode(self.release);
                self.log.info(
                    ctx,
                    KAFKA_ZK_CLIENT,
                    &format!("Creating {path} (is it secure? false)"),
                );
                self.create_checked_ephemeral(ctx);
            }
        }
    }

    /// 2.8.2's `CheckedEphemeral.create`: create with no data and set the
    /// data, in one multi.
    fn create_checked_ephemeral(&mut self, ctx: &mut Context<'_>) {
        let path = paths::broker(self.id);
        let multi = WriteOp::Multi(vec![
            WriteOp::Create {
                path: path.clone(),
                data: None,
                acl: coord::Acl::open(),
                mode: CreateMode::Ephemeral,
            },
            WriteOp::SetData {
                path,
                data: Some(self.registration.clone().into()),
                version: 0,
            },
        ]);
        self.zk_request(ctx, Op::Write(multi), Next::Main(MainWait::Register));
    }

    fn read_producer_id_block(&mut self, ctx: &mut Context<'_>) {
        self.read(
            ctx,
            paths::LATEST_PRODUCER_ID_BLOCK,
            MainWait::ProducerIdRead,
        );
    }

    /// The answer to one of the main thread's ZooKeeper requests.
    pub(super) fn main_reply(
        &mut self,
        ctx: &mut Context<'_>,
        wait: MainWait,
        result: Result<ReplyBody, KeeperError>,
    ) {
        if self.phase == super::Phase::Stopping
            && !matches!(
                wait,
                MainWait::ShutdownControllerId | MainWait::ShutdownControllerBroker
            )
        {
            return;
        }
        let code = result.as_ref().err().map(|e| e.code);
        match wait {
            MainWait::TopLevelPath => {
                if self.next_top_level_path(ctx) {
                    self.resume(ctx);
                }
            }
            MainWait::FeatureExists => {
                self.awaiting_feature = true;
                self.schedule_feature_read(ctx);
            }
            MainWait::ClusterIdRead => match result {
                Ok(ReplyBody::Data { data, .. }) => {
                    self.cluster_id = ClusterId::decode(data.as_deref().unwrap_or_default())
                        .map(|c| c.id)
                        .unwrap_or_default();
                    self.cluster_id_known(ctx);
                }
                _ => {
                    self.cluster_id = random_uuid_base64(ctx);
                    let data = ClusterId {
                        id: self.cluster_id.clone(),
                    }
                    .encode();
                    if let Some(zk) = self.zk.as_mut() {
                        zk.create_with_parents(
                            ctx,
                            &self.log,
                            paths::CLUSTER_ID,
                            Some(&data),
                            CreateMode::Persistent,
                            Next::Main(MainWait::ClusterIdCreate),
                        );
                    }
                }
            },
            MainWait::ClusterIdCreate => match code {
                None => self.cluster_id_known(ctx),
                Some(_) => {
                    self.read(ctx, paths::CLUSTER_ID, MainWait::ClusterIdRead);
                }
            },
            MainWait::Register => self.registered(ctx, result),
            MainWait::RegisterConflict => {
                let stored = match &result {
                    Ok(ReplyBody::Data { data, .. }) => data
                        .as_deref()
                        .map(|d| String::from_utf8_lossy(d).into_owned()),
                    _ => None,
                };
                let ours = String::from_utf8_lossy(&self.registration).into_owned();
                let text = format!(
                    "conflict in {} data: {ours} stored data: {}",
                    paths::broker(self.id),
                    stored.as_deref().unwrap_or("null")
                );
                self.log.info(ctx, ZK_UTILS, &text);
                self.read(ctx, &paths::broker(self.id), MainWait::RegisterRecheck);
            }
            MainWait::RegisterRecheck => self.register_recheck(ctx, result),
            MainWait::RegisterOwner => match result {
                Ok(ReplyBody::Data { stat, .. }) => {
                    let session = self.zk.as_ref().map_or(0, KafkaZkClient::session_id);
                    if stat.ephemeral_owner == session {
                        self.registered_with(ctx, &stat);
                    } else {
                        let path = paths::broker(self.id);
                        let text = format!("Error while creating ephemeral at {path}, node already exists and owner '{}' does not match current session '{session}'", stat.ephemeral_owner);
                        self.log.log(
                            ctx,
                            Level::Error,
                            "kafka.zk.KafkaZkClient$CheckedEphemeral",
                            &text,
                        );
                        let trace = format!("org.apache.zookeeper.KeeperException$NodeExistsException: KeeperErrorCode = NodeExists\n\tat org.apache.zookeeper.KeeperException.create(KeeperException.java:126)\n\tat kafka.zk.KafkaZkClient$CheckedEphemeral.getAfterNodeExists(KafkaZkClient.scala:1904)\n\tat kafka.zk.KafkaZkClient$CheckedEphemeral.create(KafkaZkClient.scala:1842)\n\tat kafka.zk.KafkaZkClient.checkedEphemeralCreate(KafkaZkClient.scala:1809)\n\tat kafka.zk.KafkaZkClient.registerBroker(KafkaZkClient.scala:96)\n\tat kafka.server.KafkaServer.startup(KafkaServer.scala:308)\n{MAIN_2_8_2}");
                        self.fail_and_run(ctx, &trace);
                    }
                }
                _ => {
                    let text = format!("The ephemeral node at {} went away while reading it, attempting create() again", paths::broker(self.id));
                    self.log
                        .info(ctx, "kafka.zk.KafkaZkClient$CheckedEphemeral", &text);
                    self.create_checked_ephemeral(ctx);
                }
            },
            MainWait::TopicRead => self.resume(ctx),
            MainWait::ProducerIdRead => match result {
                Ok(ReplyBody::Data { data, stat }) => {
                    let block = match data.as_deref().filter(|d| !d.is_empty()) {
                        None => Some(ProducerIdBlock::first(self.id)),
                        Some(d) => ProducerIdBlock::decode(d)
                            .ok()
                            .and_then(|b| b.next(self.id)),
                    };
                    let Some(block) = block else {
                        return self.resume(ctx);
                    };
                    self.producer_id_block = Some(block);
                    self.producer_id_version = stat.version;
                    let op = Op::set_data(
                        paths::LATEST_PRODUCER_ID_BLOCK,
                        Some(&block.encode()),
                        stat.version,
                    );
                    self.zk_request(ctx, op, Next::Main(MainWait::ProducerIdWrite));
                }
                _ => self.resume(ctx),
            },
            MainWait::ProducerIdWrite => match result {
                Ok(ReplyBody::Stat(stat)) => {
                    if let Some(b) = self.producer_id_block {
                        let text = format!("[ProducerId Manager {}]: Acquired new producerId block (brokerId:{},blockStartProducerId:{},blockEndProducerId:{}) by writing to Zk with path version {}", self.id, b.broker, b.block_start, b.block_end, stat.version);
                        self.log.info(
                            ctx,
                            "kafka.coordinator.transaction.ProducerIdManager",
                            &text,
                        );
                    }
                    self.resume(ctx);
                }
                Err(e) if e.code == ErrorCode::BadVersion => self.read_producer_id_block(ctx),
                _ => self.resume(ctx),
            },
            MainWait::ShutdownControllerId | MainWait::ShutdownControllerBroker => {
                self.controlled_shutdown_reply(ctx, wait, result)
            }
        }
    }

    fn cluster_id_known(&mut self, ctx: &mut Context<'_>) {
        let text = format!("Cluster ID = {}", self.cluster_id);
        self.log.info(ctx, KAFKA_SERVER, &text);
        self.resume(ctx);
    }

    fn registered(&mut self, ctx: &mut Context<'_>, result: Result<ReplyBody, KeeperError>) {
        match (self.release, result) {
            (Release::V0_8_0, Ok(_)) => {
                let (host, port) = self.advertised(ctx);
                let text = format!(
                    "Registered broker {} at path {} with address {host}:{port}.",
                    self.id,
                    paths::broker(self.id)
                );
                self.log.info(ctx, ZK_UTILS, &text);
                self.resume(ctx);
            }
            (Release::V0_8_0, Err(e)) if e.code == ErrorCode::NodeExists => {
                self.read(ctx, &paths::broker(self.id), MainWait::RegisterConflict);
            }
            (Release::V2_8_2, Ok(ReplyBody::Multi(results))) => {
                let failed = results.iter().find_map(|r| match r {
                    OpResult::Error(Some(c)) if *c != ErrorCode::RuntimeInconsistency => Some(*c),
                    _ => None,
                });
                let stat = results.iter().find_map(|r| match r {
                    OpResult::SetData { stat } => Some(*stat),
                    _ => None,
                });
                match (failed, stat) {
                    (None, Some(stat)) => self.registered_with(ctx, &stat),
                    (Some(ErrorCode::NodeExists), _) => {
                        self.read(ctx, &paths::broker(self.id), MainWait::RegisterOwner);
                    }
                    (code, _) => {
                        self.registration_failed(ctx, code.unwrap_or(ErrorCode::SystemError))
                    }
                }
            }
            (_, Err(e)) => self.registration_failed(ctx, e.code),
            (_, Ok(_)) => self.registration_failed(ctx, ErrorCode::SystemError),
        }
    }

    fn registration_failed(&mut self, ctx: &mut Context<'_>, code: ErrorCode) {
        let trace = format!(
            "org.apache.zookeeper.KeeperException${}: KeeperErrorCode = {}\n",
            code.exception(),
            code.text()
        );
        self.fail_and_run(ctx, &trace);
    }

    /// 2.8.2: the registration's stat, and the broker epoch.
    fn registered_with(&mut self, ctx: &mut Context<'_>, stat: &coord::Stat) {
        let path = paths::broker(self.id);
        self.log.info(
            ctx,
            KAFKA_ZK_CLIENT,
            &format!("Stat of the created znode at {path} is: {}", stat_csv(stat)),
        );
        self.broker_epoch = stat.czxid;
        let addresses: Vec<String> = self
            .config()
            .advertised_listeners
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|e| {
                let host = e
                    .host
                    .clone()
                    .filter(|h| !h.trim().is_empty())
                    .unwrap_or_else(|| ctx.host().to_owned());
                format!("{}://{host}:{}", e.listener_name, e.port)
            })
            .collect();
        let text = format!(
            "Registered broker {} at path {path} with addresses: {}, czxid (broker epoch): {}",
            self.id,
            addresses.join(","),
            stat.czxid
        );
        self.log.info(ctx, KAFKA_ZK_CLIENT, &text);
        self.resume(ctx);
    }

    /// 0.8.0's `createEphemeralPathExpectConflictHandleZKBug`: the node is
    /// this broker's from an older session (same host and port): back off
    /// for the session timeout and try again; another broker's: fail.
    fn register_recheck(&mut self, ctx: &mut Context<'_>, result: Result<ReplyBody, KeeperError>) {
        let stored = match result {
            Ok(ReplyBody::Data { data, .. }) => data.map(|d| d.to_vec()),
            _ => None,
        };
        let Some(stored) = stored else {
            // The node went away: try again at once.
            self.register(ctx);
            return;
        };
        let ours = BrokerRegistration::decode(self.release, &self.registration).ok();
        let theirs = BrokerRegistration::decode(self.release, &stored).ok();
        let same = match (ours, theirs) {
            (Some(a), Some(b)) => a.host == b.host && a.port == b.port,
            _ => false,
        };
        if same {
            let ours = String::from_utf8_lossy(&self.registration).into_owned();
            let text = format!("I wrote this conflicted ephemeral node [{ours}] at {} a while back in a different session, hence I will backoff for this node to be deleted by Zookeeper and retry", paths::broker(self.id));
            self.log.info(ctx, ZK_UTILS, &text);
            let backoff = self.config().zookeeper_session_timeout_ms.max(0) as u64;
            self.steps.push_front(Step::Do(Task::Register));
            self.steps.push_front(Step::Pause(backoff));
            self.resume(ctx);
        } else {
            let path = paths::broker(self.id);
            let trace = format!("java.lang.RuntimeException: A broker is already registered on the path {path}. This probably indicates that you either have configured a brokerid that is already in use, or else you have shutdown this broker and restarted it faster than the zookeeper timeout so it appears to be re-registering.\n\tat kafka.utils.ZkUtils$.registerBrokerInZk(ZkUtils.scala:202)\n\tat kafka.server.KafkaZooKeeper.registerBrokerInZk(KafkaZooKeeper.scala:51)\n\tat kafka.server.KafkaZooKeeper.startup(KafkaZooKeeper.scala:41)\n\tat kafka.server.KafkaServer.startup(KafkaServer.scala:82)\n{MAIN_0_8_0}");
            self.fail_and_run(ctx, &trace);
        }
    }

    // --- 2.8.2's feature cache ------------------------------------------------------

    /// The feature listener's watch on `/feature` fired.
    pub(super) fn feature_changed(&mut self, ctx: &mut Context<'_>, event: coord::EventType) {
        if !self.started.feature_listener {
            return;
        }
        let path = paths::FEATURE;
        match event {
            coord::EventType::NodeCreated => self.log.info(
                ctx,
                FEATURE_LISTENER,
                &format!("Feature ZK node created at path: {path}"),
            ),
            coord::EventType::NodeDataChanged => self.log.info(
                ctx,
                FEATURE_LISTENER,
                &format!("Feature ZK node updated at path: {path}"),
            ),
            coord::EventType::NodeDeleted => {
                self.log.log(
                    ctx,
                    Level::Warn,
                    FEATURE_LISTENER,
                    &format!("Feature ZK node deleted at path: {path}"),
                );
                let op = Op::Exists {
                    path: path.to_owned(),
                    watch: true,
                };
                self.zk_request(ctx, op, Next::Controller(super::controller::Wait::Ignore));
            }
            _ => return,
        }
        self.schedule_feature_read(ctx);
    }

    /// The feature thread takes the update from its queue a moment later.
    fn schedule_feature_read(&mut self, ctx: &mut Context<'_>) {
        let after = std::time::Duration::from_millis(2);
        ctx.set_timer(after, super::FEATURE_TIMER, sim::TimerKind::OneShot);
    }

    /// `FeatureCacheUpdater`: reads `/feature` (watching it).
    pub(super) fn read_feature(&mut self, ctx: &mut Context<'_>) {
        let op = Op::GetData {
            path: paths::FEATURE.to_owned(),
            watch: true,
        };
        self.zk_request(ctx, op, Next::Feature);
    }

    /// No finalized features: the listener says why, the cache empties.
    fn clear_feature_cache(&mut self, ctx: &mut Context<'_>, why: &str) {
        self.log.info(ctx, FEATURE_LISTENER, why);
        self.feature_epoch = None;
        self.log.info(ctx, FEATURE_CACHE, "Cleared cache");
    }

    /// `FeatureCacheUpdater.updateLatestOrThrow`.
    pub(super) fn feature_read(
        &mut self,
        ctx: &mut Context<'_>,
        result: Result<ReplyBody, KeeperError>,
    ) {
        let path = paths::FEATURE;
        let node = match &result {
            Ok(ReplyBody::Data { data, stat }) => Some((
                FeatureZnode::decode(data.as_deref().unwrap_or_default()).ok(),
                stat.version,
            )),
            _ => None,
        };
        match node {
            None => self.clear_feature_cache(
                ctx,
                &format!("Feature ZK node at path: {path} does not exist"),
            ),
            Some((
                Some(FeatureZnode {
                    status: FeatureStatus::Enabled,
                }),
                version,
            )) => {
                let existing = match self.feature_epoch {
                    None => "<empty>".to_owned(),
                    Some(e) => {
                        format!("FinalizedFeaturesAndEpoch(features=Features{{}}, epoch={e})")
                    }
                };
                let text = format!("Updated cache from existing {existing} to latest FinalizedFeaturesAndEpoch(features=Features{{}}, epoch={version}).");
                self.log.info(ctx, FEATURE_CACHE, &text);
                self.feature_epoch = Some(version);
                self.with_controller(ctx, |c, io| c.feature_cache_updated(io, version));
            }
            Some((_, _)) => self.clear_feature_cache(
                ctx,
                &format!("Feature ZK node at path: {path} is in disabled status."),
            ),
        }
        if self.awaiting_feature {
            self.awaiting_feature = false;
            self.resume_from(ctx, Task::FeatureInit);
        }
    }
}
