#!/usr/bin/env bash
# Lists benchmarks (issue 4): check API latency at a fixed rate with N listed subjects, fan-out
# latency to M webhook receivers, and memory per listed subject. See docs/benchmarks.md.
# Usage (from anywhere): bench/lists.sh [subjects=1000000] [receivers=50] [changes=200] [rate=1000] [seconds=60]
# Output goes to target/bench/lists (never committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mkdir -p target/bench/lists
./mvnw -q -o test-compile
./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=test
rm -rf target/bench/lists-classes target/bench/lists-test-classes
cp -r target/classes target/bench/lists-classes
cp -r target/test-classes target/bench/lists-test-classes

java -Xmx${BENCH_HEAP:-8g} ${BENCH_JAVA_OPTS:-} --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
    --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
    -cp "target/bench/lists-classes:target/bench/lists-test-classes:$(cat target/bench/classpath.txt)" \
    cn.bazhong.credit.gateway.bench.ListsBenchmark "$@" 2>&1 | tee target/bench/lists/result.txt
