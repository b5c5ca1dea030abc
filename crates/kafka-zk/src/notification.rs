//! Notifications a 2.8.2 broker leaves for the controller as
//! persistent-sequential znodes, which the controller deletes once handled:
//! ISR changes (`/isr_change_notification/isr_change_<seq>`, only with an
//! inter-broker protocol below 2.7-IV2; 2.8.2's default sends AlterIsr
//! instead) and log-dir failures
//! (`/log_dir_event_notification/log_dir_event_<seq>`). 0.8.0 has neither.
//!
//! `IsrChangeNotificationSequenceZNode` and
//! `LogDirEventNotificationSequenceZNode` (ZkData@2.8.2 l.407-440): Maps of
//! at most four keys, in insertion order.

use distribution::Release;

use crate::error::DecodeError;
use crate::jackson::Value;
use crate::read;
use crate::{read_topic_partitions, TopicPartition};

/// The data of `/isr_change_notification/isr_change_<seq>` (2.8.2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IsrChangeNotification {
    /// In the order written (the iteration order of the broker's Set).
    pub partitions: Vec<TopicPartition>,
}

impl IsrChangeNotification {
    /// `{"version":1,"partitions":[{"topic":"test","partition":0}]}`.
    pub fn encode(&self) -> Vec<u8> {
        TopicPartition::jackson_list(&self.partitions).to_bytes()
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        obj.version(Release::V2_8_2, &[1], "1")?;
        Ok(IsrChangeNotification {
            partitions: read_topic_partitions(&obj)?,
        })
    }
}

/// The data of `/log_dir_event_notification/log_dir_event_<seq>` (2.8.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogDirEventNotification {
    pub broker: i32,
    /// `LogDirFailureEvent` = 1, the only event.
    pub event: i32,
}

impl LogDirEventNotification {
    pub const LOG_DIR_FAILURE: i32 = 1;

    /// A log-dir failure on `broker`.
    pub fn failure(broker: i32) -> Self {
        LogDirEventNotification {
            broker,
            event: Self::LOG_DIR_FAILURE,
        }
    }

    /// `{"version":1,"broker":0,"event":1}`.
    pub fn encode(&self) -> Vec<u8> {
        Value::Map(vec![
            ("version".into(), Value::Int(1)),
            ("broker".into(), Value::Int(self.broker.into())),
            ("event".into(), Value::Int(self.event.into())),
        ])
        .to_bytes()
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        obj.version(Release::V2_8_2, &[1], "1")?;
        Ok(LogDirEventNotification {
            broker: obj.req("broker")?.int()?,
            event: obj.req("event")?.int()?,
        })
    }
}
