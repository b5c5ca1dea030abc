#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/zookeeper-server-stop.sh.
# Stops every ZooKeeper server (QuorumPeerMain) running on this machine by sending it a signal (TERM unless SIGNAL is set).
# Runs: ps ax | grep java | grep -i QuorumPeerMain | grep -v grep | awk '{print $1}' -> kill -s ${SIGNAL:-TERM} <pids>; if none: echo "No zookeeper server to stop", exit 1 (other ps commands on OS/390 and OS400)
