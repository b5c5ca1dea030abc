#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-delete-records.sh.
# Deletes the records of partitions up to given offsets, read from a JSON file.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.DeleteRecordsCommand "$@"
