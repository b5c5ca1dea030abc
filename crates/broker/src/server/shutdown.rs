//! `KafkaServer.shutdown` of each release: the controlled shutdown where it
//! is enabled (a ControlledShutdown request to the controller, found
//! through ZooKeeper), then each started component stopped in the
//! release's order with its lines, the clean shutdown marker written by the
//! log manager, and the ZooKeeper session closed (BROKER-LIFECYCLE.md A.5,
//! B.5, and the partial shutdowns of A.6 and B.6).

use std::time::Duration;

use coord::proto::ReplyBody;
use coord::KeeperError;
use distribution::Release;
use kafka_api::requests::ControlledShutdownRequest;
use kafka_api::{ApiKey, Errors, KafkaRequest, RequestBody, RequestHeader, ResponseBody};
use kafka_log::Level;
use kafka_zk::{paths, BrokerRegistration, Controller};
use sim::{Context, TimerKind};

use super::startup::{KAFKA_SERVER, REPLICA_REAPERS, THROTTLED_REAPERS};
use super::{KafkaServer, MainWait, Step, Task, CONTROLLED_SHUTDOWN_TIMER};

const REAPER: &str = "kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper";
const SOCKET_SERVER: &str = "kafka.network.SocketServer";
const HANDLER_POOL: &str = "kafka.server.KafkaRequestHandlerPool";
const FETCHER_MANAGER: &str = "kafka.server.ReplicaFetcherManager";

impl KafkaServer {
    /// `ShutdownableThread.shutdown()`: `Shutting down`, the wait for the
    /// thread to notice, `Stopped`, `Shutdown completed`.
    fn thread_stopped(&mut self, logger: &'static str, ident: &str, wait_ms: u64) {
        self.info(logger, format!("{ident}Shutting down"));
        if wait_ms > 0 {
            self.push(Step::Pause(wait_ms));
        }
        self.info(logger, format!("{ident}Stopped"));
        self.info(logger, format!("{ident}Shutdown completed"));
    }

    /// The socket server stops listening between its two lines.
    fn stop_listening(&mut self, before: String, after: String) {
        self.info(SOCKET_SERVER, before);
        self.task(Task::StopListening);
        self.info(SOCKET_SERVER, after);
    }

    /// A pool or manager's `shutting down` and its last word.
    fn pair_stopped(&mut self, logger: &'static str, ident: &str, done: &str) {
        self.info(logger, format!("{ident} shutting down"));
        self.info(logger, format!("{ident} {done}"));
    }

    /// The steps of `shutdown()` for what was started.
    pub(super) fn shutdown_steps(&mut self) {
        match self.release {
            Release::V0_8_0 => self.shutdown_0_8_0(),
            Release::V2_8_2 => self.shutdown_2_8_2(),
        }
    }

    fn shutdown_0_8_0(&mut self) {
        let id = self.id;
        let s = self.started;
        self.info(KAFKA_SERVER, format!("[Kafka Server {id}], Shutting down"));
        if s.startup_complete && self.config().controlled_shutdown_enable {
            self.task(Task::ControlledShutdown);
        }
        if s.zk {
            self.info("kafka.server.KafkaZooKeeper", "Closing zookeeper client...");
            self.task(Task::CloseZk);
        }
        if s.socket_server {
            let ident = format!("[Socket Server on Broker {id}], ");
            self.stop_listening(
                format!("{ident}Shutting down"),
                format!("{ident}Shutdown completed"),
            );
        }
        if s.replica_manager {
            let pool = format!("[Kafka Request Handler on Broker {id}],");
            self.pair_stopped(HANDLER_POOL, &pool, "shutted down completely");
        }
        self.info("kafka.utils.KafkaScheduler", "Shutdown Kafka scheduler");
        if s.replica_manager {
            let rm = "kafka.server.ReplicaManager";
            self.info(rm, format!("[Replica Manager on Broker {id}]: Shut down"));
            let fetchers = format!("[ReplicaFetcherManager on broker {id}]");
            self.pair_stopped(FETCHER_MANAGER, &fetchers, "shutdown completed");
            self.info(
                rm,
                format!("[Replica Manager on Broker {id}]: Shutted down completely"),
            );
        }
        if s.log_manager {
            self.task(Task::LogManagerShutdown);
        }
        if s.controller {
            self.task(Task::ControllerShutdown);
        }
        self.info(
            KAFKA_SERVER,
            format!("[Kafka Server {id}], Shut down completed"),
        );
    }

    fn shutdown_2_8_2(&mut self) {
        let id = self.id;
        let s = self.started;
        let ident = self.ident.clone();
        let socket = format!("[SocketServer listenerType=ZK_BROKER, nodeId={id}] ");
        // Each purgatory's reaper notices within its next 200 ms tick.
        let reaper_ms = 100;
        self.info(KAFKA_SERVER, format!("{ident}shutting down"));
        if s.startup_complete && self.config().controlled_shutdown_enable {
            self.task(Task::ControlledShutdown);
        }
        if s.dynamic_config {
            let logger = "kafka.common.ZkNodeChangeNotificationListener$ChangeEventProcessThread";
            self.thread_stopped(logger, "[/config/changes-event-process-thread]: ", 0);
        }
        if s.socket_server {
            self.stop_listening(
                format!("{socket}Stopping socket server request processors"),
                format!("{socket}Stopped socket server request processors"),
            );
        }
        if s.apis {
            let pool = format!("[data-plane Kafka Request Handler on Broker {id}],");
            self.pair_stopped(HANDLER_POOL, &pool, "shut down completely");
            self.thread_stopped(
                REAPER,
                &format!("[ExpirationReaper-{id}-AlterAcls]: "),
                reaper_ms,
            );
            self.info(
                "kafka.server.KafkaApis",
                format!("[KafkaApi-{id}] Shutdown complete."),
            );
        }
        if s.admin_manager {
            self.thread_stopped(
                REAPER,
                &format!("[ExpirationReaper-{id}-topic]: "),
                reaper_ms,
            );
        }
        if s.transaction_coordinator {
            let txn = "kafka.coordinator.transaction.TransactionCoordinator";
            self.info(
                txn,
                format!("[TransactionCoordinator id={id}] Shutting down."),
            );
            let last = self.producer_id_block.map_or(0, |b| b.block_start);
            self.info(
                "kafka.coordinator.transaction.ProducerIdManager",
                format!(
                    "[ProducerId Manager {id}]: Shutdown complete: last producerId assigned {last}"
                ),
            );
            self.info(
                "kafka.coordinator.transaction.TransactionStateManager",
                format!("[Transaction State Manager {id}]: Shutdown complete"),
            );
            let markers = "kafka.coordinator.transaction.TransactionMarkerChannelManager";
            self.thread_stopped(
                markers,
                &format!("[Transaction Marker Channel Manager {id}]: "),
                0,
            );
            self.info(
                txn,
                format!("[TransactionCoordinator id={id}] Shutdown complete."),
            );
        }
        if s.group_coordinator {
            let group = "kafka.coordinator.group.GroupCoordinator";
            self.info(group, format!("[GroupCoordinator {id}]: Shutting down."));
            self.thread_stopped(
                REAPER,
                &format!("[ExpirationReaper-{id}-Heartbeat]: "),
                reaper_ms,
            );
            self.thread_stopped(
                REAPER,
                &format!("[ExpirationReaper-{id}-Rebalance]: "),
                reaper_ms,
            );
            self.info(
                group,
                format!("[GroupCoordinator {id}]: Shutdown complete."),
            );
        }
        if s.replica_manager {
            let rm = "kafka.server.ReplicaManager";
            self.info(rm, format!("[ReplicaManager broker={id}] Shutting down"));
            self.thread_stopped(
                "kafka.server.ReplicaManager$LogDirFailureHandler",
                "[LogDirFailureHandler]: ",
                0,
            );
            let fetchers = format!("[ReplicaFetcherManager on broker {id}]");
            self.pair_stopped(FETCHER_MANAGER, &fetchers, "shutdown completed");
            let alter = format!("[ReplicaAlterLogDirsManager on broker {id}]");
            self.pair_stopped(
                "kafka.server.ReplicaAlterLogDirsManager",
                &alter,
                "shutdown completed",
            );
            // Fetch and Produce first: ReplicaManager.shutdown's order.
            for name in [
                REPLICA_REAPERS[1],
                REPLICA_REAPERS[0],
                REPLICA_REAPERS[2],
                REPLICA_REAPERS[3],
            ] {
                self.thread_stopped(
                    REAPER,
                    &format!("[ExpirationReaper-{id}-{name}]: "),
                    reaper_ms,
                );
            }
            self.info(
                rm,
                format!("[ReplicaManager broker={id}] Shut down completely"),
            );
        }
        if s.alter_isr {
            let thread = "kafka.server.BrokerToControllerRequestThread";
            self.thread_stopped(
                thread,
                &format!("[broker-{id}-to-controller-send-thread]: "),
                0,
            );
            self.info(
                "kafka.server.BrokerToControllerChannelManagerImpl",
                "Broker to controller channel manager for alterIsrChannel shutdown",
            );
        }
        if s.log_manager {
            self.task(Task::LogManagerShutdown);
        }
        if s.controller {
            self.task(Task::ControllerShutdown);
        }
        if s.feature_listener {
            let thread =
                "kafka.server.FinalizedFeatureChangeListener$ChangeNotificationProcessorThread";
            self.thread_stopped(thread, "[feature-zk-node-event-process-thread]: ", 0);
        }
        if s.zk {
            self.task(Task::CloseZk);
        }
        if s.quotas {
            // The reapers poll with a one-second timeout and are not interrupted.
            for name in THROTTLED_REAPERS {
                let logger = "kafka.server.ClientQuotaManager$ThrottledChannelReaper";
                self.thread_stopped(logger, &format!("[ThrottledChannelReaper-{name}]: "), 1000);
            }
        }
        if s.socket_server {
            self.info(
                SOCKET_SERVER,
                format!("{socket}Shutting down socket server"),
            );
            self.info(SOCKET_SERVER, format!("{socket}Shutdown completed"));
        }
        if s.quotas {
            let metrics = "org.apache.kafka.common.metrics.Metrics";
            for line in [
                "Metrics scheduler closed",
                "Closing reporter org.apache.kafka.common.metrics.JmxReporter",
                "Metrics reporters closed",
            ] {
                self.info(metrics, line);
            }
            self.info(
                "kafka.server.BrokerTopicStats",
                "Broker and topic stats closed",
            );
        }
        self.info(
            "org.apache.kafka.common.utils.AppInfoParser",
            format!("App info kafka.server for {id} unregistered"),
        );
        self.info(KAFKA_SERVER, format!("{ident}shut down completed"));
    }

    /// Runs a shutdown task; false if the main thread waits.
    pub(super) fn shutdown_task(&mut self, ctx: &mut Context<'_>, task: Task) -> bool {
        match task {
            Task::ControlledShutdown => {
                let text = format!("{}Starting controlled shutdown", self.server_ident());
                self.log.info(ctx, KAFKA_SERVER, &text);
                self.shutdown_retries = self.config().controlled_shutdown_max_retries;
                self.controlled_shutdown_attempt(ctx);
                false
            }
            Task::StopListening => {
                for port in std::mem::take(&mut self.socket.ports) {
                    ctx.stop_listening(port);
                }
                true
            }
            Task::LogManagerShutdown => {
                let now = ctx.now().unix_millis() as i64;
                if let Some(lm) = self.log_manager() {
                    lm.shutdown(now);
                }
                self.flush_log_manager(ctx);
                true
            }
            Task::ControllerShutdown => {
                self.with_controller(ctx, |c, io| c.shutdown(io));
                true
            }
            Task::ControlledShutdownAttempt => {
                self.controlled_shutdown_attempt(ctx);
                false
            }
            Task::CloseZk => match self.zk.as_mut() {
                Some(zk) => {
                    zk.close(ctx, &self.log);
                    false
                }
                None => true,
            },
            _ => true,
        }
    }

    // --- the controlled shutdown ------------------------------------------------

    fn controlled_shutdown_attempt(&mut self, ctx: &mut Context<'_>) {
        self.shutdown_retries -= 1;
        self.read(ctx, paths::CONTROLLER, MainWait::ShutdownControllerId);
    }

    /// The controller's id, then its registration: where to send the request.
    pub(super) fn controlled_shutdown_reply(
        &mut self,
        ctx: &mut Context<'_>,
        wait: MainWait,
        result: Result<ReplyBody, KeeperError>,
    ) {
        let data = match result {
            Ok(ReplyBody::Data { data, .. }) => Some(data.map(|d| d.to_vec()).unwrap_or_default()),
            _ => None,
        };
        match wait {
            MainWait::ShutdownControllerId => {
                match data.and_then(|d| Controller::decode_broker_id(self.release, &d).ok()) {
                    Some(id) => {
                        self.shutdown_controller = Some(id);
                        self.read(ctx, &paths::broker(id), MainWait::ShutdownControllerBroker);
                    }
                    None => {
                        if self.release == Release::V2_8_2 {
                            self.log.info(
                                ctx,
                                KAFKA_SERVER,
                                &format!("{}No controller registered in ZooKeeper", self.ident),
                            );
                        }
                        self.controlled_shutdown_failed(ctx);
                    }
                }
            }
            _ => {
                let broker = data.and_then(|d| BrokerRegistration::decode(self.release, &d).ok());
                let target = broker.and_then(|b| Some((b.host?, u16::try_from(b.port).ok()?)));
                match target.and_then(|(host, port)| ctx.connect(&host, port).ok()) {
                    Some(conn) => {
                        self.socket.shutdown_conn = Some(conn);
                        let timeout = self.config().controller_socket_timeout_ms.max(0) as u64;
                        self.socket.shutdown_timer = Some(ctx.set_timer(
                            Duration::from_millis(timeout),
                            CONTROLLED_SHUTDOWN_TIMER,
                            TimerKind::OneShot,
                        ));
                    }
                    None => {
                        if self.release == Release::V2_8_2 {
                            let text = format!("{}Broker registration for controller {} is not available (i.e. the Controller's ZK session expired)", self.ident, self.shutdown_controller.unwrap_or(-1));
                            self.log.info(ctx, KAFKA_SERVER, &text);
                        }
                        self.controlled_shutdown_failed(ctx);
                    }
                }
            }
        }
    }

    /// The connection to the controller is up: send the request.
    pub(super) fn controlled_shutdown_connected(&mut self, ctx: &mut Context<'_>) {
        let Some(conn) = self.socket.shutdown_conn else {
            return;
        };
        let version = match self.release {
            Release::V0_8_0 => 0,
            Release::V2_8_2 => 3,
        };
        let request = KafkaRequest {
            header: RequestHeader {
                api_key: ApiKey::ControlledShutdown,
                api_version: version,
                correlation_id: 0,
                client_id: self.id.to_string(),
            },
            body: RequestBody::ControlledShutdown(ControlledShutdownRequest {
                broker_id: self.id,
                broker_epoch: self.broker_epoch,
            }),
        };
        ctx.send(conn, Box::new(request));
    }

    /// The controller's answer.
    pub(super) fn controlled_shutdown_response(
        &mut self,
        ctx: &mut Context<'_>,
        body: ResponseBody,
    ) {
        self.end_shutdown_connection(ctx);
        let ResponseBody::ControlledShutdown(response) = body else {
            return self.controlled_shutdown_failed(ctx);
        };
        if response.error == Errors::None && response.remaining_partitions.is_empty() {
            let text = format!("{}Controlled shutdown succeeded", self.server_ident());
            self.log.info(ctx, KAFKA_SERVER, &text);
            return self.resume(ctx);
        }
        let ident = self.server_ident();
        let remaining: Vec<String> = response
            .remaining_partitions
            .iter()
            .map(|p| format!("{}-{}", p.topic, p.partition))
            .collect();
        match self.release {
            Release::V0_8_0 => {
                self.log.info(
                    ctx,
                    KAFKA_SERVER,
                    &format!(
                        "{ident}Remaining partitions to move: {}",
                        remaining.join(",")
                    ),
                );
                self.log.info(
                    ctx,
                    KAFKA_SERVER,
                    &format!(
                        "{ident}Error code from controller: {}",
                        response.error.code()
                    ),
                );
            }
            Release::V2_8_2 => {
                self.log.info(
                    ctx,
                    KAFKA_SERVER,
                    &format!(
                        "{ident}Remaining partitions to move: [{}]",
                        remaining.join(", ")
                    ),
                );
                self.log.info(
                    ctx,
                    KAFKA_SERVER,
                    &format!("{ident}Error from controller: {}", response.error.name()),
                );
            }
        }
        self.controlled_shutdown_failed(ctx);
    }

    /// The connection failed, or the controller did not answer in time.
    pub(super) fn controlled_shutdown_io_error(&mut self, ctx: &mut Context<'_>, message: &str) {
        self.end_shutdown_connection(ctx);
        if self.release == Release::V2_8_2 {
            let text = format!("{}Error during controlled shutdown, possibly because leader movement took longer than the configured controller.socket.timeout.ms and/or request.timeout.ms: {message}", self.ident);
            self.log.log(ctx, Level::Warn, KAFKA_SERVER, &text);
        }
        self.controlled_shutdown_failed(ctx);
    }

    pub(super) fn controlled_shutdown_timeout(&mut self, ctx: &mut Context<'_>) {
        self.socket.shutdown_timer = None;
        if self.socket.shutdown_conn.is_some() {
            let timeout = self.config().controller_socket_timeout_ms;
            self.controlled_shutdown_io_error(
                ctx,
                &format!("Failed to connect within {timeout} ms"),
            );
        }
    }

    fn end_shutdown_connection(&mut self, ctx: &mut Context<'_>) {
        if let Some(conn) = self.socket.shutdown_conn.take() {
            ctx.close(conn);
        }
        if let Some(t) = self.socket.shutdown_timer.take() {
            ctx.cancel_timer(t);
        }
    }

    /// An attempt failed: back off, then retry or give up.
    fn controlled_shutdown_failed(&mut self, ctx: &mut Context<'_>) {
        let ident = self.server_ident();
        let backoff = self.config().controlled_shutdown_retry_backoff_ms.max(0) as u64;
        let warn = |text: String| Step::Log(Level::Warn, KAFKA_SERVER, text);
        let next = if self.shutdown_retries > 0 {
            Step::Do(Task::ControlledShutdownAttempt)
        } else {
            warn(format!("{ident}Proceeding to do an unclean shutdown as all the controlled shutdown attempts failed"))
        };
        self.steps.push_front(next);
        self.steps.push_front(warn(format!(
            "{ident}Retrying controlled shutdown after the previous attempt failed..."
        )));
        self.steps.push_front(Step::Pause(backoff));
        self.resume(ctx);
    }
}
