#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-storage.sh.
# Prepares storage for KRaft mode: random-uuid prints a new cluster ID, format formats the log directories, info describes them.
exec $(dirname $0)/kafka-run-class.sh kafka.tools.StorageTool "$@"
