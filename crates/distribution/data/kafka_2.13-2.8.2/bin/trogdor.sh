#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/trogdor.sh.
# Runs Trogdor, Kafka's fault-injection and workload test framework; the first argument picks the part to run.
# Sets: INCLUDE_TEST_JARS=1
# Usage check: Usage: $0 [action] [options]
# Runs: exec kafka-run-class.sh <class for the action> "$@": agent -> org.apache.kafka.trogdor.agent.Agent, coordinator -> org.apache.kafka.trogdor.coordinator.Coordinator, client -> org.apache.kafka.trogdor.coordinator.CoordinatorClient, agent-client -> org.apache.kafka.trogdor.agent.AgentClient
