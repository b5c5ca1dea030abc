#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-console-consumer.sh.
# Consumes messages from a topic through ZooKeeper (--zookeeper, --topic) and prints each one on standard output.
# Sets: KAFKA_HEAP_OPTS="-Xmx512M"
exec $(dirname $0)/kafka-run-class.sh kafka.consumer.ConsoleConsumer "$@"
