#!/bin/bash
# Kafka Playground: Kafka 0.8.0's bin/run-rat.sh.
# A developer script that runs the Apache RAT license-header audit over the source tree; it needs lib/apache-rat-0.8.jar and .rat-excludes from the source checkout, which the binary distribution does not contain.
# Runs: java -jar $base_dir/lib/apache-rat-0.8.jar --dir $base_dir -e <each line of $base_dir/.rat-excludes> > $base_dir/rat.out
