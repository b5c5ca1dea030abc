//! `/brokers/ids/<id>`: a live broker's registration, an ephemeral znode.
//!
//! 0.8.0 (ZkUtils.registerBrokerInZk@0.8.0 l.186-208) writes host, port, JMX
//! port, timestamp and version 1, sorted and spaced. 2.8.2 (ZkData
//! `BrokerIdZNode.encode`@2.8.2 l.116-165) writes version 5 by default (4 for
//! an inter-broker protocol below 2.7, 2 below 0.10.0) from a `mutable.Map`
//! of six keys, plus `rack`, `listener_security_protocol_map` and `features`.

use distribution::Release;

use crate::error::DecodeError;
use crate::jackson::Value;
use crate::order;
use crate::read::{self, Field};
use crate::utils_json;

/// Kafka's `SecurityProtocol`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SecurityProtocol {
    Plaintext,
    Ssl,
    SaslPlaintext,
    SaslSsl,
}

impl SecurityProtocol {
    pub const ALL: [SecurityProtocol; 4] = [
        SecurityProtocol::Plaintext,
        SecurityProtocol::Ssl,
        SecurityProtocol::SaslPlaintext,
        SecurityProtocol::SaslSsl,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SecurityProtocol::Plaintext => "PLAINTEXT",
            SecurityProtocol::Ssl => "SSL",
            SecurityProtocol::SaslPlaintext => "SASL_PLAINTEXT",
            SecurityProtocol::SaslSsl => "SASL_SSL",
        }
    }

    /// Whether the protocol authenticates with SASL.
    pub fn uses_sasl(self) -> bool {
        matches!(
            self,
            SecurityProtocol::SaslPlaintext | SecurityProtocol::SaslSsl
        )
    }

    /// `SecurityProtocol.forName`: the name upper-cased.
    pub fn for_name(name: &str) -> Option<SecurityProtocol> {
        let upper = name.to_uppercase();
        SecurityProtocol::ALL
            .into_iter()
            .find(|p| p.name() == upper)
    }
}

impl std::fmt::Display for SecurityProtocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One advertised listener (2.8.2's `EndPoint`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EndPoint {
    /// The listener name, upper case (`ListenerName.normalised`).
    pub listener: String,
    /// Empty for Kafka's `null` host (`PLAINTEXT://:9092`).
    pub host: String,
    pub port: i32,
    pub security_protocol: SecurityProtocol,
}

impl EndPoint {
    /// A listener named after its security protocol, as `PLAINTEXT://host:port`.
    pub fn new(security_protocol: SecurityProtocol, host: &str, port: i32) -> Self {
        EndPoint {
            listener: security_protocol.name().to_owned(),
            host: host.to_owned(),
            port,
            security_protocol,
        }
    }

    /// `EndPoint.connectionString`: `LISTENER://host:port`, an IPv6 host in
    /// brackets (`Utils.formatAddress`), `LISTENER://:port` with no host.
    pub fn connection_string(&self) -> String {
        if self.host.contains(':') {
            format!("{}://[{}]:{}", self.listener, self.host, self.port)
        } else {
            format!("{}://{}:{}", self.listener, self.host, self.port)
        }
    }

    /// `EndPoint.createEndPoint`: the regex
    /// `^(.*)://\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)` over the whole string,
    /// the listener name normalised, its protocol from `protocols`.
    fn parse(
        field: &Field<'_>,
        text: &str,
        protocols: &[(String, SecurityProtocol)],
    ) -> Result<EndPoint, DecodeError> {
        let unparsable = || {
            DecodeError::invalid(
                field.path(),
                format!("Unable to parse {text} to a broker endpoint"),
            )
        };
        // `(.*)` is greedy: the last `://` after which the rest matches.
        let (listener, host, port) = text
            .match_indices("://")
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .find_map(|(i, _)| {
                let (host, port) = host_port(&text[i + 3..])?;
                Some((&text[..i], host, port))
            })
            .ok_or_else(unparsable)?;
        let port = read::java_parse_int(port).ok_or_else(|| DecodeError::NotANumber {
            path: field.path().to_owned(),
            text: port.to_owned(),
            expected: "Int",
        })?;
        let listener = listener.to_uppercase();
        let security_protocol = protocols
            .iter()
            .find(|(name, _)| *name == listener)
            .map(|(_, p)| *p)
            .ok_or_else(|| {
                DecodeError::invalid(
                    field.path(),
                    format!("No security protocol defined for listener {listener}"),
                )
            })?;
        Ok(EndPoint {
            listener,
            host: host.to_owned(),
            port,
            security_protocol,
        })
    }
}

/// `\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)`: the port follows the last colon.
fn host_port(rest: &str) -> Option<(&str, &str)> {
    let colon = rest.rfind(':')?;
    let (host, port) = (&rest[..colon], &rest[colon + 1..]);
    let digits = port.strip_prefix('-').unwrap_or(port);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let host = host.strip_prefix('[').unwrap_or(host);
    let host = host.strip_suffix(']').unwrap_or(host);
    host.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-%._:".contains(&b))
        .then_some((host, port))
}

/// The data of `/brokers/ids/<id>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerRegistration {
    /// 0.8.0 writes 1. 2.8.2 writes 5 (inter.broker.protocol.version ≥ 2.7),
    /// 4 (≥ 0.10.0) or 2.
    pub version: i32,
    /// `host.name` in 0.8.0. In 2.8.2 the host of the first PLAINTEXT
    /// endpoint, `None` (JSON `null`) when there is none.
    pub host: Option<String>,
    /// -1 in 2.8.2 when no endpoint is PLAINTEXT.
    pub port: i32,
    /// `com.sun.management.jmxremote.port`, -1 without JMX.
    pub jmx_port: i32,
    /// Milliseconds since the epoch at registration.
    pub timestamp: i64,
    /// 2.8.2: the advertised listeners. 0.8.0 writes none.
    pub endpoints: Vec<EndPoint>,
    /// 2.8.2 `broker.rack`, written from version 3 on. 0.8.0 writes none.
    pub rack: Option<String>,
}

impl BrokerRegistration {
    /// What `release` writes for a broker with the default server.properties:
    /// one PLAINTEXT listener on `host:port`, no rack.
    pub fn plaintext(
        release: Release,
        host: &str,
        port: i32,
        jmx_port: i32,
        timestamp: i64,
    ) -> Self {
        match release {
            Release::V0_8_0 => BrokerRegistration {
                version: 1,
                host: Some(host.to_owned()),
                port,
                jmx_port,
                timestamp,
                endpoints: Vec::new(),
                rack: None,
            },
            Release::V2_8_2 => BrokerRegistration::from_endpoints(
                vec![EndPoint::new(SecurityProtocol::Plaintext, host, port)],
                jmx_port,
                timestamp,
                None,
            ),
        }
    }

    /// 2.8.2's version 5 registration (`KafkaServer.createBrokerInfo`): host
    /// and port from the first PLAINTEXT endpoint, or `null` and -1.
    pub fn from_endpoints(
        endpoints: Vec<EndPoint>,
        jmx_port: i32,
        timestamp: i64,
        rack: Option<String>,
    ) -> Self {
        let plaintext = endpoints
            .iter()
            .find(|e| e.security_protocol == SecurityProtocol::Plaintext);
        BrokerRegistration {
            version: 5,
            host: plaintext.map(|e| e.host.clone()),
            port: plaintext.map_or(-1, |e| e.port),
            jmx_port,
            timestamp,
            endpoints,
            rack,
        }
    }

    /// The znode's bytes as `release` writes them. 0.8.0 writes only host,
    /// ports, timestamp and version; like Scala's string concatenation it
    /// writes a `None` host as `"null"`. 2.8.2 writes `rack` only from version
    /// 3, the listener map from 4 and `features` (always `{}`) from 5.
    pub fn encode(&self, release: Release) -> Vec<u8> {
        match release {
            Release::V0_8_0 => self.encode_0_8_0().into_bytes(),
            Release::V2_8_2 => self.encode_2_8_2().to_bytes(),
        }
    }

    fn encode_0_8_0(&self) -> String {
        let host = self.host.as_deref().unwrap_or("null");
        let (version, jmx_port, port, timestamp) = (
            self.version.to_string(),
            self.jmx_port.to_string(),
            self.port.to_string(),
            format!("\"{}\"", self.timestamp),
        );
        let mut fields = utils_json::map_to_json_fields(&[("host", host)], true);
        fields.extend(utils_json::map_to_json_fields(
            &[
                ("version", &version),
                ("jmx_port", &jmx_port),
                ("port", &port),
                ("timestamp", &timestamp),
            ],
            false,
        ));
        utils_json::merge_json_fields(fields)
    }

    fn encode_2_8_2(&self) -> Value {
        let mut entries = vec![
            ("version".to_owned(), Value::Int(self.version.into())),
            (
                "host".to_owned(),
                self.host.as_deref().map_or(Value::Null, Value::str),
            ),
            ("port".to_owned(), Value::Int(self.port.into())),
            (
                "endpoints".to_owned(),
                Value::List(
                    self.endpoints
                        .iter()
                        .map(|e| Value::Str(e.connection_string()))
                        .collect(),
                ),
            ),
            ("jmx_port".to_owned(), Value::Int(self.jmx_port.into())),
            (
                "timestamp".to_owned(),
                Value::Str(self.timestamp.to_string()),
            ),
        ];
        if let Some(rack) = self.rack.as_deref().filter(|_| self.version >= 3) {
            entries.push(("rack".to_owned(), Value::str(rack)));
        }
        if self.version >= 4 {
            // `advertisedEndpoints.map(e => listener -> protocol).toMap`: a
            // repeated listener keeps its first place and its last value.
            let mut map: Vec<(String, Value)> = Vec::new();
            for e in &self.endpoints {
                let protocol = Value::str(e.security_protocol.name());
                match map.iter_mut().find(|(k, _)| *k == e.listener) {
                    Some(entry) => entry.1 = protocol,
                    None => map.push((e.listener.clone(), protocol)),
                }
            }
            entries.push((
                "listener_security_protocol_map".to_owned(),
                Value::immutable_map(map),
            ));
        }
        if self.version >= 5 {
            entries.push(("features".to_owned(), Value::Map(Vec::new())));
        }
        Value::mutable_map(entries, order::mutable_map_apply_len(6))
    }

    /// Reads the registration `release` writes.
    pub fn decode(release: Release, bytes: &[u8]) -> Result<Self, DecodeError> {
        let obj = read::object(bytes)?;
        match release {
            Release::V0_8_0 => Ok(BrokerRegistration {
                version: obj.version(release, &[1], "1")?,
                host: Some(obj.req("host")?.string()?),
                port: obj.req("port")?.int()?,
                jmx_port: obj.req("jmx_port")?.int()?,
                timestamp: obj.req("timestamp")?.long_text()?,
                endpoints: Vec::new(),
                rack: None,
            }),
            Release::V2_8_2 => {
                let version = obj.version(release, &[2, 4, 5], "5, 4 or 2")?;
                let protocols: Vec<(String, SecurityProtocol)> = if version >= 4 {
                    let map = obj.req("listener_security_protocol_map")?.object()?;
                    map.entries()
                        .map(|(name, value)| {
                            let text = value.string()?;
                            let protocol = SecurityProtocol::for_name(&text).ok_or_else(|| {
                                DecodeError::invalid(
                                    value.path(),
                                    format!("No enum constant SecurityProtocol.{text}"),
                                )
                            })?;
                            Ok((name.to_owned(), protocol))
                        })
                        .collect::<Result<_, DecodeError>>()?
                } else {
                    SecurityProtocol::ALL
                        .into_iter()
                        .map(|p| (p.name().to_owned(), p))
                        .collect()
                };
                let endpoints = obj
                    .req("endpoints")?
                    .array()?
                    .iter()
                    .map(|item| EndPoint::parse(item, &item.string()?, &protocols))
                    .collect::<Result<_, _>>()?;
                if version >= 5 {
                    let features = obj.req("features")?;
                    if !features.object()?.is_empty() {
                        return Err(DecodeError::invalid(
                            features.path(),
                            "2.8.2 brokers support no features; other values are not modelled",
                        ));
                    }
                }
                let rack = match obj.get("rack") {
                    Some(rack) => rack.opt_string()?,
                    None => None,
                };
                Ok(BrokerRegistration {
                    version,
                    host: obj.req("host")?.opt_string()?,
                    port: obj.req("port")?.int()?,
                    jmx_port: obj.req("jmx_port")?.int()?,
                    timestamp: obj.req("timestamp")?.long_text()?,
                    endpoints,
                    rack,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protocols() -> Vec<(String, SecurityProtocol)> {
        vec![
            ("PLAINTEXT".into(), SecurityProtocol::Plaintext),
            ("INTERNAL".into(), SecurityProtocol::Ssl),
        ]
    }

    fn parse(text: &str) -> Result<EndPoint, DecodeError> {
        let json = format!("{{\"e\":{}}}", serde_json::to_string(text).unwrap());
        let obj = read::object(json.as_bytes()).unwrap();
        let field = obj.req("e").unwrap();
        EndPoint::parse(&field, text, &protocols())
    }

    #[test]
    fn connection_strings() {
        let e = EndPoint::new(SecurityProtocol::Plaintext, "kafka-1", 9092);
        assert_eq!(e.connection_string(), "PLAINTEXT://kafka-1:9092");
        assert_eq!(parse("PLAINTEXT://kafka-1:9092"), Ok(e));
        let v6 = EndPoint::new(SecurityProtocol::Plaintext, "::1", 9092);
        assert_eq!(v6.connection_string(), "PLAINTEXT://[::1]:9092");
        assert_eq!(parse("PLAINTEXT://[::1]:9092"), Ok(v6));
        let none = EndPoint::new(SecurityProtocol::Plaintext, "", 9092);
        assert_eq!(none.connection_string(), "PLAINTEXT://:9092");
        assert_eq!(parse("PLAINTEXT://:9092"), Ok(none));
        // The listener name is normalised to upper case before the lookup.
        assert_eq!(
            parse("internal://h:1").unwrap().security_protocol,
            SecurityProtocol::Ssl
        );
    }

    #[test]
    fn bad_connection_strings() {
        for bad in [
            "kafka-1:9092",
            "PLAINTEXT://kafka-1",
            "PLAINTEXT://kafka 1:9092",
            "PLAINTEXT://kafka-1:90x2",
            "PLAINTEXT://kafka-1:",
        ] {
            assert!(
                matches!(parse(bad), Err(DecodeError::Invalid { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            parse("PLAINTEXT://h:99999999999"),
            Err(DecodeError::NotANumber { .. })
        ));
        assert_eq!(
            parse("SASL_SSL://h:1"),
            Err(DecodeError::invalid(
                "e",
                "No security protocol defined for listener SASL_SSL"
            ))
        );
    }
}
