#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-simple-consumer-perf-test.sh.
# Measures how fast the low-level SimpleConsumer API can fetch messages from a partition.
# Sets: KAFKA_HEAP_OPTS="-Xmx512M"
exec $(dirname $0)/kafka-run-class.sh kafka.perf.SimpleConsumerPerformance "$@"
