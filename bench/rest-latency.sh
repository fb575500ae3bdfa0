#!/usr/bin/env bash
# End-to-end latency (issue 15, target 2): an open-loop load of REST pushes (SCJGJ penalty CSV rows, and one SWJ
# list push a second) against the gateway with the REST upstream adapter; latency from each push's due time to the
# province simulator's acceptance of each record, to each push's answer, and to each list entry's webhook delivery
# at every receiver; the gateway's heap after GC over the run. A 60 s warm-up at the same rate comes first (its
# latencies are shown apart). Broker and gateway each in a JVM of their own; the load, the province simulator and
# the receivers in the benchmark's JVM (RestLatencyBenchmark).
# Usage (from anywhere): bench/rest-latency.sh [records-per-second=1000] [records-per-push=50] [minutes=10] [receivers=50] [list-entries=3]
#                        (list-entries: list entries a second, in one push; 0 = the penalty pushes alone)
#                        bench/rest-latency.sh --smoke   (100 records/s in pushes of 10 for 1 + 4 s, 2 receivers: are the counts right?)
# Environment: BENCH_HEAP (default 6g, the benchmark's JVM and the gateway's: the benchmark's keeps every record the
# province simulator accepted, 660,000 in a full run; the broker has 1g), BENCH_JAVA_OPTS (every JVM),
# BENCH_GATEWAY_JAVA_OPTS (the gateway JVM only), BENCH_GATEWAY_SETTINGS (extra gateway settings, key=value separated
# by spaces, e.g. "gateway.upstream.batch-wait=1s"), BENCH_SMOKE=1, MVN_OFFLINE=0 (see bench/common.sh).
# Generated data, each JVM's log, the gateway's GC log and the report go to target/bench/rest-latency (never committed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/common.sh

out=target/bench/rest-latency
if bench_smoke "$@"; then
    out=target/bench/rest-latency-smoke
    set -- --smoke
fi
bench_build rest-latency
mkdir -p "${out}"
bench_java rest-latency "${BENCH_HEAP:-6g}" cn.bazhong.credit.gateway.bench.RestLatencyBenchmark "$@" 2>&1 \
    | tee "${out}/result.txt"
