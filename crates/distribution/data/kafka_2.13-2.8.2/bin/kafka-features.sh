#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-features.sh.
# Describes, upgrades or downgrades the cluster's finalized feature versions.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.FeatureCommand "$@"
