//! Transactions: what the leader decides a write does, in the order of its
//! zxid. Every server applies the same transactions in the same order to
//! its [`crate::DataTree`]; they are what the transaction log holds.

use bytes::Bytes;

use crate::acl::Acl;
use crate::error::ErrorCode;

/// `TxnHeader`: who asked, which of their requests, the transaction's zxid
/// and the leader's clock when it was proposed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxnHeader {
    /// The session (`clientId`).
    pub session: i64,
    /// The client's request number (`cxid`).
    pub cxid: i32,
    pub zxid: i64,
    /// Milliseconds since the epoch.
    pub time: i64,
}

/// What a transaction does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Txn {
    CreateSession {
        timeout_ms: i32,
    },
    /// Ends a session; its ephemeral nodes go with it.
    CloseSession,
    Create {
        /// The final path (a sequential node's with its counter).
        path: String,
        data: Option<Bytes>,
        acl: Vec<Acl>,
        ephemeral: bool,
        /// The parent's `cversion` after this create.
        parent_cversion: i32,
    },
    Delete {
        path: String,
    },
    SetData {
        path: String,
        data: Option<Bytes>,
        /// The node's version after this change.
        version: i32,
    },
    SetAcl {
        path: String,
        acl: Vec<Acl>,
        version: i32,
    },
    /// Checks a version, inside a multi only.
    Check {
        path: String,
        version: i32,
    },
    /// All or nothing: the transactions of a multi that succeeded.
    Multi(Vec<Txn>),
    /// A request that failed: it still takes a zxid, and applies nothing.
    Error(ErrorCode),
}

impl Txn {
    /// ZooKeeper's `OpCode` of the transaction type.
    pub fn op_code(&self) -> i32 {
        match self {
            Txn::Create { .. } => 1,
            Txn::Delete { .. } => 2,
            Txn::SetData { .. } => 5,
            Txn::SetAcl { .. } => 7,
            Txn::Check { .. } => 13,
            Txn::Multi(_) => 14,
            Txn::CreateSession { .. } => -10,
            Txn::CloseSession => -11,
            Txn::Error(_) => -1,
        }
    }
}
