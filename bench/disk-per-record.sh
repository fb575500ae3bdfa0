#!/usr/bin/env bash
# Disk per record on each gateway topic: generated SCJGJ penalty records through the whole pipeline,
# then the bytes of each topic in the broker's log directories divided by the records.
# Usage (from anywhere): bench/disk-per-record.sh [records]   (default 200000)
#                        bench/disk-per-record.sh --smoke     (2,000 records: does it work?)
# Environment: BENCH_HEAP (default 2g), BENCH_JAVA_OPTS, MVN_OFFLINE=0 (see bench/common.sh).
# Generated data and output go to target/bench/disk (never committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

if bench_smoke "$@"; then
    set -- 2000
fi
bench_build disk
mkdir -p target/bench/disk
bench_java disk "${BENCH_HEAP:-2g}" cn.bazhong.credit.gateway.bench.DiskPerRecordBenchmark "$@" 2>&1 \
    | tee target/bench/disk/result.txt
