#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-verifiable-producer.sh.
# A producer used by Kafka's system tests that reports each acknowledged send as JSON lines.
# Sets: KAFKA_HEAP_OPTS="-Xmx512M" (only if not already set)
exec $(dirname $0)/kafka-run-class.sh org.apache.kafka.tools.VerifiableProducer "$@"
