//! The broker's connections: the socket server's accepted connections and
//! the requests on them — LeaderAndIsr (the replica manager hosts the
//! partition and creates its log), UpdateMetadata (the metadata cache learns
//! the partitions, the live brokers and the controller) and
//! ControlledShutdown (handed to the controller) handled here, every other
//! request through `KafkaApis` (answered at once, later from the replica
//! manager's purgatories, never for acks=0, or with the connection closed
//! for a version the release does not speak) — the controller's own
//! connections to the brokers, the follower's fetcher connections to the
//! leaders (handed to `fetcher`), and the connection a shutting-down broker
//! opens to the controller. Requests wait until start-up has finished, as
//! 2.8.2's processors start last. The group coordinator's and the
//! controller's other requests get no answer yet.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use distribution::Release;
use kafka_api::{KafkaRequest, KafkaResponse, RequestBody, ResponseBody};
use sim::{downcast, ConnId, Context, Event, ProcessTimer};

use super::controller::KafkaController;
use super::KafkaServer;
use crate::apis::Handled;
use crate::metadata_cache::MetadataCache;
use crate::replica::{Completed, RequestId};

const STATE_CHANGE: &str = "state.change.logger";

/// The socket server's state.
#[derive(Debug, Default)]
pub(super) struct SocketServer {
    /// The ports it listens on.
    pub(super) ports: Vec<u16>,
    conns: BTreeSet<ConnId>,
    /// Requests waiting for the request processors to start.
    queued: VecDeque<(ConnId, KafkaRequest)>,
    /// What UpdateMetadata requests told the broker.
    pub(super) metadata: Option<MetadataCache>,
    /// The id of the last request handed to `KafkaApis`.
    last_request_id: RequestId,
    /// Requests answered later: their connection and correlation id.
    delayed: BTreeMap<RequestId, (ConnId, i32)>,
    /// The controlled shutdown's connection to the controller, and its timeout.
    pub(super) shutdown_conn: Option<ConnId>,
    pub(super) shutdown_timer: Option<ProcessTimer>,
}

impl KafkaServer {
    /// A network event that is not the ZooKeeper session's.
    pub(super) fn network(&mut self, ctx: &mut Context<'_>, event: Event) {
        let conn = match &event {
            Event::Accepted { conn, .. }
            | Event::Connected { conn }
            | Event::ConnectFailed { conn, .. }
            | Event::Received { conn, .. }
            | Event::Closed { conn, .. } => *conn,
            _ => return,
        };
        if self.controller.as_ref().is_some_and(|c| c.owns(conn)) {
            self.with_controller(ctx, |c, io| c.channel_event(io, event));
            return;
        }
        if self.fetchers.owns(conn) {
            self.fetcher_event(ctx, event);
            return;
        }
        if self.socket.shutdown_conn == Some(conn) {
            match event {
                Event::Connected { .. } => self.controlled_shutdown_connected(ctx),
                Event::ConnectFailed { error, .. } => {
                    self.controlled_shutdown_io_error(ctx, &error.to_string())
                }
                Event::Closed { .. } => self.controlled_shutdown_io_error(ctx, "Connection closed"),
                Event::Received { message, .. } => {
                    if let Ok(response) = downcast::<KafkaResponse>(message) {
                        self.controlled_shutdown_response(ctx, response.body);
                    }
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Accepted { conn, .. } => {
                self.socket.conns.insert(conn);
            }
            Event::Closed { conn, .. } => {
                self.socket.conns.remove(&conn);
                self.socket.delayed.retain(|_, (c, _)| *c != conn);
            }
            Event::Received { conn, message } => {
                if let Ok(request) = downcast::<KafkaRequest>(message) {
                    self.socket.queued.push_back((conn, request));
                    self.process_requests(ctx);
                }
            }
            _ => {}
        }
    }

    /// Handles the queued requests once the processors run.
    pub(super) fn process_requests(&mut self, ctx: &mut Context<'_>) {
        // The processors start last, and stop with the socket server.
        if !self.started.startup_complete || self.socket.ports.is_empty() {
            return;
        }
        while let Some((conn, request)) = self.socket.queued.pop_front() {
            let correlation_id = request.header.correlation_id;
            match &request.body {
                RequestBody::UpdateMetadata(update) => {
                    self.update_metadata(ctx, update, correlation_id);
                    self.respond(
                        ctx,
                        conn,
                        correlation_id,
                        KafkaController::update_metadata_response(),
                    );
                }
                RequestBody::LeaderAndIsr(request) => {
                    let now = ctx.now().unix_millis() as i64;
                    self.fetchers.learn_leaders(&request.live_leaders);
                    let Some(rm) = self.replica_manager.as_mut() else {
                        continue;
                    };
                    let response = rm.become_leader_or_follower(request, correlation_id, now);
                    self.flush_log_manager(ctx);
                    self.respond(
                        ctx,
                        conn,
                        correlation_id,
                        ResponseBody::LeaderAndIsr(response),
                    );
                }
                RequestBody::ControlledShutdown(shutdown) => {
                    let broker = shutdown.broker_id;
                    self.with_controller(ctx, |c, io| {
                        c.request_controlled_shutdown(io, broker, conn, correlation_id)
                    });
                }
                _ => self.handle_request(ctx, conn, &request),
            }
        }
    }

    /// `KafkaApis.handle` with the replica manager and the metadata cache.
    fn handle_request(&mut self, ctx: &mut Context<'_>, conn: ConnId, request: &KafkaRequest) {
        let now = ctx.now().unix_millis() as i64;
        let (Some(apis), Some(rm)) = (self.apis.as_mut(), self.replica_manager.as_mut()) else {
            return;
        };
        let cache = self
            .socket
            .metadata
            .get_or_insert_with(|| MetadataCache::new(self.id));
        self.socket.last_request_id += 1;
        let id = self.socket.last_request_id;
        let handled = apis.handle(request, id, rm, cache, now);
        // Creating the topics a Metadata request named (writing
        // `/brokers/topics/<topic>`) is not carried out yet: the actions are
        // dropped, and the answer says LEADER_NOT_AVAILABLE as Kafka's does.
        apis.take_auto_creates();
        for line in apis.take_lines() {
            self.log.line(ctx, &line);
        }
        let correlation_id = request.header.correlation_id;
        match handled {
            Handled::Respond(body) => self.respond(ctx, conn, correlation_id, body),
            Handled::Later => {
                self.socket.delayed.insert(id, (conn, correlation_id));
            }
            Handled::Close => {
                if self.socket.conns.remove(&conn) {
                    ctx.close(conn);
                }
            }
            // The group coordinator's and the controller's other requests
            // are not answered yet.
            Handled::NoResponse | Handled::ToProcess => {}
        }
        self.flush_log_manager(ctx);
    }

    /// Answers the requests that waited in the replica manager's purgatories.
    pub(super) fn answer_delayed(&mut self, ctx: &mut Context<'_>, completed: Vec<Completed>) {
        for done in completed {
            let (id, body) = match done {
                Completed::Produce(id, r) => (id, ResponseBody::Produce(r)),
                Completed::Fetch(id, r) => (id, ResponseBody::Fetch(r)),
            };
            if let Some((conn, correlation_id)) = self.socket.delayed.remove(&id) {
                self.respond(ctx, conn, correlation_id, body);
            }
        }
    }

    pub(super) fn respond(
        &mut self,
        ctx: &mut Context<'_>,
        conn: ConnId,
        correlation_id: i32,
        body: ResponseBody,
    ) {
        if self.socket.conns.contains(&conn) {
            ctx.send(
                conn,
                Box::new(KafkaResponse {
                    correlation_id,
                    body,
                }),
            );
        }
    }

    /// The metadata cache takes an UpdateMetadata request (2.8.2 logs it and
    /// notices a new controller).
    fn update_metadata(
        &mut self,
        ctx: &mut Context<'_>,
        update: &kafka_api::requests::UpdateMetadataRequest,
        correlation_id: i32,
    ) {
        let cache = self
            .socket
            .metadata
            .get_or_insert_with(|| MetadataCache::new(self.id));
        let previous = cache.controller_id();
        cache.update_metadata(update);
        if self.release != Release::V2_8_2 {
            return;
        }
        let text = format!(
            "[Broker id={}] Add {} partitions and deleted 0 partitions from metadata cache in response to UpdateMetadata request sent by controller {} epoch {} with correlation id {correlation_id}",
            self.id,
            update.partition_states.len(),
            update.controller_id,
            update.controller_epoch
        );
        self.log.info(ctx, STATE_CHANGE, &text);
        // The broker-to-controller thread notices a new controller.
        if previous != Some(update.controller_id) {
            let controller = self
                .socket
                .metadata
                .as_ref()
                .and_then(|cache| cache.alive_brokers().find(|b| b.id == update.controller_id));
            if let Some(b) = controller {
                let text = format!(
                    "[broker-{}-to-controller-send-thread]: Recorded new controller, from now on will use broker {}:{} (id: {} rack: null)",
                    self.id, b.host, b.port, b.id
                );
                self.log
                    .info(ctx, "kafka.server.BrokerToControllerRequestThread", &text);
            }
        }
    }
}
