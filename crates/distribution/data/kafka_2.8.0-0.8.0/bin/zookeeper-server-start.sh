#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/zookeeper-server-start.sh.
# Starts the bundled ZooKeeper server in the foreground with the given zookeeper.properties file (exactly one argument).
# Sets: KAFKA_LOG4J_OPTS="-Dlog4j.configuration=file:$base_dir/../config/log4j.properties", KAFKA_HEAP_OPTS="-Xmx512M -Xms512M"; passes "daemon zookeeper" to kafka-run-class.sh first (GC log logs/zookeeper-gc.log)
# Usage check: USAGE: $0 zookeeper.properties
exec $(dirname $0)/kafka-run-class.sh org.apache.zookeeper.server.quorum.QuorumPeerMain "$@"
