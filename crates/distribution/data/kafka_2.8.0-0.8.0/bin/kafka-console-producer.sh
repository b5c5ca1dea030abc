#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-console-producer.sh.
# Reads lines from standard input and sends each line as a message to a topic (--broker-list, --topic).
# Sets: KAFKA_HEAP_OPTS="-Xmx512M"
exec $(dirname $0)/kafka-run-class.sh kafka.producer.ConsoleProducer "$@"
