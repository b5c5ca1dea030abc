#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-metadata-shell.sh.
# Opens an interactive shell for browsing a KRaft metadata log or snapshot like a file system.
exec $(dirname $0)/kafka-run-class.sh org.apache.kafka.shell.MetadataShell "$@"
