#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-console-consumer.sh.
# Consumes records from a topic and prints them on standard output.
# Sets: KAFKA_HEAP_OPTS="-Xmx512M" (only if not already set)
exec $(dirname $0)/kafka-run-class.sh kafka.tools.ConsoleConsumer "$@"
