#!/usr/bin/env bash
# What the dedup index and the record traces cost a Hazelcast member at scale (issue 15, target 3): bytes per
# entry on the heap and in Hazelcast's own count, and how fast the member takes them. See docs/benchmarks.md.
# Usage (from anywhere): bench/views-memory.sh [versions=10000000] [traces=1000000]
#                        bench/views-memory.sh --smoke   (20,000 versions, 5,000 traces: does it work?)
# Environment: BENCH_XMX (default 10g), BENCH_JAVA_OPTS, MVN_OFFLINE=0 to let Maven go online (default: -o).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

out=target/bench/views-memory.txt
if bench_smoke "$@"; then
    set -- 20000 5000
    out=target/bench/views-memory-smoke.txt
fi
bench_build views-memory
mkdir -p target/bench
bench_java views-memory "${BENCH_XMX:-10g}" cn.bazhong.credit.gateway.bench.ViewsMemoryBenchmark "$@" | tee "${out}"
