//! The committed offsets of one group (`GroupMetadata`'s offset cache):
//! what was appended to `__consumer_offsets` (with the offset of the batch
//! it was in), the commits still waiting for their append, and the
//! iteration order Kafka's `mutable.HashMap` gives them, which is the order
//! of tombstones and of an OffsetFetch for every partition.

use std::collections::BTreeMap;

use kafka_api::TopicPartition;

use super::log_format::OffsetAndMetadata;
use crate::scala::{immutable_sorted, topic_partition_hash, HashTable};

/// `CommitRecordMetadataAndOffset`: an offset and the base offset of the
/// batch that stored it (`None` until it is appended).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitRecordMetadataAndOffset {
    pub appended_batch_offset: Option<i64>,
    pub offset_and_metadata: OffsetAndMetadata,
}

impl CommitRecordMetadataAndOffset {
    fn older_than(&self, that: &CommitRecordMetadataAndOffset) -> bool {
        self.appended_batch_offset < that.appended_batch_offset
    }
}

#[derive(Clone, Debug, Default)]
pub struct GroupOffsets {
    offsets: BTreeMap<TopicPartition, CommitRecordMetadataAndOffset>,
    table: HashTable,
    pending_offset_commits: BTreeMap<TopicPartition, OffsetAndMetadata>,
    pub received_consumer_offset_commits: bool,
}

/// `keys` as a fresh `mutable.HashMap` filled in their order iterates them.
fn fresh_table_order(keys: &[TopicPartition]) -> Vec<TopicPartition> {
    let mut table = HashTable::default();
    for size in 0..keys.len() {
        table.before_put(size);
    }
    table.sorted(keys, topic_partition_hash)
}

impl GroupOffsets {
    fn put(&mut self, tp: TopicPartition, value: CommitRecordMetadataAndOffset) {
        self.table.before_put(self.offsets.len());
        self.offsets.insert(tp, value);
    }

    /// The partitions with an offset, in the cache's iteration order.
    pub fn partitions(&self) -> Vec<TopicPartition> {
        let keys: Vec<TopicPartition> = self.offsets.keys().cloned().collect();
        self.table.sorted(&keys, topic_partition_hash)
    }

    /// `initializeOffsets` (`offsets ++= loaded`).
    pub fn initialize_offsets(
        &mut self,
        loaded: Vec<(TopicPartition, CommitRecordMetadataAndOffset)>,
    ) {
        self.table.size_hint(loaded.len());
        for (tp, value) in loaded {
            self.put(tp, value);
        }
    }

    /// `onOffsetCommitAppend`: the commit's batch is in the log.
    pub fn on_offset_commit_append(
        &mut self,
        tp: &TopicPartition,
        value: CommitRecordMetadataAndOffset,
    ) {
        if self.pending_offset_commits.contains_key(tp) {
            let newer = self
                .offsets
                .get(tp)
                .is_none_or(|current| current.older_than(&value));
            if newer {
                self.put(tp.clone(), value.clone());
            }
        }
        if self.pending_offset_commits.get(tp) == Some(&value.offset_and_metadata) {
            self.pending_offset_commits.remove(tp);
        }
    }

    /// `failPendingOffsetWrite`.
    pub fn fail_pending_offset_write(&mut self, tp: &TopicPartition, offset: &OffsetAndMetadata) {
        if self.pending_offset_commits.get(tp) == Some(offset) {
            self.pending_offset_commits.remove(tp);
        }
    }

    /// `prepareOffsetCommit`.
    pub fn prepare_offset_commit(&mut self, offsets: &[(TopicPartition, OffsetAndMetadata)]) {
        self.received_consumer_offset_commits = true;
        for (tp, offset) in offsets {
            self.pending_offset_commits
                .insert(tp.clone(), offset.clone());
        }
    }

    pub fn has_pending_offset_commits_for_topic_partition(&self, tp: &TopicPartition) -> bool {
        self.pending_offset_commits.contains_key(tp)
    }

    /// `removeOffsets`: the removed offsets, as the immutable map Kafka
    /// returns iterates them.
    pub fn remove_offsets(
        &mut self,
        partitions: &[TopicPartition],
    ) -> Vec<(TopicPartition, OffsetAndMetadata)> {
        let mut removed = Vec::new();
        for tp in partitions {
            self.pending_offset_commits.remove(tp);
            if let Some(value) = self.offsets.remove(tp) {
                if !removed.iter().any(|(t, _)| t == tp) {
                    removed.push((tp.clone(), value.offset_and_metadata));
                }
            }
        }
        immutable_sorted(&removed, |(tp, _)| topic_partition_hash(tp))
    }

    /// `removeAllOffsets`.
    pub fn remove_all_offsets(&mut self) -> Vec<(TopicPartition, OffsetAndMetadata)> {
        let all = self.partitions();
        self.remove_offsets(&all)
    }

    /// The offsets `expired` picks (never one with a commit pending), removed
    /// and returned in the order of Kafka's `filter.map.toMap`.
    pub fn remove_expired(
        &mut self,
        expired: impl Fn(&TopicPartition, &CommitRecordMetadataAndOffset) -> bool,
    ) -> Vec<(TopicPartition, OffsetAndMetadata)> {
        let picked: Vec<TopicPartition> = self
            .partitions()
            .into_iter()
            .filter(|tp| {
                !self.pending_offset_commits.contains_key(tp) && expired(tp, &self.offsets[tp])
            })
            .collect();
        let ordered = fresh_table_order(&picked);
        let removed: Vec<(TopicPartition, OffsetAndMetadata)> = ordered
            .iter()
            .map(|tp| (tp.clone(), self.offsets[tp].offset_and_metadata.clone()))
            .collect();
        for tp in &picked {
            self.offsets.remove(tp);
        }
        immutable_sorted(&removed, |(tp, _)| topic_partition_hash(tp))
    }

    pub fn offset(&self, tp: &TopicPartition) -> Option<&OffsetAndMetadata> {
        self.offsets.get(tp).map(|v| &v.offset_and_metadata)
    }

    pub fn with_record_metadata(
        &self,
        tp: &TopicPartition,
    ) -> Option<&CommitRecordMetadataAndOffset> {
        self.offsets.get(tp)
    }

    /// `allOffsets.keySet`: the partitions as the immutable map iterates them.
    pub fn all_partitions(&self) -> Vec<TopicPartition> {
        immutable_sorted(&self.partitions(), topic_partition_hash)
    }

    pub fn num_offsets(&self) -> usize {
        self.offsets.len()
    }

    pub fn has_offsets(&self) -> bool {
        !self.offsets.is_empty() || !self.pending_offset_commits.is_empty()
    }
}
