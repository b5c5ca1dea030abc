//! Retention: deleting whole old segments by time, by size and below the log
//! start offset (`Log.deleteOldSegments` in 2.8.2; `LogManager.cleanupLogs`
//! in 0.8.0, which goes by file modification time and deletes at once).

use crate::config::LogVersion;
use crate::lines::Level;
use crate::log::{segment_string, Log};
use crate::segment::LogSegment;

impl Log {
    /// Deletes the segments retention allows; returns how many went.
    /// `high_watermark` bounds 2.8.2's deletion (nothing above it goes).
    pub fn delete_old_segments(&mut self, now_ms: i64, high_watermark: i64) -> usize {
        match self.config().version {
            LogVersion::Kafka0_8_0 => self.delete_old_segments_0_8(now_ms),
            _ => self.delete_old_segments_2_8(now_ms, high_watermark),
        }
    }

    fn delete_old_segments_2_8(&mut self, now_ms: i64, high_watermark: i64) -> usize {
        let config = self.config().clone();
        let mut deleted = 0;
        if config.cleanup_delete {
            if config.retention_ms >= 0 {
                deleted += self.delete_while(now_ms, high_watermark, |log, s, _| {
                    let breach = now_ms - s.largest_timestamp() > config.retention_ms;
                    if breach {
                        let basis = if s.largest_record_timestamp().is_some() {
                            "the largest record timestamp in the segment"
                        } else {
                            "the last modified time of the segment"
                        };
                        log.line(Level::Info, format!(
                            "Deleting segment {} due to retention time {}ms breach based on {basis}",
                            segment_string(s),
                            config.retention_ms
                        ));
                    }
                    breach
                });
            }
            if config.retention_bytes >= 0 {
                let mut diff = self.size_in_bytes() as i64 - config.retention_bytes;
                deleted += self.delete_while(now_ms, high_watermark, |log, s, size_after| {
                    if diff - s.size_in_bytes() as i64 >= 0 {
                        diff -= s.size_in_bytes() as i64;
                        log.line(Level::Info, format!(
                            "Deleting segment {} due to retention size {} breach. Log size after deletion will be {}.",
                            segment_string(s),
                            config.retention_bytes,
                            size_after - s.size_in_bytes()
                        ));
                        true
                    } else {
                        false
                    }
                });
            }
        }
        let start = self.log_start_offset();
        let ends: Vec<(i64, i64)> = self.segment_ranges();
        let below_start: Vec<i64> = ends
            .iter()
            .filter(|(_, next)| *next <= start)
            .map(|(b, _)| *b)
            .collect();
        if !below_start.is_empty() && below_start.len() < self.segments.len() {
            let removed: Vec<LogSegment> = below_start
                .iter()
                .filter_map(|b| self.segments.remove(b))
                .collect();
            let names: Vec<String> = removed.iter().map(segment_string).collect();
            self.line(
                Level::Info,
                format!(
                    "Deleting segments due to log start offset {start} breach: {}",
                    names.join(",")
                ),
            );
            deleted += removed.len();
            self.delete_segment_files(removed, now_ms, "retention");
        }
        deleted
    }

    /// (base offset, the next segment's base or the log end offset) of every segment.
    fn segment_ranges(&self) -> Vec<(i64, i64)> {
        let bases: Vec<i64> = self.segments.keys().copied().collect();
        bases
            .iter()
            .enumerate()
            .map(|(i, b)| {
                (
                    *b,
                    bases.get(i + 1).copied().unwrap_or(self.log_end_offset()),
                )
            })
            .collect()
    }

    /// Deletes the oldest segments while `breach` holds, never one above the
    /// high watermark, never a last empty one; rolls first if all would go.
    fn delete_while(
        &mut self,
        now_ms: i64,
        high_watermark: i64,
        mut breach: impl FnMut(&mut Log, &LogSegment, u64) -> bool,
    ) -> usize {
        let ranges = self.segment_ranges();
        let mut victims = Vec::new();
        let mut size = self.size_in_bytes();
        for (i, (base, next)) in ranges.iter().enumerate() {
            let segment = self.segments[base].clone();
            let last = i + 1 == ranges.len();
            if *next > high_watermark
                || (last && segment.is_empty())
                || !breach(self, &segment, size)
            {
                break;
            }
            size -= segment.size_in_bytes();
            victims.push(*base);
        }
        if victims.is_empty() {
            return 0;
        }
        if victims.len() == self.segments.len() {
            self.roll(now_ms);
        }
        let count = self.remove_for_retention(&victims, now_ms);
        let first = *self
            .segments
            .keys()
            .next()
            .expect("the rolled segment stays");
        if first > self.log_start_offset() {
            self.set_log_start_offset(first);
            self.line(
                Level::Info,
                format!("Incremented log start offset to {first} due to segment deletion"),
            );
        }
        count
    }

    fn delete_old_segments_0_8(&mut self, now_ms: i64) -> usize {
        let config = self.config().clone();
        let mut deleted = 0;
        if config.retention_ms >= 0 {
            deleted += self.mark_deleted_while_0_8(now_ms, |_, s| {
                now_ms - s.last_modified_ms > config.retention_ms
            });
        }
        if config.retention_bytes >= 0 {
            let mut diff = self.size_in_bytes() as i64 - config.retention_bytes;
            deleted += self.mark_deleted_while_0_8(now_ms, |_, s| {
                if diff - s.size_in_bytes() as i64 >= 0 {
                    diff -= s.size_in_bytes() as i64;
                    true
                } else {
                    false
                }
            });
        }
        deleted
    }

    /// 0.8.0's `markDeletedWhile`: the active segment may go too (rolled
    /// first when not empty; an empty one stays, with a fresh time).
    fn mark_deleted_while_0_8(
        &mut self,
        now_ms: i64,
        mut predicate: impl FnMut(&Log, &LogSegment) -> bool,
    ) -> usize {
        let mut victims = Vec::new();
        for (base, segment) in &self.segments {
            if !predicate(self, segment) {
                break;
            }
            victims.push(*base);
        }
        if victims.is_empty() {
            return 0;
        }
        if victims.len() == self.segments.len() {
            if self.active_segment().is_empty() {
                victims.pop();
                let active = *self.segments.keys().next_back().expect("a segment");
                self.segments
                    .get_mut(&active)
                    .expect("active")
                    .last_modified_ms = now_ms;
            } else {
                self.roll(now_ms);
            }
        }
        let count = self.remove_for_retention(&victims, now_ms);
        let first = *self.segments.keys().next().expect("a segment stays");
        self.set_log_start_offset(first);
        count
    }

    /// Takes the segments at `bases` out of the log and deletes their files.
    fn remove_for_retention(&mut self, bases: &[i64], now_ms: i64) -> usize {
        let removed: Vec<LogSegment> = bases
            .iter()
            .filter_map(|b| self.segments.remove(b))
            .collect();
        let count = removed.len();
        self.delete_segment_files(removed, now_ms, "retention");
        count
    }
}
