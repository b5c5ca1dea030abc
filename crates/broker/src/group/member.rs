//! `MemberMetadata`: one member of a group — who it is, the protocols it
//! supports, its assignment, and the JoinGroup or SyncGroup request of its
//! that waits for the group.

use bytes::Bytes;

use crate::replica::RequestId;

/// A request that waits in the group for its answer: the caller's id for it
/// and the version its answer must speak (Kafka's response callback).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiter {
    pub id: RequestId,
    pub version: i16,
}

/// `MemberMetadata`.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberMetadata {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    pub client_id: String,
    pub client_host: String,
    pub rebalance_timeout_ms: i32,
    pub session_timeout_ms: i32,
    pub protocol_type: String,
    /// The protocols in the member's order of preference, with its metadata for each.
    pub supported_protocols: Vec<(String, Bytes)>,
    pub assignment: Bytes,
    pub awaiting_join: Option<Waiter>,
    pub awaiting_sync: Option<Waiter>,
    pub is_leaving: bool,
    pub is_new: bool,
    /// Set when a heartbeat (or anything showing the member alive) arrives,
    /// cleared when the next expiration is scheduled.
    pub heartbeat_satisfied: bool,
}

impl MemberMetadata {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        member_id: String,
        group_instance_id: Option<String>,
        client_id: String,
        client_host: String,
        rebalance_timeout_ms: i32,
        session_timeout_ms: i32,
        protocol_type: String,
        supported_protocols: Vec<(String, Bytes)>,
    ) -> MemberMetadata {
        MemberMetadata {
            member_id,
            group_instance_id,
            client_id,
            client_host,
            rebalance_timeout_ms,
            session_timeout_ms,
            protocol_type,
            supported_protocols,
            assignment: Bytes::new(),
            awaiting_join: None,
            awaiting_sync: None,
            is_leaving: false,
            is_new: false,
            heartbeat_satisfied: false,
        }
    }

    pub fn is_static_member(&self) -> bool {
        self.group_instance_id.is_some()
    }

    pub fn is_awaiting_join(&self) -> bool {
        self.awaiting_join.is_some()
    }

    pub fn is_awaiting_sync(&self) -> bool {
        self.awaiting_sync.is_some()
    }

    /// The member's metadata for `protocol`.
    pub fn metadata(&self, protocol: &str) -> Bytes {
        self.supported_protocols
            .iter()
            .find(|(name, _)| name == protocol)
            .map(|(_, metadata)| metadata.clone())
            .expect("Member does not support protocol")
    }

    pub fn has_satisfied_heartbeat(&self) -> bool {
        if self.is_new {
            // New members can be expired while they wait to join.
            self.heartbeat_satisfied
        } else if self.is_awaiting_join() || self.is_awaiting_sync() {
            true
        } else {
            self.heartbeat_satisfied
        }
    }

    /// Whether `protocols` are the member's, names and metadata, in order.
    pub fn matches(&self, protocols: &[(String, Bytes)]) -> bool {
        self.supported_protocols == protocols
    }

    /// `vote`: the member's most preferred protocol among `candidates`.
    pub fn vote(&self, candidates: &[String]) -> String {
        self.supported_protocols
            .iter()
            .find(|(name, _)| candidates.contains(name))
            .map(|(name, _)| name.clone())
            .expect("Member does not support any of the candidate protocols")
    }

    /// The protocol names (`plainProtocolSet`).
    pub fn protocol_names(&self) -> Vec<String> {
        self.supported_protocols
            .iter()
            .map(|(n, _)| n.clone())
            .collect()
    }
}

impl std::fmt::Display for MemberMetadata {
    /// `MemberMetadata.toString`, trailing `, )` included.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "MemberMetadata(memberId={}, groupInstanceId={}, clientId={}, clientHost={}, sessionTimeoutMs={}, rebalanceTimeoutMs={}, supportedProtocols=List({}), )",
            self.member_id,
            crate::scala::option(self.group_instance_id.as_deref()),
            self.client_id,
            self.client_host,
            self.session_timeout_ms,
            self.rebalance_timeout_ms,
            self.protocol_names().join(", ")
        )
    }
}
