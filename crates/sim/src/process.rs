//! Processes: the servers and clients that run on the world's hosts
//! (a ZooKeeper server, a broker, a console consumer), as state machines.
//! The world hands a process one [`Event`] at a time with a [`Context`]
//! through which it acts: send, listen, connect, set timers, write its
//! console output and its files, exit. A process never sees a real clock,
//! socket or file.

use std::any::Any;
use std::fmt;

use crate::net::{ConnId, NetError, SocketAddr};

/// A process's identity: its host and its process id there.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProcessId {
    pub host: String,
    pub pid: u32,
}

impl fmt::Display for ProcessId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.host, self.pid)
    }
}

/// Turns a boxed payload back into its type.
pub trait AsAny {
    fn as_any(&self) -> &dyn Any;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// What travels on a connection: a typed request or response (a ZooKeeper
/// operation, a Kafka API call) that is never re-encoded on the way, or raw
/// bytes (what `nc` sends).
pub trait Payload: AsAny + fmt::Debug {
    /// One line for the trace.
    fn summary(&self) -> String;
}

/// A message on the wire.
pub type Message = Box<dyn Payload>;

/// The message as a `T`, or the message back when it is something else.
pub fn downcast<T: Payload + 'static>(message: Message) -> Result<T, Message> {
    if (*message).as_any().is::<T>() {
        Ok(*message
            .into_any()
            .downcast::<T>()
            .expect("checked with is()"))
    } else {
        Err(message)
    }
}

/// Bytes as a program like `nc` writes them to a socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawBytes(pub Vec<u8>);

impl Payload for RawBytes {
    fn summary(&self) -> String {
        format!(
            "{} bytes {:?}",
            self.0.len(),
            String::from_utf8_lossy(&self.0)
        )
    }
}

/// Signals a process can get (`kill`, Ctrl-C, the stop scripts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// SIGHUP (1)
    Hup,
    /// SIGINT (2): Ctrl-C.
    Int,
    /// SIGKILL (9): never reaches the process; the world ends it.
    Kill,
    /// SIGTERM (15): `kill`'s default.
    Term,
}

impl Signal {
    pub fn number(self) -> i32 {
        match self {
            Signal::Hup => 1,
            Signal::Int => 2,
            Signal::Kill => 9,
            Signal::Term => 15,
        }
    }

    /// `kill -l`'s name, without `SIG`.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Hup => "HUP",
            Signal::Int => "INT",
            Signal::Kill => "KILL",
            Signal::Term => "TERM",
        }
    }

    /// What bash's job table says of a job this signal ended.
    pub fn description(self) -> &'static str {
        match self {
            Signal::Hup => "Hangup",
            Signal::Int => "Interrupt",
            Signal::Kill => "Killed",
            Signal::Term => "Terminated",
        }
    }

    pub fn from_number(n: i32) -> Option<Signal> {
        [Signal::Hup, Signal::Int, Signal::Kill, Signal::Term]
            .into_iter()
            .find(|s| s.number() == n)
    }

    pub fn from_name(name: &str) -> Option<Signal> {
        let name = name.strip_prefix("SIG").unwrap_or(name);
        [Signal::Hup, Signal::Int, Signal::Kill, Signal::Term]
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }
}

/// What happens to a process.
#[derive(Debug)]
pub enum Event {
    /// The process was started; it runs its `main`.
    Start,
    /// A timer it set came due.
    Timer(u64),
    /// A connection to one of its listening ports was accepted.
    Accepted {
        conn: ConnId,
        local: SocketAddr,
        peer: SocketAddr,
    },
    /// A connection it opened is established.
    Connected {
        conn: ConnId,
    },
    /// A connection it opened could not be established.
    ConnectFailed {
        conn: ConnId,
        error: NetError,
    },
    Received {
        conn: ConnId,
        message: Message,
    },
    /// The connection ended: closed by the peer (`None`), reset, or timed out.
    Closed {
        conn: ConnId,
        error: Option<NetError>,
    },
    /// A line typed at its terminal (without the newline).
    Stdin(String),
    /// End of its input (Ctrl-D, or the pipe's writer is done).
    StdinClosed,
    Signal(Signal),
}

/// A program running on a host.
pub trait Process {
    fn handle(&mut self, ctx: &mut crate::Context<'_>, event: Event);
}

/// A timer a process set, to cancel it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProcessTimer(pub(crate) crate::TimerId);
