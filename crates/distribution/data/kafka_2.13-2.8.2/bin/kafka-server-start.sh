#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-server-start.sh.
# Starts a Kafka broker with the given server.properties file, in the foreground or with -daemon in the background.
# Sets: KAFKA_LOG4J_OPTS="-Dlog4j.configuration=file:$base_dir/../config/log4j.properties" and KAFKA_HEAP_OPTS="-Xmx1G -Xms1G" (each only if not already set); EXTRA_ARGS='-name kafkaServer -loggc' (prefixed with -daemon when -daemon is the first argument) is passed to kafka-run-class.sh before the class
# Usage check: USAGE: $0 [-daemon] server.properties [--override property=value]*
exec $(dirname $0)/kafka-run-class.sh kafka.Kafka "$@"
