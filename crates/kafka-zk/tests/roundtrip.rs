//! decode(encode(x)) == x for every znode type, in each release that writes it.
//!
//! 0.8.0 writes strings without escaping, so its values use names Kafka
//! allows (topics, hosts: no `"` or `\`). 2.8.2 escapes like Jackson, so its
//! values take arbitrary strings. Values hold only what their release writes
//! (see each type's `encode`).

use kafka_zk::{
    BrokerRegistration, ClusterId, ConfigChangeNotification, ConsumerOffset, ConsumerRegistration,
    ConsumerThreadId, Controller, ControllerEpoch, EndPoint, EntityConfig, FeatureStatus,
    FeatureZnode, IsrChangeNotification, LogDirEventNotification, PartitionReassignment,
    PartitionState, PreferredReplicaElection, ProducerIdBlock, ReassignedPartition, Release,
    ReplicaAssignment, SecurityProtocol, Subscription, TopicAssignment, TopicPartition,
};
use proptest::prelude::*;

const OLD: Release = Release::V0_8_0;
const NEW: Release = Release::V2_8_2;
const RELEASES: [Release; 2] = [OLD, NEW];

/// A name 0.8.0 can write: Kafka's legal topic characters.
fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9._-]{1,16}"
}

/// Any string, control characters and non-ASCII included.
fn any_string() -> impl Strategy<Value = String> {
    any::<String>()
}

fn ints() -> impl Strategy<Value = Vec<i32>> {
    prop::collection::vec(any::<i32>(), 0..5)
}

fn release() -> impl Strategy<Value = Release> {
    prop::sample::select(RELEASES.to_vec())
}

/// Strings for a release: names for 0.8.0, anything for 2.8.2.
fn string_for(release: Release) -> BoxedStrategy<String> {
    match release {
        Release::V0_8_0 => name().boxed(),
        Release::V2_8_2 => any_string().boxed(),
    }
}

fn protocol() -> impl Strategy<Value = SecurityProtocol> {
    prop::sample::select(SecurityProtocol::ALL.to_vec())
}

/// Hosts `EndPoint.createEndPoint` can parse back: its character class, with
/// or without colons (IPv6, written in brackets), or empty (Kafka's null).
fn endpoint_host() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9.%_-]{0,12}", "[0-9a-f:]{0,6}:[0-9a-f:]{0,6}",]
}

fn endpoints(version: i32) -> BoxedStrategy<Vec<EndPoint>> {
    let endpoint = ("[A-Z_]{1,10}", endpoint_host(), any::<i32>(), protocol());
    prop::collection::vec(endpoint, 0..4)
        .prop_map(move |list| {
            let mut seen: Vec<String> = Vec::new();
            list.into_iter()
                .map(|(listener, host, port, security_protocol)| EndPoint {
                    // Below version 4 there is no listener map: a listener is
                    // read back as the protocol it is named after.
                    listener: if version < 4 {
                        security_protocol.name().to_owned()
                    } else {
                        listener
                    },
                    host,
                    port,
                    security_protocol,
                })
                .filter(|e| {
                    // The listener map holds one protocol per listener name.
                    let fresh = version < 4 || !seen.contains(&e.listener);
                    seen.push(e.listener.clone());
                    fresh
                })
                .collect()
        })
        .boxed()
}

fn broker(release: Release) -> BoxedStrategy<BrokerRegistration> {
    match release {
        Release::V0_8_0 => (name(), any::<i32>(), any::<i32>(), any::<i64>())
            .prop_map(|(host, port, jmx_port, timestamp)| BrokerRegistration {
                version: 1,
                host: Some(host),
                port,
                jmx_port,
                timestamp,
                endpoints: Vec::new(),
                rack: None,
            })
            .boxed(),
        Release::V2_8_2 => prop::sample::select(vec![2, 4, 5])
            .prop_flat_map(|version| {
                (
                    Just(version),
                    proptest::option::of(any_string()),
                    any::<i32>(),
                    any::<i32>(),
                    any::<i64>(),
                    endpoints(version),
                    proptest::option::of(any_string()),
                )
            })
            .prop_map(
                |(version, host, port, jmx_port, timestamp, endpoints, rack)| BrokerRegistration {
                    version,
                    host,
                    port,
                    jmx_port,
                    timestamp,
                    endpoints,
                    // Written from version 3 on.
                    rack: rack.filter(|_| version >= 3),
                },
            )
            .boxed(),
    }
}

fn topic_id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_-]{21}[AQgw]"
}

fn topic(release: Release) -> BoxedStrategy<TopicAssignment> {
    match release {
        Release::V0_8_0 => prop::collection::btree_map(any::<i32>(), ints(), 0..14)
            .prop_map(TopicAssignment::new)
            .boxed(),
        Release::V2_8_2 => (
            proptest::option::of(topic_id()),
            prop::collection::btree_map(
                any::<i32>(),
                (ints(), ints(), ints()).prop_map(|(replicas, adding, removing)| {
                    ReplicaAssignment {
                        replicas,
                        adding_replicas: adding,
                        removing_replicas: removing,
                    }
                }),
                0..14,
            ),
        )
            .prop_map(|(topic_id, partitions)| TopicAssignment {
                topic_id,
                partitions,
            })
            .boxed(),
    }
}

fn topic_partitions(release: Release) -> impl Strategy<Value = Vec<TopicPartition>> {
    prop::collection::vec(
        (string_for(release), any::<i32>()).prop_map(|(t, p)| TopicPartition::new(t, p)),
        0..5,
    )
}

/// Distinct keys, in any order.
fn config_entries() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((any_string(), any_string()), 0..16).prop_map(|entries| {
        let mut seen = Vec::new();
        entries
            .into_iter()
            .filter(|(k, _)| {
                let fresh = !seen.contains(k);
                seen.push(k.clone());
                fresh
            })
            .collect()
    })
}

fn subscription() -> impl Strategy<Value = Subscription> {
    // Regexes without `"` or `\`, which 0.8.0 would write unescaped.
    let regex = "[a-zA-Z0-9._*+|?()-]{1,12}";
    prop_oneof![
        prop::collection::btree_map(name(), any::<i32>(), 0..5)
            .prop_map(|m| Subscription::Static(m.into_iter().rev().collect())),
        (regex, any::<i32>())
            .prop_map(|(regex, streams)| Subscription::WhiteList { regex, streams }),
        (regex, any::<i32>())
            .prop_map(|(regex, streams)| Subscription::BlackList { regex, streams }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn broker_registration((release, b) in release().prop_flat_map(|r| (Just(r), broker(r)))) {
        prop_assert_eq!(BrokerRegistration::decode(release, &b.encode(release)), Ok(b));
    }

    #[test]
    fn topic_assignment((release, t) in release().prop_flat_map(|r| (Just(r), topic(r)))) {
        prop_assert_eq!(TopicAssignment::decode(release, &t.encode(release)), Ok(t));
    }

    #[test]
    fn replica_assignment_reassigning(original in ints(), target in ints()) {
        let a = ReplicaAssignment::reassigning(&original, &target);
        // Every replica of either set, once; adding ∪ kept = target's set.
        for r in original.iter().chain(&target) {
            prop_assert_eq!(a.replicas.iter().filter(|x| *x == r).count(), 1);
        }
        for r in &a.replicas {
            prop_assert_eq!(a.adding_replicas.contains(r), !original.contains(r));
            prop_assert_eq!(a.removing_replicas.contains(r), !target.contains(r));
        }
    }

    #[test]
    fn partition_state(
        release in release(),
        leader in any::<i32>(),
        leader_epoch in any::<i32>(),
        isr in ints(),
        controller_epoch in any::<i32>(),
    ) {
        let s = PartitionState { leader, leader_epoch, isr, controller_epoch };
        prop_assert_eq!(PartitionState::decode(release, &s.encode(release)), Ok(s));
    }

    #[test]
    fn controller(release in release(), broker_id in any::<i32>(), timestamp in any::<i64>()) {
        let c = Controller { broker_id, timestamp };
        let bytes = c.encode(release);
        prop_assert_eq!(Controller::decode_broker_id(release, &bytes), Ok(broker_id));
        prop_assert_eq!(Controller::decode(release, &bytes), Ok(c));
    }

    #[test]
    fn controller_epoch(release in release(), epoch in any::<i32>()) {
        let e = ControllerEpoch(epoch);
        prop_assert_eq!(ControllerEpoch::decode(release, &e.encode(release)), Ok(e));
    }

    #[test]
    fn consumer_offset(release in release(), offset in any::<i64>()) {
        let o = ConsumerOffset(offset);
        prop_assert_eq!(ConsumerOffset::decode(release, &o.encode(release)), Ok(o));
    }

    #[test]
    fn partition_reassignment(
        (release, partitions) in release().prop_flat_map(|r| {
            let p = (string_for(r), any::<i32>(), ints()).prop_map(|(topic, partition, replicas)| {
                ReassignedPartition { topic, partition, replicas }
            });
            (Just(r), prop::collection::vec(p, 0..5))
        })
    ) {
        let r = PartitionReassignment { partitions };
        prop_assert_eq!(PartitionReassignment::decode(release, &r.encode(release)), Ok(r));
    }

    #[test]
    fn preferred_replica_election(
        (release, partitions) in release().prop_flat_map(|r| (Just(r), topic_partitions(r)))
    ) {
        let e = PreferredReplicaElection { partitions };
        prop_assert_eq!(PreferredReplicaElection::decode(release, &e.encode(release)), Ok(e));
    }

    #[test]
    fn isr_change_notification(partitions in topic_partitions(NEW)) {
        let n = IsrChangeNotification { partitions };
        prop_assert_eq!(IsrChangeNotification::decode(&n.encode()), Ok(n));
    }

    #[test]
    fn log_dir_event_notification(broker in any::<i32>(), event in any::<i32>()) {
        let n = LogDirEventNotification { broker, event };
        prop_assert_eq!(LogDirEventNotification::decode(&n.encode()), Ok(n));
    }

    #[test]
    fn entity_config(config in config_entries()) {
        let c = EntityConfig { config };
        prop_assert_eq!(EntityConfig::decode(&c.encode()), Ok(c.clone()));
        // Built from an insertion order, the same settings, permuted.
        let built = EntityConfig::new(c.config.clone());
        let mut a = built.config.clone();
        let mut b = c.config.clone();
        a.sort();
        b.sort();
        prop_assert_eq!(a, b);
        prop_assert_eq!(EntityConfig::decode(&built.encode()), Ok(built));
    }

    #[test]
    fn config_change_notification(entity_path in any_string()) {
        let n = ConfigChangeNotification { entity_path };
        prop_assert_eq!(ConfigChangeNotification::decode(&n.encode()), Ok(n));
    }

    #[test]
    fn cluster_id(id in any_string()) {
        let c = ClusterId { id };
        prop_assert_eq!(ClusterId::decode(&c.encode()), Ok(c));
    }

    #[test]
    fn feature(enabled in any::<bool>()) {
        let f = FeatureZnode {
            status: if enabled { FeatureStatus::Enabled } else { FeatureStatus::Disabled },
        };
        prop_assert_eq!(FeatureZnode::decode(&f.encode()), Ok(f));
    }

    #[test]
    fn producer_id_block(broker in any::<i32>(), block_start in any::<i64>(), block_end in any::<i64>()) {
        let b = ProducerIdBlock { broker, block_start, block_end };
        prop_assert_eq!(ProducerIdBlock::decode(&b.encode()), Ok(b));
    }

    #[test]
    fn consumer_registration(subscription in subscription(), timestamp in any::<i64>()) {
        let r = ConsumerRegistration { subscription, timestamp };
        prop_assert_eq!(ConsumerRegistration::decode(&r.encode()), Ok(r));
    }

    #[test]
    fn consumer_thread_id(consumer_id in "[a-zA-Z0-9._-]{0,30}", thread in any::<u32>()) {
        let t = ConsumerThreadId { consumer_id, thread };
        prop_assert_eq!(ConsumerThreadId::decode(&t.encode()), Ok(t));
    }

    /// 2.8.2's output is JSON any parser reads to the same value, whatever
    /// the strings hold (Jackson's escaping).
    #[test]
    fn jackson_output_is_standard_json(topic in any_string(), partition in any::<i32>()) {
        let n = IsrChangeNotification { partitions: vec![TopicPartition::new(topic.clone(), partition)] };
        let v: serde_json::Value = serde_json::from_slice(&n.encode()).unwrap();
        prop_assert_eq!(&v["partitions"][0]["topic"], &serde_json::Value::String(topic));
    }

    /// 0.8.0's output has its spaced shape: no space after a colon, one after
    /// each comma, one inside each brace.
    #[test]
    fn spaced_output_shape(t in topic(OLD)) {
        let s = String::from_utf8(t.encode(OLD)).unwrap();
        prop_assert!(s.starts_with("{ \"partitions\":{ "), "{}", s);
        prop_assert!(s.ends_with(" }, \"version\":1 }"), "{}", s);
        prop_assert!(!s.contains(": "), "{}", s);
        prop_assert!(!s.contains(",\""), "{}", s);
    }

    /// Larger topics (the 2.8.2 partition map grows its table at 12, 24 and
    /// 48 entries): every partition is written once and read back.
    #[test]
    fn partition_keys_are_a_permutation(
        release in release(),
        partitions in prop::collection::btree_map(0..100_000i32, Just(vec![0]), 0..60),
    ) {
        let t = TopicAssignment::new(partitions.clone());
        let bytes = t.encode(release);
        let s = String::from_utf8(bytes.clone()).unwrap();
        // One replica list per partition, nothing else has brackets.
        prop_assert_eq!(s.matches('[').count(), partitions.len());
        prop_assert_eq!(TopicAssignment::decode(release, &bytes), Ok(t));
    }
}
