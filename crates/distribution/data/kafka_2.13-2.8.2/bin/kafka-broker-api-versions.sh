#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-broker-api-versions.sh.
# Shows, for each broker, which versions of each Kafka protocol request it supports.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.BrokerApiVersionsCommand "$@"
