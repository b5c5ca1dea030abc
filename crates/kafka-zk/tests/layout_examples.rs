//! Every example byte string of `crates/coord/KAFKA-ZK-LAYOUT.md`, encoded
//! from typed values and decoded back. These are the bytes real Kafka writes
//! (the doc marks which were seen on real clusters and which were computed
//! from Kafka's code).
//!
//! The doc's examples use broker 0 on `kafka-1:9092`, no JMX, topic `test`,
//! timestamps 1380000000000 (0.8.0) and 1700000000000 (2.8.2), and made-up ids.
//! Where the doc elides a value with `…`, the same example values fill it in.

use std::collections::BTreeMap;

use kafka_zk::{
    BrokerRegistration, ClusterId, ConfigChangeNotification, ConsumerOffset, ConsumerRegistration,
    ConsumerThreadId, Controller, ControllerEpoch, EndPoint, EntityConfig, FeatureStatus,
    FeatureZnode, IsrChangeNotification, LogDirEventNotification, PartitionReassignment,
    PartitionState, PreferredReplicaElection, ProducerIdBlock, ReassignedPartition, Release,
    ReplicaAssignment, SecurityProtocol, Subscription, TopicAssignment, TopicPartition,
};

const OLD: Release = Release::V0_8_0;
const NEW: Release = Release::V2_8_2;
const TS_OLD: i64 = 1_380_000_000_000;
const TS_NEW: i64 = 1_700_000_000_000;
const TOPIC_ID: &str = "3Ah1GJ6eQpaFe5CcBVTkAw";

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

// ---------------------------------------------------------------- /brokers/ids

#[test]
fn broker_registration_0_8_0() {
    let broker = BrokerRegistration::plaintext(OLD, "kafka-1", 9092, -1, TS_OLD);
    let expected = r#"{ "host":"kafka-1", "jmx_port":-1, "port":9092, "timestamp":"1380000000000", "version":1 }"#;
    assert_eq!(text(broker.encode(OLD)), expected);
    assert_eq!(expected.len(), 90);
    assert_eq!(
        BrokerRegistration::decode(OLD, expected.as_bytes()),
        Ok(broker)
    );
}

#[test]
fn broker_registration_2_8_2() {
    let broker = BrokerRegistration::plaintext(NEW, "kafka-1", 9092, -1, TS_NEW);
    let expected = r#"{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://kafka-1:9092"],"jmx_port":-1,"port":9092,"host":"kafka-1","version":5,"timestamp":"1700000000000"}"#;
    assert_eq!(text(broker.encode(NEW)), expected);
    assert_eq!(expected.len(), 198);
    assert_eq!(
        BrokerRegistration::decode(NEW, expected.as_bytes()),
        Ok(broker)
    );
}

#[test]
fn broker_registration_2_8_2_with_rack() {
    let broker = BrokerRegistration::from_endpoints(
        vec![EndPoint::new(SecurityProtocol::Plaintext, "kafka-1", 9092)],
        -1,
        TS_NEW,
        Some("r1".into()),
    );
    let expected = r#"{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://kafka-1:9092"],"rack":"r1","jmx_port":-1,"port":9092,"host":"kafka-1","version":5,"timestamp":"1700000000000"}"#;
    assert_eq!(text(broker.encode(NEW)), expected);
    assert_eq!(
        BrokerRegistration::decode(NEW, expected.as_bytes()),
        Ok(broker)
    );
}

/// §2.2: version 4 (IBP below 2.7) has no `features`.
#[test]
fn broker_registration_2_8_2_version_4() {
    let mut broker = BrokerRegistration::plaintext(NEW, "kafka-1", 9092, -1, TS_NEW);
    broker.version = 4;
    let expected = r#"{"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://kafka-1:9092"],"jmx_port":-1,"port":9092,"host":"kafka-1","version":4,"timestamp":"1700000000000"}"#;
    assert_eq!(text(broker.encode(NEW)), expected);
    assert_eq!(
        BrokerRegistration::decode(NEW, expected.as_bytes()),
        Ok(broker)
    );
}

/// §4.3: with no PLAINTEXT listener, `host` is null and `port` -1.
#[test]
fn broker_registration_2_8_2_without_plaintext() {
    let broker = BrokerRegistration::from_endpoints(
        vec![EndPoint::new(SecurityProtocol::Ssl, "kafka-1", 9093)],
        -1,
        TS_NEW,
        None,
    );
    assert_eq!(broker.host, None);
    assert_eq!(broker.port, -1);
    let expected = r#"{"features":{},"listener_security_protocol_map":{"SSL":"SSL"},"endpoints":["SSL://kafka-1:9093"],"jmx_port":-1,"port":-1,"host":null,"version":5,"timestamp":"1700000000000"}"#;
    assert_eq!(text(broker.encode(NEW)), expected);
    assert_eq!(
        BrokerRegistration::decode(NEW, expected.as_bytes()),
        Ok(broker)
    );
}

/// §2.2: the listener map is an immutable Map in the advertised listeners'
/// order (insertion order up to four listeners).
#[test]
fn broker_registration_2_8_2_listener_map_order() {
    let endpoints = vec![
        EndPoint {
            listener: "INTERNAL".into(),
            host: "kafka-1".into(),
            port: 19092,
            security_protocol: SecurityProtocol::Plaintext,
        },
        EndPoint::new(SecurityProtocol::Plaintext, "kafka-1", 9092),
        EndPoint::new(SecurityProtocol::SaslSsl, "kafka-1", 9094),
    ];
    let broker = BrokerRegistration::from_endpoints(endpoints, 9999, TS_NEW, None);
    // host and port come from the first PLAINTEXT endpoint, INTERNAL.
    let expected = r#"{"features":{},"listener_security_protocol_map":{"INTERNAL":"PLAINTEXT","PLAINTEXT":"PLAINTEXT","SASL_SSL":"SASL_SSL"},"endpoints":["INTERNAL://kafka-1:19092","PLAINTEXT://kafka-1:9092","SASL_SSL://kafka-1:9094"],"jmx_port":9999,"port":19092,"host":"kafka-1","version":5,"timestamp":"1700000000000"}"#;
    assert_eq!(text(broker.encode(NEW)), expected);
    assert_eq!(
        BrokerRegistration::decode(NEW, expected.as_bytes()),
        Ok(broker)
    );
}

// ------------------------------------------------------------- /brokers/topics

fn rf1() -> TopicAssignment {
    TopicAssignment::new([(0, vec![0]), (1, vec![0])])
}

fn rf3() -> TopicAssignment {
    TopicAssignment::new([(0, vec![1, 2, 0]), (1, vec![2, 0, 1])])
}

#[test]
fn topic_assignment_0_8_0() {
    let expected = r#"{ "partitions":{ "0":[ 0 ], "1":[ 0 ] }, "version":1 }"#;
    assert_eq!(text(rf1().encode(OLD)), expected);
    assert_eq!(expected.len(), 54);
    assert_eq!(TopicAssignment::decode(OLD, expected.as_bytes()), Ok(rf1()));

    let expected = r#"{ "partitions":{ "0":[ 1, 2, 0 ], "1":[ 2, 0, 1 ] }, "version":1 }"#;
    assert_eq!(text(rf3().encode(OLD)), expected);
    assert_eq!(TopicAssignment::decode(OLD, expected.as_bytes()), Ok(rf3()));
}

#[test]
fn topic_assignment_2_8_2() {
    let topic = rf1().with_topic_id(TOPIC_ID);
    let expected = r#"{"partitions":{"0":[0],"1":[0]},"topic_id":"3Ah1GJ6eQpaFe5CcBVTkAw","adding_replicas":{},"removing_replicas":{},"version":3}"#;
    assert_eq!(text(topic.encode(NEW)), expected);
    assert_eq!(expected.len(), 124);
    assert_eq!(TopicAssignment::decode(NEW, expected.as_bytes()), Ok(topic));

    let topic = rf3().with_topic_id(TOPIC_ID);
    let expected = r#"{"partitions":{"0":[1,2,0],"1":[2,0,1]},"topic_id":"3Ah1GJ6eQpaFe5CcBVTkAw","adding_replicas":{},"removing_replicas":{},"version":3}"#;
    assert_eq!(text(topic.encode(NEW)), expected);
    assert_eq!(TopicAssignment::decode(NEW, expected.as_bytes()), Ok(topic));
}

/// §4.3: `kafka-topics.sh --zookeeper` writes the topic without an id first.
#[test]
fn topic_assignment_2_8_2_without_topic_id() {
    let expected = r#"{"partitions":{"0":[0],"1":[0]},"adding_replicas":{},"removing_replicas":{},"version":3}"#;
    assert_eq!(text(rf1().encode(NEW)), expected);
    assert_eq!(TopicAssignment::decode(NEW, expected.as_bytes()), Ok(rf1()));
}

/// §4.3: moving partition 0 from [0] to [1], during and after.
#[test]
fn topic_assignment_2_8_2_during_reassignment() {
    let moving = TopicAssignment {
        topic_id: Some(TOPIC_ID.into()),
        partitions: BTreeMap::from([(0, ReplicaAssignment::reassigning(&[0], &[1]))]),
    };
    let expected = r#"{"partitions":{"0":[1,0]},"topic_id":"3Ah1GJ6eQpaFe5CcBVTkAw","adding_replicas":{"0":[1]},"removing_replicas":{"0":[0]},"version":3}"#;
    assert_eq!(text(moving.encode(NEW)), expected);
    assert_eq!(
        TopicAssignment::decode(NEW, expected.as_bytes()),
        Ok(moving)
    );

    let done = TopicAssignment::new([(0, vec![1])]).with_topic_id(TOPIC_ID);
    let expected = r#"{"partitions":{"0":[1]},"topic_id":"3Ah1GJ6eQpaFe5CcBVTkAw","adding_replicas":{},"removing_replicas":{},"version":3}"#;
    assert_eq!(text(done.encode(NEW)), expected);
}

fn partition_keys(json: &[u8]) -> Vec<i32> {
    // The keys of "partitions", in the order written.
    let s = std::str::from_utf8(json).unwrap();
    let start = s.find("\"partitions\":{").unwrap() + "\"partitions\":{".len();
    let body = &s[start..start + s[start..].find('}').unwrap()];
    body.split(']')
        .map(|e| e.trim_start_matches([',', ' ']))
        .filter(|e| !e.is_empty())
        .map(|e| e[1..e[1..].find('"').unwrap() + 1].parse().unwrap())
        .collect()
}

/// §2.1: 0.8.0 sorts partition keys as strings.
#[test]
fn topic_assignment_0_8_0_sorts_partitions_as_strings() {
    let topic = TopicAssignment::new((0..12).map(|p| (p, vec![0])));
    assert_eq!(
        partition_keys(&topic.encode(OLD)),
        [0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9]
    );
}

/// §2.2: a 12-partition topic starts `{"partitions":{"11":[…],"0":[…],…,"10":[…]}`
/// (seen on real clusters), and `__consumer_offsets`' 50 partitions.
#[test]
fn topic_assignment_2_8_2_partition_order() {
    let topic = TopicAssignment::new((0..12).map(|p| (p, vec![0]))).with_topic_id(TOPIC_ID);
    let bytes = topic.encode(NEW);
    assert!(text(bytes.clone()).starts_with(r#"{"partitions":{"11":[0],"0":[0],"1":[0],"#));
    assert_eq!(
        partition_keys(&bytes),
        [11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    );
    assert_eq!(TopicAssignment::decode(NEW, &bytes), Ok(topic));

    let offsets = TopicAssignment::new((0..50).map(|p| (p, vec![0]))).with_topic_id(TOPIC_ID);
    let expected: Vec<i32> = (44..50).chain(10..20).chain(0..10).chain(20..44).collect();
    assert_eq!(partition_keys(&offsets.encode(NEW)), expected);
}

/// Adding and removing replicas use the same key order as `partitions`.
#[test]
fn topic_assignment_2_8_2_reassignment_maps_share_the_order() {
    let topic = TopicAssignment {
        topic_id: None,
        partitions: (0..12)
            .map(|p| (p, ReplicaAssignment::reassigning(&[0], &[1])))
            .collect(),
    };
    let s = text(topic.encode(NEW));
    let adding = &s[s.find("\"adding_replicas\":{").unwrap()..];
    assert!(
        adding.starts_with(r#""adding_replicas":{"11":[1],"0":[1],"1":[1],"#),
        "{s}"
    );
}

// ------------------------------------------------------------ partition state

fn state(leader: i32, leader_epoch: i32, isr: &[i32], controller_epoch: i32) -> PartitionState {
    PartitionState {
        leader,
        leader_epoch,
        isr: isr.to_vec(),
        controller_epoch,
    }
}

#[test]
fn partition_state_0_8_0() {
    let expected =
        r#"{ "controller_epoch":1, "isr":[ 0 ], "leader":0, "leader_epoch":0, "version":1 }"#;
    let s = PartitionState::initial(&[0], &[0], 1).unwrap();
    assert_eq!(text(s.encode(OLD)), expected);
    assert_eq!(expected.len(), 80);
    assert_eq!(PartitionState::decode(OLD, expected.as_bytes()), Ok(s));

    let expected =
        r#"{ "controller_epoch":1, "isr":[ 1, 2, 0 ], "leader":1, "leader_epoch":0, "version":1 }"#;
    let s = PartitionState::initial(&[1, 2, 0], &[0, 1, 2], 1).unwrap();
    assert_eq!(text(s.encode(OLD)), expected);
    assert_eq!(PartitionState::decode(OLD, expected.as_bytes()), Ok(s));
}

#[test]
fn partition_state_2_8_2() {
    let expected = r#"{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0,"isr":[0]}"#;
    let s = state(0, 0, &[0], 1);
    assert_eq!(text(s.encode(NEW)), expected);
    assert_eq!(expected.len(), 72);
    assert_eq!(PartitionState::decode(NEW, expected.as_bytes()), Ok(s));

    let expected =
        r#"{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1,2,0]}"#;
    let s = state(1, 0, &[1, 2, 0], 1);
    assert_eq!(text(s.encode(NEW)), expected);
    assert_eq!(PartitionState::decode(NEW, expected.as_bytes()), Ok(s));

    // RF1 after its broker died while another broker is controller.
    let expected = r#"{"controller_epoch":2,"leader":-1,"version":1,"leader_epoch":1,"isr":[0]}"#;
    let s = state(-1, 1, &[0], 2);
    assert_eq!(text(s.encode(NEW)), expected);
    assert_eq!(PartitionState::decode(NEW, expected.as_bytes()), Ok(s));
}

// ------------------------------------------------------------------ controller

#[test]
fn controller() {
    let old = Controller {
        broker_id: 0,
        timestamp: TS_OLD,
    };
    let expected = r#"{ "brokerid":0, "timestamp":"1380000000000", "version":1 }"#;
    assert_eq!(text(old.encode(OLD)), expected);
    assert_eq!(expected.len(), 58);
    assert_eq!(Controller::decode(OLD, expected.as_bytes()), Ok(old));
    assert_eq!(
        Controller::decode_broker_id(OLD, expected.as_bytes()),
        Ok(0)
    );

    let new = Controller {
        broker_id: 0,
        timestamp: TS_NEW,
    };
    let expected = r#"{"version":1,"brokerid":0,"timestamp":"1700000000000"}"#;
    assert_eq!(text(new.encode(NEW)), expected);
    assert_eq!(Controller::decode(NEW, expected.as_bytes()), Ok(new));
    assert_eq!(
        Controller::decode_broker_id(NEW, expected.as_bytes()),
        Ok(0)
    );
}

/// §3.3: 0.8.0's readers also accept a bare broker id, the pre-0.8 format.
#[test]
fn controller_bare_id_only_in_0_8_0() {
    assert_eq!(Controller::decode_broker_id(OLD, b"2"), Ok(2));
    assert!(Controller::decode_broker_id(NEW, b"2").is_err());
    assert!(Controller::decode_broker_id(OLD, b"two").is_err());
}

#[test]
fn controller_epoch() {
    for release in [OLD, NEW] {
        assert_eq!(ControllerEpoch(1).encode(release), b"1");
        assert_eq!(
            ControllerEpoch::decode(release, b"1"),
            Ok(ControllerEpoch(1))
        );
        assert_eq!(ControllerEpoch(0).encode(release), b"0");
        assert_eq!(ControllerEpoch(2).encode(release), b"2");
    }
}

// ----------------------------------------------------------------------- admin

#[test]
fn partition_reassignment() {
    let r = PartitionReassignment {
        partitions: vec![ReassignedPartition {
            topic: "test".into(),
            partition: 0,
            replicas: vec![1, 2],
        }],
    };
    let old = r#"{ "partitions":[ { "partition":0, "replicas":[ 1, 2 ], "topic":"test" } ], "version":1 }"#;
    assert_eq!(text(r.encode(OLD)), old);
    assert_eq!(
        PartitionReassignment::decode(OLD, old.as_bytes()),
        Ok(r.clone())
    );
    let new = r#"{"version":1,"partitions":[{"topic":"test","partition":0,"replicas":[1,2]}]}"#;
    assert_eq!(text(r.encode(NEW)), new);
    assert_eq!(PartitionReassignment::decode(NEW, new.as_bytes()), Ok(r));
}

#[test]
fn preferred_replica_election() {
    let e = PreferredReplicaElection {
        partitions: vec![
            TopicPartition::new("test", 0),
            TopicPartition::new("test", 1),
        ],
    };
    let old = r#"{ "partitions":[ { "partition":0, "topic":"test" }, { "partition":1, "topic":"test" } ], "version":1 }"#;
    assert_eq!(text(e.encode(OLD)), old);
    assert_eq!(
        PreferredReplicaElection::decode(OLD, old.as_bytes()),
        Ok(e.clone())
    );
    let new = r#"{"version":1,"partitions":[{"topic":"test","partition":0},{"topic":"test","partition":1}]}"#;
    assert_eq!(text(e.encode(NEW)), new);
    assert_eq!(PreferredReplicaElection::decode(NEW, new.as_bytes()), Ok(e));
}

// ---------------------------------------------------------- 2.8.2-only znodes

#[test]
fn cluster_id() {
    let id = ClusterId {
        id: "Hn2Cs0kfTf2tQ6aZ9q4Bfg".into(),
    };
    let expected = r#"{"version":"1","id":"Hn2Cs0kfTf2tQ6aZ9q4Bfg"}"#;
    assert_eq!(text(id.encode()), expected);
    assert_eq!(expected.len(), 45);
    assert_eq!(ClusterId::decode(expected.as_bytes()), Ok(id));
}

#[test]
fn feature() {
    let f = FeatureZnode {
        status: FeatureStatus::Enabled,
    };
    let expected = r#"{"features":{},"version":1,"status":1}"#;
    assert_eq!(text(f.encode()), expected);
    assert_eq!(expected.len(), 38);
    assert_eq!(FeatureZnode::decode(expected.as_bytes()), Ok(f));
    let disabled = FeatureZnode {
        status: FeatureStatus::Disabled,
    };
    assert_eq!(
        text(disabled.encode()),
        r#"{"features":{},"version":1,"status":0}"#
    );
}

#[test]
fn producer_id_block() {
    let first = ProducerIdBlock::first(0);
    let expected = r#"{"version":1,"broker":0,"block_start":"0","block_end":"999"}"#;
    assert_eq!(text(first.encode()), expected);
    assert_eq!(expected.len(), 60);
    assert_eq!(ProducerIdBlock::decode(expected.as_bytes()), Ok(first));
    // §4.2: on restart the broker takes the next block.
    let second = first.next(0).unwrap();
    assert_eq!(
        text(second.encode()),
        r#"{"version":1,"broker":0,"block_start":"1000","block_end":"1999"}"#
    );
    let last = ProducerIdBlock {
        broker: 0,
        block_start: i64::MAX - 1999,
        block_end: i64::MAX - 1000,
    };
    assert!(last.next(0).is_some());
    assert_eq!(last.next(0).unwrap().next(0), None);
}

#[test]
fn entity_config() {
    let none = EntityConfig::default();
    let expected = r#"{"version":1,"config":{}}"#;
    assert_eq!(text(none.encode()), expected);
    assert_eq!(expected.len(), 25);
    assert_eq!(EntityConfig::decode(expected.as_bytes()), Ok(none));

    let one = EntityConfig::new([("retention.ms", "1000")]);
    let expected = r#"{"version":1,"config":{"retention.ms":"1000"}}"#;
    assert_eq!(text(one.encode()), expected);
    assert_eq!(EntityConfig::decode(expected.as_bytes()), Ok(one));
}

/// §4.3: `__consumer_offsets`' config, set in the order GroupCoordinator sets
/// it, comes out in JDK 11's `Properties` order; the JDK 8 form seen on real
/// clusters decodes and re-encodes unchanged.
#[test]
fn entity_config_consumer_offsets() {
    let config = EntityConfig::new([
        ("cleanup.policy", "compact"),
        ("segment.bytes", "104857600"),
        ("compression.type", "producer"),
    ]);
    let jdk11 = r#"{"version":1,"config":{"compression.type":"producer","cleanup.policy":"compact","segment.bytes":"104857600"}}"#;
    assert_eq!(text(config.encode()), jdk11);
    assert_eq!(EntityConfig::decode(jdk11.as_bytes()), Ok(config.clone()));
    assert_eq!(config.get("segment.bytes"), Some("104857600"));

    let jdk8 = r#"{"version":1,"config":{"segment.bytes":"104857600","compression.type":"producer","cleanup.policy":"compact"}}"#;
    let decoded = EntityConfig::decode(jdk8.as_bytes()).unwrap();
    assert_eq!(text(decoded.encode()), jdk8);
    assert_eq!(
        EntityConfig::new(decoded.config.clone()),
        config,
        "the same settings, in JDK 11 order"
    );
}

#[test]
fn config_change_notification() {
    let n = ConfigChangeNotification::for_entity(kafka_zk::paths::ConfigType::Topics, "test");
    let expected = r#"{"version":2,"entity_path":"topics/test"}"#;
    assert_eq!(text(n.encode()), expected);
    assert_eq!(ConfigChangeNotification::decode(expected.as_bytes()), Ok(n));
    let users =
        ConfigChangeNotification::for_entity(kafka_zk::paths::ConfigType::Users, "u/clients/c");
    assert_eq!(users.entity_path, "users/u/clients/c");
}

#[test]
fn isr_change_notification() {
    let n = IsrChangeNotification {
        partitions: vec![TopicPartition::new("test", 0)],
    };
    let expected = r#"{"version":1,"partitions":[{"topic":"test","partition":0}]}"#;
    assert_eq!(text(n.encode()), expected);
    assert_eq!(IsrChangeNotification::decode(expected.as_bytes()), Ok(n));
}

#[test]
fn log_dir_event_notification() {
    let n = LogDirEventNotification::failure(0);
    let expected = r#"{"version":1,"broker":0,"event":1}"#;
    assert_eq!(text(n.encode()), expected);
    assert_eq!(LogDirEventNotification::decode(expected.as_bytes()), Ok(n));
}

// -------------------------------------------------------------------- consumers

/// §3.3: the console consumer's whitelist registration.
#[test]
fn consumer_registration_white_list() {
    let r = ConsumerRegistration {
        subscription: Subscription::WhiteList {
            regex: "test".into(),
            streams: 1,
        },
        timestamp: TS_OLD,
    };
    let expected = r#"{ "pattern":"white_list", "subscription":{ "test" : 1 }, "timestamp":"1380000000000", "version":1 }"#;
    assert_eq!(text(r.encode()), expected);
    assert_eq!(ConsumerRegistration::decode(expected.as_bytes()), Ok(r));
}

/// §3.3: a static subscription's `dbString`: `{ "test": 1 }`, and several
/// topics joined by `,` alone: `{ "a": 1,"b": 2 }`.
#[test]
fn consumer_registration_static() {
    let one = ConsumerRegistration {
        subscription: Subscription::Static(vec![("test".into(), 1)]),
        timestamp: TS_OLD,
    };
    let expected = r#"{ "pattern":"static", "subscription":{ "test": 1 }, "timestamp":"1380000000000", "version":1 }"#;
    assert_eq!(text(one.encode()), expected);
    assert_eq!(ConsumerRegistration::decode(expected.as_bytes()), Ok(one));

    let two = ConsumerRegistration {
        subscription: Subscription::Static(vec![("b".into(), 2), ("a".into(), 1)]),
        timestamp: TS_OLD,
    };
    let expected = r#"{ "pattern":"static", "subscription":{ "b": 2,"a": 1 }, "timestamp":"1380000000000", "version":1 }"#;
    assert_eq!(text(two.encode()), expected);
    // The map's order survives decoding.
    assert_eq!(ConsumerRegistration::decode(expected.as_bytes()), Ok(two));

    let black = ConsumerRegistration {
        subscription: Subscription::BlackList {
            regex: "internal.*".into(),
            streams: 2,
        },
        timestamp: TS_OLD,
    };
    let expected = r#"{ "pattern":"black_list", "subscription":{ "internal.*" : 2 }, "timestamp":"1380000000000", "version":1 }"#;
    assert_eq!(text(black.encode()), expected);
    assert_eq!(ConsumerRegistration::decode(expected.as_bytes()), Ok(black));
}

#[test]
fn consumer_owner_and_id() {
    let consumer = kafka_zk::consumer::consumer_id(
        "console-consumer-48213",
        "kafka-1",
        TS_OLD,
        0x1a2b_3c4d_0000_0000,
    )
    .unwrap();
    assert_eq!(
        consumer,
        "console-consumer-48213_kafka-1-1380000000000-1a2b3c4d"
    );
    let owner = ConsumerThreadId {
        consumer_id: consumer,
        thread: 0,
    };
    assert_eq!(
        text(owner.encode()),
        "console-consumer-48213_kafka-1-1380000000000-1a2b3c4d-0"
    );
    assert_eq!(ConsumerThreadId::decode(&owner.encode()), Ok(owner));
}

#[test]
fn consumer_offset() {
    for release in [OLD, NEW] {
        assert_eq!(ConsumerOffset(42).encode(release), b"42");
        assert_eq!(
            ConsumerOffset::decode(release, b"42"),
            Ok(ConsumerOffset(42))
        );
    }
}

// ------------------------------------------------------------ decoding leniency

/// Kafka's readers do not care about key order, spacing or extra keys: the
/// 0.8.1 compact broker format reads as 0.8.0's.
#[test]
fn decoders_accept_any_key_order_and_spacing() {
    let compact =
        br#"{"jmx_port":-1,"timestamp":"1380000000000","host":"kafka-1","version":1,"port":9092}"#;
    assert_eq!(
        BrokerRegistration::decode(OLD, compact),
        Ok(BrokerRegistration::plaintext(
            OLD, "kafka-1", 9092, -1, TS_OLD
        ))
    );
    let spaced = b"{\n  \"isr\" : [0],\n \"leader\":0, \"extra\":{\"x\":[]},\"leader_epoch\":0,\"controller_epoch\":1,\"version\":1}";
    assert_eq!(
        PartitionState::decode(NEW, spaced),
        Ok(state(0, 0, &[0], 1))
    );
}
