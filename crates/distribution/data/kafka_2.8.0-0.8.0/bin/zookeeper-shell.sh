#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/zookeeper-shell.sh.
# Opens the interactive ZooKeeper command-line client on the single host:port[/path] argument (the real script passes it to the class as "-server $1").
# Usage check: USAGE: $0 zookeeper_host:port[/path]
exec $(dirname $0)/kafka-run-class.sh org.apache.zookeeper.ZooKeeperMain "$@"
