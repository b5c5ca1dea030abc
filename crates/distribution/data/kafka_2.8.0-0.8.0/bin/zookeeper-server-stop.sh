#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/zookeeper-server-stop.sh.
# Stops every ZooKeeper server running on this machine by sending it a signal.
# Runs: ps ax | grep -i 'zookeeper' | grep -v grep | awk '{print $1}' | xargs kill -SIGINT
