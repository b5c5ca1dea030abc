//! `FileRecords`: the bytes of a `.log` file as its appends brought them —
//! a list of shared chunks, so that appending a batch, handing it to the
//! storage and reading it back for a fetch copy nothing (Kafka gets the
//! same from the page cache and `sendfile`).

use std::ops::Range;

use bytes::{Bytes, BytesMut};

/// A file's bytes in chunks; positions are file positions.
#[derive(Clone, Debug, Default)]
pub struct FileRecords {
    chunks: Vec<Bytes>,
    /// Where each chunk ends in the file (ascending; the last is the length).
    ends: Vec<usize>,
}

impl FileRecords {
    pub fn new() -> FileRecords {
        FileRecords::default()
    }

    pub fn len(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds bytes at the end, sharing them.
    pub fn append(&mut self, bytes: Bytes) {
        if bytes.is_empty() {
            return;
        }
        let end = self.len() + bytes.len();
        self.chunks.push(bytes);
        self.ends.push(end);
    }

    /// The chunk holding `position`.
    fn chunk_at(&self, position: usize) -> usize {
        self.ends.partition_point(|end| *end <= position)
    }

    /// The bytes in `range`: shared when they lie in one chunk, copied
    /// together otherwise.
    pub fn slice(&self, range: Range<usize>) -> Bytes {
        assert!(
            range.start <= range.end && range.end <= self.len(),
            "{range:?} lies in a file of {} bytes",
            self.len()
        );
        if range.is_empty() {
            return Bytes::new();
        }
        let first = self.chunk_at(range.start);
        let chunk_start = self.ends[first] - self.chunks[first].len();
        if range.end <= self.ends[first] {
            return self.chunks[first].slice(range.start - chunk_start..range.end - chunk_start);
        }
        let mut out = BytesMut::with_capacity(range.len());
        let mut at = range.start;
        for i in first..self.chunks.len() {
            if at >= range.end {
                break;
            }
            let start = self.ends[i] - self.chunks[i].len();
            let end = self.ends[i].min(range.end);
            out.extend_from_slice(&self.chunks[i][at - start..end - start]);
            at = end;
        }
        out.freeze()
    }

    /// The whole file.
    pub fn to_bytes(&self) -> Bytes {
        self.slice(0..self.len())
    }

    /// The byte at `position`, if the file reaches it.
    pub fn byte_at(&self, position: usize) -> Option<u8> {
        (position < self.len()).then(|| {
            let i = self.chunk_at(position);
            self.chunks[i][position - (self.ends[i] - self.chunks[i].len())]
        })
    }

    /// Cuts the file to `len` bytes (no-op when it is not longer).
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len() {
            return;
        }
        let keep = self.chunk_at(len);
        self.chunks.truncate(keep + 1);
        self.ends.truncate(keep + 1);
        let start = self.ends[keep] - self.chunks[keep].len();
        if len == start {
            self.chunks.pop();
            self.ends.pop();
        } else {
            self.chunks[keep].truncate(len - start);
            self.ends[keep] = len;
        }
        debug_assert_eq!(self.len(), len);
    }
}

impl From<Bytes> for FileRecords {
    fn from(bytes: Bytes) -> FileRecords {
        let mut records = FileRecords::new();
        records.append(bytes);
        records
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any appends and truncations read back as one flat vector would.
        #[test]
        fn reads_as_a_flat_file(
            steps in prop::collection::vec((prop::collection::vec(any::<u8>(), 0..40), prop::option::of(0usize..200)), 1..30),
            reads in prop::collection::vec((0usize..300, 0usize..300), 1..20),
        ) {
            let mut file = FileRecords::new();
            let mut flat: Vec<u8> = Vec::new();
            for (data, cut) in steps {
                file.append(Bytes::from(data.clone()));
                flat.extend_from_slice(&data);
                if let Some(cut) = cut {
                    file.truncate(cut);
                    flat.truncate(cut);
                }
                prop_assert_eq!(file.len(), flat.len());
            }
            prop_assert_eq!(&file.to_bytes()[..], &flat[..]);
            for (a, b) in reads {
                let (start, end) = (a.min(b).min(flat.len()), a.max(b).min(flat.len()));
                prop_assert_eq!(&file.slice(start..end)[..], &flat[start..end]);
                prop_assert_eq!(file.byte_at(a), flat.get(a).copied());
            }
        }
    }

    #[test]
    fn a_read_inside_one_append_shares_its_bytes() {
        let mut file = FileRecords::new();
        let batch = Bytes::from(vec![7u8; 100]);
        file.append(Bytes::from(vec![1u8; 10]));
        file.append(batch.clone());
        let read = file.slice(20..60);
        assert_eq!(read.as_ptr(), batch[10..].as_ptr(), "no copy");
    }
}
