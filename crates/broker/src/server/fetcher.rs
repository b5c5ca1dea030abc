//! The follower side of replication in the broker process: Kafka's
//! `ReplicaFetcherManager` with `num.replica.fetchers=1`, one
//! `ReplicaFetcherThread` per leader broker. Each thread is a pure
//! [`ReplicaFetcher`] and one `sim` connection to its leader: the fetcher's
//! requests go out as `KafkaRequest`s with the release's versions and client
//! id, the answer with the matching correlation id goes back to it, and a
//! failed or closed connection is the fetcher's error (it backs off for
//! `replica.fetch.backoff.ms` and the thread connects again). The threads
//! follow the replica manager's `FetcherChange`s after every LeaderAndIsr and
//! StopReplica; their next request is sent when the previous one is answered
//! or when the fetcher's backoff ends, on the replica manager's timer.

use std::collections::BTreeMap;

use distribution::Release;
use kafka_api::requests::RequestHeader;
use kafka_api::{KafkaRequest, KafkaResponse, RequestBody, ResponseBody};
use sim::{downcast, ConnId, Context, Event};

use super::KafkaServer;
use crate::replica::{FetcherChange, FetcherRequest, FetcherSettings, ReplicaFetcher};

const FETCHER_THREAD: &str = "kafka.server.ReplicaFetcherThread";
const FETCHER_MANAGER: &str = "kafka.server.ReplicaFetcherManager";

/// One `ReplicaFetcherThread`: the fetcher and its connection to the leader.
#[derive(Debug)]
struct FetcherThread {
    fetcher: ReplicaFetcher,
    conn: Option<ConnId>,
    connected: bool,
    correlation_id: i32,
    /// The correlation id of the request in flight.
    in_flight: Option<i32>,
}

/// `ReplicaFetcherManager`: the fetcher threads by leader broker id, and
/// where the leaders listen.
#[derive(Debug, Default)]
pub(super) struct ReplicaFetcherManager {
    threads: BTreeMap<i32, FetcherThread>,
    /// The leaders' host and port, from the LeaderAndIsr requests.
    leaders: BTreeMap<i32, (String, i32)>,
}

impl ReplicaFetcherManager {
    /// Whether a connection is one of the fetcher threads'.
    pub(super) fn owns(&self, conn: ConnId) -> bool {
        self.threads.values().any(|t| t.conn == Some(conn))
    }

    /// Remembers where a LeaderAndIsr request's live leaders listen.
    pub(super) fn learn_leaders(&mut self, leaders: &[kafka_api::requests::LiveBroker]) {
        for b in leaders {
            self.leaders.insert(b.id, (b.host.clone(), b.port));
        }
    }

    /// When a thread next has something to do: a request to send on its
    /// open connection, or a connection to open. None while every thread
    /// waits for an answer or a connection.
    pub(super) fn next_due_ms(&self) -> Option<i64> {
        self.threads
            .values()
            .filter(|t| t.in_flight.is_none() && (t.connected || t.conn.is_none()))
            .filter_map(|t| t.fetcher.next_due_ms())
            .min()
    }
}

/// The name of the fetcher thread for `leader` (0.8.0's client id too).
fn thread_name(leader: i32) -> String {
    format!("ReplicaFetcherThread-0-{leader}")
}

impl KafkaServer {
    /// The follower's fetch settings from the configuration. 0.8.0 has no
    /// `replica.fetch.backoff.ms` nor `replica.fetch.response.max.bytes`:
    /// later releases' defaults stand in (a failed connection is retried
    /// after a second, not in a loop).
    fn fetcher_settings(&self) -> FetcherSettings {
        let config = self.config();
        FetcherSettings {
            replica_fetch_wait_max_ms: config.replica_fetch_wait_max_ms,
            replica_fetch_min_bytes: config.replica_fetch_min_bytes,
            replica_fetch_max_bytes: config.replica_fetch_max_bytes,
            replica_fetch_response_max_bytes: config
                .replica_fetch_response_max_bytes
                .unwrap_or(10 << 20),
            replica_fetch_backoff_ms: i64::from(config.replica_fetch_backoff_ms.unwrap_or(1_000)),
        }
    }

    /// Carries out the replica manager's fetcher changes
    /// (`addFetcherForPartitions`, `removeFetcherForPartitions`, then
    /// `shutdownIdleFetcherThreads`).
    pub(super) fn apply_fetcher_changes(&mut self, ctx: &mut Context<'_>) {
        let Some(rm) = self.replica_manager.as_mut() else {
            return;
        };
        let changes = rm.take_fetcher_changes();
        if changes.is_empty() {
            return;
        }
        let settings = self.fetcher_settings();
        for change in changes {
            match change {
                FetcherChange::Remove(tp) => {
                    for t in self.fetchers.threads.values_mut() {
                        t.fetcher.remove_partition(&tp);
                    }
                }
                FetcherChange::Add {
                    partition,
                    leader,
                    fetch_offset,
                    leader_epoch,
                } => {
                    if !self.fetchers.threads.contains_key(&leader) {
                        let fetcher = ReplicaFetcher::new(self.release, self.id, leader, settings);
                        self.fetchers.threads.insert(
                            leader,
                            FetcherThread {
                                fetcher,
                                conn: None,
                                connected: false,
                                correlation_id: 0,
                                in_flight: None,
                            },
                        );
                        let name = thread_name(leader);
                        let text = match self.release {
                            Release::V0_8_0 => format!("[{name}], Starting "),
                            Release::V2_8_2 => format!("[{name}]: Starting"),
                        };
                        self.log.info(ctx, FETCHER_THREAD, &text);
                    }
                    let thread = self.fetchers.threads.get_mut(&leader).expect("just added");
                    let text = match self.release {
                        Release::V0_8_0 => format!(
                            "[ReplicaFetcherManager on broker {}] Adding fetcher for partition [{},{}], initOffset {fetch_offset} to broker {leader} with fetcherId 0",
                            self.id, partition.topic, partition.partition
                        ),
                        Release::V2_8_2 => format!(
                            "[ReplicaFetcherManager on broker {}] Added fetcher to broker {leader} for partitions Map({partition} -> initOffset {fetch_offset} with leaderEpoch {leader_epoch})",
                            self.id
                        ),
                    };
                    thread
                        .fetcher
                        .add_partition(partition, fetch_offset, leader_epoch);
                    self.log.info(ctx, FETCHER_MANAGER, &text);
                }
            }
        }
        let idle: Vec<i32> = self
            .fetchers
            .threads
            .iter()
            .filter(|(_, t)| t.fetcher.is_empty())
            .map(|(id, _)| *id)
            .collect();
        for id in idle {
            if let Some(conn) = self.fetchers.threads.remove(&id).and_then(|t| t.conn) {
                ctx.close(conn);
            }
        }
    }

    /// Each thread that is due connects to its leader or sends its next
    /// request. Only while the broker runs.
    pub(super) fn drive_fetchers(&mut self, ctx: &mut Context<'_>) {
        if self.phase != super::Phase::Running {
            return;
        }
        let now = ctx.now().unix_millis() as i64;
        let Some(rm) = self.replica_manager.as_mut() else {
            return;
        };
        let release = self.release;
        let id = self.id;
        for (&leader, t) in self.fetchers.threads.iter_mut() {
            if t.in_flight.is_some() || (t.conn.is_some() && !t.connected) {
                continue;
            }
            if t.fetcher.next_due_ms().is_none_or(|due| due > now) {
                continue;
            }
            let Some(conn) = t.conn else {
                let address = self.fetchers.leaders.get(&leader).cloned().or_else(|| {
                    self.socket.metadata.as_ref().and_then(|cache| {
                        cache
                            .alive_brokers()
                            .find(|b| b.id == leader)
                            .map(|b| (b.host.clone(), b.port))
                    })
                });
                let conn = address
                    .and_then(|(host, port)| Some((host, u16::try_from(port).ok()?)))
                    .and_then(|(host, port)| ctx.connect(&host, port).ok());
                match conn {
                    Some(conn) => t.conn = Some(conn),
                    None => t.fetcher.on_error(now),
                }
                continue;
            };
            let Some(request) = t.fetcher.next_request(rm, now) else {
                continue;
            };
            let (api_version, body) = match (release, request) {
                (Release::V0_8_0, FetcherRequest::Fetch(r)) => (0, RequestBody::Fetch(r)),
                (Release::V0_8_0, FetcherRequest::ListOffsets(r)) => {
                    (0, RequestBody::ListOffsets(r))
                }
                (Release::V2_8_2, FetcherRequest::Fetch(r)) => (12, RequestBody::Fetch(r)),
                (Release::V2_8_2, FetcherRequest::ListOffsets(r)) => {
                    (5, RequestBody::ListOffsets(r))
                }
                (_, FetcherRequest::OffsetsForLeaderEpoch(r)) => {
                    (3, RequestBody::OffsetForLeaderEpoch(r))
                }
            };
            let client_id = match release {
                Release::V0_8_0 => thread_name(leader),
                Release::V2_8_2 => format!("broker-{id}-fetcher-0"),
            };
            let correlation_id = t.correlation_id;
            t.correlation_id = t.correlation_id.wrapping_add(1);
            t.in_flight = Some(correlation_id);
            let request = KafkaRequest {
                header: RequestHeader {
                    api_key: body.api_key(),
                    api_version,
                    correlation_id,
                    client_id,
                },
                body,
            };
            ctx.send(conn, Box::new(request));
        }
    }

    /// An event on a fetcher thread's connection.
    pub(super) fn fetcher_event(&mut self, ctx: &mut Context<'_>, event: Event) {
        let now = ctx.now().unix_millis() as i64;
        let Some(t) = self.fetchers.threads.values_mut().find(|t| match &event {
            Event::Connected { conn }
            | Event::ConnectFailed { conn, .. }
            | Event::Received { conn, .. }
            | Event::Closed { conn, .. } => t.conn == Some(*conn),
            _ => false,
        }) else {
            return;
        };
        match event {
            Event::Connected { .. } => t.connected = true,
            Event::ConnectFailed { .. } | Event::Closed { .. } => {
                t.conn = None;
                t.connected = false;
                t.in_flight = None;
                t.fetcher.on_error(now);
            }
            Event::Received { message, .. } => {
                let Ok(response) = downcast::<KafkaResponse>(message) else {
                    return;
                };
                if t.in_flight != Some(response.correlation_id) {
                    return;
                }
                t.in_flight = None;
                let Some(rm) = self.replica_manager.as_mut() else {
                    return;
                };
                match &response.body {
                    ResponseBody::Fetch(r) => t.fetcher.on_fetch_response(r, rm, now),
                    ResponseBody::ListOffsets(r) => t.fetcher.on_list_offsets_response(r, rm, now),
                    ResponseBody::OffsetForLeaderEpoch(r) => {
                        t.fetcher.on_epoch_response(r, rm, now)
                    }
                    _ => t.fetcher.on_error(now),
                }
            }
            _ => {}
        }
        self.flush_log_manager(ctx);
    }

    /// Stops the fetcher threads (the replica manager's shutdown).
    pub(super) fn stop_fetchers(&mut self, ctx: &mut Context<'_>) {
        for t in std::mem::take(&mut self.fetchers.threads).into_values() {
            if let Some(conn) = t.conn {
                ctx.close(conn);
            }
        }
    }
}
