//! The old high-level (ZooKeeper) consumer's znodes under
//! `/consumers/<group>`: its registration (`ids/<consumerId>`, ephemeral),
//! partition ownership (`owners/<topic>/<p>`, ephemeral) and committed
//! offsets (`offsets/<topic>/<p>`, persistent decimal text).
//!
//! Registration and ownership are 0.8.0 only
//! (consumer/ZookeeperConsumerConnector.scala@0.8.0); 2.8.2 has no such
//! consumer and writes offsets here only for OffsetCommit v0.

use distribution::Release;

use crate::error::DecodeError;
use crate::read;
use crate::utils_json;

/// `ZookeeperConsumerConnector.consumerIdString`@0.8.0 l.99-111:
/// `<group>_<hostname>-<ms>-<first 8 hex digits of the UUID's high bits>`,
/// e.g. `console-consumer-48213_kafka-1-1380000000000-1a2b3c4d`.
///
/// `None` when `Long.toHexString(uuid_msb)` has fewer than 8 digits, where
/// Kafka's `substring(0, 8)` throws.
pub fn consumer_id(group: &str, hostname: &str, timestamp: i64, uuid_msb: u64) -> Option<String> {
    let hex = format!("{uuid_msb:x}");
    let head = hex.get(..8)?;
    Some(format!("{group}_{hostname}-{timestamp}-{head}"))
}

/// What a consumer subscribes to (0.8.0's `TopicCount`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subscription {
    /// `createMessageStreams`: topic → number of streams, in the iteration
    /// order of the consumer's map.
    Static(Vec<(String, i32)>),
    /// `createMessageStreamsByFilter(new Whitelist(regex))`, as the console
    /// consumer always does.
    WhiteList { regex: String, streams: i32 },
    /// `createMessageStreamsByFilter(new Blacklist(regex))`.
    BlackList { regex: String, streams: i32 },
}

impl Subscription {
    /// `TopicCount.pattern`.
    pub fn pattern(&self) -> &'static str {
        match self {
            Subscription::Static(_) => "static",
            Subscription::WhiteList { .. } => "white_list",
            Subscription::BlackList { .. } => "black_list",
        }
    }

    /// `TopicCount.dbString`: static `{ "a": 1,"b": 2 }` (a space after each
    /// colon, none after commas); wildcard `{ "regex" : 1 }`.
    fn db_string(&self) -> String {
        match self {
            Subscription::Static(topics) => {
                let items: Vec<String> = topics
                    .iter()
                    .map(|(topic, streams)| format!("\"{topic}\": {streams}"))
                    .collect();
                format!("{{ {} }}", items.join(","))
            }
            Subscription::WhiteList { regex, streams }
            | Subscription::BlackList { regex, streams } => {
                format!("{{ \"{regex}\" : {streams} }}")
            }
        }
    }
}

/// The data of `/consumers/<group>/ids/<consumerId>` (0.8.0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerRegistration {
    pub subscription: Subscription,
    /// Milliseconds since the epoch at registration.
    pub timestamp: i64,
}

impl ConsumerRegistration {
    /// `registerConsumerInZK`@0.8.0 l.217-226, e.g.
    /// `{ "pattern":"white_list", "subscription":{ "test" : 1 }, "timestamp":"1380000000000", "version":1 }`.
    /// Topic names and regexes are written without escaping.
    pub fn encode(&self) -> Vec<u8> {
        let subscription = self.subscription.db_string();
        let timestamp = self.timestamp.to_string();
        let mut fields = utils_json::map_to_json_fields(
            &[("version", "1"), ("subscription", &subscription)],
            false,
        );
        fields.extend(utils_json::map_to_json_fields(
            &[
                ("pattern", self.subscription.pattern()),
                ("timestamp", &timestamp),
            ],
            true,
        ));
        utils_json::merge_json_fields(fields).into_bytes()
    }

    /// As `TopicCount.constructTopicCount`@0.8.0 reads it; a wildcard
    /// subscription must name exactly one regex.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        obj.version(Release::V0_8_0, &[1], "1")?;
        let timestamp = obj.req("timestamp")?.long_text()?;
        let pattern_field = obj.req("pattern")?;
        let pattern = pattern_field.string()?;
        let map = obj.req("subscription")?.object()?;
        let entries = map
            .entries()
            .map(|(k, v)| Ok((k.to_owned(), v.int()?)))
            .collect::<Result<Vec<_>, DecodeError>>()?;
        let subscription = match pattern.as_str() {
            "static" => Subscription::Static(entries),
            "white_list" | "black_list" => {
                let [(regex, streams)]: [(String, i32); 1] = entries.try_into().map_err(|_| {
                    DecodeError::invalid(map.path(), "a wildcard subscription names one regex")
                })?;
                if pattern == "white_list" {
                    Subscription::WhiteList { regex, streams }
                } else {
                    Subscription::BlackList { regex, streams }
                }
            }
            other => {
                return Err(DecodeError::invalid(
                    pattern_field.path(),
                    format!("{other:?} is not static, white_list or black_list"),
                ))
            }
        };
        Ok(ConsumerRegistration {
            subscription,
            timestamp,
        })
    }
}

/// The data of `/consumers/<group>/owners/<topic>/<p>` (0.8.0): the owning
/// thread, `<consumerId>-<n>` as plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerThreadId {
    pub consumer_id: String,
    pub thread: u32,
}

impl ConsumerThreadId {
    pub fn encode(&self) -> Vec<u8> {
        format!("{}-{}", self.consumer_id, self.thread).into_bytes()
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| DecodeError::invalid("(data)", format!("not UTF-8: {e}")))?;
        text.rsplit_once('-')
            .and_then(|(consumer, n)| {
                let thread = n
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| n.parse().ok())??;
                Some(ConsumerThreadId {
                    consumer_id: consumer.to_owned(),
                    thread,
                })
            })
            .ok_or_else(|| {
                DecodeError::invalid("(data)", format!("{text:?} is not <consumerId>-<thread>"))
            })
    }
}

/// The data of `/consumers/<group>/offsets/<topic>/<p>`: the next offset to
/// consume, as decimal text such as `42`, in both releases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConsumerOffset(pub i64);

impl ConsumerOffset {
    /// `offset.toString`.
    pub fn encode(&self, _release: Release) -> Vec<u8> {
        self.0.to_string().into_bytes()
    }

    /// `new String(bytes, UTF_8).toLong`.
    pub fn decode(_release: Release, bytes: &[u8]) -> Result<Self, DecodeError> {
        read::decimal_long(bytes).map(ConsumerOffset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumer_ids() {
        assert_eq!(
            consumer_id(
                "console-consumer-48213",
                "kafka-1",
                1_380_000_000_000,
                0x1a2b_3c4d_5e6f_7081
            ),
            Some("console-consumer-48213_kafka-1-1380000000000-1a2b3c4d".into())
        );
        // A negative high half prints all 16 digits.
        assert_eq!(
            consumer_id("g", "h", 1, 0xfedc_ba98_7654_3210).as_deref(),
            Some("g_h-1-fedcba98")
        );
        assert_eq!(consumer_id("g", "h", 1, 0x0fff_ffff), None);
    }

    #[test]
    fn thread_ids() {
        let id = ConsumerThreadId {
            consumer_id: "g_kafka-1-1380000000000-1a2b3c4d".into(),
            thread: 0,
        };
        assert_eq!(id.encode(), b"g_kafka-1-1380000000000-1a2b3c4d-0");
        assert_eq!(ConsumerThreadId::decode(&id.encode()), Ok(id));
        for bad in [&b"nodash"[..], b"a-", b"a-x", b"a-+1", b"\xff-1"] {
            assert!(ConsumerThreadId::decode(bad).is_err(), "{bad:?}");
        }
    }
}
