#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-preferred-replica-election.sh.
# Moves partition leadership back to preferred replicas; deprecated in favour of kafka-leader-election.sh.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.PreferredReplicaLeaderElectionCommand "$@"
