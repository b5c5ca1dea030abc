#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-log-dirs.sh.
# Shows each broker's log directories and the size of the partitions stored in them.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.LogDirsCommand "$@"
