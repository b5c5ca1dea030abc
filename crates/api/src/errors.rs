//! Kafka's error codes: one `Errors` value per code, with the name, the
//! default message and the exception class each release gives it. 2.8.2's
//! `org.apache.kafka.common.protocol.Errors` is the list; 0.8.0's
//! `kafka.common.ErrorMapping` knows only codes -1 to 11, under its own
//! exception names.

use distribution::Release;

/// An error code of the Kafka protocol (`NONE` is 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(i16)]
pub enum Errors {
    UnknownServerError = -1,
    None = 0,
    OffsetOutOfRange = 1,
    CorruptMessage = 2,
    UnknownTopicOrPartition = 3,
    InvalidFetchSize = 4,
    LeaderNotAvailable = 5,
    NotLeaderOrFollower = 6,
    RequestTimedOut = 7,
    BrokerNotAvailable = 8,
    ReplicaNotAvailable = 9,
    MessageTooLarge = 10,
    StaleControllerEpoch = 11,
    OffsetMetadataTooLarge = 12,
    NetworkException = 13,
    CoordinatorLoadInProgress = 14,
    CoordinatorNotAvailable = 15,
    NotCoordinator = 16,
    InvalidTopicException = 17,
    RecordListTooLarge = 18,
    NotEnoughReplicas = 19,
    NotEnoughReplicasAfterAppend = 20,
    InvalidRequiredAcks = 21,
    IllegalGeneration = 22,
    InconsistentGroupProtocol = 23,
    InvalidGroupId = 24,
    UnknownMemberId = 25,
    InvalidSessionTimeout = 26,
    RebalanceInProgress = 27,
    InvalidCommitOffsetSize = 28,
    TopicAuthorizationFailed = 29,
    GroupAuthorizationFailed = 30,
    ClusterAuthorizationFailed = 31,
    InvalidTimestamp = 32,
    UnsupportedSaslMechanism = 33,
    IllegalSaslState = 34,
    UnsupportedVersion = 35,
    TopicAlreadyExists = 36,
    InvalidPartitions = 37,
    InvalidReplicationFactor = 38,
    InvalidReplicaAssignment = 39,
    InvalidConfig = 40,
    NotController = 41,
    InvalidRequest = 42,
    UnsupportedForMessageFormat = 43,
    PolicyViolation = 44,
    OutOfOrderSequenceNumber = 45,
    DuplicateSequenceNumber = 46,
    InvalidProducerEpoch = 47,
    InvalidTxnState = 48,
    InvalidProducerIdMapping = 49,
    InvalidTransactionTimeout = 50,
    ConcurrentTransactions = 51,
    TransactionCoordinatorFenced = 52,
    TransactionalIdAuthorizationFailed = 53,
    SecurityDisabled = 54,
    OperationNotAttempted = 55,
    KafkaStorageError = 56,
    LogDirNotFound = 57,
    SaslAuthenticationFailed = 58,
    UnknownProducerId = 59,
    ReassignmentInProgress = 60,
    DelegationTokenAuthDisabled = 61,
    DelegationTokenNotFound = 62,
    DelegationTokenOwnerMismatch = 63,
    DelegationTokenRequestNotAllowed = 64,
    DelegationTokenAuthorizationFailed = 65,
    DelegationTokenExpired = 66,
    InvalidPrincipalType = 67,
    NonEmptyGroup = 68,
    GroupIdNotFound = 69,
    FetchSessionIdNotFound = 70,
    InvalidFetchSessionEpoch = 71,
    ListenerNotFound = 72,
    TopicDeletionDisabled = 73,
    FencedLeaderEpoch = 74,
    UnknownLeaderEpoch = 75,
    UnsupportedCompressionType = 76,
    StaleBrokerEpoch = 77,
    OffsetNotAvailable = 78,
    MemberIdRequired = 79,
    PreferredLeaderNotAvailable = 80,
    GroupMaxSizeReached = 81,
    FencedInstanceId = 82,
    EligibleLeadersNotAvailable = 83,
    ElectionNotNeeded = 84,
    NoReassignmentInProgress = 85,
    GroupSubscribedToTopic = 86,
    InvalidRecord = 87,
    UnstableOffsetCommit = 88,
    ThrottlingQuotaExceeded = 89,
    ProducerFenced = 90,
    ResourceNotFound = 91,
    DuplicateResource = 92,
    UnacceptableCredential = 93,
    InconsistentVoterSet = 94,
    InvalidUpdateVersion = 95,
    FeatureUpdateFailed = 96,
    PrincipalDeserializationFailure = 97,
    SnapshotNotFound = 98,
    PositionOutOfRange = 99,
    UnknownTopicId = 100,
    DuplicateBrokerRegistration = 101,
    BrokerIdNotRegistered = 102,
    InconsistentTopicId = 103,
    InconsistentClusterId = 104,
}

/// What 2.8.2 says of one code: its enum name, default message and exception.
struct Definition {
    error: Errors,
    name: &'static str,
    message: Option<&'static str>,
    exception: Option<&'static str>,
}

/// 2.8.2's `Errors`, in code order.
const DEFINITIONS: &[Definition] = &[
    Definition {
        error: Errors::UnknownServerError,
        name: "UNKNOWN_SERVER_ERROR",
        message: Some("The server experienced an unexpected error when processing the request."),
        exception: Some("UnknownServerException"),
    },
    Definition {
        error: Errors::None,
        name: "NONE",
        message: None,
        exception: None,
    },
    Definition {
        error: Errors::OffsetOutOfRange,
        name: "OFFSET_OUT_OF_RANGE",
        message: Some("The requested offset is not within the range of offsets maintained by the server."),
        exception: Some("OffsetOutOfRangeException"),
    },
    Definition {
        error: Errors::CorruptMessage,
        name: "CORRUPT_MESSAGE",
        message: Some("This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt."),
        exception: Some("CorruptRecordException"),
    },
    Definition {
        error: Errors::UnknownTopicOrPartition,
        name: "UNKNOWN_TOPIC_OR_PARTITION",
        message: Some("This server does not host this topic-partition."),
        exception: Some("UnknownTopicOrPartitionException"),
    },
    Definition {
        error: Errors::InvalidFetchSize,
        name: "INVALID_FETCH_SIZE",
        message: Some("The requested fetch size is invalid."),
        exception: Some("InvalidFetchSizeException"),
    },
    Definition {
        error: Errors::LeaderNotAvailable,
        name: "LEADER_NOT_AVAILABLE",
        message: Some("There is no leader for this topic-partition as we are in the middle of a leadership election."),
        exception: Some("LeaderNotAvailableException"),
    },
    Definition {
        error: Errors::NotLeaderOrFollower,
        name: "NOT_LEADER_OR_FOLLOWER",
        message: Some("For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition."),
        exception: Some("NotLeaderOrFollowerException"),
    },
    Definition {
        error: Errors::RequestTimedOut,
        name: "REQUEST_TIMED_OUT",
        message: Some("The request timed out."),
        exception: Some("TimeoutException"),
    },
    Definition {
        error: Errors::BrokerNotAvailable,
        name: "BROKER_NOT_AVAILABLE",
        message: Some("The broker is not available."),
        exception: Some("BrokerNotAvailableException"),
    },
    Definition {
        error: Errors::ReplicaNotAvailable,
        name: "REPLICA_NOT_AVAILABLE",
        message: Some("The replica is not available for the requested topic-partition. Produce/Fetch requests and other requests intended only for the leader or follower return NOT_LEADER_OR_FOLLOWER if the broker is not a replica of the topic-partition."),
        exception: Some("ReplicaNotAvailableException"),
    },
    Definition {
        error: Errors::MessageTooLarge,
        name: "MESSAGE_TOO_LARGE",
        message: Some("The request included a message larger than the max message size the server will accept."),
        exception: Some("RecordTooLargeException"),
    },
    Definition {
        error: Errors::StaleControllerEpoch,
        name: "STALE_CONTROLLER_EPOCH",
        message: Some("The controller moved to another broker."),
        exception: Some("ControllerMovedException"),
    },
    Definition {
        error: Errors::OffsetMetadataTooLarge,
        name: "OFFSET_METADATA_TOO_LARGE",
        message: Some("The metadata field of the offset request was too large."),
        exception: Some("OffsetMetadataTooLarge"),
    },
    Definition {
        error: Errors::NetworkException,
        name: "NETWORK_EXCEPTION",
        message: Some("The server disconnected before a response was received."),
        exception: Some("NetworkException"),
    },
    Definition {
        error: Errors::CoordinatorLoadInProgress,
        name: "COORDINATOR_LOAD_IN_PROGRESS",
        message: Some("The coordinator is loading and hence can't process requests."),
        exception: Some("CoordinatorLoadInProgressException"),
    },
    Definition {
        error: Errors::CoordinatorNotAvailable,
        name: "COORDINATOR_NOT_AVAILABLE",
        message: Some("The coordinator is not available."),
        exception: Some("CoordinatorNotAvailableException"),
    },
    Definition {
        error: Errors::NotCoordinator,
        name: "NOT_COORDINATOR",
        message: Some("This is not the correct coordinator."),
        exception: Some("NotCoordinatorException"),
    },
    Definition {
        error: Errors::InvalidTopicException,
        name: "INVALID_TOPIC_EXCEPTION",
        message: Some("The request attempted to perform an operation on an invalid topic."),
        exception: Some("InvalidTopicException"),
    },
    Definition {
        error: Errors::RecordListTooLarge,
        name: "RECORD_LIST_TOO_LARGE",
        message: Some("The request included message batch larger than the configured segment size on the server."),
        exception: Some("RecordBatchTooLargeException"),
    },
    Definition {
        error: Errors::NotEnoughReplicas,
        name: "NOT_ENOUGH_REPLICAS",
        message: Some("Messages are rejected since there are fewer in-sync replicas than required."),
        exception: Some("NotEnoughReplicasException"),
    },
    Definition {
        error: Errors::NotEnoughReplicasAfterAppend,
        name: "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
        message: Some("Messages are written to the log, but to fewer in-sync replicas than required."),
        exception: Some("NotEnoughReplicasAfterAppendException"),
    },
    Definition {
        error: Errors::InvalidRequiredAcks,
        name: "INVALID_REQUIRED_ACKS",
        message: Some("Produce request specified an invalid value for required acks."),
        exception: Some("InvalidRequiredAcksException"),
    },
    Definition {
        error: Errors::IllegalGeneration,
        name: "ILLEGAL_GENERATION",
        message: Some("Specified group generation id is not valid."),
        exception: Some("IllegalGenerationException"),
    },
    Definition {
        error: Errors::InconsistentGroupProtocol,
        name: "INCONSISTENT_GROUP_PROTOCOL",
        message: Some("The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list."),
        exception: Some("InconsistentGroupProtocolException"),
    },
    Definition {
        error: Errors::InvalidGroupId,
        name: "INVALID_GROUP_ID",
        message: Some("The configured groupId is invalid."),
        exception: Some("InvalidGroupIdException"),
    },
    Definition {
        error: Errors::UnknownMemberId,
        name: "UNKNOWN_MEMBER_ID",
        message: Some("The coordinator is not aware of this member."),
        exception: Some("UnknownMemberIdException"),
    },
    Definition {
        error: Errors::InvalidSessionTimeout,
        name: "INVALID_SESSION_TIMEOUT",
        message: Some("The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms)."),
        exception: Some("InvalidSessionTimeoutException"),
    },
    Definition {
        error: Errors::RebalanceInProgress,
        name: "REBALANCE_IN_PROGRESS",
        message: Some("The group is rebalancing, so a rejoin is needed."),
        exception: Some("RebalanceInProgressException"),
    },
    Definition {
        error: Errors::InvalidCommitOffsetSize,
        name: "INVALID_COMMIT_OFFSET_SIZE",
        message: Some("The committing offset data size is not valid."),
        exception: Some("InvalidCommitOffsetSizeException"),
    },
    Definition {
        error: Errors::TopicAuthorizationFailed,
        name: "TOPIC_AUTHORIZATION_FAILED",
        message: Some("Topic authorization failed."),
        exception: Some("TopicAuthorizationException"),
    },
    Definition {
        error: Errors::GroupAuthorizationFailed,
        name: "GROUP_AUTHORIZATION_FAILED",
        message: Some("Group authorization failed."),
        exception: Some("GroupAuthorizationException"),
    },
    Definition {
        error: Errors::ClusterAuthorizationFailed,
        name: "CLUSTER_AUTHORIZATION_FAILED",
        message: Some("Cluster authorization failed."),
        exception: Some("ClusterAuthorizationException"),
    },
    Definition {
        error: Errors::InvalidTimestamp,
        name: "INVALID_TIMESTAMP",
        message: Some("The timestamp of the message is out of acceptable range."),
        exception: Some("InvalidTimestampException"),
    },
    Definition {
        error: Errors::UnsupportedSaslMechanism,
        name: "UNSUPPORTED_SASL_MECHANISM",
        message: Some("The broker does not support the requested SASL mechanism."),
        exception: Some("UnsupportedSaslMechanismException"),
    },
    Definition {
        error: Errors::IllegalSaslState,
        name: "ILLEGAL_SASL_STATE",
        message: Some("Request is not valid given the current SASL state."),
        exception: Some("IllegalSaslStateException"),
    },
    Definition {
        error: Errors::UnsupportedVersion,
        name: "UNSUPPORTED_VERSION",
        message: Some("The version of API is not supported."),
        exception: Some("UnsupportedVersionException"),
    },
    Definition {
        error: Errors::TopicAlreadyExists,
        name: "TOPIC_ALREADY_EXISTS",
        message: Some("Topic with this name already exists."),
        exception: Some("TopicExistsException"),
    },
    Definition {
        error: Errors::InvalidPartitions,
        name: "INVALID_PARTITIONS",
        message: Some("Number of partitions is below 1."),
        exception: Some("InvalidPartitionsException"),
    },
    Definition {
        error: Errors::InvalidReplicationFactor,
        name: "INVALID_REPLICATION_FACTOR",
        message: Some("Replication factor is below 1 or larger than the number of available brokers."),
        exception: Some("InvalidReplicationFactorException"),
    },
    Definition {
        error: Errors::InvalidReplicaAssignment,
        name: "INVALID_REPLICA_ASSIGNMENT",
        message: Some("Replica assignment is invalid."),
        exception: Some("InvalidReplicaAssignmentException"),
    },
    Definition {
        error: Errors::InvalidConfig,
        name: "INVALID_CONFIG",
        message: Some("Configuration is invalid."),
        exception: Some("InvalidConfigurationException"),
    },
    Definition {
        error: Errors::NotController,
        name: "NOT_CONTROLLER",
        message: Some("This is not the correct controller for this cluster."),
        exception: Some("NotControllerException"),
    },
    Definition {
        error: Errors::InvalidRequest,
        name: "INVALID_REQUEST",
        message: Some("This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details."),
        exception: Some("InvalidRequestException"),
    },
    Definition {
        error: Errors::UnsupportedForMessageFormat,
        name: "UNSUPPORTED_FOR_MESSAGE_FORMAT",
        message: Some("The message format version on the broker does not support the request."),
        exception: Some("UnsupportedForMessageFormatException"),
    },
    Definition {
        error: Errors::PolicyViolation,
        name: "POLICY_VIOLATION",
        message: Some("Request parameters do not satisfy the configured policy."),
        exception: Some("PolicyViolationException"),
    },
    Definition {
        error: Errors::OutOfOrderSequenceNumber,
        name: "OUT_OF_ORDER_SEQUENCE_NUMBER",
        message: Some("The broker received an out of order sequence number."),
        exception: Some("OutOfOrderSequenceException"),
    },
    Definition {
        error: Errors::DuplicateSequenceNumber,
        name: "DUPLICATE_SEQUENCE_NUMBER",
        message: Some("The broker received a duplicate sequence number."),
        exception: Some("DuplicateSequenceException"),
    },
    Definition {
        error: Errors::InvalidProducerEpoch,
        name: "INVALID_PRODUCER_EPOCH",
        message: Some("Producer attempted to produce with an old epoch."),
        exception: Some("InvalidProducerEpochException"),
    },
    Definition {
        error: Errors::InvalidTxnState,
        name: "INVALID_TXN_STATE",
        message: Some("The producer attempted a transactional operation in an invalid state."),
        exception: Some("InvalidTxnStateException"),
    },
    Definition {
        error: Errors::InvalidProducerIdMapping,
        name: "INVALID_PRODUCER_ID_MAPPING",
        message: Some("The producer attempted to use a producer id which is not currently assigned to its transactional id."),
        exception: Some("InvalidPidMappingException"),
    },
    Definition {
        error: Errors::InvalidTransactionTimeout,
        name: "INVALID_TRANSACTION_TIMEOUT",
        message: Some("The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms)."),
        exception: Some("InvalidTxnTimeoutException"),
    },
    Definition {
        error: Errors::ConcurrentTransactions,
        name: "CONCURRENT_TRANSACTIONS",
        message: Some("The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing."),
        exception: Some("ConcurrentTransactionsException"),
    },
    Definition {
        error: Errors::TransactionCoordinatorFenced,
        name: "TRANSACTION_COORDINATOR_FENCED",
        message: Some("Indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer."),
        exception: Some("TransactionCoordinatorFencedException"),
    },
    Definition {
        error: Errors::TransactionalIdAuthorizationFailed,
        name: "TRANSACTIONAL_ID_AUTHORIZATION_FAILED",
        message: Some("Transactional Id authorization failed."),
        exception: Some("TransactionalIdAuthorizationException"),
    },
    Definition {
        error: Errors::SecurityDisabled,
        name: "SECURITY_DISABLED",
        message: Some("Security features are disabled."),
        exception: Some("SecurityDisabledException"),
    },
    Definition {
        error: Errors::OperationNotAttempted,
        name: "OPERATION_NOT_ATTEMPTED",
        message: Some("The broker did not attempt to execute this operation. This may happen for batched RPCs where some operations in the batch failed, causing the broker to respond without trying the rest."),
        exception: Some("OperationNotAttemptedException"),
    },
    Definition {
        error: Errors::KafkaStorageError,
        name: "KAFKA_STORAGE_ERROR",
        message: Some("Disk error when trying to access log file on the disk."),
        exception: Some("KafkaStorageException"),
    },
    Definition {
        error: Errors::LogDirNotFound,
        name: "LOG_DIR_NOT_FOUND",
        message: Some("The user-specified log directory is not found in the broker config."),
        exception: Some("LogDirNotFoundException"),
    },
    Definition {
        error: Errors::SaslAuthenticationFailed,
        name: "SASL_AUTHENTICATION_FAILED",
        message: Some("SASL Authentication failed."),
        exception: Some("SaslAuthenticationException"),
    },
    Definition {
        error: Errors::UnknownProducerId,
        name: "UNKNOWN_PRODUCER_ID",
        message: Some("This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question. This could happen if, for instance, the producer's records were deleted because their retention time had elapsed. Once the last records of the producerId are removed, the producer's metadata is removed from the broker, and future appends by the producer will return this exception."),
        exception: Some("UnknownProducerIdException"),
    },
    Definition {
        error: Errors::ReassignmentInProgress,
        name: "REASSIGNMENT_IN_PROGRESS",
        message: Some("A partition reassignment is in progress."),
        exception: Some("ReassignmentInProgressException"),
    },
    Definition {
        error: Errors::DelegationTokenAuthDisabled,
        name: "DELEGATION_TOKEN_AUTH_DISABLED",
        message: Some("Delegation Token feature is not enabled."),
        exception: Some("DelegationTokenDisabledException"),
    },
    Definition {
        error: Errors::DelegationTokenNotFound,
        name: "DELEGATION_TOKEN_NOT_FOUND",
        message: Some("Delegation Token is not found on server."),
        exception: Some("DelegationTokenNotFoundException"),
    },
    Definition {
        error: Errors::DelegationTokenOwnerMismatch,
        name: "DELEGATION_TOKEN_OWNER_MISMATCH",
        message: Some("Specified Principal is not valid Owner/Renewer."),
        exception: Some("DelegationTokenOwnerMismatchException"),
    },
    Definition {
        error: Errors::DelegationTokenRequestNotAllowed,
        name: "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED",
        message: Some("Delegation Token requests are not allowed on PLAINTEXT/1-way SSL channels and on delegation token authenticated channels."),
        exception: Some("UnsupportedByAuthenticationException"),
    },
    Definition {
        error: Errors::DelegationTokenAuthorizationFailed,
        name: "DELEGATION_TOKEN_AUTHORIZATION_FAILED",
        message: Some("Delegation Token authorization failed."),
        exception: Some("DelegationTokenAuthorizationException"),
    },
    Definition {
        error: Errors::DelegationTokenExpired,
        name: "DELEGATION_TOKEN_EXPIRED",
        message: Some("Delegation Token is expired."),
        exception: Some("DelegationTokenExpiredException"),
    },
    Definition {
        error: Errors::InvalidPrincipalType,
        name: "INVALID_PRINCIPAL_TYPE",
        message: Some("Supplied principalType is not supported."),
        exception: Some("InvalidPrincipalTypeException"),
    },
    Definition {
        error: Errors::NonEmptyGroup,
        name: "NON_EMPTY_GROUP",
        message: Some("The group is not empty."),
        exception: Some("GroupNotEmptyException"),
    },
    Definition {
        error: Errors::GroupIdNotFound,
        name: "GROUP_ID_NOT_FOUND",
        message: Some("The group id does not exist."),
        exception: Some("GroupIdNotFoundException"),
    },
    Definition {
        error: Errors::FetchSessionIdNotFound,
        name: "FETCH_SESSION_ID_NOT_FOUND",
        message: Some("The fetch session ID was not found."),
        exception: Some("FetchSessionIdNotFoundException"),
    },
    Definition {
        error: Errors::InvalidFetchSessionEpoch,
        name: "INVALID_FETCH_SESSION_EPOCH",
        message: Some("The fetch session epoch is invalid."),
        exception: Some("InvalidFetchSessionEpochException"),
    },
    Definition {
        error: Errors::ListenerNotFound,
        name: "LISTENER_NOT_FOUND",
        message: Some("There is no listener on the leader broker that matches the listener on which metadata request was processed."),
        exception: Some("ListenerNotFoundException"),
    },
    Definition {
        error: Errors::TopicDeletionDisabled,
        name: "TOPIC_DELETION_DISABLED",
        message: Some("Topic deletion is disabled."),
        exception: Some("TopicDeletionDisabledException"),
    },
    Definition {
        error: Errors::FencedLeaderEpoch,
        name: "FENCED_LEADER_EPOCH",
        message: Some("The leader epoch in the request is older than the epoch on the broker."),
        exception: Some("FencedLeaderEpochException"),
    },
    Definition {
        error: Errors::UnknownLeaderEpoch,
        name: "UNKNOWN_LEADER_EPOCH",
        message: Some("The leader epoch in the request is newer than the epoch on the broker."),
        exception: Some("UnknownLeaderEpochException"),
    },
    Definition {
        error: Errors::UnsupportedCompressionType,
        name: "UNSUPPORTED_COMPRESSION_TYPE",
        message: Some("The requesting client does not support the compression type of given partition."),
        exception: Some("UnsupportedCompressionTypeException"),
    },
    Definition {
        error: Errors::StaleBrokerEpoch,
        name: "STALE_BROKER_EPOCH",
        message: Some("Broker epoch has changed."),
        exception: Some("StaleBrokerEpochException"),
    },
    Definition {
        error: Errors::OffsetNotAvailable,
        name: "OFFSET_NOT_AVAILABLE",
        message: Some("The leader high watermark has not caught up from a recent leader election so the offsets cannot be guaranteed to be monotonically increasing."),
        exception: Some("OffsetNotAvailableException"),
    },
    Definition {
        error: Errors::MemberIdRequired,
        name: "MEMBER_ID_REQUIRED",
        message: Some("The group member needs to have a valid member id before actually entering a consumer group."),
        exception: Some("MemberIdRequiredException"),
    },
    Definition {
        error: Errors::PreferredLeaderNotAvailable,
        name: "PREFERRED_LEADER_NOT_AVAILABLE",
        message: Some("The preferred leader was not available."),
        exception: Some("PreferredLeaderNotAvailableException"),
    },
    Definition {
        error: Errors::GroupMaxSizeReached,
        name: "GROUP_MAX_SIZE_REACHED",
        message: Some("The consumer group has reached its max size."),
        exception: Some("GroupMaxSizeReachedException"),
    },
    Definition {
        error: Errors::FencedInstanceId,
        name: "FENCED_INSTANCE_ID",
        message: Some("The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id."),
        exception: Some("FencedInstanceIdException"),
    },
    Definition {
        error: Errors::EligibleLeadersNotAvailable,
        name: "ELIGIBLE_LEADERS_NOT_AVAILABLE",
        message: Some("Eligible topic partition leaders are not available."),
        exception: Some("EligibleLeadersNotAvailableException"),
    },
    Definition {
        error: Errors::ElectionNotNeeded,
        name: "ELECTION_NOT_NEEDED",
        message: Some("Leader election not needed for topic partition."),
        exception: Some("ElectionNotNeededException"),
    },
    Definition {
        error: Errors::NoReassignmentInProgress,
        name: "NO_REASSIGNMENT_IN_PROGRESS",
        message: Some("No partition reassignment is in progress."),
        exception: Some("NoReassignmentInProgressException"),
    },
    Definition {
        error: Errors::GroupSubscribedToTopic,
        name: "GROUP_SUBSCRIBED_TO_TOPIC",
        message: Some("Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it."),
        exception: Some("GroupSubscribedToTopicException"),
    },
    Definition {
        error: Errors::InvalidRecord,
        name: "INVALID_RECORD",
        message: Some("This record has failed the validation on broker and hence will be rejected."),
        exception: Some("InvalidRecordException"),
    },
    Definition {
        error: Errors::UnstableOffsetCommit,
        name: "UNSTABLE_OFFSET_COMMIT",
        message: Some("There are unstable offsets that need to be cleared."),
        exception: Some("UnstableOffsetCommitException"),
    },
    Definition {
        error: Errors::ThrottlingQuotaExceeded,
        name: "THROTTLING_QUOTA_EXCEEDED",
        message: Some("The throttling quota has been exceeded."),
        exception: Some("ThrottlingQuotaExceededException"),
    },
    Definition {
        error: Errors::ProducerFenced,
        name: "PRODUCER_FENCED",
        message: Some("There is a newer producer with the same transactionalId which fences the current one."),
        exception: Some("ProducerFencedException"),
    },
    Definition {
        error: Errors::ResourceNotFound,
        name: "RESOURCE_NOT_FOUND",
        message: Some("A request illegally referred to a resource that does not exist."),
        exception: Some("ResourceNotFoundException"),
    },
    Definition {
        error: Errors::DuplicateResource,
        name: "DUPLICATE_RESOURCE",
        message: Some("A request illegally referred to the same resource twice."),
        exception: Some("DuplicateResourceException"),
    },
    Definition {
        error: Errors::UnacceptableCredential,
        name: "UNACCEPTABLE_CREDENTIAL",
        message: Some("Requested credential would not meet criteria for acceptability."),
        exception: Some("UnacceptableCredentialException"),
    },
    Definition {
        error: Errors::InconsistentVoterSet,
        name: "INCONSISTENT_VOTER_SET",
        message: Some("Indicates that the either the sender or recipient of a voter-only request is not one of the expected voters"),
        exception: Some("InconsistentVoterSetException"),
    },
    Definition {
        error: Errors::InvalidUpdateVersion,
        name: "INVALID_UPDATE_VERSION",
        message: Some("The given update version was invalid."),
        exception: Some("InvalidUpdateVersionException"),
    },
    Definition {
        error: Errors::FeatureUpdateFailed,
        name: "FEATURE_UPDATE_FAILED",
        message: Some("Unable to update finalized features due to an unexpected server error."),
        exception: Some("FeatureUpdateFailedException"),
    },
    Definition {
        error: Errors::PrincipalDeserializationFailure,
        name: "PRINCIPAL_DESERIALIZATION_FAILURE",
        message: Some("Request principal deserialization failed during forwarding. This indicates an internal error on the broker cluster security setup."),
        exception: Some("PrincipalDeserializationException"),
    },
    Definition {
        error: Errors::SnapshotNotFound,
        name: "SNAPSHOT_NOT_FOUND",
        message: Some("Requested snapshot was not found"),
        exception: Some("SnapshotNotFoundException"),
    },
    Definition {
        error: Errors::PositionOutOfRange,
        name: "POSITION_OUT_OF_RANGE",
        message: Some("Requested position is not greater than or equal to zero, and less than the size of the snapshot."),
        exception: Some("PositionOutOfRangeException"),
    },
    Definition {
        error: Errors::UnknownTopicId,
        name: "UNKNOWN_TOPIC_ID",
        message: Some("This server does not host this topic ID."),
        exception: Some("UnknownTopicIdException"),
    },
    Definition {
        error: Errors::DuplicateBrokerRegistration,
        name: "DUPLICATE_BROKER_REGISTRATION",
        message: Some("This broker ID is already in use."),
        exception: Some("DuplicateBrokerRegistrationException"),
    },
    Definition {
        error: Errors::BrokerIdNotRegistered,
        name: "BROKER_ID_NOT_REGISTERED",
        message: Some("The given broker ID was not registered."),
        exception: Some("BrokerIdNotRegisteredException"),
    },
    Definition {
        error: Errors::InconsistentTopicId,
        name: "INCONSISTENT_TOPIC_ID",
        message: Some("The log's topic ID did not match the topic ID in the request"),
        exception: Some("InconsistentTopicIdException"),
    },
    Definition {
        error: Errors::InconsistentClusterId,
        name: "INCONSISTENT_CLUSTER_ID",
        message: Some("The clusterId in the request does not match that found on the server"),
        exception: Some("InconsistentClusterIdException"),
    },
];

/// 0.8.0's `ErrorMapping`: the codes it knows and their exception classes.
const ERROR_MAPPING_0_8_0: &[(Errors, &str)] = &[
    (Errors::UnknownServerError, "kafka.common.UnknownException"),
    (
        Errors::OffsetOutOfRange,
        "kafka.common.OffsetOutOfRangeException",
    ),
    (
        Errors::CorruptMessage,
        "kafka.message.InvalidMessageException",
    ),
    (
        Errors::UnknownTopicOrPartition,
        "kafka.common.UnknownTopicOrPartitionException",
    ),
    (
        Errors::InvalidFetchSize,
        "kafka.common.InvalidMessageSizeException",
    ),
    (
        Errors::LeaderNotAvailable,
        "kafka.common.LeaderNotAvailableException",
    ),
    (
        Errors::NotLeaderOrFollower,
        "kafka.common.NotLeaderForPartitionException",
    ),
    (
        Errors::RequestTimedOut,
        "kafka.common.RequestTimedOutException",
    ),
    (
        Errors::BrokerNotAvailable,
        "kafka.common.BrokerNotAvailableException",
    ),
    (
        Errors::ReplicaNotAvailable,
        "kafka.common.ReplicaNotAvailableException",
    ),
    (
        Errors::MessageTooLarge,
        "kafka.common.MessageSizeTooLargeException",
    ),
    (
        Errors::StaleControllerEpoch,
        "kafka.common.ControllerMovedException",
    ),
];

impl Errors {
    fn definition(self) -> &'static Definition {
        let index = DEFINITIONS
            .binary_search_by_key(&(self as i16), |d| d.error as i16)
            .expect("every Errors value has a definition");
        &DEFINITIONS[index]
    }

    pub fn code(self) -> i16 {
        self as i16
    }

    /// The error a code stands for; an unknown code is `UNKNOWN_SERVER_ERROR`,
    /// as `Errors.forCode` answers.
    pub fn for_code(code: i16) -> Errors {
        DEFINITIONS
            .binary_search_by_key(&code, |d| d.error as i16)
            .map_or(Errors::UnknownServerError, |i| DEFINITIONS[i].error)
    }

    /// 2.8.2's name (`NOT_LEADER_OR_FOLLOWER`), as logs and tools print it.
    pub fn name(self) -> &'static str {
        self.definition().name
    }

    /// 2.8.2's default message (`None` for `NONE`).
    pub fn message(self) -> Option<&'static str> {
        self.definition().message
    }

    /// The exception class a release throws for this code, fully qualified;
    /// `None` for `NONE`, and for codes 0.8.0 does not know (its clients
    /// would see `kafka.common.UnknownException`).
    pub fn exception(self, release: Release) -> Option<String> {
        match release {
            Release::V0_8_0 => ERROR_MAPPING_0_8_0
                .iter()
                .find(|(e, _)| *e == self)
                .map(|(_, class)| (*class).to_owned()),
            Release::V2_8_2 => self
                .definition()
                .exception
                .map(|class| format!("org.apache.kafka.common.errors.{class}")),
        }
    }

    /// Whether a broker of `release` can send this code.
    pub fn known_to(self, release: Release) -> bool {
        match release {
            Release::V0_8_0 => {
                self == Errors::None || ERROR_MAPPING_0_8_0.iter().any(|(e, _)| *e == self)
            }
            Release::V2_8_2 => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_dense_and_ordered() {
        for (i, d) in DEFINITIONS.iter().enumerate() {
            assert_eq!(d.error as i16, i as i16 - 1, "{}", d.name);
            assert_eq!(Errors::for_code(d.error.code()), d.error);
        }
        assert_eq!(Errors::for_code(9999), Errors::UnknownServerError);
    }

    #[test]
    fn each_release_names_not_leader_its_own_way() {
        let e = Errors::for_code(6);
        assert_eq!(e.name(), "NOT_LEADER_OR_FOLLOWER");
        assert_eq!(
            e.exception(Release::V0_8_0).as_deref(),
            Some("kafka.common.NotLeaderForPartitionException")
        );
        assert_eq!(
            e.exception(Release::V2_8_2).as_deref(),
            Some("org.apache.kafka.common.errors.NotLeaderOrFollowerException")
        );
        assert!(!Errors::NotEnoughReplicas.known_to(Release::V0_8_0));
        assert_eq!(
            Errors::NotEnoughReplicas.message(),
            Some("Messages are rejected since there are fewer in-sync replicas than required.")
        );
    }
}
