//! `FastLeaderElection`: how the servers of an ensemble agree on a leader.
//! A pure state machine: notifications in, notifications to send and the
//! decision out; the peer ([`crate::quorum`]) carries them over the
//! election port. Votes are ordered as each release orders them — 3.3 by
//! (zxid, server id), 3.5 by (epoch, zxid, server id) — and an election
//! ends once a quorum agrees and no better vote arrives for `finalizeWait`.

use std::collections::{BTreeMap, BTreeSet};

use sim::Payload;

use crate::ZkVersion;

/// `finalizeWait`: how long a settled election waits for a better vote.
pub(crate) const FINALIZE_WAIT_MS: u64 = 200;
/// `maxNotificationInterval`: the longest wait between re-sent notifications.
pub(crate) const MAX_NOTIFICATION_INTERVAL_MS: u64 = 60_000;

/// `QuorumPeer.ServerState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ServerState {
    Looking,
    Following,
    Leading,
}

impl ServerState {
    pub fn name(self) -> &'static str {
        match self {
            ServerState::Looking => "LOOKING",
            ServerState::Following => "FOLLOWING",
            ServerState::Leading => "LEADING",
        }
    }
}

/// A vote: who should lead, with what it has seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vote {
    pub leader: i64,
    pub zxid: i64,
    /// The election round (`logicalclock`) it was cast in.
    pub election_epoch: i64,
    /// The proposed leader's `currentEpoch` (3.5; 3.3 has none and sends 0).
    pub peer_epoch: i64,
    pub state: ServerState,
}

/// What one server tells another on the election port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub state: ServerState,
    pub leader: i64,
    pub zxid: i64,
    pub election_epoch: i64,
    pub peer_epoch: i64,
    /// Who sent it (from the connection's handshake).
    pub sid: i64,
}

impl Payload for Notification {
    fn summary(&self) -> String {
        format!(
            "notification from {}: leader {} zxid 0x{:x} round {} {}",
            self.sid,
            self.leader,
            self.zxid,
            self.election_epoch,
            self.state.name()
        )
    }
}

impl Notification {
    pub(crate) fn vote(&self) -> Vote {
        Vote {
            leader: self.leader,
            zxid: self.zxid,
            election_epoch: self.election_epoch,
            peer_epoch: self.peer_epoch,
            state: self.state,
        }
    }

    /// The line `WorkerReceiver` logs for every notification it reads.
    pub(crate) fn log_line(&self, version: ZkVersion, my_state: ServerState) -> String {
        match version {
            ZkVersion::V3_3 => format!(
                "Notification: {} (n.leader), {} (n.zxid), {} (n.round), {} (n.state), {} (n.sid), {} (my state)",
                self.leader,
                self.zxid,
                self.election_epoch,
                self.state.name(),
                self.sid,
                my_state.name()
            ),
            ZkVersion::V3_5 => format!(
                "Notification: 2 (message format version), {} (n.leader), 0x{:x} (n.zxid), 0x{:x} (n.round), {} (n.state), {} (n.sid), 0x{:x} (n.peerEPoch), {} (my state)0 (n.config version)",
                self.leader,
                self.zxid,
                self.election_epoch,
                self.state.name(),
                self.sid,
                self.peer_epoch,
                my_state.name()
            ),
        }
    }
}

/// `Vote.equals`, as each release compares the votes it counts.
fn same_vote(version: ZkVersion, a: &Vote, b: &Vote) -> bool {
    match version {
        ZkVersion::V3_3 => {
            a.leader == b.leader && a.zxid == b.zxid && a.election_epoch == b.election_epoch
        }
        ZkVersion::V3_5 => {
            if a.state == ServerState::Looking || b.state == ServerState::Looking {
                a.leader == b.leader
                    && a.zxid == b.zxid
                    && a.election_epoch == b.election_epoch
                    && a.peer_epoch == b.peer_epoch
            } else {
                a.leader == b.leader && a.peer_epoch == b.peer_epoch
            }
        }
    }
}

/// (leader, zxid, epoch) a server proposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Proposal {
    pub(crate) leader: i64,
    pub(crate) zxid: i64,
    pub(crate) epoch: i64,
}

/// What the election asks of the peer.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Keep waiting (for the next notification or the poll timeout).
    Wait,
    /// Wait `finalizeWait` for a better vote, then decide.
    Finalize,
    /// The election is over.
    Decided(Vote),
}

/// One server's `FastLeaderElection` (its `logicalclock` lives on across elections).
#[derive(Debug)]
pub(crate) struct Election {
    version: ZkVersion,
    myid: i64,
    voters: BTreeSet<i64>,
    pub(crate) logicalclock: i64,
    init: Proposal,
    pub(crate) proposal: Proposal,
    recvset: BTreeMap<i64, Vote>,
    outofelection: BTreeMap<i64, Vote>,
    /// The current poll timeout.
    pub(crate) not_timeout_ms: u64,
    /// A quorum agrees; waiting `finalizeWait` for anything better.
    pub(crate) finalizing: bool,
    /// Notifications to send: (to, notification).
    pub(crate) outbox: Vec<(i64, Notification)>,
    /// Lines to log: (level, message).
    pub(crate) logs: Vec<(&'static str, String)>,
}

impl Election {
    pub(crate) fn new(version: ZkVersion, myid: i64, voters: BTreeSet<i64>) -> Election {
        let none = Proposal {
            leader: myid,
            zxid: 0,
            epoch: 0,
        };
        Election {
            version,
            myid,
            voters,
            logicalclock: 0,
            init: none,
            proposal: none,
            recvset: BTreeMap::new(),
            outofelection: BTreeMap::new(),
            not_timeout_ms: FINALIZE_WAIT_MS,
            finalizing: false,
            outbox: Vec::new(),
            logs: Vec::new(),
        }
    }

    /// `lookForLeader` begins: a new round, voting for itself.
    pub(crate) fn start(&mut self, last_logged_zxid: i64, current_epoch: i64) {
        assert!(self.voters.contains(&self.myid), "a voter elects");
        self.logicalclock += 1;
        self.init = Proposal {
            leader: self.myid,
            zxid: last_logged_zxid,
            epoch: match self.version {
                ZkVersion::V3_3 => 0,
                ZkVersion::V3_5 => current_epoch,
            },
        };
        self.proposal = self.init;
        self.recvset.clear();
        self.outofelection.clear();
        self.not_timeout_ms = FINALIZE_WAIT_MS;
        self.finalizing = false;
        let line = match self.version {
            ZkVersion::V3_3 => format!(
                "New election. My id =  {}, Proposed zxid = {}",
                self.myid, last_logged_zxid
            ),
            ZkVersion::V3_5 => format!(
                "New election. My id =  {}, proposed zxid=0x{:x}",
                self.myid, last_logged_zxid
            ),
        };
        self.logs.push(("INFO", line));
        self.send_notifications();
    }

    /// Its current proposal, as a LOOKING notification to `to`.
    pub(crate) fn proposal_for(&self, to: i64) -> (i64, Notification) {
        (
            to,
            Notification {
                state: ServerState::Looking,
                leader: self.proposal.leader,
                zxid: self.proposal.zxid,
                election_epoch: self.logicalclock,
                peer_epoch: self.proposal.epoch,
                sid: self.myid,
            },
        )
    }

    fn send_notifications(&mut self) {
        let voters: Vec<i64> = self.voters.iter().copied().collect();
        for sid in voters {
            let message = self.proposal_for(sid);
            self.outbox.push(message);
        }
    }

    /// `totalOrderPredicate`: whether the new vote beats the current one.
    fn better(&self, new: Proposal, cur: Proposal) -> bool {
        if !self.voters.contains(&new.leader) {
            return false;
        }
        match self.version {
            ZkVersion::V3_3 => {
                new.zxid > cur.zxid || (new.zxid == cur.zxid && new.leader > cur.leader)
            }
            ZkVersion::V3_5 => {
                new.epoch > cur.epoch
                    || (new.epoch == cur.epoch
                        && (new.zxid > cur.zxid
                            || (new.zxid == cur.zxid && new.leader > cur.leader)))
            }
        }
    }

    /// `termPredicate`: a quorum of the votes equals `vote`.
    fn quorum_agrees(&self, votes: &BTreeMap<i64, Vote>, vote: &Vote) -> bool {
        let agreeing = votes
            .iter()
            .filter(|(sid, v)| self.voters.contains(sid) && same_vote(self.version, v, vote))
            .count();
        agreeing > self.voters.len() / 2
    }

    /// `checkLeader`: the leader others follow says it leads (or it is us, this round).
    fn leader_confirmed(&self, leader: i64, election_epoch: i64) -> bool {
        if leader != self.myid {
            self.outofelection
                .get(&leader)
                .is_some_and(|v| v.state == ServerState::Leading)
        } else {
            self.version == ZkVersion::V3_3 || self.logicalclock == election_epoch
        }
    }

    fn decided(&self, leader: i64, zxid: i64, epoch: i64) -> Step {
        Step::Decided(Vote {
            leader,
            zxid,
            election_epoch: self.logicalclock,
            peer_epoch: epoch,
            state: if leader == self.myid {
                ServerState::Leading
            } else {
                ServerState::Following
            },
        })
    }

    /// The poll timed out: re-send (doubling the wait), or end a finalizing election.
    pub(crate) fn poll_timeout(&mut self) -> Step {
        if self.finalizing {
            self.finalizing = false;
            let p = self.proposal;
            return self.decided(p.leader, p.zxid, p.epoch);
        }
        self.send_notifications();
        self.not_timeout_ms = (self.not_timeout_ms * 2).min(MAX_NOTIFICATION_INTERVAL_MS);
        self.logs.push((
            "INFO",
            format!("Notification time out: {}", self.not_timeout_ms),
        ));
        Step::Wait
    }

    /// One notification taken from the queue while LOOKING.
    pub(crate) fn receive(&mut self, n: &Notification) -> Step {
        if !self.voters.contains(&n.sid) || !self.voters.contains(&n.leader) {
            if self.version == ZkVersion::V3_5 {
                self.logs.push((
                    "WARN",
                    format!(
                        "Ignoring notification for sid {} from non-quorum member sid {}",
                        n.leader, n.sid
                    ),
                ));
            }
            return if self.finalizing {
                Step::Finalize
            } else {
                Step::Wait
            };
        }
        let theirs = Proposal {
            leader: n.leader,
            zxid: n.zxid,
            epoch: match self.version {
                ZkVersion::V3_3 => 0,
                ZkVersion::V3_5 => n.peer_epoch,
            },
        };
        if self.finalizing {
            // Waiting out finalizeWait: only a better vote reopens the election.
            if !(n.state == ServerState::Looking && self.better(theirs, self.proposal)) {
                return Step::Finalize;
            }
            self.finalizing = false;
        }
        match n.state {
            ServerState::Looking => self.receive_looking(n, theirs),
            ServerState::Following | ServerState::Leading => self.receive_settled(n),
        }
    }

    fn receive_looking(&mut self, n: &Notification, theirs: Proposal) -> Step {
        if n.election_epoch > self.logicalclock {
            self.logicalclock = n.election_epoch;
            self.recvset.clear();
            self.proposal = if self.better(theirs, self.init) {
                theirs
            } else {
                self.init
            };
            self.send_notifications();
        } else if n.election_epoch < self.logicalclock {
            return Step::Wait;
        } else if self.better(theirs, self.proposal) {
            if self.version == ZkVersion::V3_3 {
                self.logs.push(("INFO", "Updating proposal".to_owned()));
            }
            self.proposal = theirs;
            self.send_notifications();
        }
        self.recvset.insert(
            n.sid,
            Vote {
                state: ServerState::Looking,
                ..n.vote()
            },
        );
        let p = self.proposal;
        // 3.3 ends as soon as every voter was heard from, with its own proposal.
        if self.version == ZkVersion::V3_3 && self.recvset.len() == self.voters.len() {
            return self.decided(p.leader, p.zxid, p.epoch);
        }
        let mine = Vote {
            leader: p.leader,
            zxid: p.zxid,
            election_epoch: self.logicalclock,
            peer_epoch: p.epoch,
            state: ServerState::Looking,
        };
        if self.quorum_agrees(&self.recvset, &mine) {
            self.finalizing = true;
            return Step::Finalize;
        }
        Step::Wait
    }

    /// A notification from a server that already follows or leads.
    fn receive_settled(&mut self, n: &Notification) -> Step {
        let vote = n.vote();
        if n.election_epoch == self.logicalclock {
            self.recvset.insert(
                n.sid,
                Vote {
                    state: ServerState::Looking,
                    ..vote
                },
            );
            let agreed = self.quorum_agrees(&self.recvset, &vote)
                && self.leader_confirmed(n.leader, n.election_epoch);
            let leads_now = self.version == ZkVersion::V3_3 && n.state == ServerState::Leading;
            if agreed || leads_now {
                return self.decided(n.leader, n.zxid, n.peer_epoch);
            }
        }
        self.outofelection.insert(n.sid, vote);
        if self.quorum_agrees(&self.outofelection, &vote)
            && self.leader_confirmed(n.leader, n.election_epoch)
        {
            self.logicalclock = n.election_epoch;
            return self.decided(n.leader, n.zxid, n.peer_epoch);
        }
        if self.finalizing {
            Step::Finalize
        } else {
            Step::Wait
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voters() -> BTreeSet<i64> {
        [1, 2, 3].into_iter().collect()
    }

    fn looking(sid: i64, leader: i64, zxid: i64, round: i64, epoch: i64) -> Notification {
        Notification {
            state: ServerState::Looking,
            leader,
            zxid,
            election_epoch: round,
            peer_epoch: epoch,
            sid,
        }
    }

    #[test]
    fn the_highest_zxid_wins_then_the_highest_id() {
        let mut e = Election::new(ZkVersion::V3_5, 1, voters());
        e.start(0x100000005, 1);
        assert_eq!(
            e.outbox.len(),
            3,
            "a notification to every voter, itself too"
        );
        // Server 2 has less; server 3 the same zxid but a higher id.
        assert_eq!(e.receive(&looking(1, 1, 0x100000005, 1, 1)), Step::Wait);
        assert_eq!(e.receive(&looking(2, 2, 0x100000003, 1, 1)), Step::Wait);
        assert_eq!(e.proposal.leader, 1);
        assert_eq!(e.receive(&looking(3, 3, 0x100000005, 1, 1)), Step::Wait);
        assert_eq!(e.proposal.leader, 3, "same zxid: the higher id");
        // Now 2 and 3 vote for 3 as well.
        assert_eq!(e.receive(&looking(3, 3, 0x100000005, 1, 1)), Step::Wait);
        assert_eq!(e.receive(&looking(2, 3, 0x100000005, 1, 1)), Step::Finalize);
        match e.poll_timeout() {
            Step::Decided(v) => {
                assert_eq!(v.leader, 3);
                assert_eq!(v.state, ServerState::Following);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn in_3_5_the_epoch_comes_before_the_zxid() {
        let mut e = Election::new(ZkVersion::V3_5, 3, voters());
        e.start(0x100000009, 1);
        e.receive(&looking(1, 1, 0x200000001, 1, 2));
        assert_eq!(e.proposal.leader, 1, "a newer epoch beats a longer log");
        let mut old = Election::new(ZkVersion::V3_3, 3, voters());
        old.start(0x100000009, 1);
        old.receive(&looking(1, 1, 0x100000001, 1, 0));
        assert_eq!(old.proposal.leader, 3, "3.3 compares zxids only");
    }

    #[test]
    fn a_newer_round_resets_the_votes_and_an_older_one_is_ignored() {
        let mut e = Election::new(ZkVersion::V3_5, 1, voters());
        e.start(0, 0);
        e.receive(&looking(2, 2, 0, 5, 0));
        assert_eq!(e.logicalclock, 5);
        assert_eq!(e.proposal.leader, 2);
        e.outbox.clear();
        assert_eq!(e.receive(&looking(3, 3, 0, 4, 0)), Step::Wait);
        assert_eq!(e.proposal.leader, 2, "a stale round changes nothing");
        assert!(e.outbox.is_empty());
    }

    #[test]
    fn a_late_server_joins_the_leader_a_quorum_follows() {
        let mut e = Election::new(ZkVersion::V3_5, 3, voters());
        e.start(0, 0);
        let settled = |sid, state| Notification {
            state,
            leader: 2,
            zxid: 0,
            election_epoch: 1,
            peer_epoch: 1,
            sid,
        };
        assert_eq!(e.receive(&settled(1, ServerState::Following)), Step::Wait);
        match e.receive(&settled(2, ServerState::Leading)) {
            Step::Decided(v) => {
                assert_eq!(v.leader, 2);
                assert_eq!(v.state, ServerState::Following);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_minority_never_decides_and_backs_off() {
        let mut e = Election::new(ZkVersion::V3_5, 1, voters());
        e.start(0, 0);
        e.receive(&looking(1, 1, 0, 1, 0));
        let mut waits = Vec::new();
        for _ in 0..12 {
            assert_eq!(e.poll_timeout(), Step::Wait);
            waits.push(e.not_timeout_ms);
        }
        assert_eq!(&waits[..3], &[400, 800, 1600]);
        assert_eq!(*waits.last().unwrap(), MAX_NOTIFICATION_INTERVAL_MS);
    }

    #[test]
    fn a_better_vote_reopens_a_finalizing_election() {
        let mut e = Election::new(ZkVersion::V3_5, 2, voters());
        e.start(0, 0);
        e.receive(&looking(2, 2, 0, 1, 0));
        assert_eq!(e.receive(&looking(1, 2, 0, 1, 0)), Step::Finalize);
        assert_eq!(e.receive(&looking(1, 2, 0, 1, 0)), Step::Finalize);
        assert_eq!(e.receive(&looking(3, 3, 0, 1, 0)), Step::Wait);
        assert_eq!(e.proposal.leader, 3);
    }
}
