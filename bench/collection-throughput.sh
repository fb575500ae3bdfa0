#!/usr/bin/env bash
# Collection throughput: SCJGJ CSV records through the whole pipeline to the upstream Kafka adapter,
# against Kafka's ProducerPerformance with the same record count and size on the same broker.
# Usage (from anywhere): bench/collection-throughput.sh [records]   (default 1000000)
# Generated data and output go to target/bench/collection (never committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mkdir -p target/bench/collection
./mvnw -q -o test-compile
./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=test
rm -rf target/bench/collection-classes target/bench/collection-test-classes
cp -r target/classes target/bench/collection-classes
cp -r target/test-classes target/bench/collection-test-classes

java -Xmx${BENCH_HEAP:-2g} ${BENCH_JAVA_OPTS:-} --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
    --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
    -cp "target/bench/collection-classes:target/bench/collection-test-classes:$(cat target/bench/classpath.txt)" \
    cn.bazhong.credit.gateway.bench.CollectionThroughputBenchmark "$@" 2>&1 | tee target/bench/collection/result.txt
