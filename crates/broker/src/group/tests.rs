//! The offsets topic's records byte for byte (hand-assembled from the
//! schemas), their round trip as a property, and the Java and Scala
//! details the coordinator copies: `partitionFor`, member ids, the
//! protocol vote, the order of a group's members.

use bytes::Bytes;
use kafka_api::TopicPartition;
use proptest::prelude::*;

use super::log_format::*;
use super::manager::GroupMetadataManager;
use super::member::MemberMetadata;
use super::metadata::{GroupMetadata, GroupState};
use super::OffsetConfig;
use crate::scala;

fn s(text: &str) -> Vec<u8> {
    let mut out = (text.len() as i16).to_be_bytes().to_vec();
    out.extend_from_slice(text.as_bytes());
    out
}

#[test]
fn an_offset_commit_key_is_version_1_group_topic_partition() {
    let key = offset_commit_key("g", &TopicPartition::new("t", 7));
    assert_eq!(key, [0, 1, 0, 1, b'g', 0, 1, b't', 0, 0, 0, 7]);
    assert_eq!(
        read_message_key(&key),
        Ok(BaseKey::Offset {
            version: 1,
            group: "g".into(),
            partition: TopicPartition::new("t", 7),
        })
    );
}

#[test]
fn a_group_metadata_key_is_version_2_group() {
    let key = group_metadata_key("my-group");
    let mut expected = vec![0, 2];
    expected.extend(s("my-group"));
    assert_eq!(key, expected);
    assert_eq!(
        read_message_key(&key),
        Ok(BaseKey::GroupMetadata {
            version: 2,
            group: "my-group".into()
        })
    );
    assert_eq!(
        read_message_key(&[0, 3, 0, 0]),
        Err(FormatError(
            "Unknown group metadata message version: 3".into()
        ))
    );
}

#[test]
fn an_offset_commit_value_is_version_3_unless_it_expires() {
    let offset = OffsetAndMetadata {
        offset: 5,
        leader_epoch: None,
        metadata: String::new(),
        commit_timestamp: 1000,
        expire_timestamp: None,
    };
    assert_eq!(
        offset_commit_value(&offset),
        [
            0, 3, 0, 0, 0, 0, 0, 0, 0, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x03,
            0xE8
        ]
    );
    let expiring = OffsetAndMetadata {
        leader_epoch: Some(2),
        metadata: "m".into(),
        expire_timestamp: Some(2000),
        ..offset
    };
    // Version 1 has no leader epoch: it does not survive.
    let v1 = offset_commit_value(&expiring);
    assert_eq!(
        v1,
        [
            0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 1, b'm', 0, 0, 0, 0, 0, 0, 0x03, 0xE8, 0, 0, 0, 0, 0,
            0, 0x07, 0xD0
        ]
    );
    assert_eq!(
        read_offset_message_value(&v1),
        Ok(OffsetAndMetadata {
            leader_epoch: None,
            ..expiring
        })
    );
}

#[test]
fn a_group_metadata_value_is_version_3() {
    let value = GroupMetadataValue {
        version: 3,
        protocol_type: "consumer".into(),
        generation: 1,
        protocol: Some("range".into()),
        leader: Some("m".into()),
        current_state_timestamp: 7,
        members: vec![MemberValue {
            member_id: "m".into(),
            group_instance_id: None,
            client_id: "c".into(),
            client_host: "/h".into(),
            rebalance_timeout: 300_000,
            session_timeout: 10_000,
            subscription: Bytes::from_static(&[1, 2]),
            assignment: Bytes::from_static(&[3]),
        }],
    };
    let mut expected = vec![0, 3];
    expected.extend(s("consumer"));
    expected.extend([0, 0, 0, 1]);
    expected.extend(s("range"));
    expected.extend(s("m"));
    expected.extend([0, 0, 0, 0, 0, 0, 0, 7]);
    expected.extend([0, 0, 0, 1]);
    expected.extend(s("m"));
    expected.extend([0xFF, 0xFF]);
    expected.extend(s("c"));
    expected.extend(s("/h"));
    expected.extend([0, 0x04, 0x93, 0xE0, 0, 0, 0x27, 0x10]);
    expected.extend([0, 0, 0, 2, 1, 2, 0, 0, 0, 1, 3]);
    let bytes = encode_group_metadata_value(&value);
    assert_eq!(bytes, expected);
    assert_eq!(read_group_metadata_value(&bytes), Ok(value));
}

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,12}"
}

fn offset_strategy() -> impl Strategy<Value = (i16, OffsetAndMetadata)> {
    (
        0i16..=3,
        any::<i64>(),
        prop::option::of(0i32..i32::MAX),
        text(),
        any::<i64>(),
        prop::option::of(0i64..i64::MAX),
    )
        .prop_map(|(version, offset, epoch, metadata, commit, expire)| {
            // What a version cannot hold reads back as absent.
            let offset = OffsetAndMetadata {
                offset,
                leader_epoch: if version >= 3 { epoch } else { None },
                metadata,
                commit_timestamp: commit,
                expire_timestamp: if version == 1 { expire } else { None },
            };
            (version, offset)
        })
}

fn member_strategy(version: i16) -> impl Strategy<Value = MemberValue> {
    (
        text(),
        prop::option::of(text()),
        text(),
        text(),
        any::<i32>(),
        any::<i32>(),
        prop::collection::vec(any::<u8>(), 0..16),
        prop::collection::vec(any::<u8>(), 0..16),
    )
        .prop_map(
            move |(id, instance, client, host, rebalance, session, sub, assign)| MemberValue {
                member_id: id,
                group_instance_id: if version >= 3 { instance } else { None },
                client_id: client,
                client_host: host,
                rebalance_timeout: if version >= 1 { rebalance } else { session },
                session_timeout: session,
                subscription: Bytes::from(sub),
                assignment: Bytes::from(assign),
            },
        )
}

fn group_value_strategy() -> impl Strategy<Value = GroupMetadataValue> {
    (0i16..=3).prop_flat_map(|version| {
        (
            text(),
            any::<i32>(),
            prop::option::of(text()),
            prop::option::of(text()),
            any::<i64>(),
            prop::collection::vec(member_strategy(version), 0..4),
        )
            .prop_map(
                move |(protocol_type, generation, protocol, leader, ts, members)| {
                    GroupMetadataValue {
                        version,
                        protocol_type,
                        generation,
                        protocol,
                        leader,
                        current_state_timestamp: if version >= 2 { ts } else { -1 },
                        members,
                    }
                },
            )
    })
}

proptest! {
    #[test]
    fn keys_and_values_round_trip(
        group in text(),
        topic in text(),
        partition in any::<i32>(),
        key_version in 0i16..=1,
        (version, offset) in offset_strategy(),
        value in group_value_strategy(),
    ) {
        let tp = TopicPartition::new(topic, partition);
        let key = encode_offset_commit_key(key_version, &group, &tp);
        prop_assert_eq!(
            read_message_key(&key),
            Ok(BaseKey::Offset { version: key_version, group: group.clone(), partition: tp })
        );
        prop_assert_eq!(
            read_message_key(&group_metadata_key(&group)),
            Ok(BaseKey::GroupMetadata { version: 2, group })
        );
        prop_assert_eq!(read_offset_message_value(&encode_offset_commit_value(version, &offset)), Ok(offset));
        prop_assert_eq!(read_group_metadata_value(&encode_group_metadata_value(&value)), Ok(value));
    }

    #[test]
    fn cut_records_are_errors_not_panics(
        value in group_value_strategy(),
        cut in any::<prop::sample::Index>(),
    ) {
        let bytes = encode_group_metadata_value(&value);
        let at = cut.index(bytes.len());
        if at < bytes.len() {
            prop_assert!(read_group_metadata_value(&bytes[..at]).is_err());
        }
        let _ = read_message_key(&bytes[..at]);
        let _ = read_offset_message_value(&bytes[..at]);
    }
}

#[test]
fn partition_for_is_the_abs_of_java_hash_code_modulo_the_partitions() {
    let mut m = GroupMetadataManager::new(0, OffsetConfig::default());
    m.startup(50);
    // "my-group".hashCode() = -1906497762; "test" = 3556498; "g" = 103.
    assert_eq!(m.partition_for("my-group"), 12);
    assert_eq!(m.partition_for("test"), 48);
    assert_eq!(m.partition_for("g"), 3);
    assert_eq!(m.partition_for("console-consumer-12345"), 6);
    // Utils.abs(Integer.MIN_VALUE) is 0: "polygenelubricants".hashCode() is MIN_VALUE.
    assert_eq!(
        kafka_zk::order::java_string_hash("polygenelubricants"),
        i32::MIN
    );
    assert_eq!(m.partition_for("polygenelubricants"), 0);
}

#[test]
fn member_ids_are_the_client_id_and_a_version_4_uuid() {
    let mut draws = [0u64, u64::MAX].into_iter();
    let id = GroupMetadata::generate_member_id("consumer-g-1", None, &mut || draws.next().unwrap());
    assert_eq!(id, "consumer-g-1-00000000-0000-4000-bfff-ffffffffffff");
    let mut n = 0x0123_4567_89AB_CDEFu64;
    let id = GroupMetadata::generate_member_id("c", Some("instance-1"), &mut || {
        n = n.rotate_left(8);
        n
    });
    assert_eq!(id, "instance-1-23456789-abcd-4f01-8567-89abcdef0123");
}

fn member(id: &str, protocols: &[&str]) -> MemberMetadata {
    MemberMetadata::new(
        id.into(),
        None,
        "client".into(),
        "/127.0.0.1".into(),
        300_000,
        10_000,
        "consumer".into(),
        protocols
            .iter()
            .map(|p| (p.to_string(), Bytes::new()))
            .collect(),
    )
}

#[test]
fn the_protocol_is_the_vote_among_those_every_member_supports() {
    let mut group = GroupMetadata::new("g", GroupState::Empty, 0);
    group.add(member("a", &["roundrobin", "range", "sticky"]), None);
    group.add(member("b", &["range", "roundrobin"]), None);
    group.add(member("c", &["range"]), None);
    // Only "range" is supported by all.
    assert_eq!(group.select_protocol(), "range");
    assert!(group.supports_protocols("consumer", &["range".into()]) || group.is(GroupState::Empty));
    let mut group = GroupMetadata::new("g", GroupState::Empty, 0);
    group.add(member("a", &["roundrobin", "range"]), None);
    group.add(member("b", &["roundrobin", "range"]), None);
    group.add(member("c", &["range", "roundrobin"]), None);
    assert_eq!(group.select_protocol(), "roundrobin");
    // A tie goes to the first protocol the immutable HashMap of votes
    // iterates: "roundrobin" (improved hash, slot 7) before "range" (20).
    let mut group = GroupMetadata::new("g", GroupState::Empty, 0);
    group.add(member("a", &["roundrobin", "range"]), None);
    group.add(member("b", &["range", "roundrobin"]), None);
    assert_eq!(
        scala::hash_sorted(
            &["roundrobin".to_string(), "range".to_string()],
            scala::string_hash
        ),
        ["roundrobin", "range"]
    );
    assert_eq!(group.select_protocol(), "roundrobin");
}

#[test]
fn members_iterate_in_the_order_of_a_scala_hash_map_and_the_leader_moves_to_the_first() {
    let mut group = GroupMetadata::new("g", GroupState::Empty, 0);
    for id in ["m-3", "m-1", "m-2"] {
        group.add(member(id, &["range"]), None);
    }
    // Buckets of h ^ (h >>> 16): "m-1" 0, "m-3" 2, "m-2" 3.
    assert_eq!(group.member_ids(), ["m-1", "m-3", "m-2"]);
    assert_eq!(group.leader_id(), Some("m-3"));
    group.remove("m-3");
    assert_eq!(group.leader_id(), Some("m-1"));
}
