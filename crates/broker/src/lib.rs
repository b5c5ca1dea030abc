//! The Kafka broker, as each release of the playground runs it.
//!
//! So far: the broker's configuration ([`config`]): the text of
//! `server.properties` and the `--override` arguments become a typed
//! [`config::KafkaConfig`] exactly as Kafka 0.8.0 and 2.8.2 read them, with
//! the log lines each release prints while reading and the exception it dies
//! of when a value is wrong; where a topic's replicas go ([`admin`]); and
//! which replica leads a partition ([`election`]); and each partition's
//! replication state — ISR, high watermark, acks ([`replica`]).
//! It is pure: no clock, no files, no threads.

pub mod admin;
pub mod config;
pub mod election;
pub mod replica;
