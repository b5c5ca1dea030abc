//! Where Kafka keeps things in ZooKeeper: the znode paths of 0.8.0 and 2.8.2
//! (`ZkUtils`@0.8.0, `ZkData`@2.8.2), which of them are ephemeral or
//! sequential, and the directory-like znodes a broker creates at start-up.
//!
//! Directory-like znodes (the parents, `/admin/delete_topics/<topic>`,
//! `/brokers/topics/<t>/partitions/<p>`) are created with **no data**, which
//! `zookeeper-shell`'s `get` prints as `null`; that is different from empty
//! data.

use distribution::Release;

pub const BROKERS: &str = "/brokers";
/// `ZkUtils.BrokerIdsPath`, `BrokerIdsZNode`.
pub const BROKER_IDS: &str = "/brokers/ids";
/// `ZkUtils.BrokerTopicsPath`, `TopicsZNode`.
pub const BROKER_TOPICS: &str = "/brokers/topics";
/// `BrokerSequenceIdZNode` (2.8.2): no data, set to empty data when a broker
/// id is generated; its version is the sequence.
pub const BROKER_SEQID: &str = "/brokers/seqid";
/// `ZkUtils.ControllerPath`, `ControllerZNode` (ephemeral).
pub const CONTROLLER: &str = "/controller";
/// `ZkUtils.ControllerEpochPath`, `ControllerEpochZNode`.
pub const CONTROLLER_EPOCH: &str = "/controller_epoch";
pub const ADMIN: &str = "/admin";
/// `DeleteTopicsZNode` (2.8.2; absent from 0.8.0).
pub const DELETE_TOPICS: &str = "/admin/delete_topics";
/// `ZkUtils.ReassignPartitionsPath`, `ReassignPartitionsZNode`.
pub const REASSIGN_PARTITIONS: &str = "/admin/reassign_partitions";
/// `ZkUtils.PreferredReplicaLeaderElectionPath`, `PreferredReplicaElectionZNode`.
pub const PREFERRED_REPLICA_ELECTION: &str = "/admin/preferred_replica_election";
/// `IsrChangeNotificationZNode` (2.8.2).
pub const ISR_CHANGE_NOTIFICATION: &str = "/isr_change_notification";
/// The prefix of the persistent-sequential ISR change notifications.
pub const ISR_CHANGE_PREFIX: &str = "/isr_change_notification/isr_change_";
/// `LogDirEventNotificationZNode` (2.8.2).
pub const LOG_DIR_EVENT_NOTIFICATION: &str = "/log_dir_event_notification";
/// The prefix of the persistent-sequential log-dir event notifications.
pub const LOG_DIR_EVENT_PREFIX: &str = "/log_dir_event_notification/log_dir_event_";
/// `ConfigZNode` (2.8.2; 0.8.0 has no `/config`).
pub const CONFIG: &str = "/config";
/// `ConfigEntityChangeNotificationZNode`.
pub const CONFIG_CHANGES: &str = "/config/changes";
/// The prefix of the persistent-sequential config change notifications.
pub const CONFIG_CHANGE_PREFIX: &str = "/config/changes/config_change_";
/// `ClusterZNode` (2.8.2).
pub const CLUSTER: &str = "/cluster";
/// `ClusterIdZNode` (2.8.2).
pub const CLUSTER_ID: &str = "/cluster/id";
/// `FeatureZNode` (2.8.2).
pub const FEATURE: &str = "/feature";
/// `ProducerIdBlockZNode` (2.8.2).
pub const LATEST_PRODUCER_ID_BLOCK: &str = "/latest_producer_id_block";
/// `ZkUtils.ConsumersPath`, `ConsumerPathZNode`.
pub const CONSUMERS: &str = "/consumers";

/// How a znode is created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Persistent,
    /// Deleted when the creating session ends.
    Ephemeral,
    /// Persistent, with ZooKeeper's `%010d` suffix appended to the name.
    PersistentSequential,
}

/// The entity types under `/config` in 2.8.2 (`ConfigType.all`, in that order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConfigType {
    Topics,
    Clients,
    Users,
    Brokers,
    Ips,
}

impl ConfigType {
    /// `ConfigType.all` (DynamicConfigManager.scala@2.8.2 l.36-43).
    pub const ALL: [ConfigType; 5] = [
        ConfigType::Topics,
        ConfigType::Clients,
        ConfigType::Users,
        ConfigType::Brokers,
        ConfigType::Ips,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ConfigType::Topics => "topics",
            ConfigType::Clients => "clients",
            ConfigType::Users => "users",
            ConfigType::Brokers => "brokers",
            ConfigType::Ips => "ips",
        }
    }

    pub fn from_name(name: &str) -> Option<ConfigType> {
        ConfigType::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// `/brokers/ids/<id>` (ephemeral).
pub fn broker(id: i32) -> String {
    format!("{BROKER_IDS}/{id}")
}

/// `/brokers/topics/<topic>`: the replica assignment.
pub fn topic(topic: &str) -> String {
    format!("{BROKER_TOPICS}/{topic}")
}

/// `/brokers/topics/<topic>/partitions` (no data).
pub fn topic_partitions(topic: &str) -> String {
    format!("{BROKER_TOPICS}/{topic}/partitions")
}

/// `/brokers/topics/<topic>/partitions/<partition>` (no data).
pub fn topic_partition(topic: &str, partition: i32) -> String {
    format!("{BROKER_TOPICS}/{topic}/partitions/{partition}")
}

/// `/brokers/topics/<topic>/partitions/<partition>/state`: leader and ISR.
pub fn partition_state(topic: &str, partition: i32) -> String {
    format!("{BROKER_TOPICS}/{topic}/partitions/{partition}/state")
}

/// `/admin/delete_topics/<topic>` (2.8.2, no data): a topic marked for deletion.
pub fn delete_topic(topic: &str) -> String {
    format!("{DELETE_TOPICS}/{topic}")
}

/// The name ZooKeeper gives a sequential znode: the prefix and the parent's
/// `cversion` as `%010d` (PrepRequestProcessor.java@3.5.9 l.665).
pub fn sequential(prefix: &str, sequence: i32) -> String {
    format!("{prefix}{sequence:010}")
}

/// `/isr_change_notification/isr_change_<seq>` (2.8.2, persistent-sequential).
pub fn isr_change_notification(sequence: i32) -> String {
    sequential(ISR_CHANGE_PREFIX, sequence)
}

/// `/log_dir_event_notification/log_dir_event_<seq>` (2.8.2, persistent-sequential).
pub fn log_dir_event_notification(sequence: i32) -> String {
    sequential(LOG_DIR_EVENT_PREFIX, sequence)
}

/// `/config/changes/config_change_<seq>` (2.8.2, persistent-sequential).
pub fn config_change(sequence: i32) -> String {
    sequential(CONFIG_CHANGE_PREFIX, sequence)
}

/// `/config/<type>` (2.8.2, no data).
pub fn config_entity_type(entity_type: ConfigType) -> String {
    format!("{CONFIG}/{}", entity_type.name())
}

/// `/config/<type>/<name>` (2.8.2): an entity's config. A user's client is
/// `/config/users/<user>/clients/<client>`: pass `"<user>/clients/<client>"`.
pub fn config_entity(entity_type: ConfigType, name: &str) -> String {
    format!("{CONFIG}/{}/{name}", entity_type.name())
}

/// `/config/topics/<topic>` (2.8.2).
pub fn topic_config(topic: &str) -> String {
    config_entity(ConfigType::Topics, topic)
}

/// `ZKGroupDirs.consumerGroupDir`: `/consumers/<group>`.
pub fn consumer_group_dir(group: &str) -> String {
    format!("{CONSUMERS}/{group}")
}

/// `ZKGroupDirs.consumerRegistryDir`: `/consumers/<group>/ids` (0.8.0).
pub fn consumer_registry_dir(group: &str) -> String {
    format!("{CONSUMERS}/{group}/ids")
}

/// `/consumers/<group>/ids/<consumerId>` (0.8.0, ephemeral).
pub fn consumer_registration(group: &str, consumer_id: &str) -> String {
    format!("{CONSUMERS}/{group}/ids/{consumer_id}")
}

/// `ZKGroupTopicDirs.consumerOwnerDir`: `/consumers/<group>/owners/<topic>` (0.8.0).
pub fn consumer_owner_dir(group: &str, topic: &str) -> String {
    format!("{CONSUMERS}/{group}/owners/{topic}")
}

/// `/consumers/<group>/owners/<topic>/<partition>` (0.8.0, ephemeral).
pub fn consumer_owner(group: &str, topic: &str, partition: i32) -> String {
    format!("{CONSUMERS}/{group}/owners/{topic}/{partition}")
}

/// `ZKGroupTopicDirs.consumerOffsetDir`: `/consumers/<group>/offsets/<topic>`.
pub fn consumer_offset_dir(group: &str, topic: &str) -> String {
    format!("{CONSUMERS}/{group}/offsets/{topic}")
}

/// `/consumers/<group>/offsets/<topic>/<partition>`: a committed offset as
/// decimal text (0.8.0's consumer; in 2.8.2 only OffsetCommit v0).
pub fn consumer_offset(group: &str, topic: &str, partition: i32) -> String {
    format!("{CONSUMERS}/{group}/offsets/{topic}/{partition}")
}

/// `ZkData.PersistentZkPaths`@2.8.2 l.956-967: the paths
/// `KafkaZkClient.createTopLevelPaths` makes sure exist at every broker
/// start-up, in that order (each with its missing parents). 0.8.0 has no such
/// list.
pub const PERSISTENT_ZK_PATHS_2_8_2: [&str; 14] = [
    CONSUMERS,
    BROKER_IDS,
    BROKER_TOPICS,
    CONFIG_CHANGES,
    DELETE_TOPICS,
    BROKER_SEQID,
    ISR_CHANGE_NOTIFICATION,
    LATEST_PRODUCER_ID_BLOCK,
    LOG_DIR_EVENT_NOTIFICATION,
    "/config/topics",
    "/config/clients",
    "/config/users",
    "/config/brokers",
    "/config/ips",
];

/// The persistent znodes **with no data** that the first broker of a fresh
/// cluster creates, parents first, in the order it creates them (§3.2 and
/// §4.2 of `KAFKA-ZK-LAYOUT.md`).
///
/// - 0.8.0: only the parents of its registration. After them come the
///   ephemeral `/brokers/ids/<id>`, the ephemeral `/controller` and
///   `/controller_epoch` = `1`. `/brokers/topics` appears with the first topic.
/// - 2.8.2: `createTopLevelPaths` ([`PERSISTENT_ZK_PATHS_2_8_2`] with their
///   parents), then `/cluster` as the parent of `/cluster/id`. After them come
///   `/cluster/id` (JSON), the ephemeral `/brokers/ids/<id>`,
///   `/controller_epoch` = `0` then `1`, the ephemeral `/controller`,
///   `/feature`, and the first block written to `/latest_producer_id_block`.
pub fn startup_paths(release: Release) -> &'static [&'static str] {
    match release {
        Release::V0_8_0 => &[BROKERS, BROKER_IDS],
        Release::V2_8_2 => &[
            CONSUMERS,
            BROKERS,
            BROKER_IDS,
            BROKER_TOPICS,
            CONFIG,
            CONFIG_CHANGES,
            ADMIN,
            DELETE_TOPICS,
            BROKER_SEQID,
            ISR_CHANGE_NOTIFICATION,
            LATEST_PRODUCER_ID_BLOCK,
            LOG_DIR_EVENT_NOTIFICATION,
            "/config/topics",
            "/config/clients",
            "/config/users",
            "/config/brokers",
            "/config/ips",
            CLUSTER,
        ],
    }
}

/// The ancestors of `path`, root-most first (`/a/b/c` → `/a`, `/a/b`): what
/// ZkClient's `createPersistent(path, true)` (0.8.0) and `createRecursive`
/// (2.8.2) create, with no data, when they are missing.
pub fn ancestors(path: &str) -> Vec<&str> {
    path.match_indices('/')
        .map(|(i, _)| &path[..i])
        .filter(|p| !p.is_empty())
        .collect()
}

fn is_int(s: &str) -> bool {
    crate::read::java_parse_int(s).is_some()
}

/// `name` is `prefix` followed by a ZooKeeper sequence suffix.
fn is_sequential(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|seq| seq.len() == 10 && is_int(seq))
}

/// How `release` creates the znode at `path`, or `None` if that release never
/// writes it.
pub fn kind(release: Release, path: &str) -> Option<NodeKind> {
    use NodeKind::*;
    let rest = path.strip_prefix('/')?;
    let segs: Vec<&str> = rest.split('/').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return None;
    }
    let new = release == Release::V2_8_2;
    let old = release == Release::V0_8_0;
    let kind = match segs.as_slice() {
        ["brokers"] | ["brokers", "ids"] | ["brokers", "topics"] => Persistent,
        ["brokers", "ids", id] if is_int(id) => Ephemeral,
        ["brokers", "seqid"] if new => Persistent,
        ["brokers", "topics", _] | ["brokers", "topics", _, "partitions"] => Persistent,
        ["brokers", "topics", _, "partitions", p]
        | ["brokers", "topics", _, "partitions", p, "state"]
            if is_int(p) =>
        {
            Persistent
        }
        ["controller"] => Ephemeral,
        ["controller_epoch"] => Persistent,
        ["admin"] | ["admin", "reassign_partitions"] | ["admin", "preferred_replica_election"] => {
            Persistent
        }
        ["admin", "delete_topics"] | ["admin", "delete_topics", _] if new => Persistent,
        ["isr_change_notification"] if new => Persistent,
        ["isr_change_notification", n] if new && is_sequential(n, "isr_change_") => {
            PersistentSequential
        }
        ["log_dir_event_notification"] if new => Persistent,
        ["log_dir_event_notification", n] if new && is_sequential(n, "log_dir_event_") => {
            PersistentSequential
        }
        ["config"] | ["config", "changes"] if new => Persistent,
        ["config", "changes", n] if new && is_sequential(n, "config_change_") => {
            PersistentSequential
        }
        ["config", t] | ["config", t, _] if new && ConfigType::from_name(t).is_some() => Persistent,
        ["config", "users", _, "clients"] | ["config", "users", _, "clients", _] if new => {
            Persistent
        }
        ["cluster"] | ["cluster", "id"] | ["feature"] | ["latest_producer_id_block"] if new => {
            Persistent
        }
        ["consumers"] => Persistent,
        ["consumers", _] | ["consumers", _, "offsets"] | ["consumers", _, "offsets", _] => {
            Persistent
        }
        ["consumers", _, "offsets", _, p] if is_int(p) => Persistent,
        ["consumers", _, "ids"] | ["consumers", _, "owners"] | ["consumers", _, "owners", _]
            if old =>
        {
            Persistent
        }
        ["consumers", _, "ids", _] if old => Ephemeral,
        ["consumers", _, "owners", _, p] if old && is_int(p) => Ephemeral,
        _ => return None,
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(broker(0), "/brokers/ids/0");
        assert_eq!(topic("test"), "/brokers/topics/test");
        assert_eq!(topic_partitions("test"), "/brokers/topics/test/partitions");
        assert_eq!(
            topic_partition("test", 1),
            "/brokers/topics/test/partitions/1"
        );
        assert_eq!(
            partition_state("test", 0),
            "/brokers/topics/test/partitions/0/state"
        );
        assert_eq!(delete_topic("test"), "/admin/delete_topics/test");
        assert_eq!(topic_config("test"), "/config/topics/test");
        assert_eq!(
            config_entity(ConfigType::Brokers, "<default>"),
            "/config/brokers/<default>"
        );
        assert_eq!(config_entity_type(ConfigType::Ips), "/config/ips");
        assert_eq!(
            consumer_registration("g", "g_kafka-1-1380000000000-1a2b3c4d"),
            "/consumers/g/ids/g_kafka-1-1380000000000-1a2b3c4d"
        );
        assert_eq!(consumer_registry_dir("g"), "/consumers/g/ids");
        assert_eq!(consumer_group_dir("g"), "/consumers/g");
        assert_eq!(consumer_owner_dir("g", "t"), "/consumers/g/owners/t");
        assert_eq!(consumer_owner("g", "t", 3), "/consumers/g/owners/t/3");
        assert_eq!(consumer_offset_dir("g", "t"), "/consumers/g/offsets/t");
        assert_eq!(consumer_offset("g", "t", 3), "/consumers/g/offsets/t/3");
    }

    #[test]
    fn sequential_suffix_is_ten_digits() {
        assert_eq!(
            isr_change_notification(0),
            "/isr_change_notification/isr_change_0000000000"
        );
        assert_eq!(
            config_change(12),
            "/config/changes/config_change_0000000012"
        );
        assert_eq!(
            log_dir_event_notification(2_147_483_647),
            "/log_dir_event_notification/log_dir_event_2147483647"
        );
        // Java's %010d of a negative counter (after overflow).
        assert_eq!(sequential("x_", -1), "x_-000000001");
    }

    #[test]
    fn ancestors_root_first() {
        assert_eq!(ancestors("/brokers/ids/0"), ["/brokers", "/brokers/ids"]);
        assert_eq!(ancestors("/controller"), Vec::<&str>::new());
    }

    /// §4.2: createTopLevelPaths, each missing parent created before its child.
    #[test]
    fn startup_2_8_2_is_top_level_paths_with_parents() {
        let mut expected: Vec<&str> = Vec::new();
        for path in PERSISTENT_ZK_PATHS_2_8_2.into_iter().chain([CLUSTER_ID]) {
            for p in ancestors(path).into_iter().chain([path]) {
                if !expected.contains(&p) {
                    expected.push(p);
                }
            }
        }
        expected.pop(); // /cluster/id carries data.
        assert_eq!(startup_paths(Release::V2_8_2), expected.as_slice());
        // `ls /` on 3.5.9 (sorted) after the first broker, as §4.2 shows it:
        // these plus /controller, /controller_epoch, /feature, /zookeeper.
        let mut roots: Vec<&str> = startup_paths(Release::V2_8_2)
            .iter()
            .map(|p| p.split('/').nth(1).unwrap())
            .chain(["controller", "controller_epoch", "feature", "zookeeper"])
            .collect();
        roots.sort_unstable();
        roots.dedup();
        assert_eq!(
            roots,
            [
                "admin",
                "brokers",
                "cluster",
                "config",
                "consumers",
                "controller",
                "controller_epoch",
                "feature",
                "isr_change_notification",
                "latest_producer_id_block",
                "log_dir_event_notification",
                "zookeeper"
            ]
        );
    }

    #[test]
    fn startup_paths_are_persistent_in_their_release() {
        for release in [Release::V0_8_0, Release::V2_8_2] {
            for path in startup_paths(release) {
                assert_eq!(kind(release, path), Some(NodeKind::Persistent), "{path}");
            }
        }
    }

    #[test]
    fn kinds() {
        use NodeKind::*;
        let both = [
            ("/brokers/ids/0", Some(Ephemeral)),
            ("/brokers/ids/x", None),
            ("/brokers/topics/test", Some(Persistent)),
            ("/brokers/topics/test/partitions", Some(Persistent)),
            ("/brokers/topics/test/partitions/0", Some(Persistent)),
            ("/brokers/topics/test/partitions/0/state", Some(Persistent)),
            ("/brokers/topics/test/partitions/a/state", None),
            ("/controller", Some(Ephemeral)),
            ("/controller_epoch", Some(Persistent)),
            ("/admin/reassign_partitions", Some(Persistent)),
            ("/admin/preferred_replica_election", Some(Persistent)),
            ("/consumers/g/offsets/t/0", Some(Persistent)),
            ("/zookeeper", None),
            ("brokers", None),
            ("/brokers/", None),
        ];
        for release in [Release::V0_8_0, Release::V2_8_2] {
            for (path, k) in both {
                assert_eq!(kind(release, path), k, "{release} {path}");
            }
        }
        let only_new = [
            ("/admin/delete_topics/test", Persistent),
            (
                "/isr_change_notification/isr_change_0000000000",
                PersistentSequential,
            ),
            (
                "/log_dir_event_notification/log_dir_event_0000000003",
                PersistentSequential,
            ),
            (
                "/config/changes/config_change_0000000001",
                PersistentSequential,
            ),
            ("/config/topics/test", Persistent),
            ("/config/users/u/clients/c", Persistent),
            ("/cluster/id", Persistent),
            ("/feature", Persistent),
            ("/latest_producer_id_block", Persistent),
            ("/brokers/seqid", Persistent),
        ];
        for (path, k) in only_new {
            assert_eq!(kind(Release::V2_8_2, path), Some(k), "{path}");
            assert_eq!(kind(Release::V0_8_0, path), None, "{path}");
        }
        let only_old = [
            ("/consumers/g/ids/g_h-1-abcdef01", Ephemeral),
            ("/consumers/g/owners/t/0", Ephemeral),
            ("/consumers/g/owners/t", Persistent),
        ];
        for (path, k) in only_old {
            assert_eq!(kind(Release::V0_8_0, path), Some(k), "{path}");
            assert_eq!(kind(Release::V2_8_2, path), None, "{path}");
        }
        assert_eq!(
            kind(Release::V2_8_2, "/isr_change_notification/isr_change_1"),
            None
        );
        assert_eq!(kind(Release::V2_8_2, "/config/nope/x"), None);
    }
}
