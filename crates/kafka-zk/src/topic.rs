//! `/brokers/topics/<topic>`: a topic's replica assignment, persistent.
//!
//! 0.8.0 (`ZkUtils.replicaAssignmentZkdata`@0.8.0 l.224-227) writes
//! `{ "partitions":{ "0":[ 0 ], "1":[ 0 ] }, "version":1 }`, partitions sorted
//! as strings. 2.8.2 (`TopicZNode.encode`@2.8.2 l.281-310) writes version 3
//! with the topic id and the replicas being added and removed by a
//! reassignment, the partition keys in `mutable.HashMap` order.

use std::collections::BTreeMap;

use distribution::Release;

use crate::error::DecodeError;
use crate::jackson::Value;
use crate::order;
use crate::read::{self, Field, Object};
use crate::utils_json;

/// One partition's replicas (2.8.2's `ReplicaAssignment`). 0.8.0 has only
/// `replicas`; the first replica is the preferred leader.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplicaAssignment {
    pub replicas: Vec<i32>,
    /// 2.8.2, during a reassignment: target replicas not in the original set.
    pub adding_replicas: Vec<i32>,
    /// 2.8.2, during a reassignment: original replicas not in the target set.
    pub removing_replicas: Vec<i32>,
}

impl ReplicaAssignment {
    pub fn new(replicas: Vec<i32>) -> Self {
        ReplicaAssignment {
            replicas,
            ..Default::default()
        }
    }

    /// What the 2.8.2 controller writes while moving a partition from
    /// `original` to `target` (`ReplicaAssignment.fromOldAndNewReplicas`,
    /// ControllerContext.scala@2.8.2 l.52-59): `target ++ original` without
    /// repeats, and the differences.
    pub fn reassigning(original: &[i32], target: &[i32]) -> Self {
        let mut full: Vec<i32> = Vec::new();
        for &r in target.iter().chain(original) {
            if !full.contains(&r) {
                full.push(r);
            }
        }
        ReplicaAssignment {
            adding_replicas: full
                .iter()
                .copied()
                .filter(|r| !original.contains(r))
                .collect(),
            removing_replicas: full
                .iter()
                .copied()
                .filter(|r| !target.contains(r))
                .collect(),
            replicas: full,
        }
    }
}

/// The data of `/brokers/topics/<topic>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TopicAssignment {
    /// 2.8.2: the topic id, 22 characters of url-safe base64. Absent when the
    /// topic was created with `kafka-topics.sh --zookeeper` and the controller
    /// has not yet given it one. 0.8.0 has none.
    pub topic_id: Option<String>,
    pub partitions: BTreeMap<i32, ReplicaAssignment>,
}

impl TopicAssignment {
    /// A topic with these replica lists and no reassignment in progress.
    pub fn new(partitions: impl IntoIterator<Item = (i32, Vec<i32>)>) -> Self {
        TopicAssignment {
            topic_id: None,
            partitions: partitions
                .into_iter()
                .map(|(p, replicas)| (p, ReplicaAssignment::new(replicas)))
                .collect(),
        }
    }

    pub fn with_topic_id(mut self, topic_id: impl Into<String>) -> Self {
        self.topic_id = Some(topic_id.into());
        self
    }

    /// The znode's bytes as `release` writes them. 0.8.0 writes only the
    /// replica lists.
    pub fn encode(&self, release: Release) -> Vec<u8> {
        match release {
            Release::V0_8_0 => {
                // `mapWithSeqValuesToJson`, inside `mapToJson(version, partitions)`.
                let entries: Vec<(String, String)> = self
                    .partitions
                    .iter()
                    .map(|(p, a)| (p.to_string(), utils_json::ints_to_json(&a.replicas)))
                    .collect();
                let map: Vec<(&str, &str)> = entries
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let partitions = utils_json::map_to_json(&map, false);
                utils_json::map_to_json(&[("version", "1"), ("partitions", &partitions)], false)
                    .into_bytes()
            }
            Release::V2_8_2 => {
                let replica_map = |pick: fn(&ReplicaAssignment) -> &Vec<i32>| {
                    let entries = self
                        .partitions
                        .iter()
                        .filter(|(_, a)| !pick(a).is_empty())
                        .map(|(p, a)| (p.to_string(), Value::ints(pick(a))))
                        .collect();
                    Value::mutable_map(entries, order::MUTABLE_MAP_EMPTY_LEN)
                };
                // Replica lists are written even when empty; the others only if not.
                let partitions = Value::mutable_map(
                    self.partitions
                        .iter()
                        .map(|(p, a)| (p.to_string(), Value::ints(&a.replicas)))
                        .collect(),
                    order::MUTABLE_MAP_EMPTY_LEN,
                );
                let mut entries = vec![
                    ("version".to_owned(), Value::Int(3)),
                    ("partitions".to_owned(), partitions),
                    (
                        "adding_replicas".to_owned(),
                        replica_map(|a| &a.adding_replicas),
                    ),
                    (
                        "removing_replicas".to_owned(),
                        replica_map(|a| &a.removing_replicas),
                    ),
                ];
                if let Some(id) = &self.topic_id {
                    entries.push(("topic_id".to_owned(), Value::str(id)));
                }
                Value::mutable_map(entries, order::mutable_map_apply_len(4)).to_bytes()
            }
        }
    }

    /// Reads the assignment `release` writes.
    pub fn decode(release: Release, bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        match release {
            Release::V0_8_0 => {
                obj.version(release, &[1], "1")?;
                let partitions = read_partitions(&obj.req("partitions")?.object()?)?
                    .into_iter()
                    .map(|(p, (_, replicas))| (p, ReplicaAssignment::new(replicas)))
                    .collect();
                Ok(TopicAssignment {
                    topic_id: None,
                    partitions,
                })
            }
            Release::V2_8_2 => {
                obj.version(release, &[3], "3")?;
                let topic_id = match obj.get("topic_id") {
                    Some(field) => Some(read_topic_id(&field)?),
                    None => None,
                };
                let adding = obj.req("adding_replicas")?.object()?;
                let removing = obj.req("removing_replicas")?.object()?;
                let others = |map: &Object<'_>, key: &str| -> Result<Vec<i32>, DecodeError> {
                    map.get(key).map_or(Ok(Vec::new()), |f| f.int_list())
                };
                let mut partitions = BTreeMap::new();
                for (p, (key, replicas)) in read_partitions(&obj.req("partitions")?.object()?)? {
                    partitions.insert(
                        p,
                        ReplicaAssignment {
                            replicas,
                            adding_replicas: others(&adding, &key)?,
                            removing_replicas: others(&removing, &key)?,
                        },
                    );
                }
                Ok(TopicAssignment {
                    topic_id,
                    partitions,
                })
            }
        }
    }
}

/// `partition.toInt -> replicas`, with each partition's key as written.
fn read_partitions(map: &Object<'_>) -> Result<BTreeMap<i32, (String, Vec<i32>)>, DecodeError> {
    let mut out = BTreeMap::new();
    for (key, replicas) in map.entries() {
        let p = read::java_parse_int(key).ok_or_else(|| DecodeError::NotANumber {
            path: map.path().to_owned(),
            text: key.to_owned(),
            expected: "Int",
        })?;
        out.insert(p, (key.to_owned(), replicas.int_list()?));
    }
    Ok(out)
}

/// `Uuid.fromString`: url-safe base64 that decodes to 16 bytes, which is 22
/// characters, or 24 ending in `==`.
fn read_topic_id(field: &Field<'_>) -> Result<String, DecodeError> {
    let id = field.string()?;
    let body = match id.len() {
        22 => id.as_str(),
        24 => id.strip_suffix("==").unwrap_or("="),
        _ => "=",
    };
    if body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(id)
    } else {
        Err(DecodeError::invalid(
            field.path(),
            format!("{id:?} is not a base64 UUID (22 url-safe base64 characters)"),
        ))
    }
}
