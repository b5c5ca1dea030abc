#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/connect-mirror-maker.sh.
# Starts MirrorMaker 2, the Connect-based tool that replicates topics between the clusters named in an mm2.properties file.
# Sets: KAFKA_LOG4J_OPTS="-Dlog4j.configuration=file:$base_dir/../config/connect-log4j.properties" and KAFKA_HEAP_OPTS="-Xms256M -Xmx2G" (each only if not already set); EXTRA_ARGS='-name mirrorMaker' (prefixed with -daemon when -daemon is the first argument) is passed to kafka-run-class.sh before the class
# Usage check: USAGE: $0 [-daemon] mm2.properties
exec $(dirname $0)/kafka-run-class.sh org.apache.kafka.connect.mirror.MirrorMaker "$@"
