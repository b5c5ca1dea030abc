#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-configs.sh.
# Describes and changes dynamic configuration of topics, brokers, users and clients.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.ConfigCommand "$@"
