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
    FindCoordinator(FindCoordinatorRequest),
    JoinGroup(JoinGroupRequest),
    SyncGroup(SyncGroupRequest),
    Heartbeat(HeartbeatRequest),
    LeaveGroup(LeaveGroupRequest),
    OffsetCommit(OffsetCommitRequest),
    OffsetFetch(OffsetFetchRequest),
    DescribeGroups(DescribeGroupsRequest),
    ListGroups(ListGroupsRequest),
    DeleteGroups(DeleteGroupsRequest),
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
            RequestBody::FindCoordinator(_) => ApiKey::FindCoordinator,
            RequestBody::JoinGroup(_) => ApiKey::JoinGroup,
            RequestBody::SyncGroup(_) => ApiKey::SyncGroup,
            RequestBody::Heartbeat(_) => ApiKey::Heartbeat,
            RequestBody::LeaveGroup(_) => ApiKey::LeaveGroup,
            RequestBody::OffsetCommit(_) => ApiKey::OffsetCommit,
            RequestBody::OffsetFetch(_) => ApiKey::OffsetFetch,
            RequestBody::DescribeGroups(_) => ApiKey::DescribeGroups,
            RequestBody::ListGroups(_) => ApiKey::ListGroups,
            RequestBody::DeleteGroups(_) => ApiKey::DeleteGroups,
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
    FindCoordinator(FindCoordinatorResponse),
    JoinGroup(JoinGroupResponse),
    SyncGroup(SyncGroupResponse),
    Heartbeat(HeartbeatResponse),
    LeaveGroup(LeaveGroupResponse),
    OffsetCommit(OffsetCommitResponse),
    OffsetFetch(OffsetFetchResponse),
    DescribeGroups(DescribeGroupsResponse),
    ListGroups(ListGroupsResponse),
    DeleteGroups(DeleteGroupsResponse),
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
            ResponseBody::FindCoordinator(_) => "FindCoordinator",
            ResponseBody::JoinGroup(_) => "JoinGroup",
            ResponseBody::SyncGroup(_) => "SyncGroup",
            ResponseBody::Heartbeat(_) => "Heartbeat",
            ResponseBody::LeaveGroup(_) => "LeaveGroup",
            ResponseBody::OffsetCommit(_) => "OffsetCommit",
            ResponseBody::OffsetFetch(_) => "OffsetFetch",
            ResponseBody::DescribeGroups(_) => "DescribeGroups",
            ResponseBody::ListGroups(_) => "ListGroups",
            ResponseBody::DeleteGroups(_) => "DeleteGroups",
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

// --- The group coordinator's requests (2.8.2) -------------------------------------

/// `FindCoordinator` key types: a consumer group, or a transactional id.
pub const COORDINATOR_TYPE_GROUP: i8 = 0;
pub const COORDINATOR_TYPE_TRANSACTION: i8 = 1;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindCoordinatorRequest {
    /// The group id (or transactional id).
    pub key: String,
    /// v1+: [`COORDINATOR_TYPE_GROUP`] or [`COORDINATOR_TYPE_TRANSACTION`].
    pub key_type: i8,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindCoordinatorResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    pub error: Errors,
    /// v1+: `Errors.message()`, which is the error's name when it has no
    /// exception (`NONE`).
    pub error_message: Option<String>,
    pub node_id: i32,
    pub host: String,
    pub port: i32,
}

/// The member id of a member that has none yet (`JoinGroupRequest.UNKNOWN_MEMBER_ID`).
pub const UNKNOWN_MEMBER_ID: &str = "";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinGroupProtocol {
    pub name: String,
    pub metadata: Bytes,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinGroupRequest {
    pub group_id: String,
    pub session_timeout_ms: i32,
    /// v1+ (-1 by default; v0 uses the session timeout).
    pub rebalance_timeout_ms: i32,
    pub member_id: String,
    /// v5+: `group.instance.id` of a static member.
    pub group_instance_id: Option<String>,
    pub protocol_type: String,
    /// The protocols the member supports, in its order of preference.
    pub protocols: Vec<JoinGroupProtocol>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinGroupResponseMember {
    pub member_id: String,
    /// v5+.
    pub group_instance_id: Option<String>,
    pub metadata: Bytes,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinGroupResponse {
    /// v2+.
    pub throttle_time_ms: i32,
    pub error: Errors,
    pub generation_id: i32,
    /// v7+.
    pub protocol_type: Option<String>,
    /// Nullable in v7+; earlier versions answer `""` for none.
    pub protocol_name: Option<String>,
    pub leader: String,
    pub member_id: String,
    /// The members and their metadata, for the leader only.
    pub members: Vec<JoinGroupResponseMember>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncGroupAssignment {
    pub member_id: String,
    pub assignment: Bytes,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncGroupRequest {
    pub group_id: String,
    pub generation_id: i32,
    pub member_id: String,
    /// v3+.
    pub group_instance_id: Option<String>,
    /// v5+ (mandatory there).
    pub protocol_type: Option<String>,
    /// v5+ (mandatory there).
    pub protocol_name: Option<String>,
    /// The leader's assignment of every member; empty from followers.
    pub assignments: Vec<SyncGroupAssignment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncGroupResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    pub error: Errors,
    /// v5+.
    pub protocol_type: Option<String>,
    /// v5+.
    pub protocol_name: Option<String>,
    pub assignment: Bytes,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeartbeatRequest {
    pub group_id: String,
    pub generation_id: i32,
    pub member_id: String,
    /// v3+.
    pub group_instance_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeartbeatResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    pub error: Errors,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberIdentity {
    pub member_id: String,
    pub group_instance_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaveGroupRequest {
    pub group_id: String,
    /// v0-2: the one member leaving.
    pub member_id: String,
    /// v3+: the members leaving.
    pub members: Vec<MemberIdentity>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaveGroupMemberResponse {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    pub error: Errors,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaveGroupResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    /// v0-2: the first member's error when the request itself had none.
    pub error: Errors,
    /// v3+.
    pub members: Vec<LeaveGroupMemberResponse>,
}

/// `OffsetCommitRequest.DEFAULT_RETENTION_TIME` and `DEFAULT_TIMESTAMP`.
pub const DEFAULT_RETENTION_TIME: i64 = -1;
pub const DEFAULT_TIMESTAMP: i64 = -1;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetCommitPartition {
    pub partition: TopicPartition,
    pub committed_offset: i64,
    /// v6+; -1 when unknown.
    pub committed_leader_epoch: i32,
    /// v1 only; [`DEFAULT_TIMESTAMP`] for the broker's clock.
    pub commit_timestamp: i64,
    pub committed_metadata: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetCommitRequest {
    pub group_id: String,
    /// v1+; -1 for a group that uses Kafka only to store offsets.
    pub generation_id: i32,
    /// v1+.
    pub member_id: String,
    /// v7+.
    pub group_instance_id: Option<String>,
    /// v2-4; [`DEFAULT_RETENTION_TIME`] for the broker's retention.
    pub retention_time_ms: i64,
    pub partitions: Vec<OffsetCommitPartition>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetCommitResponse {
    /// v3+.
    pub throttle_time_ms: i32,
    pub partitions: Vec<(TopicPartition, Errors)>,
}

/// `OffsetFetchResponse.INVALID_OFFSET`: no committed offset.
pub const INVALID_OFFSET: i64 = -1;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetFetchRequest {
    pub group_id: String,
    /// `None` (v2+): every partition the group has committed.
    pub partitions: Option<Vec<TopicPartition>>,
    /// v7+.
    pub require_stable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetFetchPartitionResponse {
    pub committed_offset: i64,
    /// v5+; -1 when unknown.
    pub committed_leader_epoch: i32,
    pub metadata: Option<String>,
    pub error: Errors,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffsetFetchResponse {
    /// v3+.
    pub throttle_time_ms: i32,
    pub partitions: Vec<(TopicPartition, OffsetFetchPartitionResponse)>,
    /// v2+.
    pub error: Errors,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescribeGroupsRequest {
    pub groups: Vec<String>,
    /// v3+.
    pub include_authorized_operations: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescribedGroupMember {
    pub member_id: String,
    /// v4+.
    pub group_instance_id: Option<String>,
    pub client_id: String,
    pub client_host: String,
    pub member_metadata: Bytes,
    pub member_assignment: Bytes,
}

/// `DescribedGroup.AuthorizedOperations` when it was not asked for.
pub const AUTHORIZED_OPERATIONS_OMITTED: i32 = i32::MIN;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescribedGroup {
    pub error: Errors,
    pub group_id: String,
    pub group_state: String,
    pub protocol_type: String,
    pub protocol_data: String,
    pub members: Vec<DescribedGroupMember>,
    /// v3+: a bit per ACL operation allowed on the group.
    pub authorized_operations: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescribeGroupsResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    pub groups: Vec<DescribedGroup>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListGroupsRequest {
    /// v4+: the states to list (empty: all).
    pub states_filter: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedGroup {
    pub group_id: String,
    pub protocol_type: String,
    /// v4+.
    pub group_state: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListGroupsResponse {
    /// v1+.
    pub throttle_time_ms: i32,
    pub error: Errors,
    pub groups: Vec<ListedGroup>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteGroupsRequest {
    pub groups_names: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteGroupsResponse {
    pub throttle_time_ms: i32,
    pub results: Vec<(String, Errors)>,
}
