//! A follower of an ensemble: connects to the leader it voted for, syncs
//! (DIFF, TRUNC or SNAP), logs and acknowledges proposals, applies commits,
//! forwards its clients' writes and gives up when the leader goes quiet.

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    Connecting,
    /// 3.5: waiting for LEADERINFO.
    Discovery,
    Sync,
    Broadcast,
}

#[derive(Debug)]
pub(super) struct Follower {
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) conn: Option<ConnId>,
    pub(super) connect_timer: Option<ProcessTimer>,
    pub(super) tries: u32,
    pub(super) phase: Phase,
    pub(super) started_ms: i64,
    pub(super) new_leader_zxid: i64,
    pub(super) snapshot_needed: bool,
    /// Logged proposals waiting for their commit.
    pub(super) pending: VecDeque<(TxnHeader, Txn)>,
    /// Proposals logged while syncing, acknowledged once up to date.
    pub(super) unacked: Vec<i64>,
    pub(super) read_timer: Option<ProcessTimer>,
}

impl QuorumPeer {
    pub(super) fn follower_conn(&self, conn: ConnId) -> bool {
        matches!(&self.role, PeerRole::Following(f) if f.conn == Some(conn))
    }

    pub(super) fn follow(&mut self, ctx: &mut Context<'_>, leader: i64) {
        self.core.log(ctx, "INFO", QP, "FOLLOWING");
        self.election_took(ctx, "FOLLOWING");
        self.core.server.log_created(ctx);
        let (host, port) = match self.core.config().servers.get(&leader) {
            Some(s) => (s.host.clone(), s.quorum_port),
            None => {
                self.core.log(
                    ctx,
                    "WARN",
                    LEARNER,
                    &format!("Couldn't find the leader with id = {leader}"),
                );
                self.look(ctx);
                return;
            }
        };
        self.role = PeerRole::Following(Follower {
            host,
            port,
            conn: None,
            connect_timer: None,
            tries: 0,
            phase: Phase::Connecting,
            started_ms: Core::now_ms(ctx),
            new_leader_zxid: 0,
            snapshot_needed: true,
            pending: VecDeque::new(),
            unacked: Vec::new(),
            read_timer: None,
        });
        self.follower_connect(ctx);
    }

    pub(super) fn follower_connect(&mut self, ctx: &mut Context<'_>) {
        let sync_limit = self.core.sync_limit_ms();
        let PeerRole::Following(f) = &mut self.role else {
            return;
        };
        match ctx.connect(&f.host, f.port) {
            Ok(conn) => {
                f.conn = Some(conn);
                f.connect_timer = Some(ctx.set_timer(
                    Duration::from_millis(sync_limit as u64),
                    CONNECT_TIMEOUT | conn.0,
                    TimerKind::OneShot,
                ));
            }
            Err(e) => self.follower_connect_failed(ctx, &e),
        }
    }

    pub(super) fn follower_connect_failed(&mut self, ctx: &mut Context<'_>, error: &NetError) {
        let v = self.core.version;
        let init = self.core.init_limit_ms();
        let now = Core::now_ms(ctx);
        let PeerRole::Following(f) = &mut self.role else {
            return;
        };
        f.conn = None;
        let tries = f.tries;
        f.tries += 1;
        let address = self.core.describe(ctx, &f.host.clone(), f.port);
        let f_started = f.started_ms;
        let frames: &[&str] = match v {
            ZkVersion::V3_3 => &[
                "org.apache.zookeeper.server.quorum.Learner.connectToLeader(Learner.java:220)",
                "org.apache.zookeeper.server.quorum.Follower.followLeader(Follower.java:65)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:645)",
            ],
            ZkVersion::V3_5 => &[
                "org.apache.zookeeper.server.quorum.Learner.sockConnect(Learner.java:233)",
                "org.apache.zookeeper.server.quorum.Learner.connectToLeader(Learner.java:262)",
                "org.apache.zookeeper.server.quorum.Follower.followLeader(Follower.java:77)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1256)",
            ],
        };
        let t = trace(&connect_exception(error), frames);
        let last = tries >= 4;
        let line = match v {
            ZkVersion::V3_3 if last => "Unexpected exception".to_owned(),
            ZkVersion::V3_3 => {
                format!("Unexpected exception, tries={tries}, connecting to {address}")
            }
            ZkVersion::V3_5 => {
                let remaining = init - (now - f_started);
                let what = if last {
                    "Unexpected exception, retries exceeded."
                } else {
                    "Unexpected exception,"
                };
                format!("{what} tries={tries}, remaining init limit={remaining}, connecting to {address}")
            }
        };
        let level = if last { "ERROR" } else { "WARN" };
        self.core.log_trace(ctx, level, LEARNER, &line, &t);
        if last {
            self.follower_failed(ctx, &connect_exception(error));
        } else {
            self.core.timer(ctx, 1000, FOLLOWER_RETRY);
        }
    }

    pub(super) fn follower_connected(&mut self, ctx: &mut Context<'_>, conn: ConnId) {
        let v = self.core.version;
        let myid = self.core.myid;
        let zxid = match v {
            ZkVersion::V3_3 => self.core.last_logged_zxid(),
            ZkVersion::V3_5 => make_zxid(self.core.accepted_epoch, 0),
        };
        let init = self.core.init_limit_ms();
        let timer = self.core.timer(ctx, init, FOLLOWER_READ_TIMEOUT);
        let PeerRole::Following(f) = &mut self.role else {
            return;
        };
        if let Some(t) = f.connect_timer.take() {
            ctx.cancel_timer(t);
        }
        f.phase = match v {
            ZkVersion::V3_3 => Phase::Sync,
            ZkVersion::V3_5 => Phase::Discovery,
        };
        f.read_timer = Some(timer);
        ctx.send(
            conn,
            Box::new(QuorumPacket::FollowerInfo { sid: myid, zxid }),
        );
    }

    /// `followLeader` ends with an exception: shut down and look again.
    pub(super) fn follower_failed(&mut self, ctx: &mut Context<'_>, exception: &str) {
        let v = self.core.version;
        let PeerRole::Following(f) = &mut self.role else {
            return;
        };
        if let Some(conn) = f.conn.take() {
            ctx.close(conn);
        }
        for t in [f.read_timer.take(), f.connect_timer.take()]
            .into_iter()
            .flatten()
        {
            ctx.cancel_timer(t);
        }
        let frames: &[&str] = match v {
            ZkVersion::V3_3 => &[
                "org.apache.zookeeper.server.quorum.Learner.readPacket(Learner.java:146)",
                "org.apache.zookeeper.server.quorum.Follower.followLeader(Follower.java:78)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:645)",
            ],
            ZkVersion::V3_5 => &[
                "org.apache.zookeeper.server.quorum.Learner.readPacket(Learner.java:158)",
                "org.apache.zookeeper.server.quorum.Follower.followLeader(Follower.java:92)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1256)",
            ],
        };
        self.core.log_trace(
            ctx,
            "WARN",
            FOLLOWER,
            "Exception when following the leader",
            &trace(exception, frames),
        );
        let shutdown_frames: &[&str] = match v {
            ZkVersion::V3_3 => &[
                "org.apache.zookeeper.server.quorum.Follower.shutdown(Follower.java:165)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:649)",
            ],
            ZkVersion::V3_5 => &[
                "org.apache.zookeeper.server.quorum.Follower.shutdown(Follower.java:201)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1260)",
            ],
        };
        self.core.log_trace(
            ctx,
            "INFO",
            FOLLOWER,
            "shutdown called",
            &trace("java.lang.Exception: shutdown Follower", shutdown_frames),
        );
        self.look(ctx);
    }

    /// A packet from the leader.
    pub(super) fn leader_packet(&mut self, ctx: &mut Context<'_>, packet: QuorumPacket) {
        let v = self.core.version;
        let limit = match &self.role {
            PeerRole::Following(f) if f.phase == Phase::Broadcast => self.core.sync_limit_ms(),
            _ => self.core.init_limit_ms(),
        };
        let timer = self.core.timer(ctx, limit, FOLLOWER_READ_TIMEOUT);
        let PeerRole::Following(f) = &mut self.role else {
            return;
        };
        if let Some(old) = f.read_timer.replace(timer) {
            ctx.cancel_timer(old);
        }
        let Some(conn) = f.conn else { return };
        match packet {
            QuorumPacket::LeaderInfo { zxid } if f.phase == Phase::Discovery => {
                let epoch = epoch_of(zxid);
                let accepted = self.core.accepted_epoch;
                let last = self.core.last_logged_zxid();
                let current = self.core.current_epoch;
                if epoch < accepted {
                    let line = format!("Proposed leader epoch 0x{epoch:x} is less than our accepted epoch 0x{accepted:x}");
                    self.core.log(ctx, "ERROR", FOLLOWER, &line);
                    self.follower_failed(
                        ctx,
                        "java.io.IOException: Error: Epoch of leader is lower",
                    );
                    return;
                }
                let current_epoch = if epoch > accepted {
                    self.core.write_epoch(ctx, "acceptedEpoch", epoch);
                    current
                } else {
                    -1
                };
                if let PeerRole::Following(f) = &mut self.role {
                    f.phase = Phase::Sync;
                }
                ctx.send(
                    conn,
                    Box::new(QuorumPacket::AckEpoch {
                        zxid: last,
                        current_epoch,
                    }),
                );
            }
            QuorumPacket::NewLeader { zxid }
                if f.phase == Phase::Sync && v == ZkVersion::V3_3 && f.new_leader_zxid == 0 =>
            {
                f.new_leader_zxid = zxid;
                let last = self.core.last_logged_zxid();
                if epoch_of(zxid) < epoch_of(last) {
                    let line = format!(
                        "Leader epoch {:x} is less than our epoch {:x}",
                        epoch_of(zxid),
                        epoch_of(last)
                    );
                    self.core.log(ctx, "FATAL", FOLLOWER, &line);
                    self.follower_failed(
                        ctx,
                        "java.io.IOException: Error: Epoch of leader is lower",
                    );
                }
            }
            QuorumPacket::Diff { zxid } if f.phase == Phase::Sync => {
                f.snapshot_needed = false;
                self.core.log(
                    ctx,
                    "INFO",
                    LEARNER,
                    &format!("Getting a diff from the leader 0x{zxid:x}"),
                );
            }
            QuorumPacket::Trunc { zxid } if f.phase == Phase::Sync => {
                let line = format!("Truncating log to get in sync with the leader 0x{zxid:x}");
                self.core.log(ctx, "WARN", LEARNER, &line);
                if let Err(e) = self.core.server.truncate_log(ctx, zxid) {
                    self.core.log(
                        ctx,
                        "ERROR",
                        LEARNER,
                        &format!("Not able to truncate the log {zxid:x}: {e}"),
                    );
                    ctx.exit(13);
                    return;
                }
                self.core.committed.clear();
            }
            QuorumPacket::Snap { zxid, snapshot } if f.phase == Phase::Sync => {
                let line = match v {
                    ZkVersion::V3_3 => "Getting a snapshot from leader".to_owned(),
                    ZkVersion::V3_5 => format!("Getting a snapshot from leader 0x{zxid:x}"),
                };
                self.core.log(ctx, "INFO", LEARNER, &line);
                if let Err(e) = self.core.server.install_snapshot(ctx, zxid, &snapshot) {
                    self.follower_failed(ctx, &format!("java.io.IOException: {e}"));
                    return;
                }
                self.core.committed.clear();
            }
            QuorumPacket::NewLeader { zxid } if f.phase == Phase::Sync => {
                // 3.5: the follower snapshots after a SNAP or TRUNC, takes the epoch, and acks.
                self.core
                    .log(ctx, "INFO", LEARNER, "Learner received NEWLEADER message");
                f.new_leader_zxid = zxid;
                let snapshot = f.snapshot_needed;
                if snapshot {
                    self.core.server.take_snapshot(ctx);
                }
                self.core.write_epoch(ctx, "currentEpoch", epoch_of(zxid));
                ctx.send(conn, Box::new(QuorumPacket::Ack { zxid }));
            }
            QuorumPacket::UpToDate if f.phase == Phase::Sync => {
                let new_leader_zxid = f.new_leader_zxid;
                f.phase = Phase::Broadcast;
                let unacked = std::mem::take(&mut f.unacked);
                match v {
                    ZkVersion::V3_3 => {
                        self.core.server.take_snapshot(ctx);
                        ctx.send(
                            conn,
                            Box::new(QuorumPacket::Ack {
                                zxid: new_leader_zxid,
                            }),
                        );
                    }
                    ZkVersion::V3_5 => {
                        self.core
                            .log(ctx, "INFO", LEARNER, "Learner received UPTODATE message");
                        self.core.vote.peer_epoch = epoch_of(new_leader_zxid);
                    }
                }
                for zxid in unacked {
                    ctx.send(conn, Box::new(QuorumPacket::Ack { zxid }));
                }
                self.core.server.role = Role::Follower;
                let limit = self.core.sync_limit_ms();
                let timer = self.core.timer(ctx, limit, FOLLOWER_READ_TIMEOUT);
                if let PeerRole::Following(f) = &mut self.role {
                    if let Some(old) = f.read_timer.replace(timer) {
                        ctx.cancel_timer(old);
                    }
                }
            }
            QuorumPacket::Proposal { header, txn }
                if f.phase == Phase::Sync || f.phase == Phase::Broadcast =>
            {
                let zxid = header.zxid;
                let broadcast = f.phase == Phase::Broadcast;
                if let Some((last, _)) = f.pending.back() {
                    if zxid != last.zxid + 1 {
                        let line = format!("Got zxid 0x{zxid:x} expected 0x{:x}", last.zxid + 1);
                        self.core.log(ctx, "WARN", FOLLOWER, &line);
                    }
                }
                f.pending.push_back((header.clone(), txn.clone()));
                if !broadcast {
                    f.unacked.push(zxid);
                }
                self.core.server.log_txn(ctx, &header, &txn);
                if broadcast {
                    ctx.send(conn, Box::new(QuorumPacket::Ack { zxid }));
                }
            }
            QuorumPacket::Commit { zxid }
                if f.phase == Phase::Sync || f.phase == Phase::Broadcast =>
            {
                match f.pending.front() {
                    Some((h, _)) if h.zxid == zxid => {
                        let (header, txn) = f.pending.pop_front().expect("just seen");
                        f.unacked.retain(|z| *z != zxid);
                        self.core.apply(ctx, &header, &txn);
                    }
                    Some((h, _)) => {
                        let line =
                            format!("Committing 0x{zxid:x}, but next proposal is 0x{:x}", h.zxid);
                        self.core.log(ctx, "WARN", FOLLOWER, &line);
                    }
                    None => {}
                }
            }
            QuorumPacket::Ping { .. } if f.phase == Phase::Broadcast => {
                let sessions: Vec<(i64, i32)> = std::mem::take(&mut self.core.server.touched)
                    .into_iter()
                    .collect();
                ctx.send(conn, Box::new(QuorumPacket::Ping { sessions }));
            }
            QuorumPacket::Sync {
                session,
                cxid,
                path,
            } if f.phase == Phase::Broadcast => {
                self.core.server.sync_done(ctx, session, cxid, &path);
            }
            _ => {}
        }
    }
}
