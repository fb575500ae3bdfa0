#!/usr/bin/env bash
# Collection throughput: SCJGJ CSV records through the whole pipeline to the upstream Kafka adapter,
# against Kafka's ProducerPerformance with the same record count and size on the same broker.
# Usage (from anywhere): bench/collection-throughput.sh [records]   (default 1000000)
# Environment: BENCH_HEAP (default 2g), BENCH_JAVA_OPTS, MVN_OFFLINE=0 (see bench/common.sh).
# Generated data and output go to target/bench/collection (never committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

bench_build collection
mkdir -p target/bench/collection
bench_java collection "${BENCH_HEAP:-2g}" cn.bazhong.credit.gateway.bench.CollectionThroughputBenchmark "$@" 2>&1 \
    | tee target/bench/collection/result.txt
