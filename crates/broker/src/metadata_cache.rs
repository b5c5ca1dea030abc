//! `MetadataCache`: what a broker knows of the cluster from the
//! controller's UpdateMetadata requests — the live brokers, the controller,
//! and every partition's leader, ISR and replicas — and the Metadata answer
//! built from it. 0.8.0's `KafkaApis` kept this as its `leaderCache` and
//! `aliveBrokers`; both releases report a partition whose leader is gone as
//! LeaderNotAvailable and one with a replica gone as ReplicaNotAvailable
//! (2.8.2 only for Metadata v0, which lists live replicas only).

use std::collections::BTreeMap;

use distribution::Release;
use kafka_api::requests::{
    LiveBroker, MetadataBroker, MetadataPartition, MetadataTopic, PartitionState,
    UpdateMetadataRequest,
};
use kafka_api::Errors;
use kafka_log::{Level, LogLine};

use crate::scala;

/// `kafka.server.KafkaApis`'s logger, which 0.8.0's metadata errors use.
pub const KAFKA_APIS_LOGGER: &str = "kafka.server.KafkaApis";

/// The names of the topics Kafka keeps for itself.
pub const GROUP_METADATA_TOPIC_NAME: &str = "__consumer_offsets";
pub const TRANSACTION_STATE_TOPIC_NAME: &str = "__transaction_state";

/// `Topic.isInternal`: the topics Kafka keeps for itself.
pub fn is_internal(topic: &str) -> bool {
    topic == GROUP_METADATA_TOPIC_NAME || topic == TRANSACTION_STATE_TOPIC_NAME
}

#[derive(Clone, Debug, Default)]
pub struct MetadataCache {
    local_broker_id: i32,
    brokers: BTreeMap<i32, LiveBroker>,
    partitions: BTreeMap<String, BTreeMap<i32, PartitionState>>,
    controller_id: Option<i32>,
}

impl MetadataCache {
    pub fn new(local_broker_id: i32) -> MetadataCache {
        MetadataCache {
            local_broker_id,
            ..MetadataCache::default()
        }
    }

    /// Takes an UpdateMetadata (or 0.8.0's LeaderAndIsr leaders): the live
    /// brokers replace the old ones; partition states replace theirs; a
    /// state whose leader is -2 (`LeaderDuringDelete`) removes the partition.
    pub fn update_metadata(&mut self, request: &UpdateMetadataRequest) {
        self.controller_id = Some(request.controller_id);
        self.brokers = request
            .live_brokers
            .iter()
            .map(|b| (b.id, b.clone()))
            .collect();
        for state in &request.partition_states {
            let topic = &state.partition.topic;
            if state.leader == -2 {
                if let Some(partitions) = self.partitions.get_mut(topic) {
                    partitions.remove(&state.partition.partition);
                    if partitions.is_empty() {
                        self.partitions.remove(topic);
                    }
                }
            } else {
                self.partitions
                    .entry(topic.clone())
                    .or_default()
                    .insert(state.partition.partition, state.clone());
            }
        }
    }

    pub fn controller_id(&self) -> Option<i32> {
        self.controller_id
    }

    pub fn is_alive(&self, broker: i32) -> bool {
        self.brokers.contains_key(&broker)
    }

    pub fn alive_brokers(&self) -> impl Iterator<Item = &LiveBroker> {
        self.brokers.values()
    }

    pub fn contains_topic(&self, topic: &str) -> bool {
        self.partitions.contains_key(topic)
    }

    pub fn topics(&self) -> impl Iterator<Item = &String> {
        self.partitions.keys()
    }

    pub fn partition_state(&self, topic: &str, partition: i32) -> Option<&PartitionState> {
        self.partitions.get(topic)?.get(&partition)
    }

    /// The brokers as a Metadata response lists them.
    pub fn metadata_brokers(&self) -> Vec<MetadataBroker> {
        self.brokers
            .values()
            .map(|b| MetadataBroker {
                node_id: b.id,
                host: b.host.clone(),
                port: b.port,
                rack: b.rack.clone(),
            })
            .collect()
    }

    /// The metadata of the known topics among `topics`, and the names of the
    /// unknown ones (the caller decides about auto-creation). Lines are the
    /// ERROR lines 0.8.0 logs for each partition it cannot fully describe.
    pub fn topic_metadata(
        &self,
        release: Release,
        topics: &[String],
        version: i16,
    ) -> (Vec<MetadataTopic>, Vec<String>, Vec<LogLine>) {
        let mut known = Vec::new();
        let mut missing = Vec::new();
        let mut lines = Vec::new();
        for topic in topics {
            let Some(partitions) = self.partitions.get(topic) else {
                if !missing.contains(topic) {
                    missing.push(topic.clone());
                }
                continue;
            };
            let partitions = partitions
                .values()
                .map(|state| self.partition_metadata(release, state, version, &mut lines))
                .collect();
            known.push(MetadataTopic {
                error: Errors::None,
                name: topic.clone(),
                is_internal: is_internal(topic),
                partitions,
            });
        }
        (known, missing, lines)
    }

    fn partition_metadata(
        &self,
        release: Release,
        state: &PartitionState,
        version: i16,
        lines: &mut Vec<LogLine>,
    ) -> MetadataPartition {
        let alive = |ids: &[i32]| -> Vec<i32> {
            ids.iter()
                .copied()
                .filter(|id| self.is_alive(*id))
                .collect()
        };
        let live_replicas = alive(&state.replicas);
        let live_isr = alive(&state.isr);
        let leader_alive = self.is_alive(state.leader);
        let offline: Vec<i32> = state
            .replicas
            .iter()
            .copied()
            .filter(|id| !self.is_alive(*id))
            .collect();
        // 0.8.0 and 2.8.2's v0 list only live replicas; later versions list all.
        let only_alive = release == Release::V0_8_0 || version == 0;
        let (replica_nodes, isr_nodes) = if only_alive {
            (live_replicas.clone(), live_isr.clone())
        } else {
            (state.replicas.clone(), state.isr.clone())
        };
        let error = if !leader_alive {
            Errors::LeaderNotAvailable
        } else if only_alive
            && (live_replicas.len() < state.replicas.len() || live_isr.len() < state.isr.len())
        {
            Errors::ReplicaNotAvailable
        } else {
            Errors::None
        };
        if release == Release::V0_8_0 && error != Errors::None {
            let tp = state.partition.bracketed();
            let exception = if error == Errors::LeaderNotAvailable {
                format!("kafka.common.LeaderNotAvailableException: Leader not available for partition {tp}")
            } else if live_replicas.len() < state.replicas.len() {
                format!(
                    "kafka.common.ReplicaNotAvailableException: Replica information not available for following brokers: {}",
                    scala::join(&offline)
                )
            } else {
                let missing: Vec<i32> = state
                    .isr
                    .iter()
                    .copied()
                    .filter(|id| !self.is_alive(*id))
                    .collect();
                format!(
                    "kafka.common.ReplicaNotAvailableException: In Sync Replica information not available for following brokers: {}",
                    scala::join(&missing)
                )
            };
            lines.push(LogLine::new(
                Level::Error,
                KAFKA_APIS_LOGGER,
                format!(
                    "[KafkaApi-{}] Error while fetching metadata for partition {tp}\n{exception}",
                    self.local_broker_id
                ),
            ));
        }
        MetadataPartition {
            error,
            partition_index: state.partition.partition,
            leader_id: if leader_alive { state.leader } else { -1 },
            leader_epoch: state.leader_epoch,
            replica_nodes,
            isr_nodes: if release == Release::V0_8_0 && !leader_alive {
                Vec::new()
            } else {
                isr_nodes
            },
            offline_replicas: if only_alive { Vec::new() } else { offline },
        }
    }
}

#[cfg(test)]
mod tests {
    use kafka_api::TopicPartition;

    use super::*;

    fn broker(id: i32) -> LiveBroker {
        LiveBroker {
            id,
            host: "kafka-1".into(),
            port: 9092 + id,
            rack: None,
        }
    }

    fn cache(live: &[i32]) -> MetadataCache {
        let mut c = MetadataCache::new(0);
        c.update_metadata(&UpdateMetadataRequest {
            controller_id: 0,
            controller_epoch: 1,
            broker_epoch: 0,
            partition_states: vec![PartitionState {
                partition: TopicPartition::new("t", 0),
                controller_epoch: 1,
                leader: 1,
                leader_epoch: 2,
                isr: vec![1, 2],
                zk_version: 3,
                replicas: vec![1, 2],
                adding_replicas: vec![],
                removing_replicas: vec![],
                is_new: false,
            }],
            live_brokers: live.iter().map(|&id| broker(id)).collect(),
        });
        c
    }

    #[test]
    fn a_partition_with_a_dead_replica_is_reported_as_each_release_did() {
        let c = cache(&[0, 1]);
        let topics = ["t".to_owned(), "nope".to_owned()];
        let (known, missing, lines) = c.topic_metadata(Release::V0_8_0, &topics, 0);
        assert_eq!(missing, ["nope"]);
        let p = &known[0].partitions[0];
        assert_eq!(
            (p.error, p.leader_id, p.replica_nodes.clone()),
            (Errors::ReplicaNotAvailable, 1, vec![1])
        );
        assert!(
            lines[0]
                .message
                .contains("Replica information not available for following brokers: 2"),
            "{lines:?}"
        );
        let (known, _, lines) = c.topic_metadata(Release::V2_8_2, &topics, 9);
        let p = &known[0].partitions[0];
        assert_eq!(
            p.error,
            Errors::None,
            "v1+ lists every replica and marks the offline ones"
        );
        assert_eq!(
            (p.replica_nodes.clone(), p.offline_replicas.clone()),
            (vec![1, 2], vec![2])
        );
        assert!(lines.is_empty());
        let (known, _, _) = c.topic_metadata(Release::V2_8_2, &topics, 0);
        assert_eq!(known[0].partitions[0].error, Errors::ReplicaNotAvailable);
    }

    #[test]
    fn a_partition_whose_leader_is_gone_has_no_leader() {
        let c = cache(&[0, 2]);
        for release in [Release::V0_8_0, Release::V2_8_2] {
            let (known, _, _) = c.topic_metadata(release, &["t".to_owned()], 1);
            let p = &known[0].partitions[0];
            assert_eq!(
                (p.error, p.leader_id),
                (Errors::LeaderNotAvailable, -1),
                "{release:?}"
            );
        }
    }
}
