#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-preferred-replica-election.sh.
# Asks the controller to hand partition leadership back to each partition's preferred (first-listed) replica.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.PreferredReplicaLeaderElectionCommand "$@"
