#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/zookeeper-shell.sh.
# Opens the interactive ZooKeeper command-line client on host:port[/path], optionally over TLS (the real script passes "-server" before all the arguments).
# Usage check: USAGE: $0 zookeeper_host:port[/path] [-zk-tls-config-file file] [args...]
exec $(dirname $0)/kafka-run-class.sh org.apache.zookeeper.ZooKeeperMainWithTlsSupportForKafka "$@"
