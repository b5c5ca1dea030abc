//! Kafka's request types (API keys) and the versions each release's broker
//! answers. 0.8.0's `RequestKeys` has eight, all at version 0 (offset commit
//! and fetch came in 0.8.1: 0.8.0's consumers keep offsets in ZooKeeper);
//! 2.8.2's ZooKeeper-mode broker answers the APIs whose message definitions
//! list the `zkBroker` listener, at the versions they declare.

use distribution::Release;

/// An API key, named as 2.8.2's `ApiKeys` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(i16)]
pub enum ApiKey {
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    LeaderAndIsr = 4,
    StopReplica = 5,
    UpdateMetadata = 6,
    ControlledShutdown = 7,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    JoinGroup = 11,
    Heartbeat = 12,
    LeaveGroup = 13,
    SyncGroup = 14,
    DescribeGroups = 15,
    ListGroups = 16,
    SaslHandshake = 17,
    ApiVersions = 18,
    CreateTopics = 19,
    DeleteTopics = 20,
    DeleteRecords = 21,
    InitProducerId = 22,
    OffsetForLeaderEpoch = 23,
    AddPartitionsToTxn = 24,
    AddOffsetsToTxn = 25,
    EndTxn = 26,
    WriteTxnMarkers = 27,
    TxnOffsetCommit = 28,
    DescribeAcls = 29,
    CreateAcls = 30,
    DeleteAcls = 31,
    DescribeConfigs = 32,
    AlterConfigs = 33,
    AlterReplicaLogDirs = 34,
    DescribeLogDirs = 35,
    SaslAuthenticate = 36,
    CreatePartitions = 37,
    CreateDelegationToken = 38,
    RenewDelegationToken = 39,
    ExpireDelegationToken = 40,
    DescribeDelegationToken = 41,
    DeleteGroups = 42,
    ElectLeaders = 43,
    IncrementalAlterConfigs = 44,
    AlterPartitionReassignments = 45,
    ListPartitionReassignments = 46,
    OffsetDelete = 47,
    DescribeClientQuotas = 48,
    AlterClientQuotas = 49,
    DescribeUserScramCredentials = 50,
    AlterUserScramCredentials = 51,
    Vote = 52,
    BeginQuorumEpoch = 53,
    EndQuorumEpoch = 54,
    DescribeQuorum = 55,
    AlterIsr = 56,
    UpdateFeatures = 57,
    Envelope = 58,
    FetchSnapshot = 59,
    DescribeCluster = 60,
    DescribeProducers = 61,
    BrokerRegistration = 62,
    BrokerHeartbeat = 63,
    UnregisterBroker = 64,
}

/// 2.8.2's definition of one API: its name and versions, and whether a
/// ZooKeeper-mode broker serves it.
struct Definition {
    key: ApiKey,
    name: &'static str,
    min_version: i16,
    max_version: i16,
    zk_broker: bool,
}

const DEFINITIONS: &[Definition] = &[
    Definition {
        key: ApiKey::Produce,
        name: "Produce",
        min_version: 0,
        max_version: 9,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::Fetch,
        name: "Fetch",
        min_version: 0,
        max_version: 12,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::ListOffsets,
        name: "ListOffsets",
        min_version: 0,
        max_version: 6,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::Metadata,
        name: "Metadata",
        min_version: 0,
        max_version: 11,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::LeaderAndIsr,
        name: "LeaderAndIsr",
        min_version: 0,
        max_version: 5,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::StopReplica,
        name: "StopReplica",
        min_version: 0,
        max_version: 3,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::UpdateMetadata,
        name: "UpdateMetadata",
        min_version: 0,
        max_version: 7,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::ControlledShutdown,
        name: "ControlledShutdown",
        min_version: 0,
        max_version: 3,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::OffsetCommit,
        name: "OffsetCommit",
        min_version: 0,
        max_version: 8,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::OffsetFetch,
        name: "OffsetFetch",
        min_version: 0,
        max_version: 7,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::FindCoordinator,
        name: "FindCoordinator",
        min_version: 0,
        max_version: 3,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::JoinGroup,
        name: "JoinGroup",
        min_version: 0,
        max_version: 7,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::Heartbeat,
        name: "Heartbeat",
        min_version: 0,
        max_version: 4,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::LeaveGroup,
        name: "LeaveGroup",
        min_version: 0,
        max_version: 4,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::SyncGroup,
        name: "SyncGroup",
        min_version: 0,
        max_version: 5,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::DescribeGroups,
        name: "DescribeGroups",
        min_version: 0,
        max_version: 5,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::ListGroups,
        name: "ListGroups",
        min_version: 0,
        max_version: 4,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::SaslHandshake,
        name: "SaslHandshake",
        min_version: 0,
        max_version: 1,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::ApiVersions,
        name: "ApiVersions",
        min_version: 0,
        max_version: 3,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::CreateTopics,
        name: "CreateTopics",
        min_version: 0,
        max_version: 7,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::DeleteTopics,
        name: "DeleteTopics",
        min_version: 0,
        max_version: 6,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::DeleteRecords,
        name: "DeleteRecords",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::InitProducerId,
        name: "InitProducerId",
        min_version: 0,
        max_version: 4,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::OffsetForLeaderEpoch,
        name: "OffsetForLeaderEpoch",
        min_version: 0,
        max_version: 4,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::AddPartitionsToTxn,
        name: "AddPartitionsToTxn",
        min_version: 0,
        max_version: 3,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::AddOffsetsToTxn,
        name: "AddOffsetsToTxn",
        min_version: 0,
        max_version: 3,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::EndTxn,
        name: "EndTxn",
        min_version: 0,
        max_version: 3,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::WriteTxnMarkers,
        name: "WriteTxnMarkers",
        min_version: 0,
        max_version: 1,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::TxnOffsetCommit,
        name: "TxnOffsetCommit",
        min_version: 0,
        max_version: 3,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::DescribeAcls,
        name: "DescribeAcls",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::CreateAcls,
        name: "CreateAcls",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::DeleteAcls,
        name: "DeleteAcls",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::DescribeConfigs,
        name: "DescribeConfigs",
        min_version: 0,
        max_version: 4,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::AlterConfigs,
        name: "AlterConfigs",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::AlterReplicaLogDirs,
        name: "AlterReplicaLogDirs",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::DescribeLogDirs,
        name: "DescribeLogDirs",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::SaslAuthenticate,
        name: "SaslAuthenticate",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::CreatePartitions,
        name: "CreatePartitions",
        min_version: 0,
        max_version: 3,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::CreateDelegationToken,
        name: "CreateDelegationToken",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::RenewDelegationToken,
        name: "RenewDelegationToken",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::ExpireDelegationToken,
        name: "ExpireDelegationToken",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::DescribeDelegationToken,
        name: "DescribeDelegationToken",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::DeleteGroups,
        name: "DeleteGroups",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::ElectLeaders,
        name: "ElectLeaders",
        min_version: 0,
        max_version: 2,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::IncrementalAlterConfigs,
        name: "IncrementalAlterConfigs",
        min_version: 0,
        max_version: 1,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::AlterPartitionReassignments,
        name: "AlterPartitionReassignments",
        min_version: 0,
        max_version: 0,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::ListPartitionReassignments,
        name: "ListPartitionReassignments",
        min_version: 0,
        max_version: 0,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::OffsetDelete,
        name: "OffsetDelete",
        min_version: 0,
        max_version: 0,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::DescribeClientQuotas,
        name: "DescribeClientQuotas",
        min_version: 0,
        max_version: 1,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::AlterClientQuotas,
        name: "AlterClientQuotas",
        min_version: 0,
        max_version: 1,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::DescribeUserScramCredentials,
        name: "DescribeUserScramCredentials",
        min_version: 0,
        max_version: 0,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::AlterUserScramCredentials,
        name: "AlterUserScramCredentials",
        min_version: 0,
        max_version: 0,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::Vote,
        name: "Vote",
        min_version: 0,
        max_version: 0,
        zk_broker: false,
    },
    Definition {
        key: ApiKey::BeginQuorumEpoch,
        name: "BeginQuorumEpoch",
        min_version: 0,
        max_version: 0,
        zk_broker: false,
    },
    Definition {
        key: ApiKey::EndQuorumEpoch,
        name: "EndQuorumEpoch",
        min_version: 0,
        max_version: 0,
        zk_broker: false,
    },
    Definition {
        key: ApiKey::DescribeQuorum,
        name: "DescribeQuorum",
        min_version: 0,
        max_version: 0,
        zk_broker: false,
    },
    Definition {
        key: ApiKey::AlterIsr,
        name: "AlterIsr",
        min_version: 0,
        max_version: 0,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::UpdateFeatures,
        name: "UpdateFeatures",
        min_version: 0,
        max_version: 0,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::Envelope,
        name: "Envelope",
        min_version: 0,
        max_version: 0,
        zk_broker: false,
    },
    Definition {
        key: ApiKey::FetchSnapshot,
        name: "FetchSnapshot",
        min_version: 0,
        max_version: 0,
        zk_broker: false,
    },
    Definition {
        key: ApiKey::DescribeCluster,
        name: "DescribeCluster",
        min_version: 0,
        max_version: 0,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::DescribeProducers,
        name: "DescribeProducers",
        min_version: 0,
        max_version: 0,
        zk_broker: true,
    },
    Definition {
        key: ApiKey::BrokerRegistration,
        name: "BrokerRegistration",
        min_version: 0,
        max_version: 0,
        zk_broker: false,
    },
    Definition {
        key: ApiKey::BrokerHeartbeat,
        name: "BrokerHeartbeat",
        min_version: 0,
        max_version: 0,
        zk_broker: false,
    },
    Definition {
        key: ApiKey::UnregisterBroker,
        name: "UnregisterBroker",
        min_version: 0,
        max_version: 0,
        zk_broker: false,
    },
];

/// 0.8.0's `RequestKeys`: key and the name its request logs use.
const REQUEST_KEYS_0_8_0: &[(ApiKey, &str)] = &[
    (ApiKey::Produce, "Produce"),
    (ApiKey::Fetch, "Fetch"),
    (ApiKey::ListOffsets, "Offsets"),
    (ApiKey::Metadata, "Metadata"),
    (ApiKey::LeaderAndIsr, "LeaderAndIsr"),
    (ApiKey::StopReplica, "StopReplica"),
    (ApiKey::UpdateMetadata, "UpdateMetadata"),
    (ApiKey::ControlledShutdown, "ControlledShutdown"),
];

impl ApiKey {
    fn definition(self) -> &'static Definition {
        &DEFINITIONS[self as usize]
    }

    pub fn id(self) -> i16 {
        self as i16
    }

    pub fn for_id(id: i16) -> Option<ApiKey> {
        usize::try_from(id)
            .ok()
            .and_then(|i| DEFINITIONS.get(i))
            .map(|d| d.key)
    }

    /// The name a release gives it (`Offsets` in 0.8.0, `ListOffsets` after).
    pub fn name(self, release: Release) -> &'static str {
        match release {
            Release::V0_8_0 => REQUEST_KEYS_0_8_0
                .iter()
                .find(|(k, _)| *k == self)
                .map_or(self.definition().name, |(_, n)| *n),
            Release::V2_8_2 => self.definition().name,
        }
    }

    /// The versions a broker of `release` answers, or `None` if it does not
    /// know the API (it then closes the connection, as Kafka does).
    pub fn versions(self, release: Release) -> Option<(i16, i16)> {
        match release {
            Release::V0_8_0 => REQUEST_KEYS_0_8_0
                .iter()
                .any(|(k, _)| *k == self)
                .then_some((0, 0)),
            Release::V2_8_2 => {
                let d = self.definition();
                d.zk_broker.then_some((d.min_version, d.max_version))
            }
        }
    }

    /// Every API a broker of `release` answers, in key order (an
    /// ApiVersions response lists them so).
    pub fn all(release: Release) -> impl Iterator<Item = (ApiKey, i16, i16)> {
        DEFINITIONS
            .iter()
            .filter_map(move |d| d.key.versions(release).map(|(min, max)| (d.key, min, max)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_indexes() {
        for (i, d) in DEFINITIONS.iter().enumerate() {
            assert_eq!(d.key as usize, i);
            assert_eq!(ApiKey::for_id(i as i16), Some(d.key));
        }
        assert_eq!(ApiKey::for_id(-1), None);
        assert_eq!(ApiKey::for_id(65), None);
    }

    #[test]
    fn each_release_answers_its_own_apis() {
        assert_eq!(ApiKey::all(Release::V0_8_0).count(), 8);
        assert_eq!(ApiKey::Produce.versions(Release::V2_8_2), Some((0, 9)));
        assert_eq!(ApiKey::Fetch.versions(Release::V2_8_2), Some((0, 12)));
        assert_eq!(ApiKey::ApiVersions.versions(Release::V0_8_0), None);
        assert_eq!(ApiKey::Vote.versions(Release::V2_8_2), None);
        assert_eq!(ApiKey::ListOffsets.name(Release::V0_8_0), "Offsets");
    }
}
