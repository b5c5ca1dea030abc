#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/zookeeper-server-start.sh.
# Starts the bundled ZooKeeper server with the given zookeeper.properties file, in the foreground or with -daemon in the background.
# Sets: KAFKA_LOG4J_OPTS="-Dlog4j.configuration=file:$base_dir/../config/log4j.properties" and KAFKA_HEAP_OPTS="-Xmx512M -Xms512M" (each only if not already set); EXTRA_ARGS='-name zookeeper -loggc' (prefixed with -daemon when -daemon is the first argument) is passed to kafka-run-class.sh before the class
# Usage check: USAGE: $0 [-daemon] zookeeper.properties
exec $(dirname $0)/kafka-run-class.sh org.apache.zookeeper.server.quorum.QuorumPeerMain "$@"
