//! Loading an offsets partition (`doLoadGroupsAndOffsets`): its batches
//! in offset order, offsets and group metadata by key (the last record
//! wins, a tombstone deletes, transactional offsets count at their COMMIT
//! marker), then groups in the order Kafka's maps give them.

use std::collections::BTreeMap;

use kafka_api::TopicPartition;
use kafka_log::{Level, LogLine};
use protocol::{ControlRecordType, Records};

use super::log_format::{self, BaseKey, GroupMetadataValue};
use super::manager::GroupMetadataManager;
use super::member::MemberMetadata;
use super::metadata::{GroupMetadata, GroupState};
use super::offsets::CommitRecordMetadataAndOffset;
use super::purgatory::GroupRef;
use crate::scala::{hash_sorted, string_hash, HashTable};

/// What a scan of an offsets partition found (`doLoadGroupsAndOffsets`).
pub struct Loaded {
    /// Groups with metadata, in `loadedGroups`' order, with their offsets.
    pub groups: Vec<(
        GroupMetadata,
        Vec<(TopicPartition, CommitRecordMetadataAndOffset)>,
    )>,
    /// Groups with offsets only, in the order Kafka loads them.
    pub offsets_only: Vec<(String, Vec<(TopicPartition, CommitRecordMetadataAndOffset)>)>,
    pub removed: Vec<String>,
}
impl GroupMetadataManager {
    /// The scan of `doLoadGroupsAndOffsets`: every batch in offset order;
    /// offsets and group metadata by key, the last record winning and a
    /// tombstone deleting; transactional offsets count at their COMMIT marker.
    pub fn read_partition(
        &self,
        records: &Records,
        now_ms: i64,
        lines: &mut Vec<LogLine>,
    ) -> Result<Loaded, String> {
        type Gtp = (String, TopicPartition);
        let mut loaded_offsets: BTreeMap<Gtp, CommitRecordMetadataAndOffset> = BTreeMap::new();
        let mut pending: BTreeMap<i64, BTreeMap<Gtp, CommitRecordMetadataAndOffset>> =
            BTreeMap::new();
        let mut loaded_groups: BTreeMap<String, GroupMetadata> = BTreeMap::new();
        let mut loaded_table = HashTable::default();
        let mut removed: Vec<String> = Vec::new();
        for batch in records.batches() {
            let batch = batch.map_err(|e| e.to_string())?;
            let header = match batch.header() {
                Some(h) => h.map_err(|e| e.to_string())?,
                None => return Err("Group metadata records must be of magic v2".to_string()),
            };
            if header.is_control {
                let first = batch.control_types().map_err(|e| e.to_string())?;
                if let Some(kind) = first.first() {
                    let done = pending.remove(&header.producer_id).unwrap_or_default();
                    if *kind == ControlRecordType::Commit {
                        for (gtp, value) in done {
                            let newer = loaded_offsets.get(&gtp).is_none_or(|c| {
                                c.appended_batch_offset < value.appended_batch_offset
                            });
                            if newer {
                                loaded_offsets.insert(gtp, value);
                            }
                        }
                    }
                }
                continue;
            }
            let mut batch_base_offset = None;
            for record in batch.records().map_err(|e| e.to_string())? {
                let key = record.key.as_ref().ok_or(
                    "requirement failed: Group metadata/offset entry key should not be null",
                )?;
                batch_base_offset.get_or_insert(record.offset);
                match log_format::read_message_key(key).map_err(|e| e.0)? {
                    BaseKey::Offset {
                        group, partition, ..
                    } => {
                        let gtp = (group, partition);
                        let target = if header.is_transactional {
                            pending.entry(header.producer_id).or_default()
                        } else {
                            &mut loaded_offsets
                        };
                        match &record.value {
                            None => {
                                target.remove(&gtp);
                            }
                            Some(value) => {
                                let offset = log_format::read_offset_message_value(value)
                                    .map_err(|e| e.0)?;
                                target.insert(
                                    gtp,
                                    CommitRecordMetadataAndOffset {
                                        appended_batch_offset: batch_base_offset,
                                        offset_and_metadata: offset,
                                    },
                                );
                            }
                        }
                    }
                    BaseKey::GroupMetadata { group, .. } => match &record.value {
                        Some(value) => {
                            let value =
                                log_format::read_group_metadata_value(value).map_err(|e| e.0)?;
                            let loaded = group_from_value(&group, value, now_ms, lines);
                            removed.retain(|g| *g != group);
                            loaded_table.before_put(loaded_groups.len());
                            loaded_groups.insert(group, loaded);
                        }
                        None => {
                            loaded_groups.remove(&group);
                            if !removed.contains(&group) {
                                removed.push(group);
                            }
                        }
                    },
                }
            }
        }
        // Offsets by group (`groupBy`, an immutable HashMap).
        let mut by_group: BTreeMap<String, Vec<(TopicPartition, CommitRecordMetadataAndOffset)>> =
            BTreeMap::new();
        for ((group, tp), value) in loaded_offsets {
            by_group.entry(group).or_default().push((tp, value));
        }
        let ids: Vec<String> = loaded_groups.keys().cloned().collect();
        let groups = loaded_table
            .sorted(&ids, string_hash)
            .into_iter()
            .map(|id| {
                let offsets = by_group.remove(&id).unwrap_or_default();
                (loaded_groups.remove(&id).expect("listed"), offsets)
            })
            .collect();
        let empty_ids: Vec<String> = by_group.keys().cloned().collect();
        let offsets_only = hash_sorted(&empty_ids, string_hash)
            .into_iter()
            .map(|id| {
                let offsets = by_group.remove(&id).expect("listed");
                (id, offsets)
            })
            .collect();
        Ok(Loaded {
            groups,
            offsets_only,
            removed,
        })
    }

    /// `loadGroup`: the offsets first, then the group into the cache
    /// (unless one of that id is cached already).
    pub fn load_group(
        &mut self,
        mut group: GroupMetadata,
        offsets: Vec<(TopicPartition, CommitRecordMetadataAndOffset)>,
        lines: &mut Vec<LogLine>,
    ) -> GroupRef {
        group.offsets.initialize_offsets(offsets);
        let id = group.group_id.clone();
        let generation = group.generation_id;
        let existing = self.get_group(&id);
        let g = self.add_group(group);
        if existing.is_some() {
            let current = self.group(g).generation_id;
            self.info(lines, Level::Debug, format!("Attempt to load group {id} from log with generation {generation} failed because there is already a cached group with generation {current}"));
        }
        g
    }
}

/// `readGroupMessageValue`: a group as a metadata record describes it
/// (Stable with members, else Empty).
fn group_from_value(
    group_id: &str,
    value: GroupMetadataValue,
    now_ms: i64,
    lines: &mut Vec<LogLine>,
) -> GroupMetadata {
    let protocol = value.protocol.clone().unwrap_or_default();
    let members: Vec<MemberMetadata> = value
        .members
        .iter()
        .map(|m| {
            let mut member = MemberMetadata::new(
                m.member_id.clone(),
                m.group_instance_id.clone(),
                m.client_id.clone(),
                m.client_host.clone(),
                m.rebalance_timeout,
                m.session_timeout,
                value.protocol_type.clone(),
                vec![(protocol.clone(), m.subscription.clone())],
            );
            member.assignment = m.assignment.clone();
            member
        })
        .collect();
    let state = if members.is_empty() {
        GroupState::Empty
    } else {
        GroupState::Stable
    };
    GroupMetadata::load(
        group_id,
        state,
        value.generation,
        &value.protocol_type,
        value.protocol,
        value.leader,
        (value.current_state_timestamp != -1).then_some(value.current_state_timestamp),
        members,
        now_ms,
        lines,
    )
}
