#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-run-class.sh.
# The launcher the other scripts use: it builds the classpath and JVM options and starts the named Java class, optionally in the background.
# Sets: defaults (each only if unset) KAFKA_HEAP_OPTS="-Xmx256M", KAFKA_LOG4J_OPTS="-Dlog4j.configuration=file:$base_dir/config/tools-log4j.properties", LOG_DIR="$base_dir/logs" (passed as -Dkafka.logs.dir), G1 GC options, JMX options (port from JMX_PORT); -loggc writes logs/<name>-gc.log
# Usage check: USAGE: $0 [-daemon] [-name servicename] [-loggc] classname [opts]
# Runs: exec java $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_GC_LOG_OPTS $KAFKA_JMX_OPTS $KAFKA_LOG4J_OPTS -cp <libs/*> $KAFKA_OPTS <classname> [opts]; with -daemon: nohup java ... > logs/<name>.out 2>&1 < /dev/null &
