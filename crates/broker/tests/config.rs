//! The broker's configuration, read as Kafka 0.8.0 and 2.8.2 read it: each
//! release's own `config/server.properties`, the defaults that differ, the
//! words for unknown keys, the exact error messages, 2.8.2's
//! `KafkaConfig values:` block, and the command line.

use broker::config::args::Stream;
use broker::config::properties;
use broker::config::{
    parse_args, ConfigError, EndPoint, FileProblem, KafkaArgs, KafkaConfig, Level, LogLine, Parsed,
    SecurityProtocol, UsageError, Value,
};
use distribution::{Content, Distribution, Release};
use proptest::prelude::*;

fn server_properties(release: Release) -> &'static str {
    let dist = Distribution::all()
        .iter()
        .find(|d| d.release == release)
        .expect("a distribution per release");
    match dist.file("config/server.properties").unwrap().content {
        Content::Text(text) => text,
        Content::NotStored => panic!("server.properties is text"),
    }
}

fn parse(release: Release, text: &str) -> Parsed {
    KafkaConfig::parse(release, text, &[]).unwrap_or_else(|e| panic!("{e}"))
}

fn error(release: Release, text: &str) -> String {
    KafkaConfig::parse(release, text, &[])
        .map(|_| ())
        .expect_err("the config is invalid")
        .to_string()
}

fn verifiable(level: Level, message: &str) -> LogLine {
    LogLine::new(level, "kafka.utils.VerifiableProperties", message)
}

const ZK: &str = "zookeeper.connect=localhost:2181\n";

#[test]
fn the_0_8_0_file_reads_as_0_8_0_reads_it() {
    let Parsed { config: c, log } = parse(Release::V0_8_0, server_properties(Release::V0_8_0));
    assert_eq!(c.broker_id, 0);
    assert_eq!(c.port, 9092);
    assert_eq!(c.host_name, None);
    assert_eq!(c.num_network_threads, 2);
    assert_eq!(c.num_io_threads, 2);
    assert_eq!(c.socket_send_buffer_bytes, 1048576);
    assert_eq!(c.socket_receive_buffer_bytes, 1048576);
    assert_eq!(c.socket_request_max_bytes, 104857600);
    assert_eq!(c.log_dirs, ["/tmp/kafka-logs"]);
    assert_eq!(c.num_partitions, 2);
    assert_eq!(c.log_flush_interval_messages, 10000);
    assert_eq!(c.log_flush_interval_ms, 1000);
    assert_eq!(c.log_flush_scheduler_interval_ms, 3000);
    assert_eq!(c.log_retention_hours, 168);
    assert_eq!(c.log_retention_ms, 168 * 3_600_000);
    assert_eq!(c.log_segment_bytes, 536870912);
    assert_eq!(c.log_cleanup_interval_mins, Some(1));
    assert_eq!(c.log_retention_check_interval_ms, 60_000);
    assert_eq!(c.log_retention_bytes, -1);
    assert_eq!(c.log_roll_hours, 168);
    assert_eq!(c.zookeeper_connect.as_deref(), Some("localhost:2181"));
    assert_eq!(c.zookeeper_connection_timeout_ms, 1000000);
    assert_eq!(c.zookeeper_session_timeout_ms, 6000);
    assert_eq!(c.zookeeper_sync_time_ms, 2000);
    assert_eq!(c.message_max_bytes, 1000012);
    assert_eq!(c.default_replication_factor, 1);
    assert!(c.auto_create_topics_enable);
    assert!(!c.controlled_shutdown_enable);
    assert_eq!(c.controlled_shutdown_max_retries, 3);
    assert_eq!(c.replica_fetch_max_bytes, 1048576);
    assert_eq!(c.replica_high_watermark_checkpoint_interval_ms, 5000);
    assert_eq!(c.listeners, None);
    assert_eq!(c.values_block(), None);
    // Every key of the file is read by 0.8.0's KafkaConfig. The order is
    // Java 8's Properties.propertyNames() (a Hashtable), checked against
    // java.util.Hashtable itself: file keys put into one table, its keys()
    // into a fresh one, whose keys() is the order.
    let order = [
        ("port", "9092"),
        ("socket.request.max.bytes", "104857600"),
        ("num.io.threads", "2"),
        ("log.dirs", "/tmp/kafka-logs"),
        ("log.cleanup.interval.mins", "1"),
        ("socket.send.buffer.bytes", "1048576"),
        ("log.flush.interval.ms", "1000"),
        ("zookeeper.connect", "localhost:2181"),
        ("broker.id", "0"),
        ("log.retention.hours", "168"),
        ("num.network.threads", "2"),
        ("socket.receive.buffer.bytes", "1048576"),
        ("zookeeper.connection.timeout.ms", "1000000"),
        ("num.partitions", "2"),
        ("log.flush.interval.messages", "10000"),
        ("log.segment.bytes", "536870912"),
    ];
    let mut expected = vec![verifiable(Level::Info, "Verifying properties")];
    expected.extend(
        order
            .iter()
            .map(|(k, v)| verifiable(Level::Info, &format!("Property {k} is overridden to {v}"))),
    );
    assert_eq!(log, expected);
}

#[test]
fn the_2_8_2_file_reads_as_2_8_2_reads_it() {
    let Parsed { config: c, log } = parse(Release::V2_8_2, server_properties(Release::V2_8_2));
    assert_eq!(log, []);
    assert_eq!(c.broker_id, 0);
    assert_eq!(c.port, 9092);
    assert_eq!(c.host_name.as_deref(), Some(""));
    let plaintext = EndPoint {
        listener_name: "PLAINTEXT".into(),
        host: None,
        port: 9092,
        security_protocol: SecurityProtocol::Plaintext,
    };
    assert_eq!(c.listeners, Some(vec![plaintext.clone()]));
    assert_eq!(c.advertised_listeners, Some(vec![plaintext]));
    assert_eq!(c.inter_broker_listener_name.as_deref(), Some("PLAINTEXT"));
    assert_eq!(c.num_network_threads, 3);
    assert_eq!(c.num_io_threads, 8);
    assert_eq!(c.socket_send_buffer_bytes, 102400);
    assert_eq!(c.socket_receive_buffer_bytes, 102400);
    assert_eq!(c.socket_request_max_bytes, 104857600);
    assert_eq!(c.log_dirs, ["/tmp/kafka-logs"]);
    assert_eq!(c.num_partitions, 1);
    assert_eq!(c.num_recovery_threads_per_data_dir, Some(1));
    assert_eq!(c.offsets_topic_replication_factor, Some(1));
    assert_eq!(c.transaction_state_log_replication_factor, Some(1));
    assert_eq!(c.transaction_state_log_min_isr, Some(1));
    assert_eq!(c.log_flush_interval_messages, i64::MAX);
    assert_eq!(c.log_flush_interval_ms, i64::MAX);
    assert_eq!(c.log_retention_hours, 168);
    assert_eq!(c.log_retention_minutes, None);
    assert_eq!(c.log_retention_ms, 604_800_000);
    assert_eq!(c.log_segment_bytes, 1073741824);
    assert_eq!(c.log_retention_check_interval_ms, 300000);
    assert_eq!(c.zookeeper_connect.as_deref(), Some("localhost:2181"));
    assert_eq!(c.zookeeper_connection_timeout_ms, 18000);
    assert_eq!(c.group_initial_rebalance_delay_ms, Some(0));
    assert_eq!(c.log_message_format_version.as_deref(), Some("2.8-IV1"));
    assert_eq!(c.inter_broker_protocol_version.as_deref(), Some("2.8-IV1"));
    assert_eq!(c.log_cleanup_policy, Some(vec!["delete".to_owned()]));
    assert_eq!(c.log_cleaner_enable, Some(true));
    assert_eq!(c.min_insync_replicas, Some(1));
    assert_eq!(c.message_max_bytes, 1048588);
    assert_eq!(c.broker_id_generation_enable, Some(true));
    assert_eq!(c.reserved_broker_max_id, Some(1000));
    assert_eq!(c.delete_topic_enable, Some(true));
    assert!(c.controlled_shutdown_enable);
    assert_eq!(c.offsets_topic_num_partitions, Some(50));
    assert_eq!(c.group_min_session_timeout_ms, Some(6000));
    assert_eq!(c.group_max_session_timeout_ms, Some(1800000));
    assert_eq!(
        c.get("ssl.enabled.protocols"),
        Some(&Value::List(vec!["TLSv1.2".into()]))
    );
}

#[test]
fn the_defaults_that_differ_between_releases() {
    let old = parse(Release::V0_8_0, &format!("broker.id=0\n{ZK}")).config;
    let new = parse(Release::V2_8_2, ZK).config;
    assert!(old.unclean_leader_election_enable);
    assert!(!new.unclean_leader_election_enable);
    assert_eq!(old.replica_lag_time_max_ms, 10000);
    assert_eq!(new.replica_lag_time_max_ms, 30000);
    assert_eq!(old.replica_lag_max_messages, Some(4000));
    assert_eq!(new.replica_lag_max_messages, None);
    assert_eq!(old.zookeeper_session_timeout_ms, 6000);
    assert_eq!(new.zookeeper_session_timeout_ms, 18000);
    assert_eq!(old.zookeeper_connection_timeout_ms, 6000);
    assert_eq!(new.zookeeper_connection_timeout_ms, 18000);
    assert_eq!(old.port, 6667);
    assert_eq!(new.port, 9092);
    assert_eq!(new.broker_id, -1);
    assert_eq!(old.message_max_bytes, 1000012);
    assert_eq!(new.message_max_bytes, 1048588);
    assert_eq!(old.log_flush_interval_messages, 10000);
    assert_eq!(new.log_flush_interval_messages, i64::MAX);
    assert_eq!(old.log_flush_interval_ms, 3000);
    assert_eq!(old.fetch_purgatory_purge_interval_requests, 10000);
    assert_eq!(new.fetch_purgatory_purge_interval_requests, 1000);
    assert!(!old.controlled_shutdown_enable);
    assert!(new.controlled_shutdown_enable);
    assert_eq!(old.log_retention_check_interval_ms, 600_000);
    assert_eq!(new.log_retention_check_interval_ms, 300_000);
    assert_eq!(old.auto_leader_rebalance_enable, None);
    assert_eq!(new.auto_leader_rebalance_enable, Some(true));
    assert_eq!(new.offsets_topic_replication_factor, Some(3));
    assert_eq!(new.group_initial_rebalance_delay_ms, Some(3000));
    assert_eq!(new.default_replication_factor, 1);
    assert_eq!(new.num_partitions, 1);
    assert_eq!(old.log_dirs, ["/tmp/kafka-logs"]);
    assert_eq!(new.log_dirs, ["/tmp/kafka-logs"]);
}

#[test]
fn retention_precedence_of_each_release() {
    let ms = |release, text: &str| parse(release, text).config.log_retention_ms;
    // 0.8.0 knows hours only; minutes and ms are not settings.
    let old = format!("broker.id=0\n{ZK}log.retention.hours=2\nlog.retention.minutes=1\n");
    assert_eq!(ms(Release::V0_8_0, &old), 7_200_000);
    let parsed = parse(Release::V0_8_0, &old);
    assert!(parsed.log.contains(&verifiable(
        Level::Warn,
        "Property log.retention.minutes is not valid"
    )));
    // 2.8.2: ms, else minutes, else hours; negative is unlimited.
    let new = |extra: &str| {
        ms(
            Release::V2_8_2,
            &format!("{ZK}log.retention.hours=2\n{extra}"),
        )
    };
    assert_eq!(new(""), 7_200_000);
    assert_eq!(new("log.retention.minutes=3\n"), 180_000);
    assert_eq!(new("log.retention.minutes=3\nlog.retention.ms=5\n"), 5);
    assert_eq!(new("log.retention.ms=-7\n"), -1);
    assert_eq!(
        error(Release::V2_8_2, &format!("{ZK}log.retention.ms=0\n")),
        "java.lang.IllegalArgumentException: requirement failed: log.retention.ms must be unlimited (-1) or, greater than or equal to 1"
    );
    let roll = parse(Release::V2_8_2, &format!("{ZK}log.roll.hours=1\n")).config;
    assert_eq!(roll.log_roll_ms, 3_600_000);
    let roll = parse(
        Release::V2_8_2,
        &format!("{ZK}log.roll.hours=1\nlog.roll.ms=10\n"),
    )
    .config;
    assert_eq!(roll.log_roll_ms, 10);
}

#[test]
fn unknown_keys_are_logged_in_0_8_0_and_silently_kept_in_2_8_2() {
    let text =
        format!("broker.id=0\n{ZK}no.such.setting=1\nunclean.leader.election.enable=false\n");
    let old = parse(Release::V0_8_0, &text);
    // 0.8.0 has no unclean.leader.election.enable: it is "not valid" and
    // changes nothing.
    assert!(old.config.unclean_leader_election_enable);
    let warnings: Vec<&LogLine> = old.log.iter().filter(|l| l.level == Level::Warn).collect();
    assert_eq!(
        warnings,
        [
            &verifiable(
                Level::Warn,
                "Property unclean.leader.election.enable is not valid"
            ),
            &verifiable(Level::Warn, "Property no.such.setting is not valid"),
        ]
    );
    // The lines come in Hashtable order (here checked against
    // java.util.Hashtable as above), not in file or read order.
    let keys: Vec<&str> = old.log[1..]
        .iter()
        .map(|l| l.message.split(' ').nth(1).unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "broker.id",
            "zookeeper.connect",
            "unclean.leader.election.enable",
            "no.such.setting"
        ]
    );
    let new = parse(Release::V2_8_2, &text);
    assert_eq!(new.log, []);
    assert!(!new.config.unclean_leader_election_enable);
    assert_eq!(new.config.get("no.such.setting"), None);
    assert_eq!(new.config.originals().get("no.such.setting"), Some("1"));
    assert!(!new
        .config
        .values_block()
        .unwrap()
        .message
        .contains("no.such.setting"));
}

#[test]
fn invalid_values_stop_the_2_8_2_broker_with_kafka_words() {
    let cases = [
        ("broker.id=abc\n", "org.apache.kafka.common.config.ConfigException: Invalid value abc for configuration broker.id: Not a number of type INT"),
        ("broker.id=2000\n", "java.lang.IllegalArgumentException: requirement failed: broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id"),
        ("broker.id=-1\nbroker.id.generation.enable=false\n", "java.lang.IllegalArgumentException: requirement failed: broker.id must be greater than or equal to 0"),
        ("log.segment.bytes=0\n", "org.apache.kafka.common.config.ConfigException: Invalid value 0 for configuration log.segment.bytes: Value must be at least 14"),
        ("num.partitions=0\n", "org.apache.kafka.common.config.ConfigException: Invalid value 0 for configuration num.partitions: Value must be at least 1"),
        ("auto.create.topics.enable=yes\n", "org.apache.kafka.common.config.ConfigException: Invalid value yes for configuration auto.create.topics.enable: Expected value to be either true or false"),
        ("log.cleanup.policy=compact,remove\n", "org.apache.kafka.common.config.ConfigException: Invalid value remove for configuration log.cleanup.policy: String must be one of: compact, delete"),
        ("log.message.timestamp.type=Now\n", "org.apache.kafka.common.config.ConfigException: Invalid value Now for configuration log.message.timestamp.type: String must be one of: CreateTime, LogAppendTime"),
        ("inter.broker.protocol.version=3.0\n", "org.apache.kafka.common.config.ConfigException: Invalid value 3.0 for configuration inter.broker.protocol.version: Version `3.0` is not a valid version"),
        ("inter.broker.protocol.version=0.10.2\n", "java.lang.IllegalArgumentException: requirement failed: log.message.format.version 2.8-IV1 can only be used when inter.broker.protocol.version is set to version 0.11.0 or higher"),
        ("compression.type=brotli\n", "java.lang.IllegalArgumentException: requirement failed: compression.type : brotli is not valid. Valid options are uncompressed,zstd,lz4,snappy,gzip,producer"),
        ("replica.fetch.wait.max.ms=40000\n", "java.lang.IllegalArgumentException: requirement failed: replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent unnecessary socket timeouts"),
        ("log.dirs=,\n", "java.lang.IllegalArgumentException: requirement failed: At least one log directory must be defined via log.dirs or log.dir."),
        ("log.cleaner.threads=0\n", "java.lang.ArithmeticException: / by zero"),
        ("listeners=PLAINTEXT://:9092,SSL://:9092\n", "java.lang.IllegalArgumentException: requirement failed: Each listener must have a different port, listeners: PLAINTEXT://:9092,SSL://:9092"),
        ("advertised.listeners=PLAINTEXT://0.0.0.0:9092\n", "java.lang.IllegalArgumentException: requirement failed: advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address."),
        ("listeners=SSL://:9093\n", "java.lang.IllegalArgumentException: requirement failed: inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are SSL"),
        ("security.inter.broker.protocol=TLS\n", "org.apache.kafka.common.config.ConfigException: Invalid security protocol `TLS` defined in security.inter.broker.protocol"),
        ("offsets.topic.compression.codec=9\n", "kafka.common.UnknownCodecException: 9 is an unknown compression codec"),
        ("authorizer.class.name=my.Authorizer\n", "java.lang.ClassNotFoundException: my.Authorizer"),
        ("principal.builder.class=my.Builder\n", "org.apache.kafka.common.config.ConfigException: Invalid value my.Builder for configuration principal.builder.class: Class my.Builder could not be found."),
        ("zookeeper.session.timeout.ms= 6000x\n", "org.apache.kafka.common.config.ConfigException: Invalid value 6000x for configuration zookeeper.session.timeout.ms: Not a number of type INT"),
    ];
    for (extra, expected) in cases {
        assert_eq!(
            error(Release::V2_8_2, &format!("{ZK}{extra}")),
            expected,
            "{extra}"
        );
    }
    // Values are trimmed; ZooKeeper is required in ZooKeeper mode.
    assert_eq!(
        parse(Release::V2_8_2, &format!("{ZK}broker.id= 7  \n"))
            .config
            .broker_id,
        7
    );
    assert_eq!(
        error(Release::V2_8_2, "broker.id=0\n"),
        "org.apache.kafka.common.config.ConfigException: Missing required configuration `zookeeper.connect` which has no default value."
    );
    // ConfigDef checks in definition order: zookeeper.* before broker.id.
    assert_eq!(
        error(Release::V2_8_2, "broker.id=x\nzookeeper.sync.time.ms=y\n"),
        "org.apache.kafka.common.config.ConfigException: Invalid value y for configuration zookeeper.sync.time.ms: Not a number of type INT"
    );
}

#[test]
fn invalid_values_stop_the_0_8_0_broker_with_kafka_words() {
    let b = "broker.id=0\n";
    let cases = [
        (format!("{ZK}broker.id=abc\n"), "java.lang.NumberFormatException: For input string: \"abc\""),
        // Properties keeps trailing blanks and 0.8.0 does not trim.
        (format!("{ZK}broker.id=0 \n"), "java.lang.NumberFormatException: For input string: \"0 \""),
        (format!("{ZK}broker.id=-1\n"), "java.lang.IllegalArgumentException: requirement failed: broker.id has value -1 which is not in the range (0,2147483647)."),
        (ZK.to_owned(), "java.lang.IllegalArgumentException: requirement failed: Missing required property 'broker.id'"),
        (b.to_owned(), "java.lang.IllegalArgumentException: requirement failed: Missing required property 'zookeeper.connect'"),
        (format!("{b}{ZK}log.segment.bytes=13\n"), "java.lang.IllegalArgumentException: requirement failed: log.segment.bytes has value 13 which is not in the range (14,2147483647)."),
        (format!("{b}{ZK}auto.create.topics.enable=TRUE\n"), "java.lang.IllegalArgumentException: requirement failed: Unacceptable value for property 'auto.create.topics.enable', boolean values must be either 'true' or 'false"),
        (format!("{b}{ZK}log.dirs=\n"), "java.lang.IllegalArgumentException: requirement failed"),
        (format!("{b}{ZK}log.retention.hours.per.topic=t1:0\n"), "java.lang.IllegalArgumentException: Error parsing configuration property 'log.retention.hours.per.topic': Invalid entry 't1' = '0' for property 'log.retention.hours.per.topic'"),
        (format!("{b}{ZK}log.roll.hours.per.topic=t1\n"), "java.lang.IllegalArgumentException: Error parsing configuration property 'log.roll.hours.per.topic': 1"),
        (format!("{b}{ZK}replica.lag.time.max.ms=1e4\n"), "java.lang.NumberFormatException: For input string: \"1e4\""),
        (format!("{b}{ZK}k=\\u12\n"), "java.lang.IllegalArgumentException: Malformed \\uxxxx encoding."),
    ];
    for (text, expected) in cases {
        assert_eq!(error(Release::V0_8_0, &text), expected, "{text}");
    }
    // ZKConfig is read first: a missing zookeeper.connect wins over a bad broker.id.
    assert_eq!(
        error(Release::V0_8_0, "broker.id=x\n"),
        "java.lang.IllegalArgumentException: requirement failed: Missing required property 'zookeeper.connect'"
    );
    let maps = parse(
        Release::V0_8_0,
        &format!("{b}{ZK}log.retention.hours.per.topic=t1:1, t2 : 24\n"),
    )
    .config;
    assert_eq!(
        maps.log_retention_hours_per_topic
            .into_iter()
            .collect::<Vec<_>>(),
        [("t1".to_owned(), 1), ("t2".to_owned(), 24)]
    );
}

#[test]
fn fatal_lines_of_each_release() {
    let e = KafkaConfig::parse(Release::V2_8_2, "broker.id=abc\n", &[]).unwrap_err();
    let fatal = e.fatal_lines(Release::V2_8_2);
    assert_eq!(
        fatal.record,
        LogLine::new(
            Level::Error,
            "kafka.Kafka$",
            "Exiting Kafka due to fatal exception"
        )
    );
    assert_eq!(fatal.exit_code, 1);
    assert_eq!(
        fatal.throwable,
        ["org.apache.kafka.common.config.ConfigException: Invalid value abc for configuration broker.id: Not a number of type INT"]
    );
    let e = KafkaConfig::parse(Release::V0_8_0, "broker.id=abc\nzookeeper.connect=z\n", &[])
        .unwrap_err();
    let fatal = e.fatal_lines(Release::V0_8_0);
    assert_eq!(fatal.record, LogLine::new(Level::Fatal, "kafka.Kafka$", ""));
    assert_eq!(fatal.exit_code, 0);
    assert_eq!(
        fatal.throwable,
        ["java.lang.NumberFormatException: For input string: \"abc\""]
    );
    // A wrapped exception shows its cause.
    let e = KafkaConfig::parse(
        Release::V2_8_2,
        &format!("{ZK}listeners=PLAINTEXT:9092\n"),
        &[],
    )
    .unwrap_err();
    assert_eq!(
        e.throwable_lines(),
        [
            "java.lang.IllegalArgumentException: Error creating broker listeners from 'PLAINTEXT:9092': Unable to parse PLAINTEXT:9092 to a broker endpoint",
            "Caused by: org.apache.kafka.common.KafkaException: Unable to parse PLAINTEXT:9092 to a broker endpoint",
        ]
    );
}

#[test]
fn an_unreadable_file_is_a_fatal_exception_too() {
    let missing = |release| {
        ConfigError::unreadable_file(release, "config/nope.properties", FileProblem::NotFound)
            .to_string()
    };
    assert_eq!(
        missing(Release::V0_8_0),
        "java.io.FileNotFoundException: config/nope.properties (No such file or directory)"
    );
    assert_eq!(
        missing(Release::V2_8_2),
        "java.nio.file.NoSuchFileException: config/nope.properties"
    );
    assert_eq!(
        ConfigError::unreadable_file(Release::V2_8_2, "config", FileProblem::IsADirectory)
            .to_string(),
        "java.io.IOException: Is a directory"
    );
}

/// Listeners as `NAME://host:port`.
fn rendered<T: ToString>(listeners: Option<Vec<T>>) -> Vec<String> {
    listeners
        .expect("listeners are set")
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn listeners_of_2_8_2() {
    let c = parse(
        Release::V2_8_2,
        &format!("{ZK}listeners=PLAINTEXT://:9092,ssl://kafka-1:9093\nadvertised.listeners=PLAINTEXT://kafka-1:9092\n"),
    )
    .config;
    let listeners: Vec<String> = rendered(c.listeners);
    assert_eq!(listeners, ["PLAINTEXT://:9092", "SSL://kafka-1:9093"]);
    let advertised: Vec<String> = rendered(c.advertised_listeners);
    assert_eq!(advertised, ["PLAINTEXT://kafka-1:9092"]);
    // The pre-listeners settings still work: host.name and port make the listener.
    let c = parse(
        Release::V2_8_2,
        &format!("{ZK}host.name=kafka-2\nport=9093\n"),
    )
    .config;
    let listeners: Vec<String> = rendered(c.listeners);
    assert_eq!(listeners, ["PLAINTEXT://kafka-2:9093"]);
    assert_eq!(
        error(Release::V2_8_2, &format!("{ZK}inter.broker.listener.name=PLAINTEXT\nsecurity.inter.broker.protocol=PLAINTEXT\n")),
        "org.apache.kafka.common.config.ConfigException: Only one of inter.broker.listener.name and security.inter.broker.protocol should be set."
    );
    assert_eq!(
        error(Release::V2_8_2, &format!("{ZK}listeners=CLIENT://:9092\n")),
        "java.lang.IllegalArgumentException: Error creating broker listeners from 'CLIENT://:9092': No security protocol defined for listener CLIENT"
    );
    // KRaft mode (process.roles) needs node.id, not zookeeper.connect.
    assert_eq!(
        error(Release::V2_8_2, "process.roles=broker\n"),
        "org.apache.kafka.common.config.ConfigException: Missing configuration `node.id` which is required when `process.roles` is defined (i.e. when running in KRaft mode)."
    );
}

fn values_block_for(overrides: &[(&str, &str)]) -> String {
    let overrides: Vec<(String, String)> = overrides
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let parsed = KafkaConfig::parse(
        Release::V2_8_2,
        server_properties(Release::V2_8_2),
        &overrides,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let block = parsed
        .config
        .values_block()
        .expect("2.8.2 has a values block");
    assert_eq!(block.level, Level::Info);
    assert_eq!(block.logger, "kafka.server.KafkaConfig");
    block.message
}

#[test]
fn the_2_8_2_values_block_for_the_default_file() {
    // Derived from KafkaConfig.scala @2.8.2 (configDef, Defaults) and the
    // constants it names, on Java 8; see the crate's report.
    let expected = include_str!("data/kafka_2.13-2.8.2-default-values.txt");
    assert_eq!(values_block_for(&[]), expected);
}

#[test]
fn the_2_8_2_values_block_with_overrides() {
    let expected = include_str!("data/kafka_2.13-2.8.2-override-values.txt");
    let block = values_block_for(&[
        ("broker.id", "1"),
        ("ssl.keystore.password", "secret"),
        ("log.dirs", "/tmp/k1,/tmp/k2"),
        (
            "principal.builder.class",
            "org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder",
        ),
        ("log.cleaner.min.cleanable.ratio", "0.25"),
        ("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256"),
        ("no.such.setting", "1"),
    ]);
    assert_eq!(block, expected);
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn command_line_of_0_8_0() {
    assert_eq!(
        parse_args(Release::V0_8_0, &args(&["config/server.properties"])),
        Ok(KafkaArgs {
            config_path: "config/server.properties".into(),
            overrides: Vec::new(),
        })
    );
    let usage = UsageError::Exit {
        stream: Stream::Stdout,
        text: "USAGE: java [options] KafkaServer server.properties\n".into(),
        exit_code: 1,
        after_file_read: false,
    };
    assert_eq!(parse_args(Release::V0_8_0, &args(&[])), Err(usage.clone()));
    assert_eq!(
        parse_args(Release::V0_8_0, &args(&["a", "--override", "x=y"])),
        Err(usage)
    );
}

#[test]
fn command_line_of_2_8_2() {
    assert_eq!(
        parse_args(
            Release::V2_8_2,
            &args(&[
                "s.properties",
                "--override",
                "broker.id=2",
                "--override=log.dirs=/a=b",
                "--override",
                "k"
            ]),
        ),
        Ok(KafkaArgs {
            config_path: "s.properties".into(),
            overrides: vec![
                ("broker.id".into(), "2".into()),
                ("log.dirs".into(), "/a=b".into()),
                ("k".into(), "".into()),
            ],
        })
    );
    let help = concat!(
        "Option               Description                                         \n",
        "------               -----------                                         \n",
        "--override <String>  Optional property that should override values set in\n",
        "                       server.properties file                            \n",
        "--version            Print version information and exit.                 \n",
    );
    let Err(UsageError::Exit {
        stream,
        text,
        exit_code,
        ..
    }) = parse_args(Release::V2_8_2, &args(&[]))
    else {
        panic!("no arguments is a usage error")
    };
    assert_eq!(stream, Stream::Stderr);
    assert_eq!(exit_code, 1);
    assert_eq!(
        text,
        format!("USAGE: java [options] kafka.Kafka server.properties [--override property=value]*\n{help}")
    );
    let Err(UsageError::Exit {
        text,
        after_file_read,
        ..
    }) = parse_args(
        Release::V2_8_2,
        &args(&["s.properties", "stray", "--override", "a=b", "x"]),
    )
    else {
        panic!("a stray argument is a usage error")
    };
    assert_eq!(
        text,
        format!("Found non argument parameters: stray,x\n{help}")
    );
    assert!(after_file_read);
    assert_eq!(
        parse_args(Release::V2_8_2, &args(&["s.properties", "--version"])),
        Err(UsageError::Exit {
            stream: Stream::Stdout,
            text: "2.8.2 (Commit:3146c6ff4a24cc24)\n".into(),
            exit_code: 0,
            after_file_read: false,
        })
    );
    let fatal = |list: &[&str]| match parse_args(Release::V2_8_2, &args(list)) {
        Err(UsageError::Fatal(e)) => e.to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        fatal(&["s.properties", "--override"]),
        "joptsimple.OptionMissingRequiredArgumentException: Option override requires an argument"
    );
    assert_eq!(
        fatal(&["s.properties", "--overide", "a=b"]),
        "joptsimple.UnrecognizedOptionException: overide is not a recognized option"
    );
    assert_eq!(
        fatal(&["s.properties", "-daemon"]),
        "joptsimple.UnrecognizedOptionException: d is not a recognized option"
    );
    // Overrides win over the file, and are not trimmed before parsing (the
    // values are, by ConfigDef).
    let KafkaArgs { overrides, .. } = parse_args(
        Release::V2_8_2,
        &args(&[
            "s",
            "--override",
            "broker.id= 5",
            "--override",
            "num.partitions=4",
        ]),
    )
    .unwrap();
    let c = KafkaConfig::parse(
        Release::V2_8_2,
        server_properties(Release::V2_8_2),
        &overrides,
    )
    .unwrap()
    .config;
    assert_eq!(c.broker_id, 5);
    assert_eq!(c.num_partitions, 4);
}

#[test]
fn the_file_is_read_as_iso_8859_1() {
    let c = parse(Release::V2_8_2, &format!("{ZK}log.dirs=/tmp/café\n")).config;
    assert_eq!(c.log_dirs, ["/tmp/cafÃ©"]);
    let c = parse(Release::V2_8_2, &format!("{ZK}log.dirs=/tmp/caf\\u00e9\n")).config;
    assert_eq!(c.log_dirs, ["/tmp/café"]);
}

fn err_or_ok(
    release: Release,
    text: &str,
    overrides: &[(String, String)],
) -> Result<(), ConfigError> {
    KafkaConfig::parse(release, text, overrides).map(|_| ())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_reads_without_panicking(text in ".{0,300}", key in "[a-z.]{1,40}", value in ".{0,20}") {
        for release in [Release::V0_8_0, Release::V2_8_2] {
            let _ = err_or_ok(release, &text, &[]);
            let _ = err_or_ok(release, &format!("{ZK}broker.id=1\n{text}"), &[(key.clone(), value.clone())]);
        }
        let _ = properties::load(&text);
    }

    #[test]
    fn setting_lines_read_without_panicking(
        lines in proptest::collection::vec(
            (proptest::sample::select(broker::config::defs::V2_8_2.iter().chain(broker::config::defs::V0_8_0).map(|d| d.name).collect::<Vec<_>>()),
             "[ -~]{0,12}"),
            0..8),
    ) {
        let mut text = format!("{ZK}broker.id=1\n");
        for (k, v) in &lines {
            text.push_str(&format!("{k}={v}\n"));
        }
        for release in [Release::V0_8_0, Release::V2_8_2] {
            let _ = err_or_ok(release, &text, &[]);
        }
    }

    #[test]
    fn key_value_lines_round_trip(
        pairs in proptest::collection::vec(("[A-Za-z0-9._-]{1,20}", "([^ \t\u{0C}\\\\\r\n][^\\\\\r\n]*)?"), 0..10),
        blank_lines in 0usize..3,
    ) {
        let mut text = String::new();
        for (k, v) in &pairs {
            text.push_str(&"\n".repeat(blank_lines));
            text.push_str(&format!("{k}={v}\n"));
        }
        let loaded = properties::load(&text).unwrap();
        prop_assert_eq!(loaded, pairs);
    }
}

#[test]
fn the_2_8_2_kraft_file_reads_too() {
    let dist = Distribution::all()
        .iter()
        .find(|d| d.release == Release::V2_8_2)
        .unwrap();
    let Content::Text(text) = dist.file("config/kraft/server.properties").unwrap().content else {
        panic!("kraft/server.properties is text")
    };
    let c = parse(Release::V2_8_2, text).config;
    assert_eq!(c.process_roles, ["broker", "controller"]);
    assert_eq!(c.broker_id, 1);
    assert_eq!(c.zookeeper_connect, None);
    let advertised: Vec<String> = rendered(c.advertised_listeners);
    assert_eq!(advertised, ["PLAINTEXT://localhost:9092"]);
}
