//! How Kafka 2.8.2 reads its table ([`super::defs::V2_8_2`]):
//!
//! 1. `ConfigDef.parse` (`clients/.../common/config/ConfigDef.java` @2.8.2
//!    lines 473-502, `parseType` 649-746): each setting in definition order
//!    is trimmed and converted (`Invalid value abc for configuration
//!    broker.id: Not a number of type INT`) or defaulted, then validated
//!    (`Value must be at least 14`, `String must be one of: …`).
//! 2. The body of `class KafkaConfig` (`KafkaConfig.scala` @2.8.2 lines
//!    1389-1900), whose `val`s can throw: duplicate `process.roles`, the
//!    authorizer class, `max.connections.per.ip.overrides`,
//!    `offsets.topic.compression.codec`.
//! 3. `validateValues()` (lines 1902-1996): `require(…)` checks, in order.
//!
//! Not modelled: `config.providers` (KIP-297 variables `${provider:path:key}`,
//! resolved by `AbstractConfig` only when that key is set), and loading a
//! class that is not one of `KNOWN_CLASSES`.
//!
//! Keys that are not settings are kept in the originals and never reported:
//! `AbstractConfig.logUnused()` (AbstractConfig.java @2.8.2 line 378) is
//! only called by the producer, consumer and admin client, never for the
//! broker's `KafkaConfig`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex_lite::Regex;

use super::api_version::api_version;
use super::defs::{Def, DefaultValue, Type, Validator, V2_8_2};
use super::error::{require, ConfigError, ILLEGAL_ARGUMENT};
use super::listeners::{self, EndPoint, SecurityProtocol};
use super::{java, Props, Value, Values};

/// What `KafkaConfig` computes from its values on the way through
/// `validateValues`.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Derived {
    pub listeners: Vec<EndPoint>,
    pub advertised_listeners: Vec<EndPoint>,
    pub listener_security_protocol_map: Vec<(String, SecurityProtocol)>,
    pub inter_broker_listener_name: String,
    pub inter_broker_security_protocol: SecurityProtocol,
    pub control_plane_listener_name: Option<String>,
    pub max_connections_per_ip_overrides: Vec<(String, i32)>,
}

pub(super) fn read(props: &Props) -> Result<(BTreeMap<&'static str, Value>, Derived), ConfigError> {
    let values = parse(props)?;
    let v = Values(&values);
    let overrides = class_body(&v)?;
    let derived = validate_values(&v, props, overrides)?;
    Ok((values, derived))
}

/// `ConfigDef.parse(originals)`.
fn parse(props: &Props) -> Result<BTreeMap<&'static str, Value>, ConfigError> {
    let mut values = BTreeMap::new();
    for def in V2_8_2 {
        let value = match props.get(def.name) {
            Some(raw) => parse_type(def.name, raw, def.ty)?,
            None => default(def),
        };
        validate(def, &value)?;
        values.insert(def.name, value);
    }
    Ok(values)
}

/// `ConfigDef.Type.toString()`, as `Not a number of type INT` shows it.
fn type_name(ty: Type) -> &'static str {
    match ty {
        Type::Boolean => "BOOLEAN",
        Type::Short => "SHORT",
        Type::Int => "INT",
        Type::Long => "LONG",
        Type::Double => "DOUBLE",
        Type::Str => "STRING",
        Type::List => "LIST",
        Type::Class => "CLASS",
        Type::Password => "PASSWORD",
        Type::IntMap | Type::LongMap => unreachable!("2.8.2 has no per-topic maps"),
    }
}

/// `ConfigDef.parseType(name, value, type)` for a value given as a string.
/// Error messages quote the value as given, before trimming.
pub(super) fn parse_type(name: &str, raw: &str, ty: Type) -> Result<Value, ConfigError> {
    let trimmed = java::trim(raw);
    let not_a_number = || {
        ConfigError::invalid(
            name,
            raw,
            &format!("Not a number of type {}", type_name(ty)),
        )
    };
    Ok(match ty {
        Type::Boolean => {
            if java::equals_ignore_case(trimmed, "true") {
                Value::Boolean(true)
            } else if java::equals_ignore_case(trimmed, "false") {
                Value::Boolean(false)
            } else {
                return Err(ConfigError::invalid(
                    name,
                    raw,
                    "Expected value to be either true or false",
                ));
            }
        }
        Type::Password => Value::Password(trimmed.to_owned()),
        Type::Str => Value::Str(trimmed.to_owned()),
        Type::Int => Value::Int(java::parse_int(trimmed).ok_or_else(not_a_number)?),
        Type::Short => Value::Short(java::parse_short(trimmed).ok_or_else(not_a_number)?),
        Type::Long => Value::Long(java::parse_long(trimmed).ok_or_else(not_a_number)?),
        Type::Double => Value::Double(java::parse_double(trimmed).ok_or_else(not_a_number)?),
        Type::List if trimmed.is_empty() => Value::List(Vec::new()),
        Type::List => Value::List(java::split_around(trimmed, ',', true)),
        Type::Class => match known_class(trimmed) {
            Some(_) => Value::Class(trimmed.to_owned()),
            None => {
                return Err(ConfigError::invalid(
                    name,
                    raw,
                    &format!("Class {raw} could not be found."),
                ))
            }
        },
        Type::IntMap | Type::LongMap => unreachable!("2.8.2 has no per-topic maps"),
    })
}

fn default(def: &Def) -> Value {
    match def.default {
        DefaultValue::Null => Value::Null,
        DefaultValue::Bool(b) => Value::Boolean(b),
        DefaultValue::Short(v) => Value::Short(v),
        DefaultValue::Int(v) => Value::Int(v),
        DefaultValue::Long(v) => Value::Long(v),
        DefaultValue::Double(v) => Value::Double(v),
        DefaultValue::Str(s) => Value::Str(s.to_owned()),
        DefaultValue::List(items) => Value::List(items.iter().map(|s| (*s).to_owned()).collect()),
        DefaultValue::Required | DefaultValue::SameAs(_) => {
            unreachable!("2.8.2's broker settings all have defaults")
        }
    }
}

/// The classes of the 2.8.2 distribution that the `CLASS` settings and
/// `authorizer.class.name` name in practice, and whether each is an
/// interface (`Class.toString()` says `interface …` then). Other names are
/// not on the playground's class path: `Class … could not be found.`
const KNOWN_CLASSES: &[(&str, bool)] = &[
    ("kafka.security.authorizer.AclAuthorizer", false),
    ("kafka.security.auth.SimpleAclAuthorizer", false),
    ("org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder", false),
    ("org.apache.kafka.common.security.auth.KafkaPrincipalBuilder", true),
    ("org.apache.kafka.common.security.ssl.DefaultSslEngineFactory", false),
    ("org.apache.kafka.common.security.authenticator.DefaultLogin", false),
    ("org.apache.kafka.common.security.kerberos.KerberosLogin", false),
    ("org.apache.kafka.common.security.oauthbearer.internals.OAuthBearerRefreshingLogin", false),
    ("org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredLoginCallbackHandler", false),
    ("org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredValidatorCallbackHandler", false),
    ("org.apache.kafka.common.security.authenticator.SaslServerCallbackHandler", false),
    ("org.apache.kafka.common.security.authenticator.SaslClientCallbackHandler", false),
    ("org.apache.kafka.common.security.plain.internals.PlainServerCallbackHandler", false),
    ("org.apache.kafka.common.security.scram.internals.ScramServerCallbackHandler", false),
    ("org.apache.kafka.server.quota.ClientQuotaCallback", true),
    ("org.apache.kafka.server.policy.CreateTopicPolicy", true),
    ("org.apache.kafka.server.policy.AlterConfigPolicy", true),
];

/// `Some(is_interface)` for a class the playground's 2.8.2 can load.
pub(super) fn known_class(name: &str) -> Option<bool> {
    KNOWN_CLASSES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, interface)| *interface)
}

/// The validator of `def`, as `ConfigDef.parseValue` runs it.
fn validate(def: &Def, value: &Value) -> Result<(), ConfigError> {
    let name = def.name;
    match def.validator {
        Validator::Any => Ok(()),
        Validator::AtLeast(min) => {
            let n = match value {
                Value::Null => {
                    return Err(ConfigError::invalid(name, "null", "Value must be non-null"))
                }
                Value::Short(v) => f64::from(*v),
                Value::Int(v) => f64::from(*v),
                Value::Long(v) => *v as f64,
                Value::Double(v) => *v,
                other => unreachable!("a range on {name}: {other:?}"),
            };
            if n < min as f64 {
                return Err(ConfigError::invalid(
                    name,
                    &value.to_string(),
                    &format!("Value must be at least {min}"),
                ));
            }
            Ok(())
        }
        Validator::OneOf(valid) => one_of(name, &value.to_string(), valid),
        Validator::EachOneOf(valid) => match value {
            Value::List(items) => items.iter().try_for_each(|s| one_of(name, s, valid)),
            other => unreachable!("a list validator on {name}: {other:?}"),
        },
        Validator::ApiVersion => {
            let s = value.to_string();
            match api_version(&s) {
                Some(_) => Ok(()),
                None => Err(ConfigError::invalid(
                    name,
                    &s,
                    &format!("Version `{s}` is not a valid version"),
                )),
            }
        }
        Validator::QuorumVoters => match value {
            Value::List(items) => quorum_voters(items),
            other => unreachable!("a voters validator on {name}: {other:?}"),
        },
        Validator::Range(..) | Validator::NonEmptyCsv => unreachable!("0.8.0 validators"),
    }
}

fn one_of(name: &str, s: &str, valid: &[&str]) -> Result<(), ConfigError> {
    if valid.contains(&s) {
        Ok(())
    } else {
        Err(ConfigError::invalid(
            name,
            s,
            &format!("String must be one of: {}", valid.join(", ")),
        ))
    }
}

/// `RaftConfig.parseVoterConnections` (raft/.../RaftConfig.java @2.8.2
/// lines 200-240), which the validator of `controller.quorum.voters` runs.
fn quorum_voters(entries: &[String]) -> Result<(), ConfigError> {
    const NAME: &str = "controller.quorum.voters";
    const FORM: &str = "Each entry should be in the form `{id}@{host}:{port}`.";
    static HOST_PORT: OnceLock<Regex> = OnceLock::new();
    let host_port = HOST_PORT.get_or_init(|| {
        // Utils.HOST_PORT_PATTERN, `.*?\[?([0-9a-zA-Z\-%._:]*)\]?:([0-9]+)`, matched whole.
        Regex::new(r"^[^\n\r\x{85}\x{2028}\x{2029}]*?\[?([0-9a-zA-Z\-%._:]*)\]?:([0-9]+)$")
            .expect("the host:port pattern compiles")
    });
    for entry in entries {
        let parts = java::split_literal(entry, '@');
        if parts.len() != 2 {
            return Err(ConfigError::config(format!(
                "Invalid configuration value for {NAME}. {FORM}"
            )));
        }
        if java::parse_int(parts[0]).is_none() {
            return Err(ConfigError::config(format!(
                "Failed to parse voter ID as an integer from {}",
                parts[0]
            )));
        }
        let Some(caps) = host_port.captures(parts[1]) else {
            return Err(ConfigError::config(format!(
                "Failed to parse host name from entry {entry} for the configuration {NAME}. {FORM}"
            )));
        };
        let port = java::parse_int(&caps[2]).ok_or_else(|| ConfigError::number_format(&caps[2]))?;
        if port > 0xFFFF {
            // `new InetSocketAddress(host, port)`.
            return Err(ConfigError::new(
                ILLEGAL_ARGUMENT,
                format!("port out of range:{port}"),
            ));
        }
    }
    Ok(())
}

impl Values<'_> {
    /// `logRollTimeMillis`: `log.roll.ms`, else `log.roll.hours` in ms.
    pub fn log_roll_ms(&self) -> i64 {
        self.opt_long("log.roll.ms")
            .unwrap_or_else(|| 3_600_000i64.wrapping_mul(self.int("log.roll.hours").into()))
    }

    /// `logRollTimeJitterMillis`.
    pub fn log_roll_jitter_ms(&self) -> i64 {
        self.opt_long("log.roll.jitter.ms")
            .unwrap_or_else(|| 3_600_000i64.wrapping_mul(self.int("log.roll.jitter.hours").into()))
    }

    /// `logRetentionTimeMillis`: `log.retention.ms`, else
    /// `log.retention.minutes`, else `log.retention.hours`; any negative
    /// result means unlimited, `-1`.
    pub fn log_retention_ms(&self) -> i64 {
        let millis = self.opt_long("log.retention.ms").unwrap_or_else(|| {
            match self.opt_int("log.retention.minutes") {
                Some(minutes) => 60_000i64.wrapping_mul(minutes.into()),
                None => i64::from(self.int("log.retention.hours")).wrapping_mul(3_600_000),
            }
        });
        if millis < 0 {
            -1
        } else {
            millis
        }
    }

    /// `logDirs`: `log.dirs`, else `log.dir`, as `CoreUtils.parseCsvList`.
    pub fn log_dirs(&self) -> Vec<String> {
        let text = self
            .string("log.dirs")
            .or_else(|| self.string("log.dir"))
            .unwrap_or("");
        super::v0_8_0::csv_list(text)
    }

    /// `brokerId`: `node.id` when set (KRaft), else `broker.id`.
    pub fn broker_id(&self) -> i32 {
        let node_id = self.int("node.id");
        if node_id < 0 {
            self.int("broker.id")
        } else {
            node_id
        }
    }

    pub fn process_roles(&self) -> &[String] {
        self.list("process.roles").unwrap_or(&[])
    }

    fn requires_zookeeper(&self) -> bool {
        self.process_roles().is_empty()
    }
}

/// The `val`s of `class KafkaConfig` that can throw, in the class's order;
/// returns `maxConnectionsPerIpOverrides`.
fn class_body(v: &Values) -> Result<Vec<(String, i32)>, ConfigError> {
    let roles = v.process_roles();
    let mut distinct: Vec<&String> = Vec::new();
    for role in roles {
        if !distinct.contains(&role) {
            distinct.push(role);
        }
    }
    if distinct.len() != roles.len() {
        let names: Vec<&str> = roles
            .iter()
            .map(|r| {
                if r == "broker" {
                    "BrokerRole"
                } else {
                    "ControllerRole"
                }
            })
            .collect();
        return Err(ConfigError::config(format!(
            "Duplicate role names found in `process.roles`: ArrayBuffer({})",
            names.join(", ")
        )));
    }
    // `AuthorizerUtils.createAuthorizer(className)`.
    if let Some(class) = v.string("authorizer.class.name").filter(|c| !c.is_empty()) {
        if !matches!(
            class,
            "kafka.security.authorizer.AclAuthorizer" | "kafka.security.auth.SimpleAclAuthorizer"
        ) {
            return Err(if known_class(class).is_some() {
                ConfigError::config("Authorizer does not implement org.apache.kafka.server.authorizer.Authorizer or kafka.security.auth.Authorizer.")
            } else {
                ConfigError::new("java.lang.ClassNotFoundException", class)
            });
        }
    }
    let overrides_text = v.string("max.connections.per.ip.overrides").unwrap_or("");
    let mut overrides = Vec::new();
    for (host, count) in listeners::csv_map("max.connections.per.ip.overrides", overrides_text)? {
        // `.map { case (k, v) => (k, v.toInt) }`, unwrapped.
        let n = java::parse_int(&count).ok_or_else(|| ConfigError::number_format(&count))?;
        overrides.push((host, n));
    }
    let codec = v.int("offsets.topic.compression.codec");
    if !(0..=4).contains(&codec) {
        return Err(ConfigError::new(
            "kafka.common.UnknownCodecException",
            format!("{codec} is an unknown compression codec"),
        ));
    }
    Ok(overrides)
}

/// `KafkaConfig.validateValues()`: its checks in its order, in four parts.
fn validate_values(
    v: &Values,
    props: &Props,
    max_connections_per_ip_overrides: Vec<(String, i32)>,
) -> Result<Derived, ConfigError> {
    validate_broker_id(v)?;
    validate_logs_and_replication(v)?;
    let checked = listeners::validate(v, props)?;
    let (inter_broker_name, inter_broker_protocol) =
        validate_protocols(v, props, checked.inter_broker.clone())?;
    validate_connections(v, &max_connections_per_ip_overrides)?;
    Ok(Derived {
        listeners: checked.listeners,
        advertised_listeners: checked.advertised,
        listener_security_protocol_map: checked.protocol_map,
        inter_broker_listener_name: inter_broker_name,
        inter_broker_security_protocol: inter_broker_protocol,
        control_plane_listener_name: checked.control_plane,
        max_connections_per_ip_overrides,
    })
}

fn validate_broker_id(v: &Values) -> Result<(), ConfigError> {
    let broker_id = v.broker_id();
    if !v.requires_zookeeper() {
        if broker_id < 0 {
            return Err(ConfigError::config(
                "Missing configuration `node.id` which is required when `process.roles` is defined (i.e. when running in KRaft mode).",
            ));
        }
        return Ok(());
    }
    if v.string("zookeeper.connect").is_none() {
        return Err(ConfigError::config(
            "Missing required configuration `zookeeper.connect` which has no default value.",
        ));
    }
    if v.boolean("broker.id.generation.enable") {
        require(
            broker_id >= -1 && broker_id <= v.int("reserved.broker.max.id"),
            || {
                "broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id".into()
            },
        )
    } else {
        require(broker_id >= 0, || {
            "broker.id must be greater than or equal to 0".into()
        })
    }
}

fn validate_logs_and_replication(v: &Values) -> Result<(), ConfigError> {
    require(v.log_roll_ms() >= 1, || {
        "log.roll.ms must be greater than or equal to 1".into()
    })?;
    require(v.log_roll_jitter_ms() >= 0, || {
        "log.roll.jitter.ms must be greater than or equal to 0".into()
    })?;
    let retention = v.log_retention_ms();
    require(retention >= 1 || retention == -1, || {
        "log.retention.ms must be unlimited (-1) or, greater than or equal to 1".into()
    })?;
    require(!v.log_dirs().is_empty(), || {
        "At least one log directory must be defined via log.dirs or log.dir.".into()
    })?;
    let cleaner_threads = v.int("log.cleaner.threads");
    if cleaner_threads == 0 {
        // `logCleanerDedupeBufferSize / logCleanerThreads`: a Long divided by 0.
        return Err(ConfigError::new(
            "java.lang.ArithmeticException",
            "/ by zero",
        ));
    }
    require(
        v.long("log.cleaner.dedupe.buffer.size")
            .wrapping_div(cleaner_threads.into())
            > 1024 * 1024,
        || "log.cleaner.dedupe.buffer.size must be at least 1MB per cleaner thread.".into(),
    )?;
    let fetch_wait = v.int("replica.fetch.wait.max.ms");
    require(fetch_wait <= v.int("replica.socket.timeout.ms"), || {
        "replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent unnecessary socket timeouts".into()
    })?;
    require(
        i64::from(fetch_wait) <= v.long("replica.lag.time.max.ms"),
        || {
            "replica.fetch.wait.max.ms should always be less than or equal to replica.lag.time.max.ms to prevent frequent changes in ISR".into()
        },
    )?;
    let acks = v.short("offsets.commit.required.acks");
    require(
        acks >= -1 && acks <= v.short("offsets.topic.replication.factor"),
        || {
            "offsets.commit.required.acks must be greater or equal -1 and less or equal to offsets.topic.replication.factor".into()
        },
    )?;
    // BrokerCompressionCodec.brokerCompressionOptions, compared lower-cased.
    const BROKER_COMPRESSION: [&str; 6] =
        ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"];
    let compression = v.string("compression.type").unwrap_or("");
    require(
        BROKER_COMPRESSION.contains(&compression.to_lowercase().as_str()),
        || {
            format!(
                "compression.type : {compression} is not valid. Valid options are {}",
                BROKER_COMPRESSION.join(",")
            )
        },
    )
}

/// The record format and SASL checks; returns the inter-broker listener.
fn validate_protocols(
    v: &Values,
    props: &Props,
    inter_broker: Result<(String, SecurityProtocol), ConfigError>,
) -> Result<(String, SecurityProtocol), ConfigError> {
    let format_string = v.string("log.message.format.version").unwrap_or("");
    let (_, format) = api_version(format_string).expect("validated by ApiVersionValidator");
    let ibp_string = v.string("inter.broker.protocol.version").unwrap_or("");
    let (ibp_id, ibp) = api_version(ibp_string).expect("validated by ApiVersionValidator");
    require(ibp.record_version >= format.record_version, || {
        // ApiVersion.minSupportedFor(recordVersion).shortVersion
        let min = match format.record_version {
            0 => "0.8.0",
            1 => "0.10.0",
            _ => "0.11.0",
        };
        format!(
            "log.message.format.version {format_string} can only be used when inter.broker.protocol.version is set to version {min} or higher"
        )
    })?;
    if v.int("offsets.topic.compression.codec") == 4 {
        require(ibp.record_version >= 2, || {
            "offsets.topic.compression.codec zstd can only be used when inter.broker.protocol.version is set to version 2.1 or higher".into()
        })?;
    }
    let (inter_broker_name, inter_broker_protocol) = inter_broker?;
    let sasl = inter_broker_protocol.uses_sasl();
    let mechanism = v
        .string("sasl.mechanism.inter.broker.protocol")
        .unwrap_or("");
    // saslInterBrokerHandshakeRequestEnable: ibp >= 0.10.0-IV1.
    let handshake = ibp_id >= 5;
    require(!sasl || handshake || mechanism == "GSSAPI", || {
        format!(
            "Only GSSAPI mechanism is supported for inter-broker communication with SASL when inter.broker.protocol.version is set to {ibp_string}"
        )
    })?;
    if sasl {
        let enabled = sasl_enabled_mechanisms(v, props, &inter_broker_name)?;
        require(enabled.iter().any(|m| m == mechanism), || {
            "sasl.mechanism.inter.broker.protocol must be included in sasl.enabled.mechanisms when SASL is used for inter-broker communication".into()
        })?;
    }
    Ok((inter_broker_name, inter_broker_protocol))
}

/// The request-size and connection-limit checks.
fn validate_connections(v: &Values, overrides: &[(String, i32)]) -> Result<(), ConfigError> {
    let queued = v.long("queued.max.request.bytes");
    require(
        queued <= 0 || queued >= v.int("socket.request.max.bytes").into(),
        || "queued.max.request.bytes must be larger or equal to socket.request.max.bytes".into(),
    )?;
    if v.int("max.connections.per.ip") == 0 {
        require(!overrides.is_empty(), || {
            "max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides property is set.".into()
        })?;
    }
    let invalid: Vec<&str> = overrides
        .iter()
        .map(|(host, _)| host.as_str())
        .filter(|host| !valid_host_pattern(host))
        .collect();
    if !invalid.is_empty() {
        return Err(ConfigError::new(
            ILLEGAL_ARGUMENT,
            format!(
                "max.connections.per.ip.overrides contains invalid addresses : {}",
                invalid.join(",")
            ),
        ));
    }
    let idle = v.long("connections.max.idle.ms");
    let delay = v.int("connection.failed.authentication.delay.ms");
    if idle >= 0 {
        require(i64::from(delay) < idle, || {
            format!(
                "connection.failed.authentication.delay.ms={delay} should always be less than connections.max.idle.ms={idle} to prevent failed authentication responses from timing out"
            )
        })?;
    }
    Ok(())
}

/// `Utils.validHostPattern`: `[0-9a-zA-Z\-%._:]*`.
fn valid_host_pattern(host: &str) -> bool {
    host.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '%' | '.' | '_' | ':'))
}

/// `saslEnabledMechanisms(listenerName)`: `valuesWithPrefixOverride` of the
/// listener's prefix `listener.name.<name>.`, which parses every original
/// key under the prefix that names a setting.
fn sasl_enabled_mechanisms(
    v: &Values,
    props: &Props,
    listener: &str,
) -> Result<Vec<String>, ConfigError> {
    let prefix = format!("listener.name.{}.", listener.to_lowercase());
    let mut enabled = v.list("sasl.enabled.mechanisms").unwrap_or(&[]).to_vec();
    for (key, raw) in props.entries() {
        let Some(rest) = key.strip_prefix(&prefix).filter(|r| !r.is_empty()) else {
            continue;
        };
        let Some(def) = V2_8_2.iter().find(|d| d.name == rest) else {
            continue;
        };
        let value = parse_type(def.name, raw, def.ty)?;
        validate(def, &value)?;
        if rest == "sasl.enabled.mechanisms" {
            enabled = match value {
                Value::List(items) => items,
                _ => Vec::new(),
            };
        }
    }
    Ok(enabled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions_resolve_as_kafka_does() {
        assert_eq!(api_version("2.8").unwrap().1.version, "2.8-IV1");
        assert_eq!(api_version("2.8.2").unwrap().1.version, "2.8-IV1");
        assert_eq!(api_version("0.10.0").unwrap().1.version, "0.10.0-IV1");
        assert_eq!(api_version("0.8.2.1").unwrap().1.version, "0.8.2");
        assert_eq!(api_version("2.8-IV0").unwrap().0, 31);
        assert!(api_version("3.0").is_none());
        assert!(api_version("").is_none());
    }

    #[test]
    fn parse_type_messages() {
        let e = parse_type("broker.id", "abc", Type::Int).unwrap_err();
        assert_eq!(
            e.to_string(),
            "org.apache.kafka.common.config.ConfigException: Invalid value abc for configuration broker.id: Not a number of type INT"
        );
        assert_eq!(
            parse_type("x", " TrUe ", Type::Boolean).unwrap(),
            Value::Boolean(true)
        );
        assert_eq!(
            parse_type("x", "a, b,,", Type::List).unwrap(),
            Value::List(vec!["a".into(), "b".into(), "".into(), "".into()])
        );
        assert_eq!(
            parse_type("x", "Foo", Type::Class)
                .unwrap_err()
                .message
                .as_deref(),
            Some("Invalid value Foo for configuration x: Class Foo could not be found.")
        );
    }
}
