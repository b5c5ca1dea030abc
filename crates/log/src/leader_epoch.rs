//! The leader epoch cache (`LeaderEpochFileCache`, 0.11+): which offset each
//! leader epoch started at, kept in `leader-epoch-checkpoint`.

use crate::checkpoint;
use crate::storage::FileOp;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeaderEpochCache {
    /// (epoch, start offset), epochs and offsets increasing.
    entries: Vec<(i32, i64)>,
}

impl LeaderEpochCache {
    pub fn entries(&self) -> &[(i32, i64)] {
        &self.entries
    }

    pub fn latest_epoch(&self) -> Option<i32> {
        self.entries.last().map(|e| e.0)
    }

    /// Records that `epoch` starts at `start_offset`; returns whether anything changed.
    pub fn assign(&mut self, epoch: i32, start_offset: i64) -> bool {
        match self.entries.last() {
            Some(&(last, _)) if epoch <= last => false,
            _ => {
                // Entries at or above the new start offset are superseded.
                self.entries.retain(|&(_, offset)| offset < start_offset);
                self.entries.push((epoch, start_offset));
                true
            }
        }
    }

    /// After the log is truncated to `end_offset`: epochs starting there or later go.
    pub fn truncate_from_end(&mut self, end_offset: i64) -> bool {
        let before = self.entries.len();
        self.entries.retain(|&(_, offset)| offset < end_offset);
        before != self.entries.len()
    }

    /// After the log start moves to `start_offset`: older epochs go, the one
    /// holding the new start is moved to it.
    pub fn truncate_from_start(&mut self, start_offset: i64) -> bool {
        let keep_from = self
            .entries
            .iter()
            .rposition(|&(_, offset)| offset <= start_offset);
        match keep_from {
            Some(i) => {
                let changed = i > 0 || self.entries[i].1 != start_offset;
                self.entries.drain(..i);
                self.entries[0].1 = start_offset;
                changed
            }
            None => false,
        }
    }

    /// `endOffsetFor`: where `epoch` ends — for the latest epoch the log end
    /// offset; otherwise the start of the first larger epoch, reported with
    /// the largest epoch not above `epoch` (or `epoch` itself when it is older
    /// than every known one). `None` (`UNDEFINED_EPOCH_OFFSET`) for an epoch
    /// newer than the latest, or an empty cache.
    pub fn end_offset_for(&self, epoch: i32, log_end_offset: i64) -> Option<(i32, i64)> {
        if self.latest_epoch() == Some(epoch) {
            return Some((epoch, log_end_offset));
        }
        let next = self.entries.iter().position(|&(e, _)| e > epoch)?;
        let start = self.entries[next].1;
        match next.checked_sub(1) {
            Some(previous) => Some((self.entries[previous].0, start)),
            None => Some((epoch, start)),
        }
    }

    pub fn parse(text: &str, path: &str) -> Result<LeaderEpochCache, String> {
        let entries = checkpoint::parse(text, path, 2)?
            .into_iter()
            .map(|fields| {
                let epoch = fields[0]
                    .parse()
                    .map_err(|_| checkpoint::malformed(path, &fields.join(" ")))?;
                let offset = fields[1]
                    .parse()
                    .map_err(|_| checkpoint::malformed(path, &fields.join(" ")))?;
                Ok((epoch, offset))
            })
            .collect::<Result<_, String>>()?;
        Ok(LeaderEpochCache { entries })
    }

    /// The file's text: `0`, the count, then `epoch startOffset` lines.
    pub fn to_text(&self) -> String {
        checkpoint::format(self.entries.iter().map(|(e, o)| format!("{e} {o}")))
    }

    /// Writes the checkpoint as Kafka does: a `.tmp` file, fsync, rename.
    pub fn write(&self, path: &str, out: &mut Vec<FileOp>) {
        checkpoint::write_atomically(path, self.to_text().into_bytes(), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs_assign_truncate_and_answer_end_offsets() {
        let mut c = LeaderEpochCache::default();
        assert!(c.assign(0, 0));
        assert!(!c.assign(0, 5), "the same epoch again changes nothing");
        assert!(c.assign(2, 10));
        assert_eq!(c.end_offset_for(0, 20), Some((0, 10)));
        assert_eq!(c.end_offset_for(1, 20), Some((0, 10)));
        assert_eq!(c.end_offset_for(2, 20), Some((2, 20)));
        assert!(c.truncate_from_end(10));
        assert_eq!(c.entries(), &[(0, 0)]);
        c.assign(3, 12);
        assert!(c.truncate_from_start(13));
        assert_eq!(c.entries(), &[(3, 13)]);
        assert_eq!(c.to_text(), "0\n1\n3 13\n");
        assert_eq!(LeaderEpochCache::parse("0\n1\n3 13\n", "x").unwrap(), c);
    }
}
