//! `ControllerContext`: the controller's picture of the cluster — its
//! epoch, the live and shutting-down brokers, each topic's replica
//! assignment and each partition's leader, ISR and the version of its state
//! znode, as last written or read.

use std::collections::{BTreeMap, BTreeSet};

use kafka_api::requests::LiveBroker;
use kafka_api::TopicPartition;

use crate::election::LeaderAndIsr;

/// A partition's state znode: leader and ISR, and the controller epoch that wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderIsrAndControllerEpoch {
    pub leader_and_isr: LeaderAndIsr,
    pub controller_epoch: i32,
}

#[derive(Clone, Debug, Default)]
pub struct ControllerContext {
    /// The broker this controller runs on.
    pub controller_id: i32,
    pub epoch: i32,
    pub epoch_zk_version: i32,
    pub live_brokers: BTreeMap<i32, LiveBroker>,
    pub shutting_down: BTreeSet<i32>,
    /// Replicas of every partition, in assignment order.
    pub assignment: BTreeMap<TopicPartition, Vec<i32>>,
    pub leadership: BTreeMap<TopicPartition, LeaderIsrAndControllerEpoch>,
}

impl ControllerContext {
    /// Brokers that are alive and not shutting down.
    pub fn live_broker_ids(&self) -> BTreeSet<i32> {
        self.live_brokers
            .keys()
            .copied()
            .filter(|id| !self.shutting_down.contains(id))
            .collect()
    }

    pub fn live_or_shutting_down_broker_ids(&self) -> BTreeSet<i32> {
        self.live_brokers.keys().copied().collect()
    }

    pub fn is_replica_online(&self, broker: i32, include_shutting_down: bool) -> bool {
        self.live_brokers.contains_key(&broker)
            && (include_shutting_down || !self.shutting_down.contains(&broker))
    }

    pub fn topics(&self) -> BTreeSet<String> {
        self.assignment.keys().map(|tp| tp.topic.clone()).collect()
    }

    pub fn partitions_of(&self, topic: &str) -> Vec<TopicPartition> {
        self.assignment
            .keys()
            .filter(|tp| tp.topic == topic)
            .cloned()
            .collect()
    }

    /// Partitions whose leader is not alive (`partitionsWithOfflineLeader`).
    pub fn partitions_with_offline_leader(&self) -> Vec<TopicPartition> {
        self.leadership
            .iter()
            .filter(|(_, l)| !self.is_replica_online(l.leader_and_isr.leader, false))
            .map(|(tp, _)| tp.clone())
            .collect()
    }

    /// Partitions with a replica on one of `brokers`.
    pub fn partitions_on(&self, brokers: &BTreeSet<i32>) -> Vec<TopicPartition> {
        self.assignment
            .iter()
            .filter(|(_, replicas)| replicas.iter().any(|r| brokers.contains(r)))
            .map(|(tp, _)| tp.clone())
            .collect()
    }

    /// Partitions led by `broker`.
    pub fn partitions_led_by(&self, broker: i32) -> Vec<TopicPartition> {
        self.leadership
            .iter()
            .filter(|(_, l)| l.leader_and_isr.leader == broker)
            .map(|(tp, _)| tp.clone())
            .collect()
    }
}
