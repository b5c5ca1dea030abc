//! How connections behave: the world's side of [`crate::net`] — resolving
//! names, opening, accepting, carrying segments in order with TCP's
//! retransmission delays, and closing.

use std::net::Ipv4Addr;
use std::time::Duration;

use crate::net::{
    rto, ConnId, NetError, Segment, Socket, SocketAddr, SocketState, DATA_GIVE_UP, SYN_RETRIES_S,
};
use crate::process::{Event, Message, ProcessId};
use crate::world::{Core, Due};
use crate::{SimTime, TimerKind, TraceEvent};

/// Linux's ephemeral port range (`ip_local_port_range`).
const EPHEMERAL_PORTS: std::ops::RangeInclusive<u16> = 32768..=60999;

impl Core {
    /// The host a name or address means, seen from `from`.
    pub(crate) fn resolve(&self, from: &str, name: &str) -> Option<String> {
        if matches!(name, "localhost" | "127.0.0.1" | "0.0.0.0" | "::1") {
            return Some(from.to_owned());
        }
        if self.hosts.contains_key(name) {
            return Some(name.to_owned());
        }
        let ip: Ipv4Addr = name.parse().ok()?;
        self.hosts
            .iter()
            .find(|(_, h)| h.ip == ip)
            .map(|(n, _)| n.clone())
    }

    /// The address `host` is seen at by a peer on `from`.
    fn address_seen_from(&self, host: &str, from: &str) -> Ipv4Addr {
        if host == from {
            Ipv4Addr::LOCALHOST
        } else {
            self.host(host).ip
        }
    }

    fn latency(&mut self, a: &str, b: &str) -> Duration {
        let link = self.net.link(a, b);
        let jitter = link.jitter.as_micros() as u64;
        let extra = if jitter == 0 {
            0
        } else {
            self.random_below(jitter + 1)
        };
        link.latency + Duration::from_micros(extra)
    }

    fn lost(&mut self, a: &str, b: &str) -> bool {
        let loss = self.net.link(a, b).loss;
        loss > 0.0 && (self.random_below(1_000_000) as f64) < loss * 1_000_000.0
    }

    fn take_port(&mut self, host: &str, port: u16) -> bool {
        self.net
            .ports
            .entry(host.to_owned())
            .or_default()
            .insert(port)
    }

    fn free_port(&mut self, host: &str, port: u16) {
        if let Some(ports) = self.net.ports.get_mut(host) {
            ports.remove(&port);
        }
    }

    fn ephemeral_port(&mut self, host: &str) -> u16 {
        let span = u64::from(EPHEMERAL_PORTS.end() - EPHEMERAL_PORTS.start()) + 1;
        let mut port = EPHEMERAL_PORTS.start() + self.random_below(span) as u16;
        while !self.take_port(host, port) {
            port = if port == *EPHEMERAL_PORTS.end() {
                *EPHEMERAL_PORTS.start()
            } else {
                port + 1
            };
        }
        port
    }

    pub(crate) fn listen(&mut self, pid: &ProcessId, port: u16) -> Result<(), NetError> {
        let key = (pid.host.clone(), port);
        if self.net.listeners.contains_key(&key) || !self.take_port(&pid.host, port) {
            return Err(NetError::AddressInUse);
        }
        self.net.listeners.insert(key, pid.clone());
        Ok(())
    }

    pub(crate) fn unlisten(&mut self, pid: &ProcessId, port: u16) {
        let key = (pid.host.clone(), port);
        if self.net.listeners.get(&key) == Some(pid) {
            self.net.listeners.remove(&key);
            self.free_port(&pid.host, port);
        }
    }

    /// Opens a connection; the process hears `Connected` or `ConnectFailed`.
    pub(crate) fn connect(
        &mut self,
        pid: &ProcessId,
        name: &str,
        port: u16,
    ) -> Result<ConnId, NetError> {
        let target = self
            .resolve(&pid.host, name)
            .ok_or_else(|| NetError::UnknownHost(name.to_owned()))?;
        let conn = self.net.new_conn();
        let local_port = self.ephemeral_port(&pid.host);
        let local = SocketAddr {
            ip: self.address_seen_from(&pid.host, &target),
            port: local_port,
        };
        let peer = SocketAddr {
            ip: self.address_seen_from(&target, &pid.host),
            port,
        };
        self.net.sockets.insert(
            conn,
            Socket::new(
                pid.clone(),
                (local, peer),
                target.clone(),
                None,
                SocketState::SynSent,
                self.now,
            ),
        );
        self.record(
            Some(&pid.host),
            TraceEvent::Connect {
                conn,
                from: local,
                to: peer,
            },
        );
        let at = self.now + self.latency(&pid.host, &target);
        self.schedule(at, TimerKind::OneShot, Due::Syn { conn, attempt: 0 });
        Ok(conn)
    }

    /// A SYN reaches the target host: a listener accepts, or the host refuses.
    pub(crate) fn syn_arrives(&mut self, conn: ConnId, attempt: u32) -> Option<(ProcessId, Event)> {
        let (client_host, target, local, peer, started) = {
            let s = self.net.sockets.get(&conn)?;
            (
                s.owner.host.clone(),
                s.peer_host.clone(),
                s.local,
                s.peer,
                s.last_due,
            )
        };
        if self.net.partitioned(&client_host, &target) || self.lost(&client_host, &target) {
            // SYN retransmissions at 1, 3, 7, ... s after the first, then ETIMEDOUT.
            let due = match SYN_RETRIES_S.get(attempt as usize) {
                Some(&s) => started + Duration::from_secs(s),
                None => return None,
            };
            if attempt as usize + 1 == SYN_RETRIES_S.len() {
                self.schedule(
                    due,
                    TimerKind::OneShot,
                    Due::SynAck {
                        conn,
                        result: Err(NetError::TimedOut),
                    },
                );
            } else {
                self.schedule(
                    due,
                    TimerKind::OneShot,
                    Due::Syn {
                        conn,
                        attempt: attempt + 1,
                    },
                );
            }
            return None;
        }
        let back = self.now + self.latency(&target, &client_host);
        let Some(listener) = self
            .net
            .listeners
            .get(&(target.clone(), peer.port))
            .cloned()
        else {
            self.schedule(
                back,
                TimerKind::OneShot,
                Due::SynAck {
                    conn,
                    result: Err(NetError::Refused),
                },
            );
            return None;
        };
        let server_conn = self.net.new_conn();
        self.take_port(&target, peer.port);
        self.net.sockets.insert(
            server_conn,
            Socket::new(
                listener.clone(),
                (peer, local),
                client_host.clone(),
                Some(conn),
                SocketState::Established,
                self.now,
            ),
        );
        self.record(
            Some(&target),
            TraceEvent::Accept {
                conn: server_conn,
                from: local,
                to: peer,
            },
        );
        self.schedule(
            back,
            TimerKind::OneShot,
            Due::SynAck {
                conn,
                result: Ok(server_conn),
            },
        );
        Some((
            listener,
            Event::Accepted {
                conn: server_conn,
                local: peer,
                peer: local,
            },
        ))
    }

    /// The answer to a SYN reaches the client.
    pub(crate) fn syn_ack_arrives(
        &mut self,
        conn: ConnId,
        result: Result<ConnId, NetError>,
    ) -> Vec<(ProcessId, Event)> {
        let Some(socket) = self.net.sockets.get_mut(&conn) else {
            // The client went away meanwhile: its end is gone, the server's closes.
            if let Ok(server_conn) = result {
                return self.drop_socket(server_conn, Some(NetError::Reset));
            }
            return Vec::new();
        };
        let owner = socket.owner.clone();
        match result {
            Err(error) => {
                let to = socket.peer;
                let local_port = socket.local.port;
                self.net.sockets.remove(&conn);
                self.free_port(&owner.host, local_port);
                self.record(
                    Some(&owner.host),
                    TraceEvent::ConnectFailed {
                        conn,
                        to,
                        error: error.to_string(),
                    },
                );
                vec![(owner, Event::ConnectFailed { conn, error })]
            }
            Ok(server_conn) => {
                socket.state = SocketState::Established;
                socket.peer_conn = Some(server_conn);
                socket.last_due = socket.last_due.max(self.now);
                let waiting = std::mem::take(&mut socket.waiting);
                let close = socket.close_when_established;
                for message in waiting {
                    self.send(conn, message);
                }
                if close {
                    self.close(conn);
                }
                vec![(owner, Event::Connected { conn })]
            }
        }
    }

    /// Sends a message on a connection, after everything sent before on it.
    pub(crate) fn send(&mut self, conn: ConnId, message: Message) {
        let Some(socket) = self.net.sockets.get_mut(&conn) else {
            return;
        };
        if socket.state == SocketState::SynSent {
            socket.waiting.push(message);
            return;
        }
        let summary = message.summary();
        let host = socket.owner.host.clone();
        self.record(Some(&host), TraceEvent::Send { conn, summary });
        self.transmit(conn, Segment::Data(message));
    }

    /// Puts a segment on the wire, due after the latency and after the
    /// segment before it.
    fn transmit(&mut self, conn: ConnId, segment: Segment) {
        let (from, to_host, peer_conn, seq, last_due) = {
            let s = self.net.sockets.get_mut(&conn).expect("a socket");
            let seq = s.next_send;
            s.next_send += 1;
            (
                s.owner.host.clone(),
                s.peer_host.clone(),
                s.peer_conn,
                seq,
                s.last_due,
            )
        };
        let Some(to) = peer_conn else { return };
        let at = (self.now + self.latency(&from, &to_host)).max(last_due);
        if let Some(s) = self.net.sockets.get_mut(&conn) {
            s.last_due = at;
        }
        let sent = self.now;
        self.schedule(
            at,
            TimerKind::OneShot,
            Due::Segment {
                to,
                to_host,
                from: conn,
                from_host: from,
                seq,
                segment,
                sent,
                attempt: 0,
            },
        );
    }

    /// A segment reaches its receiver: delivered in order, or retransmitted
    /// later when the path is cut or the segment was lost.
    /// A segment reaches the host of its receiver `conns.1`, sent by `conns.0`.
    pub(crate) fn segment_arrives(
        &mut self,
        conns: (ConnId, ConnId),
        hosts: &(String, String),
        seq: u64,
        segment: Segment,
        sent: SimTime,
        attempt: u32,
    ) -> Vec<(ProcessId, Event)> {
        let (from, to) = conns;
        let (from_host, to_host) = hosts;
        if self.net.partitioned(from_host, to_host) || self.lost(from_host, to_host) {
            let retry = self.now + rto(attempt);
            if retry.saturating_sub(sent) > DATA_GIVE_UP {
                // The sender's TCP gives up: its end of the connection times out.
                return self.drop_socket(from, Some(NetError::TimedOut));
            }
            self.schedule(
                retry,
                TimerKind::OneShot,
                Due::Segment {
                    to,
                    to_host: to_host.clone(),
                    from,
                    from_host: from_host.clone(),
                    seq,
                    segment,
                    sent,
                    attempt: attempt + 1,
                },
            );
            return Vec::new();
        }
        if !self.net.sockets.contains_key(&to) {
            // Data for a socket that is gone: the receiving kernel answers RST.
            return match segment {
                Segment::Data(_) => self.drop_socket(from, Some(NetError::Reset)),
                Segment::Fin => Vec::new(),
            };
        }
        let socket = self.net.sockets.get_mut(&to).expect("checked");
        if seq != socket.next_recv {
            socket.early.insert(seq, segment);
            return Vec::new();
        }
        let mut ready = vec![segment];
        socket.next_recv += 1;
        while let Some(next) = socket.early.remove(&socket.next_recv) {
            ready.push(next);
            socket.next_recv += 1;
        }
        let mut events = Vec::new();
        for segment in ready {
            match segment {
                Segment::Data(message) => {
                    let Some(owner) = self.net.sockets.get(&to).map(|s| s.owner.clone()) else {
                        break;
                    };
                    self.record(
                        Some(to_host),
                        TraceEvent::Deliver {
                            conn: to,
                            summary: message.summary(),
                        },
                    );
                    events.push((owner, Event::Received { conn: to, message }));
                }
                Segment::Fin => {
                    events.extend(self.drop_socket(to, None));
                    break;
                }
            }
        }
        events
    }

    /// The process closes its end; the peer hears of it after the data before.
    pub(crate) fn close(&mut self, conn: ConnId) {
        let Some(socket) = self.net.sockets.get_mut(&conn) else {
            return;
        };
        if socket.state == SocketState::SynSent {
            socket.close_when_established = true;
            return;
        }
        let host = socket.owner.host.clone();
        let port = socket.local.port;
        self.record(
            Some(&host),
            TraceEvent::Close {
                conn,
                reason: "closed".to_owned(),
            },
        );
        self.transmit(conn, Segment::Fin);
        self.net.sockets.remove(&conn);
        self.release_port(&host, port);
    }

    /// A socket goes away without its process closing it; the process hears why.
    fn drop_socket(&mut self, conn: ConnId, error: Option<NetError>) -> Vec<(ProcessId, Event)> {
        let Some(socket) = self.net.sockets.remove(&conn) else {
            return Vec::new();
        };
        let reason = error
            .as_ref()
            .map_or("closed by peer".to_owned(), NetError::to_string);
        self.record(Some(&socket.owner.host), TraceEvent::Close { conn, reason });
        self.release_port(&socket.owner.host, socket.local.port);
        vec![(socket.owner, Event::Closed { conn, error })]
    }

    /// Frees a port unless a listener or another connection still uses it.
    fn release_port(&mut self, host: &str, port: u16) {
        let listening = self.net.listeners.contains_key(&(host.to_owned(), port));
        let in_use = self
            .net
            .sockets
            .values()
            .any(|s| s.owner.host == host && s.local.port == port);
        if !listening && !in_use {
            self.free_port(host, port);
        }
    }

    /// A process ended: the kernel closes its sockets and listening ports.
    pub(crate) fn close_all_of(&mut self, pid: &ProcessId) {
        let ports: Vec<u16> = self
            .net
            .listeners
            .iter()
            .filter(|(_, p)| *p == pid)
            .map(|((_, port), _)| *port)
            .collect();
        for port in ports {
            self.unlisten(pid, port);
        }
        let conns: Vec<ConnId> = self
            .net
            .sockets
            .iter()
            .filter(|(_, s)| &s.owner == pid)
            .map(|(c, _)| *c)
            .collect();
        for conn in conns {
            let connecting = self
                .net
                .sockets
                .get(&conn)
                .is_some_and(|s| s.state == SocketState::SynSent);
            if connecting {
                let s = self.net.sockets.remove(&conn).expect("listed");
                self.free_port(&pid.host, s.local.port);
            } else {
                self.close(conn);
            }
        }
    }

    pub(crate) fn socket_addrs(&self, conn: ConnId) -> Option<(SocketAddr, SocketAddr)> {
        self.net.sockets.get(&conn).map(|s| (s.local, s.peer))
    }
}
