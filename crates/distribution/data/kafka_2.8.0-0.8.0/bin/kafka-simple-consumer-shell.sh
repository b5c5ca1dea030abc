#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-simple-consumer-shell.sh.
# Fetches messages from a single partition with the low-level SimpleConsumer and prints them (--broker-list, --topic, --partition, --offset).
exec $(dirname $0)/kafka-run-class.sh kafka.tools.SimpleConsumerShell "$@"
