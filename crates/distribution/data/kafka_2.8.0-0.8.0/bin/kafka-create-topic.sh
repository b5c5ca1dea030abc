#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-create-topic.sh.
# Creates a topic by writing its partition and replica assignment to ZooKeeper (--zookeeper, --topic, --partition, --replica).
exec $(dirname $0)/kafka-run-class.sh kafka.admin.CreateTopicCommand "$@"
