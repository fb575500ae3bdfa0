#!/usr/bin/env bash
# Lists benchmarks (issue 4): check API latency at a fixed rate with N listed subjects (right after the start,
# then again once the view's indexes are built), fan-out
# latency to M webhook receivers, and memory per listed subject. See docs/benchmarks.md.
# Usage (from anywhere): bench/lists.sh [subjects=1000000] [receivers=50] [changes per round, two rounds=200] [rate=1000] [seconds=60]
#                        bench/lists.sh --smoke   (2,000 subjects, 2 receivers, 20 changes, 100 req/s for 3 s after 1 s of
#                        warm-up; exit status 0 only when every count was right)
# Environment: BENCH_HEAP (default 8g), BENCH_JAVA_OPTS, BENCH_WARM_UP (the check load's warm-up, default 10 s),
#              BENCH_DEDUP_VERSIONS (record versions already forwarded, for the dedup index to rebuild at the start; 0),
#              MVN_OFFLINE=0 (see bench/common.sh).
# Output goes to target/bench/lists (never committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

if bench_smoke "$@"; then
    set -- 2000 2 20 100 3
    export BENCH_WARM_UP="${BENCH_WARM_UP:-1}"
fi
bench_build lists
mkdir -p target/bench/lists
bench_java lists "${BENCH_HEAP:-8g}" cn.bazhong.credit.gateway.bench.ListsBenchmark "$@" 2>&1 | tee target/bench/lists/result.txt
