//! The `__consumer_offsets` partitions a coordinator gains and loses:
//! `onElection` schedules a partition's loading, which reads its records
//! into groups (the partition answers COORDINATOR_LOAD_IN_PROGRESS
//! meanwhile); `onResignation` unloads its groups, answering their waiting
//! requests NOT_COORDINATOR.

use kafka_api::Errors;
use kafka_log::Level;
use protocol::Records;

use super::coordinator::{GroupCoordinator, JoinResult, SyncResult};
use super::manager::LoadTask;
use super::metadata::{GroupMetadata, GroupState};
use super::purgatory::{GroupRef, Key};
use crate::metadata_cache::GROUP_METADATA_TOPIC_NAME;
use crate::scala;

impl GroupCoordinator {
    // --- Partitions of __consumer_offsets ----------------------------------------------------------

    /// `onElection`: this broker leads offsets partition `partition` now;
    /// its loading is scheduled ([`GroupCoordinator::take_loads`]).
    pub fn on_election(&mut self, partition: i32, coordinator_epoch: i32, now_ms: i64) {
        self.now_ms = now_ms;
        self.info(format!(
            "Elected as the group coordinator for partition {partition} in epoch {coordinator_epoch}"
        ));
        self.manager
            .schedule_load(partition, coordinator_epoch, now_ms, &mut self.lines);
    }

    /// The scheduler runs a load: false when it is not to go on (an older
    /// epoch, or loading already); from here until
    /// [`GroupCoordinator::finish_loading`] the partition's groups answer
    /// COORDINATOR_LOAD_IN_PROGRESS.
    pub fn begin_loading(&mut self, task: &LoadTask, now_ms: i64) -> bool {
        self.now_ms = now_ms;
        let p = task.partition;
        let tp = format!("{GROUP_METADATA_TOPIC_NAME}-{p}");
        if !self
            .manager
            .maybe_update_coordinator_epoch(p, Some(task.coordinator_epoch))
        {
            let current = self
                .manager
                .epoch_for_partition(p)
                .map_or("null".to_string(), |e| e.to_string());
            self.manager.info(
                &mut self.lines,
                Level::Info,
                format!(
                    "Not loading offsets and group metadata for {tp} in epoch {} since current epoch is {current}",
                    task.coordinator_epoch
                ),
            );
            return false;
        }
        if !self.manager.add_loading_partition(p) {
            self.manager.info(
                &mut self.lines,
                Level::Info,
                format!("Already loading offsets and group metadata from {tp}"),
            );
            return false;
        }
        self.manager.info(
            &mut self.lines,
            Level::Debug,
            format!(
                "Started loading offsets and group metadata from {tp} for epoch {}",
                task.coordinator_epoch
            ),
        );
        self.loading_since.insert(p, now_ms);
        true
    }

    /// The load reads the partition's records (`None`: no log) and builds
    /// its groups; the partition is owned from then on.
    pub fn finish_loading(&mut self, task: &LoadTask, records: Option<&Records>, now_ms: i64) {
        self.now_ms = now_ms;
        let p = task.partition;
        let tp = format!("{GROUP_METADATA_TOPIC_NAME}-{p}");
        let started = self.loading_since.remove(&p).unwrap_or(now_ms);
        let ok = match records {
            None => {
                self.manager.info(
                    &mut self.lines,
                    Level::Warn,
                    format!(
                        "Attempted to load offsets and group metadata from {tp}, but found no log"
                    ),
                );
                true
            }
            Some(records) => match self
                .manager
                .read_partition(records, now_ms, &mut self.lines)
            {
                Ok(loaded) => self.install_loaded(loaded),
                Err(_) => false,
            },
        };
        if ok {
            self.manager.info(
                &mut self.lines,
                Level::Info,
                format!(
                    "Finished loading offsets and group metadata from {tp} in {} milliseconds for epoch {}, of which {} milliseconds was spent in the scheduler.",
                    now_ms - task.scheduled_ms,
                    task.coordinator_epoch,
                    started - task.scheduled_ms
                ),
            );
        } else {
            // Kafka logs the exception's stack trace after this line.
            self.manager.info(
                &mut self.lines,
                Level::Error,
                format!("Error loading offsets from {tp}"),
            );
        }
        self.manager.finish_loading_partition(p);
    }

    /// `begin_loading` then `finish_loading`, at once.
    pub fn load_groups_and_offsets(
        &mut self,
        task: &LoadTask,
        records: Option<&Records>,
        now_ms: i64,
    ) {
        if self.begin_loading(task, now_ms) {
            self.finish_loading(task, records, now_ms);
        }
    }

    fn install_loaded(&mut self, loaded: super::load::Loaded) -> bool {
        let mut offsets_only_ids = Vec::new();
        for (group, offsets) in loaded.groups {
            let g = self.manager.load_group(group, offsets, &mut self.lines);
            self.on_group_loaded(g);
        }
        for (group_id, offsets) in loaded.offsets_only {
            offsets_only_ids.push(group_id.clone());
            let group = GroupMetadata::new(&group_id, GroupState::Empty, self.now_ms);
            let g = self.manager.load_group(group, offsets, &mut self.lines);
            self.on_group_loaded(g);
        }
        // A group deleted in the log but cached here is an error (unless
        // it came back as offsets only).
        !loaded
            .removed
            .iter()
            .any(|id| self.manager.get_group(id).is_some() && !offsets_only_ids.contains(id))
    }

    fn on_group_loaded(&mut self, g: GroupRef) {
        let group = self.g(g);
        let (id, generation) = (group.group_id.clone(), group.generation_id);
        self.info(format!(
            "Loading group metadata for {id} with generation {generation}"
        ));
        let group = self.g(g);
        assert!(group.is(GroupState::Stable) || group.is(GroupState::Empty));
        if group.size() > self.group_config.group_max_size.max(0) as usize {
            let c = self.group_config;
            self.prepare_rebalance(
                g,
                &format!(
                    "Freshly-loaded group is over capacity (GroupConfig({},{},{},{}).groupMaxSize). Rebalacing in order to give a chance for consumers to commit offsets",
                    c.group_min_session_timeout_ms,
                    c.group_max_session_timeout_ms,
                    c.group_max_size,
                    c.group_initial_rebalance_delay_ms
                ),
            );
        }
        for member in self.g(g).member_ids() {
            self.complete_and_schedule_next_heartbeat_expiration(g, &member);
        }
    }

    /// `onResignation`: another broker leads `partition`; its groups are
    /// unloaded (their waiting requests answered NOT_COORDINATOR).
    pub fn on_resignation(&mut self, partition: i32, coordinator_epoch: Option<i32>, now_ms: i64) {
        self.now_ms = now_ms;
        let epoch = scala::option(coordinator_epoch.map(|e| e.to_string()).as_deref());
        self.info(format!(
            "Resigned as the group coordinator for partition {partition} in epoch {epoch}"
        ));
        let tp = format!("{GROUP_METADATA_TOPIC_NAME}-{partition}");
        self.manager.info(
            &mut self.lines,
            Level::Info,
            format!("Scheduling unloading of offsets and group metadata from {tp}"),
        );
        if !self
            .manager
            .maybe_update_coordinator_epoch(partition, coordinator_epoch)
        {
            let current = self
                .manager
                .epoch_for_partition(partition)
                .map_or("null".to_string(), |e| e.to_string());
            self.manager.info(
                &mut self.lines,
                Level::Info,
                format!("Not removing offsets and group metadata for {tp} in epoch {epoch} since current epoch is {current}"),
            );
            return;
        }
        self.manager.info(
            &mut self.lines,
            Level::Debug,
            format!("Started unloading offsets and group metadata for {tp} for coordinator epoch {epoch}"),
        );
        self.manager.release_partition(partition);
        let (mut offsets, mut groups) = (0, 0);
        for g in self.manager.current_groups() {
            if self.partition_for(&self.g(g).group_id) == partition {
                self.on_group_unloaded(g);
                self.manager.remove_from_cache(g);
                groups += 1;
                offsets += self.g(g).offsets.num_offsets();
            }
        }
        self.manager.info(
            &mut self.lines,
            Level::Info,
            format!("Finished unloading {tp} for coordinator epoch {epoch}. Removed {offsets} cached offsets and {groups} cached groups."),
        );
        self.collect_garbage();
    }

    fn on_group_unloaded(&mut self, g: GroupRef) {
        let group = self.g(g);
        let (id, generation, previous) =
            (group.group_id.clone(), group.generation_id, group.state());
        self.info(format!(
            "Unloading group metadata for {id} with generation {generation}"
        ));
        let now = self.now_ms;
        self.gm(g).transition_to(GroupState::Dead, now);
        match previous {
            GroupState::Empty | GroupState::Dead => {}
            GroupState::PreparingRebalance => {
                for member in self.g(g).member_ids() {
                    if let Some(w) = self.gm(g).take_join_waiter(&member) {
                        self.answer_join(w, JoinResult::error(&member, Errors::NotCoordinator));
                    }
                }
                self.check_and_complete(&Key::Join(&id));
            }
            GroupState::Stable | GroupState::CompletingRebalance => {
                for member in self.g(g).member_ids() {
                    if let Some(w) = self.gm(g).take_sync_waiter(&member) {
                        self.answer_sync(w, SyncResult::error(Errors::NotCoordinator));
                    }
                    self.check_and_complete(&Key::Member(&id, &member));
                }
            }
        }
        self.remove_sync_expiration(g);
    }
}
