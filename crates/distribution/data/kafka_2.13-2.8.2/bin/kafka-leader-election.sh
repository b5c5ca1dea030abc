#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-leader-election.sh.
# Triggers a preferred or an unclean leader election for partitions.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.LeaderElectionCommand "$@"
