//! What a process can do while it handles an event: its window on the world.

use std::time::Duration;

use crate::fs::SharedFs;
use crate::net::{ConnId, NetError, SocketAddr};
use crate::process::{Message, ProcessId, ProcessTimer};
use crate::storage::HostStorage;
use crate::world::{Core, Due, Effects};
use crate::{SimTime, TimerKind, TraceEvent};

/// A process's access to the world during one event.
pub struct Context<'a> {
    core: &'a mut Core,
    pid: &'a ProcessId,
    effects: &'a mut Effects,
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context").field("pid", self.pid).finish()
    }
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        core: &'a mut Core,
        pid: &'a ProcessId,
        effects: &'a mut Effects,
    ) -> Context<'a> {
        Context { core, pid, effects }
    }

    pub fn now(&self) -> SimTime {
        self.core.now
    }

    pub fn pid(&self) -> &ProcessId {
        self.pid
    }

    pub fn host(&self) -> &str {
        &self.pid.host
    }

    /// A uniformly random number in `0..bound` from the world's RNG.
    pub fn random_below(&mut self, bound: u64) -> u64 {
        self.core.random_below(bound)
    }

    /// Calls back with [`crate::Event::Timer`]`(token)` after `after`.
    /// Periodic housekeeping (heartbeats, checks) uses [`TimerKind::Periodic`]
    /// so that it does not keep the world from settling.
    pub fn set_timer(&mut self, after: Duration, token: u64, kind: TimerKind) -> ProcessTimer {
        let at = self.core.now + after;
        ProcessTimer(self.core.schedule(
            at,
            kind,
            Due::Timer {
                pid: self.pid.clone(),
                token,
            },
        ))
    }

    pub fn cancel_timer(&mut self, timer: ProcessTimer) {
        self.core.queue.cancel(timer.0);
    }

    /// Listens on a port of every address of the host.
    pub fn listen(&mut self, port: u16) -> Result<(), NetError> {
        self.core.listen(self.pid, port)
    }

    pub fn stop_listening(&mut self, port: u16) {
        self.core.unlisten(self.pid, port);
    }

    /// Opens a connection to `host:port`; [`crate::Event::Connected`] or
    /// [`crate::Event::ConnectFailed`] follows. An unknown name fails at once.
    pub fn connect(&mut self, host: &str, port: u16) -> Result<ConnId, NetError> {
        self.core.connect(self.pid, host, port)
    }

    /// Sends on a connection; messages arrive in the order sent.
    pub fn send(&mut self, conn: ConnId, message: Message) {
        self.core.send(conn, message);
    }

    /// Closes a connection; the peer sees it after what was sent before.
    pub fn close(&mut self, conn: ConnId) {
        self.core.close(conn);
    }

    /// This end's address and the peer's.
    pub fn addresses(&self, conn: ConnId) -> Option<(SocketAddr, SocketAddr)> {
        self.core.socket_addrs(conn)
    }

    /// The address a name resolves to from this host (`localhost` is 127.0.0.1).
    pub fn resolve(&self, name: &str) -> Option<std::net::Ipv4Addr> {
        let host = self.core.resolve(&self.pid.host, name)?;
        Some(if host == self.pid.host && name != self.pid.host {
            std::net::Ipv4Addr::LOCALHOST
        } else {
            self.core.host(&host).ip
        })
    }

    /// Console output (the terminal, or the file its output goes to).
    pub fn stdout(&mut self, text: &str) {
        self.effects.stdout.push_str(text);
    }

    pub fn stderr(&mut self, text: &str) {
        self.effects.stderr.push_str(text);
    }

    /// Ends the process with a status once this event is handled.
    pub fn exit(&mut self, status: i32) {
        self.effects.exit.get_or_insert(status);
    }

    /// The host's file system.
    pub fn fs(&self) -> SharedFs {
        self.core.host(&self.pid.host).fs.clone()
    }

    /// Takes an advisory, exclusive lock on a file of the host (Java's
    /// `FileChannel.tryLock`): true if this process now holds it (or already
    /// did), false if another process does. The lock is released when the
    /// process ends, however it ends; the file itself is not touched.
    pub fn try_lock(&mut self, path: &str) -> bool {
        self.core.try_lock(self.pid, path)
    }

    /// A [`kafka_log::Storage`] on the host's files under `root` (a data directory).
    pub fn storage(&self, root: &str) -> HostStorage {
        HostStorage::new(self.fs(), root)
    }

    /// A note in the world's trace.
    pub fn trace(&mut self, text: String) {
        let host = self.pid.host.clone();
        self.core.record(Some(&host), TraceEvent::Note(text));
    }
}
