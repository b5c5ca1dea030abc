//! A seeded model of one partition's replication under faults, and the
//! invariants checked on its history — what `kplay sim` and the tests run.
//! Three brokers' replica managers, their fetchers and the controller's
//! decisions are driven by a schedule drawn from the seed: produce requests
//! (acks=all), fetches, clock ticks, `kill -9` (logs recovered from the
//! disk on restart) and restarts. At the end every broker is back and caught
//! up, and the history is checked: acknowledged records still at their
//! offsets, and replicas agreeing with the leader below its high watermark.
//! 2.8.2 (min.insync.replicas=2, unclean election off) promises both; 0.8.0
//! promises neither (its unclean elections lose data, KIP-101's divergence).
//!
//! It runs the real `ReplicaManager`, `ReplicaFetcher` and controller
//! decisions, wired by direct calls rather than the network; the broker
//! processes in the simulator are checked by their own tests.

use std::collections::BTreeMap;

use distribution::Release;
use kafka_api::requests::{LeaderAndIsrRequest, LiveBroker};
use kafka_api::{Errors, TopicPartition};
use kafka_log::{LogManager, LogManagerConfig, LogVersion, MemoryStorage, Storage};
use protocol::{BatchOptions, CompressionType, Magic, Records, RecordsBuilder};

use crate::controller::{ControllerContext, Decisions, LeaderIsrAndControllerEpoch};
use crate::replica::{
    Completed, FetchResult, FetcherChange, FetcherRequest, FetcherSettings, IsrUpdate,
    ProduceResult, ReplicaFetcher, ReplicaManager, ReplicaSettings, TopicSettings,
};

const T0: i64 = 1_380_585_600_000;
const BROKERS: usize = 3;

fn tp() -> TopicPartition {
    TopicPartition::new("test", 0)
}

/// A small deterministic generator (xorshift64*), seeded per run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

struct Cluster {
    release: Release,
    brokers: Vec<ReplicaManager>,
    /// Each broker's log directory: what it wrote survives its restart.
    disks: Vec<MemoryStorage>,
    alive: Vec<bool>,
    fetchers: Vec<Option<ReplicaFetcher>>,
    controller: ControllerContext,
    now: i64,
    next_id: u64,
    /// Produce request id → the value sent.
    sent: BTreeMap<u64, String>,
    /// Acknowledged (offset, value), in the order acknowledged.
    acked: Vec<(i64, String)>,
}

/// Broker `id` as the controller lists it: `kafka-<id+1>:9092`.
pub fn live_broker(id: i32) -> LiveBroker {
    LiveBroker {
        id,
        host: format!("kafka-{}", id + 1),
        port: 9092,
        rack: None,
    }
}

/// A broker starting on `disk`: its logs recovered, its checkpoints read.
fn start_broker(release: Release, id: i32, disk: &MemoryStorage, now: i64) -> ReplicaManager {
    let (version, magic, min_isr) = match release {
        Release::V0_8_0 => (LogVersion::Kafka0_8_0, Magic::V0, 1),
        Release::V2_8_2 => (LogVersion::Kafka2_8_2, Magic::V2, 2),
    };
    let config = LogManagerConfig::defaults(version, "/tmp/kafka-logs", id);
    let files = disk.load("").expect("the disk reads");
    ReplicaManager::new(
        release,
        id,
        ReplicaSettings {
            replica_lag_time_max_ms: 10_000,
            replica_lag_max_messages: (release == Release::V0_8_0).then_some(4000),
        },
        TopicSettings {
            magic,
            min_insync_replicas: min_isr,
        },
        LogManager::startup(&files, config, now).expect("the log dir loads"),
    )
}

impl Cluster {
    fn new(release: Release) -> Cluster {
        let disks: Vec<MemoryStorage> = (0..BROKERS).map(|_| MemoryStorage::new()).collect();
        let brokers = (0..BROKERS)
            .map(|id| start_broker(release, id as i32, &disks[id], T0))
            .collect();
        let mut controller = ControllerContext {
            controller_id: 0,
            epoch: 1,
            ..ControllerContext::default()
        };
        for id in 0..BROKERS as i32 {
            controller.live_brokers.insert(id, live_broker(id));
        }
        controller.assignment.insert(tp(), vec![0, 1, 2]);
        let mut c = Cluster {
            release,
            brokers,
            disks,
            alive: vec![true; BROKERS],
            fetchers: (0..BROKERS).map(|_| None).collect(),
            controller,
            now: T0,
            next_id: 0,
            sent: BTreeMap::new(),
            acked: Vec::new(),
        };
        let d = c.controller.on_new_partitions(release, &[tp()]);
        c.apply(d);
        c
    }

    /// Sends the controller's LeaderAndIsr requests to the live brokers.
    fn apply(&mut self, d: Decisions) {
        for (broker, states) in d.leader_and_isr {
            let b = broker as usize;
            if !self.alive[b] {
                continue;
            }
            let request = LeaderAndIsrRequest {
                controller_id: 0,
                controller_epoch: self.controller.epoch,
                broker_epoch: 0,
                partition_states: states,
                live_leaders: vec![],
            };
            self.brokers[b].become_leader_or_follower(&request, 0, self.now);
        }
        apply_fetcher_changes(self.release, &mut self.brokers, &mut self.fetchers);
    }

    fn leader(&self) -> Option<usize> {
        let l = self.controller.leadership.get(&tp())?.leader_and_isr.leader;
        (l >= 0 && self.alive[l as usize]).then_some(l as usize)
    }

    fn produce(&mut self) {
        let Some(leader) = self.leader() else { return };
        let id = self.next_id;
        self.next_id += 1;
        let value = format!("v{id}");
        let magic = match self.release {
            Release::V0_8_0 => Magic::V0,
            Release::V2_8_2 => Magic::V2,
        };
        let mut b = RecordsBuilder::new(BatchOptions::new(magic, CompressionType::None));
        b.append(self.now, None, Some(value.as_bytes()), vec![]);
        self.sent.insert(id, value);
        let result = self.brokers[leader].append_records(
            id,
            -1,
            30_000,
            &[(tp(), b.build().unwrap())],
            self.now,
        );
        if let ProduceResult::Now(r) = result {
            self.answered(id, r.partitions[0].1.error, r.partitions[0].1.base_offset);
        }
    }

    fn answered(&mut self, id: u64, error: Errors, offset: i64) {
        if error == Errors::None {
            // An offset can be acknowledged twice when a record acknowledged
            // first was lost and the offset reused: the check finds it.
            self.acked.push((offset, self.sent[&id].clone()));
        }
    }

    /// One follower's fetcher sends one request to its leader.
    fn fetch(&mut self, id: usize) {
        if !self.alive[id] {
            return;
        }
        let Some(f) = self.fetchers[id].as_mut() else {
            return;
        };
        let leader = f.leader_id as usize;
        if !self.alive[leader] {
            f.on_error(self.now);
            return;
        }
        let (follower, leader_rm) = two(&mut self.brokers, id, leader);
        round_trip(f, follower, leader_rm, self.now);
        self.collect();
    }

    /// Answers, ISR changes and their round trips to the controller.
    fn collect(&mut self) {
        for b in 0..BROKERS {
            for done in self.brokers[b].take_completed() {
                if let Completed::Produce(id, r) = done {
                    self.answered(id, r.partitions[0].1.error, r.partitions[0].1.base_offset);
                }
            }
            for (partition, update) in self.brokers[b].take_isr_updates() {
                match update {
                    IsrUpdate::WriteState {
                        state,
                        controller_epoch,
                    } => {
                        // 0.8.0: the leader writes the state znode; the controller reads it later.
                        let version = state.zk_version + 1;
                        let mut written = state.clone();
                        written.zk_version = version;
                        self.controller.state_read(
                            &partition,
                            LeaderIsrAndControllerEpoch {
                                leader_and_isr: written,
                                controller_epoch,
                            },
                        );
                        self.brokers[b].isr_written(&partition, &state, Some(version), self.now);
                    }
                    IsrUpdate::AlterIsr { state, .. } => {
                        let answer = self
                            .controller
                            .on_alter_isr(&partition, b as i32, &state)
                            .map(|(accepted, _)| accepted);
                        self.brokers[b].alter_isr_answered(&partition, answer, self.now);
                    }
                }
            }
            let _ = self.brokers[b].take_lines();
            if self.alive[b] {
                let ops = self.brokers[b].log_manager.take_ops();
                self.disks[b].submit(ops).expect("the disk writes");
            }
        }
    }

    fn tick(&mut self, ms: i64) {
        self.now += ms;
        for b in 0..BROKERS {
            if self.alive[b] {
                self.brokers[b].tick(self.now);
            }
        }
        self.collect();
    }

    /// kill -9: the process's memory is gone; what it wrote stays on disk.
    fn kill(&mut self, id: usize) {
        self.collect();
        self.alive[id] = false;
        self.fetchers[id] = None;
        let d = self
            .controller
            .on_broker_failure(self.release, &[id as i32], false);
        self.apply(d);
    }

    /// The broker starts again from its disk.
    fn revive(&mut self, id: usize) {
        self.brokers[id] = start_broker(self.release, id as i32, &self.disks[id], self.now);
        self.alive[id] = true;
        let d = self
            .controller
            .on_broker_startup(self.release, &[live_broker(id as i32)], false);
        self.apply(d);
    }

    /// One line of the trace: the event, the partition's state after it,
    /// and each broker's log end offset.
    fn describe(&self, event: &str) -> String {
        let state = &self.controller.leadership[&tp()].leader_and_isr;
        let ends: Vec<String> = (0..BROKERS)
            .map(|b| match self.alive[b] {
                true => self.brokers[b]
                    .log_manager
                    .log("test", 0)
                    .map_or(0, |l| l.log_end_offset())
                    .to_string(),
                false => "dead".to_owned(),
            })
            .collect();
        format!(
            "{event}: leader {} epoch {} isr {:?}; log ends {}",
            state.leader,
            state.leader_epoch,
            state.isr,
            ends.join(" ")
        )
    }

    fn values(&self, id: usize) -> BTreeMap<i64, String> {
        log_values(&self.brokers[id])
    }
}

/// What one seeded run found.
pub struct Run {
    pub lost: usize,
    pub acked: usize,
    /// Replicas disagreeing with the leader below its high watermark.
    pub diverged: usize,
    /// What happened, step by step, when asked for (`trace`).
    pub trace: Vec<String>,
}

/// One seeded run; with `trace`, the faults and elections as they happened.
pub fn run(release: Release, seed: u64, trace: bool) -> Run {
    let mut lines = Vec::new();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut c = Cluster::new(release);
    for _ in 0..300 {
        match rng.below(100) {
            0..=29 => c.produce(),
            30..=74 => c.fetch(rng.below(BROKERS as u64) as usize),
            75..=94 => c.tick(rng.below(4_000) as i64),
            95..=97 => {
                let id = rng.below(BROKERS as u64) as usize;
                if c.alive[id] && c.alive.iter().filter(|a| **a).count() > 1 {
                    c.kill(id);
                    if trace {
                        lines.push(c.describe(&format!("kill -9 broker {id}")));
                    }
                }
            }
            _ => {
                let id = rng.below(BROKERS as u64) as usize;
                if !c.alive[id] {
                    c.revive(id);
                    if trace {
                        lines.push(c.describe(&format!("restart broker {id}")));
                    }
                }
            }
        }
    }
    // Heal: every broker back, fetch and tick until caught up.
    for id in 0..BROKERS {
        if !c.alive[id] {
            c.revive(id);
        }
    }
    for _ in 0..60 {
        for id in 0..BROKERS {
            c.fetch(id);
        }
        c.tick(500);
    }
    let leader = c.leader().expect("a leader once everyone is back");
    let log = c.values(leader);
    let hw = c.brokers[leader].partition(&tp()).unwrap().high_watermark();
    // Replicas that hold something else below the HW than the leader.
    let diverged = (0..BROKERS)
        .filter(|&id| {
            let other = c.values(id);
            log.range(..hw)
                .any(|(offset, value)| other.get(offset) != Some(value))
        })
        .count();
    let lost = c
        .acked
        .iter()
        .filter(|(offset, value)| log.get(offset) != Some(value))
        .count();
    Run {
        lost,
        acked: c.acked.len(),
        diverged,
        trace: lines,
    }
}

/// Fetchers that never wait at the leader, so a test's step is one round trip.
/// Starts a follower's fetcher, one per broker here (one partition), for
/// each `Add` its replica manager asked for; a `Remove` stops it.
pub fn apply_fetcher_changes(
    release: Release,
    brokers: &mut [ReplicaManager],
    fetchers: &mut [Option<ReplicaFetcher>],
) {
    for (id, b) in brokers.iter_mut().enumerate() {
        for change in b.take_fetcher_changes() {
            match change {
                FetcherChange::Remove(_) => fetchers[id] = None,
                FetcherChange::Add {
                    partition,
                    leader,
                    fetch_offset,
                    leader_epoch,
                } => {
                    let mut f = ReplicaFetcher::new(release, id as i32, leader, fetcher_settings());
                    f.add_partition(partition, fetch_offset, leader_epoch);
                    fetchers[id] = Some(f);
                }
            }
        }
    }
}

pub fn fetcher_settings() -> FetcherSettings {
    FetcherSettings {
        replica_fetch_wait_max_ms: 0,
        replica_fetch_min_bytes: 1,
        replica_fetch_max_bytes: 1 << 20,
        replica_fetch_response_max_bytes: 10 << 20,
        replica_fetch_backoff_ms: 1_000,
    }
}

/// `a` and `b` of `brokers`, both mutable.
pub fn two(
    brokers: &mut [ReplicaManager],
    a: usize,
    b: usize,
) -> (&mut ReplicaManager, &mut ReplicaManager) {
    assert_ne!(a, b);
    if a < b {
        let (left, right) = brokers.split_at_mut(b);
        (&mut left[a], &mut right[0])
    } else {
        let (left, right) = brokers.split_at_mut(a);
        (&mut right[0], &mut left[b])
    }
}

/// The fetcher sends its next request to `leader` and takes the answer.
/// Returns `None` when it had nothing to send, else whether it was a fetch.
pub fn round_trip(
    f: &mut ReplicaFetcher,
    follower: &mut ReplicaManager,
    leader: &mut ReplicaManager,
    now: i64,
) -> Option<bool> {
    match f.next_request(follower, now)? {
        FetcherRequest::OffsetsForLeaderEpoch(r) => {
            let answer = leader.last_offset_for_leader_epoch(&r);
            f.on_epoch_response(&answer, follower, now);
            Some(false)
        }
        FetcherRequest::ListOffsets(r) => {
            let answer = leader.list_offsets(&r, 1, now);
            f.on_list_offsets_response(&answer, follower, now);
            Some(false)
        }
        FetcherRequest::Fetch(r) => {
            let FetchResult::Now(answer) = leader.fetch_messages(u64::MAX, &r, 12, now) else {
                panic!("fetchers with no wait are answered at once")
            };
            f.on_fetch_response(&answer, follower, now);
            Some(true)
        }
    }
}

/// `test-0`'s records on a broker, value by offset.
pub fn log_values(b: &ReplicaManager) -> BTreeMap<i64, String> {
    let log = b
        .log_manager
        .log("test", 0)
        .expect("the broker hosts test-0");
    let data = log
        .read(log.log_start_offset(), 1 << 24, None, true)
        .expect("the log reads");
    let mut out = BTreeMap::new();
    for batch in Records::new(data.records).batches() {
        for r in batch
            .expect("a valid batch")
            .records()
            .expect("its records")
        {
            out.insert(
                r.offset,
                String::from_utf8_lossy(r.value.as_deref().unwrap_or_default()).into_owned(),
            );
        }
    }
    out
}
