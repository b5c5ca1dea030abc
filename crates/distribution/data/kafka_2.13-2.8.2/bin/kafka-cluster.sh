#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-cluster.sh.
# Prints the cluster ID (cluster-id) or unregisters a broker (unregister).
exec $(dirname $0)/kafka-run-class.sh kafka.tools.ClusterTool "$@"
