#!/usr/bin/env bash
# CPU cost of sealing personal fields per record (SM4-GCM and AES-256-GCM) against the clear JSON write.
# Usage (from anywhere): bench/personal-fields.sh [--records N] [--rounds R]
# Environment: BENCH_XMX (default 1g), BENCH_JAVA_OPTS, MVN_OFFLINE=0 to let Maven go online (default: -o).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

bench_build personal-fields
bench_java personal-fields "${BENCH_XMX:-1g}" cn.bazhong.credit.gateway.bench.PersonalFieldsBenchmark "$@" \
    | tee target/bench/personal-fields.txt
