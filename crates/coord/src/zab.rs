//! Zab, the atomic broadcast between a leader and its followers: the
//! quorum packets of the quorum port, how a leader brings a follower in
//! step (`DIFF`, `TRUNC` or `SNAP`, as `LearnerHandler` chooses), and how
//! proposals collect acknowledgements until a majority commits them in
//! zxid order.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use sim::Payload;

use crate::server::Submission;
use crate::txn::{Txn, TxnHeader};

/// How many committed proposals a server keeps in memory to send as a
/// `DIFF` (`ZKDatabase.commitLogCount`).
pub(crate) const COMMIT_LOG_COUNT: usize = 500;

/// The epoch part of a zxid.
pub fn epoch_of(zxid: i64) -> i64 {
    ((zxid as u64) >> 32) as i64
}

/// `ZxidUtils.makeZxid`.
pub fn make_zxid(epoch: i64, counter: i64) -> i64 {
    (epoch << 32) | (counter & 0xffff_ffff)
}

/// A packet on the quorum port (`QuorumPacket`, by type).
#[derive(Clone, Debug)]
pub enum QuorumPacket {
    /// A follower introduces itself: its id, and its last zxid (3.3) or
    /// its accepted epoch as a zxid (3.5).
    FollowerInfo {
        sid: i64,
        zxid: i64,
    },
    /// 3.5: the epoch the leader proposes.
    LeaderInfo {
        zxid: i64,
    },
    /// 3.5: the follower accepted the epoch; its last zxid and current epoch.
    AckEpoch {
        zxid: i64,
        current_epoch: i64,
    },
    Diff {
        zxid: i64,
    },
    Trunc {
        zxid: i64,
    },
    /// The leader's whole database, as a snapshot file's bytes.
    Snap {
        zxid: i64,
        snapshot: Vec<u8>,
    },
    NewLeader {
        zxid: i64,
    },
    UpToDate,
    Proposal {
        header: TxnHeader,
        txn: Txn,
    },
    Ack {
        zxid: i64,
    },
    Commit {
        zxid: i64,
    },
    /// A change a follower's client asked for, forwarded to the leader.
    Request(Submission),
    /// Leader to follower: are you there? Follower to leader: yes, and
    /// these sessions were heard from (id, timeout).
    Ping {
        sessions: Vec<(i64, i32)>,
    },
    /// A follower's sync went through the leader's pipeline.
    Sync {
        session: i64,
        cxid: i32,
        path: String,
    },
}

impl Payload for QuorumPacket {
    fn summary(&self) -> String {
        match self {
            QuorumPacket::FollowerInfo { sid, zxid } => {
                format!("FOLLOWERINFO sid {sid} 0x{zxid:x}")
            }
            QuorumPacket::LeaderInfo { zxid } => format!("LEADERINFO 0x{zxid:x}"),
            QuorumPacket::AckEpoch {
                zxid,
                current_epoch,
            } => {
                format!("ACKEPOCH 0x{zxid:x} epoch {current_epoch}")
            }
            QuorumPacket::Diff { zxid } => format!("DIFF 0x{zxid:x}"),
            QuorumPacket::Trunc { zxid } => format!("TRUNC 0x{zxid:x}"),
            QuorumPacket::Snap { zxid, snapshot } => {
                format!("SNAP 0x{zxid:x} ({} bytes)", snapshot.len())
            }
            QuorumPacket::NewLeader { zxid } => format!("NEWLEADER 0x{zxid:x}"),
            QuorumPacket::UpToDate => "UPTODATE".to_owned(),
            QuorumPacket::Proposal { header, .. } => format!("PROPOSAL 0x{:x}", header.zxid),
            QuorumPacket::Ack { zxid } => format!("ACK 0x{zxid:x}"),
            QuorumPacket::Commit { zxid } => format!("COMMIT 0x{zxid:x}"),
            QuorumPacket::Request(sub) => {
                format!("REQUEST session 0x{:x} cxid {}", sub.session, sub.cxid)
            }
            QuorumPacket::Ping { sessions } => format!("PING ({} sessions)", sessions.len()),
            QuorumPacket::Sync { session, .. } => format!("SYNC session 0x{session:x}"),
        }
    }
}

/// `ZKDatabase.committedLog`: the last committed transactions, for DIFFs.
#[derive(Clone, Debug, Default)]
pub(crate) struct CommittedLog {
    entries: VecDeque<(TxnHeader, Txn)>,
}

impl CommittedLog {
    pub(crate) fn add(&mut self, header: &TxnHeader, txn: &Txn) {
        if let Some((last, _)) = self.entries.back() {
            assert!(header.zxid > last.zxid, "committed in zxid order");
        }
        if self.entries.len() == COMMIT_LOG_COUNT {
            self.entries.pop_front();
        }
        self.entries.push_back((header.clone(), txn.clone()));
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }

    pub(crate) fn min(&self) -> i64 {
        self.entries.front().map_or(0, |(h, _)| h.zxid)
    }

    pub(crate) fn max(&self) -> i64 {
        self.entries.back().map_or(0, |(h, _)| h.zxid)
    }
}

/// How the leader brings a follower in step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SyncPlan {
    /// Send these committed transactions (maybe none).
    Diff {
        zxid: i64,
        txns: Vec<(TxnHeader, Txn)>,
    },
    /// The follower drops what it has after `zxid`, then gets the rest.
    Trunc {
        zxid: i64,
        txns: Vec<(TxnHeader, Txn)>,
    },
    /// The whole database.
    Snap,
}

/// `LearnerHandler`'s choice for a follower whose last zxid is `peer`,
/// when the leader's database ends at `leader_last`.
pub(crate) fn plan_sync(log: &CommittedLog, peer: i64, leader_last: i64) -> SyncPlan {
    if peer == leader_last {
        return SyncPlan::Diff {
            zxid: peer,
            txns: Vec::new(),
        };
    }
    if log.entries.is_empty() {
        return SyncPlan::Snap;
    }
    if peer > log.max() {
        // The follower has transactions this leader never committed.
        return SyncPlan::Trunc {
            zxid: log.max(),
            txns: Vec::new(),
        };
    }
    if peer < log.min() {
        return SyncPlan::Snap;
    }
    // Within the log: the follower's last zxid is one of ours, or it has a
    // proposal we do not (then it truncates to the one before).
    let mut previous = log.min();
    let mut txns = Vec::new();
    for (header, txn) in &log.entries {
        if header.zxid <= peer {
            previous = header.zxid;
        } else {
            txns.push((header.clone(), txn.clone()));
        }
    }
    if previous < peer {
        SyncPlan::Trunc {
            zxid: previous,
            txns,
        }
    } else {
        SyncPlan::Diff {
            zxid: log.max(),
            txns,
        }
    }
}

/// A proposal waiting for its quorum.
#[derive(Clone, Debug)]
pub(crate) struct Proposal {
    pub(crate) header: TxnHeader,
    pub(crate) txn: Txn,
    pub(crate) acks: BTreeSet<i64>,
}

/// The leader's outstanding proposals, committed strictly in zxid order
/// once a majority of the voters has logged them.
#[derive(Clone, Debug)]
pub(crate) struct Proposals {
    voters: usize,
    outstanding: BTreeMap<i64, Proposal>,
    pub(crate) last_committed: i64,
}

impl Proposals {
    pub(crate) fn new(voters: usize, last_committed: i64) -> Proposals {
        Proposals {
            voters,
            outstanding: BTreeMap::new(),
            last_committed,
        }
    }

    pub(crate) fn propose(&mut self, header: &TxnHeader, txn: &Txn) {
        assert!(header.zxid > self.last_committed);
        if let Some((&last, _)) = self.outstanding.last_key_value() {
            assert!(header.zxid > last, "proposals in zxid order");
        }
        self.outstanding.insert(
            header.zxid,
            Proposal {
                header: header.clone(),
                txn: txn.clone(),
                acks: BTreeSet::new(),
            },
        );
    }

    /// The proposals not yet committed, oldest first (a learner that joins gets them).
    pub(crate) fn outstanding(&self) -> Vec<(TxnHeader, Txn)> {
        self.outstanding
            .values()
            .map(|p| (p.header.clone(), p.txn.clone()))
            .collect()
    }

    /// The newest outstanding proposal's zxid.
    pub(crate) fn last(&self) -> Option<i64> {
        self.outstanding.last_key_value().map(|(z, _)| *z)
    }

    /// `processAck`: the proposals this ack lets commit, in order.
    pub(crate) fn ack(&mut self, sid: i64, zxid: i64) -> Vec<Proposal> {
        if let Some(p) = self.outstanding.get_mut(&zxid) {
            p.acks.insert(sid);
        }
        let mut committed = Vec::new();
        while let Some(entry) = self.outstanding.first_entry() {
            if entry.get().acks.len() <= self.voters / 2 {
                break;
            }
            let p = entry.remove();
            self.last_committed = p.header.zxid;
            committed.push(p);
        }
        committed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(zxid: i64) -> TxnHeader {
        TxnHeader {
            session: 1,
            cxid: 0,
            zxid,
            time: 0,
        }
    }

    fn log_of(zxids: &[i64]) -> CommittedLog {
        let mut log = CommittedLog::default();
        for z in zxids {
            log.add(&header(*z), &Txn::CloseSession);
        }
        log
    }

    #[test]
    fn sync_plans() {
        let e1 = make_zxid(1, 0);
        let log = log_of(&[e1 + 1, e1 + 2, e1 + 3]);
        assert_eq!(
            plan_sync(&log, e1 + 3, e1 + 3),
            SyncPlan::Diff {
                zxid: e1 + 3,
                txns: vec![]
            }
        );
        match plan_sync(&log, e1 + 1, e1 + 3) {
            SyncPlan::Diff { zxid, txns } => {
                assert_eq!(zxid, e1 + 3);
                assert_eq!(
                    txns.iter().map(|(h, _)| h.zxid).collect::<Vec<_>>(),
                    vec![e1 + 2, e1 + 3]
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            plan_sync(&log, e1 + 9, e1 + 3),
            SyncPlan::Trunc {
                zxid: e1 + 3,
                txns: vec![]
            }
        );
        assert_eq!(plan_sync(&log, 0, e1 + 3), SyncPlan::Snap, "too far behind");
        assert_eq!(plan_sync(&CommittedLog::default(), 5, 7), SyncPlan::Snap);
        // The follower logged 0x100000002' that this leader (epoch 2) never had.
        let e2 = make_zxid(2, 0);
        let log = log_of(&[e1 + 1, e2 + 1]);
        match plan_sync(&log, e1 + 2, e2 + 1) {
            SyncPlan::Trunc { zxid, txns } => {
                assert_eq!(zxid, e1 + 1);
                assert_eq!(txns.len(), 1);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn proposals_commit_in_order_on_a_majority() {
        let mut p = Proposals::new(3, 0);
        p.propose(&header(1), &Txn::CloseSession);
        p.propose(&header(2), &Txn::CloseSession);
        assert!(p.ack(1, 2).is_empty(), "one ack of three");
        assert!(p.ack(2, 2).is_empty(), "2 has its quorum but 1 has not");
        assert!(p.ack(1, 1).is_empty());
        let done: Vec<i64> = p.ack(3, 1).iter().map(|x| x.header.zxid).collect();
        assert_eq!(done, vec![1, 2]);
        assert_eq!(p.last_committed, 2);
        assert!(p.last().is_none());
    }

    #[test]
    fn the_committed_log_keeps_the_last_500() {
        let zxids: Vec<i64> = (1..=600).collect();
        let log = log_of(&zxids);
        assert_eq!(log.min(), 101);
        assert_eq!(log.max(), 600);
    }
}
