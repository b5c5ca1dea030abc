#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-server-start.sh.
# Starts a Kafka broker in the foreground with the given server.properties file.
# Sets: KAFKA_LOG4J_OPTS="-Dlog4j.configuration=file:$base_dir/../config/log4j.properties", KAFKA_HEAP_OPTS="-Xmx1G -Xms1G"; passes "daemon kafkaServer" to kafka-run-class.sh first (GC log logs/kafkaServer-gc.log; the broker still runs in the foreground)
# Usage check: USAGE: $0 server.properties
exec $(dirname $0)/kafka-run-class.sh kafka.Kafka "$@"
