//! The broker's connections: the socket server's accepted connections and
//! the control requests it answers so far — LeaderAndIsr (the replica
//! manager hosts the partition and creates its log), UpdateMetadata (2.8.2's
//! metadata cache learns the live brokers and the controller) and
//! ControlledShutdown (handed to the controller) — the controller's own
//! connections to the brokers, and the connection a shutting-down broker
//! opens to the controller. Requests wait until start-up has finished, as
//! 2.8.2's processors start last. Other requests get no answer yet.

use std::collections::{BTreeSet, VecDeque};

use distribution::Release;
use kafka_api::{KafkaRequest, KafkaResponse, RequestBody, ResponseBody};
use sim::{downcast, ConnId, Context, Event, ProcessTimer};

use super::controller::KafkaController;
use super::KafkaServer;
use crate::metadata_cache::MetadataCache;

const STATE_CHANGE: &str = "state.change.logger";

/// The socket server's state.
#[derive(Debug, Default)]
pub(super) struct SocketServer {
    /// The ports it listens on.
    pub(super) ports: Vec<u16>,
    conns: BTreeSet<ConnId>,
    /// Requests waiting for the request processors to start.
    queued: VecDeque<(ConnId, KafkaRequest)>,
    /// What UpdateMetadata requests told the broker (2.8.2).
    pub(super) metadata: Option<MetadataCache>,
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
            match request.body {
                RequestBody::UpdateMetadata(update) => {
                    self.update_metadata(ctx, &update, correlation_id);
                    self.respond(
                        ctx,
                        conn,
                        correlation_id,
                        KafkaController::update_metadata_response(),
                    );
                }
                RequestBody::LeaderAndIsr(request) => {
                    let now = ctx.now().unix_millis() as i64;
                    let Some(rm) = self.replica_manager.as_mut() else {
                        continue;
                    };
                    let response = rm.become_leader_or_follower(&request, correlation_id, now);
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
                _ => {}
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

    /// 2.8.2's metadata cache takes an UpdateMetadata request.
    fn update_metadata(
        &mut self,
        ctx: &mut Context<'_>,
        update: &kafka_api::requests::UpdateMetadataRequest,
        correlation_id: i32,
    ) {
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
        let cache = self
            .socket
            .metadata
            .get_or_insert_with(|| MetadataCache::new(self.id));
        let previous = cache.controller_id();
        cache.update_metadata(update);
        // The broker-to-controller thread notices a new controller.
        if previous != Some(update.controller_id) {
            if let Some(b) = cache.alive_brokers().find(|b| b.id == update.controller_id) {
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
