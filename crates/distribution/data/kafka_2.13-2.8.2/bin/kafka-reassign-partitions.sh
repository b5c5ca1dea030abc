#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-reassign-partitions.sh.
# Generates, executes and verifies plans that move partition replicas between brokers.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.ReassignPartitionsCommand "$@"
