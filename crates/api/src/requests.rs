//! The requests a broker answers and their responses, as typed values that
//! travel between the world's processes. Each type holds the union of the
//! fields its API has across the versions the two releases speak; the
//! header's `api_version` says which of them the sender meant, and the
//! broker answers in the same version (a field the version lacks is left at
//! its default). Record data is the encoded batch, never decoded on the way.

use bytes::Bytes;
use sim::Payload;

use crate::{ApiKey, Errors};

/// What every request starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestHeader {
    pub api_key: ApiKey,
    pub api_version: i16,
    pub correlation_id: i32,
    pub client_id: String,
}

/// A request on a connection to a broker.
#[derive(Clone, Debug, PartialEq)]
pub struct KafkaRequest {
    pub header: RequestHeader,
    pub body: RequestBody,
}

/// A response, matched to its request by `correlation_id`.
#[derive(Clone, Debug, PartialEq)]
pub struct KafkaResponse {
    pub correlation_id: i32,
    pub body: ResponseBody,
}

impl Payload for KafkaRequest {
    fn summary(&self) -> String {
        format!(
            "{:?} v{} correlation {} from {}",
            self.header.api_key,
            self.header.api_version,
            self.header.correlation_id,
            self.header.client_id
        )
    }
}

impl Payload for KafkaResponse {
    fn summary(&self) -> String {
        format!(
            "{} response correlation {}",
            self.body.name(),
            self.correlation_id
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum RequestBody {
    Produce(ProduceRequest),
    Fetch(FetchRequest),
    ListOffsets(ListOffsetsRequest),
    Metadata(MetadataRequest),
    LeaderAndIsr(LeaderAndIsrRequest),
    StopReplica(StopReplicaRequest),
    UpdateMetadata(UpdateMetadataRequest),
    ControlledShutdown(ControlledShutdownRequest),
    OffsetForLeaderEpoch(OffsetForLeaderEpochRequest),
    ApiVersions(ApiVersionsRequest),
    CreateTopics(CreateTopicsRequest),
    DeleteTopics(DeleteTopicsRequest),
}

impl RequestBody {
    pub fn api_key(&self) -> ApiKey {
        match self {
            RequestBody::Produce(_) => ApiKey::Produce,
            RequestBody::Fetch(_) => ApiKey::Fetch,
            RequestBody::ListOffsets(_) => ApiKey::ListOffsets,
            RequestBody::Metadata(_) => ApiKey::Metadata,
            RequestBody::LeaderAndIsr(_) => ApiKey::LeaderAndIsr,
            RequestBody::StopReplica(_) => ApiKey::StopReplica,
            RequestBody::UpdateMetadata(_) => ApiKey::UpdateMetadata,
            RequestBody::ControlledShutdown(_) => ApiKey::ControlledShutdown,
            RequestBody::OffsetForLeaderEpoch(_) => ApiKey::OffsetForLeaderEpoch,
            RequestBody::ApiVersions(_) => ApiKey::ApiVersions,
            RequestBody::CreateTopics(_) => ApiKey::CreateTopics,
            RequestBody::DeleteTopics(_) => ApiKey::DeleteTopics,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ResponseBody {
    Produce(ProduceResponse),
    Fetch(FetchResponse),
    ListOffsets(ListOffsetsResponse),
    Metadata(MetadataResponse),
    LeaderAndIsr(LeaderAndIsrResponse),
    StopReplica(StopReplicaResponse),
    UpdateMetadata(UpdateMetadataResponse),
    ControlledShutdown(ControlledShutdownResponse),
    OffsetForLeaderEpoch(OffsetForLeaderEpochResponse),
    ApiVersions(ApiVersionsResponse),
    CreateTopics(CreateTopicsResponse),
    DeleteTopics(DeleteTopicsResponse),
}

impl ResponseBody {
    pub fn name(&self) -> &'static str {
        match self {
            ResponseBody::Produce(_) => "Produce",
            ResponseBody::Fetch(_) => "Fetch",
            ResponseBody::ListOffsets(_) => "ListOffsets",
            ResponseBody::Metadata(_) => "Metadata",
            ResponseBody::LeaderAndIsr(_) => "LeaderAndIsr",
            ResponseBody::StopReplica(_) => "StopReplica",
            ResponseBody::UpdateMetadata(_) => "UpdateMetadata",
            ResponseBody::ControlledShutdown(_) => "ControlledShutdown",
            ResponseBody::OffsetForLeaderEpoch(_) => "OffsetForLeaderEpoch",
            ResponseBody::ApiVersions(_) => "ApiVersions",
            ResponseBody::CreateTopics(_) => "CreateTopics",
            ResponseBody::DeleteTopics(_) => "DeleteTopics",
        }
    }
}

/// A topic and partition, the key of most per-partition data.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: i32,
}

impl TopicPartition {
    pub fn new(topic: impl Into<String>, partition: i32) -> TopicPartition {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }
}

impl TopicPartition {
    /// 0.8's rendering in logs (`TopicAndPartition`): `[topic,partition]`.
    pub fn bracketed(&self) -> String {
        format!("[{},{}]", self.topic, self.partition)
    }
}

/// `topic-partition`, as 2.x's `TopicPartition.toString` and directory names.
impl std::fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

// --- Produce ------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
pub struct ProduceRequest {
    pub transactional_id: Option<String>,
    /// 0: no response; 1: the leader's append; -1: every in-sync replica.
    pub acks: i16,
    pub timeout_ms: i32,
    pub partitions: Vec<(TopicPartition, Bytes)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProducePartitionResponse {
    pub error: Errors,
    pub base_offset: i64,
    /// -1 unless the topic uses LogAppendTime (v2+).
    pub log_append_time_ms: i64,
    /// v5+.
    pub log_start_offset: i64,
    /// v8+: the error's message, when there is more to say than its name.
    pub error_message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProduceResponse {
    pub partitions: Vec<(TopicPartition, ProducePartitionResponse)>,
    pub throttle_time_ms: i32,
}

// --- Fetch --------------------------------------------------------------------

/// The replica id of a fetch from a consumer (followers send their broker id).
pub const CONSUMER_REPLICA_ID: i32 = -1;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchPartition {
    pub partition: TopicPartition,
    /// v9+; -1 when the fetcher does not know it.
    pub current_leader_epoch: i32,
    pub fetch_offset: i64,
    /// v5+: the follower's log start offset.
    pub log_start_offset: i64,
    pub partition_max_bytes: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchRequest {
    pub replica_id: i32,
    pub max_wait_ms: i32,
    pub min_bytes: i32,
    /// v3+.
    pub max_bytes: i32,
    /// v4+: 0 read_uncommitted, 1 read_committed.
    pub isolation_level: i8,
    pub partitions: Vec<FetchPartition>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FetchPartitionResponse {
    pub error: Errors,
    pub high_watermark: i64,
    /// v4+.
    pub last_stable_offset: i64,
    /// v5+.
    pub log_start_offset: i64,
    /// The log's batches from the fetch offset, as stored (or down-converted
    /// for an old fetch version).
    pub records: Bytes,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FetchResponse {
    pub throttle_time_ms: i32,
    /// v7+: an error for the whole fetch session.
    pub error: Errors,
    pub partitions: Vec<(TopicPartition, FetchPartitionResponse)>,
}

// --- ListOffsets ----------------------------------------------------------------

/// `ListOffsets` timestamps that mean the log's end and its start.
pub const LATEST_TIMESTAMP: i64 = -1;
pub const EARLIEST_TIMESTAMP: i64 = -2;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListOffsetsPartition {
    pub partition: TopicPartition,
    pub current_leader_epoch: i32,
    pub timestamp: i64,
    /// v0 only: how many offsets before the timestamp.
    pub max_num_offsets: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListOffsetsRequest {
    pub replica_id: i32,
    pub isolation_level: i8,
    pub partitions: Vec<ListOffsetsPartition>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListOffsetsPartitionResponse {
    pub error: Errors,
    /// v0: the offsets, newest first.
    pub old_style_offsets: Vec<i64>,
    pub timestamp: i64,
    pub offset: i64,
    pub leader_epoch: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListOffsetsResponse {
    pub throttle_time_ms: i32,
    pub partitions: Vec<(TopicPartition, ListOffsetsPartitionResponse)>,
}

// --- Metadata -------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataRequest {
    /// `None`: every topic (v1+; an empty list meant all topics in v0).
    pub topics: Option<Vec<String>>,
    /// v4+; earlier versions always let the broker auto-create.
    pub allow_auto_topic_creation: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataBroker {
    pub node_id: i32,
    pub host: String,
    pub port: i32,
    pub rack: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataPartition {
    pub error: Errors,
    pub partition_index: i32,
    pub leader_id: i32,
    pub leader_epoch: i32,
    pub replica_nodes: Vec<i32>,
    pub isr_nodes: Vec<i32>,
    pub offline_replicas: Vec<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataTopic {
    pub error: Errors,
    pub name: String,
    pub is_internal: bool,
    pub partitions: Vec<MetadataPartition>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataResponse {
    pub throttle_time_ms: i32,
    pub brokers: Vec<MetadataBroker>,
    pub cluster_id: Option<String>,
    /// -1 when there is none (and in v0, which has no such field).
    pub controller_id: i32,
    pub topics: Vec<MetadataTopic>,
}

// --- The controller's requests ----------------------------------------------------

/// A partition's state as the controller sends it (LeaderAndIsr, UpdateMetadata).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionState {
    pub partition: TopicPartition,
    pub controller_epoch: i32,
    pub leader: i32,
    pub leader_epoch: i32,
    pub isr: Vec<i32>,
    pub zk_version: i32,
    pub replicas: Vec<i32>,
    pub adding_replicas: Vec<i32>,
    pub removing_replicas: Vec<i32>,
    /// LeaderAndIsr v1+: the partition was just created.
    pub is_new: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveBroker {
    pub id: i32,
    pub host: String,
    pub port: i32,
    pub rack: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderAndIsrRequest {
    pub controller_id: i32,
    pub controller_epoch: i32,
    /// v2+.
    pub broker_epoch: i64,
    pub partition_states: Vec<PartitionState>,
    pub live_leaders: Vec<LiveBroker>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderAndIsrResponse {
    pub error: Errors,
    pub partitions: Vec<(TopicPartition, Errors)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopReplicaPartition {
    pub partition: TopicPartition,
    pub leader_epoch: i32,
    pub delete: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopReplicaRequest {
    pub controller_id: i32,
    pub controller_epoch: i32,
    pub broker_epoch: i64,
    pub partitions: Vec<StopReplicaPartition>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopReplicaResponse {
    pub error: Errors,
    pub partitions: Vec<(TopicPartition, Errors)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateMetadataRequest {
    pub controller_id: i32,
    pub controller_epoch: i32,
    pub broker_epoch: i64,
    pub partition_states: Vec<PartitionState>,
    pub live_brokers: Vec<LiveBroker>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateMetadataResponse {
    pub error: Errors,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlledShutdownRequest {
    pub broker_id: i32,
    pub broker_epoch: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlledShutdownResponse {
    pub error: Errors,
    pub remaining_partitions: Vec<TopicPartition>,
}

// --- OffsetForLeaderEpoch --------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetForLeaderEpochPartition {
    pub partition: TopicPartition,
    pub current_leader_epoch: i32,
    pub leader_epoch: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetForLeaderEpochRequest {
    /// v3+: the follower's broker id (-1 from a consumer).
    pub replica_id: i32,
    pub partitions: Vec<OffsetForLeaderEpochPartition>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpochEndOffset {
    pub error: Errors,
    pub leader_epoch: i32,
    pub end_offset: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetForLeaderEpochResponse {
    pub throttle_time_ms: i32,
    pub partitions: Vec<(TopicPartition, EpochEndOffset)>,
}

// --- ApiVersions -------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiVersionsRequest {
    pub client_software_name: String,
    pub client_software_version: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiVersionsResponse {
    pub error: Errors,
    /// (key, min version, max version), in key order.
    pub api_keys: Vec<(ApiKey, i16, i16)>,
    pub throttle_time_ms: i32,
}

// --- CreateTopics and DeleteTopics ----------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatableTopic {
    pub name: String,
    /// -1: the broker's `num.partitions` (v4+).
    pub num_partitions: i32,
    /// -1: the broker's `default.replication.factor` (v4+).
    pub replication_factor: i16,
    /// Explicit replica assignments, by partition.
    pub assignments: Vec<(i32, Vec<i32>)>,
    pub configs: Vec<(String, Option<String>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateTopicsRequest {
    pub topics: Vec<CreatableTopic>,
    pub timeout_ms: i32,
    pub validate_only: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatableTopicResult {
    pub name: String,
    pub error: Errors,
    pub error_message: Option<String>,
    pub num_partitions: i32,
    pub replication_factor: i16,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateTopicsResponse {
    pub throttle_time_ms: i32,
    pub topics: Vec<CreatableTopicResult>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteTopicsRequest {
    pub topic_names: Vec<String>,
    pub timeout_ms: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteTopicsResponse {
    pub throttle_time_ms: i32,
    pub responses: Vec<(String, Errors, Option<String>)>,
}
