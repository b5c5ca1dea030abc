//! Kafka's requests and responses as the playground's processes exchange
//! them: API keys with each release's versions, and error codes with each
//! release's names. Record data inside requests stays the encoded batch
//! (`protocol`); nothing here is I/O.

pub mod api_keys;
pub mod errors;
pub mod requests;

pub use api_keys::ApiKey;
pub use errors::Errors;
pub use requests::{
    KafkaRequest, KafkaResponse, RequestBody, RequestHeader, ResponseBody, TopicPartition,
};
