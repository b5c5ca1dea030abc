//! Three brokers' replica managers wired by hand (no network): the leader
//! takes produce requests, followers fetch from it, and the answers come as
//! each release gives them — acks=all waits for the ISR, acks=1 does not,
//! consumers see only what is below the high watermark, a follower that
//! stops fetching leaves the ISR and releases the waiting producers.

use broker::replica::{
    Completed, FetchResult, IsrUpdate, ProduceResult, ReplicaManager, ReplicaSettings,
    TopicSettings,
};
use bytes::Bytes;
use distribution::Release;
use kafka_api::requests::{
    FetchPartition, FetchRequest, FetchResponse, LeaderAndIsrRequest, PartitionState,
    ProduceResponse, CONSUMER_REPLICA_ID,
};
use kafka_api::{Errors, TopicPartition};
use kafka_log::storage::DirSnapshot;
use kafka_log::{LogManager, LogManagerConfig, LogVersion};
use protocol::{BatchOptions, CompressionType, Magic, RecordsBuilder};

const T0: i64 = 1_380_585_600_000;
const LAG_MS: i64 = 10_000;

fn tp() -> TopicPartition {
    TopicPartition::new("test", 0)
}

fn magic(release: Release) -> Magic {
    match release {
        Release::V0_8_0 => Magic::V0,
        Release::V2_8_2 => Magic::V2,
    }
}

fn broker(release: Release, id: i32, min_isr: i32) -> ReplicaManager {
    let version = match release {
        Release::V0_8_0 => LogVersion::Kafka0_8_0,
        Release::V2_8_2 => LogVersion::Kafka2_8_2,
    };
    let config = LogManagerConfig::defaults(version, &format!("/tmp/kafka-logs-{id}"), id);
    let log_manager =
        LogManager::startup(&DirSnapshot::default(), config, T0).expect("an empty dir starts");
    ReplicaManager::new(
        release,
        id,
        ReplicaSettings {
            replica_lag_time_max_ms: LAG_MS,
            replica_lag_max_messages: (release == Release::V0_8_0).then_some(4000),
        },
        TopicSettings {
            magic: magic(release),
            min_insync_replicas: min_isr,
        },
        log_manager,
    )
}

/// Brokers 0, 1, 2 with `test-0` led by 0 and every replica in sync.
fn cluster(release: Release, min_isr: i32) -> Vec<ReplicaManager> {
    let request = request_for(&[0, 1, 2], 0, 0, vec![0, 1, 2], 0, true);
    (0..3)
        .map(|id| {
            let mut b = broker(release, id, min_isr);
            let answer = b.become_leader_or_follower(&request, 1, T0);
            assert_eq!(answer.partitions, [(tp(), Errors::None)]);
            b
        })
        .collect()
}

fn records(release: Release, values: &[&str]) -> Bytes {
    let mut b = RecordsBuilder::new(BatchOptions::new(magic(release), CompressionType::None));
    for v in values {
        b.append(T0, None, Some(v.as_bytes()), vec![]);
    }
    b.build().expect("records build")
}

fn fetch_request(replica_id: i32, offset: i64) -> FetchRequest {
    FetchRequest {
        replica_id,
        max_wait_ms: 0,
        min_bytes: 0,
        max_bytes: i32::MAX,
        isolation_level: 0,
        partitions: vec![FetchPartition {
            partition: tp(),
            current_leader_epoch: -1,
            fetch_offset: offset,
            log_start_offset: -1,
            partition_max_bytes: 1 << 20,
        }],
    }
}

fn now(result: FetchResult) -> FetchResponse {
    match result {
        FetchResult::Now(r) => r,
        FetchResult::Delayed => panic!("the fetch waited"),
    }
}

/// Follower `id` fetches once from the leader and appends what came.
fn replicate(brokers: &mut [ReplicaManager], id: usize, at: i64) {
    let offset = brokers[id]
        .log_manager
        .log("test", 0)
        .unwrap()
        .log_end_offset();
    let response = now(brokers[0].fetch_messages(0, &fetch_request(id as i32, offset), 4, at));
    let (_, data) = &response.partitions[0];
    assert_eq!(data.error, Errors::None);
    brokers[id]
        .append_as_follower(&tp(), &data.records, data.high_watermark, at)
        .expect("the follower appends the leader's batches");
}

fn produced(r: &ProduceResponse) -> (Errors, i64) {
    (r.partitions[0].1.error, r.partitions[0].1.base_offset)
}

fn completed_produce(b: &mut ReplicaManager) -> Vec<(u64, ProduceResponse)> {
    b.take_completed()
        .into_iter()
        .filter_map(|c| match c {
            Completed::Produce(id, r) => Some((id, r)),
            Completed::Fetch(..) => None,
        })
        .collect()
}

#[test]
fn acks_all_answers_once_every_in_sync_replica_has_the_records() {
    for release in [Release::V0_8_0, Release::V2_8_2] {
        let mut brokers = cluster(release, 1);
        let sent = [(tp(), records(release, &["a", "b", "c"]))];
        assert_eq!(
            brokers[0].append_records(7, -1, 30_000, &sent, T0 + 1),
            ProduceResult::Delayed
        );
        // Followers fetch from 0 (they have nothing): still waiting.
        replicate(&mut brokers, 1, T0 + 2);
        replicate(&mut brokers, 2, T0 + 2);
        assert!(completed_produce(&mut brokers[0]).is_empty(), "{release:?}");
        // Their next fetch says they have offsets 0..3.
        replicate(&mut brokers, 1, T0 + 3);
        assert!(
            completed_produce(&mut brokers[0]).is_empty(),
            "{release:?}: broker 2 is behind"
        );
        replicate(&mut brokers, 2, T0 + 4);
        let done = completed_produce(&mut brokers[0]);
        assert_eq!(done.len(), 1, "{release:?}");
        assert_eq!(done[0].0, 7);
        assert_eq!(produced(&done[0].1), (Errors::None, 0));
        assert_eq!(brokers[0].partition(&tp()).unwrap().high_watermark(), 3);
        // The followers learn the HW on their next fetch.
        replicate(&mut brokers, 1, T0 + 5);
        assert_eq!(brokers[1].partition(&tp()).unwrap().high_watermark(), 3);
    }
}

#[test]
fn acks_one_answers_at_once_and_consumers_read_only_below_the_high_watermark() {
    for release in [Release::V0_8_0, Release::V2_8_2] {
        let mut brokers = cluster(release, 1);
        let sent = [(tp(), records(release, &["a", "b"]))];
        let ProduceResult::Now(r) = brokers[0].append_records(1, 1, 30_000, &sent, T0 + 1) else {
            panic!("acks=1 answers at once")
        };
        assert_eq!(produced(&r), (Errors::None, 0));
        let consumer =
            now(brokers[0].fetch_messages(2, &fetch_request(CONSUMER_REPLICA_ID, 0), 4, T0 + 2));
        assert!(
            consumer.partitions[0].1.records.is_empty(),
            "{release:?}: nothing is committed yet"
        );
        assert_eq!(consumer.partitions[0].1.high_watermark, 0);
        replicate(&mut brokers, 1, T0 + 3);
        replicate(&mut brokers, 2, T0 + 3);
        replicate(&mut brokers, 1, T0 + 4);
        replicate(&mut brokers, 2, T0 + 4);
        let consumer =
            now(brokers[0].fetch_messages(3, &fetch_request(CONSUMER_REPLICA_ID, 0), 4, T0 + 5));
        assert!(!consumer.partitions[0].1.records.is_empty());
        assert_eq!(consumer.partitions[0].1.high_watermark, 2);
        assert_eq!(
            brokers[0].append_records(4, 0, 30_000, &sent, T0 + 6),
            ProduceResult::NoResponse,
            "acks=0"
        );
    }
}

#[test]
fn a_follower_that_stops_fetching_is_dropped_and_the_producer_is_answered() {
    for release in [Release::V0_8_0, Release::V2_8_2] {
        let mut brokers = cluster(release, 1);
        replicate(&mut brokers, 1, T0 + 1);
        replicate(&mut brokers, 2, T0 + 1);
        let sent = [(tp(), records(release, &["x"]))];
        assert_eq!(
            brokers[0].append_records(9, -1, 60_000, &sent, T0 + 2),
            ProduceResult::Delayed
        );
        replicate(&mut brokers, 1, T0 + 3);
        replicate(&mut brokers, 1, T0 + 4);
        // Broker 2 is gone; broker 1 keeps fetching; time passes.
        for t in (5_000..=25_000).step_by(1_000) {
            replicate(&mut brokers, 1, T0 + t);
            brokers[0].tick(T0 + t);
            for (partition, update) in brokers[0].take_isr_updates() {
                match update {
                    IsrUpdate::WriteState { state, .. } => {
                        assert_eq!(release, Release::V0_8_0);
                        assert_eq!(state.isr, vec![0, 1]);
                        let version = state.zk_version + 1;
                        brokers[0].isr_written(&partition, &state, Some(version), T0 + t);
                    }
                    IsrUpdate::AlterIsr { mut state, .. } => {
                        assert_eq!(release, Release::V2_8_2);
                        assert_eq!(state.isr, vec![0, 1]);
                        state.zk_version += 1;
                        brokers[0].alter_isr_answered(&partition, Ok(state), T0 + t);
                    }
                }
            }
        }
        assert_eq!(
            brokers[0].partition(&tp()).unwrap().isr(),
            [0, 1],
            "{release:?}"
        );
        let done = completed_produce(&mut brokers[0]);
        assert_eq!(done.len(), 1, "{release:?}");
        assert_eq!(produced(&done[0].1), (Errors::None, 0));
        let lines: Vec<String> = brokers[0]
            .take_lines()
            .into_iter()
            .map(|l| l.message)
            .collect();
        assert!(
            lines.iter().any(|l| l.contains("Shrinking ISR")),
            "{lines:?}"
        );
    }
}

#[test]
fn a_producer_waits_no_longer_than_its_timeout() {
    let mut brokers = cluster(Release::V2_8_2, 1);
    let sent = [(tp(), records(Release::V2_8_2, &["x"]))];
    assert_eq!(
        brokers[0].append_records(5, -1, 1_000, &sent, T0),
        ProduceResult::Delayed
    );
    brokers[0].tick(T0 + 999);
    assert!(completed_produce(&mut brokers[0]).is_empty());
    brokers[0].tick(T0 + 1_000);
    let done = completed_produce(&mut brokers[0]);
    assert_eq!(produced(&done[0].1).0, Errors::RequestTimedOut);
}

#[test]
fn min_insync_replicas_refuses_acks_all_when_the_isr_is_too_small() {
    let request = |isr: Vec<i32>| request_for(&[0, 1, 2], 0, 1, isr, 1, false);
    let mut b = broker(Release::V2_8_2, 0, 2);
    b.become_leader_or_follower(&request(vec![0]), 1, T0);
    let sent = [(tp(), records(Release::V2_8_2, &["x"]))];
    let ProduceResult::Now(r) = b.append_records(1, -1, 30_000, &sent, T0 + 1) else {
        panic!()
    };
    assert_eq!(r.partitions[0].1.error, Errors::NotEnoughReplicas);
    let ProduceResult::Now(r) = b.append_records(2, 1, 30_000, &sent, T0 + 1) else {
        panic!()
    };
    assert_eq!(
        produced(&r),
        (Errors::None, 0),
        "acks=1 is not held to min.insync.replicas"
    );
    let ProduceResult::Now(r) = b.append_records(3, 2, 30_000, &sent, T0 + 1) else {
        panic!()
    };
    assert_eq!(
        r.partitions[0].1.error,
        Errors::InvalidRequiredAcks,
        "2.8.2 takes only -1, 0 and 1"
    );
    let mut old = broker(Release::V0_8_0, 0, 1);
    old.become_leader_or_follower(&request(vec![0]), 1, T0);
    let sent = [(tp(), records(Release::V0_8_0, &["x"]))];
    assert_eq!(
        old.append_records(4, 2, 30_000, &sent, T0 + 1),
        ProduceResult::Delayed,
        "0.8.0's acks=2 waits for a second replica"
    );
}

#[test]
fn a_stale_leader_epoch_is_ignored_and_a_non_leader_refuses_produce() {
    let mut brokers = cluster(Release::V2_8_2, 1);
    let sent = [(tp(), records(Release::V2_8_2, &["x"]))];
    let ProduceResult::Now(r) = brokers[1].append_records(1, 1, 30_000, &sent, T0) else {
        panic!()
    };
    assert_eq!(r.partitions[0].1.error, Errors::NotLeaderOrFollower);
    let stale = request_for(&[0, 1, 2], 1, 0, vec![1], 0, false);
    let answer = brokers[1].become_leader_or_follower(&stale, 2, T0);
    assert_eq!(answer.partitions, [(tp(), Errors::StaleControllerEpoch)]);
    assert!(!brokers[1].partition(&tp()).unwrap().is_leader());
}

// --- Followers driven by their fetchers ---------------------------------------------

use broker::replica::{FetcherRequest, ReplicaFetcher};
use broker::replication_check::{apply_fetcher_changes, log_values, round_trip, two};

/// Each follower's fetcher runs until it has sent one fetch.
fn pump(brokers: &mut [ReplicaManager], fetchers: &mut [Option<ReplicaFetcher>], at: i64) {
    for (id, f) in fetchers.iter_mut().enumerate() {
        let Some(f) = f.as_mut() else {
            continue;
        };
        let leader = f.leader_id as usize;
        for _ in 0..4 {
            let (follower, leader_rm) = two(brokers, id, leader);
            match round_trip(f, follower, leader_rm, at) {
                None | Some(true) => break,
                Some(false) => {}
            }
        }
    }
}

/// LeaderAndIsr for `test-0` on `replicas` from controller 0 (epoch 1).
fn request_for(
    replicas: &[i32],
    leader: i32,
    leader_epoch: i32,
    isr: Vec<i32>,
    zk_version: i32,
    is_new: bool,
) -> LeaderAndIsrRequest {
    LeaderAndIsrRequest {
        controller_id: 0,
        controller_epoch: 1,
        broker_epoch: 0,
        partition_states: vec![PartitionState {
            partition: tp(),
            controller_epoch: 1,
            leader,
            leader_epoch,
            isr,
            zk_version,
            replicas: replicas.to_vec(),
            adding_replicas: vec![],
            removing_replicas: vec![],
            is_new,
        }],
        live_leaders: vec![],
    }
}

fn leader_and_isr(
    leader: i32,
    leader_epoch: i32,
    isr: Vec<i32>,
    zk_version: i32,
) -> LeaderAndIsrRequest {
    request_for(&[0, 1, 2], leader, leader_epoch, isr, zk_version, false)
}

fn values(b: &mut ReplicaManager) -> Vec<String> {
    log_values(b).into_values().collect()
}

#[test]
fn fetchers_replicate_and_acks_all_completes() {
    for release in [Release::V0_8_0, Release::V2_8_2] {
        let mut brokers = cluster(release, 1);
        let mut fetchers: Vec<Option<ReplicaFetcher>> = vec![None, None, None];
        apply_fetcher_changes(release, &mut brokers, &mut fetchers);
        assert!(fetchers[0].is_none() && fetchers[1].is_some() && fetchers[2].is_some());
        let sent = [(tp(), records(release, &["a", "b"]))];
        assert_eq!(
            brokers[0].append_records(1, -1, 30_000, &sent, T0 + 1),
            ProduceResult::Delayed
        );
        for t in 2..5 {
            pump(&mut brokers, &mut fetchers, T0 + t);
        }
        let done = completed_produce(&mut brokers[0]);
        assert_eq!(done.len(), 1, "{release:?}");
        for (id, b) in brokers.iter_mut().enumerate() {
            assert_eq!(values(b), ["a", "b"], "{release:?} broker {id}");
        }
    }
}

/// Negative control (b) of the issue: acks=1, the leader dies before its
/// followers fetch, a follower is elected — the acknowledged records are
/// gone, in both releases, and every replica agrees on what is left.
#[test]
fn acks_one_loses_acknowledged_records_when_the_leader_dies_first() {
    for release in [Release::V0_8_0, Release::V2_8_2] {
        let mut brokers = cluster(release, 1);
        let mut fetchers: Vec<Option<ReplicaFetcher>> = vec![None, None, None];
        apply_fetcher_changes(release, &mut brokers, &mut fetchers);
        pump(&mut brokers, &mut fetchers, T0 + 1);
        let sent = [(tp(), records(release, &["acked-1", "acked-2"]))];
        let ProduceResult::Now(r) = brokers[0].append_records(1, 1, 30_000, &sent, T0 + 2) else {
            panic!()
        };
        assert_eq!(produced(&r), (Errors::None, 0), "{release:?}: acknowledged");
        // Broker 0 dies before anyone fetches; the controller elects 1 (epoch 1).
        let elect = leader_and_isr(1, 1, vec![1, 2], 1);
        for id in [1, 2] {
            brokers[id].become_leader_or_follower(&elect, 2, T0 + 10_000);
        }
        let _ = brokers[0].take_fetcher_changes();
        fetchers = vec![None, None, None];
        apply_fetcher_changes(release, &mut brokers, &mut fetchers);
        let sent = [(tp(), records(release, &["after"]))];
        let ProduceResult::Now(_) = brokers[1].append_records(2, 1, 30_000, &sent, T0 + 10_001)
        else {
            panic!()
        };
        // Broker 0 restarts and follows 1.
        let rejoin = leader_and_isr(1, 2, vec![1, 2], 2);
        for b in brokers.iter_mut() {
            b.become_leader_or_follower(&rejoin, 3, T0 + 20_000);
        }
        fetchers = vec![None, None, None];
        apply_fetcher_changes(release, &mut brokers, &mut fetchers);
        for t in 1..6 {
            pump(&mut brokers, &mut fetchers, T0 + 20_000 + t);
        }
        for (id, b) in brokers.iter_mut().enumerate() {
            assert_eq!(
                values(b),
                ["after"],
                "{release:?} broker {id}: the acked records are lost"
            );
        }
    }
}

/// KIP-101's first scenario. A follower restarts (here: takes a new leader
/// epoch) right after fetching a record the leader then acknowledged with
/// acks=all, before it learned the new high watermark; then the leader dies
/// and the follower is elected. 0.8.0 truncated the follower to its high
/// watermark and loses the acknowledged record; 2.8.2 asks the leader where
/// the epoch ends and keeps it.
#[test]
fn high_watermark_truncation_loses_an_acknowledged_record_in_0_8_0_only() {
    for release in [Release::V0_8_0, Release::V2_8_2] {
        let state = |leader: i32, epoch: i32, isr: Vec<i32>| {
            request_for(&[0, 1], leader, epoch, isr, epoch, epoch == 0)
        };
        let mut brokers: Vec<ReplicaManager> = (0..2).map(|id| broker(release, id, 1)).collect();
        for b in brokers.iter_mut() {
            b.become_leader_or_follower(&state(0, 0, vec![0, 1]), 1, T0);
        }
        let mut fetchers: Vec<Option<ReplicaFetcher>> = vec![None, None];
        apply_fetcher_changes(release, &mut brokers, &mut fetchers);
        pump(&mut brokers, &mut fetchers, T0 + 1);
        let m1 = [(tp(), records(release, &["m1"]))];
        assert_eq!(
            brokers[0].append_records(1, -1, 30_000, &m1, T0 + 2),
            ProduceResult::Delayed
        );
        pump(&mut brokers, &mut fetchers, T0 + 3);
        pump(&mut brokers, &mut fetchers, T0 + 4);
        assert_eq!(
            completed_produce(&mut brokers[0]).len(),
            1,
            "{release:?}: m1 acknowledged"
        );
        let m2 = [(tp(), records(release, &["m2"]))];
        assert_eq!(
            brokers[0].append_records(2, -1, 30_000, &m2, T0 + 5),
            ProduceResult::Delayed
        );
        pump(&mut brokers, &mut fetchers, T0 + 6);
        assert_eq!(brokers[1].partition(&tp()).unwrap().high_watermark(), 1);
        // The follower's next fetch reaches the leader, but its answer is lost.
        let _lost = brokers[0].fetch_messages(9, &fetch_request(1, 2), 4, T0 + 7);
        let done = completed_produce(&mut brokers[0]);
        assert_eq!(
            produced(&done[0].1),
            (Errors::None, 1),
            "{release:?}: m2 acknowledged with acks=all"
        );
        // A new leader epoch reaches both; the follower truncates its own way.
        for b in brokers.iter_mut() {
            b.become_leader_or_follower(&state(0, 1, vec![0, 1]), 2, T0 + 8);
        }
        fetchers = vec![None, None];
        apply_fetcher_changes(release, &mut brokers, &mut fetchers);
        if let Some(f) = fetchers[1].as_mut() {
            let (follower, leader) = two(&mut brokers, 1, 0);
            if let Some(FetcherRequest::OffsetsForLeaderEpoch(r)) = f.next_request(follower, T0 + 9)
            {
                let answer = leader.last_offset_for_leader_epoch(&r);
                f.on_epoch_response(&answer, follower, T0 + 9);
            }
        }
        // The leader dies; the follower, in the ISR, is elected.
        brokers[1].become_leader_or_follower(&state(1, 2, vec![1]), 3, T0 + 10);
        let expected: &[&str] = match release {
            Release::V0_8_0 => &["m1"],
            Release::V2_8_2 => &["m1", "m2"],
        };
        assert_eq!(values(&mut brokers[1]), expected, "{release:?}");
    }
}

/// A 2.8.2 broker stores record batches (magic 2) and down-converts them for
/// an old consumer's fetch: v0–v1 get message format v0, v2–v3 get v1; zstd
/// cannot be read below Fetch v10.
#[test]
fn old_fetch_versions_get_old_message_formats() {
    let mut b = broker(Release::V2_8_2, 0, 1);
    b.become_leader_or_follower(&leader_and_isr(0, 0, vec![0], 0), 1, T0);
    let sent = [(tp(), records(Release::V2_8_2, &["x", "y"]))];
    let ProduceResult::Now(_) = b.append_records(1, 1, 30_000, &sent, T0 + 1) else {
        panic!()
    };
    for (version, magic) in [(0, 0u8), (1, 0), (2, 1), (3, 1), (4, 2), (11, 2)] {
        let answer =
            now(b.fetch_messages(2, &fetch_request(CONSUMER_REPLICA_ID, 0), version, T0 + 2));
        let data = &answer.partitions[0].1;
        assert_eq!(data.error, Errors::None);
        let records = protocol::Records::new(data.records.clone());
        let magics: Vec<u8> = records
            .batches()
            .map(|b| b.unwrap().magic() as u8)
            .collect();
        assert!(!magics.is_empty());
        assert!(
            magics.iter().all(|m| *m == magic),
            "Fetch v{version}: {magics:?}"
        );
    }
    let mut zstd = RecordsBuilder::new(BatchOptions::new(Magic::V2, CompressionType::Zstd));
    zstd.append(T0, None, Some(b"z"), vec![]);
    let sent = [(tp(), zstd.build().unwrap())];
    let ProduceResult::Now(_) = b.append_records(3, 1, 30_000, &sent, T0 + 3) else {
        panic!()
    };
    let answer = now(b.fetch_messages(4, &fetch_request(CONSUMER_REPLICA_ID, 2), 9, T0 + 4));
    assert_eq!(
        answer.partitions[0].1.error,
        Errors::UnsupportedCompressionType
    );
    let answer = now(b.fetch_messages(5, &fetch_request(CONSUMER_REPLICA_ID, 2), 10, T0 + 4));
    assert_eq!(answer.partitions[0].1.error, Errors::None);
}
