//! Requests the admin tools leave under `/admin` for the controller:
//! `/admin/reassign_partitions` (kafka-reassign-partitions.sh `--execute`) and
//! `/admin/preferred_replica_election` (kafka-preferred-replica-election.sh).
//! Both persistent; the controller rewrites or deletes them when done.
//!
//! `/admin/delete_topics/<topic>` (2.8.2) has no data: see
//! [`crate::paths::delete_topic`].
//!
//! 0.8.0: `ZkUtils.getPartitionReassignmentZkData`@0.8.0 l.651-662 and
//! `PreferredReplicaLeaderElectionCommand.writePreferredReplicaElectionData`@0.8.0
//! l.89-109, sorted and spaced. 2.8.2: Jackson beans
//! `LegacyPartitionAssignment(version, partitions)` /
//! `ReplicaAssignment(topic, partition, replicas)` (ZkData@2.8.2 l.462-500;
//! the property order is inferred), and Map2s for the election.

use distribution::Release;

use crate::error::DecodeError;
use crate::jackson::Value;
use crate::read;
use crate::utils_json;
use crate::{read_topic_partitions, TopicPartition};

/// One partition to move, and its new replicas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReassignedPartition {
    pub topic: String,
    pub partition: i32,
    pub replicas: Vec<i32>,
}

/// The data of `/admin/reassign_partitions`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartitionReassignment {
    /// In the order written (the iteration order of the tool's map).
    pub partitions: Vec<ReassignedPartition>,
}

impl PartitionReassignment {
    pub fn encode(&self, release: Release) -> Vec<u8> {
        match release {
            Release::V0_8_0 => {
                let items: Vec<String> = self
                    .partitions
                    .iter()
                    .map(|p| {
                        let partition = p.partition.to_string();
                        let replicas = utils_json::ints_to_json(&p.replicas);
                        let mut fields =
                            utils_json::map_to_json_fields(&[("topic", &p.topic)], true);
                        fields.extend(utils_json::map_to_json_fields(
                            &[("partition", &partition), ("replicas", &replicas)],
                            false,
                        ));
                        utils_json::merge_json_fields(fields)
                    })
                    .collect();
                let partitions = utils_json::seq_to_json(&items, false);
                utils_json::map_to_json(&[("version", "1"), ("partitions", &partitions)], false)
                    .into_bytes()
            }
            Release::V2_8_2 => {
                let partitions = self
                    .partitions
                    .iter()
                    .map(|p| {
                        Value::Map(vec![
                            ("topic".into(), Value::str(&p.topic)),
                            ("partition".into(), Value::Int(p.partition.into())),
                            ("replicas".into(), Value::ints(&p.replicas)),
                        ])
                    })
                    .collect();
                Value::Map(vec![
                    ("version".into(), Value::Int(1)),
                    ("partitions".into(), Value::List(partitions)),
                ])
                .to_bytes()
            }
        }
    }

    pub fn decode(release: Release, bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        obj.version(release, &[1], "1")?;
        let partitions = obj
            .req("partitions")?
            .array()?
            .iter()
            .map(|item| {
                let p = item.object()?;
                Ok(ReassignedPartition {
                    topic: p.req("topic")?.string()?,
                    partition: p.req("partition")?.int()?,
                    replicas: p.req("replicas")?.int_list()?,
                })
            })
            .collect::<Result<_, DecodeError>>()?;
        Ok(PartitionReassignment { partitions })
    }
}

/// The data of `/admin/preferred_replica_election`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreferredReplicaElection {
    /// In the order written (the iteration order of the tool's Set).
    pub partitions: Vec<TopicPartition>,
}

impl PreferredReplicaElection {
    pub fn encode(&self, release: Release) -> Vec<u8> {
        match release {
            Release::V0_8_0 => {
                let items: Vec<String> = self
                    .partitions
                    .iter()
                    .map(TopicPartition::to_0_8_0)
                    .collect();
                let partitions = utils_json::seq_to_json(&items, false);
                utils_json::map_to_json(&[("version", "1"), ("partitions", &partitions)], false)
                    .into_bytes()
            }
            Release::V2_8_2 => TopicPartition::jackson_list(&self.partitions).to_bytes(),
        }
    }

    pub fn decode(release: Release, bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        obj.version(release, &[1], "1")?;
        Ok(PreferredReplicaElection {
            partitions: read_topic_partitions(&obj)?,
        })
    }
}
