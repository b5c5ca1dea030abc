#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-consumer-groups.sh.
# Lists, describes and deletes consumer groups, shows their lag, and resets their committed offsets.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.ConsumerGroupCommand "$@"
