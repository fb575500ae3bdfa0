#!/usr/bin/env bash
# CPU cost of sealing personal fields per record (SM4-GCM and AES-256-GCM) against the clear JSON write.
# Usage (from anywhere): bench/personal-fields.sh [--records N] [--rounds R]
#                        bench/personal-fields.sh --smoke   (2,000 records, one round: does it work?)
# Environment: BENCH_XMX (default 1g), BENCH_JAVA_OPTS, MVN_OFFLINE=0 to let Maven go online (default: -o).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

out=target/bench/personal-fields.txt
if bench_smoke "$@"; then
    set -- --records 2000 --rounds 1
    out=target/bench/personal-fields-smoke.txt
fi
bench_build personal-fields
mkdir -p target/bench
bench_java personal-fields "${BENCH_XMX:-1g}" cn.bazhong.credit.gateway.bench.PersonalFieldsBenchmark "$@" \
    | tee "${out}"
