//! `Partition`: one partition as a broker holds it — whether it leads or
//! follows, the ISR, what the leader knows of each follower, and the high
//! watermark — with each release's rules:
//!
//! - HW. 0.8.0: the smallest log end offset in the ISR. 2.8.2: the smallest
//!   among the leader, the ISR including a pending expansion ("maximal ISR"),
//!   and any follower caught up within `replica.lag.time.max.ms`.
//! - ISR expansion: a follower whose log end offset reaches the HW (2.8.2:
//!   and the current leader epoch's start offset) joins.
//! - ISR shrink. 0.8.0: a follower behind the leader that has not fetched for
//!   `replica.lag.time.max.ms` ("stuck"), or more than
//!   `replica.lag.max.messages` behind ("slow"). 2.8.2: a follower not caught
//!   up to the leader's end offset for `replica.lag.time.max.ms`.
//! - Where ISR changes go. 0.8.0's leader writes the partition's state znode
//!   itself; 2.8.2's asks the controller (AlterIsr) and treats the change as
//!   pending until the answer.
//! - acks. 0.8.0: `-1` waits for every ISR member, `n > 1` for `n` replicas,
//!   no minimum ISR. 2.8.2: `-1` needs `min.insync.replicas` before the
//!   append (NotEnoughReplicas) and after it (NotEnoughReplicasAfterAppend).
//!
//! It is pure: the caller owns the log, appends to it, and passes offsets in;
//! the partition returns what changed and the lines it logs.

use std::collections::BTreeMap;

use distribution::Release;
use kafka_api::requests::PartitionState;
use kafka_api::{Errors, TopicPartition};
use kafka_log::{Level, LogLine};

use crate::election::LeaderAndIsr;
use crate::scala;

/// `kafka.cluster.Partition`'s logger.
pub const LOGGER: &str = "kafka.cluster.Partition";

/// A remote replica's log end offset before its first fetch.
pub const UNKNOWN_OFFSET: i64 = -1;

/// What the leader knows of one follower (`kafka.cluster.Replica`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowerState {
    pub log_end_offset: i64,
    /// 2.8.2: when it last fetched up to the leader's end offset of that time.
    pub last_caught_up_time_ms: i64,
    last_fetch_leader_log_end_offset: i64,
    last_fetch_time_ms: i64,
    /// 0.8.0: when its log end offset was last set (each fetch sets it).
    log_end_offset_update_time_ms: i64,
}

impl FollowerState {
    fn new(now_ms: i64) -> FollowerState {
        FollowerState {
            log_end_offset: UNKNOWN_OFFSET,
            last_caught_up_time_ms: 0,
            last_fetch_leader_log_end_offset: UNKNOWN_OFFSET,
            last_fetch_time_ms: 0,
            log_end_offset_update_time_ms: now_ms,
        }
    }
}

/// 2.8.2's `IsrState`: committed, or a change sent to the controller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IsrState {
    Committed(Vec<i32>),
    PendingExpand { isr: Vec<i32>, adding: i32 },
    PendingShrink { isr: Vec<i32>, removing: Vec<i32> },
}

impl IsrState {
    /// The ISR as last committed.
    pub fn isr(&self) -> &[i32] {
        match self {
            IsrState::Committed(isr)
            | IsrState::PendingExpand { isr, .. }
            | IsrState::PendingShrink { isr, .. } => isr,
        }
    }

    /// The committed ISR plus a replica being added: the set the HW waits for.
    pub fn maximal(&self) -> Vec<i32> {
        let mut isr = self.isr().to_vec();
        if let IsrState::PendingExpand { adding, .. } = self {
            isr.push(*adding);
        }
        isr
    }

    pub fn is_inflight(&self) -> bool {
        !matches!(self, IsrState::Committed(_))
    }
}

/// An ISR change the leader asks the caller to make durable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IsrUpdate {
    /// 0.8.0: write `state` to `/brokers/topics/<t>/partitions/<p>/state`
    /// if its version is still `state.zk_version`, then call
    /// [`Partition::isr_written`].
    WriteState {
        state: LeaderAndIsr,
        controller_epoch: i32,
    },
    /// 2.8.2: send AlterIsr with `state` to the controller, then call
    /// [`Partition::alter_isr_answered`].
    AlterIsr {
        state: LeaderAndIsr,
        controller_epoch: i32,
    },
}

/// What a change to the partition did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub high_watermark_changed: bool,
    pub isr_update: Option<IsrUpdate>,
    pub lines: Vec<LogLine>,
}

/// The settings a partition needs from the broker's config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplicaSettings {
    pub replica_lag_time_max_ms: i64,
    /// 0.8.0 only.
    pub replica_lag_max_messages: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct Partition {
    pub topic_partition: TopicPartition,
    release: Release,
    local_broker_id: i32,
    settings: ReplicaSettings,
    pub leader: Option<i32>,
    pub leader_epoch: i32,
    leader_epoch_start_offset: Option<i64>,
    pub zk_version: i32,
    pub controller_epoch: i32,
    pub assignment: Vec<i32>,
    isr: IsrState,
    followers: BTreeMap<i32, FollowerState>,
    high_watermark: i64,
    log_end_offset: i64,
}

impl Partition {
    /// A partition this broker hosts, before any LeaderAndIsr; `high_watermark`
    /// is the checkpointed one (0 for a new partition).
    pub fn new(
        release: Release,
        topic_partition: TopicPartition,
        local_broker_id: i32,
        settings: ReplicaSettings,
        high_watermark: i64,
        log_end_offset: i64,
    ) -> Partition {
        Partition {
            topic_partition,
            release,
            local_broker_id,
            settings,
            leader: None,
            leader_epoch: -1,
            leader_epoch_start_offset: None,
            zk_version: 0,
            controller_epoch: 0,
            assignment: Vec::new(),
            isr: IsrState::Committed(Vec::new()),
            followers: BTreeMap::new(),
            high_watermark: high_watermark.min(log_end_offset),
            log_end_offset,
        }
    }

    pub fn is_leader(&self) -> bool {
        self.leader == Some(self.local_broker_id)
    }

    pub fn high_watermark(&self) -> i64 {
        self.high_watermark
    }

    pub fn log_end_offset(&self) -> i64 {
        self.log_end_offset
    }

    pub fn isr_state(&self) -> &IsrState {
        &self.isr
    }

    /// The committed ISR (a follower knows none: it is empty there).
    pub fn isr(&self) -> &[i32] {
        self.isr.isr()
    }

    pub fn follower(&self, id: i32) -> Option<&FollowerState> {
        self.followers.get(&id)
    }

    /// The leader epoch in effect from `leader_epoch_start_offset`.
    pub fn leader_epoch_start_offset(&self) -> Option<i64> {
        self.leader_epoch_start_offset
    }

    fn line(&self, level: Level, message: String) -> LogLine {
        let prefix = match self.release {
            Release::V0_8_0 => format!(
                "Partition {} on broker {}: ",
                self.topic_partition.bracketed(),
                self.local_broker_id
            ),
            Release::V2_8_2 => format!(
                "[Partition {} broker={}] ",
                self.topic_partition, self.local_broker_id
            ),
        };
        LogLine::new(level, LOGGER, format!("{prefix}{message}"))
    }

    /// Whether a LeaderAndIsr with `leader_epoch` is news to this partition.
    /// Both releases ignore a request whose epoch is not higher (2.8.2 lets
    /// an equal epoch through only for a partition it does not know yet).
    pub fn accepts_leader_epoch(&self, leader_epoch: i32) -> bool {
        leader_epoch > self.leader_epoch
    }

    /// Becomes the leader (`makeLeader`). Returns whether it was not the
    /// leader before, and what the new state unblocks.
    pub fn make_leader(&mut self, state: &PartitionState, now_ms: i64) -> (bool, Outcome) {
        let mut out = Outcome::default();
        self.controller_epoch = state.controller_epoch;
        self.assignment = state.replicas.clone();
        self.isr = IsrState::Committed(state.isr.clone());
        let was_leader = self.is_leader();
        let start = self.log_end_offset;
        if self.release == Release::V2_8_2 {
            out.lines.push(self.line(
                Level::Info,
                format!(
                    "Leader {} starts at leader epoch {} from offset {start} with high watermark {} ISR [{}] addingReplicas [{}] removingReplicas [{}]. Previous leader epoch was {}.",
                    self.topic_partition,
                    state.leader_epoch,
                    self.high_watermark,
                    scala::join(&state.isr),
                    scala::join(&state.adding_replicas),
                    scala::join(&state.removing_replicas),
                    self.leader_epoch
                ),
            ));
        }
        self.leader_epoch = state.leader_epoch;
        self.leader_epoch_start_offset = Some(start);
        self.zk_version = state.zk_version;
        let local = self.local_broker_id;
        let old = std::mem::take(&mut self.followers);
        for &id in state.replicas.iter().filter(|&&r| r != local) {
            let mut f = old
                .get(&id)
                .cloned()
                .unwrap_or_else(|| FollowerState::new(now_ms));
            match self.release {
                Release::V0_8_0 => {
                    f.log_end_offset = UNKNOWN_OFFSET;
                }
                Release::V2_8_2 => {
                    f.last_fetch_leader_log_end_offset = start;
                    f.last_fetch_time_ms = now_ms;
                    f.last_caught_up_time_ms = if state.isr.contains(&id) { now_ms } else { 0 };
                    if !was_leader {
                        f.log_end_offset = UNKNOWN_OFFSET;
                        f.last_fetch_time_ms = 0;
                        f.last_fetch_leader_log_end_offset = UNKNOWN_OFFSET;
                    }
                }
            }
            self.followers.insert(id, f);
        }
        self.leader = Some(local);
        out.high_watermark_changed = self.maybe_increment_high_watermark(now_ms);
        (!was_leader, out)
    }

    /// Becomes a follower of `state.leader` (`makeFollower`). Returns whether
    /// the leader changed, and for 0.8.0 the offset to truncate the log to
    /// (its high watermark: 0.8.0 truncates there before fetching; 2.8.2
    /// asks the leader with OffsetsForLeaderEpoch instead).
    pub fn make_follower(&mut self, state: &PartitionState) -> (bool, Option<i64>) {
        self.controller_epoch = state.controller_epoch;
        self.assignment = state.replicas.clone();
        self.isr = IsrState::Committed(Vec::new());
        self.followers.clear();
        self.leader_epoch = state.leader_epoch;
        self.leader_epoch_start_offset = None;
        self.zk_version = state.zk_version;
        let changed = self.leader != Some(state.leader);
        self.leader = Some(state.leader);
        let truncate = match self.release {
            Release::V0_8_0 => Some(self.high_watermark),
            Release::V2_8_2 => None,
        };
        (changed, truncate)
    }

    /// The log was truncated or grew as a follower; its HW follows the leader's.
    pub fn follower_log_updated(&mut self, log_end_offset: i64, leader_high_watermark: i64) {
        self.log_end_offset = log_end_offset;
        self.high_watermark = leader_high_watermark.min(log_end_offset);
    }

    /// Before a leader appends: is the append allowed? 2.8.2 refuses an
    /// `acks=-1` append while the ISR is smaller than `min_insync_replicas`.
    pub fn check_append(
        &self,
        required_acks: i16,
        min_insync_replicas: i32,
    ) -> Result<(), (Errors, String)> {
        if !self.is_leader() {
            let message = format!(
                "Leader not local for partition {} on broker {}",
                match self.release {
                    Release::V0_8_0 => self.topic_partition.bracketed(),
                    Release::V2_8_2 => self.topic_partition.to_string(),
                },
                self.local_broker_id
            );
            return Err((Errors::NotLeaderOrFollower, message));
        }
        if self.release == Release::V2_8_2 && required_acks == -1 {
            let isr = self.isr.isr();
            if (isr.len() as i32) < min_insync_replicas {
                return Err((
                    Errors::NotEnoughReplicas,
                    format!(
                        "The size of the current ISR {} is insufficient to satisfy the min.isr requirement of {min_insync_replicas} for partition {}",
                        scala::set(isr),
                        self.topic_partition
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The leader appended up to `log_end_offset` (exclusive).
    pub fn leader_appended(&mut self, log_end_offset: i64, now_ms: i64) -> Outcome {
        self.log_end_offset = log_end_offset;
        Outcome {
            high_watermark_changed: self.maybe_increment_high_watermark(now_ms),
            ..Outcome::default()
        }
    }

    /// A follower fetched from `fetch_offset`: that is its log end offset
    /// (`updateFollowerFetchState` / `updateLeaderHWAndMaybeExpandIsr`).
    pub fn follower_fetched(&mut self, follower: i32, fetch_offset: i64, now_ms: i64) -> Outcome {
        let mut out = Outcome::default();
        if !self.is_leader() {
            return out;
        }
        let leader_end = self.log_end_offset;
        let Some(f) = self.followers.get_mut(&follower) else {
            return out;
        };
        let previous = f.log_end_offset;
        match self.release {
            Release::V0_8_0 => {
                f.log_end_offset = fetch_offset;
                f.log_end_offset_update_time_ms = now_ms;
            }
            Release::V2_8_2 => {
                if fetch_offset >= leader_end {
                    f.last_caught_up_time_ms = f.last_caught_up_time_ms.max(now_ms);
                } else if fetch_offset >= f.last_fetch_leader_log_end_offset {
                    f.last_caught_up_time_ms = f.last_caught_up_time_ms.max(f.last_fetch_time_ms);
                }
                f.log_end_offset = fetch_offset;
                f.last_fetch_leader_log_end_offset = leader_end;
                f.last_fetch_time_ms = now_ms;
            }
        }
        self.maybe_expand_isr(follower, &mut out);
        if self.release == Release::V0_8_0 || previous != fetch_offset {
            out.high_watermark_changed = self.maybe_increment_high_watermark(now_ms);
        }
        out
    }

    fn maybe_expand_isr(&mut self, follower: i32, out: &mut Outcome) {
        let f = &self.followers[&follower];
        let isr = self.isr.isr().to_vec();
        match self.release {
            Release::V0_8_0 => {
                if !isr.contains(&follower) && f.log_end_offset >= self.high_watermark {
                    let mut new_isr = isr.clone();
                    new_isr.push(follower);
                    self.write_isr_0_8_0(out, "Expanding", &isr, new_isr);
                }
            }
            Release::V2_8_2 => {
                let at_high_watermark = f.log_end_offset >= self.high_watermark
                    && self
                        .leader_epoch_start_offset
                        .is_some_and(|start| f.log_end_offset >= start);
                if !self.isr.is_inflight() && !isr.contains(&follower) && at_high_watermark {
                    let mut new_isr = isr.clone();
                    new_isr.push(follower);
                    self.isr = IsrState::PendingExpand {
                        isr,
                        adding: follower,
                    };
                    out.isr_update = Some(IsrUpdate::AlterIsr {
                        state: self.proposed(new_isr),
                        controller_epoch: self.controller_epoch,
                    });
                }
            }
        }
    }

    /// 0.8.0's leader logs an ISR change and writes it to ZooKeeper itself.
    fn write_isr_0_8_0(&self, out: &mut Outcome, verb: &str, isr: &[i32], new_isr: Vec<i32>) {
        out.lines.push(self.line(
            Level::Info,
            format!(
                "{verb} ISR for partition {} from {} to {}",
                self.topic_partition.bracketed(),
                scala::join(isr),
                scala::join(&new_isr)
            ),
        ));
        out.isr_update = Some(IsrUpdate::WriteState {
            state: self.proposed(new_isr),
            controller_epoch: self.controller_epoch,
        });
    }

    fn proposed(&self, isr: Vec<i32>) -> LeaderAndIsr {
        LeaderAndIsr {
            leader: self.local_broker_id,
            leader_epoch: self.leader_epoch,
            isr,
            zk_version: self.zk_version,
        }
    }

    /// The followers that fell out of sync, in ISR order.
    pub fn out_of_sync_replicas(&self, now_ms: i64) -> Vec<i32> {
        if !self.is_leader() || self.isr.is_inflight() {
            return Vec::new();
        }
        let leader_end = self.log_end_offset;
        let lag_ms = self.settings.replica_lag_time_max_ms;
        self.isr
            .isr()
            .iter()
            .copied()
            .filter(|&id| id != self.local_broker_id)
            .filter(|id| {
                let Some(f) = self.followers.get(id) else {
                    return false;
                };
                match self.release {
                    Release::V0_8_0 => {
                        let stuck = f.log_end_offset < leader_end
                            && f.log_end_offset_update_time_ms < now_ms - lag_ms;
                        let slow = self.settings.replica_lag_max_messages.is_some_and(|max| {
                            f.log_end_offset >= 0 && leader_end - f.log_end_offset > max
                        });
                        stuck || slow
                    }
                    Release::V2_8_2 => {
                        f.log_end_offset != leader_end && now_ms - f.last_caught_up_time_ms > lag_ms
                    }
                }
            })
            .collect()
    }

    /// The leader's periodic check (`maybeShrinkIsr`, every half the lag time
    /// in 2.8.2, every `replica.lag.time.max.ms` in 0.8.0).
    pub fn maybe_shrink_isr(&mut self, now_ms: i64) -> Outcome {
        let mut out = Outcome::default();
        let out_of_sync = self.out_of_sync_replicas(now_ms);
        if out_of_sync.is_empty() {
            return out;
        }
        let isr = self.isr.isr().to_vec();
        let new_isr: Vec<i32> = isr
            .iter()
            .copied()
            .filter(|r| !out_of_sync.contains(r))
            .collect();
        match self.release {
            Release::V0_8_0 => self.write_isr_0_8_0(&mut out, "Shrinking", &isr, new_isr),
            Release::V2_8_2 => {
                let replicas: Vec<String> = out_of_sync
                    .iter()
                    .map(|id| {
                        format!(
                            "(brokerId: {id}, endOffset: {})",
                            self.followers[id].log_end_offset
                        )
                    })
                    .collect();
                out.lines.push(self.line(
                    Level::Info,
                    format!(
                        "Shrinking ISR from {} to {}. Leader: (highWatermark: {}, endOffset: {}). Out of sync replicas: {}.",
                        scala::join(&isr),
                        scala::join(&new_isr),
                        self.high_watermark,
                        self.log_end_offset,
                        replicas.join(" ")
                    ),
                ));
                self.isr = IsrState::PendingShrink {
                    isr,
                    removing: out_of_sync,
                };
                out.isr_update = Some(IsrUpdate::AlterIsr {
                    state: self.proposed(new_isr),
                    controller_epoch: self.controller_epoch,
                });
            }
        }
        out.high_watermark_changed = self.maybe_increment_high_watermark(now_ms);
        out
    }

    /// 0.8.0: the conditional write of the state znode returned; `None` when
    /// the version no longer matched.
    pub fn isr_written(
        &mut self,
        state: &LeaderAndIsr,
        new_version: Option<i32>,
        now_ms: i64,
    ) -> Outcome {
        let mut out = Outcome::default();
        match new_version {
            Some(version) => {
                self.isr = IsrState::Committed(state.isr.clone());
                self.zk_version = version;
                out.high_watermark_changed = self.maybe_increment_high_watermark(now_ms);
            }
            None => out.lines.push(self.line(
                Level::Info,
                format!(
                    "Cached zkVersion [{}] not equal to that in zookeeper, skip updating ISR",
                    self.zk_version
                ),
            )),
        }
        out
    }

    /// 2.8.2: the controller answered an AlterIsr sent for `proposed`.
    pub fn alter_isr_answered(
        &mut self,
        answer: Result<LeaderAndIsr, Errors>,
        now_ms: i64,
    ) -> Outcome {
        let mut out = Outcome::default();
        match answer {
            Err(
                Errors::UnknownTopicOrPartition
                | Errors::FencedLeaderEpoch
                | Errors::InvalidUpdateVersion,
            ) => {
                self.isr = IsrState::Committed(self.isr.isr().to_vec());
            }
            Err(error) => {
                out.lines.push(self.line(
                    Level::Warn,
                    format!(
                        "Failed to update ISR to {:?} due to unexpected {}. Retrying.",
                        self.isr,
                        error.name()
                    ),
                ));
                let target = match &self.isr {
                    IsrState::PendingExpand { isr, adding } => {
                        let mut isr = isr.clone();
                        isr.push(*adding);
                        isr
                    }
                    IsrState::PendingShrink { isr, removing } => isr
                        .iter()
                        .copied()
                        .filter(|r| !removing.contains(r))
                        .collect(),
                    IsrState::Committed(isr) => isr.clone(),
                };
                out.isr_update = Some(IsrUpdate::AlterIsr {
                    state: self.proposed(target),
                    controller_epoch: self.controller_epoch,
                });
            }
            Ok(state) => {
                if state.leader_epoch == self.leader_epoch && state.zk_version >= self.zk_version {
                    self.isr = IsrState::Committed(state.isr.clone());
                    self.zk_version = state.zk_version;
                    out.lines.push(self.line(
                        Level::Info,
                        format!(
                            "ISR updated to {} and version updated to [{}]",
                            scala::join(&state.isr),
                            self.zk_version
                        ),
                    ));
                    out.high_watermark_changed = self.maybe_increment_high_watermark(now_ms);
                }
            }
        }
        out
    }

    /// `maybeIncrementLeaderHW`: the HW never goes back.
    fn maybe_increment_high_watermark(&mut self, now_ms: i64) -> bool {
        if !self.is_leader() {
            return false;
        }
        let new = match self.release {
            Release::V0_8_0 => self
                .isr
                .isr()
                .iter()
                .map(|id| match self.followers.get(id) {
                    Some(f) => f.log_end_offset,
                    None => self.log_end_offset,
                })
                .min()
                .unwrap_or(self.log_end_offset),
            Release::V2_8_2 => {
                let maximal = self.isr.maximal();
                let lag = self.settings.replica_lag_time_max_ms;
                self.followers
                    .iter()
                    .filter(|(id, f)| {
                        maximal.contains(id) || now_ms - f.last_caught_up_time_ms <= lag
                    })
                    .map(|(_, f)| f.log_end_offset)
                    .fold(self.log_end_offset, i64::min)
            }
        };
        if new > self.high_watermark {
            self.high_watermark = new;
            true
        } else {
            false
        }
    }

    /// Whether a produce waiting for `required_offset` can be answered
    /// (`checkEnoughReplicasReachOffset`), and with which error.
    pub fn check_enough_replicas_reach_offset(
        &self,
        required_offset: i64,
        required_acks: i16,
        min_insync_replicas: i32,
    ) -> (bool, Errors) {
        if !self.is_leader() {
            return (false, Errors::NotLeaderOrFollower);
        }
        match self.release {
            Release::V0_8_0 => {
                let isr = self.isr.isr();
                let acks = isr
                    .iter()
                    .filter(|id| match self.followers.get(id) {
                        Some(f) => f.log_end_offset >= required_offset,
                        None => true,
                    })
                    .count();
                let enough = (required_acks < 0 && acks >= isr.len())
                    || (required_acks > 0 && acks >= required_acks as usize);
                (enough, Errors::None)
            }
            Release::V2_8_2 => {
                if self.high_watermark >= required_offset {
                    if min_insync_replicas as usize <= self.isr.maximal().len() {
                        (true, Errors::None)
                    } else {
                        (true, Errors::NotEnoughReplicasAfterAppend)
                    }
                } else {
                    (false, Errors::None)
                }
            }
        }
    }
}
