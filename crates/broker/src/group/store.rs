//! What the coordinator appends to `__consumer_offsets` (`storeGroup`,
//! `storeOffsets`, and the tombstones of `cleanupGroupMetadata`), and what
//! the append's answer does to the cache. Appends leave as [`Append`]s; the
//! caller appends them through the replica manager and reports each answer
//! to `GroupCoordinator::append_completed`, which runs Kafka's callback.

use std::collections::BTreeMap;

use bytes::Bytes;
use distribution::Release;
use kafka_api::{Errors, TopicPartition};
use kafka_log::{Level, LogLine};

use super::log_format::{self, build_batch, GroupMetadataValue, MemberValue, OffsetAndMetadata};
use super::manager::GroupMetadataManager;
use super::member::Waiter;
use super::metadata::{GroupMetadata, GroupState};
use super::offsets::CommitRecordMetadataAndOffset;
use super::purgatory::GroupRef;

/// The caller's id for an append the coordinator asked for.
pub type AppendId = u64;

/// Records to append to an offsets partition, as `appendForGroup` hands
/// them to the replica manager (`internalTopicsAllowed`, origin
/// Coordinator). With `required_acks` 0 (tombstones) no answer is awaited.
#[derive(Clone, Debug, PartialEq)]
pub struct Append {
    pub id: AppendId,
    pub partition: TopicPartition,
    pub records: Bytes,
    pub required_acks: i16,
    pub timeout_ms: i32,
}
/// What storing a group's metadata was for: what its callback does.
#[derive(Clone, Debug)]
pub enum StoreGroupFor {
    /// The leader's SyncGroup: propagate the assignment.
    Sync {
        member_id: String,
        assignment: BTreeMap<String, Bytes>,
    },
    /// A generation without members.
    Empty,
    /// A static member rejoined a stable group with a new member id.
    StaticMember {
        waiter: Waiter,
        old_member_id: String,
        new_member_id: String,
        group_instance_id: String,
        old_protocols: Vec<(String, Bytes)>,
        current_leader: String,
    },
}

/// An append waiting for its answer, and what to do with it.
#[derive(Clone, Debug)]
pub enum AppendCallback {
    Group {
        group: GroupRef,
        generation_id: i32,
        then: StoreGroupFor,
    },
    Offsets {
        group: GroupRef,
        waiter: Waiter,
        consumer_id: String,
        /// Every partition of the commit, and whether its metadata fit.
        requested: Vec<(TopicPartition, bool)>,
        /// What was written.
        filtered: Vec<(TopicPartition, OffsetAndMetadata)>,
        /// The answer's partitions in order, with the broker's own errors.
        answer_order: Vec<(TopicPartition, Option<Errors>)>,
    },
}
/// `Errors.message()`: the exception's message, else the name.
pub fn java_message(error: Errors) -> &'static str {
    error.message().unwrap_or(error.name())
}

/// What both append callbacks make of a failed append: the partition is
/// not available, or not this broker's.
fn coordinator_error(error: Errors) -> Option<Errors> {
    match error {
        Errors::UnknownTopicOrPartition
        | Errors::NotEnoughReplicas
        | Errors::NotEnoughReplicasAfterAppend => Some(Errors::CoordinatorNotAvailable),
        Errors::NotLeaderOrFollower | Errors::KafkaStorageError => Some(Errors::NotCoordinator),
        _ => None,
    }
}

/// `exceptionName`: the exception's class, `null` for none.
pub fn exception_name(error: Errors) -> String {
    error
        .exception(Release::V2_8_2)
        .unwrap_or_else(|| "null".to_string())
}
impl GroupMetadataManager {
    // --- Appends -----------------------------------------------------------------------

    fn append(
        &mut self,
        partition: TopicPartition,
        records: Bytes,
        required_acks: i16,
        callback: Option<AppendCallback>,
    ) {
        let id = self.next_append;
        self.next_append += 1;
        self.appends.push(Append {
            id,
            partition,
            records,
            required_acks,
            timeout_ms: self.config.offset_commit_timeout_ms,
        });
        if let Some(callback) = callback {
            self.pending.insert(id, callback);
        }
    }

    pub fn take_appends(&mut self) -> Vec<Append> {
        std::mem::take(&mut self.appends)
    }

    pub fn take_callback(&mut self, id: AppendId) -> Option<AppendCallback> {
        self.pending.remove(&id)
    }

    /// `storeGroup`: the group's metadata record, with `assignment`.
    pub fn store_group(
        &mut self,
        g: GroupRef,
        assignment: &BTreeMap<String, Bytes>,
        then: StoreGroupFor,
        now_ms: i64,
    ) {
        let group = self.group(g);
        let protocol = group.protocol_name.clone();
        let members = group
            .member_ids()
            .into_iter()
            .map(|id| {
                let m = group.get(&id);
                MemberValue {
                    member_id: id.clone(),
                    group_instance_id: m.group_instance_id.clone(),
                    client_id: m.client_id.clone(),
                    client_host: m.client_host.clone(),
                    rebalance_timeout: m.rebalance_timeout_ms,
                    session_timeout: m.session_timeout_ms,
                    subscription: m.metadata(protocol.as_deref().expect(
                        "Attempted to write non-empty group metadata with no defined protocol.",
                    )),
                    assignment: assignment
                        .get(&id)
                        .cloned()
                        .expect("a member with no assignment"),
                }
            })
            .collect();
        let value = GroupMetadataValue {
            version: log_format::GROUP_METADATA_VALUE_VERSION,
            protocol_type: group.protocol_type.clone().unwrap_or_default(),
            generation: group.generation_id,
            protocol,
            leader: group.leader_id().map(str::to_string),
            current_state_timestamp: group.current_state_timestamp_or_default(),
            members,
        };
        let records = build_batch(
            self.config.offsets_topic_compression,
            protocol::NO_SEQUENCE,
            now_ms,
            &[(
                log_format::group_metadata_key(&group.group_id),
                Some(log_format::encode_group_metadata_value(&value)),
            )],
        );
        let partition = self.offsets_partition(&group.group_id);
        let generation_id = group.generation_id;
        let acks = self.config.offset_commit_required_acks;
        self.append(
            partition,
            records,
            acks,
            Some(AppendCallback::Group {
                group: g,
                generation_id,
                then,
            }),
        );
    }

    /// `storeGroup`'s callback: the append's error as the group's clients see it.
    pub fn store_group_error(
        &self,
        group_id: &str,
        generation_id: i32,
        error: Errors,
        lines: &mut Vec<LogLine>,
    ) -> Errors {
        if error == Errors::None {
            return Errors::None;
        }
        self.info(
            lines,
            Level::Debug,
            format!(
                "Metadata from group {group_id} with generation {generation_id} failed when appending to log due to {}",
                exception_name(error)
            ),
        );
        if let Some(mapped) = coordinator_error(error) {
            return mapped;
        }
        match error {
            Errors::RequestTimedOut => Errors::RebalanceInProgress,
            Errors::MessageTooLarge | Errors::RecordListTooLarge | Errors::InvalidFetchSize => {
                self.info(lines, Level::Error, format!("Appending metadata message for group {group_id} generation {generation_id} failed due to {}, returning UNKNOWN error code to the client", exception_name(error)));
                Errors::UnknownServerError
            }
            other => {
                self.info(lines, Level::Error, format!("Appending metadata message for group {group_id} generation {generation_id} failed due to unexpected error: {}", exception_name(error)));
                other
            }
        }
    }

    fn metadata_fits(&self, metadata: &str) -> bool {
        metadata.encode_utf16().count() <= self.config.max_metadata_size.max(0) as usize
    }

    /// `storeOffsets`: appends the commits whose metadata fits; `None`
    /// when none does (then every partition is OFFSET_METADATA_TOO_LARGE).
    pub fn store_offsets(
        &mut self,
        g: GroupRef,
        consumer_id: &str,
        offsets: &[(TopicPartition, OffsetAndMetadata)],
        waiter: Waiter,
        answer_order: Vec<(TopicPartition, Option<Errors>)>,
        now_ms: i64,
    ) -> Option<Vec<(TopicPartition, Errors)>> {
        let requested: Vec<(TopicPartition, bool)> = offsets
            .iter()
            .map(|(tp, o)| (tp.clone(), self.metadata_fits(&o.metadata)))
            .collect();
        let filtered: Vec<(TopicPartition, OffsetAndMetadata)> = offsets
            .iter()
            .filter(|(_, o)| self.metadata_fits(&o.metadata))
            .cloned()
            .collect();
        if filtered.is_empty() {
            return Some(
                offsets
                    .iter()
                    .map(|(tp, _)| (tp.clone(), Errors::OffsetMetadataTooLarge))
                    .collect(),
            );
        }
        let group = self.group(g);
        let records: Vec<(Vec<u8>, Option<Vec<u8>>)> = filtered
            .iter()
            .map(|(tp, o)| {
                (
                    log_format::offset_commit_key(&group.group_id, tp),
                    Some(log_format::offset_commit_value(o)),
                )
            })
            .collect();
        let batch = build_batch(self.config.offsets_topic_compression, 0, now_ms, &records);
        let partition = self.offsets_partition(&group.group_id);
        self.group_mut(g).offsets.prepare_offset_commit(offsets);
        let acks = self.config.offset_commit_required_acks;
        self.append(
            partition,
            batch,
            acks,
            Some(AppendCallback::Offsets {
                group: g,
                waiter,
                consumer_id: consumer_id.to_string(),
                requested,
                filtered,
                answer_order,
            }),
        );
        None
    }

    /// `storeOffsets`' callback: the cache takes what was written, and each
    /// partition's answer.
    #[allow(clippy::too_many_arguments)]
    pub fn offsets_appended(
        &mut self,
        g: GroupRef,
        consumer_id: &str,
        requested: &[(TopicPartition, bool)],
        filtered: &[(TopicPartition, OffsetAndMetadata)],
        error: Errors,
        base_offset: i64,
        lines: &mut Vec<LogLine>,
    ) -> Vec<(TopicPartition, Errors)> {
        let dead = self.group(g).is(GroupState::Dead);
        let response_error = if error == Errors::None {
            if !dead {
                for (tp, o) in filtered {
                    self.group_mut(g).offsets.on_offset_commit_append(
                        tp,
                        CommitRecordMetadataAndOffset {
                            appended_batch_offset: Some(base_offset),
                            offset_and_metadata: o.clone(),
                        },
                    );
                }
            }
            Errors::None
        } else {
            if !dead {
                for (tp, o) in filtered {
                    self.group_mut(g).offsets.fail_pending_offset_write(tp, o);
                }
            }
            let group = self.group(g);
            let shown: Vec<String> = filtered
                .iter()
                .map(|(tp, o)| format!("{tp} -> {o}"))
                .collect();
            self.info(
                lines,
                Level::Debug,
                format!(
                    "Offset commit Map({}) from group {}, consumer {consumer_id} with generation {} failed when appending to log due to {}",
                    shown.join(", "),
                    group.group_id,
                    group.generation_id,
                    exception_name(error)
                ),
            );
            match error {
                Errors::MessageTooLarge | Errors::RecordListTooLarge | Errors::InvalidFetchSize => {
                    Errors::InvalidCommitOffsetSize
                }
                other => coordinator_error(other).unwrap_or(other),
            }
        };
        requested
            .iter()
            .map(|(tp, fits)| {
                (
                    tp.clone(),
                    if *fits {
                        response_error
                    } else {
                        Errors::OffsetMetadataTooLarge
                    },
                )
            })
            .collect()
    }

    /// `cleanupGroupMetadata(groups, selector)`: removes the offsets the
    /// selector picks, turns empty groups without offsets Dead, and appends
    /// their tombstones (acks=0). Returns how many offsets were removed.
    pub fn cleanup_group_metadata(
        &mut self,
        groups: &[GroupRef],
        mut selector: impl FnMut(
            &mut GroupMetadata,
            &mut Vec<LogLine>,
        ) -> Vec<(TopicPartition, OffsetAndMetadata)>,
        now_ms: i64,
        lines: &mut Vec<LogLine>,
    ) -> usize {
        let mut offsets_removed = 0;
        for &g in groups {
            let removed_offsets = selector(self.group_mut(g), lines);
            let group = self.group(g);
            let group_id = group.group_id.clone();
            if group.is(GroupState::Empty) && !group.offsets.has_offsets() {
                let generation = group.generation_id;
                self.info(
                    lines,
                    Level::Info,
                    format!("Group {group_id} transitioned to Dead in generation {generation}"),
                );
                self.group_mut(g).transition_to(GroupState::Dead, now_ms);
            }
            let group = self.group(g);
            let (group_is_dead, generation) = (group.is(GroupState::Dead), group.generation_id);
            let partition = self.offsets_partition(&group_id);
            if !self.is_partition_owned(partition.partition)
                && !self.is_partition_loading(partition.partition)
            {
                self.info(lines, Level::Info, format!("BrokerId {} is no longer a coordinator for the group {group_id}. Proceeding cleanup for other alive groups", self.broker_id));
                continue;
            }
            let mut tombstones: Vec<(Vec<u8>, Option<Vec<u8>>)> = removed_offsets
                .iter()
                .map(|(tp, _)| (log_format::offset_commit_key(&group_id, tp), None))
                .collect();
            if group_is_dead && self.remove_from_cache(g) && generation > 0 {
                tombstones.push((log_format::group_metadata_key(&group_id), None));
            }
            if !tombstones.is_empty() {
                let records = build_batch(
                    self.config.offsets_topic_compression,
                    protocol::NO_SEQUENCE,
                    now_ms,
                    &tombstones,
                );
                self.append(partition, records, 0, None);
                offsets_removed += removed_offsets.len();
            }
        }
        offsets_removed
    }
}
