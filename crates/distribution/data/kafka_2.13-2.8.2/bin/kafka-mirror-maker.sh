#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-mirror-maker.sh.
# Runs the original MirrorMaker (version 1), which consumes from one cluster and produces to another.
exec $(dirname $0)/kafka-run-class.sh kafka.tools.MirrorMaker "$@"
