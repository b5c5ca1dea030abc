//! Partition leader election, as each release's controller chooses: which
//! replica leads a partition and what its ISR becomes when the partition is
//! new, its leader went offline, the preferred replica should lead again, or
//! its leader shuts down under control. 0.8.0's selectors
//! (`PartitionLeaderSelector.scala`) take the first live replica *in ISR
//! order* and always fall back to an out-of-sync replica; 2.8.2's
//! `PartitionLeaderElectionAlgorithms` take the first *in assignment order*
//! and fall back only with `unclean.leader.election.enable`.

use std::collections::BTreeSet;

use distribution::Release;

use crate::scala;

/// A partition's leader, leader epoch, ISR and the version of its state znode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderAndIsr {
    pub leader: i32,
    pub leader_epoch: i32,
    pub isr: Vec<i32>,
    pub zk_version: i32,
}

impl LeaderAndIsr {
    /// `LeaderAndIsr.NoLeader`.
    pub const NO_LEADER: i32 = -1;

    /// A new partition's first state: its first live replica leads, every live
    /// replica is in sync, epoch 0.
    pub fn initial(live_replicas: &[i32]) -> Option<LeaderAndIsr> {
        let leader = *live_replicas.first()?;
        Some(LeaderAndIsr {
            leader,
            leader_epoch: 0,
            isr: live_replicas.to_vec(),
            zk_version: 0,
        })
    }

    /// A new leader and ISR one epoch later. 0.8.0's selectors also bump the
    /// znode version they expect; 2.8.2 keeps it until the write returns.
    fn next(&self, release: Release, leader: i32, isr: Vec<i32>) -> LeaderAndIsr {
        LeaderAndIsr {
            leader,
            leader_epoch: self.leader_epoch + 1,
            isr,
            zk_version: match release {
                Release::V0_8_0 => self.zk_version + 1,
                Release::V2_8_2 => self.zk_version,
            },
        }
    }
}

/// What an election is for (2.8.2's `PartitionLeaderElectionStrategy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    Offline { allow_unclean: bool },
    PreferredReplica,
    ControlledShutdown,
}

/// The outcome of one election.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Elected {
    /// The new state, and whether it took an out-of-sync replica (data may be lost).
    Leader { state: LeaderAndIsr, unclean: bool },
    /// No replica can lead; the reason in the release's words.
    Failed(String),
}

/// The cluster as the controller sees it for one partition.
#[derive(Clone, Debug)]
pub struct Candidates<'a> {
    /// `[topic,partition]` (0.8.0) or `topic-partition` (2.8.2), for messages.
    pub partition: &'a str,
    /// The replicas in assignment order; the first is the preferred leader.
    pub assignment: &'a [i32],
    pub current: &'a LeaderAndIsr,
    /// Brokers that are alive, not counting those shutting down.
    pub live: &'a BTreeSet<i32>,
    pub shutting_down: &'a BTreeSet<i32>,
}

/// Elects a leader for a partition that has one already in ZooKeeper.
pub fn elect(release: Release, strategy: Strategy, c: &Candidates<'_>) -> Elected {
    match (release, strategy) {
        (Release::V0_8_0, Strategy::Offline { .. }) => offline_0_8_0(c),
        (Release::V2_8_2, Strategy::Offline { allow_unclean }) => offline_2_8_2(c, allow_unclean),
        (_, Strategy::PreferredReplica) => preferred(release, c),
        (_, Strategy::ControlledShutdown) => controlled_shutdown(release, c),
    }
}

fn offline_0_8_0(c: &Candidates<'_>) -> Elected {
    let live_assigned: Vec<i32> = c
        .assignment
        .iter()
        .copied()
        .filter(|r| c.live.contains(r))
        .collect();
    let live_isr: Vec<i32> = c
        .current
        .isr
        .iter()
        .copied()
        .filter(|r| c.live.contains(r))
        .collect();
    match (live_isr.first(), live_assigned.first()) {
        (Some(&leader), _) => Elected::Leader {
            state: c.current.next(Release::V0_8_0, leader, live_isr),
            unclean: false,
        },
        (None, Some(&leader)) => Elected::Leader {
            state: c.current.next(Release::V0_8_0, leader, vec![leader]),
            unclean: true,
        },
        (None, None) => Elected::Failed(format!(
            "No replica for partition {} is alive. Live brokers are: [{}], Assigned replicas are: [{}]",
            c.partition,
            scala::set(c.live),
            scala::list(c.assignment)
        )),
    }
}

fn offline_2_8_2(c: &Candidates<'_>, allow_unclean: bool) -> Elected {
    let online = |r: &i32| c.live.contains(r);
    let clean = c
        .assignment
        .iter()
        .copied()
        .find(|r| online(r) && c.current.isr.contains(r));
    let (leader, unclean) = match clean {
        Some(l) => (l, false),
        None if allow_unclean => match c.assignment.iter().copied().find(online) {
            Some(l) => (l, true),
            None => return failed_2_8_2(c, "OfflinePartitionLeaderElectionStrategy(true)"),
        },
        None => return failed_2_8_2(c, "OfflinePartitionLeaderElectionStrategy(false)"),
    };
    let isr = if c.current.isr.contains(&leader) {
        c.current.isr.iter().copied().filter(online).collect()
    } else {
        vec![leader]
    };
    Elected::Leader {
        state: c.current.next(Release::V2_8_2, leader, isr),
        unclean,
    }
}

fn preferred(release: Release, c: &Candidates<'_>) -> Elected {
    let Some(&preferred) = c.assignment.first() else {
        return Elected::Failed(format!(
            "Partition {} has no replicas assigned",
            c.partition
        ));
    };
    let eligible = c.live.contains(&preferred) && c.current.isr.contains(&preferred);
    match release {
        Release::V0_8_0 if c.current.leader == preferred => Elected::Failed(format!(
            "Preferred replica {preferred} is already the current leader for partition {}",
            c.partition
        )),
        Release::V0_8_0 if !eligible => Elected::Failed(format!(
            "Preferred replica {preferred} for partition {} is either not alive or not in the isr. Current leader and ISR: [{}]",
            c.partition,
            leader_and_isr_0_8_0(c.current)
        )),
        Release::V2_8_2 if !eligible => failed_2_8_2(c, "PreferredReplicaPartitionLeaderElectionStrategy"),
        _ => Elected::Leader {
            state: c.current.next(release, preferred, c.current.isr.clone()),
            unclean: false,
        },
    }
}

fn controlled_shutdown(release: Release, c: &Candidates<'_>) -> Elected {
    let not_shutting_down = |r: &i32| !c.shutting_down.contains(r);
    match release {
        Release::V0_8_0 => {
            let isr: Vec<i32> = c
                .current
                .isr
                .iter()
                .copied()
                .filter(|r| *r != c.current.leader && not_shutting_down(r))
                .collect();
            match isr.first() {
                Some(&leader) => Elected::Leader {
                    state: c.current.next(release, leader, isr),
                    unclean: false,
                },
                None => Elected::Failed(format!(
                    "No other replicas in ISR {} for {} besides current leader {} and shutting down brokers {}",
                    scala::join(&c.current.isr),
                    c.partition,
                    c.current.leader,
                    scala::join(&c.shutting_down.iter().copied().collect::<Vec<_>>())
                )),
            }
        }
        Release::V2_8_2 => {
            let live_or_shutting_down = |r: &i32| c.live.contains(r) || c.shutting_down.contains(r);
            let leader = c.assignment.iter().copied().find(|r| {
                live_or_shutting_down(r) && c.current.isr.contains(r) && not_shutting_down(r)
            });
            match leader {
                Some(leader) => {
                    let isr = c
                        .current
                        .isr
                        .iter()
                        .copied()
                        .filter(not_shutting_down)
                        .collect();
                    Elected::Leader {
                        state: c.current.next(release, leader, isr),
                        unclean: false,
                    }
                }
                None => failed_2_8_2(c, "ControlledShutdownPartitionLeaderElectionStrategy"),
            }
        }
    }
}

fn failed_2_8_2(c: &Candidates<'_>, strategy: &str) -> Elected {
    Elected::Failed(format!(
        "Failed to elect leader for partition {} under strategy {strategy}",
        c.partition
    ))
}

/// `LeaderAndIsr.toString` of 0.8.0, as its messages embed it.
pub fn leader_and_isr_0_8_0(s: &LeaderAndIsr) -> String {
    format!(
        "{{\"leader\":{},\"leader_epoch\":{},\"isr\":{}}}",
        s.leader,
        s.leader_epoch,
        scala::join(&s.isr)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(leader: i32, isr: &[i32]) -> LeaderAndIsr {
        LeaderAndIsr {
            leader,
            leader_epoch: 3,
            isr: isr.to_vec(),
            zk_version: 7,
        }
    }

    fn set(ids: &[i32]) -> BTreeSet<i32> {
        ids.iter().copied().collect()
    }

    fn run(
        release: Release,
        strategy: Strategy,
        assignment: &[i32],
        current: &LeaderAndIsr,
        live: &[i32],
    ) -> Elected {
        let live = set(live);
        let none = BTreeSet::new();
        elect(
            release,
            strategy,
            &Candidates {
                partition: "t-0",
                assignment,
                current,
                live: &live,
                shutting_down: &none,
            },
        )
    }

    #[test]
    fn offline_election_follows_isr_order_in_0_8_0_and_assignment_order_in_2_8_2() {
        // Assignment [1, 2, 3], ISR [3, 2] (the ISR grew back in another order), 1 is dead.
        let current = state(1, &[3, 2]);
        let offline = Strategy::Offline {
            allow_unclean: false,
        };
        let Elected::Leader {
            state: old,
            unclean,
        } = run(Release::V0_8_0, offline, &[1, 2, 3], &current, &[2, 3])
        else {
            panic!()
        };
        assert_eq!(
            (old.leader, old.isr.clone(), unclean),
            (3, vec![3, 2], false)
        );
        assert_eq!((old.leader_epoch, old.zk_version), (4, 8));
        let Elected::Leader { state: new, .. } =
            run(Release::V2_8_2, offline, &[1, 2, 3], &current, &[2, 3])
        else {
            panic!()
        };
        assert_eq!(
            (new.leader, new.isr, new.leader_epoch, new.zk_version),
            (2, vec![3, 2], 4, 7)
        );
    }

    #[test]
    fn an_out_of_sync_replica_leads_only_where_unclean_election_is_allowed() {
        // The ISR shrank to the leader, and the leader died: only 2 is alive.
        let current = state(1, &[1]);
        let Elected::Leader { state, unclean } = run(
            Release::V0_8_0,
            Strategy::Offline {
                allow_unclean: false,
            },
            &[1, 2],
            &current,
            &[2],
        ) else {
            panic!("0.8.0 always elects an out-of-sync replica")
        };
        assert!(unclean);
        assert_eq!((state.leader, state.isr), (2, vec![2]));
        assert_eq!(
            run(Release::V2_8_2, Strategy::Offline { allow_unclean: false }, &[1, 2], &current, &[2]),
            Elected::Failed(
                "Failed to elect leader for partition t-0 under strategy OfflinePartitionLeaderElectionStrategy(false)".into()
            )
        );
        let Elected::Leader { unclean, .. } = run(
            Release::V2_8_2,
            Strategy::Offline {
                allow_unclean: true,
            },
            &[1, 2],
            &current,
            &[2],
        ) else {
            panic!()
        };
        assert!(unclean);
        assert_eq!(
            run(Release::V0_8_0, Strategy::Offline { allow_unclean: true }, &[1, 2], &current, &[]),
            Elected::Failed(
                "No replica for partition t-0 is alive. Live brokers are: [Set()], Assigned replicas are: [List(1, 2)]".into()
            )
        );
    }

    #[test]
    fn the_preferred_replica_leads_again_when_alive_and_in_sync() {
        let current = state(2, &[2, 1]);
        for release in [Release::V0_8_0, Release::V2_8_2] {
            let Elected::Leader { state, .. } = run(
                release,
                Strategy::PreferredReplica,
                &[1, 2],
                &current,
                &[1, 2],
            ) else {
                panic!()
            };
            assert_eq!((state.leader, state.isr), (1, vec![2, 1]));
        }
        let out_of_sync = state(2, &[2]);
        assert_eq!(
            run(Release::V0_8_0, Strategy::PreferredReplica, &[1, 2], &out_of_sync, &[1, 2]),
            Elected::Failed("Preferred replica 1 for partition t-0 is either not alive or not in the isr. Current leader and ISR: [{\"leader\":2,\"leader_epoch\":3,\"isr\":2}]".into())
        );
    }

    #[test]
    fn controlled_shutdown_moves_leadership_off_the_stopping_broker() {
        let current = state(1, &[1, 2, 3]);
        let live = set(&[2, 3]);
        let stopping = set(&[1]);
        for release in [Release::V0_8_0, Release::V2_8_2] {
            let got = elect(
                release,
                Strategy::ControlledShutdown,
                &Candidates {
                    partition: "t-0",
                    assignment: &[1, 2, 3],
                    current: &current,
                    live: &live,
                    shutting_down: &stopping,
                },
            );
            let Elected::Leader { state, .. } = got else {
                panic!("{got:?}")
            };
            assert_eq!((state.leader, state.isr), (2, vec![2, 3]));
        }
        let alone = state(1, &[1]);
        let got = elect(
            Release::V0_8_0,
            Strategy::ControlledShutdown,
            &Candidates {
                partition: "[t,0]",
                assignment: &[1, 2],
                current: &alone,
                live: &live,
                shutting_down: &stopping,
            },
        );
        assert_eq!(
            got,
            Elected::Failed("No other replicas in ISR 1 for [t,0] besides current leader 1 and shutting down brokers 1".into())
        );
    }
}
