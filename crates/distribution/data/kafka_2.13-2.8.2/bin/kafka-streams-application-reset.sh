#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-streams-application-reset.sh.
# Resets a Kafka Streams application so it reprocesses its input from the beginning.
# Sets: KAFKA_HEAP_OPTS="-Xmx512M" (only if not already set)
exec $(dirname $0)/kafka-run-class.sh kafka.tools.StreamsResetter "$@"
