#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/kafka-run-class.sh.
# The launcher the other scripts use: it builds the classpath and JVM options and starts the named Java class.
# Sets: defaults (each only if unset) KAFKA_HEAP_OPTS="-Xmx256M", KAFKA_LOG4J_OPTS="-Dlog4j.configuration=file:$base_dir/config/tools-log4j.properties", JMX options (port from JMX_PORT); creates $base_dir/logs; "daemon <name>" as first arguments only turns on a GC log logs/<name>-gc.log
# Usage check: USAGE: $0 classname [opts]
# Runs: exec java $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_GC_LOG_OPTS $KAFKA_JMX_OPTS $KAFKA_LOG4J_OPTS -cp <libs/*.jar and kafka*.jar> $KAFKA_OPTS <classname> [opts] (in the foreground)
