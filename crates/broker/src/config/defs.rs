//! The settings each release's broker reads, as data: one table per release,
//! each row a name, a type, a default and a validator, in the order the
//! release reads them. The engines in `v0_8_0` and `v2_8_2` apply each
//! release's rules to its table.

use DefaultValue::*;
use Validator::*;

/// How a setting's text is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Boolean,
    Short,
    Int,
    Long,
    Double,
    /// A string (2.8.2 trims it; 0.8.0 takes it as written).
    Str,
    /// 2.8.2: a comma-separated list.
    List,
    /// 2.8.2: a Java class name, loaded when the config is read.
    Class,
    /// 2.8.2: a string printed as `[hidden]`.
    Password,
    /// 0.8.0: `getMap(name, _.toInt > 0)`, `topic1:1000, topic2:3000`.
    IntMap,
    /// 0.8.0: `getMap(name, _.toLong > 0)`.
    LongMap,
}

/// The value a setting takes when the file does not set it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DefaultValue {
    /// None: the setting must be given (0.8.0's one-argument `getInt(name)`,
    /// `getString(name)`; 2.8.2's broker has no such setting).
    Required,
    /// `null`.
    Null,
    Bool(bool),
    Short(i16),
    Int(i32),
    Long(i64),
    Double(f64),
    Str(&'static str),
    List(&'static [&'static str]),
    /// 0.8.0: whatever an earlier setting resolved to
    /// (`props.getInt("zookeeper.connection.timeout.ms", zkSessionTimeoutMs)`).
    SameAs(&'static str),
}

/// What a value must satisfy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validator {
    /// Any value of the type.
    Any,
    /// 0.8.0's `getIntInRange(name, …, (min, max))`, inclusive.
    Range(i64, i64),
    /// 2.8.2's `ConfigDef.Range.atLeast(min)`.
    AtLeast(i64),
    /// 2.8.2's `ValidString.in(…)`.
    OneOf(&'static [&'static str]),
    /// 2.8.2's `ValidList.in(…)`: each element one of these.
    EachOneOf(&'static [&'static str]),
    /// 2.8.2's `ApiVersionValidator`: a version `ApiVersion(…)` knows.
    ApiVersion,
    /// 2.8.2's `RaftConfig.ControllerQuorumVotersValidator`.
    QuorumVoters,
    /// 0.8.0's `require(logDirs.size > 0)` right after reading `log.dirs`.
    NonEmptyCsv,
}

// The type names as Kafka 2.8.2 spells them (`ConfigDef.Type`).
const BOOLEAN: Type = Type::Boolean;
const SHORT: Type = Type::Short;
const INT: Type = Type::Int;
const LONG: Type = Type::Long;
const DOUBLE: Type = Type::Double;
const STRING: Type = Type::Str;
const LIST: Type = Type::List;
const CLASS: Type = Type::Class;
const PASSWORD: Type = Type::Password;
const INT_MAP: Type = Type::IntMap;
const LONG_MAP: Type = Type::LongMap;

/// One setting of a release.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Def {
    pub name: &'static str,
    pub ty: Type,
    pub default: DefaultValue,
    pub validator: Validator,
    /// 2.8.2's `defineInternal` (KRaft settings): read and printed like the
    /// others, left out of the documentation.
    pub internal: bool,
}

const fn def(name: &'static str, ty: Type, default: DefaultValue, validator: Validator) -> Def {
    Def {
        name,
        ty,
        default,
        validator,
        internal: false,
    }
}

const fn internal(
    name: &'static str,
    ty: Type,
    default: DefaultValue,
    validator: Validator,
) -> Def {
    Def {
        name,
        ty,
        default,
        validator,
        internal: true,
    }
}

/// `Int.MaxValue`, the top of 0.8.0's ranges.
const MAX: i64 = i32::MAX as i64;

/// Kafka 0.8.0, in the order `new KafkaConfig(props)` reads them: its
/// superclass `ZKConfig` first (`core/src/main/scala/kafka/utils/ZkUtils.scala`
/// @0.8.0 lines 829-841), then `core/src/main/scala/kafka/server/KafkaConfig.scala`
/// @0.8.0 lines 38-182. The first failing read is the error; keys nobody
/// reads are reported as "not valid" (`VerifiableProperties.verify`).
pub static V0_8_0: &[Def] = &[
    def("zookeeper.connect", STRING, Required, Any),
    def("zookeeper.session.timeout.ms", INT, Int(6000), Any),
    def(
        "zookeeper.connection.timeout.ms",
        INT,
        SameAs("zookeeper.session.timeout.ms"),
        Any,
    ),
    def("zookeeper.sync.time.ms", INT, Int(2000), Any),
    def("broker.id", INT, Required, Range(0, MAX)),
    // 1000000 + MessageSet.LogOverhead (8-byte offset + 4-byte size).
    def("message.max.bytes", INT, Int(1000012), Range(0, MAX)),
    def("num.network.threads", INT, Int(3), Range(1, MAX)),
    def("num.io.threads", INT, Int(8), Range(1, MAX)),
    def("queued.max.requests", INT, Int(500), Range(1, MAX)),
    def("port", INT, Int(6667), Any),
    def("host.name", STRING, Null, Any),
    def("socket.send.buffer.bytes", INT, Int(100 * 1024), Any),
    def("socket.receive.buffer.bytes", INT, Int(100 * 1024), Any),
    def(
        "socket.request.max.bytes",
        INT,
        Int(100 * 1024 * 1024),
        Range(1, MAX),
    ),
    def("num.partitions", INT, Int(1), Range(1, MAX)),
    // `props.getString("log.dirs", props.getString("log.dir", "/tmp/kafka-logs"))`:
    // the default argument is read first, so both keys count as read.
    def("log.dir", STRING, Str("/tmp/kafka-logs"), Any),
    def("log.dirs", STRING, SameAs("log.dir"), NonEmptyCsv),
    // Message.MinHeaderSize: crc 4 + magic 1 + attributes 1 + key size 4 + value size 4.
    def(
        "log.segment.bytes",
        INT,
        Int(1024 * 1024 * 1024),
        Range(14, MAX),
    ),
    def("log.segment.bytes.per.topic", INT_MAP, Null, Any),
    def("log.roll.hours", INT, Int(24 * 7), Range(1, MAX)),
    def("log.roll.hours.per.topic", INT_MAP, Null, Any),
    def("log.retention.hours", INT, Int(24 * 7), Range(1, MAX)),
    def("log.retention.hours.per.topic", INT_MAP, Null, Any),
    def("log.retention.bytes", LONG, Long(-1), Any),
    def("log.retention.bytes.per.topic", LONG_MAP, Null, Any),
    def("log.cleanup.interval.mins", INT, Int(10), Range(1, MAX)),
    def(
        "log.index.size.max.bytes",
        INT,
        Int(10 * 1024 * 1024),
        Range(4, MAX),
    ),
    def("log.index.interval.bytes", INT, Int(4096), Range(0, MAX)),
    def(
        "log.flush.interval.messages",
        INT,
        Int(10000),
        Range(1, MAX),
    ),
    def("log.flush.interval.ms.per.topic", INT_MAP, Null, Any),
    def("log.flush.scheduler.interval.ms", INT, Int(3000), Any),
    def(
        "log.flush.interval.ms",
        INT,
        SameAs("log.flush.scheduler.interval.ms"),
        Any,
    ),
    def("auto.create.topics.enable", BOOLEAN, Bool(true), Any),
    def("controller.socket.timeout.ms", INT, Int(30000), Any),
    def("controller.message.queue.size", INT, Int(10), Any),
    def("default.replication.factor", INT, Int(1), Any),
    def("replica.lag.time.max.ms", LONG, Long(10000), Any),
    def("replica.lag.max.messages", LONG, Long(4000), Any),
    // ConsumerConfig.SocketTimeout, SocketBufferSize, FetchSize @0.8.0.
    def("replica.socket.timeout.ms", INT, Int(30 * 1000), Any),
    def(
        "replica.socket.receive.buffer.bytes",
        INT,
        Int(64 * 1024),
        Any,
    ),
    def("replica.fetch.max.bytes", INT, Int(1024 * 1024), Any),
    def("replica.fetch.wait.max.ms", INT, Int(500), Any),
    def("replica.fetch.min.bytes", INT, Int(1), Any),
    def("num.replica.fetchers", INT, Int(1), Any),
    def(
        "replica.high.watermark.checkpoint.interval.ms",
        LONG,
        Long(5000),
        Any,
    ),
    def(
        "fetch.purgatory.purge.interval.requests",
        INT,
        Int(10000),
        Any,
    ),
    def(
        "producer.purgatory.purge.interval.requests",
        INT,
        Int(10000),
        Any,
    ),
    def("controlled.shutdown.max.retries", INT, Int(3), Any),
    def("controlled.shutdown.retry.backoff.ms", INT, Int(5000), Any),
    def("controlled.shutdown.enable", BOOLEAN, Bool(false), Any),
];

/// Kafka 2.8.2's `KafkaConfig.configDef`, in definition order
/// (`core/src/main/scala/kafka/server/KafkaConfig.scala` @2.8.2 lines
/// 1032-1321), which is the order `ConfigDef.parse` checks them in. Defaults
/// are `object Defaults` (same file, lines 51-285) and the constants it
/// names (`OffsetConfig`, `TransactionLog`, `SslConfigs`, `SaslConfigs`,
/// `RaftConfig`, … at 2.8.2), on Java 8: `ssl.protocol` and
/// `ssl.enabled.protocols` are `TLSv1.2` because `Java.IS_JAVA11_COMPATIBLE`
/// is false, `ssl.keymanager.algorithm`/`ssl.trustmanager.algorithm` are the
/// JDK's `SunX509`/`PKIX`.
pub static V2_8_2: &[Def] = &[
    // ZooKeeper.
    def("zookeeper.connect", STRING, Null, Any),
    def("zookeeper.session.timeout.ms", INT, Int(18000), Any),
    def("zookeeper.connection.timeout.ms", INT, Null, Any),
    def("zookeeper.sync.time.ms", INT, Int(2000), Any),
    def("zookeeper.set.acl", BOOLEAN, Bool(false), Any),
    def("zookeeper.max.in.flight.requests", INT, Int(10), AtLeast(1)),
    def("zookeeper.ssl.client.enable", BOOLEAN, Bool(false), Any),
    def("zookeeper.clientCnxnSocket", STRING, Null, Any),
    def("zookeeper.ssl.keystore.location", STRING, Null, Any),
    def("zookeeper.ssl.keystore.password", PASSWORD, Null, Any),
    def("zookeeper.ssl.keystore.type", STRING, Null, Any),
    def("zookeeper.ssl.truststore.location", STRING, Null, Any),
    def("zookeeper.ssl.truststore.password", PASSWORD, Null, Any),
    def("zookeeper.ssl.truststore.type", STRING, Null, Any),
    def("zookeeper.ssl.protocol", STRING, Str("TLSv1.2"), Any),
    def("zookeeper.ssl.enabled.protocols", LIST, Null, Any),
    def("zookeeper.ssl.cipher.suites", LIST, Null, Any),
    def(
        "zookeeper.ssl.endpoint.identification.algorithm",
        STRING,
        Str("HTTPS"),
        Any,
    ),
    def("zookeeper.ssl.crl.enable", BOOLEAN, Bool(false), Any),
    def("zookeeper.ssl.ocsp.enable", BOOLEAN, Bool(false), Any),
    // General.
    def("broker.id.generation.enable", BOOLEAN, Bool(true), Any),
    def("reserved.broker.max.id", INT, Int(1000), AtLeast(0)),
    def("broker.id", INT, Int(-1), Any),
    // 1024 * 1024 + Records.LOG_OVERHEAD (12).
    def("message.max.bytes", INT, Int(1048588), AtLeast(0)),
    def("num.network.threads", INT, Int(3), AtLeast(1)),
    def("num.io.threads", INT, Int(8), AtLeast(1)),
    def("num.replica.alter.log.dirs.threads", INT, Null, Any),
    def("background.threads", INT, Int(10), AtLeast(1)),
    def("queued.max.requests", INT, Int(500), AtLeast(1)),
    def("queued.max.request.bytes", LONG, Long(-1), Any),
    def("request.timeout.ms", INT, Int(30000), Any),
    def("socket.connection.setup.timeout.ms", LONG, Long(10000), Any),
    def(
        "socket.connection.setup.timeout.max.ms",
        LONG,
        Long(30000),
        Any,
    ),
    // KRaft (defineInternal: public from 3.0).
    internal(
        "process.roles",
        LIST,
        List(&[]),
        EachOneOf(&["broker", "controller"]),
    ),
    internal("node.id", INT, Int(-1), Any),
    internal(
        "initial.broker.registration.timeout.ms",
        INT,
        Int(60000),
        Any,
    ),
    internal("broker.heartbeat.interval.ms", INT, Int(2000), Any),
    internal("broker.session.timeout.ms", INT, Int(9000), Any),
    internal("metadata.log.dir", STRING, Null, Any),
    internal("controller.listener.names", STRING, Null, Any),
    internal(
        "sasl.mechanism.controller.protocol",
        STRING,
        Str("GSSAPI"),
        Any,
    ),
    // Authorizer.
    def("authorizer.class.name", STRING, Str(""), Any),
    // Socket server.
    def("port", INT, Int(9092), Any),
    def("host.name", STRING, Str(""), Any),
    def("listeners", STRING, Null, Any),
    def("advertised.host.name", STRING, Null, Any),
    def("advertised.port", INT, Null, Any),
    def("advertised.listeners", STRING, Null, Any),
    def(
        "listener.security.protocol.map",
        STRING,
        Str("PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL"),
        Any,
    ),
    def("control.plane.listener.name", STRING, Null, Any),
    def("socket.send.buffer.bytes", INT, Int(102400), Any),
    def("socket.receive.buffer.bytes", INT, Int(102400), Any),
    def("socket.request.max.bytes", INT, Int(104857600), AtLeast(1)),
    def("max.connections.per.ip", INT, Int(i32::MAX), AtLeast(0)),
    def("max.connections.per.ip.overrides", STRING, Str(""), Any),
    def("max.connections", INT, Int(i32::MAX), AtLeast(0)),
    def(
        "max.connection.creation.rate",
        INT,
        Int(i32::MAX),
        AtLeast(0),
    ),
    def("connections.max.idle.ms", LONG, Long(600000), Any),
    def(
        "connection.failed.authentication.delay.ms",
        INT,
        Int(100),
        AtLeast(0),
    ),
    // Rack.
    def("broker.rack", STRING, Null, Any),
    // Log.
    def("num.partitions", INT, Int(1), AtLeast(1)),
    def("log.dir", STRING, Str("/tmp/kafka-logs"), Any),
    def("log.dirs", STRING, Null, Any),
    // LegacyRecord.RECORD_OVERHEAD_V0: crc 4 + magic 1 + attributes 1 + key size 4 + value size 4.
    def("log.segment.bytes", INT, Int(1073741824), AtLeast(14)),
    def("log.roll.ms", LONG, Null, Any),
    def("log.roll.hours", INT, Int(168), AtLeast(1)),
    def("log.roll.jitter.ms", LONG, Null, Any),
    def("log.roll.jitter.hours", INT, Int(0), AtLeast(0)),
    def("log.retention.ms", LONG, Null, Any),
    def("log.retention.minutes", INT, Null, Any),
    def("log.retention.hours", INT, Int(168), Any),
    def("log.retention.bytes", LONG, Long(-1), Any),
    def(
        "log.retention.check.interval.ms",
        LONG,
        Long(300000),
        AtLeast(1),
    ),
    def(
        "log.cleanup.policy",
        LIST,
        List(&["delete"]),
        EachOneOf(&["compact", "delete"]),
    ),
    def("log.cleaner.threads", INT, Int(1), AtLeast(0)),
    def(
        "log.cleaner.io.max.bytes.per.second",
        DOUBLE,
        Double(f64::MAX),
        Any,
    ),
    def("log.cleaner.dedupe.buffer.size", LONG, Long(134217728), Any),
    def("log.cleaner.io.buffer.size", INT, Int(524288), AtLeast(0)),
    def(
        "log.cleaner.io.buffer.load.factor",
        DOUBLE,
        Double(0.9),
        Any,
    ),
    def("log.cleaner.backoff.ms", LONG, Long(15000), AtLeast(0)),
    def("log.cleaner.min.cleanable.ratio", DOUBLE, Double(0.5), Any),
    def("log.cleaner.enable", BOOLEAN, Bool(true), Any),
    def("log.cleaner.delete.retention.ms", LONG, Long(86400000), Any),
    def("log.cleaner.min.compaction.lag.ms", LONG, Long(0), Any),
    def(
        "log.cleaner.max.compaction.lag.ms",
        LONG,
        Long(i64::MAX),
        Any,
    ),
    def("log.index.size.max.bytes", INT, Int(10485760), AtLeast(4)),
    def("log.index.interval.bytes", INT, Int(4096), AtLeast(0)),
    def(
        "log.flush.interval.messages",
        LONG,
        Long(i64::MAX),
        AtLeast(1),
    ),
    def("log.segment.delete.delay.ms", LONG, Long(60000), AtLeast(0)),
    def("log.flush.scheduler.interval.ms", LONG, Long(i64::MAX), Any),
    def("log.flush.interval.ms", LONG, Null, Any),
    def(
        "log.flush.offset.checkpoint.interval.ms",
        INT,
        Int(60000),
        AtLeast(0),
    ),
    def(
        "log.flush.start.offset.checkpoint.interval.ms",
        INT,
        Int(60000),
        AtLeast(0),
    ),
    def("log.preallocate", BOOLEAN, Bool(false), Any),
    def("num.recovery.threads.per.data.dir", INT, Int(1), AtLeast(1)),
    def("auto.create.topics.enable", BOOLEAN, Bool(true), Any),
    def("min.insync.replicas", INT, Int(1), AtLeast(1)),
    // ApiVersion.latestVersion.
    def(
        "log.message.format.version",
        STRING,
        Str("2.8-IV1"),
        ApiVersion,
    ),
    def(
        "log.message.timestamp.type",
        STRING,
        Str("CreateTime"),
        OneOf(&["CreateTime", "LogAppendTime"]),
    ),
    def(
        "log.message.timestamp.difference.max.ms",
        LONG,
        Long(i64::MAX),
        Any,
    ),
    def("create.topic.policy.class.name", CLASS, Null, Any),
    def("alter.config.policy.class.name", CLASS, Null, Any),
    def(
        "log.message.downconversion.enable",
        BOOLEAN,
        Bool(true),
        Any,
    ),
    // Replication.
    def("controller.socket.timeout.ms", INT, Int(30000), Any),
    def("default.replication.factor", INT, Int(1), Any),
    def("replica.lag.time.max.ms", LONG, Long(30000), Any),
    def("replica.socket.timeout.ms", INT, Int(30000), Any),
    def("replica.socket.receive.buffer.bytes", INT, Int(65536), Any),
    def("replica.fetch.max.bytes", INT, Int(1048576), AtLeast(0)),
    def("replica.fetch.wait.max.ms", INT, Int(500), Any),
    def("replica.fetch.backoff.ms", INT, Int(1000), AtLeast(0)),
    def("replica.fetch.min.bytes", INT, Int(1), Any),
    def(
        "replica.fetch.response.max.bytes",
        INT,
        Int(10485760),
        AtLeast(0),
    ),
    def("num.replica.fetchers", INT, Int(1), Any),
    def(
        "replica.high.watermark.checkpoint.interval.ms",
        LONG,
        Long(5000),
        Any,
    ),
    def(
        "fetch.purgatory.purge.interval.requests",
        INT,
        Int(1000),
        Any,
    ),
    def(
        "producer.purgatory.purge.interval.requests",
        INT,
        Int(1000),
        Any,
    ),
    def(
        "delete.records.purgatory.purge.interval.requests",
        INT,
        Int(1),
        Any,
    ),
    def("auto.leader.rebalance.enable", BOOLEAN, Bool(true), Any),
    def("leader.imbalance.per.broker.percentage", INT, Int(10), Any),
    def(
        "leader.imbalance.check.interval.seconds",
        LONG,
        Long(300),
        Any,
    ),
    def("unclean.leader.election.enable", BOOLEAN, Bool(false), Any),
    def(
        "security.inter.broker.protocol",
        STRING,
        Str("PLAINTEXT"),
        Any,
    ),
    def(
        "inter.broker.protocol.version",
        STRING,
        Str("2.8-IV1"),
        ApiVersion,
    ),
    def("inter.broker.listener.name", STRING, Null, Any),
    def("replica.selector.class", STRING, Null, Any),
    // Controlled shutdown.
    def("controlled.shutdown.max.retries", INT, Int(3), Any),
    def(
        "controlled.shutdown.retry.backoff.ms",
        LONG,
        Long(5000),
        Any,
    ),
    def("controlled.shutdown.enable", BOOLEAN, Bool(true), Any),
    // Group coordinator.
    def("group.min.session.timeout.ms", INT, Int(6000), Any),
    def("group.max.session.timeout.ms", INT, Int(1800000), Any),
    def("group.initial.rebalance.delay.ms", INT, Int(3000), Any),
    def("group.max.size", INT, Int(i32::MAX), AtLeast(1)),
    // Offset management.
    def("offset.metadata.max.bytes", INT, Int(4096), Any),
    def("offsets.load.buffer.size", INT, Int(5242880), AtLeast(1)),
    def(
        "offsets.topic.replication.factor",
        SHORT,
        Short(3),
        AtLeast(1),
    ),
    def("offsets.topic.num.partitions", INT, Int(50), AtLeast(1)),
    def(
        "offsets.topic.segment.bytes",
        INT,
        Int(104857600),
        AtLeast(1),
    ),
    // NoCompressionCodec.codec.
    def("offsets.topic.compression.codec", INT, Int(0), Any),
    def("offsets.retention.minutes", INT, Int(10080), AtLeast(1)),
    def(
        "offsets.retention.check.interval.ms",
        LONG,
        Long(600000),
        AtLeast(1),
    ),
    def("offsets.commit.timeout.ms", INT, Int(5000), AtLeast(1)),
    def("offsets.commit.required.acks", SHORT, Short(-1), Any),
    def("delete.topic.enable", BOOLEAN, Bool(true), Any),
    def("compression.type", STRING, Str("producer"), Any),
    // Transaction management.
    def(
        "transactional.id.expiration.ms",
        INT,
        Int(604800000),
        AtLeast(1),
    ),
    def("transaction.max.timeout.ms", INT, Int(900000), AtLeast(1)),
    def("transaction.state.log.min.isr", INT, Int(2), AtLeast(1)),
    def(
        "transaction.state.log.load.buffer.size",
        INT,
        Int(5242880),
        AtLeast(1),
    ),
    def(
        "transaction.state.log.replication.factor",
        SHORT,
        Short(3),
        AtLeast(1),
    ),
    def(
        "transaction.state.log.num.partitions",
        INT,
        Int(50),
        AtLeast(1),
    ),
    def(
        "transaction.state.log.segment.bytes",
        INT,
        Int(104857600),
        AtLeast(1),
    ),
    def(
        "transaction.abort.timed.out.transaction.cleanup.interval.ms",
        INT,
        Int(10000),
        AtLeast(1),
    ),
    def(
        "transaction.remove.expired.transaction.cleanup.interval.ms",
        INT,
        Int(3600000),
        AtLeast(1),
    ),
    // Fetch.
    def(
        "max.incremental.fetch.session.cache.slots",
        INT,
        Int(1000),
        AtLeast(0),
    ),
    def("fetch.max.bytes", INT, Int(57671680), AtLeast(1024)),
    // Metrics.
    def("metrics.num.samples", INT, Int(2), AtLeast(1)),
    def("metrics.sample.window.ms", LONG, Long(30000), AtLeast(1)),
    def("metric.reporters", LIST, List(&[]), Any),
    def("metrics.recording.level", STRING, Str("INFO"), Any),
    // Yammer metrics reporters.
    def("kafka.metrics.reporters", LIST, List(&[]), Any),
    def(
        "kafka.metrics.polling.interval.secs",
        INT,
        Int(10),
        AtLeast(1),
    ),
    // Quotas.
    def("quota.producer.default", LONG, Long(i64::MAX), AtLeast(1)),
    def("quota.consumer.default", LONG, Long(i64::MAX), AtLeast(1)),
    def("quota.window.num", INT, Int(11), AtLeast(1)),
    def("replication.quota.window.num", INT, Int(11), AtLeast(1)),
    def(
        "alter.log.dirs.replication.quota.window.num",
        INT,
        Int(11),
        AtLeast(1),
    ),
    def("controller.quota.window.num", INT, Int(11), AtLeast(1)),
    def("quota.window.size.seconds", INT, Int(1), AtLeast(1)),
    def(
        "replication.quota.window.size.seconds",
        INT,
        Int(1),
        AtLeast(1),
    ),
    def(
        "alter.log.dirs.replication.quota.window.size.seconds",
        INT,
        Int(1),
        AtLeast(1),
    ),
    def(
        "controller.quota.window.size.seconds",
        INT,
        Int(1),
        AtLeast(1),
    ),
    def("client.quota.callback.class", CLASS, Null, Any),
    // General security.
    def("connections.max.reauth.ms", LONG, Long(0), Any),
    def("sasl.server.max.receive.size", INT, Int(524288), Any),
    def("security.providers", STRING, Null, Any),
    // SSL.
    def("principal.builder.class", CLASS, Null, Any),
    def("ssl.protocol", STRING, Str("TLSv1.2"), Any),
    def("ssl.provider", STRING, Null, Any),
    def("ssl.enabled.protocols", LIST, List(&["TLSv1.2"]), Any),
    def("ssl.keystore.type", STRING, Str("JKS"), Any),
    def("ssl.keystore.location", STRING, Null, Any),
    def("ssl.keystore.password", PASSWORD, Null, Any),
    def("ssl.key.password", PASSWORD, Null, Any),
    def("ssl.keystore.key", PASSWORD, Null, Any),
    def("ssl.keystore.certificate.chain", PASSWORD, Null, Any),
    def("ssl.truststore.type", STRING, Str("JKS"), Any),
    def("ssl.truststore.location", STRING, Null, Any),
    def("ssl.truststore.password", PASSWORD, Null, Any),
    def("ssl.truststore.certificates", PASSWORD, Null, Any),
    def("ssl.keymanager.algorithm", STRING, Str("SunX509"), Any),
    def("ssl.trustmanager.algorithm", STRING, Str("PKIX"), Any),
    def(
        "ssl.endpoint.identification.algorithm",
        STRING,
        Str("https"),
        Any,
    ),
    def("ssl.secure.random.implementation", STRING, Null, Any),
    def(
        "ssl.client.auth",
        STRING,
        Str("none"),
        OneOf(&["required", "requested", "none"]),
    ),
    def("ssl.cipher.suites", LIST, List(&[]), Any),
    def("ssl.principal.mapping.rules", STRING, Str("DEFAULT"), Any),
    def("ssl.engine.factory.class", CLASS, Null, Any),
    // SASL.
    def(
        "sasl.mechanism.inter.broker.protocol",
        STRING,
        Str("GSSAPI"),
        Any,
    ),
    def("sasl.jaas.config", PASSWORD, Null, Any),
    def("sasl.enabled.mechanisms", LIST, List(&["GSSAPI"]), Any),
    def("sasl.server.callback.handler.class", CLASS, Null, Any),
    def("sasl.client.callback.handler.class", CLASS, Null, Any),
    def("sasl.login.class", CLASS, Null, Any),
    def("sasl.login.callback.handler.class", CLASS, Null, Any),
    def("sasl.kerberos.service.name", STRING, Null, Any),
    def(
        "sasl.kerberos.kinit.cmd",
        STRING,
        Str("/usr/bin/kinit"),
        Any,
    ),
    def(
        "sasl.kerberos.ticket.renew.window.factor",
        DOUBLE,
        Double(0.8),
        Any,
    ),
    def(
        "sasl.kerberos.ticket.renew.jitter",
        DOUBLE,
        Double(0.05),
        Any,
    ),
    def(
        "sasl.kerberos.min.time.before.relogin",
        LONG,
        Long(60000),
        Any,
    ),
    def(
        "sasl.kerberos.principal.to.local.rules",
        LIST,
        List(&["DEFAULT"]),
        Any,
    ),
    def("sasl.login.refresh.window.factor", DOUBLE, Double(0.8), Any),
    def(
        "sasl.login.refresh.window.jitter",
        DOUBLE,
        Double(0.05),
        Any,
    ),
    def(
        "sasl.login.refresh.min.period.seconds",
        SHORT,
        Short(60),
        Any,
    ),
    def("sasl.login.refresh.buffer.seconds", SHORT, Short(300), Any),
    // Delegation tokens.
    def("delegation.token.master.key", PASSWORD, Null, Any),
    def("delegation.token.secret.key", PASSWORD, Null, Any),
    def(
        "delegation.token.max.lifetime.ms",
        LONG,
        Long(604800000),
        AtLeast(1),
    ),
    def(
        "delegation.token.expiry.time.ms",
        LONG,
        Long(86400000),
        AtLeast(1),
    ),
    def(
        "delegation.token.expiry.check.interval.ms",
        LONG,
        Long(3600000),
        AtLeast(1),
    ),
    // Password encoding for dynamic configs.
    def("password.encoder.secret", PASSWORD, Null, Any),
    def("password.encoder.old.secret", PASSWORD, Null, Any),
    def("password.encoder.keyfactory.algorithm", STRING, Null, Any),
    def(
        "password.encoder.cipher.algorithm",
        STRING,
        Str("AES/CBC/PKCS5Padding"),
        Any,
    ),
    def("password.encoder.key.length", INT, Int(128), AtLeast(8)),
    def("password.encoder.iterations", INT, Int(4096), AtLeast(1024)),
    // Raft quorum (defineInternal).
    internal("controller.quorum.voters", LIST, List(&[]), QuorumVoters),
    internal("controller.quorum.election.timeout.ms", INT, Int(1000), Any),
    internal("controller.quorum.fetch.timeout.ms", INT, Int(2000), Any),
    internal(
        "controller.quorum.election.backoff.max.ms",
        INT,
        Int(1000),
        Any,
    ),
    internal("controller.quorum.append.linger.ms", INT, Int(25), Any),
    internal("controller.quorum.request.timeout.ms", INT, Int(2000), Any),
    internal("controller.quorum.retry.backoff.ms", INT, Int(20), Any),
];
