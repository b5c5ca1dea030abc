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
    let request = LeaderAndIsrRequest {
        controller_id: 0,
        controller_epoch: 1,
        broker_epoch: 0,
        partition_states: vec![PartitionState {
            partition: tp(),
            controller_epoch: 1,
            leader: 0,
            leader_epoch: 0,
            isr: vec![0, 1, 2],
            zk_version: 0,
            replicas: vec![0, 1, 2],
            adding_replicas: vec![],
            removing_replicas: vec![],
            is_new: true,
        }],
        live_leaders: vec![],
    };
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
    let request = |isr: Vec<i32>| LeaderAndIsrRequest {
        controller_id: 0,
        controller_epoch: 1,
        broker_epoch: 0,
        partition_states: vec![PartitionState {
            partition: tp(),
            controller_epoch: 1,
            leader: 0,
            leader_epoch: 1,
            isr,
            zk_version: 1,
            replicas: vec![0, 1, 2],
            adding_replicas: vec![],
            removing_replicas: vec![],
            is_new: false,
        }],
        live_leaders: vec![],
    };
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
    let stale = LeaderAndIsrRequest {
        controller_id: 0,
        controller_epoch: 1,
        broker_epoch: 0,
        partition_states: vec![PartitionState {
            partition: tp(),
            controller_epoch: 1,
            leader: 1,
            leader_epoch: 0,
            isr: vec![1],
            zk_version: 0,
            replicas: vec![0, 1, 2],
            adding_replicas: vec![],
            removing_replicas: vec![],
            is_new: false,
        }],
        live_leaders: vec![],
    };
    let answer = brokers[1].become_leader_or_follower(&stale, 2, T0);
    assert_eq!(answer.partitions, [(tp(), Errors::StaleControllerEpoch)]);
    assert!(!brokers[1].partition(&tp()).unwrap().is_leader());
}
