//! Cluster-wide znodes that only 2.8.2 writes, all persistent: the cluster id
//! (`/cluster/id`), the finalized features (`/feature`) and the last block of
//! producer ids handed out (`/latest_producer_id_block`).
//!
//! `ClusterIdZNode.toJson`@2.8.2 l.750-763 (a Map2, `"version"` a **string**),
//! `FeatureZNode.encode`@2.8.2 l.869-875 (a `mutable.Map` of three keys, so
//! `features, version, status`; the order is computed, not seen), and
//! `ProducerIdManager`@2.8.2 (a Map4, block bounds as **strings**).

use distribution::Release;

use crate::error::DecodeError;
use crate::jackson::Value;
use crate::order;
use crate::read;

/// The data of `/cluster/id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterId {
    /// 22 characters of url-safe base64 (`CoreUtils.generateUuidAsBase64`).
    pub id: String,
}

impl ClusterId {
    /// `{"version":"1","id":"…"}`.
    pub fn encode(&self) -> Vec<u8> {
        Value::Map(vec![
            ("version".into(), Value::str("1")),
            ("id".into(), Value::str(&self.id)),
        ])
        .to_bytes()
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        obj.version_text(Release::V2_8_2, "1")?;
        Ok(ClusterId {
            id: obj.req("id")?.string()?,
        })
    }
}

/// `FeatureZNodeStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FeatureStatus {
    /// 0: written by a controller whose inter-broker protocol is below 2.7-IV0.
    Disabled,
    /// 1: the default in 2.8.2.
    Enabled,
}

impl FeatureStatus {
    pub fn id(self) -> i32 {
        match self {
            FeatureStatus::Disabled => 0,
            FeatureStatus::Enabled => 1,
        }
    }
}

/// The data of `/feature`. 2.8.2 finalizes no features, so `features` is
/// always `{}`; other feature maps are not modelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeatureZnode {
    pub status: FeatureStatus,
}

impl FeatureZnode {
    /// `{"features":{},"version":1,"status":1}` when enabled.
    pub fn encode(&self) -> Vec<u8> {
        Value::mutable_map(
            vec![
                ("version".into(), Value::Int(1)),
                ("status".into(), Value::Int(self.status.id().into())),
                ("features".into(), Value::Map(Vec::new())),
            ],
            order::mutable_map_apply_len(3),
        )
        .to_bytes()
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        obj.version(Release::V2_8_2, &[1], "1")?;
        let features = obj.req("features")?;
        if !features.object()?.is_empty() {
            return Err(DecodeError::invalid(
                features.path(),
                "2.8.2 finalizes no features; other values are not modelled",
            ));
        }
        let status = obj.req("status")?;
        let status = match status.int()? {
            0 => FeatureStatus::Disabled,
            1 => FeatureStatus::Enabled,
            other => {
                return Err(DecodeError::invalid(
                    status.path(),
                    format!("{other} is not a FeatureZNodeStatus (0 or 1)"),
                ))
            }
        };
        Ok(FeatureZnode { status })
    }
}

/// The data of `/latest_producer_id_block`: the last block of producer ids a
/// broker took, written at every broker start-up and every 1000 ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProducerIdBlock {
    pub broker: i32,
    pub block_start: i64,
    pub block_end: i64,
}

impl ProducerIdBlock {
    /// `ProducerIdManager.PidBlockSize`.
    pub const SIZE: i64 = 1000;

    /// The first block ever, taken by `broker`: 0 to 999.
    pub fn first(broker: i32) -> Self {
        ProducerIdBlock {
            broker,
            block_start: 0,
            block_end: Self::SIZE - 1,
        }
    }

    /// The block `broker` takes after this one; `None` once the ids are
    /// exhausted (Kafka: `Have exhausted all producerIds.`).
    pub fn next(&self, broker: i32) -> Option<Self> {
        Some(ProducerIdBlock {
            broker,
            block_start: self.block_end.checked_add(1)?,
            block_end: self.block_end.checked_add(Self::SIZE)?,
        })
    }

    /// `{"version":1,"broker":0,"block_start":"0","block_end":"999"}`.
    pub fn encode(&self) -> Vec<u8> {
        Value::Map(vec![
            ("version".into(), Value::Int(1)),
            ("broker".into(), Value::Int(self.broker.into())),
            (
                "block_start".into(),
                Value::Str(self.block_start.to_string()),
            ),
            ("block_end".into(), Value::Str(self.block_end.to_string())),
        ])
        .to_bytes()
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        obj.version(Release::V2_8_2, &[1], "1")?;
        Ok(ProducerIdBlock {
            broker: obj.req("broker")?.int()?,
            block_start: obj.req("block_start")?.long_text()?,
            block_end: obj.req("block_end")?.long_text()?,
        })
    }
}
