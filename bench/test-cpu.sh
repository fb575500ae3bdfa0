#!/usr/bin/env bash
# Where the test suite's CPU went, after a test run: per test class, the CPU seconds of its test JVM and of
# the processes it forked (support.CpuLedger writes target/test-cpu/fork-N.tsv), the heaviest first, with
# the totals. Usage: bench/test-cpu.sh [how many classes, default 40]
set -euo pipefail
cd "$(dirname "$0")/.."
top=${1:-40}
shopt -s nullglob
files=(target/test-cpu/*.tsv)
if ((${#files[@]} == 0)); then
    echo "no target/test-cpu/*.tsv: run the tests first" >&2
    exit 1
fi
printf '%8s %8s  %s\n' "cpu s" "wall s" "test class"
cat "${files[@]}" | sort -t$'\t' -k2,2 -rn | head -n "$top" | awk -F'\t' '{printf "%8.1f %8.1f  %s\n", $2, $3, $1}'
cat "${files[@]}" | awk -F'\t' '{c += $2; w += $3; n++} END {printf "%8.1f %8.1f  all %d classes (%.1f CPU-minutes)\n", c, w, n, c / 60}'
