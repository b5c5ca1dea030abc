//! The leader of an ensemble: agrees on a new epoch with its followers
//! (`LearnerHandler`s), brings each up to date (DIFF, TRUNC or SNAP),
//! starts once a quorum acked NEWLEADER, then proposes, commits and pings,
//! and steps down when it no longer hears from a quorum.

use super::*;

/// A learner as its leader's `LearnerHandler` sees it.
#[derive(Debug)]
pub(super) struct LearnerHandler {
    pub(super) sid: Option<i64>,
    pub(super) peer: SocketAddr,
    pub(super) stage: Stage,
    pub(super) peer_last_zxid: i64,
    /// Receives proposals and commits.
    pub(super) forwarding: bool,
    pub(super) tick_of_last_ack: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stage {
    AwaitInfo,
    /// 3.5: LEADERINFO sent.
    AwaitEpochAck,
    /// 3.5: acked the epoch; a quorum has not yet.
    AwaitEpochQuorum,
    AwaitNewLeaderAck,
    /// 3.5: acked NEWLEADER; the leader has not started yet.
    AwaitStart,
    Running,
}

/// A sync waiting for the proposals before it.
#[derive(Debug)]
pub(super) struct PendingSync {
    pub(super) after: i64,
    /// Which learner asked (none: a client of the leader's own).
    pub(super) learner: Option<ConnId>,
    pub(super) session: i64,
    pub(super) cxid: i32,
    pub(super) path: String,
}

#[derive(Debug)]
pub(super) struct Leader {
    pub(super) epoch: Option<i64>,
    pub(super) new_leader_zxid: i64,
    pub(super) learners: BTreeMap<ConnId, LearnerHandler>,
    pub(super) epoch_votes: BTreeMap<i64, i64>,
    pub(super) epoch_acks: BTreeSet<i64>,
    pub(super) epoch_acked: bool,
    pub(super) new_leader_acks: BTreeSet<i64>,
    pub(super) started: bool,
    pub(super) proposals: Proposals,
    pub(super) syncs: Vec<PendingSync>,
    pub(super) deferred: Vec<(Option<ConnId>, Submission)>,
    pub(super) tick: i64,
    pub(super) tick_skip: bool,
    /// When the current wait (epoch, epoch acks, NEWLEADER acks) gives up.
    pub(super) deadline_ms: i64,
}

impl QuorumPeer {
    pub(super) fn lead(&mut self, ctx: &mut Context<'_>) {
        self.core.log(ctx, "INFO", QP, "LEADING");
        self.election_took(ctx, "LEADING");
        let quorum_port = self.core.config().servers[&self.core.myid].quorum_port;
        if ctx.listen(quorum_port).is_err() {
            let t = trace(
                "java.net.BindException: Address already in use (Bind failed)",
                &["java.net.PlainSocketImpl.socketBind(Native Method)"],
            );
            self.core.log_trace(
                ctx,
                "ERROR",
                LEADER,
                &format!("Couldn't bind to port {quorum_port}"),
                &t,
            );
            self.look(ctx);
            return;
        }
        self.core.server.log_created(ctx);
        // `zk.loadData()`: the leader snapshots what it has.
        self.core.server.take_snapshot(ctx);
        let now = Core::now_ms(ctx);
        let last = self.core.server.last_zxid();
        let mut leader = Leader {
            epoch: None,
            new_leader_zxid: 0,
            learners: BTreeMap::new(),
            epoch_votes: BTreeMap::new(),
            epoch_acks: BTreeSet::new(),
            epoch_acked: false,
            new_leader_acks: BTreeSet::new(),
            started: false,
            proposals: Proposals::new(self.core.voters().len(), last),
            syncs: Vec::new(),
            deferred: Vec::new(),
            tick: 0,
            tick_skip: true,
            deadline_ms: now + self.core.init_limit_ms(),
        };
        leader
            .epoch_votes
            .insert(self.core.myid, self.core.accepted_epoch);
        self.role = PeerRole::Leading(leader);
        let half = self.core.tick_ms() / 2;
        self.core.timer(ctx, half, LEADER_TICK);
        if self.core.version == ZkVersion::V3_3 {
            let epoch = epoch_of(last) + 1;
            self.establish_epoch(ctx, epoch);
        }
    }

    pub(super) fn handler(&mut self, conn: ConnId) -> Option<&mut LearnerHandler> {
        match &mut self.role {
            PeerRole::Leading(l) => l.learners.get_mut(&conn),
            _ => None,
        }
    }

    /// The new epoch is known: 3.5 tells the waiting learners (LEADERINFO).
    pub(super) fn establish_epoch(&mut self, ctx: &mut Context<'_>, epoch: i64) {
        let v = self.core.version;
        let myid = self.core.myid;
        let new_leader_zxid = make_zxid(epoch, 0);
        self.core.write_epoch(ctx, "acceptedEpoch", epoch);
        self.core.server.set_next_zxid(new_leader_zxid + 1);
        let now = Core::now_ms(ctx);
        let init = self.core.init_limit_ms();
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        leader.epoch = Some(epoch);
        leader.new_leader_zxid = new_leader_zxid;
        leader.deadline_ms = now + init;
        match v {
            ZkVersion::V3_3 => {
                leader.new_leader_acks.insert(myid);
                self.core.log(
                    ctx,
                    "INFO",
                    LEADER,
                    &format!("NEWLEADER proposal has Zxid of {new_leader_zxid:x}"),
                );
            }
            ZkVersion::V3_5 => {
                leader.epoch_acks.insert(myid);
                let waiting: Vec<ConnId> = leader
                    .learners
                    .iter()
                    .filter(|(_, h)| h.stage == Stage::AwaitInfo && h.sid.is_some())
                    .map(|(c, _)| *c)
                    .collect();
                for conn in waiting {
                    self.send_leader_info(ctx, conn);
                }
            }
        }
    }

    pub(super) fn send_leader_info(&mut self, ctx: &mut Context<'_>, conn: ConnId) {
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        let zxid = leader.new_leader_zxid;
        if let Some(h) = leader.learners.get_mut(&conn) {
            h.stage = Stage::AwaitEpochAck;
            ctx.send(conn, Box::new(QuorumPacket::LeaderInfo { zxid }));
        }
    }

    /// 3.5: a quorum acknowledged the epoch; it becomes current, and the
    /// learners that acknowledged are brought in step.
    pub(super) fn epoch_acked(&mut self, ctx: &mut Context<'_>) {
        let now = Core::now_ms(ctx);
        let init = self.core.init_limit_ms();
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        leader.epoch_acked = true;
        leader.deadline_ms = now + init;
        let epoch = leader.epoch.unwrap_or(0);
        let zxid = leader.new_leader_zxid;
        leader.new_leader_acks.insert(self.core.myid);
        self.core.write_epoch(ctx, "currentEpoch", epoch);
        self.core.vote.peer_epoch = epoch;
        self.core.log(
            ctx,
            "INFO",
            LEADER,
            &format!("NEWLEADER proposal has Zxid of {zxid:x}"),
        );
        let waiting: Vec<ConnId> = match &self.role {
            PeerRole::Leading(l) => l
                .learners
                .iter()
                .filter(|(_, h)| h.stage == Stage::AwaitEpochQuorum)
                .map(|(c, _)| *c)
                .collect(),
            _ => return,
        };
        for conn in waiting {
            self.sync_learner(ctx, conn);
        }
    }

    /// `syncFollower`: DIFF, TRUNC or SNAP, then NEWLEADER; from here on
    /// the learner gets every proposal.
    pub(super) fn sync_learner(&mut self, ctx: &mut Context<'_>, conn: ConnId) {
        let v = self.core.version;
        let leader_last = self.core.server.last_zxid();
        let (min, max) = (self.core.committed.min(), self.core.committed.max());
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        let Some(h) = leader.learners.get(&conn) else {
            return;
        };
        let sid = h.sid.unwrap_or(0);
        let peer = h.peer_last_zxid;
        let new_leader_zxid = leader.new_leader_zxid;
        let outstanding: Vec<(TxnHeader, Txn)> = leader.proposals.outstanding();
        let mut plan = plan_sync(&self.core.committed, peer, leader_last);
        // A learner at the start of an epoch (counter 0) has nothing to truncate.
        if peer & 0xffff_ffff == 0 && matches!(plan, SyncPlan::Trunc { .. }) && peer != 0 {
            plan = SyncPlan::Snap;
        }
        let line = match v {
            ZkVersion::V3_3 => format!("Synchronizing with Follower sid: {sid} maxCommittedLog ={max:x} minCommittedLog = {min:x} peerLastZxid = {peer:x}"),
            ZkVersion::V3_5 => format!("Synchronizing with Follower sid: {sid} maxCommittedLog=0x{max:x} minCommittedLog=0x{min:x} lastProcessedZxid=0x{leader_last:x} peerLastZxid=0x{peer:x}"),
        };
        self.core.log(ctx, "INFO", HANDLER, &line);
        let mut packets = Vec::new();
        if v == ZkVersion::V3_3 {
            packets.push(QuorumPacket::NewLeader {
                zxid: leader_last.max(new_leader_zxid),
            });
        }
        let txns = match plan {
            SyncPlan::Diff { zxid, txns } => {
                let line = match v {
                    ZkVersion::V3_3 => "Sending diff".to_owned(),
                    ZkVersion::V3_5 => format!("Sending DIFF zxid=0x{zxid:x} for peer sid: {sid}"),
                };
                if v == ZkVersion::V3_5 && !txns.is_empty() {
                    self.core.log(
                        ctx,
                        "INFO",
                        HANDLER,
                        &format!("Using committedLog for peer sid: {sid}"),
                    );
                }
                if v == ZkVersion::V3_5 || !txns.is_empty() {
                    self.core.log(ctx, "INFO", HANDLER, &line);
                }
                packets.push(QuorumPacket::Diff { zxid });
                txns
            }
            SyncPlan::Trunc { zxid, txns } => {
                let line = match v {
                    ZkVersion::V3_3 => "Sending TRUNC".to_owned(),
                    ZkVersion::V3_5 => format!("Sending TRUNC zxid=0x{zxid:x} for peer sid: {sid}"),
                };
                self.core.log(ctx, "INFO", HANDLER, &line);
                packets.push(QuorumPacket::Trunc { zxid });
                txns
            }
            SyncPlan::Snap => {
                let line = match v {
                    ZkVersion::V3_3 => format!("Sending snapshot last zxid of peer is 0x{peer:x}  zxid of leader is 0x{:x}sent zxid of db as 0x{leader_last:x}", leader_last.max(new_leader_zxid)),
                    ZkVersion::V3_5 => format!("Sending snapshot last zxid of peer is 0x{peer:x}, zxid of leader is 0x{:x}, send zxid of db as 0x{leader_last:x}, 0 concurrent snapshots, snapshot was exempt from throttle", leader_last.max(new_leader_zxid)),
                };
                self.core.log(ctx, "INFO", HANDLER, &line);
                packets.push(QuorumPacket::Snap {
                    zxid: leader_last,
                    snapshot: self.core.server.snapshot_now(),
                });
                Vec::new()
            }
        };
        for (header, txn) in txns {
            let zxid = header.zxid;
            packets.push(QuorumPacket::Proposal { header, txn });
            packets.push(QuorumPacket::Commit { zxid });
        }
        for (header, txn) in outstanding {
            packets.push(QuorumPacket::Proposal { header, txn });
        }
        match v {
            ZkVersion::V3_3 => packets.push(QuorumPacket::UpToDate),
            ZkVersion::V3_5 => packets.push(QuorumPacket::NewLeader {
                zxid: new_leader_zxid,
            }),
        }
        for p in packets {
            ctx.send(conn, Box::new(p));
        }
        if let Some(h) = self.handler(conn) {
            h.forwarding = true;
            h.stage = Stage::AwaitNewLeaderAck;
        }
    }

    pub(super) fn learner_packet(
        &mut self,
        ctx: &mut Context<'_>,
        conn: ConnId,
        packet: QuorumPacket,
    ) {
        let v = self.core.version;
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        let tick = leader.tick;
        let started = leader.started;
        let new_leader_zxid = leader.new_leader_zxid;
        let Some(h) = leader.learners.get_mut(&conn) else {
            return;
        };
        h.tick_of_last_ack = tick;
        let stage = h.stage;
        let sid = h.sid.unwrap_or(0);
        match packet {
            QuorumPacket::FollowerInfo { sid, zxid } if stage == Stage::AwaitInfo => {
                h.sid = Some(sid);
                h.peer_last_zxid = zxid;
                let info = self.learner_info(ctx, sid);
                self.core.log(
                    ctx,
                    "INFO",
                    HANDLER,
                    &format!("Follower sid: {sid} : info : {info}"),
                );
                match v {
                    ZkVersion::V3_3 => self.sync_learner(ctx, conn),
                    ZkVersion::V3_5 => self.epoch_vote(ctx, conn, sid, epoch_of(zxid)),
                }
            }
            QuorumPacket::AckEpoch { zxid, .. } if stage == Stage::AwaitEpochAck => {
                h.peer_last_zxid = zxid;
                h.stage = Stage::AwaitEpochQuorum;
                let acked = leader.epoch_acked;
                leader.epoch_acks.insert(sid);
                let acks = leader.epoch_acks.clone();
                if acked {
                    self.sync_learner(ctx, conn);
                } else if self.core.is_quorum(&acks) {
                    self.epoch_acked(ctx);
                }
            }
            QuorumPacket::Ack { zxid } if stage == Stage::AwaitNewLeaderAck => {
                if zxid != new_leader_zxid {
                    return;
                }
                h.stage = match (v, started) {
                    (ZkVersion::V3_3, _) | (_, true) => Stage::Running,
                    _ => Stage::AwaitStart,
                };
                if v == ZkVersion::V3_5 && started {
                    ctx.send(conn, Box::new(QuorumPacket::UpToDate));
                }
                leader.new_leader_acks.insert(sid);
                let acks = leader.new_leader_acks.clone();
                if !started && self.core.is_quorum(&acks) {
                    self.leader_start(ctx);
                }
            }
            QuorumPacket::Ack { zxid } => {
                if zxid & 0xffff_ffff == 0 {
                    return;
                }
                let committed = leader.proposals.ack(sid, zxid);
                self.commit(ctx, committed);
            }
            QuorumPacket::Request(sub) => {
                if started {
                    self.leader_submit(ctx, Some(conn), sub);
                } else {
                    leader.deferred.push((Some(conn), sub));
                }
            }
            QuorumPacket::Ping { sessions } => {
                let now = Core::now_ms(ctx);
                for (id, _) in sessions {
                    self.core.server.sessions.touch(id, now);
                }
                self.core.server.schedule_expiry(ctx);
            }
            _ => {}
        }
    }

    /// How `LearnerHandler` prints a learner's `QuorumServer`.
    pub(super) fn learner_info(&self, ctx: &Context<'_>, sid: i64) -> String {
        let Some(s) = self.core.config().servers.get(&sid) else {
            return "null".to_owned();
        };
        match self.core.version {
            // 3.3's QuorumServer has no toString: Object's, with an identity hash.
            ZkVersion::V3_3 => format!(
                "org.apache.zookeeper.server.quorum.QuorumPeer$QuorumServer@{:x}",
                (crate::java::string_hash(&s.host) as u32)
                    .wrapping_mul(31)
                    .wrapping_add(sid as u32)
            ),
            ZkVersion::V3_5 => {
                let ip = ctx
                    .resolve(&s.host)
                    .map(|i| i.to_string())
                    .unwrap_or_default();
                format!(
                    "{}/{ip}:{}:{}:participant",
                    s.host, s.quorum_port, s.election_port
                )
            }
        }
    }

    /// 3.5's `getEpochToPropose`: a quorum's accepted epochs decide the new one.
    pub(super) fn epoch_vote(
        &mut self,
        ctx: &mut Context<'_>,
        conn: ConnId,
        sid: i64,
        accepted: i64,
    ) {
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        if leader.epoch.is_some() {
            self.send_leader_info(ctx, conn);
            return;
        }
        leader.epoch_votes.insert(sid, accepted);
        let sids: BTreeSet<i64> = leader.epoch_votes.keys().copied().collect();
        let epoch = leader.epoch_votes.values().max().copied().unwrap_or(0) + 1;
        if self.core.is_quorum(&sids) {
            self.establish_epoch(ctx, epoch);
        }
    }

    /// A quorum acknowledged NEWLEADER: the leader serves.
    pub(super) fn leader_start(&mut self, ctx: &mut Context<'_>) {
        let v = self.core.version;
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        leader.started = true;
        let zxid = leader.new_leader_zxid;
        let sids: Vec<String> = leader
            .new_leader_acks
            .iter()
            .map(|s| s.to_string())
            .collect();
        let line = match v {
            ZkVersion::V3_3 => format!("Have quorum of supporters; starting up and setting last processed zxid: {zxid}"),
            ZkVersion::V3_5 => format!("Have quorum of supporters, sids: [[{}]]; starting up and setting last processed zxid: 0x{zxid:x}", sids.join(", ")),
        };
        let waiting: Vec<ConnId> = leader
            .learners
            .iter()
            .filter(|(_, h)| h.stage == Stage::AwaitStart)
            .map(|(c, _)| *c)
            .collect();
        for conn in &waiting {
            if let Some(h) = leader.learners.get_mut(conn) {
                h.stage = Stage::Running;
            }
            ctx.send(*conn, Box::new(QuorumPacket::UpToDate));
        }
        let deferred = std::mem::take(&mut leader.deferred);
        self.core.log(ctx, "INFO", LEADER, &line);
        if self.core.server.tree.last_processed_zxid < zxid {
            self.core.server.tree.last_processed_zxid = zxid;
        }
        self.core.server.role = Role::Leader;
        self.core.server.restart_session_deadlines(ctx);
        for (from, sub) in deferred {
            self.leader_submit(ctx, from, sub);
        }
    }

    /// A change from a client of this leader (`from` none) or of a learner:
    /// prepared, logged, proposed; a sync waits for what was proposed before it.
    pub(super) fn leader_submit(
        &mut self,
        ctx: &mut Context<'_>,
        from: Option<ConnId>,
        sub: Submission,
    ) {
        let myid = self.core.myid;
        if let SubmissionKind::Sync { path } = &sub.kind {
            let path = path.clone();
            let PeerRole::Leading(leader) = &mut self.role else {
                return;
            };
            match leader.proposals.last() {
                None => self.answer_sync(ctx, from, sub.session, sub.cxid, &path),
                Some(after) => leader.syncs.push(PendingSync {
                    after,
                    learner: from,
                    session: sub.session,
                    cxid: sub.cxid,
                    path,
                }),
            }
            return;
        }
        let (header, txn) = self.core.server.prepare(ctx, &sub);
        self.core.server.log_txn(ctx, &header, &txn);
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        leader.proposals.propose(&header, &txn);
        for (conn, h) in &leader.learners {
            if h.forwarding {
                ctx.send(
                    *conn,
                    Box::new(QuorumPacket::Proposal {
                        header: header.clone(),
                        txn: txn.clone(),
                    }),
                );
            }
        }
        let committed = leader.proposals.ack(myid, header.zxid);
        self.commit(ctx, committed);
    }

    pub(super) fn answer_sync(
        &mut self,
        ctx: &mut Context<'_>,
        learner: Option<ConnId>,
        session: i64,
        cxid: i32,
        path: &str,
    ) {
        match learner {
            None => self.core.server.sync_done(ctx, session, cxid, path),
            Some(conn) => ctx.send(
                conn,
                Box::new(QuorumPacket::Sync {
                    session,
                    cxid,
                    path: path.to_owned(),
                }),
            ),
        }
    }

    /// Committed proposals go out as COMMITs and apply here; syncs behind them answer.
    pub(super) fn commit(&mut self, ctx: &mut Context<'_>, committed: Vec<crate::zab::Proposal>) {
        for p in committed {
            let PeerRole::Leading(leader) = &mut self.role else {
                return;
            };
            for (conn, h) in &leader.learners {
                if h.forwarding {
                    ctx.send(
                        *conn,
                        Box::new(QuorumPacket::Commit {
                            zxid: p.header.zxid,
                        }),
                    );
                }
            }
            let zxid = p.header.zxid;
            let ready: Vec<PendingSync> = {
                let (ready, rest) = std::mem::take(&mut leader.syncs)
                    .into_iter()
                    .partition(|s| s.after <= zxid);
                leader.syncs = rest;
                ready
            };
            self.core.apply(ctx, &p.header, &p.txn);
            for s in ready {
                self.answer_sync(ctx, s.learner, s.session, s.cxid, &s.path);
            }
        }
    }

    /// Every half tick: pings; every tick, a quorum must have answered within
    /// `syncLimit` (or, before it started, `initLimit` must not have passed).
    pub(super) fn leader_tick(&mut self, ctx: &mut Context<'_>) {
        let v = self.core.version;
        let myid = self.core.myid;
        let sync_limit = self.core.config().sync_limit.unwrap_or(5);
        let voters = self.core.voters();
        let now = Core::now_ms(ctx);
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        if !leader.tick_skip {
            leader.tick += 1;
        }
        if !leader.started {
            if now >= leader.deadline_ms {
                let reason = if leader.epoch.is_none() {
                    Err("java.lang.InterruptedException: Timeout while waiting for epoch from quorum")
                } else if v == ZkVersion::V3_5 && !leader.epoch_acked {
                    Err("java.lang.InterruptedException: Timeout while waiting for epoch to be acked by quorum")
                } else {
                    let acks: Vec<String> = leader
                        .new_leader_acks
                        .iter()
                        .map(|s| s.to_string())
                        .collect();
                    Ok(match v {
                        ZkVersion::V3_3 => format!(
                            "Waiting for a quorum of followers, only synced with: {}",
                            acks.iter().map(|s| format!("{s}: ")).collect::<String>()
                        ),
                        ZkVersion::V3_5 => format!(
                            "Waiting for a quorum of followers, only synced with sids: [ [{}] ]",
                            acks.join(", ")
                        ),
                    })
                };
                match reason {
                    Ok(reason) => self.leader_shutdown(ctx, &reason),
                    Err(exception) => {
                        let t = trace(exception, &[
                            "org.apache.zookeeper.server.quorum.Leader.getEpochToPropose(Leader.java:1230)",
                            "org.apache.zookeeper.server.quorum.Leader.lead(Leader.java:482)",
                            "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1269)",
                        ]);
                        self.core
                            .log_trace(ctx, "WARN", QP, "Unexpected exception", &t);
                        self.leader_shutdown(ctx, "Forcing shutdown");
                    }
                }
                return;
            }
        } else {
            let tick = leader.tick;
            let mut synced: BTreeSet<i64> = [myid].into_iter().collect();
            for h in leader.learners.values() {
                if let Some(sid) = h.sid {
                    if voters.contains(&sid) && h.tick_of_last_ack >= tick - sync_limit {
                        synced.insert(sid);
                    }
                }
            }
            if !leader.tick_skip && synced.len() <= voters.len() / 2 {
                let reason = match v {
                    ZkVersion::V3_3 => format!(
                        "Only {} followers, need {}",
                        synced.len() - 1,
                        voters.len() / 2
                    ),
                    ZkVersion::V3_5 => format!(
                        "Not sufficient followers synced, only synced with sids: [ [{}] ]",
                        synced
                            .iter()
                            .map(|s| s.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.leader_shutdown(ctx, &reason);
                return;
            }
        }
        let PeerRole::Leading(leader) = &mut self.role else {
            return;
        };
        leader.tick_skip = !leader.tick_skip;
        for (conn, h) in &leader.learners {
            if h.stage == Stage::Running || h.stage == Stage::AwaitStart {
                ctx.send(
                    *conn,
                    Box::new(QuorumPacket::Ping {
                        sessions: Vec::new(),
                    }),
                );
            }
        }
        let half = self.core.tick_ms() / 2;
        self.core.timer(ctx, half, LEADER_TICK);
    }

    pub(super) fn leader_shutdown(&mut self, ctx: &mut Context<'_>, reason: &str) {
        let v = self.core.version;
        if v == ZkVersion::V3_5 {
            self.core.log(ctx, "INFO", LEADER, "Shutting down");
        }
        let frames: &[&str] = match v {
            ZkVersion::V3_3 => &[
                "org.apache.zookeeper.server.quorum.Leader.shutdown(Leader.java:390)",
                "org.apache.zookeeper.server.quorum.Leader.lead(Leader.java:314)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:658)",
            ],
            ZkVersion::V3_5 => &[
                "org.apache.zookeeper.server.quorum.Leader.shutdown(Leader.java:683)",
                "org.apache.zookeeper.server.quorum.Leader.lead(Leader.java:663)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1269)",
            ],
        };
        let t = trace(
            &format!("java.lang.Exception: shutdown Leader! reason: {reason}"),
            frames,
        );
        self.core
            .log_trace(ctx, "INFO", LEADER, "Shutdown called", &t);
        let quorum_port = self.core.config().servers[&self.core.myid].quorum_port;
        ctx.stop_listening(quorum_port);
        if let PeerRole::Leading(leader) = &self.role {
            for conn in leader.learners.keys() {
                ctx.close(*conn);
            }
        }
        self.look(ctx);
    }
}
