#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/zookeeper-security-migration.sh.
# Secures or unsecures the ACLs of Kafka's znodes in ZooKeeper (--zookeeper.acl secure|unsecure).
exec $(dirname $0)/kafka-run-class.sh kafka.admin.ZkSecurityMigrator "$@"
