//! How Kafka's Scala and Java code prints and orders collections, for the
//! broker's messages: `mkString(",")`; the `toString` of `Set`, `List`,
//! `Option`, `mutable.HashSet`/`HashMap`; the iteration order of Scala
//! 2.13's mutable and immutable hash maps (a group's members, offsets);
//! `String.hashCode`, `TopicPartition.hashCode`; and `UUID.randomUUID()`
//! drawn from the caller's randomness. A small immutable `Set` or `Map`
//! (up to four elements) keeps insertion order.

use std::fmt::Display;

use kafka_api::TopicPartition;
use kafka_zk::order::{hash_map_order, java_string_hash, mutable_map_apply_len};

/// `ids.mkString(",")`.
pub fn join(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// `Set(a, b)`, in the order given.
pub fn set<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    format!("Set({})", comma_space(items))
}

/// `List(a, b)`.
pub fn list<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    format!("List({})", comma_space(items))
}

fn comma_space<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The bucket table of a Scala 2.13 `mutable.HashMap` or `mutable.HashSet`:
/// 16 buckets, doubled before a put that would bring it to 3/4 full, never
/// shrunk. It iterates its buckets in order, each keeping its keys sorted
/// by their improved hash, so the order depends only on the table's length
/// and the keys' hashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashTable {
    len: usize,
}

impl Default for HashTable {
    fn default() -> HashTable {
        HashTable { len: 16 }
    }
}

impl HashTable {
    /// `put0`: before every put (a new key or not), the table grows when
    /// `size + 1` reaches the threshold.
    pub fn before_put(&mut self, size: usize) {
        if size + 1 >= (self.len as f64 * 0.75) as usize {
            self.len *= 2;
        }
    }

    /// `sizeHint(n)`, which `++=` calls with the size of what it adds.
    pub fn size_hint(&mut self, n: usize) {
        self.len = self.len.max(mutable_map_apply_len(n));
    }

    /// The order the table iterates keys with these hashes (`##`) in.
    pub fn order(&self, hashes: &[i32]) -> Vec<usize> {
        let mask = (self.len - 1) as u32;
        let mut order: Vec<(usize, (u32, i32))> = hashes
            .iter()
            .enumerate()
            .map(|(i, &h)| {
                let improved = h ^ ((h as u32) >> 16) as i32;
                (i, ((improved as u32) & mask, improved))
            })
            .collect();
        order.sort_by_key(|&(_, key)| key);
        order.into_iter().map(|(i, _)| i).collect()
    }

    /// `keys` sorted in the table's iteration order.
    pub fn sorted<T: Clone>(&self, keys: &[T], hash: impl Fn(&T) -> i32) -> Vec<T> {
        let hashes: Vec<i32> = keys.iter().map(&hash).collect();
        self.order(&hashes)
            .into_iter()
            .map(|i| keys[i].clone())
            .collect()
    }
}

/// An immutable `Map` or `Set` built from `keys` in order (`toMap`,
/// `toSet`, a builder): up to four entries keep insertion order, more make
/// a CHAMP trie.
pub fn immutable_sorted<T: Clone>(keys: &[T], hash: impl Fn(&T) -> i32) -> Vec<T> {
    if keys.len() <= 4 {
        return keys.to_vec();
    }
    hash_sorted(keys, hash)
}

/// An immutable `HashMap`/`HashSet` of `keys` (what `groupBy` builds), in
/// its iteration order.
pub fn hash_sorted<T: Clone>(keys: &[T], hash: impl Fn(&T) -> i32) -> Vec<T> {
    let hashes: Vec<i32> = keys.iter().map(hash).collect();
    hash_map_order(&hashes)
        .into_iter()
        .map(|i| keys[i].clone())
        .collect()
}

/// `String.hashCode`, as a key function over `String`s.
#[allow(clippy::ptr_arg)]
pub fn string_hash(s: &String) -> i32 {
    java_string_hash(s)
}

/// `TopicPartition.hashCode`: `31 * (31 + partition) + topic.hashCode`.
pub fn topic_partition_hash(tp: &TopicPartition) -> i32 {
    31i32
        .wrapping_add(tp.partition)
        .wrapping_mul(31)
        .wrapping_add(java_string_hash(&tp.topic))
}

/// Scala's `Option[String].toString`: `Some(x)` or `None`.
pub fn option(value: Option<&str>) -> String {
    match value {
        Some(v) => format!("Some({v})"),
        None => "None".to_string(),
    }
}

/// `UUID.randomUUID().toString`: 128 random bits with the version (4) and
/// the variant (IETF) set, as 8-4-4-4-12 lower-case hex digits.
pub fn random_uuid(random: &mut dyn FnMut() -> u64) -> String {
    let msb = (random() & !0xF000) | 0x4000;
    let lsb = (random() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        msb >> 32,
        (msb >> 16) & 0xFFFF,
        msb & 0xFFFF,
        lsb >> 48,
        lsb & 0xFFFF_FFFF_FFFF
    )
}

/// An immutable `Set[String]`'s `toString`, the set built from `items` in
/// order: `Set(…)` in that order up to four, else a `HashSet(…)` in its own.
pub fn immutable_set(items: &[String]) -> String {
    if items.len() <= 4 {
        set(items)
    } else {
        format!("Hash{}", set(hash_sorted(items, string_hash)))
    }
}

/// A collection of names: `Set(a, b)`, `HashSet()`.
pub fn names(collection: &str, items: &[String]) -> String {
    format!("{collection}({})", items.join(", "))
}

/// A `mutable.HashSet` of broker ids: `HashSet(0, 1)`.
pub fn hash_set(ids: &[i32]) -> String {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    format!("HashSet({})", join(&sorted).replace(',', ", "))
}

/// A `mutable.HashMap` of broker id to epoch: `HashMap(0 -> 25)`.
pub fn hash_map(entries: &[(i32, i64)]) -> String {
    let mut sorted = entries.to_vec();
    sorted.sort_unstable();
    let inner: Vec<String> = sorted.iter().map(|(k, v)| format!("{k} -> {v}")).collect();
    format!("HashMap({})", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_strings() {
        assert_eq!(names("HashSet", &[]), "HashSet()");
        assert_eq!(names("Set", &["a".into(), "b".into()]), "Set(a, b)");
        assert_eq!(hash_set(&[1, 0]), "HashSet(0, 1)");
        assert_eq!(hash_set(&[]), "HashSet()");
        assert_eq!(hash_map(&[(1, 40), (0, 25)]), "HashMap(0 -> 25, 1 -> 40)");
    }
}
