//! FindCoordinator (`KafkaApis.handleFindCoordinatorRequest`): the broker
//! leading the key's partition of `__consumer_offsets`, from what the
//! broker's metadata cache knows. Without the topic the answer is
//! COORDINATOR_NOT_AVAILABLE and the topic is to be created.

use kafka_api::requests::{
    FindCoordinatorRequest, FindCoordinatorResponse, COORDINATOR_TYPE_GROUP,
};
use kafka_api::Errors;

use crate::metadata_cache::{
    MetadataCache, GROUP_METADATA_TOPIC_NAME, TRANSACTION_STATE_TOPIC_NAME,
};

/// The answer, and the internal topic to create first if it is missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindCoordinatorAnswer {
    pub response: FindCoordinatorResponse,
    pub create_topic: Option<&'static str>,
}

fn answer(
    version: i16,
    error: Errors,
    node: Option<(i32, String, i32)>,
) -> FindCoordinatorResponse {
    let (node_id, host, port) = node.unwrap_or((-1, String::new(), -1));
    FindCoordinatorResponse {
        throttle_time_ms: 0,
        error,
        error_message: (version >= 1).then(|| error.message().unwrap_or(error.name()).to_string()),
        node_id,
        host,
        port,
    }
}

/// `handleFindCoordinatorRequest` for a group key whose offsets partition
/// is `partition` (`GroupCoordinator::partition_for`). Transactional ids
/// have no coordinator in the playground: COORDINATOR_NOT_AVAILABLE.
pub fn find_coordinator(
    request: &FindCoordinatorRequest,
    version: i16,
    partition: i32,
    cache: &MetadataCache,
) -> FindCoordinatorAnswer {
    let key_type = if version >= 1 {
        request.key_type
    } else {
        COORDINATOR_TYPE_GROUP
    };
    if key_type != COORDINATOR_TYPE_GROUP {
        let create = (!cache.contains_topic(TRANSACTION_STATE_TOPIC_NAME))
            .then_some(TRANSACTION_STATE_TOPIC_NAME);
        return FindCoordinatorAnswer {
            response: answer(version, Errors::CoordinatorNotAvailable, None),
            create_topic: create,
        };
    }
    if !cache.contains_topic(GROUP_METADATA_TOPIC_NAME) {
        return FindCoordinatorAnswer {
            response: answer(version, Errors::CoordinatorNotAvailable, None),
            create_topic: Some(GROUP_METADATA_TOPIC_NAME),
        };
    }
    let node = cache
        .partition_state(GROUP_METADATA_TOPIC_NAME, partition)
        .filter(|state| state.leader >= 0)
        .and_then(|state| cache.alive_brokers().find(|b| b.id == state.leader))
        .map(|b| (b.id, b.host.clone(), b.port));
    let response = match node {
        Some(node) => answer(version, Errors::None, Some(node)),
        None => answer(version, Errors::CoordinatorNotAvailable, None),
    };
    FindCoordinatorAnswer {
        response,
        create_topic: None,
    }
}
