#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-producer-perf-test.sh.
# Measures how fast a producer can send records to a topic.
# Sets: KAFKA_HEAP_OPTS="-Xmx512M" (only if not already set)
exec $(dirname $0)/kafka-run-class.sh org.apache.kafka.tools.ProducerPerformance "$@"
