//! `/controller` (ephemeral: who is the controller, since when) and
//! `/controller_epoch` (persistent: how many elections there have been).
//!
//! 0.8.0: `ZookeeperLeaderElector.elect`@0.8.0 l.50-80 writes
//! `{ "brokerid":0, "timestamp":"…", "version":1 }`. 2.8.2:
//! `ControllerZNode.encode`@2.8.2 l.54-62, a Map3 in insertion order,
//! `{"version":1,"brokerid":0,"timestamp":"…"}`. The epoch is plain decimal
//! text in both; 0.8.0 creates it as `1` (dataVersion = epoch − 1), 2.8.2
//! creates `0` then sets `1` (dataVersion = epoch).

use distribution::Release;

use crate::error::DecodeError;
use crate::jackson::Value;
use crate::read;
use crate::utils_json;

/// The data of `/controller`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Controller {
    pub broker_id: i32,
    /// Milliseconds since the epoch at election.
    pub timestamp: i64,
}

impl Controller {
    pub fn encode(&self, release: Release) -> Vec<u8> {
        match release {
            Release::V0_8_0 => {
                let (broker_id, timestamp) =
                    (self.broker_id.to_string(), self.timestamp.to_string());
                let mut fields = utils_json::map_to_json_fields(
                    &[("version", "1"), ("brokerid", &broker_id)],
                    false,
                );
                fields.extend(utils_json::map_to_json_fields(
                    &[("timestamp", &timestamp)],
                    true,
                ));
                utils_json::merge_json_fields(fields).into_bytes()
            }
            Release::V2_8_2 => Value::Map(vec![
                ("version".into(), Value::Int(1)),
                ("brokerid".into(), Value::Int(self.broker_id.into())),
                ("timestamp".into(), Value::Str(self.timestamp.to_string())),
            ])
            .to_bytes(),
        }
    }

    pub fn decode(release: Release, bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        obj.version(release, &[1], "1")?;
        Ok(Controller {
            broker_id: obj.req("brokerid")?.int()?,
            timestamp: obj.req("timestamp")?.long_text()?,
        })
    }

    /// Only the controller's broker id, as brokers read it. 0.8.0
    /// (`KafkaController.parseControllerId`) also accepts a bare integer, the
    /// pre-0.8 format; 2.8.2 (`ControllerZNode.decode`) wants the JSON object.
    pub fn decode_broker_id(release: Release, bytes: &[u8]) -> Result<i32, DecodeError> {
        let json = read::object(bytes).and_then(|obj| obj.req("brokerid")?.int());
        match (json, release) {
            (Ok(id), _) => Ok(id),
            (Err(_), Release::V0_8_0) if read::decimal_int(bytes).is_ok() => {
                read::decimal_int(bytes)
            }
            (Err(e), _) => Err(e),
        }
    }
}

/// The data of `/controller_epoch`: decimal text such as `1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ControllerEpoch(pub i32);

impl ControllerEpoch {
    /// The same in both releases: `epoch.toString`.
    pub fn encode(&self, _release: Release) -> Vec<u8> {
        self.0.to_string().into_bytes()
    }

    /// `new String(bytes, UTF_8).toInt`.
    pub fn decode(_release: Release, bytes: &[u8]) -> Result<Self, DecodeError> {
        read::decimal_int(bytes).map(ControllerEpoch)
    }
}
