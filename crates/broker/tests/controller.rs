//! The controller's decisions for the events of chapter 4: a topic is
//! created, a broker dies and comes back, a broker shuts down under control,
//! the preferred replicas lead again, a 2.8.2 leader changes its ISR.

use std::collections::BTreeSet;

use broker::controller::{ControllerContext, Decisions, ZkWrite};
use broker::election::LeaderAndIsr;
use distribution::Release;
use kafka_api::requests::LiveBroker;
use kafka_api::{Errors, TopicPartition};

fn broker(id: i32) -> LiveBroker {
    broker::replication_check::live_broker(id)
}

fn tp(p: i32) -> TopicPartition {
    TopicPartition::new("test", p)
}

/// A controller on broker 0 with brokers 0, 1, 2 and `test` created with
/// partition 0 on [0, 1] and partition 1 on [1, 2].
fn cluster(release: Release) -> (ControllerContext, Decisions) {
    let mut c = ControllerContext {
        controller_id: 0,
        epoch: 1,
        ..ControllerContext::default()
    };
    for id in 0..3 {
        c.live_brokers.insert(id, broker(id));
    }
    c.assignment.insert(tp(0), vec![0, 1]);
    c.assignment.insert(tp(1), vec![1, 2]);
    let d = c.on_new_partitions(release, &[tp(0), tp(1)]);
    (c, d)
}

fn state(c: &ControllerContext, p: i32) -> (i32, i32, Vec<i32>) {
    let l = &c.leadership[&tp(p)].leader_and_isr;
    (l.leader, l.leader_epoch, l.isr.clone())
}

#[test]
fn a_new_topic_is_led_by_its_first_replica_with_every_replica_in_sync() {
    for release in [Release::V0_8_0, Release::V2_8_2] {
        let (c, d) = cluster(release);
        assert_eq!(state(&c, 0), (0, 0, vec![0, 1]));
        assert_eq!(state(&c, 1), (1, 0, vec![1, 2]));
        assert!(
            matches!(&d.zk_writes[0], ZkWrite::CreateState { partition, state } if *partition == tp(0) && state.controller_epoch == 1)
        );
        let to: Vec<i32> = d.leader_and_isr.keys().copied().collect();
        assert_eq!(to, [0, 1, 2], "each replica hears of its partitions");
        assert_eq!(d.leader_and_isr[&1].len(), 2);
        assert!(d.leader_and_isr[&1].iter().all(|s| s.is_new));
        let (brokers, states) = d.update_metadata.clone().unwrap();
        assert_eq!(brokers, BTreeSet::from([0, 1, 2]));
        assert_eq!(states.len(), 2);
    }
}

#[test]
fn when_a_leader_dies_an_in_sync_follower_takes_over_and_the_epoch_goes_up() {
    for release in [Release::V0_8_0, Release::V2_8_2] {
        let (mut c, _) = cluster(release);
        let d = c.on_broker_failure(release, &[1], false);
        // Partition 1 was led by 1: 2 leads now, alone in the ISR.
        assert_eq!(state(&c, 1), (2, 1, vec![2]), "{release:?}");
        // Partition 0 was led by 0: 1 leaves its ISR, the epoch goes up.
        assert_eq!(state(&c, 0), (0, 1, vec![0]), "{release:?}");
        assert!(d
            .zk_writes
            .iter()
            .all(|w| matches!(w, ZkWrite::UpdateState { .. })));
        assert!(
            !d.leader_and_isr.contains_key(&1),
            "nothing is sent to the dead broker"
        );
        assert_eq!(d.update_metadata.unwrap().0, BTreeSet::from([0, 2]));
    }
}

#[test]
fn when_the_last_in_sync_replica_dies_each_release_does_its_own_thing() {
    // Partition 1's ISR has shrunk to its leader 1; then 1 dies; 2 is alive.
    for release in [Release::V0_8_0, Release::V2_8_2] {
        let (mut c, _) = cluster(release);
        let shrunk = LeaderAndIsr {
            leader: 1,
            leader_epoch: 0,
            isr: vec![1],
            zk_version: 1,
        };
        c.state_read(
            &tp(1),
            broker::controller::LeaderIsrAndControllerEpoch {
                leader_and_isr: shrunk,
                controller_epoch: 1,
            },
        );
        let d = c.on_broker_failure(release, &[1], false);
        match release {
            Release::V0_8_0 => {
                // 0.8.0 always takes a live out-of-sync replica: data may be lost.
                assert_eq!(state(&c, 1), (2, 1, vec![2]));
                assert!(d
                    .lines
                    .iter()
                    .any(|l| l.message.contains("There's potential data loss.")));
            }
            Release::V2_8_2 => {
                // No unclean election: no leader, and the ISR keeps its last member.
                assert_eq!(state(&c, 1), (-1, 1, vec![1]));
                assert!(
                    d.lines.iter().any(|l| l.message.contains(
                        "Failed to elect leader for partition test-1 under strategy OfflinePartitionLeaderElectionStrategy(false)"
                    )),
                    "{:?}",
                    d.lines
                );
                // When 1 comes back, it is the ISR: it leads again.
                let d = c.on_broker_startup(release, &[broker(1)], false);
                assert_eq!(state(&c, 1), (1, 2, vec![1]));
                assert!(d.leader_and_isr.contains_key(&1));
            }
        }
    }
}

#[test]
fn a_controlled_shutdown_moves_leadership_first() {
    for release in [Release::V0_8_0, Release::V2_8_2] {
        let (mut c, _) = cluster(release);
        let (d, remaining) = c.on_controlled_shutdown(release, 1);
        assert!(remaining.is_empty(), "{release:?}: {remaining:?}");
        assert_eq!(state(&c, 1), (2, 1, vec![2]), "{release:?}");
        assert_eq!(
            state(&c, 0).2,
            vec![0],
            "{release:?}: it left partition 0's ISR"
        );
        assert_eq!(d.stop_replica[&1][0].partition, tp(0));
        assert!(!d.stop_replica[&1][0].delete);
    }
}

#[test]
fn the_preferred_replica_leads_again_once_back_in_sync() {
    let release = Release::V2_8_2;
    let (mut c, _) = cluster(release);
    c.on_broker_failure(release, &[0], false);
    assert_eq!(state(&c, 0), (1, 1, vec![1]));
    c.on_broker_startup(release, &[broker(0)], false);
    // 0 catches up and its leader adds it to the ISR (AlterIsr).
    let proposed = LeaderAndIsr {
        leader: 1,
        leader_epoch: 1,
        isr: vec![1, 0],
        zk_version: c.leadership[&tp(0)].leader_and_isr.zk_version,
    };
    let (accepted, d) = c.on_alter_isr(&tp(0), 1, &proposed).unwrap();
    assert_eq!(accepted.isr, vec![1, 0]);
    assert_eq!(accepted.zk_version, proposed.zk_version + 1);
    assert_eq!(d.zk_writes.len(), 1);
    assert_eq!(
        c.on_alter_isr(&tp(0), 1, &proposed).unwrap_err(),
        Errors::InvalidUpdateVersion,
        "a stale version is refused"
    );
    c.on_preferred_replica_election(release, &[tp(0)]);
    assert_eq!(state(&c, 0), (0, 2, vec![1, 0]));
}

#[test]
fn state_writes_carry_each_releases_json() {
    let (_, d) = cluster(Release::V0_8_0);
    assert_eq!(
        d.zk_writes[0].path(),
        "/brokers/topics/test/partitions/0/state"
    );
    assert_eq!(
        String::from_utf8(d.zk_writes[0].data(Release::V0_8_0)).unwrap(),
        r#"{ "controller_epoch":1, "isr":[ 0, 1 ], "leader":0, "leader_epoch":0, "version":1 }"#
    );
    let (_, d) = cluster(Release::V2_8_2);
    assert_eq!(
        String::from_utf8(d.zk_writes[0].data(Release::V2_8_2)).unwrap(),
        r#"{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0,"isr":[0,1]}"#
    );
}
