//! Data Kafka's readers reject, and data the release never writes, fail to
//! decode with an error that says what is wrong.

use kafka_zk::{
    BrokerRegistration, ClusterId, ConfigChangeNotification, ConsumerOffset, ConsumerRegistration,
    Controller, ControllerEpoch, DecodeError, EntityConfig, FeatureZnode, IsrChangeNotification,
    LogDirEventNotification, PartitionReassignment, PartitionState, PreferredReplicaElection,
    ProducerIdBlock, Release, TopicAssignment, TopicPartition,
};

const OLD: Release = Release::V0_8_0;
const NEW: Release = Release::V2_8_2;

type Decoder = fn(&[u8]) -> Result<(), DecodeError>;

/// Every JSON decoder, for every release that writes its znode.
fn json_decoders() -> Vec<(&'static str, Decoder)> {
    vec![
        ("broker 0.8.0", |b| {
            BrokerRegistration::decode(OLD, b).map(drop)
        }),
        ("broker 2.8.2", |b| {
            BrokerRegistration::decode(NEW, b).map(drop)
        }),
        ("topic 0.8.0", |b| TopicAssignment::decode(OLD, b).map(drop)),
        ("topic 2.8.2", |b| TopicAssignment::decode(NEW, b).map(drop)),
        ("state 0.8.0", |b| PartitionState::decode(OLD, b).map(drop)),
        ("state 2.8.2", |b| PartitionState::decode(NEW, b).map(drop)),
        ("controller 0.8.0", |b| Controller::decode(OLD, b).map(drop)),
        ("controller 2.8.2", |b| Controller::decode(NEW, b).map(drop)),
        ("reassign 0.8.0", |b| {
            PartitionReassignment::decode(OLD, b).map(drop)
        }),
        ("reassign 2.8.2", |b| {
            PartitionReassignment::decode(NEW, b).map(drop)
        }),
        ("preferred 0.8.0", |b| {
            PreferredReplicaElection::decode(OLD, b).map(drop)
        }),
        ("preferred 2.8.2", |b| {
            PreferredReplicaElection::decode(NEW, b).map(drop)
        }),
        ("isr change", |b| IsrChangeNotification::decode(b).map(drop)),
        ("log dir event", |b| {
            LogDirEventNotification::decode(b).map(drop)
        }),
        ("entity config", |b| EntityConfig::decode(b).map(drop)),
        ("config change", |b| {
            ConfigChangeNotification::decode(b).map(drop)
        }),
        ("cluster id", |b| ClusterId::decode(b).map(drop)),
        ("feature", |b| FeatureZnode::decode(b).map(drop)),
        ("producer id block", |b| {
            ProducerIdBlock::decode(b).map(drop)
        }),
        ("consumer registration", |b| {
            ConsumerRegistration::decode(b).map(drop)
        }),
    ]
}

#[test]
fn malformed_json_is_rejected_by_every_decoder() {
    let malformed: [&[u8]; 8] = [
        b"",
        b"   ",
        b"{",
        b"{\"version\":1,}",
        b"{'version':1}",
        b"not json",
        b"{\"version\":1} trailing",
        b"{\"version\":\"\xff\"}",
    ];
    for (name, decode) in json_decoders() {
        for bytes in malformed {
            assert!(
                matches!(decode(bytes), Err(DecodeError::Malformed(_))),
                "{name}: {:?} gave {:?}",
                String::from_utf8_lossy(bytes),
                decode(bytes)
            );
        }
    }
}

#[test]
fn json_that_is_not_an_object_is_rejected_by_every_decoder() {
    for (name, decode) in json_decoders() {
        for bytes in [&b"null"[..], b"1", b"\"x\"", b"[]", b"true"] {
            assert_eq!(
                decode(bytes),
                Err(DecodeError::WrongType {
                    path: "(data)".into(),
                    expected: "a JSON object"
                }),
                "{name}"
            );
        }
    }
}

#[test]
fn an_empty_object_misses_version_in_every_decoder() {
    for (name, decode) in json_decoders() {
        assert_eq!(
            decode(b"{}"),
            Err(DecodeError::Missing("version".into())),
            "{name}"
        );
    }
}

#[test]
fn missing_keys() {
    assert_eq!(
        BrokerRegistration::decode(
            OLD,
            br#"{ "host":"kafka-1", "jmx_port":-1, "timestamp":"1", "version":1 }"#
        ),
        Err(DecodeError::Missing("port".into()))
    );
    assert_eq!(
        PartitionState::decode(
            NEW,
            br#"{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0}"#
        ),
        Err(DecodeError::Missing("isr".into()))
    );
    assert_eq!(
        TopicAssignment::decode(
            NEW,
            br#"{"partitions":{"0":[0]},"adding_replicas":{},"version":3}"#
        ),
        Err(DecodeError::Missing("removing_replicas".into()))
    );
    assert_eq!(
        PreferredReplicaElection::decode(NEW, br#"{"version":1,"partitions":[{"topic":"t"}]}"#),
        Err(DecodeError::Missing("partitions[0].partition".into()))
    );
    // 2.8.2 version 4 and 5 need the listener map; version 5 needs features.
    assert_eq!(
        BrokerRegistration::decode(
            NEW,
            br#"{"endpoints":[],"jmx_port":-1,"port":1,"host":"h","version":4,"timestamp":"1"}"#
        ),
        Err(DecodeError::Missing(
            "listener_security_protocol_map".into()
        ))
    );
    assert_eq!(
        BrokerRegistration::decode(NEW, br#"{"listener_security_protocol_map":{},"endpoints":[],"jmx_port":-1,"port":1,"host":"h","version":5,"timestamp":"1"}"#),
        Err(DecodeError::Missing("features".into()))
    );
}

#[test]
fn wrong_types() {
    fn wrong<T>(path: &str, expected: &'static str) -> Result<T, DecodeError> {
        Err(DecodeError::WrongType {
            path: path.into(),
            expected,
        })
    }
    // Kafka writes the port as a number and the timestamp as a string.
    assert_eq!(
        BrokerRegistration::decode(
            OLD,
            br#"{ "host":"h", "jmx_port":-1, "port":"9092", "timestamp":"1", "version":1 }"#
        ),
        wrong("port", "a JSON integer in Int range")
    );
    assert_eq!(
        Controller::decode(
            NEW,
            br#"{"version":1,"brokerid":0,"timestamp":1700000000000}"#
        ),
        wrong("timestamp", "a JSON string")
    );
    // Ints must fit Java's Int; fractions are not Ints.
    assert_eq!(
        PartitionState::decode(OLD, br#"{ "controller_epoch":1, "isr":[ 0 ], "leader":2147483648, "leader_epoch":0, "version":1 }"#),
        wrong("leader", "a JSON integer in Int range")
    );
    assert_eq!(
        PartitionState::decode(
            NEW,
            br#"{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0.5,"isr":[0]}"#
        ),
        wrong("leader_epoch", "a JSON integer in Int range")
    );
    assert_eq!(
        PartitionState::decode(
            NEW,
            br#"{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0,"isr":0}"#
        ),
        wrong("isr", "a JSON array")
    );
    assert_eq!(
        TopicAssignment::decode(OLD, br#"{ "partitions":{ "0":[ 0, null ] }, "version":1 }"#),
        wrong("partitions.0[1]", "a JSON integer in Int range")
    );
    assert_eq!(
        TopicAssignment::decode(
            NEW,
            br#"{"partitions":[],"adding_replicas":{},"removing_replicas":{},"version":3}"#
        ),
        wrong("partitions", "a JSON object")
    );
    // Config values are strings (`v.to[String]`).
    assert_eq!(
        EntityConfig::decode(br#"{"version":1,"config":{"retention.ms":1000}}"#),
        wrong("config.retention.ms", "a JSON string")
    );
    // /cluster/id's version is a string.
    assert_eq!(
        ClusterId::decode(br#"{"version":1,"id":"x"}"#),
        wrong("version", "a JSON string")
    );
    assert_eq!(
        BrokerRegistration::decode(NEW, br#"{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":"PLAINTEXT://h:1","jmx_port":-1,"port":1,"host":"h","version":5,"timestamp":"1"}"#),
        wrong("endpoints", "a JSON array")
    );
}

#[test]
fn decimals_java_rejects() {
    let not_a_number = |text: &str, expected: &'static str| DecodeError::NotANumber {
        path: "(data)".into(),
        text: text.into(),
        expected,
    };
    for bad in ["", " 1", "1 ", "1\n", "one", "1.0", "0x1", "2147483648"] {
        for release in [OLD, NEW] {
            assert_eq!(
                ControllerEpoch::decode(release, bad.as_bytes()),
                Err(not_a_number(bad, "Int")),
                "{bad:?}"
            );
        }
    }
    for bad in ["", "4.2", "42 ", "9223372036854775808", "-"] {
        assert_eq!(
            ConsumerOffset::decode(OLD, bad.as_bytes()),
            Err(not_a_number(bad, "Long")),
            "{bad:?}"
        );
    }
    // Timestamps and producer id blocks are decimals inside JSON strings.
    assert_eq!(
        Controller::decode(
            OLD,
            br#"{ "brokerid":0, "timestamp":"13800000000x", "version":1 }"#
        ),
        Err(DecodeError::NotANumber {
            path: "timestamp".into(),
            text: "13800000000x".into(),
            expected: "Long"
        })
    );
    assert_eq!(
        ProducerIdBlock::decode(br#"{"version":1,"broker":0,"block_start":"0","block_end":""}"#),
        Err(DecodeError::NotANumber {
            path: "block_end".into(),
            text: "".into(),
            expected: "Long"
        })
    );
    // Partition keys are `toInt`ed.
    assert_eq!(
        TopicAssignment::decode(NEW, br#"{"partitions":{"zero":[0]},"adding_replicas":{},"removing_replicas":{},"version":3}"#),
        Err(DecodeError::NotANumber {
            path: "partitions".into(),
            text: "zero".into(),
            expected: "Int"
        })
    );
}

#[test]
fn versions_the_release_does_not_write() {
    // A 0.8.0 topic read as 2.8.2's, and the other way round.
    let old_topic = br#"{ "partitions":{ "0":[ 0 ] }, "version":1 }"#;
    assert_eq!(
        TopicAssignment::decode(NEW, old_topic),
        Err(DecodeError::Version {
            found: 1,
            release: NEW,
            expected: "3"
        })
    );
    let new_topic =
        br#"{"partitions":{"0":[0]},"adding_replicas":{},"removing_replicas":{},"version":3}"#;
    assert!(matches!(
        TopicAssignment::decode(OLD, new_topic),
        Err(DecodeError::Version { found: 3, .. })
    ));
    let new_broker = br#"{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://kafka-1:9092"],"jmx_port":-1,"port":9092,"host":"kafka-1","version":5,"timestamp":"1700000000000"}"#;
    assert!(matches!(
        BrokerRegistration::decode(OLD, new_broker),
        Err(DecodeError::Version { found: 5, .. })
    ));
    // 2.8.2 writes broker versions 2, 4 and 5 only.
    for v in [0, 1, 3, 6] {
        let json = format!(
            r#"{{"listener_security_protocol_map":{{}},"features":{{}},"endpoints":[],"jmx_port":-1,"port":1,"host":"h","version":{v},"timestamp":"1"}}"#
        );
        assert!(
            matches!(
                BrokerRegistration::decode(NEW, json.as_bytes()),
                Err(DecodeError::Version { found, .. }) if found == v
            ),
            "{v}"
        );
    }
    // The version 1 config change notification is an older release's.
    assert!(matches!(
        ConfigChangeNotification::decode(
            br#"{"version":1,"entity_type":"topics","entity_name":"test"}"#
        ),
        Err(DecodeError::Version { found: 1, .. })
    ));
    assert!(matches!(
        ClusterId::decode(br#"{"version":"2","id":"x"}"#),
        Err(DecodeError::Version { found: 2, .. })
    ));
}

#[test]
fn values_kafka_refuses() {
    let invalid = |r: Result<(), DecodeError>| matches!(r, Err(DecodeError::Invalid { .. }));
    let broker = |endpoints: &str, map: &str| {
        let json = format!(
            r#"{{"features":{{}},"listener_security_protocol_map":{map},"endpoints":{endpoints},"jmx_port":-1,"port":1,"host":"h","version":5,"timestamp":"1"}}"#
        );
        BrokerRegistration::decode(NEW, json.as_bytes()).map(drop)
    };
    assert_eq!(
        broker(r#"["PLAINTEXT://h:1"]"#, r#"{"PLAINTEXT":"PLAINTEXT"}"#),
        Ok(())
    );
    // An endpoint the regex does not match.
    assert!(invalid(broker(
        r#"["h:1"]"#,
        r#"{"PLAINTEXT":"PLAINTEXT"}"#
    )));
    assert!(invalid(broker(
        r#"["PLAINTEXT://h"]"#,
        r#"{"PLAINTEXT":"PLAINTEXT"}"#
    )));
    // A listener missing from the map.
    assert!(invalid(broker(
        r#"["EXTERNAL://h:1"]"#,
        r#"{"PLAINTEXT":"PLAINTEXT"}"#
    )));
    // A security protocol that does not exist.
    assert!(invalid(broker(
        r#"["PLAINTEXT://h:1"]"#,
        r#"{"PLAINTEXT":"TLS"}"#
    )));
    // Features other than none.
    let features = br#"{"features":{"f":{"min_version":1,"max_version":2}},"listener_security_protocol_map":{},"endpoints":[],"jmx_port":-1,"port":1,"host":"h","version":5,"timestamp":"1"}"#;
    assert!(invalid(BrokerRegistration::decode(NEW, features).map(drop)));
    // A topic id that is not a base64 UUID.
    for id in [
        "short",
        "3Ah1GJ6eQpaFe5CcBVTkA+",
        "3Ah1GJ6eQpaFe5CcBVTkAwAA",
    ] {
        let json = format!(
            r#"{{"partitions":{{}},"topic_id":"{id}","adding_replicas":{{}},"removing_replicas":{{}},"version":3}}"#
        );
        assert!(
            invalid(TopicAssignment::decode(NEW, json.as_bytes()).map(drop)),
            "{id}"
        );
    }
    let padded = br#"{"partitions":{},"topic_id":"3Ah1GJ6eQpaFe5CcBVTkAw==","adding_replicas":{},"removing_replicas":{},"version":3}"#;
    assert!(TopicAssignment::decode(NEW, padded).is_ok());
    // Feature status is 0 or 1.
    assert!(invalid(
        FeatureZnode::decode(br#"{"features":{},"version":1,"status":2}"#).map(drop)
    ));
    // Consumer registrations: a known pattern, one regex for a wildcard.
    assert!(invalid(
        ConsumerRegistration::decode(
            br#"{ "pattern":"regex", "subscription":{ "t" : 1 }, "timestamp":"1", "version":1 }"#
        )
        .map(drop)
    ));
    assert!(invalid(
        ConsumerRegistration::decode(br#"{ "pattern":"white_list", "subscription":{ "a": 1,"b": 1 }, "timestamp":"1", "version":1 }"#)
            .map(drop)
    ));
}

/// 0.8.0 does not escape: a name with a quote makes JSON that Kafka 0.8.0
/// could not read back either.
#[test]
fn unescaped_0_8_0_output_does_not_parse() {
    let election = PreferredReplicaElection {
        partitions: vec![TopicPartition::new("a\"b", 0)],
    };
    let bytes = election.encode(OLD);
    assert_eq!(
        String::from_utf8(bytes.clone()).unwrap(),
        r#"{ "partitions":[ { "partition":0, "topic":"a"b" } ], "version":1 }"#
    );
    assert!(matches!(
        PreferredReplicaElection::decode(OLD, &bytes),
        Err(DecodeError::Malformed(_))
    ));
    // 2.8.2 escapes it.
    assert_eq!(
        PreferredReplicaElection::decode(NEW, &election.encode(NEW)),
        Ok(election)
    );
}

#[test]
fn errors_read_well() {
    let e = TopicAssignment::decode(
        NEW,
        br#"{"partitions":{"0":[0]},"adding_replicas":{},"removing_replicas":{},"version":1}"#,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "version 1 is not written by Kafka 2.8.2 (it writes 3)"
    );
    let e = PartitionState::decode(OLD, b"{").unwrap_err();
    assert!(e.to_string().starts_with("malformed JSON: "), "{e}");
    let e = ControllerEpoch::decode(OLD, b"x").unwrap_err();
    assert_eq!(e.to_string(), "`(data)`: \"x\" is not a decimal Int");
}
