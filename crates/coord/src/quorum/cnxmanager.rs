//! `QuorumCnxManager`: the election channels between the servers of an
//! ensemble, one per pair (the higher id keeps the connection it made), and
//! what each release logs when a channel cannot be opened or is dropped.

use super::*;

/// The first thing sent on an election connection: who is calling.
#[derive(Clone, Debug)]
pub struct ElectionHello {
    pub sid: i64,
}

impl Payload for ElectionHello {
    fn summary(&self) -> String {
        format!("election hello from {}", self.sid)
    }
}

/// `QuorumCnxManager`: one channel per pair of servers on the election
/// ports; the higher id keeps the connection it made, and each server's
/// last message is re-sent when a channel comes up.
#[derive(Debug, Default)]
pub(super) struct Channels {
    pub(super) by_sid: BTreeMap<i64, ConnId>,
    pub(super) by_conn: BTreeMap<ConnId, i64>,
    pub(super) connecting: BTreeMap<ConnId, (i64, ProcessTimer)>,
    /// Accepted connections that have not said who they are.
    pub(super) accepted: BTreeSet<ConnId>,
    pub(super) last: BTreeMap<i64, Notification>,
}

impl Core {
    /// `toSend`: to itself through the queue, to others over their channel.
    pub(super) fn send_notification(&mut self, ctx: &mut Context<'_>, to: i64, n: Notification) {
        if to == self.myid {
            self.inbox.push_back(n);
            return;
        }
        self.channels.last.insert(to, n.clone());
        match self.channels.by_sid.get(&to) {
            Some(&conn) => ctx.send(conn, Box::new(n)),
            None => self.connect_one(ctx, to),
        }
    }

    pub(super) fn connect_one(&mut self, ctx: &mut Context<'_>, sid: i64) {
        if self.channels.by_sid.contains_key(&sid)
            || self.channels.connecting.values().any(|(s, _)| *s == sid)
        {
            return;
        }
        let Some((host, port)) = self.election_address(sid) else {
            return;
        };
        match ctx.connect(&host, port) {
            Ok(conn) => {
                let timer = ctx.set_timer(
                    Duration::from_millis(ELECTION_CONNECT_TIMEOUT_MS),
                    CONNECT_TIMEOUT | conn.0,
                    TimerKind::OneShot,
                );
                self.channels.connecting.insert(conn, (sid, timer));
            }
            Err(e) => self.cannot_open_channel(ctx, sid, &e),
        }
    }

    pub(super) fn cannot_open_channel(
        &mut self,
        ctx: &mut Context<'_>,
        sid: i64,
        error: &NetError,
    ) {
        let Some((host, port)) = self.election_address(sid) else {
            return;
        };
        let address = self.describe(ctx, &host, port);
        let frames: &[&str] = match self.version {
            ZkVersion::V3_3 => &[
                "sun.nio.ch.SocketChannelImpl.checkConnect(Native Method)",
                "sun.nio.ch.SocketChannelImpl.finishConnect(SocketChannelImpl.java:717)",
                "sun.nio.ch.SocketAdaptor.connect(SocketAdaptor.java:111)",
                "org.apache.zookeeper.server.quorum.QuorumCnxManager.connectOne(QuorumCnxManager.java:371)",
                "org.apache.zookeeper.server.quorum.QuorumCnxManager.connectAll(QuorumCnxManager.java:404)",
                "org.apache.zookeeper.server.quorum.FastLeaderElection.lookForLeader(FastLeaderElection.java:688)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:622)",
            ],
            ZkVersion::V3_5 => &[
                "java.net.PlainSocketImpl.socketConnect(Native Method)",
                "java.net.AbstractPlainSocketImpl.doConnect(AbstractPlainSocketImpl.java:350)",
                "java.net.AbstractPlainSocketImpl.connectToAddress(AbstractPlainSocketImpl.java:206)",
                "java.net.AbstractPlainSocketImpl.connect(AbstractPlainSocketImpl.java:188)",
                "java.net.SocksSocketImpl.connect(SocksSocketImpl.java:392)",
                "java.net.Socket.connect(Socket.java:607)",
                "org.apache.zookeeper.server.quorum.QuorumCnxManager.connectOne(QuorumCnxManager.java:373)",
                "org.apache.zookeeper.server.quorum.QuorumCnxManager.connectOne(QuorumCnxManager.java:706)",
                "org.apache.zookeeper.server.quorum.QuorumCnxManager.connectAll(QuorumCnxManager.java:751)",
                "org.apache.zookeeper.server.quorum.FastLeaderElection.lookForLeader(FastLeaderElection.java:928)",
                "org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1215)",
            ],
        };
        let text = format!("Cannot open channel to {sid} at election address {address}");
        self.log_trace(
            ctx,
            "WARN",
            QCM,
            &text,
            &trace(&connect_exception(error), frames),
        );
    }

    pub(super) fn channel_up(&mut self, ctx: &mut Context<'_>, sid: i64, conn: ConnId) {
        if let Some(old) = self.channels.by_sid.insert(sid, conn) {
            if old != conn {
                self.channels.by_conn.remove(&old);
                ctx.close(old);
            }
        }
        self.channels.by_conn.insert(conn, sid);
        if let Some(n) = self.channels.last.get(&sid).cloned() {
            ctx.send(conn, Box::new(n));
        }
    }

    pub(super) fn dropping_line(&self, sid: i64) -> String {
        match self.version {
            ZkVersion::V3_3 => format!(
                "Have smaller server identifier, so dropping the connection: ({sid}, {})",
                self.myid
            ),
            ZkVersion::V3_5 => format!(
                "Have smaller server identifier, so dropping the connection: (myId:{} --> sid:{sid})",
                self.myid
            ),
        }
    }

    pub(super) fn channel_connected(&mut self, ctx: &mut Context<'_>, conn: ConnId) {
        let Some((sid, timer)) = self.channels.connecting.remove(&conn) else {
            return;
        };
        ctx.cancel_timer(timer);
        ctx.send(conn, Box::new(ElectionHello { sid: self.myid }));
        if sid > self.myid {
            // The higher id calls back; this connection is dropped.
            let line = self.dropping_line(sid);
            self.log(ctx, "INFO", QCM, &line);
            ctx.close(conn);
        } else {
            self.channel_up(ctx, sid, conn);
        }
    }

    pub(super) fn channel_hello(&mut self, ctx: &mut Context<'_>, conn: ConnId, sid: i64) {
        self.channels.accepted.remove(&conn);
        if !self.config().servers.contains_key(&sid) {
            ctx.close(conn);
            return;
        }
        if sid < self.myid {
            ctx.close(conn);
            self.connect_one(ctx, sid);
        } else {
            self.channel_up(ctx, sid, conn);
        }
    }

    pub(super) fn channel_closed(&mut self, ctx: &mut Context<'_>, conn: ConnId) -> bool {
        if let Some(sid) = self.channels.by_conn.remove(&conn) {
            if self.channels.by_sid.get(&sid) == Some(&conn) {
                self.channels.by_sid.remove(&sid);
            }
            return true;
        }
        if let Some((_, timer)) = self.channels.connecting.remove(&conn) {
            ctx.cancel_timer(timer);
            return true;
        }
        self.channels.accepted.remove(&conn)
    }

    pub(super) fn is_channel(&self, conn: ConnId) -> bool {
        self.channels.by_conn.contains_key(&conn)
            || self.channels.connecting.contains_key(&conn)
            || self.channels.accepted.contains(&conn)
    }

    /// Sends what the election queued and logs what it noted.
    pub(super) fn flush_election(&mut self, ctx: &mut Context<'_>) {
        for (level, line) in std::mem::take(&mut self.election.logs) {
            self.log(ctx, level, FLE, &line);
        }
        for (to, n) in std::mem::take(&mut self.election.outbox) {
            self.send_notification(ctx, to, n);
        }
    }
}
