//! Dynamic configs in 2.8.2 (0.8.0 has no `/config`): an entity's overrides
//! in `/config/<type>/<name>`, persistent, written for every new topic even
//! with no overrides; and the change notifications
//! `/config/changes/config_change_<seq>`, persistent-sequential, written for
//! every later change and purged by the brokers 15 minutes on.
//!
//! `ConfigEntityZNode.encode`@2.8.2 l.375-390 writes a Map2 of version then
//! config, the config being a `java.util.Properties`, so its keys come in the
//! JDK's bin order ([`crate::order::properties_order`], JDK 11+ assumed).
//! `ConfigEntityChangeNotificationSequenceZNode`@2.8.2 l.396-401 writes
//! `{"version":2,"entity_path":"topics/test"}`.

use distribution::Release;

use crate::error::DecodeError;
use crate::jackson::Value;
use crate::order;
use crate::paths::ConfigType;
use crate::read;

/// The data of `/config/<type>/<name>` (2.8.2), e.g. `/config/topics/<topic>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntityConfig {
    /// The overrides, values as strings, in the order the znode lists them
    /// (the iteration order of Kafka's `Properties`). [`EntityConfig::new`]
    /// computes that order from the order Kafka sets them in.
    pub config: Vec<(String, String)>,
}

impl EntityConfig {
    /// A `Properties` that received `entries` in this order (`setProperty`:
    /// a repeated key keeps its place and takes the later value).
    pub fn new<K: Into<String>, V: Into<String>>(
        entries: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut inserted: Vec<(String, String)> = Vec::new();
        for (k, v) in entries {
            let (k, v) = (k.into(), v.into());
            match inserted.iter_mut().find(|(key, _)| *key == k) {
                Some(entry) => entry.1 = v,
                None => inserted.push((k, v)),
            }
        }
        let keys: Vec<&str> = inserted.iter().map(|(k, _)| k.as_str()).collect();
        let order = order::properties_order(&keys);
        EntityConfig {
            config: order.iter().map(|&i| inserted[i].clone()).collect(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.config
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `{"version":1,"config":{…}}`, the entries in [`EntityConfig::config`]'s order.
    pub fn encode(&self) -> Vec<u8> {
        let config = self
            .config
            .iter()
            .map(|(k, v)| (k.clone(), Value::str(v)))
            .collect();
        Value::Map(vec![
            ("version".into(), Value::Int(1)),
            ("config".into(), Value::Map(config)),
        ])
        .to_bytes()
    }

    /// Keeps the entries in the order written. Every value must be a string
    /// (`v.to[String]` in `ConfigEntityZNode.decode`).
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        obj.version(Release::V2_8_2, &[1], "1")?;
        let config = obj
            .req("config")?
            .object()?
            .entries()
            .map(|(k, v)| Ok((k.to_owned(), v.string()?)))
            .collect::<Result<_, DecodeError>>()?;
        Ok(EntityConfig { config })
    }
}

/// The data of `/config/changes/config_change_<seq>` (2.8.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigChangeNotification {
    /// `topics/test`, `brokers/0`, `brokers/<default>`, `clients/<id>`,
    /// `users/<u>`, `users/<u>/clients/<c>` or `ips/<ip>`.
    pub entity_path: String,
}

impl ConfigChangeNotification {
    /// A change to `/config/<type>/<name>`.
    pub fn for_entity(entity_type: ConfigType, name: &str) -> Self {
        ConfigChangeNotification {
            entity_path: format!("{}/{name}", entity_type.name()),
        }
    }

    /// `{"version":2,"entity_path":"topics/test"}`.
    pub fn encode(&self) -> Vec<u8> {
        Value::Map(vec![
            ("version".into(), Value::Int(2)),
            ("entity_path".into(), Value::str(&self.entity_path)),
        ])
        .to_bytes()
    }

    /// Version 2 only: the version 1 format (`entity_type`, `entity_name`) is
    /// read by 2.8.2 but written only by older releases.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        obj.version(Release::V2_8_2, &[2], "2")?;
        Ok(ConfigChangeNotification {
            entity_path: obj.req("entity_path")?.string()?,
        })
    }
}
