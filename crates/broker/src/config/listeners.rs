//! Kafka 2.8.2's listeners: `listener.security.protocol.map`, the
//! `NAME://host:port` lists of `listeners` and `advertised.listeners`
//! (`core/src/main/scala/kafka/cluster/EndPoint.scala`,
//! `kafka/utils/CoreUtils.scala` @2.8.2), the Scala map and set orders
//! their error messages show, and the listener checks of `validateValues`
//! (`KafkaConfig.scala` @2.8.2 lines 1933-1963, with the `def`s they call,
//! lines 1805-1898).

use std::fmt;
use std::sync::OnceLock;

use kafka_zk::order::immutable_map_order;
use regex_lite::Regex;

use super::error::{require, ConfigError, ILLEGAL_ARGUMENT};
use super::{java, Props, Values};

pub use kafka_zk::SecurityProtocol;

/// One listener: `kafka.cluster.EndPoint`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndPoint {
    /// Upper-cased, as `ListenerName.normalised` makes it.
    pub listener_name: String,
    /// `None` for an empty host (`PLAINTEXT://:9092`): bind to every interface.
    pub host: Option<String>,
    pub port: i32,
    pub security_protocol: SecurityProtocol,
}

impl fmt::Display for EndPoint {
    /// `EndPoint.connectionString`: `NAME://host:port`, `[host]` for IPv6.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.host {
            None => write!(f, "{}://:{}", self.listener_name, self.port),
            Some(h) if h.contains(':') => write!(f, "{}://[{h}]:{}", self.listener_name, self.port),
            Some(h) => write!(f, "{}://{h}:{}", self.listener_name, self.port),
        }
    }
}

/// The keys of a Scala 2.13 immutable `Map`/`Set` built from `keys` in
/// order, as it iterates them: up to four keys keep their first insertion
/// order (`Map1`…`Map4`), more become a hash trie (`kafka_zk::order`).
/// Returns indices into the deduplicated key list.
pub(crate) fn scala_order(keys: &[String]) -> Vec<usize> {
    if keys.len() <= 4 {
        (0..keys.len()).collect()
    } else {
        immutable_map_order(keys)
    }
}

/// `pairs.toMap` in Scala: a later pair replaces the value of an earlier
/// one with the same key; iteration in [`scala_order`].
pub(crate) fn scala_map<V: Clone>(pairs: Vec<(String, V)>) -> Vec<(String, V)> {
    let mut distinct: Vec<(String, V)> = Vec::new();
    for (k, v) in pairs {
        match distinct.iter_mut().find(|(dk, _)| *dk == k) {
            Some(slot) => slot.1 = v,
            None => distinct.push((k, v)),
        }
    }
    let keys: Vec<String> = distinct.iter().map(|(k, _)| k.clone()).collect();
    scala_order(&keys)
        .into_iter()
        .map(|i| distinct[i].clone())
        .collect()
}

/// `KafkaConfig.getMap(propName, value)` @2.8.2: `CoreUtils.parseCsvMap`
/// (split on commas, each entry at its last `:`, both sides trimmed), its
/// exceptions wrapped as `Error parsing configuration property '…': …`.
pub(crate) fn csv_map(prop: &str, value: &str) -> Result<Vec<(String, String)>, ConfigError> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let mut pairs = Vec::new();
    for entry in java::split_around(value, ',', false) {
        // `s.substring(0, s.lastIndexOf(":"))` with no colon is
        // substring(0, -1): Java 8 says "String index out of range: -1".
        let Some(colon) = entry.rfind(':') else {
            return Err(ConfigError::new(
                ILLEGAL_ARGUMENT,
                format!(
                    "Error parsing configuration property '{prop}': String index out of range: -1"
                ),
            ));
        };
        pairs.push((
            java::trim(&entry[..colon]).to_owned(),
            java::trim(&entry[colon + 1..]).to_owned(),
        ));
    }
    Ok(scala_map(pairs))
}

/// `listenerSecurityProtocolMap`: listener names upper-cased, each protocol
/// checked in the map's iteration order.
pub(crate) fn security_protocol_map(
    value: &str,
) -> Result<Vec<(String, SecurityProtocol)>, ConfigError> {
    const PROP: &str = "listener.security.protocol.map";
    let mut pairs = Vec::new();
    for (name, protocol) in csv_map(PROP, value)? {
        let protocol = SecurityProtocol::for_name(&protocol).ok_or_else(|| {
            ConfigError::config(format!(
                "Invalid security protocol `{protocol}` defined in {PROP}"
            ))
        })?;
        pairs.push((name.to_uppercase(), protocol));
    }
    Ok(scala_map(pairs))
}

fn endpoint_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // `^(.*)://\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)`, matched whole (Scala's
    // pattern match uses `matches()`); Java's `.` stops at line terminators.
    RE.get_or_init(|| {
        Regex::new(r"^([^\n\r\x{85}\x{2028}\x{2029}]*)://\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$")
            .expect("the endpoint pattern compiles")
    })
}

/// `EndPoint.createEndPoint(connectionString, Some(map))`.
fn create_endpoint(
    connection: &str,
    map: &[(String, SecurityProtocol)],
) -> Result<EndPoint, ConfigError> {
    let Some(caps) = endpoint_regex().captures(connection) else {
        return Err(ConfigError::new(
            "org.apache.kafka.common.KafkaException",
            format!("Unable to parse {connection} to a broker endpoint"),
        ));
    };
    let name = caps[1].to_uppercase();
    let host = Some(caps[2].to_owned()).filter(|h| !h.is_empty());
    let port = java::parse_int(&caps[3]).ok_or_else(|| ConfigError::number_format(&caps[3]))?;
    let security_protocol = map
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, p)| *p)
        .ok_or_else(|| {
            ConfigError::new(
                ILLEGAL_ARGUMENT,
                format!("No security protocol defined for listener {name}"),
            )
        })?;
    Ok(EndPoint {
        listener_name: name,
        host,
        port,
        security_protocol,
    })
}

/// `CoreUtils.listenerListToEndPoints(listeners, map, requireDistinctPorts)`.
pub(crate) fn endpoints(
    listeners: &str,
    map: &[(String, SecurityProtocol)],
    require_distinct_ports: bool,
) -> Result<Vec<EndPoint>, ConfigError> {
    let list: Vec<String> = if listeners.is_empty() {
        Vec::new()
    } else {
        java::split_around(listeners, ',', false)
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect()
    };
    let mut out = Vec::new();
    for connection in &list {
        let endpoint = create_endpoint(connection, map).map_err(|e| {
            let message = e.message.clone().unwrap_or_else(|| "null".to_owned());
            ConfigError::new(
                ILLEGAL_ARGUMENT,
                format!("Error creating broker listeners from '{listeners}': {message}"),
            )
            .caused_by(e)
        })?;
        out.push(endpoint);
    }
    let mut names: Vec<&str> = out.iter().map(|e| e.listener_name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    if names.len() != out.len() {
        return Err(ConfigError::requirement(format!(
            "Each listener must have a different name, listeners: {listeners}"
        )));
    }
    if require_distinct_ports {
        let mut ports: Vec<i32> = out.iter().map(|e| e.port).filter(|p| *p != 0).collect();
        let count = ports.len();
        ports.sort_unstable();
        ports.dedup();
        if ports.len() != count {
            return Err(ConfigError::requirement(format!(
                "Each listener must have a different port, listeners: {listeners}"
            )));
        }
    }
    Ok(out)
}

/// `names.toSet.map(_.value).mkString(",")`: the distinct listener names in
/// Scala `Set` order.
pub(crate) fn name_set(endpoints: &[EndPoint]) -> Vec<String> {
    let mut distinct: Vec<String> = Vec::new();
    for e in endpoints {
        if !distinct.contains(&e.listener_name) {
            distinct.push(e.listener_name.clone());
        }
    }
    scala_order(&distinct)
        .into_iter()
        .map(|i| distinct[i].clone())
        .collect()
}

/// The listeners as `validateValues` checks them.
pub(super) struct CheckedListeners {
    pub listeners: Vec<EndPoint>,
    pub advertised: Vec<EndPoint>,
    pub protocol_map: Vec<(String, SecurityProtocol)>,
    /// `interBrokerListenerName` is a `def`: its exception surfaces where it
    /// is first used, which for a controller-only node is further down.
    pub inter_broker: Result<(String, SecurityProtocol), ConfigError>,
    pub control_plane: Option<String>,
}

/// The listener checks of 2.8.2's `validateValues`, in its order.
pub(super) fn validate(v: &Values, props: &Props) -> Result<CheckedListeners, ConfigError> {
    // `listenerSecurityProtocolMap` is a `def` too, computed before any
    // listener list is parsed; its errors come first either way.
    let protocol_map =
        security_protocol_map(v.string("listener.security.protocol.map").unwrap_or(""))?;
    let controller_names: Vec<String> =
        java::split_literal(v.string("controller.listener.names").unwrap_or(""), ',')
            .into_iter()
            .map(str::to_owned)
            .collect();
    // `listeners`: the `listeners` setting, else `PLAINTEXT://host.name:port`.
    let listener_list = || match v.string("listeners") {
        Some(l) => endpoints(l, &protocol_map, true),
        None => {
            let host = v.string("host.name").unwrap_or("null");
            let port = v.int("port");
            endpoints(&format!("PLAINTEXT://{host}:{port}"), &protocol_map, true)
        }
    };
    // `advertisedListeners`: the setting, else advertised.host.name/port
    // (each falling back to host.name/port), else the listeners.
    let advertised = if let Some(a) = v.string("advertised.listeners") {
        endpoints(a, &protocol_map, false)?
    } else if v.string("advertised.host.name").is_some() || v.opt_int("advertised.port").is_some() {
        let host = v
            .string("advertised.host.name")
            .or_else(|| v.string("host.name"))
            .unwrap_or("null");
        let port = v
            .opt_int("advertised.port")
            .unwrap_or_else(|| v.int("port"));
        endpoints(&format!("PLAINTEXT://{host}:{port}"), &protocol_map, false)?
    } else {
        listener_list()?
            .into_iter()
            .filter(|l| !controller_names.contains(&l.listener_name))
            .collect()
    };
    let advertised_names = name_set(&advertised);
    let listener_endpoints = listener_list()?;
    let listener_names = name_set(&listener_endpoints);
    let inter_broker = inter_broker_listener(v, props, &protocol_map);
    let roles = v.process_roles();
    if roles.is_empty() || roles.iter().any(|r| r == "broker") {
        let (inter_broker_name, _) = inter_broker.clone()?;
        require(advertised_names.contains(&inter_broker_name), || {
            format!(
                "inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are {}",
                advertised_names.join(",")
            )
        })?;
        require(
            advertised_names.iter().all(|n| listener_names.contains(n)),
            || {
                format!(
                "advertised.listeners listener names must be equal to or a subset of the ones defined in listeners. Found {}. The valid options based on the current configuration are {}",
                advertised_names.join(","),
                listener_names.join(",")
            )
            },
        )?;
    }
    require(
        !advertised
            .iter()
            .any(|e| e.host.as_deref() == Some("0.0.0.0")),
        || {
            "advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.".into()
        },
    )?;
    require(
        !listener_endpoints
            .iter()
            .filter(|l| controller_names.contains(&l.listener_name))
            .any(|c| advertised.contains(c)),
        || "advertised.listeners cannot contain any of controller.listener.names".into(),
    )?;
    let control_plane = control_plane_listener(v, &protocol_map)?;
    if let Some(cp) = &control_plane {
        require(advertised_names.contains(cp), || {
            format!(
                "control.plane.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are {}",
                advertised_names.join(",")
            )
        })?;
        let (inter_broker_name, _) = inter_broker.clone()?;
        require(*cp != inter_broker_name, || {
            format!(
                "control.plane.listener.name, when defined, should have a different value from the inter broker listener name. Currently they both have the value ListenerName({cp})"
            )
        })?;
    }
    Ok(CheckedListeners {
        listeners: listener_endpoints,
        advertised,
        protocol_map,
        inter_broker,
        control_plane,
    })
}

/// `getInterBrokerListenerNameAndSecurityProtocol`.
fn inter_broker_listener(
    v: &Values,
    props: &Props,
    map: &[(String, SecurityProtocol)],
) -> Result<(String, SecurityProtocol), ConfigError> {
    match v.string("inter.broker.listener.name") {
        Some(_) if props.get("security.inter.broker.protocol").is_some() => Err(ConfigError::config(
            "Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.",
        )),
        Some(name) => {
            let name = name.to_uppercase();
            match map.iter().find(|(n, _)| *n == name) {
                Some((_, p)) => Ok((name, *p)),
                None => Err(ConfigError::config(format!(
                    "Listener with name {name} defined in inter.broker.listener.name not found in listener.security.protocol.map."
                ))),
            }
        }
        None => {
            let name = v.string("security.inter.broker.protocol").unwrap_or("null");
            match SecurityProtocol::for_name(name) {
                Some(p) => Ok((p.name().to_owned(), p)),
                None => Err(ConfigError::config(format!(
                    "Invalid security protocol `{name}` defined in security.inter.broker.protocol"
                ))),
            }
        }
    }
}

/// `getControlPlaneListenerNameAndSecurityProtocol`, the name only.
fn control_plane_listener(
    v: &Values,
    map: &[(String, SecurityProtocol)],
) -> Result<Option<String>, ConfigError> {
    let Some(name) = v.string("control.plane.listener.name") else {
        return Ok(None);
    };
    let name = name.to_uppercase();
    if map.iter().any(|(n, _)| *n == name) {
        Ok(Some(name))
    } else {
        Err(ConfigError::config(format!(
            "Listener with {name} defined in control.plane.listener.name not found in listener.security.protocol.map."
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_map() -> Vec<(String, SecurityProtocol)> {
        security_protocol_map(
            "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL",
        )
        .unwrap()
    }

    #[test]
    fn endpoints_parse_as_kafka_does() {
        let e = endpoints("PLAINTEXT://:9092, ssl://[::1]:9093", &default_map(), true).unwrap();
        assert_eq!(e[0].host, None);
        assert_eq!(e[0].to_string(), "PLAINTEXT://:9092");
        assert_eq!(e[1].listener_name, "SSL");
        assert_eq!(e[1].to_string(), "SSL://[::1]:9093");
    }

    #[test]
    fn endpoint_errors_carry_kafka_words() {
        let err = endpoints("PLAINTEXT:/x:1", &default_map(), true).unwrap_err();
        assert_eq!(
            err.throwable_lines(),
            [
                "java.lang.IllegalArgumentException: Error creating broker listeners from 'PLAINTEXT:/x:1': Unable to parse PLAINTEXT:/x:1 to a broker endpoint",
                "Caused by: org.apache.kafka.common.KafkaException: Unable to parse PLAINTEXT:/x:1 to a broker endpoint",
            ]
        );
        let err = endpoints("CLIENT://:1", &default_map(), true).unwrap_err();
        assert_eq!(
            err.message.as_deref(),
            Some("Error creating broker listeners from 'CLIENT://:1': No security protocol defined for listener CLIENT")
        );
        let err = endpoints("PLAINTEXT://:1,SSL://:1", &default_map(), true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "java.lang.IllegalArgumentException: requirement failed: Each listener must have a different port, listeners: PLAINTEXT://:1,SSL://:1"
        );
    }

    #[test]
    fn csv_map_errors() {
        assert_eq!(
            csv_map("p", "a").unwrap_err().to_string(),
            "java.lang.IllegalArgumentException: Error parsing configuration property 'p': String index out of range: -1"
        );
        assert_eq!(
            security_protocol_map("A:TLS").unwrap_err().to_string(),
            "org.apache.kafka.common.config.ConfigException: Invalid security protocol `TLS` defined in listener.security.protocol.map"
        );
    }
}
