#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-list-topic.sh.
# Lists topics with the leader, replicas and in-sync replicas of every partition, as stored in ZooKeeper.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.ListTopicCommand "$@"
