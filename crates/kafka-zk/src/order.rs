//! The iteration order of the maps Kafka 2.8.2 hands to Jackson, which is the
//! order of the keys in the JSON it writes.
//!
//! Kafka 2.8.2 (`kafka_2.13`) wraps Scala maps with `.asJava`, and Jackson
//! writes a map's entries in its iteration order, so the bytes depend on how
//! Scala 2.13.5's collections (and, for configs, the JDK's `Properties`)
//! iterate. Each function here takes the keys in the order Kafka inserts
//! them and returns their indices in iteration order. The keys must be
//! distinct. See `KAFKA-ZK-LAYOUT.md` §2.2 in the `coord` crate.

/// Java's `String.hashCode` (over UTF-16 code units), which is also Scala's `##`
/// for a String.
pub fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// The table length of an empty `mutable.Map[…]()` (`HashMap.defaultInitialCapacity`).
pub const MUTABLE_MAP_EMPTY_LEN: usize = 16;

/// The table length of `mutable.Map(e1, …, ek)`: `HashMap.from` sizes the table
/// for its `knownSize`, as `tableSizeFor(((k + 1) / 0.75).toInt)` with
/// `tableSizeFor(c) = highestOneBit(max(c - 1, 4)) * 2`
/// (scala/collection/mutable/HashMap.scala@v2.13.5 l.586-589, l.408-409).
pub fn mutable_map_apply_len(entries: usize) -> usize {
    if entries == 0 {
        return MUTABLE_MAP_EMPTY_LEN;
    }
    let capacity = ((entries + 1) as f64 / 0.75) as usize;
    let c = capacity.saturating_sub(1).max(4);
    (1usize << (usize::BITS - 1 - c.leading_zeros())) * 2
}

/// A Scala 2.13 `mutable.HashMap` whose table starts `initial_len` slots long
/// and receives `keys` in order.
///
/// The hash is `h ^ (h >>> 16)`; a slot is `hash & (len - 1)`; a slot keeps its
/// keys sorted by hash as a signed Int; before each insert the table doubles
/// if `size + 1 >= 0.75 * len`; iteration walks the slots in ascending order.
/// Growth keeps that order, so the result is the keys sorted by
/// (slot in the final table, signed hash).
pub fn mutable_hash_map_order<S: AsRef<str>>(keys: &[S], initial_len: usize) -> Vec<usize> {
    let mut len = initial_len.max(1);
    for size in 0..keys.len() {
        let threshold = (len as f64 * 0.75) as usize;
        if size + 1 >= threshold {
            len *= 2;
        }
    }
    let mask = (len - 1) as u32;
    let mut order: Vec<(usize, (u32, i32))> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let h = java_string_hash(k.as_ref());
            let improved = h ^ ((h as u32) >> 16) as i32;
            (i, ((improved as u32) & mask, improved))
        })
        .collect();
    order.sort_by_key(|&(_, key)| key); // stable: equal hashes keep insertion order
    order.into_iter().map(|(i, _)| i).collect()
}

/// `scala.collection.Hashing.improve`, the hash an immutable `HashMap` uses.
fn improve(hcode: i32) -> u32 {
    let mut h = hcode.wrapping_add(!(hcode << 9));
    h ^= ((h as u32) >> 14) as i32;
    h = h.wrapping_add(h << 4);
    (h ^ ((h as u32) >> 10) as i32) as u32
}

/// A Scala 2.13 immutable `Map` built from `keys` in order (`Map(…)`, `.toMap`).
///
/// Up to four entries it is a `Map1`…`Map4`, which iterates in insertion
/// order. From five on it is a CHAMP `HashMap`: at depth `d` a key's slot is
/// `(improve(hash) >>> 5d) & 31`; a node iterates first the keys alone in
/// their slot, in slot order, then its sub-nodes in slot order
/// (scala/collection/immutable/ChampCommon.scala@v2.13.5).
pub fn immutable_map_order<S: AsRef<str>>(keys: &[S]) -> Vec<usize> {
    if keys.len() <= 4 {
        return (0..keys.len()).collect();
    }
    let hashes: Vec<i32> = keys.iter().map(|k| java_string_hash(k.as_ref())).collect();
    hash_map_order(&hashes)
}

/// A Scala 2.13 immutable `HashMap` or `HashSet` (a CHAMP trie, whatever its
/// size: what `groupBy` returns) of keys whose `##` are `hashes`, in insertion
/// order: the order it iterates them in.
pub fn hash_map_order(hashes: &[i32]) -> Vec<usize> {
    let hashed: Vec<(usize, u32)> = hashes
        .iter()
        .enumerate()
        .map(|(i, &h)| (i, improve(h)))
        .collect();
    let mut out = Vec::with_capacity(hashes.len());
    champ(&hashed, 0, &mut out);
    out
}

fn champ(keys: &[(usize, u32)], shift: u32, out: &mut Vec<usize>) {
    if shift >= 32 {
        // A hash collision node keeps insertion order.
        out.extend(keys.iter().map(|&(i, _)| i));
        return;
    }
    let mut slots: Vec<Vec<(usize, u32)>> = vec![Vec::new(); 32];
    for &(i, h) in keys {
        slots[((h >> shift) & 31) as usize].push((i, h));
    }
    for slot in &slots {
        if let [(i, _)] = slot.as_slice() {
            out.push(*i);
        }
    }
    for slot in &slots {
        if slot.len() > 1 {
            champ(slot, shift + 5, out);
        }
    }
}

/// A `java.util.Properties` on JDK 9 or later that received `keys` in order
/// (`setProperty`/`put`), which is how Kafka 2.8.2 holds an entity's config.
///
/// Properties is backed by `new ConcurrentHashMap(8)`: 16 bins, bin =
/// `(h ^ h >>> 16) & 0x7fffffff & (n - 1)`, a new key appended to its bin's
/// list. When the size reaches 3/4 of the bins the table doubles; a bin is
/// split the way `ConcurrentHashMap.transfer` does it (the tail run that
/// stays together keeps its order, the nodes before it are prepended, so
/// they reverse). Iteration walks the bins in order.
///
/// Not modelled: a bin that reaches 9 keys (the JDK then resizes early or
/// makes it a tree), and the JDK 8 `Hashtable` order.
pub fn properties_order<S: AsRef<str>>(keys: &[S]) -> Vec<usize> {
    let spread = |h: i32| ((h ^ ((h as u32) >> 16) as i32) & 0x7fff_ffff) as u32;
    let mut n: usize = 16;
    let mut size_ctl = n - (n >> 2);
    let mut bins: Vec<Vec<(usize, u32)>> = vec![Vec::new(); n];
    for (count, (i, k)) in keys.iter().enumerate().enumerate() {
        let h = spread(java_string_hash(k.as_ref()));
        bins[(h as usize) & (n - 1)].push((i, h));
        // addCount after the insert: resize while size >= sizeCtl.
        while count + 1 >= size_ctl {
            bins = transfer(&bins, n);
            n *= 2;
            size_ctl = n - (n >> 2);
        }
    }
    bins.into_iter().flatten().map(|(i, _)| i).collect()
}

fn transfer(bins: &[Vec<(usize, u32)>], n: usize) -> Vec<Vec<(usize, u32)>> {
    let bit = n as u32;
    let mut next: Vec<Vec<(usize, u32)>> = vec![Vec::new(); 2 * n];
    for (i, list) in bins.iter().enumerate() {
        let Some(first) = list.first() else { continue };
        let mut run_bit = first.1 & bit;
        let mut last_run = 0;
        for (j, node) in list.iter().enumerate().skip(1) {
            if node.1 & bit != run_bit {
                run_bit = node.1 & bit;
                last_run = j;
            }
        }
        let (mut low, mut high) = if run_bit == 0 {
            (list[last_run..].to_vec(), Vec::new())
        } else {
            (Vec::new(), list[last_run..].to_vec())
        };
        for node in &list[..last_run] {
            if node.1 & bit == 0 {
                low.insert(0, *node);
            } else {
                high.insert(0, *node);
            }
        }
        next[i] = low;
        next[i + n] = high;
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordered<'a>(keys: &[&'a str], order: &[usize]) -> Vec<&'a str> {
        order.iter().map(|&i| keys[i]).collect()
    }

    #[test]
    fn string_hash_is_javas() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("0"), 48);
        assert_eq!(java_string_hash("10"), 1567);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        // Overflows wrap like Java's int arithmetic.
        assert_eq!(java_string_hash("listener_security_protocol_map"), {
            let mut h = 0i32;
            for c in "listener_security_protocol_map".chars() {
                h = h.wrapping_mul(31).wrapping_add(c as i32);
            }
            h
        });
        // Outside the BMP: two UTF-16 code units.
        assert_eq!(java_string_hash("\u{1F600}"), 0xD83D * 31 + 0xDE00);
    }

    #[test]
    fn table_lengths() {
        assert_eq!(mutable_map_apply_len(0), 16);
        assert_eq!(mutable_map_apply_len(3), 8);
        assert_eq!(mutable_map_apply_len(4), 8);
        assert_eq!(mutable_map_apply_len(6), 16);
    }

    /// §2.2: the broker registration, a `mutable.Map` of 6 keys plus rack,
    /// listener map and features.
    #[test]
    fn broker_registration_key_order() {
        let v5 = [
            "version",
            "host",
            "port",
            "endpoints",
            "jmx_port",
            "timestamp",
            "listener_security_protocol_map",
            "features",
        ];
        assert_eq!(
            ordered(&v5, &mutable_hash_map_order(&v5, mutable_map_apply_len(6))),
            [
                "features",
                "listener_security_protocol_map",
                "endpoints",
                "jmx_port",
                "port",
                "host",
                "version",
                "timestamp"
            ]
        );
        let rack = [
            "version",
            "host",
            "port",
            "endpoints",
            "jmx_port",
            "timestamp",
            "rack",
            "listener_security_protocol_map",
            "features",
        ];
        assert_eq!(
            ordered(&rack, &mutable_hash_map_order(&rack, 16)),
            [
                "features",
                "listener_security_protocol_map",
                "endpoints",
                "rack",
                "jmx_port",
                "port",
                "host",
                "version",
                "timestamp"
            ]
        );
    }

    #[test]
    fn topic_and_feature_key_order() {
        let topic = [
            "version",
            "partitions",
            "adding_replicas",
            "removing_replicas",
            "topic_id",
        ];
        assert_eq!(
            ordered(
                &topic,
                &mutable_hash_map_order(&topic, mutable_map_apply_len(4))
            ),
            [
                "partitions",
                "topic_id",
                "adding_replicas",
                "removing_replicas",
                "version"
            ]
        );
        let feature = ["version", "status", "features"];
        assert_eq!(
            ordered(
                &feature,
                &mutable_hash_map_order(&feature, mutable_map_apply_len(3))
            ),
            ["features", "version", "status"]
        );
    }

    /// §2.2: the partition state is an immutable `Map` of five keys, whose
    /// order real 2.x clusters show.
    #[test]
    fn partition_state_key_order_is_champ() {
        let keys = [
            "version",
            "leader",
            "leader_epoch",
            "controller_epoch",
            "isr",
        ];
        assert_eq!(
            ordered(&keys, &immutable_map_order(&keys)),
            [
                "controller_epoch",
                "leader",
                "version",
                "leader_epoch",
                "isr"
            ]
        );
        // Four entries keep insertion order.
        let four = ["version", "leader", "leader_epoch", "isr"];
        assert_eq!(ordered(&four, &immutable_map_order(&four)), four);
    }

    fn partition_order(n: i32) -> Vec<i32> {
        let keys: Vec<String> = (0..n).map(|p| p.to_string()).collect();
        mutable_hash_map_order(&keys, MUTABLE_MAP_EMPTY_LEN)
            .into_iter()
            .map(|i| i as i32)
            .collect()
    }

    /// §2.2's partition-key orders.
    #[test]
    fn partition_key_orders() {
        for n in 0..=11 {
            assert_eq!(partition_order(n), (0..n).collect::<Vec<_>>());
        }
        let cat = |parts: &[std::ops::Range<i32>]| -> Vec<i32> {
            parts.iter().flat_map(|r| r.clone()).collect()
        };
        assert_eq!(partition_order(12), cat(&[11..12, 0..11]));
        assert_eq!(partition_order(16), cat(&[11..16, 0..11]));
        assert_eq!(partition_order(20), cat(&[11..20, 0..11]));
        assert_eq!(partition_order(24), cat(&[22..24, 10..20, 0..10, 20..22]));
        assert_eq!(partition_order(50), cat(&[44..50, 10..20, 0..10, 20..44]));
    }

    /// §4.3: `__consumer_offsets`' config on JDK 11+, inserted as
    /// cleanup.policy, segment.bytes, compression.type (GroupCoordinator).
    #[test]
    fn properties_order_of_consumer_offsets_config() {
        let keys = ["cleanup.policy", "segment.bytes", "compression.type"];
        assert_eq!(
            ordered(&keys, &properties_order(&keys)),
            ["compression.type", "cleanup.policy", "segment.bytes"]
        );
    }

    #[test]
    fn properties_order_is_a_permutation_across_resizes() {
        let keys: Vec<String> = (0..40).map(|i| format!("key.{i}")).collect();
        let mut order = properties_order(&keys);
        order.sort_unstable();
        assert_eq!(order, (0..40).collect::<Vec<_>>());
    }

    /// Below 12 keys there is no resize: the keys come out by bin, and in
    /// insertion order within a bin.
    #[test]
    fn properties_order_within_a_bin_is_insertion_order() {
        // "Aa" and "BB" have the same String hash: same bin.
        assert_eq!(java_string_hash("Aa"), java_string_hash("BB"));
        assert_eq!(properties_order(&["BB", "Aa"]), [0, 1]);
        assert_eq!(properties_order(&["Aa", "BB"]), [0, 1]);
        // "q" (113) and "a" (97) share bin 1 of 16 (they would not in 32).
        assert_eq!(properties_order(&["q", "a"]), [0, 1]);
        assert_eq!(properties_order(&["a", "q"]), [0, 1]);
        // "b" (98) is in bin 2, after both.
        assert_eq!(properties_order(&["b", "q", "a"]), [1, 2, 0]);
    }

    /// A resize splits a bin as ConcurrentHashMap.transfer does: nodes
    /// before the last run are prepended, so their order reverses.
    #[test]
    fn transfer_reverses_the_nodes_before_the_last_run() {
        // Bin 0 of 16 holds hashes 0, 16, 32 (bits for n=16: 0, 1, 0) then 48 (1).
        let bins = vec![vec![(0, 0), (1, 16), (2, 32), (3, 48)]];
        let mut padded = bins.clone();
        padded.resize(16, Vec::new());
        let next = transfer(&padded, 16);
        // lastRun is node 3 (hash 48, high). Nodes 0..3 are prepended:
        // low gets 2 then 0 in front → [2, 0]; high gets [1] then 3 → [1, 3].
        assert_eq!(next[0], vec![(2, 32), (0, 0)]);
        assert_eq!(next[16], vec![(1, 16), (3, 48)]);
    }
}
