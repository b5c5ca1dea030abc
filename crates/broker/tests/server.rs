//! The broker process in a world with ZooKeeper, per release: the console
//! of a first start, the znodes it writes, the controller's lines as a
//! second broker joins and leaves, a clean shutdown, a restart after
//! `kill -9`, and every start-up error of BROKER-LIFECYCLE.md A.6 and B.6
//! with its exact text and exit status.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use broker::server::KafkaServer;
use coord::client::{ClientEvent, ZkClient};
use coord::jvm::Environment;
use coord::proto::{Op, ReplyBody};
use coord::server::QuorumPeerMain;
use coord::ZkVersion;
use distribution::{Content, Distribution, Release};
use sim::{Context, Event, Process, ProcessId, Signal, Stdio, World, WorldConfig};

const HOME: &str = "/root/kafka";
const LOGS: &str = "/root/kafka/logs";

fn zk_version(release: Release) -> ZkVersion {
    match release {
        Release::V0_8_0 => ZkVersion::V3_3,
        Release::V2_8_2 => ZkVersion::V3_5,
    }
}

fn distribution(release: Release) -> &'static Distribution {
    Distribution::all()
        .iter()
        .find(|d| d.release == release)
        .expect("a distribution of each release")
}

fn config_text(release: Release, name: &str) -> String {
    match distribution(release)
        .file(&format!("config/{name}"))
        .map(|f| f.content)
    {
        Some(Content::Text(text)) => text.to_owned(),
        _ => panic!("config/{name} is in the distribution"),
    }
}

/// A broker's `server.properties` with another id, port and log dir.
fn variant(server: &str, id: i32, port: i32, dir: &str) -> String {
    server
        .replace("broker.id=0", &format!("broker.id={id}"))
        .replace("log.dirs=/tmp/kafka-logs", &format!("log.dirs={dir}"))
        .replace("port=9092", &format!("port={port}"))
        .replace(
            "#listeners=PLAINTEXT://:9092",
            &format!("listeners=PLAINTEXT://:{port}"),
        )
}

/// A world whose hosts have the release's `config/` under [`HOME`], and
/// variants of `server.properties`: `server-1` (broker 1, port 9093,
/// `/tmp/kafka-logs-1`), `same-port` (broker 1 on 9092) and `same-id`
/// (broker 0 on 9093), both in `/tmp/kafka-logs-1`.
fn world(release: Release) -> World {
    let w = World::new(WorldConfig::playground(5, WorldConfig::DEFAULT_START_TIME));
    let server = config_text(release, "server.properties");
    let files = [
        ("server.properties", server.clone()),
        (
            "server-1.properties",
            variant(&server, 1, 9093, "/tmp/kafka-logs-1"),
        ),
        (
            "same-port.properties",
            variant(&server, 1, 9092, "/tmp/kafka-logs-1"),
        ),
        (
            "same-id.properties",
            variant(&server, 0, 9093, "/tmp/kafka-logs-1"),
        ),
        (
            "zookeeper.properties",
            config_text(release, "zookeeper.properties"),
        ),
    ];
    for host in ["kafka-1", "kafka-2", "kafka-3"] {
        let fs = w.host_fs(host).unwrap();
        let mut fs = fs.borrow_mut();
        fs.create_dir_all(&format!("{HOME}/config")).unwrap();
        for (name, text) in &files {
            fs.write(&format!("{HOME}/config/{name}"), text.clone().into_bytes())
                .unwrap();
        }
    }
    w
}

fn env(host: &str) -> Environment {
    Environment {
        host_name: host.into(),
        class_path: ":/root/kafka/libs/kafka.jar".into(),
        user_dir: HOME.into(),
    }
}

fn start_zookeeper(w: &mut World, release: Release) -> ProcessId {
    let server = QuorumPeerMain::new(
        zk_version(release),
        vec!["config/zookeeper.properties".into()],
        env("kafka-1"),
        None,
    );
    w.spawn(
        "kafka-1",
        vec!["java".into(), "QuorumPeerMain".into()],
        HOME,
        Stdio::Null,
        Box::new(server),
    )
}

/// `java ... kafka.Kafka <args>` on kafka-1, its log4j files in `logs`.
fn start_broker(w: &mut World, release: Release, args: &[&str], logs: &str) -> ProcessId {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let server = KafkaServer::new(release, args.clone(), env("kafka-1"), logs);
    let mut argv = vec!["java".to_owned(), "kafka.Kafka".to_owned()];
    argv.extend(args);
    w.spawn("kafka-1", argv, HOME, Stdio::Capture, Box::new(server))
}

fn run_for(w: &mut World, seconds: f64) {
    w.run_for(Duration::from_secs_f64(seconds));
}

/// Lines without their `[timestamp] ` (continuation lines as they are).
fn strip(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| match l.strip_prefix('[') {
            Some(rest) if rest.starts_with("20") => {
                rest.split_once("] ").map_or(l, |(_, r)| r).to_owned()
            }
            _ => l.to_owned(),
        })
        .collect()
}

/// The console a process printed so far (taken from the world).
fn console(w: &mut World, pid: &ProcessId) -> Vec<String> {
    let (out, err) = w.take_output(pid);
    assert_eq!(err, "", "nothing on stderr");
    strip(&out)
}

fn file(w: &World, path: &str) -> Option<String> {
    let fs = w.host_fs("kafka-1").unwrap();
    let fs = fs.borrow();
    fs.read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// `expected` lines may hold `…`: any text there.
fn matches(line: &str, pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.split('…').collect();
    if parts.len() == 1 {
        return line == pattern;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !line.starts_with(first) || !line.ends_with(last) || line.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &line[first.len()..line.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

fn assert_lines(actual: &[String], expected: &[&str]) {
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            matches(a, e),
            "line {i}:\n  actual:   {a}\n  expected: {e}\nall:\n{}",
            actual.join("\n")
        );
    }
    assert_eq!(actual.len(), expected.len(), "all:\n{}", actual.join("\n"));
}

/// The lines between the first matching `from` and the first matching `to` after it (both included).
fn between(lines: &[String], from: &str, to: &str) -> Vec<String> {
    let start = lines
        .iter()
        .position(|l| matches(l, from))
        .unwrap_or_else(|| panic!("{from} in\n{}", lines.join("\n")));
    let end = start
        + lines[start..]
            .iter()
            .position(|l| matches(l, to))
            .unwrap_or_else(|| panic!("{to} in\n{}", lines.join("\n")));
    lines[start..=end].to_vec()
}

type Answers = Rc<RefCell<Vec<String>>>;

/// A ZooKeeper client that runs its reads one after another and notes the answers.
struct Reader {
    client: ZkClient,
    ops: VecDeque<Op>,
    answers: Answers,
}

impl Reader {
    fn events(&mut self, ctx: &mut Context<'_>, events: Vec<ClientEvent>) {
        let mut next = false;
        for e in events {
            match e {
                ClientEvent::State(coord::KeeperState::SyncConnected) => next = true,
                ClientEvent::Reply { result, .. } => {
                    let text = match result {
                        Ok(ReplyBody::Data { data, stat }) => format!(
                            "{} owner:{}",
                            data.map_or("null".to_owned(), |d| String::from_utf8_lossy(&d)
                                .into_owned()),
                            stat.ephemeral_owner != 0
                        ),
                        Ok(ReplyBody::Children { mut children, .. }) => {
                            children.sort();
                            format!("{children:?}")
                        }
                        Ok(_) => "ok".to_owned(),
                        Err(e) => e.code.text().to_owned(),
                    };
                    self.answers.borrow_mut().push(text);
                    next = true;
                }
                _ => {}
            }
        }
        if next {
            match self.ops.pop_front() {
                Some(op) => {
                    let (_, events) = self.client.submit(ctx, op);
                    self.events(ctx, events);
                }
                None => ctx.exit(0),
            }
        }
    }
}

impl Process for Reader {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        let events = match event {
            Event::Start => self.client.start(ctx),
            event => self.client.handle(ctx, event).unwrap_or_default(),
        };
        self.events(ctx, events);
    }
}

fn get(path: &str) -> Op {
    Op::GetData {
        path: path.into(),
        watch: false,
    }
}

fn ls(path: &str) -> Op {
    Op::GetChildren {
        path: path.into(),
        watch: false,
        with_stat: false,
    }
}

/// Runs reads against kafka-1's ZooKeeper from kafka-2.
fn read_zk(w: &mut World, release: Release, ops: Vec<Op>) -> Vec<String> {
    let answers = Answers::default();
    let reader = Reader {
        client: ZkClient::new(zk_version(release), "kafka-1:2181", 30_000),
        ops: ops.into(),
        answers: answers.clone(),
    };
    w.spawn(
        "kafka-2",
        vec!["reader".into()],
        "/",
        Stdio::Null,
        Box::new(reader),
    );
    run_for(w, 1.0);
    let out = answers.borrow().clone();
    out
}

/// ZooKeeper and broker 0 started and settled.
fn cluster(release: Release) -> (World, ProcessId) {
    let mut w = world(release);
    start_zookeeper(&mut w, release);
    run_for(&mut w, 1.0);
    let broker = start_broker(&mut w, release, &["config/server.properties"], LOGS);
    run_for(&mut w, 2.0);
    (w, broker)
}

/// The console without the `Client environment:` lines, which are checked
/// against [`client_environment`].
fn without_environment(release: Release, lines: &[String]) -> Vec<String> {
    let (env, rest): (Vec<String>, Vec<String>) = lines
        .iter()
        .cloned()
        .partition(|l| l.starts_with("INFO Client environment:"));
    assert_eq!(env, client_environment(release));
    rest
}

/// What the ZooKeeper client's `Environment.logEnv` prints in a broker started from [`HOME`].
fn client_environment(release: Release) -> Vec<String> {
    let version = match release {
        Release::V0_8_0 => "3.3.3-1203054, built on 11/17/2011 05:47 GMT",
        Release::V2_8_2 => {
            "3.5.9-83df9301aa5c2a5d284a9940177808c01bc35cef, built on 01/06/2021 20:03 GMT"
        }
    };
    let mut entries = vec![
        ("zookeeper.version", version),
        ("host.name", "kafka-1"),
        ("java.version", "1.8.0_202"),
        ("java.vendor", "Oracle Corporation"),
        ("java.home", "/usr/lib/jvm/java-8-oracle/jre"),
        ("java.class.path", ":/root/kafka/libs/kafka.jar"),
        (
            "java.library.path",
            "/usr/java/packages/lib/amd64:/usr/lib64:/lib64:/lib:/usr/lib",
        ),
        ("java.io.tmpdir", "/tmp"),
        ("java.compiler", "<NA>"),
        ("os.name", "Linux"),
        ("os.arch", "amd64"),
        ("os.version", "4.15.0-20-generic"),
        ("user.name", "root"),
        ("user.home", "/root"),
        ("user.dir", "/root/kafka"),
    ];
    if release == Release::V2_8_2 {
        // -Xmx1G: a young JVM has used 19 MB.
        entries.extend([
            ("os.memory.free", "1005MB"),
            ("os.memory.max", "1024MB"),
            ("os.memory.total", "1024MB"),
        ]);
    }
    entries
        .into_iter()
        .map(|(k, v)| format!("INFO Client environment:{k}={v} (org.apache.zookeeper.ZooKeeper)"))
        .collect()
}

// --- 0.8.0 -----------------------------------------------------------------------------

const CONSOLE_0_8_0_FROM_STARTING: &[&str] = &[
    "INFO [Kafka Server 0], Starting (kafka.server.KafkaServer)",
    "INFO [Log Manager on Broker 0] Log directory '/tmp/kafka-logs' not found, creating it. (kafka.log.LogManager)",
    "INFO [Log Manager on Broker 0] Starting log cleaner every 60000 ms (kafka.log.LogManager)",
    "INFO [Log Manager on Broker 0] Starting log flusher every 3000 ms with the following overrides Map() (kafka.log.LogManager)",
    "INFO Awaiting socket connections on 0.0.0.0:9092. (kafka.network.Acceptor)",
    "INFO [Socket Server on Broker 0], Started (kafka.network.SocketServer)",
    "INFO connecting to ZK: localhost:2181 (kafka.server.KafkaZooKeeper)",
    "INFO Starting ZkClient event thread. (org.I0Itec.zkclient.ZkEventThread)",
    "INFO Initiating client connection, connectString=localhost:2181 sessionTimeout=6000 watcher=org.I0Itec.zkclient.ZkClient@… (org.apache.zookeeper.ZooKeeper)",
    "INFO Opening socket connection to server localhost/127.0.0.1:2181 (org.apache.zookeeper.ClientCnxn)",
    "INFO Socket connection established to localhost/127.0.0.1:2181, initiating session (org.apache.zookeeper.ClientCnxn)",
    "INFO Session establishment complete on server localhost/127.0.0.1:2181, sessionid = 0x1…, negotiated timeout = 6000 (org.apache.zookeeper.ClientCnxn)",
    "INFO zookeeper state changed (SyncConnected) (org.I0Itec.zkclient.ZkClient)",
    "INFO Registered broker 0 at path /brokers/ids/0 with address kafka-1:9092. (kafka.utils.ZkUtils$)",
    "INFO [Kafka Server 0], Connecting to ZK: localhost:2181 (kafka.server.KafkaServer)",
    "INFO Will not load MX4J, mx4j-tools.jar is not in the classpath (kafka.utils.Mx4jLoader$)",
    "INFO 0 successfully elected as leader (kafka.server.ZookeeperLeaderElector)",
    "INFO [Kafka Server 0], Started (kafka.server.KafkaServer)",
    "INFO New leader is 0 (kafka.server.ZookeeperLeaderElector$LeaderChangeListener)",
];

const CONTROLLER_LOG_0_8_0: &[&str] = &[
    "INFO [Controller 0]: Controller starting up (kafka.controller.KafkaController)",
    "INFO [Controller 0]: Broker 0 starting become controller state transition (kafka.controller.KafkaController)",
    "INFO [Controller 0]: Controller 0 incremented epoch to 1 (kafka.controller.KafkaController)",
    "DEBUG [Channel manager on controller 0]: Controller 0 trying to connect to broker 0 (kafka.controller.ControllerChannelManager)",
    "INFO [Controller-0-to-broker-0-send-thread], Starting  (kafka.controller.RequestSendThread)",
    "INFO [Controller 0]: Currently active brokers in the cluster: Set(0) (kafka.controller.KafkaController)",
    "INFO [Controller 0]: Currently shutting brokers in the cluster: Set() (kafka.controller.KafkaController)",
    "INFO [Controller 0]: Current list of topics in the cluster: Set() (kafka.controller.KafkaController)",
    "INFO [Replica state machine on controller 0]: No state transitions triggered since no partitions are assigned to brokers 0 (kafka.controller.ReplicaStateMachine)",
    "INFO [Replica state machine on controller 0]: Invoking state change to OnlineReplica for replicas  (kafka.controller.ReplicaStateMachine)",
    "INFO [Replica state machine on controller 0]: Started replica state machine with initial state -> Map() (kafka.controller.ReplicaStateMachine)",
    "INFO [Partition state machine on Controller 0]: Started partition state machine with initial state -> Map() (kafka.controller.PartitionStateMachine)",
    "INFO [Controller 0]: Broker 0 is ready to serve as the new controller with epoch 1 (kafka.controller.KafkaController)",
    "INFO [Controller 0]: Partitions being reassigned: Map() (kafka.controller.KafkaController)",
    "INFO [Controller 0]: Partitions already reassigned: List() (kafka.controller.KafkaController)",
    "INFO [Controller 0]: Resuming reassignment of partitions: Map() (kafka.controller.KafkaController)",
    "INFO [Controller 0]: Partitions undergoing preferred replica election:  (kafka.controller.KafkaController)",
    "INFO [Controller 0]: Partitions that completed preferred replica election:  (kafka.controller.KafkaController)",
    "INFO [Controller 0]: Resuming preferred replica election for partitions:  (kafka.controller.KafkaController)",
    "INFO [Controller 0]: Starting preferred replica leader election for partitions  (kafka.controller.KafkaController)",
    "INFO [Partition state machine on Controller 0]: Invoking state change to OnlinePartition for partitions  (kafka.controller.PartitionStateMachine)",
    "INFO [Controller 0]: Controller startup complete (kafka.controller.KafkaController)",
    "DEBUG [ControllerEpochListener on 0]: Controller epoch listener fired with new epoch 1 (kafka.controller.ControllerEpochListener)",
    "INFO [ControllerEpochListener on 0]: Initialized controller epoch to 1 and zk version 0 (kafka.controller.ControllerEpochListener)",
];

#[test]
fn first_start_0_8_0() {
    let (mut w, broker) = cluster(Release::V0_8_0);
    let out = console(&mut w, &broker);
    // The VerifiableProperties block comes first (tested with the config).
    assert_eq!(
        out[0],
        "INFO Verifying properties (kafka.utils.VerifiableProperties)"
    );
    let start = out.iter().position(|l| l.contains("], Starting")).unwrap();
    assert!(out[1..start]
        .iter()
        .all(|l| l.starts_with("INFO Property ")));
    assert_lines(
        &without_environment(Release::V0_8_0, &out[start..]),
        CONSOLE_0_8_0_FROM_STARTING,
    );
    // server.log: the kafka.* lines of the console, not ZooKeeper's nor zkclient's.
    let server_log = strip(&file(&w, &format!("{LOGS}/server.log")).unwrap());
    let kafka_lines: Vec<String> = out
        .iter()
        .filter(|l| !l.contains("(org."))
        .cloned()
        .collect();
    assert_eq!(server_log, kafka_lines);
    let controller_log = strip(&file(&w, &format!("{LOGS}/controller.log")).unwrap());
    assert_lines(&controller_log, CONTROLLER_LOG_0_8_0);
    assert_eq!(file(&w, &format!("{LOGS}/state-change.log")), None);
    // The znodes: registration, controller, epoch; nothing else of Kafka's.
    let now = WorldConfig::DEFAULT_START_TIME.unix_millis() + 1000;
    let answers = read_zk(
        &mut w,
        Release::V0_8_0,
        vec![
            ls("/"),
            ls("/brokers"),
            get("/brokers/ids/0"),
            get("/controller"),
            get("/controller_epoch"),
        ],
    );
    assert_eq!(
        answers[0],
        r#"["brokers", "controller", "controller_epoch", "zookeeper"]"#
    );
    assert_eq!(answers[1], r#"["ids"]"#);
    assert_eq!(
        answers[2],
        format!(
            r#"{{ "host":"kafka-1", "jmx_port":-1, "port":9092, "timestamp":"{now}", "version":1 }} owner:true"#
        )
    );
    assert_eq!(
        answers[3],
        format!(r#"{{ "brokerid":0, "timestamp":"{now}", "version":1 }} owner:true"#)
    );
    assert_eq!(answers[4], "1 owner:false");
}

// --- 2.8.2 -----------------------------------------------------------------------------

const CONSOLE_2_8_2: &[&str] = &[
    "INFO Registered kafka:type=kafka.Log4jController MBean (kafka.utils.Log4jControllerRegistration$)",
    "INFO Setting -D jdk.tls.rejectClientInitiatedRenegotiation=true to disable client-initiated TLS renegotiation (org.apache.zookeeper.common.X509Util)",
    "INFO Registered signal handlers for TERM, INT, HUP (org.apache.kafka.common.utils.LoggingSignalHandler)",
    "INFO starting (kafka.server.KafkaServer)",
    "INFO Connecting to zookeeper on localhost:2181 (kafka.server.KafkaServer)",
    "INFO [ZooKeeperClient Kafka server] Initializing a new session to localhost:2181. (kafka.zookeeper.ZooKeeperClient)",
    "INFO Initiating client connection, connectString=localhost:2181 sessionTimeout=18000 watcher=kafka.zookeeper.ZooKeeperClient$ZooKeeperClientWatcher$@… (org.apache.zookeeper.ZooKeeper)",
    "INFO jute.maxbuffer value is 4194304 Bytes (org.apache.zookeeper.ClientCnxnSocket)",
    "INFO zookeeper.request.timeout value is 0. feature enabled= (org.apache.zookeeper.ClientCnxn)",
    "INFO [ZooKeeperClient Kafka server] Waiting until connected. (kafka.zookeeper.ZooKeeperClient)",
    "INFO Opening socket connection to server localhost/127.0.0.1:2181. Will not attempt to authenticate using SASL (unknown error) (org.apache.zookeeper.ClientCnxn)",
    "INFO Socket connection established, initiating session, client: /127.0.0.1:…, server: localhost/127.0.0.1:2181 (org.apache.zookeeper.ClientCnxn)",
    "INFO Session establishment complete on server localhost/127.0.0.1:2181, sessionid = 0x1000…, negotiated timeout = 18000 (org.apache.zookeeper.ClientCnxn)",
    "INFO [ZooKeeperClient Kafka server] Connected. (kafka.zookeeper.ZooKeeperClient)",
    "INFO [feature-zk-node-event-process-thread]: Starting (kafka.server.FinalizedFeatureChangeListener$ChangeNotificationProcessorThread)",
    "INFO Feature ZK node at path: /feature does not exist (kafka.server.FinalizedFeatureChangeListener)",
    "INFO Cleared cache (kafka.server.FinalizedFeatureCache)",
    "INFO Cluster ID = … (kafka.server.KafkaServer)",
    "WARN No meta.properties file under dir /tmp/kafka-logs/meta.properties (kafka.server.BrokerMetadataCheckpoint)",
    "INFO KafkaConfig values: ",
    "INFO KafkaConfig values: ",
    "INFO [ThrottledChannelReaper-Fetch]: Starting (kafka.server.ClientQuotaManager$ThrottledChannelReaper)",
    "INFO [ThrottledChannelReaper-Produce]: Starting (kafka.server.ClientQuotaManager$ThrottledChannelReaper)",
    "INFO [ThrottledChannelReaper-Request]: Starting (kafka.server.ClientQuotaManager$ThrottledChannelReaper)",
    "INFO [ThrottledChannelReaper-ControllerMutation]: Starting (kafka.server.ClientQuotaManager$ThrottledChannelReaper)",
    "INFO Log directory /tmp/kafka-logs not found, creating it. (kafka.log.LogManager)",
    "INFO Loading logs from log dirs ArraySeq(/tmp/kafka-logs) (kafka.log.LogManager)",
    "INFO Attempting recovery for all logs in /tmp/kafka-logs since no clean shutdown file was found (kafka.log.LogManager)",
    "INFO Loaded 0 logs in 0ms. (kafka.log.LogManager)",
    "INFO Starting log cleanup with a period of 300000 ms. (kafka.log.LogManager)",
    "INFO Starting log flusher with a default period of 9223372036854775807 ms. (kafka.log.LogManager)",
    "INFO Updated connection-accept-rate max connection creation rate to 2147483647 (kafka.network.ConnectionQuotas)",
    "INFO Awaiting socket connections on 0.0.0.0:9092. (kafka.network.Acceptor)",
    "INFO [SocketServer listenerType=ZK_BROKER, nodeId=0] Created data-plane acceptor and processors for endpoint : ListenerName(PLAINTEXT) (kafka.network.SocketServer)",
    "INFO [broker-0-to-controller-send-thread]: Starting (kafka.server.BrokerToControllerRequestThread)",
    "INFO [ExpirationReaper-0-Produce]: Starting (kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper)",
    "INFO [ExpirationReaper-0-Fetch]: Starting (kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper)",
    "INFO [ExpirationReaper-0-DeleteRecords]: Starting (kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper)",
    "INFO [ExpirationReaper-0-ElectLeader]: Starting (kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper)",
    "INFO [LogDirFailureHandler]: Starting (kafka.server.ReplicaManager$LogDirFailureHandler)",
    "INFO Creating /brokers/ids/0 (is it secure? false) (kafka.zk.KafkaZkClient)",
    "INFO Stat of the created znode at /brokers/ids/0 is: 25,25,…,…,1,0,0,…,198,0,25",
    " (kafka.zk.KafkaZkClient)",
    "INFO Registered broker 0 at path /brokers/ids/0 with addresses: PLAINTEXT://kafka-1:9092, czxid (broker epoch): 25 (kafka.zk.KafkaZkClient)",
    "INFO [ExpirationReaper-0-topic]: Starting (kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper)",
    "INFO [ExpirationReaper-0-Heartbeat]: Starting (kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper)",
    "INFO [ExpirationReaper-0-Rebalance]: Starting (kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper)",
    "INFO Successfully created /controller_epoch with initial epoch 0 (kafka.zk.KafkaZkClient)",
    "INFO [GroupCoordinator 0]: Starting up. (kafka.coordinator.group.GroupCoordinator)",
    "INFO [GroupCoordinator 0]: Startup complete. (kafka.coordinator.group.GroupCoordinator)",
    "INFO Feature ZK node created at path: /feature (kafka.server.FinalizedFeatureChangeListener)",
    "INFO [ProducerId Manager 0]: Acquired new producerId block (brokerId:0,blockStartProducerId:0,blockEndProducerId:999) by writing to Zk with path version 1 (kafka.coordinator.transaction.ProducerIdManager)",
    "INFO [TransactionCoordinator id=0] Starting up. (kafka.coordinator.transaction.TransactionCoordinator)",
    "INFO [Transaction Marker Channel Manager 0]: Starting (kafka.coordinator.transaction.TransactionMarkerChannelManager)",
    "INFO [TransactionCoordinator id=0] Startup complete. (kafka.coordinator.transaction.TransactionCoordinator)",
    "INFO Updated cache from existing <empty> to latest FinalizedFeaturesAndEpoch(features=Features{}, epoch=0). (kafka.server.FinalizedFeatureCache)",
    "INFO [ExpirationReaper-0-AlterAcls]: Starting (kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper)",
    "INFO [/config/changes-event-process-thread]: Starting (kafka.common.ZkNodeChangeNotificationListener$ChangeEventProcessThread)",
    "INFO [SocketServer listenerType=ZK_BROKER, nodeId=0] Starting socket server acceptors and processors (kafka.network.SocketServer)",
    "INFO [SocketServer listenerType=ZK_BROKER, nodeId=0] Started data-plane acceptor and processor(s) for endpoint : ListenerName(PLAINTEXT) (kafka.network.SocketServer)",
    "INFO [SocketServer listenerType=ZK_BROKER, nodeId=0] Started socket server acceptors and processors (kafka.network.SocketServer)",
    "INFO Kafka version: 2.8.2 (org.apache.kafka.common.utils.AppInfoParser)",
    "INFO Kafka commitId: 3146c6ff4a24cc24 (org.apache.kafka.common.utils.AppInfoParser)",
    "INFO Kafka startTimeMs: … (org.apache.kafka.common.utils.AppInfoParser)",
    "INFO [KafkaServer id=0] started (kafka.server.KafkaServer)",
    "INFO [broker-0-to-controller-send-thread]: Recorded new controller, from now on will use broker kafka-1:9092 (id: 0 rack: null) (kafka.server.BrokerToControllerRequestThread)",
];

/// The console without the `KafkaConfig values:` blocks' setting lines.
fn without_config_blocks(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .filter(|l| {
            !(l.starts_with('\t') && l.contains(" = ")) && l != " (kafka.server.KafkaConfig)"
        })
        .collect()
}

const CONTROLLER_LOG_2_8_2: &[&str] = &[
    "INFO [ControllerEventThread controllerId=0] Starting (kafka.controller.ControllerEventManager$ControllerEventThread)",
    "INFO [Controller id=0] 0 successfully elected as the controller. Epoch incremented to 1 and epoch zk version is now 1 (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Creating FeatureZNode at path: /feature with contents: FeatureZNode(Enabled,Features{}) (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Registering handlers (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Deleting log dir event notifications (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Deleting isr change notifications (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Initializing controller context (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Initialized broker epochs cache: HashMap(0 -> 25) (kafka.controller.KafkaController)",
    "DEBUG [Controller id=0] Register BrokerModifications handler for Set(0) (kafka.controller.KafkaController)",
    "DEBUG [Channel manager on controller 0]: Controller 0 trying to connect to broker 0 (kafka.controller.ControllerChannelManager)",
    "INFO [RequestSendThread controllerId=0] Starting (kafka.controller.RequestSendThread)",
    "INFO [Controller id=0] Currently active brokers in the cluster: Set(0) (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Currently shutting brokers in the cluster: HashSet() (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Current list of topics in the cluster: HashSet() (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Fetching topic deletions in progress (kafka.controller.KafkaController)",
    "INFO [Controller id=0] List of topics to be deleted:  (kafka.controller.KafkaController)",
    "INFO [Controller id=0] List of topics ineligible for deletion:  (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Initializing topic deletion manager (kafka.controller.KafkaController)",
    "INFO [Topic Deletion Manager 0] Initializing manager with initial deletions: Set(), initial ineligible deletions: HashSet() (kafka.controller.TopicDeletionManager)",
    "INFO [Controller id=0] Sending update metadata request (kafka.controller.KafkaController)",
    "INFO [ReplicaStateMachine controllerId=0] Initializing replica state (kafka.controller.ZkReplicaStateMachine)",
    "INFO [ReplicaStateMachine controllerId=0] Triggering online replica state changes (kafka.controller.ZkReplicaStateMachine)",
    "INFO [ReplicaStateMachine controllerId=0] Triggering offline replica state changes (kafka.controller.ZkReplicaStateMachine)",
    "DEBUG [ReplicaStateMachine controllerId=0] Started replica state machine with initial state -> HashMap() (kafka.controller.ZkReplicaStateMachine)",
    "INFO [PartitionStateMachine controllerId=0] Initializing partition state (kafka.controller.ZkPartitionStateMachine)",
    "INFO [PartitionStateMachine controllerId=0] Triggering online partition state changes (kafka.controller.ZkPartitionStateMachine)",
    "DEBUG [PartitionStateMachine controllerId=0] Started partition state machine with initial state -> HashMap() (kafka.controller.ZkPartitionStateMachine)",
    "INFO [Controller id=0] Ready to serve as the new controller with epoch 1 (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Partitions undergoing preferred replica election:  (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Partitions that completed preferred replica election:  (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Skipping preferred replica election for partitions due to topic deletion:  (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Resuming preferred replica election for partitions:  (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Starting replica leader election (PREFERRED) for partitions  triggered by ZkTriggered (kafka.controller.KafkaController)",
    "INFO [Controller id=0] Starting the controller scheduler (kafka.controller.KafkaController)",
    "INFO [RequestSendThread controllerId=0] Controller 0 connected to kafka-1:9092 (id: 0 rack: null) for sending state change requests (kafka.controller.RequestSendThread)",
];

#[test]
fn first_start_2_8_2() {
    let (mut w, broker) = cluster(Release::V2_8_2);
    let out = console(&mut w, &broker);
    let blocks = out
        .iter()
        .filter(|l| l.as_str() == "INFO KafkaConfig values: ")
        .count();
    assert_eq!(blocks, 2, "KafkaConfig values twice");
    assert!(out.contains(&"\tbroker.id = 0".to_owned()));
    assert_lines(
        &without_environment(Release::V2_8_2, &without_config_blocks(out.clone())),
        CONSOLE_2_8_2,
    );
    // stdout and server.log carry the same lines.
    let server_log = strip(&file(&w, &format!("{LOGS}/server.log")).unwrap());
    assert_eq!(server_log, out);
    assert_lines(
        &strip(&file(&w, &format!("{LOGS}/controller.log")).unwrap()),
        CONTROLLER_LOG_2_8_2,
    );
    assert_lines(
        &strip(&file(&w, &format!("{LOGS}/state-change.log")).unwrap()),
        &[
            "INFO [Controller id=0 epoch=1] Sending UpdateMetadata request to brokers HashSet(0) for 0 partitions (state.change.logger)",
            "INFO [Broker id=0] Add 0 partitions and deleted 0 partitions from metadata cache in response to UpdateMetadata request sent by controller 0 epoch 1 with correlation id 0 (state.change.logger)",
        ],
    );
    assert_lines(
        &strip(&file(&w, &format!("{LOGS}/log-cleaner.log")).unwrap()),
        &["INFO Starting the log cleaner (kafka.log.LogCleaner)"],
    );
    let cluster_id = out
        .iter()
        .find_map(|l| l.strip_prefix("INFO Cluster ID = "))
        .and_then(|l| l.strip_suffix(" (kafka.server.KafkaServer)"))
        .unwrap()
        .to_owned();
    assert_eq!(cluster_id.len(), 22);
    let answers = read_zk(
        &mut w,
        Release::V2_8_2,
        vec![
            ls("/"),
            get("/brokers/ids/0"),
            get("/controller"),
            get("/controller_epoch"),
            get("/cluster/id"),
            get("/feature"),
            get("/latest_producer_id_block"),
        ],
    );
    assert_eq!(
        answers[0],
        r#"["admin", "brokers", "cluster", "config", "consumers", "controller", "controller_epoch", "feature", "isr_change_notification", "latest_producer_id_block", "log_dir_event_notification", "zookeeper"]"#
    );
    assert!(
        matches(
            &answers[1],
            r#"{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://kafka-1:9092"],"jmx_port":-1,"port":9092,"host":"kafka-1","version":5,"timestamp":"1380585601…"} owner:true"#
        ),
        "{}",
        answers[1]
    );
    assert!(
        matches(
            &answers[2],
            r#"{"version":1,"brokerid":0,"timestamp":"…"} owner:true"#
        ),
        "{}",
        answers[2]
    );
    assert_eq!(answers[3], "1 owner:false");
    assert_eq!(
        answers[4],
        format!(r#"{{"version":"1","id":"{cluster_id}"}} owner:false"#)
    );
    assert_eq!(
        answers[5],
        r#"{"features":{},"version":1,"status":1} owner:false"#
    );
    assert_eq!(
        answers[6],
        r#"{"version":1,"broker":0,"block_start":"0","block_end":"999"} owner:false"#
    );
    // meta.properties names the cluster.
    let meta = file(&w, "/tmp/kafka-logs/meta.properties").unwrap();
    assert!(
        meta.contains(&format!("cluster.id={cluster_id}\n")),
        "{meta}"
    );
}

// --- brokers joining and leaving ------------------------------------------------------

/// The lines a log file got since `from` lines.
fn log_since(w: &World, path: &str, from: usize) -> Vec<String> {
    let lines = strip(&file(w, path).unwrap_or_default());
    lines[from.min(lines.len())..].to_vec()
}

fn line_count(w: &World, path: &str) -> usize {
    strip(&file(w, path).unwrap_or_default()).len()
}

#[test]
fn a_second_broker_joins_and_leaves_0_8_0() {
    let release = Release::V0_8_0;
    let (mut w, b0) = cluster(release);
    console(&mut w, &b0);
    let controller_log = format!("{LOGS}/controller.log");
    let seen = line_count(&w, &controller_log);
    let b1 = start_broker(
        &mut w,
        release,
        &["config/server-1.properties"],
        "/root/kafka-1/logs",
    );
    run_for(&mut w, 2.0);
    // Broker 1 loses the election and says so as 0.8.0's ZkUtils does.
    let out1 = console(&mut w, &b1);
    assert_lines(
        &between(&out1, "INFO Registered broker 1…", "INFO [Kafka Server 1], Started…"),
        &[
            "INFO Registered broker 1 at path /brokers/ids/1 with address kafka-1:9093. (kafka.utils.ZkUtils$)",
            "INFO [Kafka Server 1], Connecting to ZK: localhost:2181 (kafka.server.KafkaServer)",
            "INFO Will not load MX4J, mx4j-tools.jar is not in the classpath (kafka.utils.Mx4jLoader$)",
            r#"INFO conflict in /controller data: { "brokerid":1, "timestamp":"1380585603000", "version":1 } stored data: { "brokerid":0, "timestamp":"1380585601000", "version":1 } (kafka.utils.ZkUtils$)"#,
            "INFO [Kafka Server 1], Started (kafka.server.KafkaServer)",
        ],
    );
    assert!(!out1.iter().any(|l| l.contains("New leader is")));
    assert_lines(
        &strip(&file(&w, "/root/kafka-1/logs/controller.log").unwrap()),
        &[
            "INFO [ControllerEpochListener on 1]: Initialized controller epoch to 1 and zk version 0 (kafka.controller.ControllerEpochListener)",
            "INFO [Controller 1]: Controller starting up (kafka.controller.KafkaController)",
            "INFO [Controller 1]: Controller startup complete (kafka.controller.KafkaController)",
        ],
    );
    // The controller sees it join.
    assert_eq!(
        console(&mut w, &b0),
        ["INFO No state transitions triggered since no partitions are assigned to brokers 1 (kafka.utils.ZkUtils$)"]
    );
    assert_lines(
        &log_since(&w, &controller_log, seen),
        &[
            "INFO [BrokerChangeListener on Controller 0]: Broker change listener fired for path /brokers/ids with children 0,1 (kafka.controller.ReplicaStateMachine$BrokerChangeListener)",
            "INFO [BrokerChangeListener on Controller 0]: Newly added brokers: 1, deleted brokers: , all live brokers: 0,1 (kafka.controller.ReplicaStateMachine$BrokerChangeListener)",
            "DEBUG [Channel manager on controller 0]: Controller 0 trying to connect to broker 1 (kafka.controller.ControllerChannelManager)",
            "INFO [Controller-0-to-broker-1-send-thread], Starting  (kafka.controller.RequestSendThread)",
            "INFO [Controller 0]: New broker startup callback for 1 (kafka.controller.KafkaController)",
            "INFO [Replica state machine on controller 0]: Invoking state change to OnlineReplica for replicas  (kafka.controller.ReplicaStateMachine)",
        ],
    );
    // ... and leave: its session closes as it shuts down (no controlled shutdown in 0.8.0).
    let seen = line_count(&w, &controller_log);
    w.signal(&b1, Signal::Int);
    run_for(&mut w, 2.0);
    assert_eq!(w.exit_status(&b1), Some(130));
    assert_lines(
        &log_since(&w, &controller_log, seen),
        &[
            "INFO [BrokerChangeListener on Controller 0]: Broker change listener fired for path /brokers/ids with children 0 (kafka.controller.ReplicaStateMachine$BrokerChangeListener)",
            "INFO [BrokerChangeListener on Controller 0]: Newly added brokers: , deleted brokers: 1, all live brokers: 0 (kafka.controller.ReplicaStateMachine$BrokerChangeListener)",
            "INFO [Controller-0-to-broker-1-send-thread], Shutting down (kafka.controller.RequestSendThread)",
            "INFO [Controller-0-to-broker-1-send-thread], Stopped  (kafka.controller.RequestSendThread)",
            "INFO [Controller-0-to-broker-1-send-thread], Shutdown completed (kafka.controller.RequestSendThread)",
            "INFO [Controller 0]: Broker failure callback for 1 (kafka.controller.KafkaController)",
            "INFO [Controller 0]: Removed List() from list of shutting down brokers. (kafka.controller.KafkaController)",
            "INFO [Partition state machine on Controller 0]: Invoking state change to OfflinePartition for partitions  (kafka.controller.PartitionStateMachine)",
            "INFO [Replica state machine on controller 0]: Invoking state change to OfflineReplica for replicas  (kafka.controller.ReplicaStateMachine)",
        ],
    );
    // A non-controller's shutdown writes nothing to its controller.log.
    assert_eq!(line_count(&w, "/root/kafka-1/logs/controller.log"), 3);
}

#[test]
fn a_second_broker_joins_and_leaves_2_8_2() {
    let release = Release::V2_8_2;
    let (mut w, b0) = cluster(release);
    console(&mut w, &b0);
    let (controller_log, state_change) = (
        format!("{LOGS}/controller.log"),
        format!("{LOGS}/state-change.log"),
    );
    let seen = (
        line_count(&w, &controller_log),
        line_count(&w, &state_change),
    );
    // 2.8.2 takes the differences as --override arguments.
    let b1 = start_broker(
        &mut w,
        release,
        &[
            "config/server.properties",
            "--override",
            "broker.id=1",
            "--override",
            "listeners=PLAINTEXT://:9093",
            "--override=log.dirs=/tmp/kafka-logs-1",
        ],
        "/root/kafka-1/logs",
    );
    run_for(&mut w, 2.0);
    let out1 = console(&mut w, &b1);
    assert!(out1.contains(&"\tbroker.id = 1".to_owned()));
    assert!(out1.contains(&"\tlisteners = PLAINTEXT://:9093".to_owned()));
    let out1 = without_config_blocks(out1);
    for expected in [
        "INFO Updated cache from existing <empty> to latest FinalizedFeaturesAndEpoch(features=Features{}, epoch=0). (kafka.server.FinalizedFeatureCache)",
        "INFO Registered broker 1 at path /brokers/ids/1 with addresses: PLAINTEXT://kafka-1:9093, czxid (broker epoch): … (kafka.zk.KafkaZkClient)",
        "INFO [ProducerId Manager 1]: Acquired new producerId block (brokerId:1,blockStartProducerId:1000,blockEndProducerId:1999) by writing to Zk with path version 2 (kafka.coordinator.transaction.ProducerIdManager)",
    ] {
        assert!(out1.iter().any(|l| matches(l, expected)), "{expected}");
    }
    assert!(!out1
        .iter()
        .any(|l| l.contains("/controller_epoch") || l.contains("Feature ZK node")));
    assert_eq!(
        out1.last().unwrap(),
        "INFO [broker-1-to-controller-send-thread]: Recorded new controller, from now on will use broker kafka-1:9092 (id: 0 rack: null) (kafka.server.BrokerToControllerRequestThread)"
    );
    assert_lines(
        &strip(&file(&w, "/root/kafka-1/logs/controller.log").unwrap()),
        &[
            "INFO [ControllerEventThread controllerId=1] Starting (kafka.controller.ControllerEventManager$ControllerEventThread)",
            "DEBUG [Controller id=1] Broker 0 has been elected as the controller, so stopping the election process. (kafka.controller.KafkaController)",
        ],
    );
    assert_lines(
        &strip(&file(&w, "/root/kafka-1/logs/state-change.log").unwrap()),
        &["INFO [Broker id=1] Add 0 partitions and deleted 0 partitions from metadata cache in response to UpdateMetadata request sent by controller 0 epoch 1 with correlation id 0 (state.change.logger)"],
    );
    let epoch1 = out1
        .iter()
        .find_map(|l| l.strip_prefix("INFO Registered broker 1 at path /brokers/ids/1 with addresses: PLAINTEXT://kafka-1:9093, czxid (broker epoch): "))
        .and_then(|l| l.strip_suffix(" (kafka.zk.KafkaZkClient)"))
        .unwrap()
        .to_owned();
    assert_lines(
        &log_since(&w, &controller_log, seen.0),
        &[
            "INFO [Controller id=0] Newly added brokers: 1, deleted brokers: , bounced brokers: , all live brokers: 0,1 (kafka.controller.KafkaController)",
            "DEBUG [Channel manager on controller 0]: Controller 0 trying to connect to broker 1 (kafka.controller.ControllerChannelManager)",
            "INFO [RequestSendThread controllerId=0] Starting (kafka.controller.RequestSendThread)",
            "INFO [Controller id=0] New broker startup callback for 1 (kafka.controller.KafkaController)",
            "DEBUG [Controller id=0] Register BrokerModifications handler for List(1) (kafka.controller.KafkaController)",
            &format!("INFO [Controller id=0] Updated broker epochs cache: HashMap(0 -> 25, 1 -> {epoch1}) (kafka.controller.KafkaController)"),
            "INFO [RequestSendThread controllerId=0] Controller 0 connected to kafka-1:9093 (id: 1 rack: null) for sending state change requests (kafka.controller.RequestSendThread)",
        ],
    );
    assert_lines(
        &log_since(&w, &state_change, seen.1),
        &[
            "INFO [Controller id=0 epoch=1] Sending UpdateMetadata request to brokers HashSet(0) for 0 partitions (state.change.logger)",
            "INFO [Controller id=0 epoch=1] Sending UpdateMetadata request to brokers HashSet(1) for 0 partitions (state.change.logger)",
            "INFO [Broker id=0] Add 0 partitions and deleted 0 partitions from metadata cache in response to UpdateMetadata request sent by controller 0 epoch 1 with correlation id 1 (state.change.logger)",
        ],
    );
    // Broker 1 leaves with a controlled shutdown, then its session closes.
    let seen = (
        line_count(&w, &controller_log),
        line_count(&w, &state_change),
    );
    w.signal(&b1, Signal::Term);
    run_for(&mut w, 10.0);
    assert_eq!(w.exit_status(&b1), Some(143));
    let out1 = console(&mut w, &b1);
    assert_lines(
        &out1[..4],
        &[
            "INFO Terminating process due to signal SIGTERM (org.apache.kafka.common.utils.LoggingSignalHandler)",
            "INFO [KafkaServer id=1] shutting down (kafka.server.KafkaServer)",
            "INFO [KafkaServer id=1] Starting controlled shutdown (kafka.server.KafkaServer)",
            "INFO [KafkaServer id=1] Controlled shutdown succeeded (kafka.server.KafkaServer)",
        ],
    );
    assert_lines(
        &log_since(&w, &controller_log, seen.0),
        &[
            "INFO [Controller id=0] Shutting down broker 1 (kafka.controller.KafkaController)",
            "DEBUG [Controller id=0] All shutting down brokers: 1 (kafka.controller.KafkaController)",
            "DEBUG [Controller id=0] Live brokers: 0 (kafka.controller.KafkaController)",
            "TRACE [Controller id=0] All leaders =  (kafka.controller.KafkaController)",
            "INFO [Controller id=0] Newly added brokers: , deleted brokers: 1, bounced brokers: , all live brokers: 0 (kafka.controller.KafkaController)",
            "INFO [RequestSendThread controllerId=0] Shutting down (kafka.controller.RequestSendThread)",
            "INFO [RequestSendThread controllerId=0] Stopped (kafka.controller.RequestSendThread)",
            "INFO [RequestSendThread controllerId=0] Shutdown completed (kafka.controller.RequestSendThread)",
            "INFO [Controller id=0] Broker failure callback for 1 (kafka.controller.KafkaController)",
            "INFO [Controller id=0] Removed 1 from list of shutting down brokers. (kafka.controller.KafkaController)",
            "INFO [Controller id=0] Updated broker epochs cache: HashMap(0 -> 25) (kafka.controller.KafkaController)",
            // 5 s after the failover, and every 300 s.
            "INFO [Controller id=0] Processing automatic preferred replica leader election (kafka.controller.KafkaController)",
            "TRACE [Controller id=0] Checking need to trigger auto leader balancing (kafka.controller.KafkaController)",
        ],
    );
    assert_lines(
        &log_since(&w, &state_change, seen.1),
        &[
            "INFO [Controller id=0 epoch=1] Sending UpdateMetadata request to brokers HashSet() for 0 partitions (state.change.logger)",
            "INFO [Controller id=0 epoch=1] Sending UpdateMetadata request to brokers HashSet(0) for 0 partitions (state.change.logger)",
            "INFO [Broker id=0] Add 0 partitions and deleted 0 partitions from metadata cache in response to UpdateMetadata request sent by controller 0 epoch 1 with correlation id 2 (state.change.logger)",
        ],
    );
    // A broker that is not the controller resigns nonetheless.
    assert_lines(
        &log_since(&w, "/root/kafka-1/logs/controller.log", 2),
        &[
            "INFO [ControllerEventThread controllerId=1] Shutting down (kafka.controller.ControllerEventManager$ControllerEventThread)",
            "INFO [ControllerEventThread controllerId=1] Stopped (kafka.controller.ControllerEventManager$ControllerEventThread)",
            "INFO [ControllerEventThread controllerId=1] Shutdown completed (kafka.controller.ControllerEventManager$ControllerEventThread)",
            "DEBUG [Controller id=1] Resigning (kafka.controller.KafkaController)",
            "INFO [PartitionStateMachine controllerId=1] Stopped partition state machine (kafka.controller.ZkPartitionStateMachine)",
            "INFO [ReplicaStateMachine controllerId=1] Stopped replica state machine (kafka.controller.ZkReplicaStateMachine)",
            "INFO [Controller id=1] Resigned (kafka.controller.KafkaController)",
        ],
    );
}

/// The marker of a clean shutdown is there, and the broker's znodes are gone.
fn assert_cleanly_gone(w: &mut World, release: Release) {
    assert!(file(w, "/tmp/kafka-logs/.kafka_cleanshutdown").is_some());
    let answers = read_zk(w, release, vec![ls("/brokers/ids"), get("/controller")]);
    assert_eq!(answers, ["[]", "NoNode"]);
}

// --- clean shutdown ---------------------------------------------------------------------

#[test]
fn a_clean_shutdown_0_8_0() {
    let (mut w, b0) = cluster(Release::V0_8_0);
    console(&mut w, &b0);
    let controller_log = format!("{LOGS}/controller.log");
    let seen = line_count(&w, &controller_log);
    w.signal(&b0, Signal::Int);
    run_for(&mut w, 2.0);
    assert_eq!(w.exit_status(&b0), Some(130));
    assert_lines(
        &console(&mut w, &b0),
        &[
            "INFO [Kafka Server 0], Shutting down (kafka.server.KafkaServer)",
            "INFO Closing zookeeper client... (kafka.server.KafkaZooKeeper)",
            "INFO Terminate ZkClient event thread. (org.I0Itec.zkclient.ZkEventThread)",
            "INFO Session: 0x1… closed (org.apache.zookeeper.ZooKeeper)",
            "INFO EventThread shut down (org.apache.zookeeper.ClientCnxn)",
            "INFO [Socket Server on Broker 0], Shutting down (kafka.network.SocketServer)",
            "INFO [Socket Server on Broker 0], Shutdown completed (kafka.network.SocketServer)",
            "INFO [Kafka Request Handler on Broker 0], shutting down (kafka.server.KafkaRequestHandlerPool)",
            "INFO [Kafka Request Handler on Broker 0], shutted down completely (kafka.server.KafkaRequestHandlerPool)",
            "INFO Shutdown Kafka scheduler (kafka.utils.KafkaScheduler)",
            "INFO [Replica Manager on Broker 0]: Shut down (kafka.server.ReplicaManager)",
            "INFO [ReplicaFetcherManager on broker 0] shutting down (kafka.server.ReplicaFetcherManager)",
            "INFO [ReplicaFetcherManager on broker 0] shutdown completed (kafka.server.ReplicaFetcherManager)",
            "INFO [Replica Manager on Broker 0]: Shutted down completely (kafka.server.ReplicaManager)",
            "INFO [Kafka Server 0], Shut down completed (kafka.server.KafkaServer)",
        ],
    );
    assert_lines(
        &log_since(&w, &controller_log, seen),
        &[
            "INFO [Controller-0-to-broker-0-send-thread], Shutting down (kafka.controller.RequestSendThread)",
            "INFO [Controller-0-to-broker-0-send-thread], Stopped  (kafka.controller.RequestSendThread)",
            "INFO [Controller-0-to-broker-0-send-thread], Shutdown completed (kafka.controller.RequestSendThread)",
            "INFO [Controller 0]: Controller shutdown complete (kafka.controller.KafkaController)",
        ],
    );
    assert_cleanly_gone(&mut w, Release::V0_8_0);
}

#[test]
fn a_clean_shutdown_2_8_2() {
    let (mut w, b0) = cluster(Release::V2_8_2);
    console(&mut w, &b0);
    let controller_log = format!("{LOGS}/controller.log");
    let seen = line_count(&w, &controller_log);
    w.signal(&b0, Signal::Term);
    run_for(&mut w, 4.0);
    assert_eq!(
        w.exit_status(&b0),
        None,
        "the quota reapers take a second each"
    );
    run_for(&mut w, 4.0);
    assert_eq!(w.exit_status(&b0), Some(143));
    let out = console(&mut w, &b0);
    assert_lines(
        &out[..10],
        &[
            "INFO Terminating process due to signal SIGTERM (org.apache.kafka.common.utils.LoggingSignalHandler)",
            "INFO [KafkaServer id=0] shutting down (kafka.server.KafkaServer)",
            "INFO [KafkaServer id=0] Starting controlled shutdown (kafka.server.KafkaServer)",
            "INFO [KafkaServer id=0] Controlled shutdown succeeded (kafka.server.KafkaServer)",
            "INFO [/config/changes-event-process-thread]: Shutting down (kafka.common.ZkNodeChangeNotificationListener$ChangeEventProcessThread)",
            "INFO [/config/changes-event-process-thread]: Stopped (kafka.common.ZkNodeChangeNotificationListener$ChangeEventProcessThread)",
            "INFO [/config/changes-event-process-thread]: Shutdown completed (kafka.common.ZkNodeChangeNotificationListener$ChangeEventProcessThread)",
            "INFO [SocketServer listenerType=ZK_BROKER, nodeId=0] Stopping socket server request processors (kafka.network.SocketServer)",
            "INFO [SocketServer listenerType=ZK_BROKER, nodeId=0] Stopped socket server request processors (kafka.network.SocketServer)",
            "INFO [data-plane Kafka Request Handler on Broker 0], shutting down (kafka.server.KafkaRequestHandlerPool)",
        ],
    );
    assert_lines(
        &between(&out, "INFO Shutting down. (kafka.log.LogManager)", "INFO [ZooKeeperClient Kafka server] Closed.…"),
        &[
            "INFO Shutting down. (kafka.log.LogManager)",
            "INFO Shutdown complete. (kafka.log.LogManager)",
            "INFO [feature-zk-node-event-process-thread]: Shutting down (kafka.server.FinalizedFeatureChangeListener$ChangeNotificationProcessorThread)",
            "INFO [feature-zk-node-event-process-thread]: Stopped (kafka.server.FinalizedFeatureChangeListener$ChangeNotificationProcessorThread)",
            "INFO [feature-zk-node-event-process-thread]: Shutdown completed (kafka.server.FinalizedFeatureChangeListener$ChangeNotificationProcessorThread)",
            "INFO [ZooKeeperClient Kafka server] Closing. (kafka.zookeeper.ZooKeeperClient)",
            "INFO Session: 0x1000… closed (org.apache.zookeeper.ZooKeeper)",
            "INFO EventThread shut down for session: 0x1000… (org.apache.zookeeper.ClientCnxn)",
            "INFO [ZooKeeperClient Kafka server] Closed. (kafka.zookeeper.ZooKeeperClient)",
        ],
    );
    assert_lines(
        &out[out.len() - 3..],
        &[
            "INFO Broker and topic stats closed (kafka.server.BrokerTopicStats)",
            "INFO App info kafka.server for 0 unregistered (org.apache.kafka.common.utils.AppInfoParser)",
            "INFO [KafkaServer id=0] shut down completed (kafka.server.KafkaServer)",
        ],
    );
    assert_lines(
        &log_since(&w, &controller_log, seen),
        &[
            "INFO [Controller id=0] Shutting down broker 0 (kafka.controller.KafkaController)",
            "DEBUG [Controller id=0] All shutting down brokers: 0 (kafka.controller.KafkaController)",
            "DEBUG [Controller id=0] Live brokers:  (kafka.controller.KafkaController)",
            "TRACE [Controller id=0] All leaders =  (kafka.controller.KafkaController)",
            "INFO [ControllerEventThread controllerId=0] Shutting down (kafka.controller.ControllerEventManager$ControllerEventThread)",
            "INFO [ControllerEventThread controllerId=0] Stopped (kafka.controller.ControllerEventManager$ControllerEventThread)",
            "INFO [ControllerEventThread controllerId=0] Shutdown completed (kafka.controller.ControllerEventManager$ControllerEventThread)",
            "DEBUG [Controller id=0] Resigning (kafka.controller.KafkaController)",
            "INFO [PartitionStateMachine controllerId=0] Stopped partition state machine (kafka.controller.ZkPartitionStateMachine)",
            "INFO [ReplicaStateMachine controllerId=0] Stopped replica state machine (kafka.controller.ZkReplicaStateMachine)",
            "INFO [RequestSendThread controllerId=0] Shutting down (kafka.controller.RequestSendThread)",
            "INFO [RequestSendThread controllerId=0] Stopped (kafka.controller.RequestSendThread)",
            "INFO [RequestSendThread controllerId=0] Shutdown completed (kafka.controller.RequestSendThread)",
            "INFO [Controller id=0] Resigned (kafka.controller.KafkaController)",
        ],
    );
    assert_cleanly_gone(&mut w, Release::V2_8_2);
}

// --- kill -9, then start again -------------------------------------------------------------

#[test]
fn a_restart_within_the_session_timeout_0_8_0_backs_off_then_registers() {
    let (mut w, b0) = cluster(Release::V0_8_0);
    w.signal(&b0, Signal::Kill);
    assert!(file(&w, "/tmp/kafka-logs/.kafka_cleanshutdown").is_none());
    let again = start_broker(&mut w, Release::V0_8_0, &["config/server.properties"], LOGS);
    run_for(&mut w, 1.0);
    let out = console(&mut w, &again);
    let conflict = r#"{ "host":"kafka-1", "jmx_port":-1, "port":9092, "timestamp":"1380585603000", "version":1 }"#;
    let old = r#"{ "host":"kafka-1", "jmx_port":-1, "port":9092, "timestamp":"1380585601000", "version":1 }"#;
    assert_lines(
        &out[out.len() - 3..],
        &[
            "INFO zookeeper state changed (SyncConnected) (org.I0Itec.zkclient.ZkClient)",
            &format!("INFO conflict in /brokers/ids/0 data: {conflict} stored data: {old} (kafka.utils.ZkUtils$)"),
            &format!("INFO I wrote this conflicted ephemeral node [{conflict}] at /brokers/ids/0 a while back in a different session, hence I will backoff for this node to be deleted by Zookeeper and retry (kafka.utils.ZkUtils$)"),
        ],
    );
    // The old session expires; the next try, 6 s later, registers.
    run_for(&mut w, 10.0);
    assert_lines(
        &console(&mut w, &again),
        &[
            "INFO Registered broker 0 at path /brokers/ids/0 with address kafka-1:9092. (kafka.utils.ZkUtils$)",
            "INFO [Kafka Server 0], Connecting to ZK: localhost:2181 (kafka.server.KafkaServer)",
            "INFO Will not load MX4J, mx4j-tools.jar is not in the classpath (kafka.utils.Mx4jLoader$)",
            "INFO 0 successfully elected as leader (kafka.server.ZookeeperLeaderElector)",
            "INFO [Kafka Server 0], Started (kafka.server.KafkaServer)",
            "INFO New leader is 0 (kafka.server.ZookeeperLeaderElector$LeaderChangeListener)",
        ],
    );
    assert!(w.is_running(&again));
    // The epoch went on from 1.
    let log = strip(&file(&w, &format!("{LOGS}/controller.log")).unwrap());
    assert!(log.contains(&"INFO [Controller 0]: Controller 0 incremented epoch to 2 (kafka.controller.KafkaController)".to_owned()));
}

#[test]
fn a_restart_within_the_session_timeout_2_8_2_fails_on_the_registration() {
    let (mut w, b0) = cluster(Release::V2_8_2);
    w.signal(&b0, Signal::Kill);
    let again = start_broker(&mut w, Release::V2_8_2, &["config/server.properties"], LOGS);
    run_for(&mut w, 8.0);
    assert_eq!(w.exit_status(&again), Some(1));
    let out = without_config_blocks(console(&mut w, &again));
    let failure = between(
        &out,
        "INFO Creating /brokers/ids/0…",
        "INFO [KafkaServer id=0] shutting down…",
    );
    assert_lines(
        &failure[..5],
        &[
            "INFO Creating /brokers/ids/0 (is it secure? false) (kafka.zk.KafkaZkClient)",
            "ERROR Error while creating ephemeral at /brokers/ids/0, node already exists and owner '7205…' does not match current session '7205…' (kafka.zk.KafkaZkClient$CheckedEphemeral)",
            "ERROR [KafkaServer id=0] Fatal error during KafkaServer startup. Prepare to shutdown (kafka.server.KafkaServer)",
            "org.apache.zookeeper.KeeperException$NodeExistsException: KeeperErrorCode = NodeExists",
            "\tat org.apache.zookeeper.KeeperException.create(KeeperException.java:126)",
        ],
    );
    assert_lines(
        &out[out.len() - 4..],
        &[
            "INFO App info kafka.server for 0 unregistered (org.apache.kafka.common.utils.AppInfoParser)",
            "INFO [KafkaServer id=0] shut down completed (kafka.server.KafkaServer)",
            "ERROR Exiting Kafka. (kafka.Kafka$)",
            "INFO [KafkaServer id=0] shutting down (kafka.server.KafkaServer)",
        ],
    );
    // After the 18 s session timeout, a start succeeds.
    run_for(&mut w, 15.0);
    let last = start_broker(&mut w, Release::V2_8_2, &["config/server.properties"], LOGS);
    run_for(&mut w, 2.0);
    assert!(console(&mut w, &last)
        .iter()
        .any(|l| l == "INFO [KafkaServer id=0] started (kafka.server.KafkaServer)"));
}

// --- start-up errors ----------------------------------------------------------------------

/// Starts a broker (logs in `/root/other/logs`) that ends with `status` within `seconds`.
fn failed_start(
    w: &mut World,
    release: Release,
    config: &str,
    seconds: f64,
    status: i32,
) -> ProcessId {
    let b = start_broker(w, release, &[config], "/root/other/logs");
    run_for(w, seconds);
    assert_eq!(w.exit_status(&b), Some(status), "{config}");
    b
}

/// Starts a broker without ZooKeeper, presses Ctrl-C after `seconds`, and
/// returns what it printed from then on; it ends with `status`.
fn interrupted(w: &mut World, release: Release, seconds: f64, status: i32) -> Vec<String> {
    let b = start_broker(w, release, &["config/server.properties"], LOGS);
    run_for(w, seconds);
    console(w, &b);
    w.signal(&b, Signal::Int);
    run_for(w, 1.0);
    assert_eq!(w.exit_status(&b), Some(status));
    console(w, &b)
}

/// The fatal record, the exception, and the lines up to the end.
fn fatal_tail(out: &[String], fatal: &str) -> Vec<String> {
    let start = out
        .iter()
        .position(|l| l.starts_with(fatal))
        .unwrap_or_else(|| panic!("{fatal} in\n{}", out.join("\n")));
    out[start..]
        .iter()
        .filter(|l| !l.starts_with('\t'))
        .cloned()
        .collect()
}

#[test]
fn start_up_errors_0_8_0() {
    let release = Release::V0_8_0;
    let (mut w, b0) = cluster(release);
    console(&mut w, &b0);
    let fatal = "FATAL Fatal error during KafkaServerStable startup. Prepare to shutdown (kafka.server.KafkaServerStartable)";

    // The same config again: the log directory's lock.
    let b = failed_start(&mut w, release, "config/server.properties", 1.0, 1);
    let out = console(&mut w, &b);
    assert_lines(
        &out[out.len() - 21..],
        &[
            "INFO [Kafka Server 0], Starting (kafka.server.KafkaServer)",
            fatal,
            "kafka.common.KafkaException: Failed to acquire lock on file .lock in /tmp/kafka-logs. A Kafka instance in another process or thread is using this directory.",
            "\tat kafka.log.LogManager$$anonfun$lockLogDirs$1.apply(LogManager.scala:91)",
            "\tat kafka.log.LogManager$$anonfun$lockLogDirs$1.apply(LogManager.scala:88)",
            "\tat scala.collection.TraversableLike$$anonfun$map$1.apply(TraversableLike.scala:206)",
            "\tat scala.collection.TraversableLike$$anonfun$map$1.apply(TraversableLike.scala:206)",
            "\tat scala.collection.LinearSeqOptimized$class.foreach(LinearSeqOptimized.scala:61)",
            "\tat scala.collection.immutable.List.foreach(List.scala:45)",
            "\tat scala.collection.TraversableLike$class.map(TraversableLike.scala:206)",
            "\tat scala.collection.immutable.List.map(List.scala:45)",
            "\tat kafka.log.LogManager.lockLogDirs(LogManager.scala:88)",
            "\tat kafka.log.LogManager.<init>(LogManager.scala:61)",
            "\tat kafka.server.KafkaServer.startup(KafkaServer.scala:63)",
            "\tat kafka.server.KafkaServerStartable.startup(KafkaServerStartable.scala:34)",
            "\tat kafka.Kafka$.main(Kafka.scala:46)",
            "\tat kafka.Kafka.main(Kafka.scala)",
            "INFO [Kafka Server 0], Shutting down (kafka.server.KafkaServer)",
            "INFO Shutdown Kafka scheduler (kafka.utils.KafkaScheduler)",
            "INFO [Kafka Server 0], Shut down completed (kafka.server.KafkaServer)",
            "INFO [Kafka Server 0], Shutting down (kafka.server.KafkaServer)",
        ],
    );

    // Another dir, the same port.
    let b = failed_start(&mut w, release, "config/same-port.properties", 1.0, 1);
    assert_lines(
        &fatal_tail(&console(&mut w, &b), fatal),
        &[
            fatal,
            "kafka.common.KafkaException: Socket server failed to bind to 0.0.0.0:9092: Address already in use.",
            "Caused by: java.net.BindException: Address already in use",
            "INFO [Kafka Server 1], Shutting down (kafka.server.KafkaServer)",
            "INFO [Socket Server on Broker 1], Shutting down (kafka.network.SocketServer)",
            "INFO [Socket Server on Broker 1], Shutdown completed (kafka.network.SocketServer)",
            "INFO Shutdown Kafka scheduler (kafka.utils.KafkaScheduler)",
            "INFO [Kafka Server 1], Shut down completed (kafka.server.KafkaServer)",
            "INFO [Kafka Server 1], Shutting down (kafka.server.KafkaServer)",
        ],
    );

    // Another dir and port, the same broker id.
    let b = failed_start(&mut w, release, "config/same-id.properties", 1.0, 1);
    assert_lines(
        &fatal_tail(&console(&mut w, &b), "INFO conflict in"),
        &[
            r#"INFO conflict in /brokers/ids/0 data: { "host":"kafka-1", "jmx_port":-1, "port":9093, "timestamp":"…", "version":1 } stored data: { "host":"kafka-1", "jmx_port":-1, "port":9092, "timestamp":"1380585601000", "version":1 } (kafka.utils.ZkUtils$)"#,
            fatal,
            "java.lang.RuntimeException: A broker is already registered on the path /brokers/ids/0. This probably indicates that you either have configured a brokerid that is already in use, or else you have shutdown this broker and restarted it faster than the zookeeper timeout so it appears to be re-registering.",
            "INFO [Kafka Server 0], Shutting down (kafka.server.KafkaServer)",
            "INFO Closing zookeeper client... (kafka.server.KafkaZooKeeper)",
            "INFO Terminate ZkClient event thread. (org.I0Itec.zkclient.ZkEventThread)",
            "INFO Session: 0x… closed (org.apache.zookeeper.ZooKeeper)",
            "INFO EventThread shut down (org.apache.zookeeper.ClientCnxn)",
            "INFO [Socket Server on Broker 0], Shutting down (kafka.network.SocketServer)",
            "INFO [Socket Server on Broker 0], Shutdown completed (kafka.network.SocketServer)",
            "INFO Shutdown Kafka scheduler (kafka.utils.KafkaScheduler)",
            "INFO [Kafka Server 0], Shut down completed (kafka.server.KafkaServer)",
            "INFO [Kafka Server 0], Shutting down (kafka.server.KafkaServer)",
        ],
    );

    // A file that is not there: Kafka.main's fatal(e), and exit 0.
    let b = failed_start(&mut w, release, "config/nope.properties", 1.0, 0);
    assert_lines(
        &console(&mut w, &b),
        &[
            "FATAL  (kafka.Kafka$)",
            "java.io.FileNotFoundException: config/nope.properties (No such file or directory)",
            "\tat kafka.Kafka$.main(Kafka.scala:34)",
            "\tat kafka.Kafka.main(Kafka.scala)",
        ],
    );
    // Two arguments: Kafka.main's usage.
    let b = start_broker(
        &mut w,
        release,
        &["-daemon", "config/server.properties"],
        "/root/other/logs",
    );
    run_for(&mut w, 1.0);
    assert_eq!(w.exit_status(&b), Some(1));
    assert_eq!(
        w.take_output(&b).0,
        "USAGE: java [options] KafkaServer server.properties\n"
    );

    // No ZooKeeper: zkclient waits zookeeper.connection.timeout.ms (1000000).
    let mut w = world(release);
    let b = start_broker(&mut w, release, &["config/server.properties"], LOGS);
    run_for(&mut w, 999.0);
    assert!(w.is_running(&b));
    let out = console(&mut w, &b);
    assert_lines(
        &between(&out, "INFO Opening socket connection…", "java.net.ConnectException: Connection refused"),
        &[
            "INFO Opening socket connection to server localhost/127.0.0.1:2181 (org.apache.zookeeper.ClientCnxn)",
            "WARN Session 0x0 for server null, unexpected error, closing socket connection and attempting reconnect (org.apache.zookeeper.ClientCnxn)",
            "java.net.ConnectException: Connection refused",
        ],
    );
    run_for(&mut w, 2.0);
    assert_eq!(w.exit_status(&b), Some(1));
    assert_lines(
        &fatal_tail(&console(&mut w, &b), "INFO Terminate ZkClient event thread."),
        &[
            "INFO Terminate ZkClient event thread. (org.I0Itec.zkclient.ZkEventThread)",
            "INFO Session: 0x0 closed (org.apache.zookeeper.ZooKeeper)",
            "INFO EventThread shut down (org.apache.zookeeper.ClientCnxn)",
            fatal,
            "org.I0Itec.zkclient.exception.ZkTimeoutException: Unable to connect to zookeeper server within timeout: 1000000",
            "INFO [Kafka Server 0], Shutting down (kafka.server.KafkaServer)",
            "INFO [Socket Server on Broker 0], Shutting down (kafka.network.SocketServer)",
            "INFO [Socket Server on Broker 0], Shutdown completed (kafka.network.SocketServer)",
            "INFO Shutdown Kafka scheduler (kafka.utils.KafkaScheduler)",
            "INFO [Kafka Server 0], Shut down completed (kafka.server.KafkaServer)",
            "INFO [Kafka Server 0], Shutting down (kafka.server.KafkaServer)",
        ],
    );

    // Ctrl-C while it waits: the hook shuts down what there is, and the JVM exits 130.
    assert_lines(
        &interrupted(&mut w, release, 5.0, 130),
        &[
            "INFO [Kafka Server 0], Shutting down (kafka.server.KafkaServer)",
            "INFO [Socket Server on Broker 0], Shutting down (kafka.network.SocketServer)",
            "INFO [Socket Server on Broker 0], Shutdown completed (kafka.network.SocketServer)",
            "INFO Shutdown Kafka scheduler (kafka.utils.KafkaScheduler)",
            "INFO [Kafka Server 0], Shut down completed (kafka.server.KafkaServer)",
        ],
    );
}

#[test]
fn start_up_errors_2_8_2() {
    let release = Release::V2_8_2;
    let (mut w, b0) = cluster(release);
    console(&mut w, &b0);
    let fatal = |id: &str| {
        format!("ERROR {id}Fatal error during KafkaServer startup. Prepare to shutdown (kafka.server.KafkaServer)")
    };
    let metrics_and_end = |id: i32| {
        vec![
            "INFO Metrics scheduler closed (org.apache.kafka.common.metrics.Metrics)".to_owned(),
            "INFO Closing reporter org.apache.kafka.common.metrics.JmxReporter (org.apache.kafka.common.metrics.Metrics)".to_owned(),
            "INFO Metrics reporters closed (org.apache.kafka.common.metrics.Metrics)".to_owned(),
            "INFO Broker and topic stats closed (kafka.server.BrokerTopicStats)".to_owned(),
            format!("INFO App info kafka.server for {id} unregistered (org.apache.kafka.common.utils.AppInfoParser)"),
            format!("INFO [KafkaServer id={id}] shut down completed (kafka.server.KafkaServer)"),
            "ERROR Exiting Kafka. (kafka.Kafka$)".to_owned(),
            format!("INFO [KafkaServer id={id}] shutting down (kafka.server.KafkaServer)"),
        ]
    };

    // The same config again: the lock, after the ZooKeeper start-up and the reapers.
    let b = failed_start(&mut w, release, "config/server.properties", 8.0, 1);
    let out = without_config_blocks(console(&mut w, &b));
    assert!(
        !out.iter().any(|l| l.contains("meta.properties")),
        "meta.properties is read"
    );
    let tail = fatal_tail(&out, &fatal("[KafkaServer id=0] "));
    let mut expected: Vec<String> = vec![
        fatal("[KafkaServer id=0] "),
        "org.apache.kafka.common.KafkaException: Failed to acquire lock on file .lock in /tmp/kafka-logs. A Kafka instance in another process or thread is using this directory.".into(),
        "INFO [KafkaServer id=0] shutting down (kafka.server.KafkaServer)".into(),
    ];
    for thread in ["[feature-zk-node-event-process-thread]: "] {
        for step in ["Shutting down", "Stopped", "Shutdown completed"] {
            expected.push(format!("INFO {thread}{step} (kafka.server.FinalizedFeatureChangeListener$ChangeNotificationProcessorThread)"));
        }
    }
    expected.extend([
        "INFO [ZooKeeperClient Kafka server] Closing. (kafka.zookeeper.ZooKeeperClient)".to_owned(),
        "INFO Session: 0x… closed (org.apache.zookeeper.ZooKeeper)".to_owned(),
        "INFO EventThread shut down for session: 0x… (org.apache.zookeeper.ClientCnxn)".to_owned(),
        "INFO [ZooKeeperClient Kafka server] Closed. (kafka.zookeeper.ZooKeeperClient)".to_owned(),
    ]);
    for name in ["Fetch", "Produce", "Request", "ControllerMutation"] {
        for step in ["Shutting down", "Stopped", "Shutdown completed"] {
            expected.push(format!("INFO [ThrottledChannelReaper-{name}]: {step} (kafka.server.ClientQuotaManager$ThrottledChannelReaper)"));
        }
    }
    expected.extend(metrics_and_end(0));
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_lines(&tail, &expected);

    // Another dir, the same port: after the log manager's lines.
    let b = failed_start(&mut w, release, "config/same-port.properties", 8.0, 1);
    let out = without_config_blocks(console(&mut w, &b));
    let tail = fatal_tail(&out, "INFO Updated connection-accept-rate");
    assert_lines(
        &tail[..8],
        &[
            "INFO Updated connection-accept-rate max connection creation rate to 2147483647 (kafka.network.ConnectionQuotas)",
            &fatal("[KafkaServer id=1] "),
            "org.apache.kafka.common.KafkaException: Socket server failed to bind to 0.0.0.0:9092: Address already in use.",
            "Caused by: java.net.BindException: Address already in use",
            "INFO [KafkaServer id=1] shutting down (kafka.server.KafkaServer)",
            "INFO [SocketServer listenerType=ZK_BROKER, nodeId=1] Stopping socket server request processors (kafka.network.SocketServer)",
            "INFO [SocketServer listenerType=ZK_BROKER, nodeId=1] Stopped socket server request processors (kafka.network.SocketServer)",
            "INFO Shutting down. (kafka.log.LogManager)",
        ],
    );
    assert!(tail.contains(&"INFO [SocketServer listenerType=ZK_BROKER, nodeId=1] Shutting down socket server (kafka.network.SocketServer)".to_owned()));

    // Another dir and port, the same broker id: NodeExists.
    let b = failed_start(&mut w, release, "config/same-id.properties", 8.0, 1);
    let out = without_config_blocks(console(&mut w, &b));
    assert_lines(
        &fatal_tail(&out, "ERROR Error while creating ephemeral")[..3],
        &[
            "ERROR Error while creating ephemeral at /brokers/ids/0, node already exists and owner '…' does not match current session '…' (kafka.zk.KafkaZkClient$CheckedEphemeral)",
            &fatal("[KafkaServer id=0] "),
            "org.apache.zookeeper.KeeperException$NodeExistsException: KeeperErrorCode = NodeExists",
        ],
    );

    // Another broker.id on a log dir whose meta.properties says 0: before the lock.
    let b = start_broker(
        &mut w,
        release,
        &["config/server.properties", "--override", "broker.id=7"],
        "/root/other/logs",
    );
    run_for(&mut w, 1.0);
    assert_eq!(w.exit_status(&b), Some(1));
    let out = without_config_blocks(console(&mut w, &b));
    assert_lines(
        &fatal_tail(&out, "ERROR Fatal error"),
        &[
            &fatal(""),
            "kafka.common.InconsistentBrokerIdException: Configured broker.id 7 doesn't match stored broker.id Some(0) in meta.properties. If you moved your data, make sure your configured broker.id matches. If you intend to create a new broker, you should remove all data in your data directories (log.dirs).",
            "INFO shutting down (kafka.server.KafkaServer)",
            "INFO [feature-zk-node-event-process-thread]: Shutting down (kafka.server.FinalizedFeatureChangeListener$ChangeNotificationProcessorThread)",
            "INFO [feature-zk-node-event-process-thread]: Stopped (kafka.server.FinalizedFeatureChangeListener$ChangeNotificationProcessorThread)",
            "INFO [feature-zk-node-event-process-thread]: Shutdown completed (kafka.server.FinalizedFeatureChangeListener$ChangeNotificationProcessorThread)",
            "INFO [ZooKeeperClient Kafka server] Closing. (kafka.zookeeper.ZooKeeperClient)",
            "INFO Session: 0x… closed (org.apache.zookeeper.ZooKeeper)",
            "INFO EventThread shut down for session: 0x… (org.apache.zookeeper.ClientCnxn)",
            "INFO [ZooKeeperClient Kafka server] Closed. (kafka.zookeeper.ZooKeeperClient)",
            "INFO App info kafka.server for 7 unregistered (org.apache.kafka.common.utils.AppInfoParser)",
            "INFO shut down completed (kafka.server.KafkaServer)",
            "ERROR Exiting Kafka. (kafka.Kafka$)",
            "INFO shutting down (kafka.server.KafkaServer)",
        ],
    );

    // A file that is not there: exit 1.
    let b = failed_start(&mut w, release, "config/nope.properties", 1.0, 1);
    assert_lines(
        &console(&mut w, &b),
        &[
            "INFO Registered kafka:type=kafka.Log4jController MBean (kafka.utils.Log4jControllerRegistration$)",
            "ERROR Exiting Kafka due to fatal exception (kafka.Kafka$)",
            "java.nio.file.NoSuchFileException: config/nope.properties",
            "\tat kafka.Kafka$.main(Kafka.scala:84)",
            "\tat kafka.Kafka.main(Kafka.scala)",
        ],
    );

    // No ZooKeeper: 18 s, one attempt a second, no prefix on the fatal lines.
    let mut w = world(release);
    let b = start_broker(&mut w, release, &["config/server.properties"], LOGS);
    run_for(&mut w, 17.0);
    assert!(w.is_running(&b));
    run_for(&mut w, 2.0);
    assert_eq!(w.exit_status(&b), Some(1));
    let out = console(&mut w, &b);
    let refused = out.iter().filter(|l| l.as_str() == "INFO Socket error occurred: localhost/127.0.0.1:2181: Connection refused (org.apache.zookeeper.ClientCnxn)").count();
    assert!((17..=19).contains(&refused), "{refused} attempts");
    assert_lines(
        &fatal_tail(&out, "INFO [ZooKeeperClient Kafka server] Closing."),
        &[
            "INFO [ZooKeeperClient Kafka server] Closing. (kafka.zookeeper.ZooKeeperClient)",
            "INFO Session: 0x0 closed (org.apache.zookeeper.ZooKeeper)",
            "INFO EventThread shut down for session: 0x0 (org.apache.zookeeper.ClientCnxn)",
            "INFO [ZooKeeperClient Kafka server] Closed. (kafka.zookeeper.ZooKeeperClient)",
            &fatal(""),
            "kafka.zookeeper.ZooKeeperClientTimeoutException: Timed out waiting for connection while in state: CONNECTING",
            "INFO shutting down (kafka.server.KafkaServer)",
            "INFO App info kafka.server for 0 unregistered (org.apache.kafka.common.utils.AppInfoParser)",
            "INFO shut down completed (kafka.server.KafkaServer)",
            "ERROR Exiting Kafka. (kafka.Kafka$)",
            "INFO shutting down (kafka.server.KafkaServer)",
        ],
    );

    // Ctrl-C while it waits: shutdown() refuses, and the JVM halts with 1.
    assert_lines(
        &interrupted(&mut w, release, 2.0, 1)
            .into_iter()
            .filter(|l| !l.starts_with('\t'))
            .collect::<Vec<_>>(),
        &[
            "INFO Terminating process due to signal SIGINT (org.apache.kafka.common.utils.LoggingSignalHandler)",
            "INFO shutting down (kafka.server.KafkaServer)",
            "ERROR Fatal error during KafkaServer shutdown. (kafka.server.KafkaServer)",
            "java.lang.IllegalStateException: Kafka server is still starting up, cannot shut down!",
            "ERROR Halting Kafka. (kafka.Kafka$)",
        ],
    );
}

#[test]
fn a_controlled_shutdown_when_0_8_0_enables_it() {
    let release = Release::V0_8_0;
    let mut w = world(release);
    let fs = w.host_fs("kafka-1").unwrap();
    let text = config_text(release, "server.properties") + "controlled.shutdown.enable=true\n";
    fs.borrow_mut()
        .write(
            &format!("{HOME}/config/server.properties"),
            text.into_bytes(),
        )
        .unwrap();
    start_zookeeper(&mut w, release);
    run_for(&mut w, 1.0);
    let b0 = start_broker(&mut w, release, &["config/server.properties"], LOGS);
    run_for(&mut w, 2.0);
    console(&mut w, &b0);
    let seen = line_count(&w, &format!("{LOGS}/controller.log"));
    w.signal(&b0, Signal::Int);
    run_for(&mut w, 2.0);
    assert_eq!(w.exit_status(&b0), Some(130));
    assert_lines(
        &console(&mut w, &b0)[..4],
        &[
            "INFO [Kafka Server 0], Shutting down (kafka.server.KafkaServer)",
            "INFO [Kafka Server 0], Starting controlled shutdown (kafka.server.KafkaServer)",
            "INFO [Kafka Server 0], Controlled shutdown succeeded (kafka.server.KafkaServer)",
            "INFO Closing zookeeper client... (kafka.server.KafkaZooKeeper)",
        ],
    );
    assert_lines(
        &log_since(&w, &format!("{LOGS}/controller.log"), seen)[..4],
        &[
            "INFO [Controller 0]: Shutting down broker 0 (kafka.controller.KafkaController)",
            "DEBUG [Controller 0]: All shutting down brokers: 0 (kafka.controller.KafkaController)",
            "DEBUG [Controller 0]: Live brokers:  (kafka.controller.KafkaController)",
            "TRACE [Controller 0]: All leaders =  (kafka.controller.KafkaController)",
        ],
    );
}

/// Writes `/brokers/topics/<topic>` as `zookeeper-shell.sh` would (0.8.0's
/// broker does not create `/brokers/topics`: it is created first).
fn create_topic_znode(w: &mut World, release: Release, topic: &str, data: &[u8]) {
    let persistent = coord::CreateMode::Persistent;
    let mut ops = Vec::new();
    if release == Release::V0_8_0 {
        ops.push(Op::create("/brokers/topics", None, persistent));
    }
    ops.push(Op::create(
        &format!("/brokers/topics/{topic}"),
        Some(data),
        persistent,
    ));
    let answers = read_zk(w, release, ops);
    assert!(answers.iter().all(|a| a == "ok"), "{answers:?}");
}

/// A topic written to ZooKeeper by hand comes online: the controller writes
/// its partition's state znode and the broker creates its log directory.
fn a_topic_written_to_zookeeper_comes_online(release: Release) -> (World, ProcessId) {
    let (mut w, broker) = cluster(release);
    let data = kafka_zk::TopicAssignment::new([(0, vec![0])]).encode(release);
    create_topic_znode(&mut w, release, "test", &data);
    run_for(&mut w, 2.0);
    let state = read_zk(
        &mut w,
        release,
        vec![get("/brokers/topics/test/partitions/0/state")],
    );
    let expected = kafka_zk::PartitionState {
        leader: 0,
        leader_epoch: 0,
        isr: vec![0],
        controller_epoch: 1,
    }
    .encode(release);
    assert_eq!(
        state,
        [format!(
            "{} owner:false",
            String::from_utf8_lossy(&expected)
        )]
    );
    let fs = w.host_fs("kafka-1").unwrap();
    assert!(fs.borrow().is_dir("/tmp/kafka-logs/test-0"));
    (w, broker)
}

#[test]
fn a_topic_written_to_zookeeper_comes_online_0_8_0() {
    let (w, _) = a_topic_written_to_zookeeper_comes_online(Release::V0_8_0);
    let log = strip(&file(&w, &format!("{LOGS}/controller.log")).unwrap());
    for line in [
        "INFO [TopicChangeListener on Controller 0]: New topics: [Set(test)], deleted topics: [Set()], new partition replica assignment [Map([test,0] -> List(0))] (kafka.controller.PartitionStateMachine$TopicChangeListener)",
        "INFO [Controller 0]: New topic creation callback for [test,0] (kafka.controller.KafkaController)",
        "INFO [Controller 0]: New partition creation callback for [test,0] (kafka.controller.KafkaController)",
    ] {
        assert!(log.iter().any(|l| l == line), "{line} in\n{}", log.join("\n"));
    }
}

#[test]
fn a_topic_written_to_zookeeper_comes_online_2_8_2() {
    let (w, _) = a_topic_written_to_zookeeper_comes_online(Release::V2_8_2);
    let log = strip(&file(&w, &format!("{LOGS}/controller.log")).unwrap());
    for line in [
        "INFO [Controller id=0] New topics: [Set(test)], deleted topics: [HashSet()], new partition replica assignment [Set(TopicIdReplicaAssignment(test,None,Map(test-0 -> ReplicaAssignment(replicas=0, addingReplicas=, removingReplicas=))))] (kafka.controller.KafkaController)",
        "INFO [Controller id=0] New partition creation callback for test-0 (kafka.controller.KafkaController)",
    ] {
        assert!(log.iter().any(|l| l == line), "{line} in\n{}", log.join("\n"));
    }
}

#[test]
fn a_malformed_topic_is_ignored() {
    for release in [Release::V0_8_0, Release::V2_8_2] {
        let (mut w, broker) = cluster(release);
        create_topic_znode(&mut w, release, "bad", b"{ not json");
        run_for(&mut w, 2.0);
        assert_eq!(w.exit_status(&broker), None);
        assert_eq!(
            read_zk(&mut w, release, vec![ls("/brokers/topics/bad")]),
            ["[]"]
        );
        let fs = w.host_fs("kafka-1").unwrap();
        assert!(!fs.borrow().is_dir("/tmp/kafka-logs/bad-0"));
    }
}

type Responses = Rc<RefCell<Vec<(i64, Option<kafka_api::KafkaResponse>)>>>;

/// A raw client on kafka-2: sends its requests to kafka-1:9092 one after
/// another, each once the previous one is answered, and notes each answer
/// with the virtual time it came at (`None`: the broker closed the
/// connection).
struct RawClient {
    requests: VecDeque<kafka_api::KafkaRequest>,
    responses: Responses,
}

impl RawClient {
    fn send_next(&mut self, ctx: &mut Context<'_>, conn: sim::ConnId) {
        match self.requests.pop_front() {
            Some(request) => ctx.send(conn, Box::new(request)),
            None => ctx.exit(0),
        }
    }
}

impl Process for RawClient {
    fn handle(&mut self, ctx: &mut Context<'_>, event: Event) {
        let now = ctx.now().unix_millis() as i64;
        match event {
            // The guard connects; a connection refused at once ends the client.
            Event::Start if ctx.connect("kafka-1", 9092).is_err() => ctx.exit(1),
            Event::Connected { conn } => self.send_next(ctx, conn),
            Event::Received { conn, message } => {
                let response = sim::downcast::<kafka_api::KafkaResponse>(message).ok();
                self.responses.borrow_mut().push((now, response));
                self.send_next(ctx, conn);
            }
            Event::Closed { .. } | Event::ConnectFailed { .. } => {
                self.responses.borrow_mut().push((now, None));
                ctx.exit(0);
            }
            _ => {}
        }
    }
}

fn raw_request(
    key: kafka_api::ApiKey,
    version: i16,
    correlation_id: i32,
    body: kafka_api::requests::RequestBody,
) -> kafka_api::KafkaRequest {
    kafka_api::KafkaRequest {
        header: kafka_api::requests::RequestHeader {
            api_key: key,
            api_version: version,
            correlation_id,
            client_id: "raw".into(),
        },
        body,
    }
}

fn raw_fetch(max_wait_ms: i32, min_bytes: i32) -> kafka_api::requests::RequestBody {
    use kafka_api::requests::{FetchPartition, FetchRequest, RequestBody, TopicPartition};
    RequestBody::Fetch(FetchRequest {
        replica_id: kafka_api::requests::CONSUMER_REPLICA_ID,
        max_wait_ms,
        min_bytes,
        max_bytes: 1 << 20,
        isolation_level: 0,
        partitions: vec![FetchPartition {
            partition: TopicPartition::new("test", 0),
            current_leader_epoch: -1,
            fetch_offset: 0,
            log_start_offset: -1,
            partition_max_bytes: 1 << 20,
        }],
    })
}

/// The records `a`, `b`, `c` in a message format.
fn three_records(magic: protocol::Magic) -> bytes::Bytes {
    use protocol::{BatchOptions, CompressionType, RecordsBuilder};
    let mut builder = RecordsBuilder::new(BatchOptions::new(magic, CompressionType::None));
    for value in ["a", "b", "c"] {
        builder.append(1_000, None, Some(value.as_bytes()), vec![]);
    }
    builder.build().expect("records build")
}

/// Runs a raw client on kafka-2 with `requests` for `seconds`; its answers.
fn run_raw_client(
    w: &mut World,
    requests: Vec<kafka_api::KafkaRequest>,
    seconds: f64,
) -> Vec<(i64, Option<kafka_api::KafkaResponse>)> {
    let responses = Responses::default();
    let client = RawClient {
        requests: requests.into(),
        responses: responses.clone(),
    };
    let client = w.spawn(
        "kafka-2",
        vec!["raw-client".into()],
        "/",
        Stdio::Null,
        Box::new(client),
    );
    run_for(w, seconds);
    assert_eq!(w.exit_status(&client), Some(0));
    let got = responses.borrow().clone();
    got
}

/// A client's requests once `test` is online: Metadata, a Fetch that waits
/// in the fetch purgatory on the empty partition, a Produce (acks=1) of
/// three records in the release's format, a Fetch that reads them back,
/// and a request in a version the release does not speak.
fn clients_are_answered(release: Release) {
    use kafka_api::requests::{
        ApiVersionsRequest, MetadataRequest, ProduceRequest, RequestBody, ResponseBody,
        TopicPartition,
    };
    use kafka_api::{ApiKey, Errors};
    use protocol::Magic;

    let (mut w, broker) = a_topic_written_to_zookeeper_comes_online(release);
    let (magic, metadata_v, produce_v, fetch_v) = match release {
        Release::V0_8_0 => (Magic::V0, 0, 0, 0),
        Release::V2_8_2 => (Magic::V2, 9, 8, 12),
    };
    let records = three_records(magic);
    let unspoken = match release {
        Release::V0_8_0 => raw_request(
            ApiKey::ApiVersions,
            0,
            5,
            RequestBody::ApiVersions(ApiVersionsRequest {
                client_software_name: String::new(),
                client_software_version: String::new(),
            }),
        ),
        Release::V2_8_2 => raw_request(ApiKey::Fetch, fetch_v + 1, 5, raw_fetch(0, 0)),
    };
    let requests = vec![
        raw_request(
            ApiKey::Metadata,
            metadata_v,
            1,
            RequestBody::Metadata(MetadataRequest {
                topics: Some(vec!["test".into()]),
                allow_auto_topic_creation: false,
            }),
        ),
        raw_request(ApiKey::Fetch, fetch_v, 2, raw_fetch(500, 1)),
        raw_request(
            ApiKey::Produce,
            produce_v,
            3,
            RequestBody::Produce(ProduceRequest {
                transactional_id: None,
                acks: 1,
                timeout_ms: 30_000,
                partitions: vec![(TopicPartition::new("test", 0), records)],
            }),
        ),
        raw_request(ApiKey::Fetch, fetch_v, 4, raw_fetch(0, 0)),
        unspoken,
    ];
    let got = run_raw_client(&mut w, requests, 2.0);
    assert_eq!(w.exit_status(&broker), None);
    assert_eq!(got.len(), 5, "{got:?}");
    let correlation_ids: Vec<Option<i32>> = got
        .iter()
        .map(|(_, r)| r.as_ref().map(|r| r.correlation_id))
        .collect();
    assert_eq!(correlation_ids, [Some(1), Some(2), Some(3), Some(4), None]);
    let body = |i: usize| got[i].1.clone().expect("an answer").body;

    let ResponseBody::Metadata(metadata) = body(0) else {
        panic!("{got:?}")
    };
    assert_eq!(metadata.topics.len(), 1, "{metadata:?}");
    let topic = &metadata.topics[0];
    assert_eq!((topic.name.as_str(), topic.error), ("test", Errors::None));
    let leaders: Vec<(i32, i32)> = topic
        .partitions
        .iter()
        .map(|p| (p.partition_index, p.leader_id))
        .collect();
    assert_eq!(leaders, [(0, 0)], "{metadata:?}");

    // The fetch purgatory: nothing to read, answered at max.wait.ms.
    let ResponseBody::Fetch(waited) = body(1) else {
        panic!("{got:?}")
    };
    let waited_ms = got[1].0 - got[0].0;
    assert!((500..600).contains(&waited_ms), "waited {waited_ms} ms");
    assert_eq!(waited.partitions.len(), 1);
    assert_eq!(waited.partitions[0].1.error, Errors::None);
    assert!(waited.partitions[0].1.records.is_empty());

    let ResponseBody::Produce(produced) = body(2) else {
        panic!("{got:?}")
    };
    let answers: Vec<(Errors, i64)> = produced
        .partitions
        .iter()
        .map(|(_, p)| (p.error, p.base_offset))
        .collect();
    assert_eq!(answers, [(Errors::None, 0)]);

    let ResponseBody::Fetch(fetched) = body(3) else {
        panic!("{got:?}")
    };
    let (tp, data) = &fetched.partitions[0];
    assert_eq!(tp, &TopicPartition::new("test", 0));
    assert_eq!((data.error, data.high_watermark), (Errors::None, 3));
    let read = protocol::Records::new(data.records.clone())
        .records()
        .expect("records read");
    let read: Vec<(i64, Option<bytes::Bytes>)> =
        read.into_iter().map(|r| (r.offset, r.value)).collect();
    assert_eq!(
        read,
        [
            (0, Some(bytes::Bytes::from_static(b"a"))),
            (1, Some(bytes::Bytes::from_static(b"b"))),
            (2, Some(bytes::Bytes::from_static(b"c"))),
        ]
    );
}

#[test]
fn clients_are_answered_0_8_0() {
    clients_are_answered(Release::V0_8_0);
}

#[test]
fn clients_are_answered_2_8_2() {
    clients_are_answered(Release::V2_8_2);
}

/// A follower replicates over the network: brokers 0 and 1, `test-0` on
/// [0, 1] with broker 0 leading; broker 1's fetcher thread connects to
/// broker 0 and fetches (waiting in its fetch purgatory), a Produce with
/// acks=-1 is answered once broker 1 has fetched the records, the high
/// watermark is 3 and broker 1's log holds them.
fn a_follower_replicates(release: Release) {
    use kafka_api::requests::{ProduceRequest, RequestBody, ResponseBody, TopicPartition};
    use kafka_api::{ApiKey, Errors};
    use protocol::Magic;

    let (mut w, b0) = cluster(release);
    let b1 = start_broker(
        &mut w,
        release,
        &["config/server-1.properties"],
        "/root/kafka-1/logs",
    );
    run_for(&mut w, 2.0);
    let data = kafka_zk::TopicAssignment::new([(0, vec![0, 1])]).encode(release);
    create_topic_znode(&mut w, release, "test", &data);
    run_for(&mut w, 2.0);
    let (magic, produce_v, fetch_v) = match release {
        Release::V0_8_0 => (Magic::V0, 0, 0),
        Release::V2_8_2 => (Magic::V2, 8, 12),
    };
    let requests = vec![
        raw_request(
            ApiKey::Produce,
            produce_v,
            1,
            RequestBody::Produce(ProduceRequest {
                transactional_id: None,
                acks: -1,
                timeout_ms: 30_000,
                partitions: vec![(TopicPartition::new("test", 0), three_records(magic))],
            }),
        ),
        raw_request(ApiKey::Fetch, fetch_v, 2, raw_fetch(0, 0)),
    ];
    let got = run_raw_client(&mut w, requests, 3.0);
    assert_eq!((w.exit_status(&b0), w.exit_status(&b1)), (None, None));
    let fetcher_lines: Vec<String> = console(&mut w, &b1)
        .into_iter()
        .filter(|l| l.contains("(kafka.server.ReplicaFetcher"))
        .collect();
    let expected: &[&str] = match release {
        Release::V0_8_0 => &[
            "INFO [ReplicaFetcherThread-0-0], Starting  (kafka.server.ReplicaFetcherThread)",
            "INFO [ReplicaFetcherManager on broker 1] Adding fetcher for partition [test,0], initOffset 0 to broker 0 with fetcherId 0 (kafka.server.ReplicaFetcherManager)",
        ],
        Release::V2_8_2 => &[
            "INFO [ReplicaFetcherThread-0-0]: Starting (kafka.server.ReplicaFetcherThread)",
            "INFO [ReplicaFetcherManager on broker 1] Added fetcher to broker 0 for partitions Map(test-0 -> initOffset 0 with leaderEpoch 0) (kafka.server.ReplicaFetcherManager)",
        ],
    };
    assert_lines(&fetcher_lines, expected);
    assert_eq!(got.len(), 2, "{got:?}");
    let body = |i: usize| got[i].1.clone().expect("an answer").body;
    let ResponseBody::Produce(produced) = body(0) else {
        panic!("{got:?}")
    };
    let answers: Vec<(Errors, i64)> = produced
        .partitions
        .iter()
        .map(|(_, p)| (p.error, p.base_offset))
        .collect();
    assert_eq!(answers, [(Errors::None, 0)]);
    let ResponseBody::Fetch(fetched) = body(1) else {
        panic!("{got:?}")
    };
    let data = &fetched.partitions[0].1;
    assert_eq!((data.error, data.high_watermark), (Errors::None, 3));

    // Broker 1's copy of test-0 holds the three records.
    let fs = w.host_fs("kafka-1").unwrap();
    let segment = fs
        .borrow()
        .read("/tmp/kafka-logs-1/test-0/00000000000000000000.log")
        .expect("broker 1's segment");
    let read = protocol::Records::new(bytes::Bytes::from(segment))
        .records()
        .expect("records read");
    let values: Vec<Option<bytes::Bytes>> = read.into_iter().map(|r| r.value).collect();
    assert_eq!(
        values,
        [
            Some(bytes::Bytes::from_static(b"a")),
            Some(bytes::Bytes::from_static(b"b")),
            Some(bytes::Bytes::from_static(b"c")),
        ]
    );
}

#[test]
fn a_follower_replicates_0_8_0() {
    a_follower_replicates(Release::V0_8_0);
}

#[test]
fn a_follower_replicates_2_8_2() {
    a_follower_replicates(Release::V2_8_2);
}

/// 0.8.0's leader shrinks the ISR and writes it to ZooKeeper: brokers 0
/// and 1, `test-0` on [0, 1] with broker 0 leading; broker 1 is killed, a
/// record produced with acks=1 moves the leader's end past it, and once
/// `replica.lag.time.max.ms` (10 s) and the next ISR check have passed,
/// broker 0 logs the shrink and the state znode holds ISR [0] with the same
/// leader and leader epoch.
#[test]
fn a_leader_writes_its_isr_shrink_0_8_0() {
    use kafka_api::requests::{ProduceRequest, RequestBody, ResponseBody, TopicPartition};
    use kafka_api::{ApiKey, Errors};
    use protocol::{BatchOptions, CompressionType, Magic, RecordsBuilder};

    let release = Release::V0_8_0;
    let (mut w, b0) = cluster(release);
    let b1 = start_broker(
        &mut w,
        release,
        &["config/server-1.properties"],
        "/root/kafka-1/logs",
    );
    run_for(&mut w, 2.0);
    let data = kafka_zk::TopicAssignment::new([(0, vec![0, 1])]).encode(release);
    create_topic_znode(&mut w, release, "test", &data);
    run_for(&mut w, 2.0);
    let state_path = kafka_zk::paths::partition_state("test", 0);
    let before = read_zk(&mut w, release, vec![get(&state_path)]);

    w.signal(&b1, Signal::Kill);
    let mut builder = RecordsBuilder::new(BatchOptions::new(Magic::V0, CompressionType::None));
    builder.append(1_000, None, Some(b"a"), vec![]);
    let record = builder.build().expect("records build");
    let requests = vec![raw_request(
        ApiKey::Produce,
        0,
        1,
        RequestBody::Produce(ProduceRequest {
            transactional_id: None,
            acks: 1,
            timeout_ms: 30_000,
            partitions: vec![(TopicPartition::new("test", 0), record)],
        }),
    )];
    let got = run_raw_client(&mut w, requests, 1.0);
    let ResponseBody::Produce(produced) = got[0].1.clone().expect("an answer").body else {
        panic!("{got:?}")
    };
    assert_eq!(produced.partitions[0].1.error, Errors::None);

    // replica.lag.time.max.ms, then the ISR check that follows it.
    run_for(&mut w, 25.0);
    assert_eq!(w.exit_status(&b0), None);
    let log = strip(&file(&w, "/root/kafka/logs/server.log").expect("server.log"));
    let shrink =
        "Partition [test,0] on broker 0: Shrinking ISR for partition [test,0] from 0,1 to 0";
    assert!(log.iter().any(|l| l.contains(shrink)), "{log:#?}");
    let after = read_zk(&mut w, release, vec![get(&state_path)]);
    assert!(after[0].contains(r#""isr":[ 0 ]"#), "{before:?} {after:?}");
    let field = |text: &str, name: &str| {
        let from = text.find(name).map(|i| i + name.len());
        from.map(|i| {
            text[i..]
                .split([',', ' ', '}'])
                .find(|v| !v.is_empty())
                .map(str::to_owned)
        })
    };
    for name in [r#""leader":"#, r#""leader_epoch":"#] {
        assert_eq!(
            field(&before[0], name),
            field(&after[0], name),
            "{before:?} {after:?}"
        );
    }
}
