//! Java's orders and numbers where ZooKeeper lets them show: a znode's
//! children are a `java.util.HashSet`, so `getChildren` (and 3.3's `ls`)
//! lists them in hash-bucket order; session passwords come from
//! `java.util.Random`. JDK 8+ `HashMap` is emulated (bucket index
//! `(h ^ h >>> 16) & (n − 1)`, lists split in order on resize; buckets never
//! grow long enough here to become trees).

/// `String.hashCode()` over UTF-16 code units.
pub fn string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// `Long.hashCode()`.
pub fn long_hash(v: i64) -> i32 {
    (v ^ ((v as u64) >> 32) as i64) as i32
}

fn spread(h: i32) -> u32 {
    let h = h as u32;
    h ^ (h >> 16)
}

/// A `HashSet` as JDK 8+ keeps it: what matters is the iteration order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JavaHashSet<T> {
    buckets: Vec<Vec<(i32, T)>>,
    len: usize,
    /// Buckets when the first element arrives (`new HashSet<>(n)` rounds up to a power of 2).
    initial: usize,
}

impl<T: PartialEq + Clone> JavaHashSet<T> {
    /// `new HashSet<>(initial_capacity)`.
    pub fn with_capacity(initial_capacity: usize) -> JavaHashSet<T> {
        JavaHashSet {
            buckets: Vec::new(),
            len: 0,
            initial: initial_capacity.max(1).next_power_of_two(),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn index(&self, hash: i32) -> usize {
        (spread(hash) as usize) & (self.buckets.len() - 1)
    }

    pub fn contains(&self, hash: i32, value: &T) -> bool {
        !self.buckets.is_empty()
            && self.buckets[self.index(hash)]
                .iter()
                .any(|(h, v)| *h == hash && v == value)
    }

    /// Adds a value; false if it was there.
    pub fn insert(&mut self, hash: i32, value: T) -> bool {
        if self.buckets.is_empty() {
            self.buckets = vec![Vec::new(); self.initial];
        }
        if self.contains(hash, &value) {
            return false;
        }
        let i = self.index(hash);
        self.buckets[i].push((hash, value));
        self.len += 1;
        // Resize once the size passes three quarters of the table.
        if self.len > self.buckets.len() * 3 / 4 {
            let old = std::mem::take(&mut self.buckets);
            self.buckets = vec![Vec::new(); old.len() * 2];
            for (h, v) in old.into_iter().flatten() {
                let i = self.index(h);
                self.buckets[i].push((h, v));
            }
        }
        true
    }

    pub fn remove(&mut self, hash: i32, value: &T) -> bool {
        if self.buckets.is_empty() {
            return false;
        }
        let i = self.index(hash);
        let before = self.buckets[i].len();
        self.buckets[i].retain(|(h, v)| !(*h == hash && v == value));
        let removed = self.buckets[i].len() < before;
        if removed {
            self.len -= 1;
        }
        removed
    }

    /// The iteration order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.buckets.iter().flatten().map(|(_, v)| v)
    }
}

/// `java.util.Random`, for the 16-byte session passwords
/// (`new Random(sessionId ^ 0xB3415C00L).nextBytes(passwd)`).
#[derive(Clone, Debug)]
pub struct JavaRandom {
    seed: u64,
}

impl JavaRandom {
    const MULTIPLIER: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;

    pub fn new(seed: i64) -> JavaRandom {
        JavaRandom {
            seed: (seed as u64 ^ Self::MULTIPLIER) & Self::MASK,
        }
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.seed = (self.seed.wrapping_mul(Self::MULTIPLIER).wrapping_add(0xB)) & Self::MASK;
        (self.seed >> (48 - bits)) as i32
    }

    pub fn next_int(&mut self) -> i32 {
        self.next(32)
    }

    pub fn next_bytes(&mut self, out: &mut [u8]) {
        let mut i = 0;
        while i < out.len() {
            let mut rnd = self.next_int();
            let n = (out.len() - i).min(4);
            for _ in 0..n {
                out[i] = rnd as u8;
                rnd >>= 8;
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_javas() {
        assert_eq!(string_hash(""), 0);
        assert_eq!(string_hash("zookeeper"), 1_600_681_804);
        assert_eq!(string_hash("brokers"), 150_569_914);
        assert_eq!(string_hash("a"), 97);
        assert_eq!(long_hash(0x1_0000_0001), 0);
        assert_eq!(long_hash(-1), 0);
    }

    #[test]
    fn random_is_javas() {
        // new Random(42).nextInt() == -1170105035 (the JDK's documented LCG).
        assert_eq!(JavaRandom::new(42).next_int(), -1_170_105_035);
        let mut bytes = [0u8; 4];
        JavaRandom::new(42).next_bytes(&mut bytes);
        assert_eq!(i32::from_le_bytes(bytes), -1_170_105_035);
    }

    #[test]
    fn iteration_is_by_bucket_and_survives_resizes() {
        let mut set = JavaHashSet::with_capacity(8);
        const NAMES: [&str; 7] = [
            "zookeeper",
            "brokers",
            "controller",
            "controller_epoch",
            "a",
            "b",
            "c",
        ];
        for name in NAMES {
            set.insert(string_hash(name), name.to_owned());
        }
        assert_eq!(set.len(), 7);
        let order: Vec<&String> = set.iter().collect();
        // Bucket order over 16 buckets (the table doubled at the 7th name).
        let mut expected: Vec<(usize, usize, &str)> = NAMES
            .iter()
            .enumerate()
            .map(|(i, n)| ((spread(string_hash(n)) as usize) & 15, i, *n))
            .collect();
        expected.sort();
        assert_eq!(
            order,
            expected.iter().map(|(_, _, n)| n).collect::<Vec<_>>()
        );
        assert!(set.remove(string_hash("a"), &"a".to_owned()));
        assert!(!set.contains(string_hash("a"), &"a".to_owned()));
    }
}
