#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-dump-log.sh.
# Prints the contents of log segment, index and snapshot files on disk.
exec $(dirname $0)/kafka-run-class.sh kafka.tools.DumpLogSegments "$@"
