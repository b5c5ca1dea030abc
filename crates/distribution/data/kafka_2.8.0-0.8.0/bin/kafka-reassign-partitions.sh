#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-reassign-partitions.sh.
# Moves partition replicas to other brokers according to a JSON reassignment plan.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.ReassignPartitionsCommand "$@"
