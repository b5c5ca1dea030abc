#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-producer-perf-test.sh.
# Measures how fast a producer can send messages to a topic.
# Sets: KAFKA_HEAP_OPTS="-Xmx512M"
exec $(dirname $0)/kafka-run-class.sh kafka.perf.ProducerPerformance "$@"
