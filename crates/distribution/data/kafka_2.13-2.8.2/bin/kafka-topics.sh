#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-topics.sh.
# Creates, lists, describes, alters and deletes topics.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.TopicCommand "$@"
