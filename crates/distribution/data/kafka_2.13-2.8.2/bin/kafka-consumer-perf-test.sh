#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-consumer-perf-test.sh.
# Measures how fast a consumer can read records from a topic.
# Sets: KAFKA_HEAP_OPTS="-Xmx512M" (only if not already set)
exec $(dirname $0)/kafka-run-class.sh kafka.tools.ConsumerPerformance "$@"
