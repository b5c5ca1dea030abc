//! The partition's rules per release, and a property: the high watermark
//! never goes back and never passes what every in-sync replica has.

use distribution::Release;
use kafka_api::requests::PartitionState;
use kafka_api::{Errors, TopicPartition};
use proptest::prelude::*;

use super::*;
use crate::election::LeaderAndIsr;

const LAG_MS: i64 = 10_000;
/// Virtual time starts at a real epoch millisecond, as the world's does.
const T: i64 = 1_380_585_600_000;

fn settings(release: Release) -> ReplicaSettings {
    ReplicaSettings {
        replica_lag_time_max_ms: LAG_MS,
        replica_lag_max_messages: (release == Release::V0_8_0).then_some(4000),
    }
}

fn leader_state(isr: &[i32]) -> PartitionState {
    PartitionState {
        partition: TopicPartition::new("t", 0),
        controller_epoch: 1,
        leader: 0,
        leader_epoch: 0,
        isr: isr.to_vec(),
        zk_version: 0,
        replicas: vec![0, 1, 2],
        adding_replicas: vec![],
        removing_replicas: vec![],
        is_new: true,
    }
}

fn leader(release: Release, isr: &[i32]) -> Partition {
    let mut p = Partition::new(
        release,
        TopicPartition::new("t", 0),
        0,
        settings(release),
        0,
        0,
    );
    p.make_leader(&leader_state(isr), T);
    p
}

#[test]
fn the_high_watermark_waits_for_every_in_sync_replica() {
    for release in [Release::V0_8_0, Release::V2_8_2] {
        let mut p = leader(release, &[0, 1, 2]);
        p.leader_appended(10, T + 1);
        assert_eq!(p.high_watermark(), 0, "{release:?}");
        p.follower_fetched(1, 10, T + 2);
        assert_eq!(
            p.high_watermark(),
            0,
            "{release:?}: replica 2 has nothing yet"
        );
        assert_eq!(
            p.check_enough_replicas_reach_offset(10, -1, 1),
            (false, Errors::None)
        );
        let out = p.follower_fetched(2, 7, T + 3);
        assert!(out.high_watermark_changed);
        assert_eq!(p.high_watermark(), 7, "{release:?}");
        p.follower_fetched(2, 10, T + 4);
        assert_eq!(p.high_watermark(), 10);
        assert_eq!(
            p.check_enough_replicas_reach_offset(10, -1, 1),
            (true, Errors::None)
        );
    }
}

#[test]
fn a_follower_that_stops_fetching_leaves_the_isr_after_the_lag_time() {
    // 2.8.2: the leader asks the controller and waits for its answer.
    let mut p = leader(Release::V2_8_2, &[0, 1, 2]);
    p.follower_fetched(1, 0, T + 1);
    p.follower_fetched(2, 0, T + 1);
    p.leader_appended(5, T + 2);
    p.follower_fetched(1, 5, T + 3);
    assert!(p.maybe_shrink_isr(T + LAG_MS).lines.is_empty(), "not yet");
    let out = p.maybe_shrink_isr(T + LAG_MS + 1_000);
    assert_eq!(
        out.lines[0].message,
        "[Partition t-0 broker=0] Shrinking ISR from 0,1,2 to 0,1. Leader: (highWatermark: 0, endOffset: 5). Out of sync replicas: (brokerId: 2, endOffset: 0)."
    );
    let Some(IsrUpdate::AlterIsr { state, .. }) = out.isr_update else {
        panic!("{out:?}")
    };
    assert_eq!(state.isr, vec![0, 1]);
    // Pending: the old ISR still holds the HW back.
    assert_eq!(p.high_watermark(), 0);
    let out = p.alter_isr_answered(
        Ok(LeaderAndIsr {
            zk_version: 1,
            ..state
        }),
        T + LAG_MS + 1_100,
    );
    assert_eq!(
        out.lines[0].message,
        "[Partition t-0 broker=0] ISR updated to 0,1 and version updated to [1]"
    );
    assert_eq!(p.isr(), [0, 1]);
    assert_eq!(p.high_watermark(), 5);

    // 0.8.0: the leader writes the state znode itself.
    let mut p = leader(Release::V0_8_0, &[0, 1, 2]);
    p.follower_fetched(1, 0, T + 1);
    p.follower_fetched(2, 0, T + 1);
    p.leader_appended(5, T + 2);
    p.follower_fetched(1, 5, T + 3);
    let out = p.maybe_shrink_isr(T + LAG_MS + 1_000);
    assert_eq!(
        out.lines[0].message,
        "Partition [t,0] on broker 0: Shrinking ISR for partition [t,0] from 0,1,2 to 0,1"
    );
    let Some(IsrUpdate::WriteState { state, .. }) = out.isr_update else {
        panic!()
    };
    p.isr_written(&state, Some(1), T + LAG_MS + 1_000);
    assert_eq!(p.high_watermark(), 5);
}

#[test]
fn a_slow_follower_leaves_the_isr_by_messages_in_0_8_0() {
    let mut p = leader(Release::V0_8_0, &[0, 1]);
    p.follower_fetched(1, 0, T + 1);
    p.leader_appended(4001, T + 2);
    p.follower_fetched(1, 0, T + 3);
    assert_eq!(
        p.out_of_sync_replicas(T + 4),
        vec![1],
        "4001 messages behind, though it fetches"
    );
}

#[test]
fn a_follower_that_reaches_the_high_watermark_joins_the_isr() {
    let mut p = leader(Release::V2_8_2, &[0]);
    p.leader_appended(3, T + 1);
    assert_eq!(
        p.high_watermark(),
        3,
        "alone in the ISR, the leader moves the HW"
    );
    let out = p.follower_fetched(1, 2, T + 2);
    assert!(out.isr_update.is_none(), "below the HW");
    let out = p.follower_fetched(1, 3, T + 3);
    let Some(IsrUpdate::AlterIsr { state, .. }) = out.isr_update else {
        panic!()
    };
    assert_eq!(state.isr, vec![0, 1]);
    assert_eq!(p.isr_state().maximal(), vec![0, 1]);

    let mut p = leader(Release::V0_8_0, &[0]);
    p.leader_appended(3, T + 1);
    let out = p.follower_fetched(1, 3, T + 2);
    assert_eq!(
        out.lines[0].message,
        "Partition [t,0] on broker 0: Expanding ISR for partition [t,0] from 0 to 0,1"
    );
}

#[test]
fn acks_all_needs_min_insync_replicas_in_2_8_2_only() {
    let p = leader(Release::V2_8_2, &[0]);
    assert_eq!(
        p.check_append(-1, 2),
        Err((
            Errors::NotEnoughReplicas,
            "The size of the current ISR Set(0) is insufficient to satisfy the min.isr requirement of 2 for partition t-0".into()
        ))
    );
    assert_eq!(p.check_append(1, 2), Ok(()));
    assert_eq!(
        p.check_enough_replicas_reach_offset(0, -1, 2),
        (true, Errors::NotEnoughReplicasAfterAppend)
    );
    let old = leader(Release::V0_8_0, &[0]);
    assert_eq!(
        old.check_append(-1, 2),
        Ok(()),
        "0.8.0 has no min.insync.replicas"
    );
    let mut p = leader(Release::V0_8_0, &[0, 1, 2]);
    p.leader_appended(5, T + 1);
    p.follower_fetched(1, 5, T + 2);
    assert_eq!(
        p.check_enough_replicas_reach_offset(5, 2, 1),
        (true, Errors::None),
        "acks=2: leader and one follower"
    );
    assert_eq!(
        p.check_enough_replicas_reach_offset(5, -1, 1),
        (false, Errors::None)
    );
}

#[test]
fn a_follower_is_not_a_leader() {
    let mut p = Partition::new(
        Release::V0_8_0,
        TopicPartition::new("t", 0),
        1,
        settings(Release::V0_8_0),
        7,
        9,
    );
    let (changed, truncate) = p.make_follower(&leader_state(&[0, 1]));
    assert!(changed);
    assert_eq!(truncate, Some(7), "0.8.0 truncates to its high watermark");
    assert_eq!(
        p.check_append(1, 1),
        Err((
            Errors::NotLeaderOrFollower,
            "Leader not local for partition [t,0] on broker 1".into()
        ))
    );
}

#[derive(Clone, Debug)]
enum Step {
    Append(u8),
    Fetch {
        follower: u8,
        up_to_end: bool,
        time: u16,
    },
    Tick(u16),
    Answer,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1u8..20).prop_map(Step::Append),
        (1u8..3, any::<bool>(), 0u16..3000).prop_map(|(follower, up_to_end, time)| Step::Fetch {
            follower,
            up_to_end,
            time
        }),
        (0u16..20_000).prop_map(Step::Tick),
        Just(Step::Answer),
    ]
}

proptest! {
    #[test]
    fn the_high_watermark_never_goes_back_nor_past_an_in_sync_replica(
        old in any::<bool>(),
        steps in prop::collection::vec(step(), 1..80),
    ) {
        let release = if old { Release::V0_8_0 } else { Release::V2_8_2 };
        let mut p = leader(release, &[0, 1, 2]);
        let mut now = T;
        let mut leo = 0i64;
        let mut fetched = [0i64; 3];
        let mut pending: Option<IsrUpdate> = None;
        for s in steps {
            let before = p.high_watermark();
            let out = match s {
                Step::Append(n) => {
                    leo += i64::from(n);
                    p.leader_appended(leo, now)
                }
                Step::Fetch { follower, up_to_end, time } => {
                    now += i64::from(time);
                    let f = usize::from(follower);
                    if up_to_end {
                        fetched[f] = leo;
                    }
                    p.follower_fetched(i32::from(follower), fetched[f], now)
                }
                Step::Tick(time) => {
                    now += i64::from(time);
                    p.maybe_shrink_isr(now)
                }
                Step::Answer => match pending.take() {
                    Some(IsrUpdate::AlterIsr { mut state, .. }) => {
                        state.zk_version += 1;
                        p.alter_isr_answered(Ok(state), now)
                    }
                    Some(IsrUpdate::WriteState { state, .. }) => {
                        let version = state.zk_version + 1;
                        p.isr_written(&state, Some(version), now)
                    }
                    None => Outcome::default(),
                },
            };
            if out.isr_update.is_some() {
                pending = out.isr_update;
            }
            prop_assert!(p.high_watermark() >= before, "HW went back");
            prop_assert!(p.high_watermark() <= leo);
            for &id in p.isr() {
                if id != 0 {
                    prop_assert!(
                        p.high_watermark() <= fetched[id as usize].max(before),
                        "HW {} passed in-sync replica {id} at {}", p.high_watermark(), fetched[id as usize]
                    );
                }
            }
            prop_assert!(p.isr().contains(&0), "the leader stays in its ISR");
        }
    }
}
