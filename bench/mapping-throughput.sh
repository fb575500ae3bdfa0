#!/usr/bin/env bash
# Mapping throughput vs plain CSV parsing on a generated 1,000,000-record SCJGJ file.
# Usage (from anywhere): bench/mapping-throughput.sh [benchmark options]
#   e.g. bench/mapping-throughput.sh --records 200000 --rounds 3
#        bench/mapping-throughput.sh --smoke   (2,000 records, one round: does it work?)
# Environment: BENCH_XMX (default 256m), BENCH_JAVA_OPTS (extra JVM flags, e.g. JFR),
#              MVN_OFFLINE=0 to let Maven go online (default: -o).
# Generated data and the output go to target/bench/ (never committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

out=target/bench/mapping-throughput.txt
if bench_smoke "$@"; then
    set -- --records 2000 --rounds 1 --warmup 0
    out=target/bench/mapping-smoke.txt
fi
bench_build mapping
mkdir -p target/bench
bench_java mapping "${BENCH_XMX:-256m}" cn.bazhong.credit.gateway.bench.MappingThroughputBenchmark "$@" \
    | tee "${out}"
