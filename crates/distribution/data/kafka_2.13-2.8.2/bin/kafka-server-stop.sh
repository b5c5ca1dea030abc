#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-server-stop.sh.
# Stops every Kafka broker running on this machine by sending it a signal (TERM unless SIGNAL is set).
# Runs: ps ax | grep ' kafka\.Kafka ' | grep java | grep -v grep | awk '{print $1}' -> kill -s ${SIGNAL:-TERM} <pids>; if none: echo "No kafka server to stop", exit 1 (other ps commands on OS/390 and OS400)
