//! The leader's ISR changes, carried out as its release does. 0.8.0's
//! `Partition.updateIsr` writes the new state to
//! `/brokers/topics/<t>/partitions/<p>/state` with
//! `ZkUtils.conditionalUpdatePersistentPath`: a `setData` expecting the
//! cached `zkVersion`, whose answer (the new version, or a failure such as
//! `BadVersion`) goes back to the replica manager
//! (`ReplicaManager::isr_written`). 2.8.2's AlterIsr to the controller is
//! not wired yet: its updates are dropped.

use std::collections::BTreeMap;

use coord::proto::{Op, ReplyBody};
use coord::KeeperError;
use distribution::Release;
use kafka_api::TopicPartition;
use sim::Context;

use super::{KafkaServer, Next};
use crate::election::LeaderAndIsr;
use crate::replica::IsrUpdate;

/// The state znode writes on their way, by the number their reply carries.
#[derive(Debug, Default)]
pub(super) struct IsrWrites {
    next: u64,
    pending: BTreeMap<u64, (TopicPartition, LeaderAndIsr)>,
}

impl KafkaServer {
    /// Sends the replica manager's ISR changes where its release sends them.
    pub(super) fn write_isr_updates(
        &mut self,
        ctx: &mut Context<'_>,
        updates: Vec<(TopicPartition, IsrUpdate)>,
    ) {
        let mut sent = false;
        for (tp, update) in updates {
            match update {
                IsrUpdate::WriteState {
                    state,
                    controller_epoch,
                } => {
                    let data = kafka_zk::PartitionState {
                        leader: state.leader,
                        leader_epoch: state.leader_epoch,
                        isr: state.isr.clone(),
                        controller_epoch,
                    }
                    .encode(Release::V0_8_0);
                    let path = kafka_zk::paths::partition_state(&tp.topic, tp.partition);
                    let op = Op::set_data(&path, Some(&data), state.zk_version);
                    let id = self.isr_writes.next;
                    self.isr_writes.next += 1;
                    self.isr_writes.pending.insert(id, (tp, state));
                    self.zk_request(ctx, op, Next::IsrWrite(id));
                    sent = true;
                }
                // AlterIsr is not wired yet.
                IsrUpdate::AlterIsr { .. } => {}
            }
        }
        if sent {
            // A request the session could not send is answered at once.
            self.drain_zk(ctx);
        }
    }

    /// The answer to a state znode write: the new version on success; any
    /// failure (`BadVersion` above all) leaves the cached ISR as it was, as
    /// `conditionalUpdatePersistentPath` returning `(false, -1)` does.
    pub(super) fn isr_write_answered(
        &mut self,
        ctx: &mut Context<'_>,
        id: u64,
        result: Result<ReplyBody, KeeperError>,
    ) {
        let Some((tp, state)) = self.isr_writes.pending.remove(&id) else {
            return;
        };
        let new_version = match result {
            Ok(ReplyBody::Stat(stat)) => Some(stat.version),
            _ => None,
        };
        let now = ctx.now().unix_millis() as i64;
        if let Some(rm) = self.replica_manager.as_mut() {
            rm.isr_written(&tp, &state, new_version, now);
        }
        self.flush_log_manager(ctx);
    }
}
