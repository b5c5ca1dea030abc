//! `ReplicaManager`: the partitions a broker hosts and its log manager, and
//! the three things that change them — LeaderAndIsr from the controller,
//! produce requests, and fetches from consumers and followers — with the
//! produce requests that wait for their acks (the produce purgatory) and the
//! fetches that wait for data (the fetch purgatory). The broker process feeds
//! it requests and the clock and carries out what it asks for: ISR writes or
//! AlterIsr requests, followers' fetchers to start or stop, answers of
//! requests that waited.

use std::collections::BTreeMap;

use bytes::Bytes;
use distribution::Release;
use kafka_api::requests::{
    EpochEndOffset, FetchPartitionResponse, FetchRequest, FetchResponse, LeaderAndIsrRequest,
    LeaderAndIsrResponse, ListOffsetsPartitionResponse, ListOffsetsRequest, ListOffsetsResponse,
    OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse, ProducePartitionResponse,
    ProduceResponse, StopReplicaRequest, StopReplicaResponse, EARLIEST_TIMESTAMP, LATEST_TIMESTAMP,
};
use kafka_api::{Errors, TopicPartition};
use kafka_log::{Level, LogError, LogLine, LogManager};
use protocol::convert::AppendConfig;
use protocol::{Magic, Records};

use super::partition::{IsrUpdate, Outcome, Partition, ReplicaSettings};
use crate::election::LeaderAndIsr;

/// `kafka.server.ReplicaManager`'s logger.
pub const LOGGER: &str = "kafka.server.ReplicaManager";
/// Where the state-change lines go (`state-change.log`).
pub const STATE_CHANGE_LOGGER: &str = "state.change.logger";

/// How a topic's records are stored and acknowledged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopicSettings {
    /// `log.message.format.version` as a magic (v0 for 0.8.0, v2 for 2.8.2).
    pub magic: Magic,
    /// 2.8.2's `min.insync.replicas`; 0.8.0 has none (1).
    pub min_insync_replicas: i32,
}

/// A follower fetcher to start or stop (`ReplicaFetcherManager`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetcherChange {
    Add {
        partition: TopicPartition,
        leader: i32,
        fetch_offset: i64,
        leader_epoch: i32,
    },
    Remove(TopicPartition),
}

/// A request that waits, and the caller's id for it (its connection and
/// correlation id, as the process chooses).
pub type RequestId = u64;

#[derive(Clone, Debug)]
struct DelayedProduce {
    id: RequestId,
    deadline_ms: i64,
    required_acks: i16,
    /// Each partition's answer so far and the offset its acks must reach
    /// (`None`: already answered with an error).
    partitions: Vec<(TopicPartition, ProducePartitionResponse, Option<i64>)>,
}

#[derive(Clone, Debug)]
struct DelayedFetch {
    id: RequestId,
    deadline_ms: i64,
    request: FetchRequest,
    version: i16,
}

/// The answer to a produce: now, or later through [`ReplicaManager::take_completed`].
#[derive(Clone, Debug, PartialEq)]
pub enum ProduceResult {
    /// acks=0 asks for no answer.
    NoResponse,
    Now(ProduceResponse),
    Delayed,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FetchResult {
    Now(FetchResponse),
    Delayed,
}

/// An answer to a request that waited.
#[derive(Clone, Debug, PartialEq)]
pub enum Completed {
    Produce(RequestId, ProduceResponse),
    Fetch(RequestId, FetchResponse),
}

#[derive(Debug)]
pub struct ReplicaManager {
    release: Release,
    local_broker_id: i32,
    settings: ReplicaSettings,
    topic: TopicSettings,
    pub log_manager: LogManager,
    partitions: BTreeMap<TopicPartition, Partition>,
    controller_epoch: i32,
    produce_purgatory: Vec<DelayedProduce>,
    fetch_purgatory: Vec<DelayedFetch>,
    isr_updates: Vec<(TopicPartition, IsrUpdate)>,
    fetcher_changes: Vec<FetcherChange>,
    completed: Vec<Completed>,
    lines: Vec<LogLine>,
    next_isr_check_ms: Option<i64>,
}

impl ReplicaManager {
    pub fn new(
        release: Release,
        local_broker_id: i32,
        settings: ReplicaSettings,
        topic: TopicSettings,
        log_manager: LogManager,
    ) -> ReplicaManager {
        ReplicaManager {
            release,
            local_broker_id,
            settings,
            topic,
            log_manager,
            partitions: BTreeMap::new(),
            controller_epoch: 0,
            produce_purgatory: Vec::new(),
            fetch_purgatory: Vec::new(),
            isr_updates: Vec::new(),
            fetcher_changes: Vec::new(),
            completed: Vec::new(),
            lines: Vec::new(),
            next_isr_check_ms: None,
        }
    }

    pub fn partition(&self, tp: &TopicPartition) -> Option<&Partition> {
        self.partitions.get(tp)
    }

    pub fn partitions(&self) -> impl Iterator<Item = &Partition> {
        self.partitions.values()
    }

    /// How often the leader looks for followers out of sync: 0.8.0 every
    /// `replica.lag.time.max.ms`, 2.8.2 every half of it.
    fn isr_check_interval_ms(&self) -> i64 {
        match self.release {
            Release::V0_8_0 => self.settings.replica_lag_time_max_ms,
            Release::V2_8_2 => self.settings.replica_lag_time_max_ms / 2,
        }
    }

    fn state_change(&mut self, level: Level, message: String) {
        self.lines
            .push(LogLine::new(level, STATE_CHANGE_LOGGER, message));
    }

    fn absorb(&mut self, tp: &TopicPartition, out: Outcome) -> bool {
        self.lines.extend(out.lines);
        if let Some(update) = out.isr_update {
            self.isr_updates.push((tp.clone(), update));
        }
        out.high_watermark_changed
    }

    // --- LeaderAndIsr ------------------------------------------------------------------

    /// `becomeLeaderOrFollower`.
    pub fn become_leader_or_follower(
        &mut self,
        request: &LeaderAndIsrRequest,
        correlation_id: i32,
        now_ms: i64,
    ) -> LeaderAndIsrResponse {
        if request.controller_epoch < self.controller_epoch {
            let message = match self.release {
                Release::V0_8_0 => format!(
                    "Broker {} ignoring LeaderAndIsr request from controller {} with correlation id {correlation_id} since its controller epoch {} is old. Latest known controller epoch is {}",
                    self.local_broker_id, request.controller_id, request.controller_epoch, self.controller_epoch
                ),
                Release::V2_8_2 => format!(
                    "[Broker id={}] Ignoring LeaderAndIsr request from controller {} with correlation id {correlation_id} since its controller epoch {} is old. Latest known controller epoch is {}",
                    self.local_broker_id, request.controller_id, request.controller_epoch, self.controller_epoch
                ),
            };
            self.state_change(Level::Warn, message);
            return LeaderAndIsrResponse {
                error: Errors::StaleControllerEpoch,
                partitions: Vec::new(),
            };
        }
        self.controller_epoch = request.controller_epoch;
        let mut answers = Vec::new();
        let mut high_watermark_moved = false;
        for state in &request.partition_states {
            let tp = state.partition.clone();
            if !state.replicas.contains(&self.local_broker_id) {
                answers.push((tp, Errors::UnknownTopicOrPartition));
                continue;
            }
            let stale = self
                .partitions
                .get(&tp)
                .is_some_and(|p| !p.accepts_leader_epoch(state.leader_epoch));
            if stale {
                let current = self.partitions[&tp].leader_epoch;
                let message = match self.release {
                    Release::V0_8_0 => format!(
                        "Broker {} discarded the {} request with correlation id {correlation_id} from controller {} epoch {} for partition {} since current leader epoch {current} is >= the request's leader epoch {}",
                        self.local_broker_id,
                        if state.leader == self.local_broker_id { "become-leader" } else { "become-follower" },
                        request.controller_id,
                        request.controller_epoch,
                        tp.bracketed(),
                        state.leader_epoch
                    ),
                    Release::V2_8_2 => format!(
                        "[Broker id={}] Ignoring LeaderAndIsr request from controller {} with correlation id {correlation_id} epoch {} for partition {tp} since its associated leader epoch {} is not higher than the current leader epoch {current}",
                        self.local_broker_id, request.controller_id, request.controller_epoch, state.leader_epoch
                    ),
                };
                self.state_change(
                    match self.release {
                        Release::V0_8_0 => Level::Trace,
                        Release::V2_8_2 => Level::Info,
                    },
                    message,
                );
                answers.push((
                    tp,
                    match self.release {
                        Release::V0_8_0 => Errors::None,
                        Release::V2_8_2 => Errors::StaleControllerEpoch,
                    },
                ));
                continue;
            }
            let local = self.local_broker_id;
            let partition = self.get_or_create_partition(&tp, now_ms);
            if state.leader == local {
                let (_, out) = partition.make_leader(state, now_ms);
                high_watermark_moved |= self.absorb(&tp, out);
                self.fetcher_changes.push(FetcherChange::Remove(tp.clone()));
                self.log_manager
                    .log_mut(&tp.topic, tp.partition)
                    .expect("a hosted partition has a log")
                    .assign_leader_epoch(state.leader_epoch, self.partitions[&tp].log_end_offset());
            } else {
                let (_, truncate_to) = partition.make_follower(state);
                if let Some(offset) = truncate_to {
                    self.log_manager
                        .truncate_to(&tp.topic, tp.partition, offset, now_ms);
                }
                let (leo, hw) = self.offsets(&tp);
                self.partitions
                    .get_mut(&tp)
                    .expect("just created")
                    .follower_log_updated(leo, hw);
                self.fetcher_changes.push(FetcherChange::Remove(tp.clone()));
                // 0.8.0 fetches from its log end (it truncated to its HW);
                // 2.8.2 starts at its HW and truncates by leader epoch first.
                let fetch_offset = match self.release {
                    Release::V0_8_0 => leo,
                    Release::V2_8_2 => hw.min(leo),
                };
                if state.leader >= 0 {
                    self.fetcher_changes.push(FetcherChange::Add {
                        partition: tp.clone(),
                        leader: state.leader,
                        fetch_offset,
                        leader_epoch: state.leader_epoch,
                    });
                } else {
                    let message = format!(
                        "[Broker id={}] Received LeaderAndIsrRequest with correlation id {correlation_id} from controller {} epoch {} for partition {tp} but cannot become follower since the new leader {} is unavailable.",
                        self.local_broker_id, request.controller_id, request.controller_epoch, state.leader
                    );
                    self.state_change(Level::Error, message);
                }
            }
            self.sync_high_watermark(&tp);
            answers.push((tp, Errors::None));
        }
        if self.next_isr_check_ms.is_none() {
            self.next_isr_check_ms = Some(now_ms + self.isr_check_interval_ms());
        }
        if high_watermark_moved {
            self.try_complete(now_ms);
        }
        LeaderAndIsrResponse {
            error: Errors::None,
            partitions: answers,
        }
    }

    /// `stopReplicas`: the controller takes a replica off this broker (its
    /// fetcher stops; with `delete`, the broker forgets the partition — the
    /// log files go with topic deletion).
    pub fn stop_replicas(&mut self, request: &StopReplicaRequest) -> StopReplicaResponse {
        if request.controller_epoch < self.controller_epoch {
            return StopReplicaResponse {
                error: Errors::StaleControllerEpoch,
                partitions: Vec::new(),
            };
        }
        self.controller_epoch = request.controller_epoch;
        let mut partitions = Vec::new();
        for p in &request.partitions {
            self.fetcher_changes
                .push(FetcherChange::Remove(p.partition.clone()));
            if p.delete {
                self.partitions.remove(&p.partition);
            }
            partitions.push((p.partition.clone(), Errors::None));
        }
        StopReplicaResponse {
            error: Errors::None,
            partitions,
        }
    }

    fn get_or_create_partition(&mut self, tp: &TopicPartition, now_ms: i64) -> &mut Partition {
        if !self.partitions.contains_key(tp) {
            let log = self.log_manager.get_or_create_log(
                &tp.topic,
                tp.partition,
                None,
                &BTreeMap::new(),
                now_ms,
            );
            let leo = log.log_end_offset();
            let hw = self
                .log_manager
                .high_watermark(&(tp.topic.clone(), tp.partition));
            let p = Partition::new(
                self.release,
                tp.clone(),
                self.local_broker_id,
                self.settings,
                hw,
                leo,
            );
            self.partitions.insert(tp.clone(), p);
        }
        self.partitions.get_mut(tp).expect("inserted")
    }

    /// The local log's end offset and the partition's high watermark.
    fn offsets(&self, tp: &TopicPartition) -> (i64, i64) {
        let leo = self
            .log_manager
            .log(&tp.topic, tp.partition)
            .map_or(0, |l| l.log_end_offset());
        let hw = self.partitions.get(tp).map_or(0, Partition::high_watermark);
        (leo, hw)
    }

    fn sync_high_watermark(&mut self, tp: &TopicPartition) {
        if let Some(p) = self.partitions.get(tp) {
            let hw = p.high_watermark();
            self.log_manager
                .set_high_watermark(&tp.topic, tp.partition, hw);
        }
    }

    // --- Produce ------------------------------------------------------------------

    /// `appendRecords`: appends to each partition this broker leads and
    /// answers at once, or when the acks are in (or at the timeout).
    pub fn append_records(
        &mut self,
        id: RequestId,
        required_acks: i16,
        timeout_ms: i32,
        partitions: &[(TopicPartition, Bytes)],
        now_ms: i64,
    ) -> ProduceResult {
        let valid_acks = match self.release {
            Release::V0_8_0 => true,
            Release::V2_8_2 => matches!(required_acks, -1..=1),
        };
        let mut results = Vec::new();
        for (tp, bytes) in partitions {
            if !valid_acks {
                results.push((
                    tp.clone(),
                    error_response(Errors::InvalidRequiredAcks, None),
                    None,
                ));
                continue;
            }
            match self.append_to_leader(tp, bytes, required_acks, now_ms) {
                Ok((base_offset, next_offset)) => results.push((
                    tp.clone(),
                    ProducePartitionResponse {
                        error: Errors::None,
                        base_offset,
                        log_append_time_ms: -1,
                        log_start_offset: self
                            .log_manager
                            .log(&tp.topic, tp.partition)
                            .map_or(-1, |l| l.log_start_offset()),
                        error_message: None,
                    },
                    Some(next_offset),
                )),
                Err((error, message)) => {
                    results.push((tp.clone(), error_response(error, message), None))
                }
            }
        }
        self.try_complete(now_ms);
        let waits = required_acks == -1 || (self.release == Release::V0_8_0 && required_acks > 1);
        if required_acks == 0 {
            return ProduceResult::NoResponse;
        }
        let delayed = DelayedProduce {
            id,
            deadline_ms: now_ms + i64::from(timeout_ms.max(0)),
            required_acks,
            partitions: results,
        };
        if waits
            && delayed
                .partitions
                .iter()
                .any(|(_, _, offset)| offset.is_some())
        {
            if let Some(response) = self.try_complete_produce(&delayed, false) {
                return ProduceResult::Now(response);
            }
            self.produce_purgatory.push(delayed);
            return ProduceResult::Delayed;
        }
        ProduceResult::Now(ProduceResponse {
            partitions: delayed
                .partitions
                .into_iter()
                .map(|(tp, r, _)| (tp, r))
                .collect(),
            throttle_time_ms: 0,
        })
    }

    fn append_to_leader(
        &mut self,
        tp: &TopicPartition,
        bytes: &Bytes,
        required_acks: i16,
        now_ms: i64,
    ) -> Result<(i64, i64), (Errors, Option<String>)> {
        let Some(partition) = self.partitions.get(tp) else {
            return Err((Errors::UnknownTopicOrPartition, None));
        };
        partition
            .check_append(required_acks, self.topic.min_insync_replicas)
            .map_err(|(e, m)| (e, Some(m)))?;
        let leader_epoch = partition.leader_epoch;
        let mut append = AppendConfig::defaults(self.topic.magic, &tp.to_string(), now_ms);
        append.partition_leader_epoch = leader_epoch.max(0);
        let log = self
            .log_manager
            .log_mut(&tp.topic, tp.partition)
            .ok_or((Errors::UnknownTopicOrPartition, None))?;
        let info = log
            .append_as_leader(&Records::new(bytes.clone()), &append, now_ms)
            .map_err(|e| (log_error(&e), Some(e.to_string())))?;
        let leo = log.log_end_offset();
        let out = self
            .partitions
            .get_mut(tp)
            .expect("checked above")
            .leader_appended(leo, now_ms);
        self.absorb(tp, out);
        self.sync_high_watermark(tp);
        Ok((info.first_offset, info.last_offset + 1))
    }

    /// The answer to a waiting produce if its acks are in (or `expired`).
    fn try_complete_produce(&self, d: &DelayedProduce, expired: bool) -> Option<ProduceResponse> {
        let mut partitions = Vec::new();
        for (tp, response, required) in &d.partitions {
            let mut response = response.clone();
            if let Some(offset) = required {
                let (done, error) = match self.partitions.get(tp) {
                    Some(p) => p.check_enough_replicas_reach_offset(
                        *offset,
                        d.required_acks,
                        self.topic.min_insync_replicas,
                    ),
                    None => (true, Errors::UnknownTopicOrPartition),
                };
                if error != Errors::None {
                    response = error_response(error, None);
                } else if !done {
                    if !expired {
                        return None;
                    }
                    response = error_response(Errors::RequestTimedOut, None);
                }
            }
            partitions.push((tp.clone(), response));
        }
        Some(ProduceResponse {
            partitions,
            throttle_time_ms: 0,
        })
    }

    // --- Fetch ---------------------------------------------------------------------

    /// `fetchMessages`: a follower's fetch also tells the leader how far it got.
    pub fn fetch_messages(
        &mut self,
        id: RequestId,
        request: &FetchRequest,
        version: i16,
        now_ms: i64,
    ) -> FetchResult {
        if request.replica_id >= 0 {
            let mut moved = false;
            for p in &request.partitions {
                let tp = p.partition.clone();
                if let Some(partition) = self.partitions.get_mut(&tp) {
                    let out =
                        partition.follower_fetched(request.replica_id, p.fetch_offset, now_ms);
                    moved |= self.absorb(&tp, out);
                    self.sync_high_watermark(&tp);
                }
            }
            if moved {
                self.try_complete(now_ms);
            }
        }
        let response = self.read(request, version);
        let any_error = response
            .partitions
            .iter()
            .any(|(_, r)| r.error != Errors::None);
        if request.max_wait_ms <= 0 || has_min_bytes(&response, request.min_bytes) || any_error {
            return FetchResult::Now(response);
        }
        self.fetch_purgatory.push(DelayedFetch {
            id,
            deadline_ms: now_ms + i64::from(request.max_wait_ms),
            request: request.clone(),
            version,
        });
        FetchResult::Delayed
    }

    fn read(&self, request: &FetchRequest, version: i16) -> FetchResponse {
        let follower = request.replica_id >= 0;
        let min_one_message = version >= 3;
        let mut partitions = Vec::new();
        for p in &request.partitions {
            let tp = &p.partition;
            let answer = match (
                self.partitions.get(tp),
                self.log_manager.log(&tp.topic, tp.partition),
            ) {
                (Some(partition), Some(log)) if partition.is_leader() => {
                    let hw = partition.high_watermark();
                    let max_offset = (!follower).then_some(hw);
                    let read = log
                        .read(
                            p.fetch_offset,
                            p.partition_max_bytes.max(0) as usize,
                            max_offset,
                            min_one_message,
                        )
                        .map_err(|e| log_error(&e))
                        .and_then(|data| self.convert_for(version, data.records));
                    match read {
                        Ok(records) => FetchPartitionResponse {
                            error: Errors::None,
                            high_watermark: hw,
                            last_stable_offset: hw,
                            log_start_offset: log.log_start_offset(),
                            records,
                        },
                        Err(error) => fetch_error(error, hw),
                    }
                }
                (Some(_), _) => fetch_error(Errors::NotLeaderOrFollower, -1),
                (None, _) => fetch_error(Errors::UnknownTopicOrPartition, -1),
            };
            partitions.push((tp.clone(), answer));
        }
        FetchResponse {
            throttle_time_ms: 0,
            error: Errors::None,
            partitions,
        }
    }

    /// What an old fetcher can read (`maybeConvertFetchedData`): Fetch v0–v1
    /// read message format v0, v2–v3 v1, v4+ record batches. A zstd batch
    /// cannot go below v2, nor to a fetch older than v10.
    fn convert_for(&self, version: i16, records: Bytes) -> Result<Bytes, Errors> {
        // Fetch v10+ reads every format and codec: nothing to look at.
        if self.release == Release::V0_8_0 || records.is_empty() || version >= 10 {
            return Ok(records);
        }
        let records = Records::new(records);
        let uses_zstd = records
            .batches()
            .filter_map(Result::ok)
            .any(|b| b.compression() == Ok(protocol::CompressionType::Zstd));
        if uses_zstd {
            return Err(Errors::UnsupportedCompressionType);
        }
        let magic = match version {
            0 | 1 => Magic::V0,
            2 | 3 => Magic::V1,
            _ => return Ok(records.bytes().clone()),
        };
        protocol::convert::down_convert(&records, magic)
            .map(|r| r.bytes().clone())
            .map_err(|_| Errors::CorruptMessage)
    }

    /// A follower's fetch from its leader answered: append what came.
    pub fn append_as_follower(
        &mut self,
        tp: &TopicPartition,
        records: &Bytes,
        leader_high_watermark: i64,
        now_ms: i64,
    ) -> Result<i64, LogError> {
        let log = self
            .log_manager
            .log_mut(&tp.topic, tp.partition)
            .ok_or_else(|| LogError::IllegalState(format!("No log for partition {tp}")))?;
        if !records.is_empty() {
            log.append_as_follower(&Records::new(records.clone()), now_ms)?;
        }
        let leo = log.log_end_offset();
        if let Some(p) = self.partitions.get_mut(tp) {
            p.follower_log_updated(leo, leader_high_watermark);
        }
        self.sync_high_watermark(tp);
        Ok(leo)
    }

    // --- Offsets ---------------------------------------------------------------------

    /// `lastOffsetForLeaderEpoch`: where each asked epoch ends in the leader's
    /// log, so a follower of 2.8.2 truncates to it rather than to its HW.
    pub fn last_offset_for_leader_epoch(
        &self,
        request: &OffsetForLeaderEpochRequest,
    ) -> OffsetForLeaderEpochResponse {
        let partitions = request
            .partitions
            .iter()
            .map(|p| {
                let tp = &p.partition;
                let answer = match (
                    self.partitions.get(tp),
                    self.log_manager.log(&tp.topic, tp.partition),
                ) {
                    (Some(partition), Some(log)) if partition.is_leader() => {
                        if p.current_leader_epoch >= 0
                            && p.current_leader_epoch < partition.leader_epoch
                        {
                            epoch_error(Errors::FencedLeaderEpoch)
                        } else if p.current_leader_epoch > partition.leader_epoch {
                            epoch_error(Errors::UnknownLeaderEpoch)
                        } else {
                            match log
                                .leader_epochs()
                                .end_offset_for(p.leader_epoch, log.log_end_offset())
                            {
                                Some((epoch, end_offset)) => EpochEndOffset {
                                    error: Errors::None,
                                    leader_epoch: epoch,
                                    end_offset,
                                },
                                None => EpochEndOffset {
                                    error: Errors::None,
                                    leader_epoch: -1,
                                    end_offset: -1,
                                },
                            }
                        }
                    }
                    (Some(_), _) => epoch_error(Errors::NotLeaderOrFollower),
                    (None, _) => epoch_error(Errors::UnknownTopicOrPartition),
                };
                (tp.clone(), answer)
            })
            .collect();
        OffsetForLeaderEpochResponse {
            throttle_time_ms: 0,
            partitions,
        }
    }

    /// ListOffsets (0.8.0's `Offsets`): the latest, the earliest, or by time.
    /// A consumer's latest is the high watermark; a follower's the log end.
    pub fn list_offsets(
        &self,
        request: &ListOffsetsRequest,
        version: i16,
        now_ms: i64,
    ) -> ListOffsetsResponse {
        let partitions = request
            .partitions
            .iter()
            .map(|p| {
                let tp = &p.partition;
                let mut answer = ListOffsetsPartitionResponse {
                    error: Errors::None,
                    old_style_offsets: Vec::new(),
                    timestamp: -1,
                    offset: -1,
                    leader_epoch: -1,
                };
                match (
                    self.partitions.get(tp),
                    self.log_manager.log(&tp.topic, tp.partition),
                ) {
                    (Some(partition), Some(log))
                        if partition.is_leader() || request.replica_id >= 0 =>
                    {
                        let latest = if request.replica_id >= 0 {
                            log.log_end_offset()
                        } else {
                            partition.high_watermark()
                        };
                        if version == 0 {
                            let mut offsets = log.offsets_before(
                                p.timestamp,
                                p.max_num_offsets.max(0) as usize,
                                now_ms,
                            );
                            if p.timestamp == LATEST_TIMESTAMP {
                                if let Some(first) = offsets.first_mut() {
                                    *first = latest;
                                } else {
                                    offsets.push(latest);
                                }
                            }
                            answer.old_style_offsets = offsets;
                        } else {
                            match p.timestamp {
                                LATEST_TIMESTAMP => answer.offset = latest,
                                EARLIEST_TIMESTAMP => answer.offset = log.log_start_offset(),
                                t => match log.offset_for_timestamp(t) {
                                    Ok(Some((offset, timestamp))) => {
                                        answer.offset = offset;
                                        answer.timestamp = timestamp;
                                    }
                                    Ok(None) => {}
                                    Err(e) => answer.error = log_error(&e),
                                },
                            }
                            answer.leader_epoch = partition.leader_epoch;
                        }
                    }
                    (Some(_), _) => answer.error = Errors::NotLeaderOrFollower,
                    (None, _) => answer.error = Errors::UnknownTopicOrPartition,
                }
                (tp.clone(), answer)
            })
            .collect();
        ListOffsetsResponse {
            throttle_time_ms: 0,
            partitions,
        }
    }

    /// A follower truncates its log (after OffsetsForLeaderEpoch or an out-of-range fetch).
    pub fn truncate_follower(&mut self, tp: &TopicPartition, offset: i64, now_ms: i64) -> i64 {
        self.log_manager
            .truncate_to(&tp.topic, tp.partition, offset, now_ms);
        let (leo, _) = self.offsets(tp);
        if let Some(p) = self.partitions.get_mut(tp) {
            let hw = p.high_watermark();
            p.follower_log_updated(leo, hw);
        }
        self.sync_high_watermark(tp);
        leo
    }

    /// A follower far behind the leader's log start drops its log and starts at `offset`.
    pub fn truncate_fully_and_start_at(&mut self, tp: &TopicPartition, offset: i64, now_ms: i64) {
        if let Some(log) = self.log_manager.log_mut(&tp.topic, tp.partition) {
            log.truncate_fully_and_start_at(offset, now_ms);
        }
        let (leo, _) = self.offsets(tp);
        if let Some(p) = self.partitions.get_mut(tp) {
            p.follower_log_updated(leo, offset);
        }
        self.sync_high_watermark(tp);
    }

    // --- ISR changes and time ---------------------------------------------------------

    /// 0.8.0: the conditional write of a partition's state znode returned.
    pub fn isr_written(
        &mut self,
        tp: &TopicPartition,
        state: &LeaderAndIsr,
        new_version: Option<i32>,
        now_ms: i64,
    ) {
        if let Some(p) = self.partitions.get_mut(tp) {
            let out = p.isr_written(state, new_version, now_ms);
            if self.absorb(tp, out) {
                self.sync_high_watermark(tp);
                self.try_complete(now_ms);
            }
        }
    }

    /// 2.8.2: the controller answered an AlterIsr.
    pub fn alter_isr_answered(
        &mut self,
        tp: &TopicPartition,
        answer: Result<LeaderAndIsr, Errors>,
        now_ms: i64,
    ) {
        if let Some(p) = self.partitions.get_mut(tp) {
            let out = p.alter_isr_answered(answer, now_ms);
            if self.absorb(tp, out) {
                self.sync_high_watermark(tp);
                self.try_complete(now_ms);
            }
        }
    }

    /// The next time something is due: an ISR check, a request's timeout, a log task.
    pub fn next_due_ms(&self) -> Option<i64> {
        let purgatory = self
            .produce_purgatory
            .iter()
            .map(|d| d.deadline_ms)
            .chain(self.fetch_purgatory.iter().map(|d| d.deadline_ms));
        purgatory
            .chain(self.next_isr_check_ms)
            .chain(self.log_manager.next_due_ms())
            .min()
    }

    /// Runs what is due at `now_ms`.
    pub fn tick(&mut self, now_ms: i64) {
        if self.next_isr_check_ms.is_some_and(|t| t <= now_ms) {
            self.next_isr_check_ms = Some(now_ms + self.isr_check_interval_ms());
            let leaders: Vec<TopicPartition> = self
                .partitions
                .iter()
                .filter(|(_, p)| p.is_leader())
                .map(|(tp, _)| tp.clone())
                .collect();
            for tp in leaders {
                let out = self
                    .partitions
                    .get_mut(&tp)
                    .expect("listed")
                    .maybe_shrink_isr(now_ms);
                if self.absorb(&tp, out) {
                    self.sync_high_watermark(&tp);
                }
            }
        }
        self.try_complete(now_ms);
        self.log_manager.tick(now_ms);
    }

    /// Answers what waited and can be answered now.
    fn try_complete(&mut self, now_ms: i64) {
        let waiting = std::mem::take(&mut self.produce_purgatory);
        for d in waiting {
            let expired = now_ms >= d.deadline_ms;
            match self.try_complete_produce(&d, expired) {
                Some(response) => self.completed.push(Completed::Produce(d.id, response)),
                None => self.produce_purgatory.push(d),
            }
        }
        let waiting = std::mem::take(&mut self.fetch_purgatory);
        for d in waiting {
            let response = self.read(&d.request, d.version);
            if now_ms >= d.deadline_ms || has_min_bytes(&response, d.request.min_bytes) {
                self.completed.push(Completed::Fetch(d.id, response));
            } else {
                self.fetch_purgatory.push(d);
            }
        }
    }

    pub fn take_isr_updates(&mut self) -> Vec<(TopicPartition, IsrUpdate)> {
        std::mem::take(&mut self.isr_updates)
    }

    pub fn take_fetcher_changes(&mut self) -> Vec<FetcherChange> {
        std::mem::take(&mut self.fetcher_changes)
    }

    pub fn take_completed(&mut self) -> Vec<Completed> {
        std::mem::take(&mut self.completed)
    }

    /// Lines for server.log (and state-change.log: logger `state.change.logger`).
    pub fn take_lines(&mut self) -> Vec<LogLine> {
        let mut lines = std::mem::take(&mut self.lines);
        lines.extend(self.log_manager.take_lines());
        lines
    }
}

/// Whether a fetch's answer holds at least `min_bytes` of records (`DelayedFetch.tryComplete`).
fn has_min_bytes(response: &FetchResponse, min_bytes: i32) -> bool {
    let bytes: usize = response
        .partitions
        .iter()
        .map(|(_, r)| r.records.len())
        .sum();
    bytes >= min_bytes.max(0) as usize
}

fn error_response(error: Errors, message: Option<String>) -> ProducePartitionResponse {
    ProducePartitionResponse {
        error,
        base_offset: -1,
        log_append_time_ms: -1,
        log_start_offset: -1,
        error_message: message,
    }
}

fn epoch_error(error: Errors) -> EpochEndOffset {
    EpochEndOffset {
        error,
        leader_epoch: -1,
        end_offset: -1,
    }
}

fn fetch_error(error: Errors, high_watermark: i64) -> FetchPartitionResponse {
    FetchPartitionResponse {
        error,
        high_watermark,
        last_stable_offset: high_watermark,
        log_start_offset: -1,
        records: Bytes::new(),
    }
}

/// The protocol error a log error answers with.
fn log_error(e: &LogError) -> Errors {
    match e {
        LogError::OffsetOutOfRange(_) => Errors::OffsetOutOfRange,
        LogError::RecordTooLarge(_) => Errors::MessageTooLarge,
        LogError::Record(r) => match r.kafka_name() {
            "UnsupportedCompressionTypeException" => Errors::UnsupportedCompressionType,
            "InvalidTimestampException" => Errors::InvalidTimestamp,
            "InvalidRecordException" => Errors::InvalidRecord,
            _ => Errors::CorruptMessage,
        },
        LogError::IllegalState(_) | LogError::InconsistentTopicId(_) => Errors::UnknownServerError,
    }
}
