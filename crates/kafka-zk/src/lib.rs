//! What Kafka writes to ZooKeeper, for Kafka 0.8.0 and 2.8.2: the znode
//! paths, and each znode's data byte for byte, with typed encoders and
//! decoders.
//!
//! The simulated brokers, controller and tools must leave the same tree a
//! real cluster leaves, so that `zookeeper-shell.sh … get /brokers/ids/0`
//! prints what it prints against real Kafka. The research behind every rule,
//! with sources per release, is `crates/coord/KAFKA-ZK-LAYOUT.md`; this crate
//! follows it. It is pure data (no ZooKeeper client, no clock): timestamps,
//! ids and sequence numbers are arguments.
//!
//! The two releases write JSON differently:
//! - **0.8.0** builds JSON by hand (`Utils.mergeJsonFields`): keys sorted, a
//!   space inside braces and brackets and after commas, no escaping —
//!   `{ "host":"kafka-1", "jmx_port":-1, "port":9092, "timestamp":"1380000000000", "version":1 }`.
//! - **2.8.2** uses Jackson: compact, keys in the iteration order of the Scala
//!   2.13 (or JDK) map Kafka built, which [`order`] computes —
//!   `{"version":1,"brokerid":0,"timestamp":"1700000000000"}`.
//!
//! A type written by both releases has `encode(&self, release)` and
//! `decode(release, bytes)`; a type only one release writes has
//! `encode(&self)` and `decode(bytes)` and says which release. Decoders accept
//! what that release writes, in any key order and spacing, and fail with
//! [`DecodeError`] where Kafka's reader fails, or on a `version` the release
//! does not write.
//!
//! | znode | kind | 0.8.0 | 2.8.2 | type |
//! |---|---|---|---|---|
//! | `/brokers/ids/<id>` | E | `{ "host":…, "jmx_port":…, "port":…, "timestamp":"…", "version":1 }` | `{"features":{},"listener_security_protocol_map":{…},"endpoints":[…],"jmx_port":…,"port":…,"host":…,"version":5,"timestamp":"…"}` | [`BrokerRegistration`] |
//! | `/brokers/topics/<t>` | P | `{ "partitions":{ "0":[ 0 ] }, "version":1 }` | `{"partitions":{"0":[0]},"topic_id":"…","adding_replicas":{},"removing_replicas":{},"version":3}` | [`TopicAssignment`] |
//! | `/brokers/topics/<t>/partitions`, `…/<p>` | P | no data | no data | — |
//! | `/brokers/topics/<t>/partitions/<p>/state` | P | `{ "controller_epoch":1, "isr":[ 0 ], "leader":0, "leader_epoch":0, "version":1 }` | `{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0,"isr":[0]}` | [`PartitionState`] |
//! | `/controller` | E | `{ "brokerid":0, "timestamp":"…", "version":1 }` | `{"version":1,"brokerid":0,"timestamp":"…"}` | [`Controller`] |
//! | `/controller_epoch` | P | `1` | `1` | [`ControllerEpoch`] |
//! | `/admin/reassign_partitions` | P | `{ "partitions":[ { "partition":0, "replicas":[ 1, 2 ], "topic":"test" } ], "version":1 }` | `{"version":1,"partitions":[{"topic":"test","partition":0,"replicas":[1,2]}]}` | [`PartitionReassignment`] |
//! | `/admin/preferred_replica_election` | P | `{ "partitions":[ { "partition":0, "topic":"test" } ], "version":1 }` | `{"version":1,"partitions":[{"topic":"test","partition":0}]}` | [`PreferredReplicaElection`] |
//! | `/admin/delete_topics/<t>` | P | — | no data | — |
//! | `/isr_change_notification/isr_change_<seq>` | PS | — | `{"version":1,"partitions":[{"topic":"test","partition":0}]}` | [`IsrChangeNotification`] |
//! | `/log_dir_event_notification/log_dir_event_<seq>` | PS | — | `{"version":1,"broker":0,"event":1}` | [`LogDirEventNotification`] |
//! | `/config/<type>/<name>` | P | — | `{"version":1,"config":{…}}` | [`EntityConfig`] |
//! | `/config/changes/config_change_<seq>` | PS | — | `{"version":2,"entity_path":"topics/test"}` | [`ConfigChangeNotification`] |
//! | `/cluster/id` | P | — | `{"version":"1","id":"…"}` | [`ClusterId`] |
//! | `/feature` | P | — | `{"features":{},"version":1,"status":1}` | [`FeatureZnode`] |
//! | `/latest_producer_id_block` | P | — | `{"version":1,"broker":0,"block_start":"0","block_end":"999"}` | [`ProducerIdBlock`] |
//! | `/brokers/seqid` | P | — | no data, later empty data | — |
//! | `/consumers/<g>/ids/<consumer>` | E | `{ "pattern":"white_list", "subscription":{ "test" : 1 }, "timestamp":"…", "version":1 }` | — | [`ConsumerRegistration`] |
//! | `/consumers/<g>/owners/<t>/<p>` | E | `<consumerId>-<n>` (text) | — | [`ConsumerThreadId`] |
//! | `/consumers/<g>/offsets/<t>/<p>` | P | `42` (text) | `42` (text, OffsetCommit v0 only) | [`ConsumerOffset`] |
//! | parents (`/brokers`, `/brokers/ids`, `/admin`, `/config/topics`, …) | P | no data | no data | [`paths::startup_paths`] |
//!
//! P = persistent, E = ephemeral, PS = persistent sequential ([`paths::kind`]).
//! "No data" is a znode created with `null` data, which `get` prints as `null`.

pub mod admin;
pub mod broker;
pub mod cluster;
pub mod config;
pub mod consumer;
pub mod controller;
pub mod error;
mod jackson;
pub mod notification;
pub mod order;
pub mod partition_state;
pub mod paths;
mod read;
pub mod topic;
mod utils_json;

pub use admin::{PartitionReassignment, PreferredReplicaElection, ReassignedPartition};
pub use broker::{BrokerRegistration, EndPoint, SecurityProtocol};
pub use cluster::{ClusterId, FeatureStatus, FeatureZnode, ProducerIdBlock};
pub use config::{ConfigChangeNotification, EntityConfig};
pub use consumer::{ConsumerOffset, ConsumerRegistration, ConsumerThreadId, Subscription};
pub use controller::{Controller, ControllerEpoch};
/// The Kafka releases, shared with the distributions the playground ships.
pub use distribution::Release;
pub use error::DecodeError;
pub use notification::{IsrChangeNotification, LogDirEventNotification};
pub use partition_state::PartitionState;
pub use topic::{ReplicaAssignment, TopicAssignment};

use jackson::Value;
use read::Object;

/// A topic and partition, as the admin znodes and ISR notifications list them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: i32,
}

impl TopicPartition {
    pub fn new(topic: impl Into<String>, partition: i32) -> Self {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }

    /// 2.8.2: `Map("topic" -> …, "partition" -> …)`, a Map2 in insertion order.
    pub(crate) fn to_jackson(&self) -> Value {
        Value::Map(vec![
            ("topic".into(), Value::str(&self.topic)),
            ("partition".into(), Value::Int(self.partition.into())),
        ])
    }

    /// 2.8.2: `{"version":1,"partitions":[{"topic":…,"partition":…},…]}`,
    /// the body of `/admin/preferred_replica_election` and of an ISR change
    /// notification.
    pub(crate) fn jackson_list(partitions: &[TopicPartition]) -> Value {
        Value::Map(vec![
            ("version".into(), Value::Int(1)),
            (
                "partitions".into(),
                Value::List(partitions.iter().map(TopicPartition::to_jackson).collect()),
            ),
        ])
    }

    /// 0.8.0: `{ "partition":0, "topic":"test" }`.
    pub(crate) fn to_0_8_0(&self) -> String {
        let partition = self.partition.to_string();
        let mut fields = utils_json::map_to_json_fields(&[("topic", &self.topic)], true);
        fields.extend(utils_json::map_to_json_fields(
            &[("partition", &partition)],
            false,
        ));
        utils_json::merge_json_fields(fields)
    }

    pub(crate) fn read(obj: &Object<'_>) -> Result<Self, DecodeError> {
        Ok(TopicPartition {
            topic: obj.req("topic")?.string()?,
            partition: obj.req("partition")?.int()?,
        })
    }
}

/// Reads `"partitions":[{topic, partition}, …]`, as the preferred replica
/// election and the ISR change notification write it.
pub(crate) fn read_topic_partitions(obj: &Object<'_>) -> Result<Vec<TopicPartition>, DecodeError> {
    obj.req("partitions")?
        .array()?
        .iter()
        .map(|item| TopicPartition::read(&item.object()?))
        .collect()
}
