//! The simulated network: TCP-like connections between processes on hosts.
//!
//! A connection delivers messages in order, each after the link's latency.
//! A lost segment, a partition or a host that is down delays delivery the
//! way TCP's retransmissions do (200 ms doubling), and after TCP's limits a
//! connection attempt fails (127 s) or a connection times out (about 15
//! minutes); a port with no listener refuses at once; a process that ends
//! closes its connections, and its peers see them closed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::Ipv4Addr;
use std::time::Duration;

use crate::process::{Message, ProcessId};
use crate::SimTime;

/// One end of a connection, as a process holds it (a socket).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConnId(pub u64);

impl fmt::Display for ConnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}", self.0)
    }
}

/// An IPv4 address and port, printed as Java prints an `InetSocketAddress`'s
/// address: `127.0.0.1:2181`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SocketAddr {
    pub ip: Ipv4Addr,
    pub port: u16,
}

impl fmt::Display for SocketAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.ip, self.port)
    }
}

/// Why a connection failed or ended, with the words of Java's exceptions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    /// No process listens on the port (`java.net.ConnectException: Connection refused`).
    Refused,
    /// No answer within TCP's retries.
    TimedOut,
    /// The peer's host reset the connection.
    Reset,
    /// The host name does not resolve (`java.net.UnknownHostException`).
    UnknownHost(String),
    /// The port is taken (`java.net.BindException: Address already in use`).
    AddressInUse,
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetError::Refused => f.write_str("Connection refused"),
            NetError::TimedOut => f.write_str("Connection timed out"),
            NetError::Reset => f.write_str("Connection reset by peer"),
            NetError::UnknownHost(h) => write!(f, "{h}: Name or service not known"),
            NetError::AddressInUse => f.write_str("Address already in use"),
        }
    }
}

/// A link's behaviour between two hosts (or a host and itself).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkConfig {
    pub latency: Duration,
    /// Up to this much more latency, drawn from the world's RNG per segment.
    pub jitter: Duration,
    /// The chance that a segment is lost (and retransmitted), 0.0 to 1.0.
    pub loss: f64,
}

impl LinkConfig {
    /// Between two hosts of one switch.
    pub const LAN: LinkConfig = LinkConfig {
        latency: Duration::from_micros(250),
        jitter: Duration::from_micros(100),
        loss: 0.0,
    };
    /// A host talking to itself.
    pub const LOOPBACK: LinkConfig = LinkConfig {
        latency: Duration::from_micros(30),
        jitter: Duration::ZERO,
        loss: 0.0,
    };
}

/// TCP's first retransmission timeout (Linux `TCP_RTO_MIN`).
pub(crate) const RTO_MIN: Duration = Duration::from_millis(200);
/// TCP's largest retransmission timeout (Linux `TCP_RTO_MAX`).
pub(crate) const RTO_MAX: Duration = Duration::from_secs(120);
/// When a connection attempt gives up: SYNs at 0, 1, 3, 7, 15, 31 and 63 s (`tcp_syn_retries` 6).
pub(crate) const SYN_RETRIES_S: [u64; 7] = [1, 3, 7, 15, 31, 63, 127];
/// When an established connection gives up retransmitting (`tcp_retries2` 15).
pub(crate) const DATA_GIVE_UP: Duration = Duration::from_millis(924_600);

/// The retransmission timeout after `attempt` failed tries.
pub(crate) fn rto(attempt: u32) -> Duration {
    RTO_MIN.saturating_mul(1u32 << attempt.min(20)).min(RTO_MAX)
}

/// What flows in one direction of a connection.
#[derive(Debug)]
pub(crate) enum Segment {
    Data(Message),
    /// The sender closed its end.
    Fin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SocketState {
    /// Connecting: the SYN is on its way.
    SynSent,
    Established,
}

/// One end of a connection.
#[derive(Debug)]
pub(crate) struct Socket {
    pub(crate) owner: ProcessId,
    pub(crate) local: SocketAddr,
    pub(crate) peer: SocketAddr,
    /// The host the peer is on.
    pub(crate) peer_host: String,
    /// The port a connecting socket wants (its peer's listening port).
    pub(crate) peer_conn: Option<ConnId>,
    pub(crate) state: SocketState,
    /// Sequence number of the next segment this end sends.
    pub(crate) next_send: u64,
    /// Sequence number of the next segment this end delivers to its process.
    pub(crate) next_recv: u64,
    /// Segments that arrived before an earlier one (after a retransmission).
    pub(crate) early: BTreeMap<u64, Segment>,
    /// When the last segment this end sent is due, so later ones come after it.
    pub(crate) last_due: SimTime,
    /// Messages sent before the connection was established.
    pub(crate) waiting: Vec<Message>,
    /// The process closed it before it was established.
    pub(crate) close_when_established: bool,
}

impl Socket {
    /// A fresh end of a connection, nothing sent or received yet.
    pub(crate) fn new(
        owner: ProcessId,
        (local, peer): (SocketAddr, SocketAddr),
        peer_host: String,
        peer_conn: Option<ConnId>,
        state: SocketState,
        now: SimTime,
    ) -> Socket {
        Socket {
            owner,
            local,
            peer,
            peer_host,
            peer_conn,
            state,
            next_send: 0,
            next_recv: 0,
            early: Default::default(),
            last_due: now,
            waiting: Vec::new(),
            close_when_established: false,
        }
    }
}

/// The network's state: sockets, listening ports, links and partitions.
#[derive(Debug, Default)]
pub(crate) struct Network {
    pub(crate) next_conn: u64,
    pub(crate) sockets: BTreeMap<ConnId, Socket>,
    pub(crate) listeners: BTreeMap<(String, u16), ProcessId>,
    /// Ports in use on each host (listening or by a connection).
    pub(crate) ports: BTreeMap<String, BTreeSet<u16>>,
    /// Pairs of hosts that cannot reach each other, stored in name order.
    pub(crate) partitions: BTreeSet<(String, String)>,
    pub(crate) links: BTreeMap<(String, String), LinkConfig>,
}

impl Network {
    pub(crate) fn pair(a: &str, b: &str) -> (String, String) {
        if a <= b {
            (a.to_owned(), b.to_owned())
        } else {
            (b.to_owned(), a.to_owned())
        }
    }

    pub(crate) fn partitioned(&self, a: &str, b: &str) -> bool {
        a != b && self.partitions.contains(&Network::pair(a, b))
    }

    pub(crate) fn link(&self, a: &str, b: &str) -> LinkConfig {
        self.links
            .get(&Network::pair(a, b))
            .copied()
            .unwrap_or(if a == b {
                LinkConfig::LOOPBACK
            } else {
                LinkConfig::LAN
            })
    }

    pub(crate) fn new_conn(&mut self) -> ConnId {
        self.next_conn += 1;
        ConnId(self.next_conn)
    }
}
