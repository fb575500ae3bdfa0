#!/usr/bin/env bash
# Collection: CPU per delivered record (issue 15, target 1). SCJGJ CSV records through the whole pipeline
# to the upstream Kafka adapter, against Kafka's ProducerPerformance with the same record count and size on
# the same broker; broker, gateway and tool each in a JVM of its own (CollectionCpuBenchmark).
# Usage (from anywhere): bench/collection-throughput.sh [records]   (default 1000000)
#                        bench/collection-throughput.sh --smoke     (2,000 records: does it work?)
# Environment: BENCH_HEAP (default 2g, every JVM), BENCH_JAVA_OPTS (every JVM), BENCH_GATEWAY_JAVA_OPTS
# (the gateway JVM only, e.g. a flight recording), BENCH_SMOKE=1, MVN_OFFLINE=0 (see bench/common.sh).
# Generated data, each JVM's log and the output go to target/bench/collection (never committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

out=target/bench/collection
if bench_smoke "$@"; then
    out=target/bench/collection-smoke
fi
bench_build collection
mkdir -p "${out}"
bench_java collection "${BENCH_HEAP:-2g}" cn.bazhong.credit.gateway.bench.CollectionCpuBenchmark "$@" 2>&1 \
    | tee "${out}/result.txt"
