#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-consumer-perf-test.sh.
# Measures how fast a high-level consumer can read messages from a topic.
# Sets: KAFKA_HEAP_OPTS="-Xmx512M"
exec $(dirname $0)/kafka-run-class.sh kafka.perf.ConsumerPerformance "$@"
