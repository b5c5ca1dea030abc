//! `/brokers/topics/<topic>/partitions/<p>/state`: a partition's leader, leader
//! epoch and in-sync replicas, and the epoch of the controller that wrote
//! them. Persistent; every update is a conditional `setData` on its version
//! (the zkVersion brokers cache).
//!
//! 0.8.0: `ZkUtils.leaderAndIsrZkData`@0.8.0 l.215-219, sorted and spaced.
//! 2.8.2: `TopicPartitionStateZNode.encode`@2.8.2 l.350-358, an immutable
//! `Map` of five keys, so in CHAMP order:
//! `controller_epoch, leader, version, leader_epoch, isr`.

use distribution::Release;

use crate::error::DecodeError;
use crate::jackson::Value;
use crate::read;
use crate::utils_json;

/// The data of a partition's `state` znode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionState {
    /// The leader's broker id, -1 when there is none.
    pub leader: i32,
    pub leader_epoch: i32,
    /// In-sync replicas, in the order Kafka's Seq or Set had them.
    pub isr: Vec<i32>,
    pub controller_epoch: i32,
}

impl PartitionState {
    /// The first state the controller writes for a new partition: the first
    /// live assigned replica leads, the live assigned replicas in assignment
    /// order are the ISR, leader epoch 0. `None` when no replica is live.
    pub fn initial(assignment: &[i32], live: &[i32], controller_epoch: i32) -> Option<Self> {
        let isr: Vec<i32> = assignment
            .iter()
            .copied()
            .filter(|r| live.contains(r))
            .collect();
        Some(PartitionState {
            leader: *isr.first()?,
            leader_epoch: 0,
            isr,
            controller_epoch,
        })
    }

    pub fn encode(&self, release: Release) -> Vec<u8> {
        match release {
            Release::V0_8_0 => {
                let (leader, leader_epoch, controller_epoch, isr) = (
                    self.leader.to_string(),
                    self.leader_epoch.to_string(),
                    self.controller_epoch.to_string(),
                    utils_json::ints_to_json(&self.isr),
                );
                utils_json::map_to_json(
                    &[
                        ("version", "1"),
                        ("leader", &leader),
                        ("leader_epoch", &leader_epoch),
                        ("controller_epoch", &controller_epoch),
                        ("isr", &isr),
                    ],
                    false,
                )
                .into_bytes()
            }
            Release::V2_8_2 => Value::immutable_map(vec![
                ("version".into(), Value::Int(1)),
                ("leader".into(), Value::Int(self.leader.into())),
                ("leader_epoch".into(), Value::Int(self.leader_epoch.into())),
                (
                    "controller_epoch".into(),
                    Value::Int(self.controller_epoch.into()),
                ),
                ("isr".into(), Value::ints(&self.isr)),
            ])
            .to_bytes(),
        }
    }

    pub fn decode(release: Release, bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        obj.version(release, &[1], "1")?;
        Ok(PartitionState {
            leader: obj.req("leader")?.int()?,
            leader_epoch: obj.req("leader_epoch")?.int()?,
            isr: obj.req("isr")?.int_list()?,
            controller_epoch: obj.req("controller_epoch")?.int()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_state() {
        assert_eq!(
            PartitionState::initial(&[1, 2, 0], &[0, 1, 2], 1),
            Some(PartitionState {
                leader: 1,
                leader_epoch: 0,
                isr: vec![1, 2, 0],
                controller_epoch: 1
            })
        );
        assert_eq!(
            PartitionState::initial(&[1, 2, 0], &[0, 2], 3).map(|s| (s.leader, s.isr)),
            Some((2, vec![2, 0]))
        );
        assert_eq!(PartitionState::initial(&[1], &[0], 1), None);
    }
}
