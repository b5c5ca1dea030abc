//! `KafkaApis`: one request in, its answer out — checked against the API
//! versions the broker's release speaks, then handed to the replica manager
//! or the metadata cache. What needs ZooKeeper or the controller (creating
//! a topic on a Metadata request, the controller's own requests) comes out
//! as an action for the broker process.

use distribution::Release;
use kafka_api::requests::{
    ApiVersionsResponse, MetadataRequest, MetadataResponse, MetadataTopic, RequestBody,
    ResponseBody, UpdateMetadataResponse,
};
use kafka_api::{ApiKey, Errors, KafkaRequest};
use kafka_log::LogLine;

use crate::metadata_cache::{is_internal, MetadataCache};
use crate::replica::{FetchResult, ProduceResult, ReplicaManager, RequestId};

/// The broker settings requests depend on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiSettings {
    pub broker_id: i32,
    pub auto_create_topics_enable: bool,
    pub num_partitions: i32,
    pub default_replication_factor: i32,
    /// 2.8.2: `/cluster/id`.
    pub cluster_id: Option<String>,
}

/// What became of a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Handled {
    Respond(ResponseBody),
    /// acks=0.
    NoResponse,
    /// The answer comes later (purgatory), under the request's id.
    Later,
    /// Not this broker's to answer alone: the controller's requests
    /// (ControlledShutdown, CreateTopics, DeleteTopics) go to the process.
    ToProcess,
    /// A key or version the release does not speak: the broker closes the
    /// connection, as Kafka does.
    Close,
}

/// A topic to create because a Metadata request named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoCreate {
    pub topic: String,
    pub partitions: i32,
    pub replication_factor: i32,
}

#[derive(Debug)]
pub struct KafkaApis {
    release: Release,
    settings: ApiSettings,
    auto_creates: Vec<AutoCreate>,
    lines: Vec<LogLine>,
}

impl KafkaApis {
    pub fn new(release: Release, settings: ApiSettings) -> KafkaApis {
        KafkaApis {
            release,
            settings,
            auto_creates: Vec::new(),
            lines: Vec::new(),
        }
    }

    pub fn take_auto_creates(&mut self) -> Vec<AutoCreate> {
        std::mem::take(&mut self.auto_creates)
    }

    pub fn take_lines(&mut self) -> Vec<LogLine> {
        std::mem::take(&mut self.lines)
    }

    /// `handle`: dispatch by API key.
    pub fn handle(
        &mut self,
        request: &KafkaRequest,
        id: RequestId,
        rm: &mut ReplicaManager,
        cache: &mut MetadataCache,
        now_ms: i64,
    ) -> Handled {
        let key = request.header.api_key;
        let version = request.header.api_version;
        let supported = key
            .versions(self.release)
            .is_some_and(|(min, max)| (min..=max).contains(&version));
        if !supported {
            if key == ApiKey::ApiVersions && key.versions(self.release).is_some() {
                // 2.8.2 answers an ApiVersions it cannot read with v0 and UNSUPPORTED_VERSION.
                return Handled::Respond(ResponseBody::ApiVersions(ApiVersionsResponse {
                    error: Errors::UnsupportedVersion,
                    api_keys: ApiKey::all(self.release).collect(),
                    throttle_time_ms: 0,
                }));
            }
            return Handled::Close;
        }
        match &request.body {
            RequestBody::ApiVersions(_) => {
                Handled::Respond(ResponseBody::ApiVersions(ApiVersionsResponse {
                    error: Errors::None,
                    api_keys: ApiKey::all(self.release).collect(),
                    throttle_time_ms: 0,
                }))
            }
            RequestBody::Metadata(m) => {
                Handled::Respond(ResponseBody::Metadata(self.metadata(m, version, cache)))
            }
            RequestBody::Produce(p) => {
                match rm.append_records(id, p.acks, p.timeout_ms, &p.partitions, now_ms) {
                    ProduceResult::NoResponse => Handled::NoResponse,
                    ProduceResult::Now(r) => Handled::Respond(ResponseBody::Produce(r)),
                    ProduceResult::Delayed => Handled::Later,
                }
            }
            RequestBody::Fetch(f) => match rm.fetch_messages(id, f, version, now_ms) {
                FetchResult::Now(r) => Handled::Respond(ResponseBody::Fetch(r)),
                FetchResult::Delayed => Handled::Later,
            },
            RequestBody::ListOffsets(l) => Handled::Respond(ResponseBody::ListOffsets(
                rm.list_offsets(l, version, now_ms),
            )),
            RequestBody::OffsetForLeaderEpoch(o) => Handled::Respond(
                ResponseBody::OffsetForLeaderEpoch(rm.last_offset_for_leader_epoch(o)),
            ),
            RequestBody::LeaderAndIsr(l) => Handled::Respond(ResponseBody::LeaderAndIsr(
                rm.become_leader_or_follower(l, request.header.correlation_id, now_ms),
            )),
            RequestBody::UpdateMetadata(u) => {
                cache.update_metadata(u);
                Handled::Respond(ResponseBody::UpdateMetadata(UpdateMetadataResponse {
                    error: Errors::None,
                }))
            }
            RequestBody::StopReplica(s) => {
                Handled::Respond(ResponseBody::StopReplica(rm.stop_replicas(s)))
            }
            RequestBody::ControlledShutdown(_)
            | RequestBody::CreateTopics(_)
            | RequestBody::DeleteTopics(_) => Handled::ToProcess,
            // The group coordinator's requests: the process holds the
            // `group::GroupCoordinator` and answers them.
            RequestBody::FindCoordinator(_)
            | RequestBody::JoinGroup(_)
            | RequestBody::SyncGroup(_)
            | RequestBody::Heartbeat(_)
            | RequestBody::LeaveGroup(_)
            | RequestBody::OffsetCommit(_)
            | RequestBody::OffsetFetch(_)
            | RequestBody::DescribeGroups(_)
            | RequestBody::ListGroups(_)
            | RequestBody::DeleteGroups(_) => Handled::ToProcess,
        }
    }

    /// `handleTopicMetadataRequest`: the cache's answer, and unknown topics
    /// created when the release and the settings allow it.
    fn metadata(
        &mut self,
        request: &MetadataRequest,
        version: i16,
        cache: &MetadataCache,
    ) -> MetadataResponse {
        let all_topics = match (&request.topics, self.release, version) {
            (None, _, _) => true,
            // An empty list meant every topic in 0.8.0 and in v0.
            (Some(t), Release::V0_8_0, _) | (Some(t), _, 0) => t.is_empty(),
            _ => false,
        };
        let topics: Vec<String> = if all_topics {
            cache.topics().cloned().collect()
        } else {
            request.topics.clone().unwrap_or_default()
        };
        let (mut known, missing, lines) = cache.topic_metadata(self.release, &topics, version);
        self.lines.extend(lines);
        let allow = self.settings.auto_create_topics_enable
            && (version < 4 || request.allow_auto_topic_creation);
        let live_brokers = cache.alive_brokers().count() as i32;
        for topic in missing {
            let error = if !valid_topic_name(self.release, &topic) {
                match self.release {
                    Release::V0_8_0 => Errors::UnknownTopicOrPartition,
                    Release::V2_8_2 => Errors::InvalidTopicException,
                }
            } else if !allow {
                Errors::UnknownTopicOrPartition
            } else if self.release == Release::V2_8_2
                && self.settings.default_replication_factor > live_brokers
            {
                Errors::InvalidReplicationFactor
            } else {
                self.auto_creates.push(AutoCreate {
                    topic: topic.clone(),
                    partitions: self.settings.num_partitions,
                    replication_factor: self.settings.default_replication_factor,
                });
                Errors::LeaderNotAvailable
            };
            known.push(MetadataTopic {
                error,
                is_internal: is_internal(&topic),
                name: topic,
                partitions: Vec::new(),
            });
        }
        MetadataResponse {
            throttle_time_ms: 0,
            brokers: cache.metadata_brokers(),
            cluster_id: match self.release {
                Release::V0_8_0 => None,
                Release::V2_8_2 => self.settings.cluster_id.clone(),
            },
            controller_id: cache.controller_id().unwrap_or(-1),
            topics: known,
        }
    }
}

/// `Topic.validate`: legal characters, not `.` or `..`, and a length limit
/// (255 in 0.8.0, 249 in 2.8.2).
pub fn valid_topic_name(release: Release, name: &str) -> bool {
    let max = match release {
        Release::V0_8_0 => 255,
        Release::V2_8_2 => 249,
    };
    !name.is_empty()
        && name != "."
        && name != ".."
        && name.len() <= max
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use kafka_api::requests::{
        ApiVersionsRequest, LiveBroker, RequestHeader, UpdateMetadataRequest,
    };
    use kafka_log::storage::DirSnapshot;
    use kafka_log::{LogManager, LogManagerConfig, LogVersion};
    use protocol::Magic;

    use super::*;
    use crate::replica::{ReplicaSettings, TopicSettings};

    fn setup(release: Release) -> (KafkaApis, ReplicaManager, MetadataCache) {
        let version = match release {
            Release::V0_8_0 => LogVersion::Kafka0_8_0,
            Release::V2_8_2 => LogVersion::Kafka2_8_2,
        };
        let lm = LogManager::startup(
            &DirSnapshot::default(),
            LogManagerConfig::defaults(version, "/tmp/kafka-logs", 0),
            0,
        )
        .unwrap();
        let rm = ReplicaManager::new(
            release,
            0,
            ReplicaSettings {
                replica_lag_time_max_ms: 10_000,
                replica_lag_max_messages: None,
            },
            TopicSettings {
                magic: Magic::V2,
                min_insync_replicas: 1,
            },
            lm,
        );
        let mut cache = MetadataCache::new(0);
        cache.update_metadata(&UpdateMetadataRequest {
            controller_id: 0,
            controller_epoch: 1,
            broker_epoch: 0,
            partition_states: vec![],
            live_brokers: vec![LiveBroker {
                id: 0,
                host: "kafka-1".into(),
                port: 9092,
                rack: None,
            }],
        });
        let apis = KafkaApis::new(
            release,
            ApiSettings {
                broker_id: 0,
                auto_create_topics_enable: true,
                num_partitions: 1,
                default_replication_factor: 1,
                cluster_id: Some("abc".into()),
            },
        );
        (apis, rm, cache)
    }

    fn request(key: ApiKey, version: i16, body: RequestBody) -> KafkaRequest {
        KafkaRequest {
            header: RequestHeader {
                api_key: key,
                api_version: version,
                correlation_id: 7,
                client_id: "test".into(),
            },
            body,
        }
    }

    #[test]
    fn each_release_speaks_its_own_versions() {
        let (mut apis, mut rm, mut cache) = setup(Release::V0_8_0);
        let versions = request(
            ApiKey::ApiVersions,
            0,
            RequestBody::ApiVersions(ApiVersionsRequest {
                client_software_name: String::new(),
                client_software_version: String::new(),
            }),
        );
        assert_eq!(
            apis.handle(&versions, 1, &mut rm, &mut cache, 0),
            Handled::Close,
            "0.8.0 has no ApiVersions"
        );
        let (mut apis, mut rm, mut cache) = setup(Release::V2_8_2);
        let Handled::Respond(ResponseBody::ApiVersions(r)) =
            apis.handle(&versions, 1, &mut rm, &mut cache, 0)
        else {
            panic!()
        };
        assert_eq!(r.error, Errors::None);
        assert!(r.api_keys.contains(&(ApiKey::Produce, 0, 9)));
        let too_new = request(ApiKey::ApiVersions, 9, versions.body.clone());
        let Handled::Respond(ResponseBody::ApiVersions(r)) =
            apis.handle(&too_new, 2, &mut rm, &mut cache, 0)
        else {
            panic!()
        };
        assert_eq!(r.error, Errors::UnsupportedVersion);
    }

    #[test]
    fn an_unknown_topic_is_created_where_allowed() {
        for release in [Release::V0_8_0, Release::V2_8_2] {
            let (mut apis, mut rm, mut cache) = setup(release);
            let ask = |topics: &[&str], allow: bool| {
                request(
                    ApiKey::Metadata,
                    if release == Release::V0_8_0 { 0 } else { 9 },
                    RequestBody::Metadata(MetadataRequest {
                        topics: Some(topics.iter().map(|t| t.to_string()).collect()),
                        allow_auto_topic_creation: allow,
                    }),
                )
            };
            let Handled::Respond(ResponseBody::Metadata(r)) =
                apis.handle(&ask(&["test"], true), 1, &mut rm, &mut cache, 0)
            else {
                panic!()
            };
            assert_eq!(r.topics[0].error, Errors::LeaderNotAvailable, "{release:?}");
            assert_eq!(apis.take_auto_creates()[0].topic, "test");
            let Handled::Respond(ResponseBody::Metadata(r)) =
                apis.handle(&ask(&["bad name!"], true), 2, &mut rm, &mut cache, 0)
            else {
                panic!()
            };
            let expected = match release {
                Release::V0_8_0 => Errors::UnknownTopicOrPartition,
                Release::V2_8_2 => Errors::InvalidTopicException,
            };
            assert_eq!(r.topics[0].error, expected);
            assert!(apis.take_auto_creates().is_empty());
            if release == Release::V2_8_2 {
                let Handled::Respond(ResponseBody::Metadata(r)) =
                    apis.handle(&ask(&["other"], false), 3, &mut rm, &mut cache, 0)
                else {
                    panic!()
                };
                assert_eq!(
                    r.topics[0].error,
                    Errors::UnknownTopicOrPartition,
                    "allow_auto_topic_creation=false"
                );
                assert_eq!(r.cluster_id.as_deref(), Some("abc"));
            }
        }
    }
}
