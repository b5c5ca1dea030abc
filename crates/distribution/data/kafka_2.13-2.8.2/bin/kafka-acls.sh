#!/bin/bash
# Kafka Playground: Kafka 2.8.2's bin/kafka-acls.sh.
# Adds, removes and lists access control lists (ACLs) for topics, groups, the cluster and other resources.
exec $(dirname $0)/kafka-run-class.sh kafka.admin.AclCommand "$@"
