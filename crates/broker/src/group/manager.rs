//! `GroupMetadataManager`: the groups this broker coordinates (the group
//! metadata cache, iterated in its `ConcurrentHashMap` order), which
//! `__consumer_offsets` partitions it owns or is loading and in which
//! coordinator epoch, and the offsets a fetch reads. Its appends are in
//! `store`, its loading in `load`.

use std::collections::{BTreeMap, BTreeSet};

use kafka_api::requests::{OffsetFetchPartitionResponse, INVALID_OFFSET};
use kafka_api::{Errors, TopicPartition};
use kafka_log::{Level, LogLine};
use kafka_zk::order::properties_order;

use super::config::OffsetConfig;
use super::metadata::{GroupMetadata, GroupState};
use super::purgatory::GroupRef;
use super::store::{Append, AppendCallback, AppendId};
use crate::metadata_cache::GROUP_METADATA_TOPIC_NAME;

/// `kafka.coordinator.group.GroupMetadataManager`'s logger.
pub const LOGGER: &str = "kafka.coordinator.group.GroupMetadataManager";

/// A partition to load, scheduled by `on_election` (Kafka's scheduler task).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadTask {
    pub partition: i32,
    pub coordinator_epoch: i32,
    pub scheduled_ms: i64,
}

pub struct GroupMetadataManager {
    pub(super) broker_id: i32,
    pub config: OffsetConfig,
    groups: BTreeMap<GroupRef, GroupMetadata>,
    cache: BTreeMap<String, GroupRef>,
    next_group: GroupRef,
    loading_partitions: BTreeSet<i32>,
    owned_partitions: BTreeSet<i32>,
    epoch_for_partition: BTreeMap<i32, i32>,
    partition_count: i32,
    pub(super) appends: Vec<Append>,
    pub(super) pending: BTreeMap<AppendId, AppendCallback>,
    pub(super) next_append: AppendId,
    loads: Vec<LoadTask>,
}

impl GroupMetadataManager {
    pub fn new(broker_id: i32, config: OffsetConfig) -> GroupMetadataManager {
        GroupMetadataManager {
            broker_id,
            config,
            groups: BTreeMap::new(),
            cache: BTreeMap::new(),
            next_group: 0,
            loading_partitions: BTreeSet::new(),
            owned_partitions: BTreeSet::new(),
            epoch_for_partition: BTreeMap::new(),
            partition_count: config.offsets_topic_num_partitions,
            appends: Vec::new(),
            pending: BTreeMap::new(),
            next_append: 0,
            loads: Vec::new(),
        }
    }

    pub fn info(&self, lines: &mut Vec<LogLine>, level: Level, message: impl AsRef<str>) {
        lines.push(LogLine::new(
            level,
            LOGGER,
            format!(
                "[GroupMetadataManager brokerId={}] {}",
                self.broker_id,
                message.as_ref()
            ),
        ));
    }

    /// `startup`: the offsets topic's partition count (ZooKeeper's, else
    /// `offsets.topic.num.partitions`).
    pub fn startup(&mut self, partition_count: i32) {
        self.partition_count = partition_count;
    }

    /// `partitionFor`: `Utils.abs(groupId.hashCode) % partitions`.
    pub fn partition_for(&self, group_id: &str) -> i32 {
        let h = kafka_zk::order::java_string_hash(group_id);
        let abs = if h == i32::MIN { 0 } else { h.abs() };
        abs % self.partition_count
    }

    pub fn offsets_partition(&self, group_id: &str) -> TopicPartition {
        TopicPartition::new(GROUP_METADATA_TOPIC_NAME, self.partition_for(group_id))
    }

    pub fn is_partition_owned(&self, partition: i32) -> bool {
        self.owned_partitions.contains(&partition)
    }

    pub fn is_partition_loading(&self, partition: i32) -> bool {
        self.loading_partitions.contains(&partition)
    }

    pub fn is_group_local(&self, group_id: &str) -> bool {
        self.is_partition_owned(self.partition_for(group_id))
    }

    pub fn is_group_loading(&self, group_id: &str) -> bool {
        self.is_partition_loading(self.partition_for(group_id))
    }

    pub fn is_loading(&self) -> bool {
        !self.loading_partitions.is_empty()
    }

    /// `groupNotExists`: owned here, and absent or dead.
    pub fn group_not_exists(&self, group_id: &str) -> bool {
        self.is_group_local(group_id)
            && self
                .get_group(group_id)
                .is_none_or(|g| self.group(g).is(GroupState::Dead))
    }

    pub fn get_group(&self, group_id: &str) -> Option<GroupRef> {
        self.cache.get(group_id).copied()
    }

    pub fn group(&self, g: GroupRef) -> &GroupMetadata {
        &self.groups[&g]
    }

    pub fn group_mut(&mut self, g: GroupRef) -> &mut GroupMetadata {
        self.groups.get_mut(&g).expect("a live group object")
    }

    /// `addGroup`: the cached group of that id, or this one, now cached.
    pub fn add_group(&mut self, group: GroupMetadata) -> GroupRef {
        if let Some(existing) = self.cache.get(&group.group_id) {
            return *existing;
        }
        let g = self.next_group;
        self.next_group += 1;
        self.cache.insert(group.group_id.clone(), g);
        self.groups.insert(g, group);
        g
    }

    /// `getOrMaybeCreateGroup`.
    pub fn get_or_maybe_create_group(
        &mut self,
        group_id: &str,
        create: bool,
        now_ms: i64,
    ) -> Option<GroupRef> {
        match self.get_group(group_id) {
            Some(g) => Some(g),
            None if create => {
                Some(self.add_group(GroupMetadata::new(group_id, GroupState::Empty, now_ms)))
            }
            None => None,
        }
    }

    /// `groupMetadataCache.remove(groupId, group)`.
    pub fn remove_from_cache(&mut self, g: GroupRef) -> bool {
        let id = self.groups[&g].group_id.clone();
        if self.cache.get(&id) == Some(&g) {
            self.cache.remove(&id);
            true
        } else {
            false
        }
    }

    /// `currentGroups`: the cache's values in its `ConcurrentHashMap` order.
    pub fn current_groups(&self) -> Vec<GroupRef> {
        let mut by_insertion: Vec<(GroupRef, &String)> =
            self.cache.iter().map(|(id, &g)| (g, id)).collect();
        by_insertion.sort();
        let ids: Vec<&String> = by_insertion.iter().map(|(_, id)| *id).collect();
        properties_order(&ids)
            .into_iter()
            .map(|i| by_insertion[i].0)
            .collect()
    }

    /// Drops the group objects that left the cache and nothing refers to.
    pub fn collect_garbage(&mut self, referred: impl Fn(GroupRef) -> bool) {
        let live: BTreeSet<GroupRef> = self.cache.values().copied().collect();
        let pending: BTreeSet<GroupRef> = self
            .pending
            .values()
            .map(|c| match c {
                AppendCallback::Group { group, .. } | AppendCallback::Offsets { group, .. } => {
                    *group
                }
            })
            .collect();
        self.groups
            .retain(|g, _| live.contains(g) || pending.contains(g) || referred(*g));
    }

    /// `getOffsets`: the group's committed offsets (`None`: every partition it has).
    pub fn get_offsets(
        &self,
        group_id: &str,
        require_stable: bool,
        partitions: Option<&[TopicPartition]>,
    ) -> Vec<(TopicPartition, OffsetFetchPartitionResponse)> {
        let none = || OffsetFetchPartitionResponse {
            committed_offset: INVALID_OFFSET,
            committed_leader_epoch: -1,
            metadata: Some(String::new()),
            error: Errors::None,
        };
        let group = self.get_group(group_id).map(|g| self.group(g));
        match group {
            None => partitions
                .unwrap_or_default()
                .iter()
                .map(|tp| (tp.clone(), none()))
                .collect(),
            Some(group) if group.is(GroupState::Dead) => partitions
                .unwrap_or_default()
                .iter()
                .map(|tp| (tp.clone(), none()))
                .collect(),
            Some(group) => {
                let all;
                let partitions = match partitions {
                    Some(p) => p,
                    None => {
                        all = group.offsets.all_partitions();
                        &all
                    }
                };
                partitions
                    .iter()
                    .map(|tp| {
                        let answer = if require_stable
                            && group
                                .offsets
                                .has_pending_offset_commits_for_topic_partition(tp)
                        {
                            OffsetFetchPartitionResponse {
                                error: Errors::UnstableOffsetCommit,
                                ..none()
                            }
                        } else {
                            match group.offsets.offset(tp) {
                                None => none(),
                                Some(o) => OffsetFetchPartitionResponse {
                                    committed_offset: o.offset,
                                    committed_leader_epoch: o.leader_epoch.unwrap_or(-1),
                                    metadata: Some(o.metadata.clone()),
                                    error: Errors::None,
                                },
                            }
                        };
                        (tp.clone(), answer)
                    })
                    .collect()
            }
        }
    }

    // --- Loading and unloading -----------------------------------------------------------

    /// `scheduleLoadGroupAndOffsets`.
    pub fn schedule_load(
        &mut self,
        partition: i32,
        coordinator_epoch: i32,
        now_ms: i64,
        lines: &mut Vec<LogLine>,
    ) {
        self.info(
            lines,
            Level::Info,
            format!(
                "Scheduling loading of offsets and group metadata from {GROUP_METADATA_TOPIC_NAME}-{partition} for epoch {coordinator_epoch}"
            ),
        );
        self.loads.push(LoadTask {
            partition,
            coordinator_epoch,
            scheduled_ms: now_ms,
        });
    }

    pub fn take_loads(&mut self) -> Vec<LoadTask> {
        std::mem::take(&mut self.loads)
    }

    pub fn epoch_for_partition(&self, partition: i32) -> Option<i32> {
        self.epoch_for_partition.get(&partition).copied()
    }

    /// `maybeUpdateCoordinatorEpoch`: true unless `epoch` is older than the
    /// partition's.
    pub fn maybe_update_coordinator_epoch(&mut self, partition: i32, epoch: Option<i32>) -> bool {
        let updated = match (self.epoch_for_partition.get(&partition).copied(), epoch) {
            (None, e) => e,
            (Some(current), Some(e)) if e > current => Some(e),
            (Some(current), _) => Some(current),
        };
        match updated {
            Some(u) => {
                self.epoch_for_partition.insert(partition, u);
            }
            None => {
                self.epoch_for_partition.remove(&partition);
            }
        }
        epoch.is_none_or(|e| Some(e) == updated)
    }

    /// `addLoadingPartition`: false when the partition is owned already.
    pub fn add_loading_partition(&mut self, partition: i32) -> bool {
        if self.owned_partitions.contains(&partition) {
            false
        } else {
            self.loading_partitions.insert(partition)
        }
    }

    /// The end of a load, whatever happened: the partition is owned.
    pub fn finish_loading_partition(&mut self, partition: i32) {
        self.owned_partitions.insert(partition);
        self.loading_partitions.remove(&partition);
    }

    /// The start of an unload: the partition is neither owned nor loading.
    pub fn release_partition(&mut self, partition: i32) {
        self.owned_partitions.remove(&partition);
        self.loading_partitions.remove(&partition);
    }
}
