//! `kplay sim`: the replication model (`broker::replication_check`) over a
//! range of seeds, with what each release promises checked. A failing seed
//! is printed with the command that replays it and its trace.

use broker::replication_check::run;
use distribution::Release;

/// Runs seeds `from..from + seeds`; the exit status is 1 when a promise of
/// the release is broken (2.8.2: no acknowledged record lost, no replicas
/// diverged below the high watermark), else 0.
pub fn main(release: Release, from: u64, seeds: u64, trace: bool) -> i32 {
    let (name, promise) = match release {
        Release::V0_8_0 => (
            "0.8.0",
            "acks=-1, no min ISR, elections may take an out-of-sync replica",
        ),
        Release::V2_8_2 => (
            "2.8.2",
            "acks=all, min.insync.replicas=2, unclean.leader.election.enable=false",
        ),
    };
    println!(
        "Replication model of Kafka {name} ({promise}), seeds {from}..{}",
        from + seeds
    );
    let (mut acked, mut lost, mut diverged, mut seeds_with_loss) = (0usize, 0usize, 0usize, 0usize);
    let mut first_bad = None;
    for seed in from..from + seeds {
        let r = run(release, seed, trace);
        if trace {
            for line in &r.trace {
                println!("seed {seed}: {line}");
            }
        }
        acked += r.acked;
        lost += r.lost;
        diverged += r.diverged;
        if r.lost > 0 || r.diverged > 0 {
            seeds_with_loss += 1;
            first_bad.get_or_insert((seed, r.lost, r.acked, r.diverged));
        }
    }
    println!(
        "{seeds} seeds: {acked} records acknowledged, {lost} lost, {diverged} replicas diverged below the high watermark"
    );
    let Some((seed, seed_lost, seed_acked, seed_diverged)) = first_bad else {
        return 0;
    };
    println!(
        "{seeds_with_loss} seeds lost acknowledged records or diverged; first: seed {seed} ({seed_lost} of {seed_acked} acknowledged records lost, {seed_diverged} replicas diverged)"
    );
    println!("replay: kplay sim --release {name} --from {seed} --seeds 1 --trace");
    match release {
        // Kafka 0.8 promised neither: losing data there is its behaviour.
        Release::V0_8_0 => 0,
        Release::V2_8_2 => 1,
    }
}
