#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-console-producer.sh.
# Reads lines from standard input and sends each line as a record to a topic.
# Sets: KAFKA_HEAP_OPTS="-Xmx512M" (only if not already set)
exec $(dirname $0)/kafka-run-class.sh kafka.tools.ConsoleProducer "$@"
