//! The records of `__consumer_offsets`, byte for byte as 2.8.2's
//! `GroupMetadataManager` writes and reads them: an int16 version, then the
//! fields of the version's schema (`OffsetCommitKey` v0-1,
//! `OffsetCommitValue` v0-3, `GroupMetadataKey` v2, `GroupMetadataValue`
//! v0-3), big-endian, strings with an int16 length (-1: null), bytes and
//! arrays with an int32 one. A null value is a tombstone. With the
//! inter-broker protocol of 2.8 the broker writes offset commit key v1,
//! value v3 (v1 when the commit carried an expire timestamp), group
//! metadata key v2 and value v3.

use bytes::Bytes;
use kafka_api::TopicPartition;
use protocol::{BatchOptions, CompressionType, Magic, RecordsBuilder};

/// `OffsetCommitKey.HIGHEST_SUPPORTED_VERSION`, the version 2.8.2 writes.
pub const OFFSET_COMMIT_KEY_VERSION: i16 = 1;
/// `GroupMetadataKey`'s only version.
pub const GROUP_METADATA_KEY_VERSION: i16 = 2;
/// The group metadata value version of inter-broker protocol 2.3 and later.
pub const GROUP_METADATA_VALUE_VERSION: i16 = 3;

/// `kafka.common.OffsetAndMetadata`: a committed offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetAndMetadata {
    pub offset: i64,
    pub leader_epoch: Option<i32>,
    pub metadata: String,
    pub commit_timestamp: i64,
    /// Only from OffsetCommit v1-4 with an explicit retention.
    pub expire_timestamp: Option<i64>,
}

impl std::fmt::Display for OffsetAndMetadata {
    /// `OffsetAndMetadata.toString` (a Java `Optional` for the epoch).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let epoch = match self.leader_epoch {
            Some(e) => format!("Optional[{e}]"),
            None => "Optional.empty".to_string(),
        };
        let expire = match self.expire_timestamp {
            Some(t) => format!("Some({t})"),
            None => "None".to_string(),
        };
        write!(
            f,
            "OffsetAndMetadata(offset={}, leaderEpoch={epoch}, metadata={}, commitTimestamp={}, expireTimestamp={expire})",
            self.offset, self.metadata, self.commit_timestamp
        )
    }
}

/// A record key of the offsets topic (`BaseKey`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseKey {
    /// `OffsetKey`: key versions 0 and 1.
    Offset {
        version: i16,
        group: String,
        partition: TopicPartition,
    },
    /// `GroupMetadataKey`: key version 2.
    GroupMetadata { version: i16, group: String },
}

/// One member in a group metadata value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberValue {
    pub member_id: String,
    /// v3+.
    pub group_instance_id: Option<String>,
    pub client_id: String,
    pub client_host: String,
    /// v1+ (v0 read it as the session timeout).
    pub rebalance_timeout: i32,
    pub session_timeout: i32,
    pub subscription: Bytes,
    pub assignment: Bytes,
}

/// `GroupMetadataValue`: a group's generation as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMetadataValue {
    pub version: i16,
    pub protocol_type: String,
    pub generation: i32,
    pub protocol: Option<String>,
    pub leader: Option<String>,
    /// v2+; -1 for none.
    pub current_state_timestamp: i64,
    pub members: Vec<MemberValue>,
}

/// Bytes that are no record of the offsets topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError(pub String);

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

// --- Writing ------------------------------------------------------------------------

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn short(&mut self, v: i16) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn int(&mut self, v: i32) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn long(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn string(&mut self, s: &str) {
        self.short(s.len() as i16);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn nullable_string(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.short(-1),
        }
    }
    fn bytes(&mut self, b: &[u8]) {
        self.int(b.len() as i32);
        self.0.extend_from_slice(b);
    }
}

/// `offsetCommitKey`: key version 1 (group, topic, partition).
pub fn offset_commit_key(group: &str, partition: &TopicPartition) -> Vec<u8> {
    encode_offset_commit_key(OFFSET_COMMIT_KEY_VERSION, group, partition)
}

/// An offset commit key of version 0 or 1 (the two are the same fields).
pub fn encode_offset_commit_key(version: i16, group: &str, partition: &TopicPartition) -> Vec<u8> {
    let mut w = Writer::default();
    w.short(version);
    w.string(group);
    w.string(&partition.topic);
    w.int(partition.partition);
    w.0
}

/// `groupMetadataKey`: key version 2 (group).
pub fn group_metadata_key(group: &str) -> Vec<u8> {
    let mut w = Writer::default();
    w.short(GROUP_METADATA_KEY_VERSION);
    w.string(group);
    w.0
}

/// `offsetCommitValue` for inter-broker protocol 2.8: version 3, or 1 when
/// the commit has an expire timestamp.
pub fn offset_commit_value(offset: &OffsetAndMetadata) -> Vec<u8> {
    let version = if offset.expire_timestamp.is_some() {
        1
    } else {
        3
    };
    encode_offset_commit_value(version, offset)
}

/// An offset commit value of any version 0-3.
pub fn encode_offset_commit_value(version: i16, offset: &OffsetAndMetadata) -> Vec<u8> {
    let mut w = Writer::default();
    w.short(version);
    w.long(offset.offset);
    if version >= 3 {
        w.int(offset.leader_epoch.unwrap_or(-1));
    }
    w.string(&offset.metadata);
    w.long(offset.commit_timestamp);
    if version == 1 {
        w.long(offset.expire_timestamp.unwrap_or(-1));
    }
    w.0
}

/// A group metadata value of its version (0-3).
pub fn encode_group_metadata_value(value: &GroupMetadataValue) -> Vec<u8> {
    let version = value.version;
    let mut w = Writer::default();
    w.short(version);
    w.string(&value.protocol_type);
    w.int(value.generation);
    w.nullable_string(value.protocol.as_deref());
    w.nullable_string(value.leader.as_deref());
    if version >= 2 {
        w.long(value.current_state_timestamp);
    }
    w.int(value.members.len() as i32);
    for m in &value.members {
        w.string(&m.member_id);
        if version >= 3 {
            w.nullable_string(m.group_instance_id.as_deref());
        }
        w.string(&m.client_id);
        w.string(&m.client_host);
        if version >= 1 {
            w.int(m.rebalance_timeout);
        }
        w.int(m.session_timeout);
        w.bytes(&m.subscription);
        w.bytes(&m.assignment);
    }
    w.0
}

// --- Reading ------------------------------------------------------------------------

struct Reader<'a> {
    bytes: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], FormatError> {
        if self.bytes.len() < n {
            return Err(FormatError(format!(
                "Error reading {}: not enough bytes",
                self.what
            )));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }
    fn short(&mut self) -> Result<i16, FormatError> {
        Ok(i16::from_be_bytes(self.take(2)?.try_into().expect("2")))
    }
    fn int(&mut self) -> Result<i32, FormatError> {
        Ok(i32::from_be_bytes(self.take(4)?.try_into().expect("4")))
    }
    fn long(&mut self) -> Result<i64, FormatError> {
        Ok(i64::from_be_bytes(self.take(8)?.try_into().expect("8")))
    }
    fn nullable_string(&mut self, field: &str) -> Result<Option<String>, FormatError> {
        let len = self.short()?;
        if len < 0 {
            return Ok(None);
        }
        let raw = self.take(len as usize)?;
        String::from_utf8(raw.to_vec())
            .map(Some)
            .map_err(|_| FormatError(format!("{} field {field} is not valid UTF-8", self.what)))
    }
    fn string(&mut self, field: &str) -> Result<String, FormatError> {
        self.nullable_string(field)?.ok_or_else(|| {
            FormatError(format!("non-nullable field {field} was serialized as null"))
        })
    }
    fn bytes(&mut self, field: &str) -> Result<Bytes, FormatError> {
        let len = self.int()?;
        if len < 0 {
            return Err(FormatError(format!(
                "non-nullable field {field} was serialized as null"
            )));
        }
        Ok(Bytes::copy_from_slice(self.take(len as usize)?))
    }
}

/// `readMessageKey`.
pub fn read_message_key(bytes: &[u8]) -> Result<BaseKey, FormatError> {
    let mut r = Reader {
        bytes,
        what: "message key",
    };
    let version = r.short()?;
    match version {
        0 | 1 => {
            let group = r.string("group")?;
            let topic = r.string("topic")?;
            let partition = r.int()?;
            Ok(BaseKey::Offset {
                version,
                group,
                partition: TopicPartition::new(topic, partition),
            })
        }
        2 => Ok(BaseKey::GroupMetadata {
            version,
            group: r.string("group")?,
        }),
        _ => Err(FormatError(format!(
            "Unknown group metadata message version: {version}"
        ))),
    }
}

/// `readOffsetMessageValue` (a tombstone has no value to read).
pub fn read_offset_message_value(bytes: &[u8]) -> Result<OffsetAndMetadata, FormatError> {
    let mut r = Reader {
        bytes,
        what: "offset commit value",
    };
    let version = r.short()?;
    if !(0..=3).contains(&version) {
        return Err(FormatError(format!(
            "Unknown offset message version: {version}"
        )));
    }
    let offset = r.long()?;
    let leader_epoch = if version >= 3 { r.int()? } else { -1 };
    let metadata = r.string("metadata")?;
    let commit_timestamp = r.long()?;
    let expire_timestamp = if version == 1 { r.long()? } else { -1 };
    Ok(OffsetAndMetadata {
        offset,
        leader_epoch: (leader_epoch != -1).then_some(leader_epoch),
        metadata,
        commit_timestamp,
        expire_timestamp: (expire_timestamp != -1).then_some(expire_timestamp),
    })
}

/// The fields of a group metadata value (`readGroupMessageValue` turns
/// them into a group).
pub fn read_group_metadata_value(bytes: &[u8]) -> Result<GroupMetadataValue, FormatError> {
    let mut r = Reader {
        bytes,
        what: "group metadata value",
    };
    let version = r.short()?;
    if !(0..=3).contains(&version) {
        return Err(FormatError(format!(
            "Unknown group metadata message version: {version}"
        )));
    }
    let protocol_type = r.string("protocolType")?;
    let generation = r.int()?;
    let protocol = r.nullable_string("protocol")?;
    let leader = r.nullable_string("leader")?;
    let current_state_timestamp = if version >= 2 { r.long()? } else { -1 };
    let count = r.int()?;
    let mut members = Vec::new();
    for _ in 0..count.max(0) {
        let member_id = r.string("memberId")?;
        let group_instance_id = if version >= 3 {
            r.nullable_string("groupInstanceId")?
        } else {
            None
        };
        let client_id = r.string("clientId")?;
        let client_host = r.string("clientHost")?;
        let rebalance_timeout = if version >= 1 { r.int()? } else { 0 };
        let session_timeout = r.int()?;
        let subscription = r.bytes("subscription")?;
        let assignment = r.bytes("assignment")?;
        members.push(MemberValue {
            member_id,
            group_instance_id,
            client_id,
            client_host,
            rebalance_timeout: if version == 0 {
                session_timeout
            } else {
                rebalance_timeout
            },
            session_timeout,
            subscription,
            assignment,
        });
    }
    Ok(GroupMetadataValue {
        version,
        protocol_type,
        generation,
        protocol,
        leader,
        current_state_timestamp,
        members,
    })
}

/// The topics of a consumer's subscription (`ConsumerProtocol` v0, the
/// prefix of every version): an int16 version, then the topics.
pub fn read_subscription_topics(bytes: &[u8]) -> Result<Vec<String>, FormatError> {
    let mut r = Reader {
        bytes,
        what: "subscription",
    };
    let version = r.short()?;
    if version < 0 {
        return Err(FormatError(format!(
            "Unsupported subscription version: {version}"
        )));
    }
    let count = r.int()?;
    (0..count.max(0)).map(|_| r.string("topics")).collect()
}

// --- Batches ------------------------------------------------------------------------

/// A batch of records with create time `timestamp`, as the manager builds
/// it (`MemoryRecords.builder` from offset 0). Offset commits pass base
/// sequence 0 (`storeOffsets`); group metadata and tombstones have none.
pub fn build_batch(
    compression: CompressionType,
    base_sequence: i32,
    timestamp: i64,
    records: &[(Vec<u8>, Option<Vec<u8>>)],
) -> Bytes {
    let mut options = BatchOptions::new(Magic::V2, compression);
    options.base_sequence = base_sequence;
    let mut builder = RecordsBuilder::new(options);
    for (key, value) in records {
        builder.append(timestamp, Some(key), value.as_deref(), vec![]);
    }
    builder
        .build()
        .expect("v2 batches build with every compression")
}
