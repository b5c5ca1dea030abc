//! `ReplicaFetcherThread`: a follower's fetches from one leader, as a state
//! machine the broker process drives (it sends the requests this builds and
//! hands back the answers). A partition starts in `Truncating`: 2.8.2 asks
//! the leader where the follower's latest leader epoch ends
//! (OffsetsForLeaderEpoch) and truncates there; a follower with no epoch,
//! and 0.8.0 always, has already truncated to its high watermark. Then it
//! fetches from its log end offset, appending what comes. An offset out of
//! range makes it ask the leader's latest offset (and, if the follower is not
//! ahead, the earliest) and truncate or restart its log from there.

use std::collections::BTreeMap;

use distribution::Release;
use kafka_api::requests::{
    FetchPartition, FetchRequest, FetchResponse, ListOffsetsPartition, ListOffsetsRequest,
    ListOffsetsResponse, OffsetForLeaderEpochPartition, OffsetForLeaderEpochRequest,
    OffsetForLeaderEpochResponse, EARLIEST_TIMESTAMP, LATEST_TIMESTAMP,
};
use kafka_api::{Errors, TopicPartition};

use super::manager::ReplicaManager;

/// The follower's fetch settings (`replica.fetch.*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetcherSettings {
    pub replica_fetch_wait_max_ms: i32,
    pub replica_fetch_min_bytes: i32,
    pub replica_fetch_max_bytes: i32,
    pub replica_fetch_response_max_bytes: i32,
    pub replica_fetch_backoff_ms: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Truncating,
    Fetching,
    /// Out of range: asking the leader's latest offset.
    AskLatest,
    /// The follower is not ahead: asking the leader's earliest offset.
    AskEarliest,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct PartitionFetchState {
    fetch_offset: i64,
    leader_epoch: i32,
    phase: Phase,
    delayed_until_ms: i64,
}

/// A request for the leader.
#[derive(Clone, Debug, PartialEq)]
pub enum FetcherRequest {
    OffsetsForLeaderEpoch(OffsetForLeaderEpochRequest),
    ListOffsets(ListOffsetsRequest),
    Fetch(FetchRequest),
}

#[derive(Clone, Debug)]
pub struct ReplicaFetcher {
    release: Release,
    replica_id: i32,
    pub leader_id: i32,
    settings: FetcherSettings,
    partitions: BTreeMap<TopicPartition, PartitionFetchState>,
    in_flight: bool,
    backoff_until_ms: i64,
}

impl ReplicaFetcher {
    pub fn new(
        release: Release,
        replica_id: i32,
        leader_id: i32,
        settings: FetcherSettings,
    ) -> ReplicaFetcher {
        ReplicaFetcher {
            release,
            replica_id,
            leader_id,
            settings,
            partitions: BTreeMap::new(),
            in_flight: false,
            backoff_until_ms: i64::MIN,
        }
    }

    /// Starts fetching `tp` from `fetch_offset` (`addFetcherForPartitions`).
    pub fn add_partition(&mut self, tp: TopicPartition, fetch_offset: i64, leader_epoch: i32) {
        let phase = match self.release {
            Release::V0_8_0 => Phase::Fetching,
            Release::V2_8_2 => Phase::Truncating,
        };
        self.partitions.insert(
            tp,
            PartitionFetchState {
                fetch_offset,
                leader_epoch,
                phase,
                delayed_until_ms: i64::MIN,
            },
        );
    }

    pub fn remove_partition(&mut self, tp: &TopicPartition) {
        self.partitions.remove(tp);
    }

    pub fn is_empty(&self) -> bool {
        self.partitions.is_empty()
    }

    pub fn fetch_offset(&self, tp: &TopicPartition) -> Option<i64> {
        self.partitions.get(tp).map(|s| s.fetch_offset)
    }

    /// When the fetcher has something to send after a backoff.
    pub fn next_due_ms(&self) -> Option<i64> {
        if self.in_flight || self.partitions.is_empty() {
            return None;
        }
        let earliest = self.partitions.values().map(|s| s.delayed_until_ms).min()?;
        Some(earliest.max(self.backoff_until_ms))
    }

    fn ready(&self, now_ms: i64, phase: Phase) -> Vec<TopicPartition> {
        self.partitions
            .iter()
            .filter(|(_, s)| s.phase == phase && s.delayed_until_ms <= now_ms)
            .map(|(tp, _)| tp.clone())
            .collect()
    }

    /// The next request to send, if none is in flight: truncation first,
    /// then out-of-range offsets, then a fetch.
    pub fn next_request(&mut self, rm: &mut ReplicaManager, now_ms: i64) -> Option<FetcherRequest> {
        if self.in_flight || now_ms < self.backoff_until_ms {
            return None;
        }
        let truncating = self.ready(now_ms, Phase::Truncating);
        let mut asks = Vec::new();
        for tp in truncating {
            let latest_epoch = rm
                .log_manager
                .log(&tp.topic, tp.partition)
                .and_then(|log| log.leader_epochs().latest_epoch());
            let state = self.partitions.get_mut(&tp).expect("listed");
            match latest_epoch {
                Some(epoch) => asks.push(OffsetForLeaderEpochPartition {
                    partition: tp,
                    current_leader_epoch: state.leader_epoch,
                    leader_epoch: epoch,
                }),
                None => {
                    // No epoch to ask about: truncate to the high watermark.
                    let hw = rm.partition(&tp).map_or(0, |p| p.high_watermark());
                    state.fetch_offset = rm.truncate_follower(&tp, hw, now_ms);
                    state.phase = Phase::Fetching;
                }
            }
        }
        if !asks.is_empty() {
            self.in_flight = true;
            return Some(FetcherRequest::OffsetsForLeaderEpoch(
                OffsetForLeaderEpochRequest {
                    replica_id: self.replica_id,
                    partitions: asks,
                },
            ));
        }
        for (phase, timestamp) in [
            (Phase::AskLatest, LATEST_TIMESTAMP),
            (Phase::AskEarliest, EARLIEST_TIMESTAMP),
        ] {
            let ready = self.ready(now_ms, phase);
            if !ready.is_empty() {
                self.in_flight = true;
                return Some(FetcherRequest::ListOffsets(ListOffsetsRequest {
                    replica_id: self.replica_id,
                    isolation_level: 0,
                    partitions: ready
                        .into_iter()
                        .map(|tp| ListOffsetsPartition {
                            current_leader_epoch: self.partitions[&tp].leader_epoch,
                            partition: tp,
                            timestamp,
                            max_num_offsets: 1,
                        })
                        .collect(),
                }));
            }
        }
        let fetching = self.ready(now_ms, Phase::Fetching);
        if fetching.is_empty() {
            return None;
        }
        self.in_flight = true;
        Some(FetcherRequest::Fetch(FetchRequest {
            replica_id: self.replica_id,
            max_wait_ms: self.settings.replica_fetch_wait_max_ms,
            min_bytes: self.settings.replica_fetch_min_bytes,
            max_bytes: self.settings.replica_fetch_response_max_bytes,
            isolation_level: 0,
            partitions: fetching
                .into_iter()
                .map(|tp| {
                    let s = &self.partitions[&tp];
                    FetchPartition {
                        current_leader_epoch: match self.release {
                            Release::V0_8_0 => -1,
                            Release::V2_8_2 => s.leader_epoch,
                        },
                        fetch_offset: s.fetch_offset,
                        log_start_offset: rm
                            .log_manager
                            .log(&tp.topic, tp.partition)
                            .map_or(-1, |l| l.log_start_offset()),
                        partition_max_bytes: self.settings.replica_fetch_max_bytes,
                        partition: tp,
                    }
                })
                .collect(),
        }))
    }

    fn delay(&mut self, tp: &TopicPartition, now_ms: i64) {
        if let Some(s) = self.partitions.get_mut(tp) {
            s.delayed_until_ms = now_ms + self.settings.replica_fetch_backoff_ms;
        }
    }

    /// The leader answered OffsetsForLeaderEpoch: truncate where the
    /// follower's and the leader's histories part.
    pub fn on_epoch_response(
        &mut self,
        response: &OffsetForLeaderEpochResponse,
        rm: &mut ReplicaManager,
        now_ms: i64,
    ) {
        self.in_flight = false;
        for (tp, answer) in &response.partitions {
            let Some(state) = self.partitions.get(tp) else {
                continue;
            };
            if state.phase != Phase::Truncating {
                continue;
            }
            if answer.error != Errors::None {
                self.delay(tp, now_ms);
                continue;
            }
            let log_end_offset = rm
                .log_manager
                .log(&tp.topic, tp.partition)
                .map_or(0, |l| l.log_end_offset());
            // `getOffsetTruncationState`: (offset, whether truncation is done).
            let (target, completed) = if answer.end_offset < 0 {
                (rm.partition(tp).map_or(0, |p| p.high_watermark()), true)
            } else if answer.leader_epoch < 0 {
                (answer.end_offset.min(log_end_offset), true)
            } else {
                let own = rm.log_manager.log(&tp.topic, tp.partition).and_then(|l| {
                    l.leader_epochs()
                        .end_offset_for(answer.leader_epoch, log_end_offset)
                });
                match own {
                    // The follower does not know the leader's epoch: cut to
                    // the end of its own earlier epoch and ask again.
                    Some((epoch, end)) if epoch != answer.leader_epoch => {
                        (end.min(log_end_offset), false)
                    }
                    Some((_, end)) => (end.min(answer.end_offset).min(log_end_offset), true),
                    None => (answer.end_offset.min(log_end_offset), true),
                }
            };
            let fetch_offset = rm.truncate_follower(tp, target, now_ms);
            let state = self.partitions.get_mut(tp).expect("present");
            state.fetch_offset = fetch_offset;
            if completed {
                state.phase = Phase::Fetching;
            }
        }
    }

    /// The leader answered a fetch: append, or handle the partition's error.
    pub fn on_fetch_response(
        &mut self,
        response: &FetchResponse,
        rm: &mut ReplicaManager,
        now_ms: i64,
    ) {
        self.in_flight = false;
        for (tp, data) in &response.partitions {
            let Some(state) = self.partitions.get(tp) else {
                continue;
            };
            if state.phase != Phase::Fetching {
                continue;
            }
            match data.error {
                Errors::None => {
                    match rm.append_as_follower(tp, &data.records, data.high_watermark, now_ms) {
                        Ok(end) => self.partitions.get_mut(tp).expect("present").fetch_offset = end,
                        Err(_) => self.delay(tp, now_ms),
                    }
                }
                Errors::OffsetOutOfRange => {
                    self.partitions.get_mut(tp).expect("present").phase = Phase::AskLatest;
                }
                _ => self.delay(tp, now_ms),
            }
        }
    }

    /// The leader told its latest or earliest offset after an out-of-range
    /// fetch (`handleOffsetOutOfRange`): a follower ahead of the leader
    /// truncates to the leader's end; one behind its start starts over there.
    pub fn on_list_offsets_response(
        &mut self,
        response: &ListOffsetsResponse,
        rm: &mut ReplicaManager,
        now_ms: i64,
    ) {
        self.in_flight = false;
        for (tp, answer) in &response.partitions {
            let Some(state) = self.partitions.get(tp).cloned() else {
                continue;
            };
            if answer.error != Errors::None {
                self.delay(tp, now_ms);
                continue;
            }
            let offset = answer
                .old_style_offsets
                .first()
                .copied()
                .unwrap_or(answer.offset);
            let log_end_offset = rm
                .log_manager
                .log(&tp.topic, tp.partition)
                .map_or(0, |l| l.log_end_offset());
            let next = match state.phase {
                Phase::AskLatest if offset < log_end_offset => {
                    let end = rm.truncate_follower(tp, offset, now_ms);
                    Some((end, Phase::Fetching))
                }
                Phase::AskLatest => Some((state.fetch_offset, Phase::AskEarliest)),
                Phase::AskEarliest => {
                    let start = offset.max(0);
                    rm.truncate_fully_and_start_at(tp, start, now_ms);
                    Some((start, Phase::Fetching))
                }
                _ => None,
            };
            if let Some((fetch_offset, phase)) = next {
                let s = self.partitions.get_mut(tp).expect("present");
                s.fetch_offset = fetch_offset;
                s.phase = phase;
            }
        }
    }

    /// The connection to the leader failed or the request timed out.
    pub fn on_error(&mut self, now_ms: i64) {
        self.in_flight = false;
        self.backoff_until_ms = now_ms + self.settings.replica_fetch_backoff_ms;
    }
}
