#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-replay-log-producer.sh.
# Consumes the messages of one topic and produces them again to another topic (--inputtopic, --outputtopic).
exec $(dirname $0)/kafka-run-class.sh kafka.tools.ReplayLogProducer "$@"
