#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-add-partitions.sh.
# Adds partitions to an existing topic, whose layout is kept in ZooKeeper (--zookeeper, --topic, --partition).
exec $(dirname $0)/kafka-run-class.sh kafka.admin.AddPartitionsCommand "$@"
