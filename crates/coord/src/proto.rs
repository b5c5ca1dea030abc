//! What a ZooKeeper client and server say to each other: the connect
//! handshake, requests with their `xid`, replies with the zxid they were
//! served at, watch notifications (`xid` -1) and pings (`xid` -2). Typed
//! messages of the simulated network, named after ZooKeeper's records.

use bytes::Bytes;
use sim::Payload;

use crate::acl::Acl;
use crate::error::ErrorCode;
use crate::prep::{CreateMode, WriteOp};
use crate::tree::Stat;
use crate::watch::{EventType, KeeperState};

/// The `xid` of watch notifications.
pub const NOTIFICATION_XID: i32 = -1;
/// The `xid` of pings and their replies.
pub const PING_XID: i32 = -2;

/// A client's request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Write(WriteOp),
    Exists {
        path: String,
        watch: bool,
    },
    GetData {
        path: String,
        watch: bool,
    },
    GetAcl {
        path: String,
    },
    /// `getChildren`, and `getChildren2` (with the node's stat) for `ls2`/`ls -s`.
    GetChildren {
        path: String,
        watch: bool,
        with_stat: bool,
    },
    Sync {
        path: String,
    },
    Ping,
    CloseSession,
    /// Watches to set again after a reconnect, for changes after `relative_zxid`.
    SetWatches {
        relative_zxid: i64,
        data: Vec<String>,
        exist: Vec<String>,
        child: Vec<String>,
    },
}

impl Op {
    pub fn create(path: &str, data: Option<&[u8]>, mode: CreateMode) -> Op {
        Op::Write(WriteOp::Create {
            path: path.to_owned(),
            data: data.map(Bytes::copy_from_slice),
            acl: Acl::open(),
            mode,
        })
    }

    pub fn delete(path: &str, version: i32) -> Op {
        Op::Write(WriteOp::Delete {
            path: path.to_owned(),
            version,
        })
    }

    pub fn set_data(path: &str, data: Option<&[u8]>, version: i32) -> Op {
        Op::Write(WriteOp::SetData {
            path: path.to_owned(),
            data: data.map(Bytes::copy_from_slice),
            version,
        })
    }

    /// The path the operation is about, for error messages.
    pub fn path(&self) -> Option<&str> {
        match self {
            Op::Write(WriteOp::Create { path, .. })
            | Op::Write(WriteOp::Delete { path, .. })
            | Op::Write(WriteOp::SetData { path, .. })
            | Op::Write(WriteOp::SetAcl { path, .. })
            | Op::Write(WriteOp::Check { path, .. })
            | Op::Exists { path, .. }
            | Op::GetData { path, .. }
            | Op::GetAcl { path }
            | Op::GetChildren { path, .. }
            | Op::Sync { path } => Some(path),
            _ => None,
        }
    }

    /// Whether the leader has to order it (writes, and session ends).
    pub fn is_write(&self) -> bool {
        matches!(self, Op::Write(_) | Op::CloseSession)
    }

    /// ZooKeeper's `OpCode` name, as `cons` and the logs show it.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Write(WriteOp::Create { .. }) => "create",
            Op::Write(WriteOp::Delete { .. }) => "delete",
            Op::Write(WriteOp::SetData { .. }) => "setData",
            Op::Write(WriteOp::SetAcl { .. }) => "setACL",
            Op::Write(WriteOp::Check { .. }) => "check",
            Op::Write(WriteOp::Multi(_)) => "multi",
            Op::Exists { .. } => "exists",
            Op::GetData { .. } => "getData",
            Op::GetAcl { .. } => "getACL",
            Op::GetChildren {
                with_stat: false, ..
            } => "getChildren",
            Op::GetChildren {
                with_stat: true, ..
            } => "getChildren2",
            Op::Sync { .. } => "sync",
            Op::Ping => "ping",
            Op::CloseSession => "closeSession",
            Op::SetWatches { .. } => "setWatches",
        }
    }
}

/// One op's result inside a multi's reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpResult {
    Create { path: String },
    Delete,
    SetData { stat: Stat },
    Check,
    Error(Option<ErrorCode>),
}

/// What a successful reply carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyBody {
    Empty,
    Created {
        path: String,
    },
    Stat(Stat),
    Data {
        data: Option<Bytes>,
        stat: Stat,
    },
    Acl {
        acl: Vec<Acl>,
        stat: Stat,
    },
    Children {
        children: Vec<String>,
        stat: Option<Stat>,
    },
    Synced {
        path: String,
    },
    Multi(Vec<OpResult>),
}

/// The messages of the client protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZkPacket {
    /// `ConnectRequest`: a new session (`session_id` 0) or one to resume.
    Connect {
        last_zxid_seen: i64,
        timeout_ms: i32,
        session_id: i64,
        password: Bytes,
    },
    /// `ConnectResponse`: a timeout of 0 means the session has expired.
    Connected {
        timeout_ms: i32,
        session_id: i64,
        password: Bytes,
    },
    Request {
        xid: i32,
        op: Op,
    },
    Reply {
        xid: i32,
        zxid: i64,
        result: Result<ReplyBody, ErrorCode>,
    },
    /// `WatcherEvent`.
    Notification {
        state: KeeperState,
        event: EventType,
        path: String,
    },
}

impl Payload for ZkPacket {
    fn summary(&self) -> String {
        match self {
            ZkPacket::Connect {
                session_id,
                timeout_ms,
                last_zxid_seen,
                ..
            } => format!(
                "zk connect session=0x{session_id:x} timeout={timeout_ms} lastZxid=0x{last_zxid_seen:x}"
            ),
            ZkPacket::Connected {
                session_id,
                timeout_ms,
                ..
            } => format!("zk connected session=0x{session_id:x} timeout={timeout_ms}"),
            ZkPacket::Request { xid, op } => match op.path() {
                Some(path) => format!("zk {} xid={xid} {path}", op.name()),
                None => format!("zk {} xid={xid}", op.name()),
            },
            ZkPacket::Reply { xid, zxid, result } => match result {
                Ok(_) => format!("zk reply xid={xid} zxid=0x{zxid:x}"),
                Err(code) => format!("zk reply xid={xid} zxid=0x{zxid:x} {}", code.text()),
            },
            ZkPacket::Notification { event, path, state } => {
                format!("zk watch {} {} {path}", state.name(), event.name())
            }
        }
    }
}
