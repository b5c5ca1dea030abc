#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-server-stop.sh.
# Stops every Kafka broker running on this machine by sending it a signal.
# Runs: ps ax | grep -i 'kafka\.Kafka' | grep java | grep -v grep | awk '{print $1}' | xargs kill -SIGINT
