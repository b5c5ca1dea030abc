#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-replica-verification.sh.
# Checks that all replicas of the chosen topic partitions hold the same data.
exec $(dirname $0)/kafka-run-class.sh kafka.tools.ReplicaVerificationTool "$@"
