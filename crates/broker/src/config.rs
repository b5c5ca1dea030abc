//! The broker's configuration, read as each release reads `server.properties`.
//!
//! [`KafkaConfig::parse`] takes the file's text, the `--override` pairs and
//! the [`Release`], and gives the typed [`KafkaConfig`] with the log lines the
//! broker prints while reading it, or the [`ConfigError`] it dies of. The two
//! releases read the file very differently, and both ways are kept:
//!
//! - **0.8.0** (`kafka.utils.VerifiableProperties`): values as written (a
//!   trailing blank makes `broker.id=0 ` a `NumberFormatException`), ranges
//!   checked with Scala's `require`, and after reading, one log line per key
//!   of the file: `Property X is overridden to V`, or `Property X is not
//!   valid` for a key nobody read ([`v0_8_0`]).
//! - **2.8.2** (`org.apache.kafka.common.config.ConfigDef` and
//!   `kafka.server.KafkaConfig`): values trimmed and typed, validators and
//!   `validateValues` with their exact messages, unknown keys silently kept,
//!   nothing logged while reading; the `KafkaConfig values:` block comes
//!   later, at startup ([`KafkaConfig::values_block`]) ([`v2_8_2`]).
//!
//! The settings themselves are data, one table per release ([`defs`]).
//! [`parse_args`] reads the command line of `kafka.Kafka` for each release.
//!
//! **Architecture invariant:** pure. No clock, no files: the caller reads the
//! file and hands over its text.

pub mod api_version;
pub mod args;
pub mod defs;
pub mod error;
pub mod java;
pub mod listeners;
pub mod properties;
pub mod v0_8_0;
pub mod v2_8_2;

use std::collections::BTreeMap;
use std::fmt;

use distribution::Release;

pub use args::{parse_args, KafkaArgs, UsageError};
pub use error::{ConfigError, FatalLines, FileProblem, Level, LogLine};
pub use listeners::{EndPoint, SecurityProtocol};

/// The logger of 2.8.2's `KafkaConfig values:` block: `AbstractConfig`'s
/// `LoggerFactory.getLogger(getClass())` (AbstractConfig.java @2.8.2 line
/// 43) names the runtime class.
pub const KAFKA_CONFIG_LOGGER: &str = "kafka.server.KafkaConfig";

/// A setting's value, as the release holds it after reading.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Boolean(bool),
    Short(i16),
    Int(i32),
    Long(i64),
    Double(f64),
    Str(String),
    List(Vec<String>),
    /// Printed as `[hidden]`.
    Password(String),
    /// A class name (2.8.2 loads the class while reading).
    Class(String),
    /// 0.8.0's per-topic maps (`topic1:1000, topic2:3000`).
    Map(Vec<(String, i64)>),
}

impl fmt::Display for Value {
    /// Java's `toString` of the value, as 2.8.2's `KafkaConfig values:`
    /// block prints it: `null`, `[a, b]`, `[hidden]`, `class org.…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Boolean(b) => write!(f, "{b}"),
            Value::Short(v) => write!(f, "{v}"),
            Value::Int(v) => write!(f, "{v}"),
            Value::Long(v) => write!(f, "{v}"),
            Value::Double(v) => f.write_str(&java::double_to_string(*v)),
            Value::Str(s) => f.write_str(s),
            Value::List(items) => write!(f, "[{}]", items.join(", ")),
            Value::Password(_) => f.write_str("[hidden]"),
            Value::Class(name) => match v2_8_2::known_class(name) {
                Some(true) => write!(f, "interface {name}"),
                _ => write!(f, "class {name}"),
            },
            Value::Map(entries) => {
                let inner: Vec<String> =
                    entries.iter().map(|(k, v)| format!("{k} -> {v}")).collect();
                write!(f, "Map({})", inner.join(", "))
            }
        }
    }
}

/// The `java.util.Properties` the broker builds: every `put`, in order (the
/// file's lines, then the overrides).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Props {
    puts: Vec<(String, String)>,
}

impl Props {
    pub fn new(puts: Vec<(String, String)>) -> Props {
        Props { puts }
    }

    /// `getProperty(key)`: the last value put.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.puts
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The keys of every put, in order.
    pub fn put_order(&self) -> Vec<&str> {
        self.puts.iter().map(|(k, _)| k.as_str()).collect()
    }

    /// Each key once, in the order first put, with its last value.
    pub fn entries(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        for (k, _) in &self.puts {
            if !out.iter().any(|(seen, _)| seen == k) {
                out.push((k, self.get(k).unwrap_or_default()));
            }
        }
        out
    }
}

/// Typed access to resolved values, by setting name (a name that is not in
/// the release's table is a bug, and panics).
pub(crate) struct Values<'a>(pub &'a BTreeMap<&'static str, Value>);

impl Values<'_> {
    fn get(&self, name: &str) -> &Value {
        self.0
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not a setting of this release"))
    }

    pub fn int(&self, name: &str) -> i32 {
        self.opt_int(name)
            .unwrap_or_else(|| panic!("{name} is null"))
    }

    pub fn opt_int(&self, name: &str) -> Option<i32> {
        match self.get(name) {
            Value::Int(v) => Some(*v),
            Value::Null => None,
            other => panic!("{name} is not an INT: {other:?}"),
        }
    }

    pub fn short(&self, name: &str) -> i16 {
        match self.get(name) {
            Value::Short(v) => *v,
            other => panic!("{name} is not a SHORT: {other:?}"),
        }
    }

    pub fn long(&self, name: &str) -> i64 {
        self.opt_long(name)
            .unwrap_or_else(|| panic!("{name} is null"))
    }

    pub fn opt_long(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Value::Long(v) => Some(*v),
            Value::Int(v) => Some((*v).into()),
            Value::Null => None,
            other => panic!("{name} is not a LONG: {other:?}"),
        }
    }

    pub fn boolean(&self, name: &str) -> bool {
        match self.get(name) {
            Value::Boolean(v) => *v,
            other => panic!("{name} is not a BOOLEAN: {other:?}"),
        }
    }

    pub fn string(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Value::Str(s) | Value::Password(s) | Value::Class(s) => Some(s),
            Value::Null => None,
            other => panic!("{name} is not a STRING: {other:?}"),
        }
    }

    pub fn list(&self, name: &str) -> Option<&[String]> {
        match self.get(name) {
            Value::List(items) => Some(items),
            Value::Null => None,
            other => panic!("{name} is not a LIST: {other:?}"),
        }
    }

    fn map(&self, name: &str) -> BTreeMap<String, i64> {
        match self.get(name) {
            Value::Map(entries) => entries.iter().cloned().collect(),
            other => panic!("{name} is not a per-topic map: {other:?}"),
        }
    }
}

/// A configuration as the broker has read it, with what it printed.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub config: KafkaConfig,
    /// The log lines printed while reading, in order. 0.8.0: `Verifying
    /// properties` and one line per key. 2.8.2: none (`Kafka.scala` @2.8.2
    /// line 67 builds the config with `doLog = false`).
    pub log: Vec<LogLine>,
}

/// A broker's configuration, typed, with each release's defaults.
///
/// Fields are named after Kafka's settings, units in the names. A setting
/// only one release has is an `Option`, `None` for the other release; the
/// field's documentation says which. Every value, typed, is also available
/// by name through [`KafkaConfig::get`].
#[derive(Clone, Debug, PartialEq)]
pub struct KafkaConfig {
    pub release: Release,

    // ZooKeeper.
    /// `None` only in 2.8.2's KRaft mode (`process.roles` set).
    pub zookeeper_connect: Option<String>,
    pub zookeeper_session_timeout_ms: i32,
    /// The effective value: `zookeeper.connection.timeout.ms`, else the
    /// session timeout (both releases).
    pub zookeeper_connection_timeout_ms: i32,
    pub zookeeper_sync_time_ms: i32,

    // General.
    /// 2.8.2: `node.id` when set (KRaft), else `broker.id` (default -1: generated).
    pub broker_id: i32,
    /// 2.8.2 only.
    pub broker_id_generation_enable: Option<bool>,
    /// 2.8.2 only.
    pub reserved_broker_max_id: Option<i32>,
    /// 2.8.2 only: empty in ZooKeeper mode.
    pub process_roles: Vec<String>,
    pub message_max_bytes: i32,
    pub num_network_threads: i32,
    pub num_io_threads: i32,
    /// 2.8.2 only.
    pub background_threads: Option<i32>,
    pub queued_max_requests: i32,

    // Socket server.
    pub port: i32,
    /// `None` when unset (0.8.0: bind every interface); 2.8.2's default is `""`.
    pub host_name: Option<String>,
    /// 2.8.2 only: the listeners the broker binds (from `listeners`, else
    /// `PLAINTEXT://host.name:port`).
    pub listeners: Option<Vec<EndPoint>>,
    /// 2.8.2 only.
    pub advertised_host_name: Option<String>,
    /// 2.8.2 only.
    pub advertised_port: Option<i32>,
    /// 2.8.2 only: the effective advertised listeners.
    pub advertised_listeners: Option<Vec<EndPoint>>,
    /// 2.8.2 only, upper-cased listener names.
    pub listener_security_protocol_map: Option<Vec<(String, SecurityProtocol)>>,
    /// 2.8.2 only: the effective inter-broker listener name.
    pub inter_broker_listener_name: Option<String>,
    /// 2.8.2 only.
    pub inter_broker_security_protocol: Option<SecurityProtocol>,
    pub socket_send_buffer_bytes: i32,
    pub socket_receive_buffer_bytes: i32,
    pub socket_request_max_bytes: i32,

    // Log.
    pub log_dirs: Vec<String>,
    pub num_partitions: i32,
    pub log_segment_bytes: i32,
    pub log_roll_hours: i32,
    /// Effective: 2.8.2's `log.roll.ms` when set, else the hours in ms.
    pub log_roll_ms: i64,
    pub log_retention_hours: i32,
    /// 2.8.2 only, `None` unless set.
    pub log_retention_minutes: Option<i32>,
    /// Effective: 0.8.0 the hours in ms; 2.8.2 `log.retention.ms`, else the
    /// minutes, else the hours, `-1` for unlimited.
    pub log_retention_ms: i64,
    pub log_retention_bytes: i64,
    /// 0.8.0: `log.cleanup.interval.mins` in ms; 2.8.2:
    /// `log.retention.check.interval.ms`.
    pub log_retention_check_interval_ms: i64,
    /// 0.8.0 only.
    pub log_cleanup_interval_mins: Option<i32>,
    pub log_flush_interval_messages: i64,
    /// Effective: `log.flush.interval.ms`, else the scheduler interval.
    pub log_flush_interval_ms: i64,
    pub log_flush_scheduler_interval_ms: i64,
    pub log_index_size_max_bytes: i32,
    pub log_index_interval_bytes: i32,
    /// 2.8.2 only.
    pub log_message_format_version: Option<String>,
    /// 2.8.2 only (0.8.0 has no log cleaner).
    pub log_cleaner_enable: Option<bool>,
    /// 2.8.2 only (0.8.0 only deletes).
    pub log_cleanup_policy: Option<Vec<String>>,
    /// 2.8.2 only.
    pub num_recovery_threads_per_data_dir: Option<i32>,
    /// 0.8.0 only: the per-topic overrides (empty unless set).
    pub log_segment_bytes_per_topic: BTreeMap<String, i64>,
    pub log_roll_hours_per_topic: BTreeMap<String, i64>,
    pub log_retention_hours_per_topic: BTreeMap<String, i64>,
    pub log_retention_bytes_per_topic: BTreeMap<String, i64>,
    pub log_flush_interval_ms_per_topic: BTreeMap<String, i64>,
    pub auto_create_topics_enable: bool,
    /// 2.8.2 only.
    pub min_insync_replicas: Option<i32>,

    // Replication.
    pub controller_socket_timeout_ms: i32,
    /// 0.8.0 only.
    pub controller_message_queue_size: Option<i32>,
    pub default_replication_factor: i32,
    pub replica_lag_time_max_ms: i64,
    /// 0.8.0 only: a follower this many messages behind leaves the ISR.
    pub replica_lag_max_messages: Option<i64>,
    pub replica_socket_timeout_ms: i32,
    pub replica_socket_receive_buffer_bytes: i32,
    pub replica_fetch_max_bytes: i32,
    pub replica_fetch_wait_max_ms: i32,
    pub replica_fetch_min_bytes: i32,
    /// 2.8.2 only.
    pub replica_fetch_backoff_ms: Option<i32>,
    /// 2.8.2 only.
    pub replica_fetch_response_max_bytes: Option<i32>,
    pub num_replica_fetchers: i32,
    pub replica_high_watermark_checkpoint_interval_ms: i64,
    pub fetch_purgatory_purge_interval_requests: i32,
    pub producer_purgatory_purge_interval_requests: i32,
    /// 2.8.2 only (0.8.0 has no automatic leader rebalance).
    pub auto_leader_rebalance_enable: Option<bool>,
    /// 2.8.2 only.
    pub leader_imbalance_per_broker_percentage: Option<i32>,
    /// 2.8.2 only.
    pub leader_imbalance_check_interval_seconds: Option<i64>,
    /// 0.8.0 has no such setting and always elects an out-of-sync replica
    /// when no in-sync one is alive (true); 2.8.2's default is false.
    pub unclean_leader_election_enable: bool,
    /// 2.8.2 only.
    pub inter_broker_protocol_version: Option<String>,

    // Controlled shutdown.
    pub controlled_shutdown_enable: bool,
    pub controlled_shutdown_max_retries: i32,
    pub controlled_shutdown_retry_backoff_ms: i64,

    // Group coordinator and offsets (2.8.2 only; 0.8.0 keeps consumer
    // offsets in ZooKeeper).
    pub group_min_session_timeout_ms: Option<i32>,
    pub group_max_session_timeout_ms: Option<i32>,
    pub group_initial_rebalance_delay_ms: Option<i32>,
    pub group_max_size: Option<i32>,
    pub offset_metadata_max_bytes: Option<i32>,
    pub offsets_load_buffer_size: Option<i32>,
    pub offsets_topic_replication_factor: Option<i16>,
    pub offsets_topic_num_partitions: Option<i32>,
    pub offsets_topic_segment_bytes: Option<i32>,
    pub offsets_topic_compression_codec: Option<i32>,
    pub offsets_retention_minutes: Option<i32>,
    pub offsets_retention_check_interval_ms: Option<i64>,
    pub offsets_commit_timeout_ms: Option<i32>,
    pub offsets_commit_required_acks: Option<i16>,

    // Transactions (2.8.2 only).
    pub transactional_id_expiration_ms: Option<i32>,
    pub transaction_max_timeout_ms: Option<i32>,
    pub transaction_state_log_min_isr: Option<i32>,
    pub transaction_state_log_replication_factor: Option<i16>,
    pub transaction_state_log_num_partitions: Option<i32>,
    pub transaction_state_log_segment_bytes: Option<i32>,

    /// 2.8.2 only (0.8.0 cannot delete topics).
    pub delete_topic_enable: Option<bool>,
    /// 2.8.2 only.
    pub compression_type: Option<String>,
    /// 2.8.2 only.
    pub fetch_max_bytes: Option<i32>,

    /// Every setting of the release's table, resolved.
    values: BTreeMap<&'static str, Value>,
    /// The keys and values as given (file, then overrides).
    originals: Props,
}

impl KafkaConfig {
    /// Reads `text` (a `server.properties`) and the `--override` pairs the
    /// way `release`'s broker does.
    ///
    /// Both releases load the file with `Properties.load(InputStream)`, which
    /// reads bytes as ISO-8859-1: a non-ASCII char in the file arrives as its
    /// UTF-8 bytes, one char each (`é` becomes `Ã©`), as on a real broker.
    /// Overrides come from the command line and arrive as typed. 0.8.0 has
    /// no `--override` ([`parse_args`] never returns any for it); given
    /// some anyway, they are applied like file lines that come last.
    pub fn parse(
        release: Release,
        text: &str,
        overrides: &[(String, String)],
    ) -> Result<Parsed, ConfigError> {
        let mut puts = properties::load(&properties::latin1(text))
            .map_err(|message| ConfigError::new(error::ILLEGAL_ARGUMENT, message))?;
        puts.extend(overrides.iter().cloned());
        let props = Props::new(puts);
        match release {
            Release::V0_8_0 => {
                let (values, log) = v0_8_0::read(&props)?;
                Ok(Parsed {
                    config: build_0_8_0(values, props),
                    log,
                })
            }
            Release::V2_8_2 => {
                let (values, derived) = v2_8_2::read(&props)?;
                Ok(Parsed {
                    config: build_2_8_2(values, derived, props),
                    log: Vec::new(),
                })
            }
        }
    }

    /// A setting of the release by name (`None` if the release has no such
    /// setting), as the release resolved it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// Every setting of the release, by name.
    pub fn values(&self) -> &BTreeMap<&'static str, Value> {
        &self.values
    }

    /// The properties as given: the file's keys, then the overrides,
    /// including keys that are no setting.
    pub fn originals(&self) -> &Props {
        &self.originals
    }

    /// 2.8.2's `KafkaConfig values:` block (`AbstractConfig.logAll`,
    /// AbstractConfig.java @2.8.2 lines 359-373): every setting, sorted by
    /// name, one `\tname = value` line each, at INFO from the logger
    /// `kafka.server.KafkaConfig` ([`KAFKA_CONFIG_LOGGER`]). The message ends with
    /// a line break, so log4j's ` (logger)` lands on a line of its own.
    ///
    /// It is not printed while the config is read. `KafkaServer.startup`
    /// prints it twice, right after `Cluster ID = …`: `dynamicConfig.initialize`
    /// (KafkaServer.scala @2.8.2 line 227) applies the cluster-default and
    /// then the per-broker dynamic configs from ZooKeeper, and each builds a
    /// `new KafkaConfig(props, doLog = true)` (DynamicBrokerConfig.scala
    /// @2.8.2 lines 302-311, 291-300, 531). Dynamic configs from ZooKeeper
    /// would change the values shown; this block is the static config's.
    ///
    /// 0.8.0 prints no such block: `None`.
    pub fn values_block(&self) -> Option<LogLine> {
        if self.release != Release::V2_8_2 {
            return None;
        }
        let mut message = String::from("KafkaConfig values: \n");
        for (name, value) in &self.values {
            message.push_str(&format!("\t{name} = {value}\n"));
        }
        Some(LogLine::new(Level::Info, KAFKA_CONFIG_LOGGER, message))
    }
}

fn build_0_8_0(values: BTreeMap<&'static str, Value>, originals: Props) -> KafkaConfig {
    let v = Values(&values);
    let hours_ms = |hours: i32| 3_600_000i64 * i64::from(hours);
    let log_dirs = v0_8_0::csv_list(v.string("log.dirs").unwrap_or(""));
    KafkaConfig {
        release: Release::V0_8_0,
        zookeeper_connect: v.string("zookeeper.connect").map(str::to_owned),
        zookeeper_session_timeout_ms: v.int("zookeeper.session.timeout.ms"),
        zookeeper_connection_timeout_ms: v.int("zookeeper.connection.timeout.ms"),
        zookeeper_sync_time_ms: v.int("zookeeper.sync.time.ms"),
        broker_id: v.int("broker.id"),
        broker_id_generation_enable: None,
        reserved_broker_max_id: None,
        process_roles: Vec::new(),
        message_max_bytes: v.int("message.max.bytes"),
        num_network_threads: v.int("num.network.threads"),
        num_io_threads: v.int("num.io.threads"),
        background_threads: None,
        queued_max_requests: v.int("queued.max.requests"),
        port: v.int("port"),
        host_name: v.string("host.name").map(str::to_owned),
        listeners: None,
        advertised_host_name: None,
        advertised_port: None,
        advertised_listeners: None,
        listener_security_protocol_map: None,
        inter_broker_listener_name: None,
        inter_broker_security_protocol: None,
        socket_send_buffer_bytes: v.int("socket.send.buffer.bytes"),
        socket_receive_buffer_bytes: v.int("socket.receive.buffer.bytes"),
        socket_request_max_bytes: v.int("socket.request.max.bytes"),
        log_dirs,
        num_partitions: v.int("num.partitions"),
        log_segment_bytes: v.int("log.segment.bytes"),
        log_roll_hours: v.int("log.roll.hours"),
        log_roll_ms: hours_ms(v.int("log.roll.hours")),
        log_retention_hours: v.int("log.retention.hours"),
        log_retention_minutes: None,
        log_retention_ms: hours_ms(v.int("log.retention.hours")),
        log_retention_bytes: v.long("log.retention.bytes"),
        // LogManager @0.8.0 line 54: `1000L * 60 * config.logCleanupIntervalMins`.
        log_retention_check_interval_ms: 60_000 * i64::from(v.int("log.cleanup.interval.mins")),
        log_cleanup_interval_mins: Some(v.int("log.cleanup.interval.mins")),
        log_flush_interval_messages: v.int("log.flush.interval.messages").into(),
        log_flush_interval_ms: v.int("log.flush.interval.ms").into(),
        log_flush_scheduler_interval_ms: v.int("log.flush.scheduler.interval.ms").into(),
        log_index_size_max_bytes: v.int("log.index.size.max.bytes"),
        log_index_interval_bytes: v.int("log.index.interval.bytes"),
        log_message_format_version: None,
        log_cleaner_enable: None,
        log_cleanup_policy: None,
        num_recovery_threads_per_data_dir: None,
        log_segment_bytes_per_topic: v.map("log.segment.bytes.per.topic"),
        log_roll_hours_per_topic: v.map("log.roll.hours.per.topic"),
        log_retention_hours_per_topic: v.map("log.retention.hours.per.topic"),
        log_retention_bytes_per_topic: v.map("log.retention.bytes.per.topic"),
        log_flush_interval_ms_per_topic: v.map("log.flush.interval.ms.per.topic"),
        auto_create_topics_enable: v.boolean("auto.create.topics.enable"),
        min_insync_replicas: None,
        controller_socket_timeout_ms: v.int("controller.socket.timeout.ms"),
        controller_message_queue_size: Some(v.int("controller.message.queue.size")),
        default_replication_factor: v.int("default.replication.factor"),
        replica_lag_time_max_ms: v.long("replica.lag.time.max.ms"),
        replica_lag_max_messages: Some(v.long("replica.lag.max.messages")),
        replica_socket_timeout_ms: v.int("replica.socket.timeout.ms"),
        replica_socket_receive_buffer_bytes: v.int("replica.socket.receive.buffer.bytes"),
        replica_fetch_max_bytes: v.int("replica.fetch.max.bytes"),
        replica_fetch_wait_max_ms: v.int("replica.fetch.wait.max.ms"),
        replica_fetch_min_bytes: v.int("replica.fetch.min.bytes"),
        replica_fetch_backoff_ms: None,
        replica_fetch_response_max_bytes: None,
        num_replica_fetchers: v.int("num.replica.fetchers"),
        replica_high_watermark_checkpoint_interval_ms: v
            .long("replica.high.watermark.checkpoint.interval.ms"),
        fetch_purgatory_purge_interval_requests: v.int("fetch.purgatory.purge.interval.requests"),
        producer_purgatory_purge_interval_requests: v
            .int("producer.purgatory.purge.interval.requests"),
        auto_leader_rebalance_enable: None,
        leader_imbalance_per_broker_percentage: None,
        leader_imbalance_check_interval_seconds: None,
        // No setting: when no ISR replica is alive, OfflinePartitionLeaderSelector
        // (controller/PartitionLeaderSelector.scala @0.8.0 lines 54-67) elects
        // the first live assigned replica and warns of "potential data loss".
        unclean_leader_election_enable: true,
        inter_broker_protocol_version: None,
        controlled_shutdown_enable: v.boolean("controlled.shutdown.enable"),
        controlled_shutdown_max_retries: v.int("controlled.shutdown.max.retries"),
        controlled_shutdown_retry_backoff_ms: v.int("controlled.shutdown.retry.backoff.ms").into(),
        group_min_session_timeout_ms: None,
        group_max_session_timeout_ms: None,
        group_initial_rebalance_delay_ms: None,
        group_max_size: None,
        offset_metadata_max_bytes: None,
        offsets_load_buffer_size: None,
        offsets_topic_replication_factor: None,
        offsets_topic_num_partitions: None,
        offsets_topic_segment_bytes: None,
        offsets_topic_compression_codec: None,
        offsets_retention_minutes: None,
        offsets_retention_check_interval_ms: None,
        offsets_commit_timeout_ms: None,
        offsets_commit_required_acks: None,
        transactional_id_expiration_ms: None,
        transaction_max_timeout_ms: None,
        transaction_state_log_min_isr: None,
        transaction_state_log_replication_factor: None,
        transaction_state_log_num_partitions: None,
        transaction_state_log_segment_bytes: None,
        delete_topic_enable: None,
        compression_type: None,
        fetch_max_bytes: None,
        values,
        originals,
    }
}

fn build_2_8_2(
    values: BTreeMap<&'static str, Value>,
    derived: v2_8_2::Derived,
    originals: Props,
) -> KafkaConfig {
    let v = Values(&values);
    let string = |name: &str| v.string(name).map(str::to_owned);
    KafkaConfig {
        release: Release::V2_8_2,
        zookeeper_connect: string("zookeeper.connect"),
        zookeeper_session_timeout_ms: v.int("zookeeper.session.timeout.ms"),
        zookeeper_connection_timeout_ms: v
            .opt_int("zookeeper.connection.timeout.ms")
            .unwrap_or_else(|| v.int("zookeeper.session.timeout.ms")),
        zookeeper_sync_time_ms: v.int("zookeeper.sync.time.ms"),
        broker_id: v.broker_id(),
        broker_id_generation_enable: Some(v.boolean("broker.id.generation.enable")),
        reserved_broker_max_id: Some(v.int("reserved.broker.max.id")),
        process_roles: v.process_roles().to_vec(),
        message_max_bytes: v.int("message.max.bytes"),
        num_network_threads: v.int("num.network.threads"),
        num_io_threads: v.int("num.io.threads"),
        background_threads: Some(v.int("background.threads")),
        queued_max_requests: v.int("queued.max.requests"),
        port: v.int("port"),
        host_name: string("host.name"),
        listeners: Some(derived.listeners),
        advertised_host_name: string("advertised.host.name").or_else(|| string("host.name")),
        advertised_port: Some(
            v.opt_int("advertised.port")
                .unwrap_or_else(|| v.int("port")),
        ),
        advertised_listeners: Some(derived.advertised_listeners),
        listener_security_protocol_map: Some(derived.listener_security_protocol_map),
        inter_broker_listener_name: Some(derived.inter_broker_listener_name),
        inter_broker_security_protocol: Some(derived.inter_broker_security_protocol),
        socket_send_buffer_bytes: v.int("socket.send.buffer.bytes"),
        socket_receive_buffer_bytes: v.int("socket.receive.buffer.bytes"),
        socket_request_max_bytes: v.int("socket.request.max.bytes"),
        log_dirs: v.log_dirs(),
        num_partitions: v.int("num.partitions"),
        log_segment_bytes: v.int("log.segment.bytes"),
        log_roll_hours: v.int("log.roll.hours"),
        log_roll_ms: v.log_roll_ms(),
        log_retention_hours: v.int("log.retention.hours"),
        log_retention_minutes: v.opt_int("log.retention.minutes"),
        log_retention_ms: v.log_retention_ms(),
        log_retention_bytes: v.long("log.retention.bytes"),
        log_retention_check_interval_ms: v.long("log.retention.check.interval.ms"),
        log_cleanup_interval_mins: None,
        log_flush_interval_messages: v.long("log.flush.interval.messages"),
        log_flush_interval_ms: v
            .opt_long("log.flush.interval.ms")
            .unwrap_or_else(|| v.long("log.flush.scheduler.interval.ms")),
        log_flush_scheduler_interval_ms: v.long("log.flush.scheduler.interval.ms"),
        log_index_size_max_bytes: v.int("log.index.size.max.bytes"),
        log_index_interval_bytes: v.int("log.index.interval.bytes"),
        log_message_format_version: string("log.message.format.version"),
        log_cleaner_enable: Some(v.boolean("log.cleaner.enable")),
        log_cleanup_policy: v.list("log.cleanup.policy").map(<[String]>::to_vec),
        num_recovery_threads_per_data_dir: Some(v.int("num.recovery.threads.per.data.dir")),
        log_segment_bytes_per_topic: BTreeMap::new(),
        log_roll_hours_per_topic: BTreeMap::new(),
        log_retention_hours_per_topic: BTreeMap::new(),
        log_retention_bytes_per_topic: BTreeMap::new(),
        log_flush_interval_ms_per_topic: BTreeMap::new(),
        auto_create_topics_enable: v.boolean("auto.create.topics.enable"),
        min_insync_replicas: Some(v.int("min.insync.replicas")),
        controller_socket_timeout_ms: v.int("controller.socket.timeout.ms"),
        controller_message_queue_size: None,
        default_replication_factor: v.int("default.replication.factor"),
        replica_lag_time_max_ms: v.long("replica.lag.time.max.ms"),
        replica_lag_max_messages: None,
        replica_socket_timeout_ms: v.int("replica.socket.timeout.ms"),
        replica_socket_receive_buffer_bytes: v.int("replica.socket.receive.buffer.bytes"),
        replica_fetch_max_bytes: v.int("replica.fetch.max.bytes"),
        replica_fetch_wait_max_ms: v.int("replica.fetch.wait.max.ms"),
        replica_fetch_min_bytes: v.int("replica.fetch.min.bytes"),
        replica_fetch_backoff_ms: Some(v.int("replica.fetch.backoff.ms")),
        replica_fetch_response_max_bytes: Some(v.int("replica.fetch.response.max.bytes")),
        num_replica_fetchers: v.int("num.replica.fetchers"),
        replica_high_watermark_checkpoint_interval_ms: v
            .long("replica.high.watermark.checkpoint.interval.ms"),
        fetch_purgatory_purge_interval_requests: v.int("fetch.purgatory.purge.interval.requests"),
        producer_purgatory_purge_interval_requests: v
            .int("producer.purgatory.purge.interval.requests"),
        auto_leader_rebalance_enable: Some(v.boolean("auto.leader.rebalance.enable")),
        leader_imbalance_per_broker_percentage: Some(
            v.int("leader.imbalance.per.broker.percentage"),
        ),
        leader_imbalance_check_interval_seconds: Some(
            v.long("leader.imbalance.check.interval.seconds"),
        ),
        unclean_leader_election_enable: v.boolean("unclean.leader.election.enable"),
        inter_broker_protocol_version: string("inter.broker.protocol.version"),
        controlled_shutdown_enable: v.boolean("controlled.shutdown.enable"),
        controlled_shutdown_max_retries: v.int("controlled.shutdown.max.retries"),
        controlled_shutdown_retry_backoff_ms: v.long("controlled.shutdown.retry.backoff.ms"),
        group_min_session_timeout_ms: Some(v.int("group.min.session.timeout.ms")),
        group_max_session_timeout_ms: Some(v.int("group.max.session.timeout.ms")),
        group_initial_rebalance_delay_ms: Some(v.int("group.initial.rebalance.delay.ms")),
        group_max_size: Some(v.int("group.max.size")),
        offset_metadata_max_bytes: Some(v.int("offset.metadata.max.bytes")),
        offsets_load_buffer_size: Some(v.int("offsets.load.buffer.size")),
        offsets_topic_replication_factor: Some(v.short("offsets.topic.replication.factor")),
        offsets_topic_num_partitions: Some(v.int("offsets.topic.num.partitions")),
        offsets_topic_segment_bytes: Some(v.int("offsets.topic.segment.bytes")),
        offsets_topic_compression_codec: Some(v.int("offsets.topic.compression.codec")),
        offsets_retention_minutes: Some(v.int("offsets.retention.minutes")),
        offsets_retention_check_interval_ms: Some(v.long("offsets.retention.check.interval.ms")),
        offsets_commit_timeout_ms: Some(v.int("offsets.commit.timeout.ms")),
        offsets_commit_required_acks: Some(v.short("offsets.commit.required.acks")),
        transactional_id_expiration_ms: Some(v.int("transactional.id.expiration.ms")),
        transaction_max_timeout_ms: Some(v.int("transaction.max.timeout.ms")),
        transaction_state_log_min_isr: Some(v.int("transaction.state.log.min.isr")),
        transaction_state_log_replication_factor: Some(
            v.short("transaction.state.log.replication.factor"),
        ),
        transaction_state_log_num_partitions: Some(v.int("transaction.state.log.num.partitions")),
        transaction_state_log_segment_bytes: Some(v.int("transaction.state.log.segment.bytes")),
        delete_topic_enable: Some(v.boolean("delete.topic.enable")),
        compression_type: string("compression.type"),
        fetch_max_bytes: Some(v.int("fetch.max.bytes")),
        values,
        originals,
    }
}
