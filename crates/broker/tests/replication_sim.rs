//! Replication under random faults over many seeds (see
//! `broker::replication_check`): 2.8.2 with acks=all, `min.insync.replicas=2`
//! and unclean election off loses no acknowledged record and its replicas
//! never diverge; 0.8.0 loses acknowledged records in some seeds, as Kafka
//! 0.8 did.

use broker::replication_check::run;
use distribution::Release;

/// 1,000 seeds, or `BROKER_SEEDS` of them for a longer sweep
/// (`BROKER_SEEDS=5000 cargo test --release -p broker --test replication_sim`).
fn seeds() -> std::ops::Range<u64> {
    let n = std::env::var("BROKER_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    0..n
}

#[test]
fn acks_all_with_min_isr_two_loses_nothing_in_2_8_2() {
    let mut acked = 0;
    for seed in seeds() {
        let r = run(Release::V2_8_2, seed, false);
        assert_eq!(
            r.lost, 0,
            "seed {seed}: {} of {} acknowledged records lost",
            r.lost, r.acked
        );
        assert_eq!(
            r.diverged, 0,
            "seed {seed}: replicas disagree below the high watermark"
        );
        acked += r.acked;
    }
    assert!(
        acked > 1_000,
        "the workload ran: {acked} records acknowledged"
    );
}

#[test]
fn kafka_0_8_loses_acknowledged_records_in_some_seeds() {
    let (mut lost, mut seeds_with_loss, mut acked, mut diverged) = (0, 0, 0, 0);
    for seed in seeds() {
        let r = run(Release::V0_8_0, seed, false);
        lost += r.lost;
        acked += r.acked;
        seeds_with_loss += usize::from(r.lost > 0);
        diverged += r.diverged;
    }
    eprintln!("0.8.0: {seeds_with_loss} seeds lost {lost} of {acked} acknowledged records; {diverged} replicas diverged");
    assert!(
        acked > 1_000,
        "the workload ran: {acked} records acknowledged"
    );
    assert!(
        seeds_with_loss > 0,
        "0.8.0's unclean elections lose data in some seeds ({lost} lost)"
    );
}
