#!/usr/bin/env bash
# Console pages benchmark (issue 11): server time per page of the console's list pages (list types, receipt
# search) with 1,000,000 list entries and 1,000,000 receipts. See docs/benchmarks.md.
# Usage (from anywhere): bench/console-pages.sh [entries=1000000] [receipts=1000000] [repeat=20]
#        bench/console-pages.sh --smoke      (2,000 of each, 5 requests per page: a quick check that it runs)
# Environment: BENCH_HEAP (default 6g), BENCH_JAVA_OPTS, MVN_OFFLINE=0 (see bench/common.sh).
# Output goes to target/bench/console-pages (never committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

bench_build console-pages
mkdir -p target/bench/console-pages
bench_java console-pages "${BENCH_HEAP:-6g}" cn.bazhong.credit.gateway.bench.ConsolePagesBenchmark "$@" 2>&1 | tee target/bench/console-pages/result.txt
