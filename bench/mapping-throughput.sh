#!/usr/bin/env bash
# Mapping throughput vs plain CSV parsing on a generated 1,000,000-record SCJGJ file.
# Usage (from anywhere): bench/mapping-throughput.sh [benchmark options]
#   e.g. bench/mapping-throughput.sh --records 200000 --rounds 3
# Environment: BENCH_XMX (default 256m), BENCH_JAVA_OPTS (extra JVM flags, e.g. JFR),
#              MVN_OFFLINE=0 to let Maven go online (default: -o).
# Generated data and the output go to target/bench/ (never committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

xmx="${BENCH_XMX:-256m}"
offline="-o"
if [[ "${MVN_OFFLINE:-1}" == "0" ]]; then
    offline=""
fi

mkdir -p target/bench
./mvnw -q ${offline} test-compile
./mvnw -q ${offline} dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt

# Run from a copy of the compiled classes: another build in the same tree (mvn clean, a recompile)
# must not change or delete them while the benchmark loads them.
rm -rf target/bench/classes target/bench/test-classes
cp -r target/classes target/bench/classes
cp -r target/test-classes target/bench/test-classes

# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of flags
java -Xmx"${xmx}" ${BENCH_JAVA_OPTS:-} \
    -cp "target/bench/classes:target/bench/test-classes:$(cat target/bench/classpath.txt)" \
    cn.bazhong.credit.gateway.bench.MappingThroughputBenchmark "$@" \
    | tee target/bench/mapping-throughput.txt
