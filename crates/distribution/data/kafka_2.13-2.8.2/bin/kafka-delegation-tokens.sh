#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-delegation-tokens.sh.
# Creates, renews, expires and describes delegation tokens.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.DelegationTokenCommand "$@"
