#!/usr/bin/env bash
# Where the test suite's CPU went, after a test run: per test class, the CPU seconds of its test JVM and of
# the processes it forked (support.CpuLedger writes target/test-cpu/fork-N.tsv), the heaviest first, with
# the totals.
# Usage: bench/test-cpu.sh [how many classes, default 40]
#        bench/test-cpu.sh --against OTHER/target/test-cpu [how many]   (the classes that changed most against
#        another run, e.g. a fresh clone's, with both figures: is a slower suite the code or the machine?)
#        bench/test-cpu.sh --run-order > src/test/run-order/.surefire-run-order
#        (the classes' wall times in surefire's statistics format, for its balanced run order: pom.xml; refresh
#        the committed file after a full run on a fresh clone when classes were added or changed much)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--run-order" ]]; then
    cat target/test-cpu/*.tsv \
        | awk -F'\t' '$1 !~ /IT$/ {ms = int($3 * 1000); if (!($1 in t) || ms > t[$1]) t[$1] = ms}
                      END {for (c in t) print "1," t[c] "," c ",(class)"}' \
        | sort -t, -k2,2 -rn
    exit 0
fi
against=""
if [[ "${1:-}" == "--against" ]]; then
    against=${2:?"--against needs the other run's target/test-cpu folder"}
    shift 2
fi
top=${1:-40}
shopt -s nullglob
files=(target/test-cpu/*.tsv)
if ((${#files[@]} == 0)); then
    echo "no target/test-cpu/*.tsv: run the tests first" >&2
    exit 1
fi
if [[ -n "${against}" ]]; then
    others=("${against}"/*.tsv)
    if ((${#others[@]} == 0)); then
        echo "no ${against}/*.tsv" >&2
        exit 1
    fi
    printf '%8s %8s %8s  %s\n' "other s" "this s" "change" "test class"
    awk -F'\t' 'NR == FNR {other[$1] = $2; next} {this[$1] = $2}
        END {
            for (c in this) { o = (c in other) ? other[c] : 0; printf "%.2f\t%.1f\t%.1f\t%s\n", (this[c] - o < 0 ? o - this[c] : this[c] - o), o, this[c], c }
            for (c in other) if (!(c in this)) printf "%.2f\t%.1f\t%.1f\t%s\n", other[c], other[c], 0, c
        }' <(cat "${others[@]}") <(cat "${files[@]}") \
        | sort -t$'\t' -k1,1 -rn | head -n "${top}" \
        | awk -F'\t' '{printf "%8.1f %8.1f %+7.1f  %s\n", $2, $3, $3 - $2, $4}'
    awk -F'\t' 'NR == FNR {o += $2; next} {t += $2} END {printf "%8.1f %8.1f %+7.1f  all classes (%+.0f %%)\n", o, t, t - o, o ? 100 * (t - o) / o : 0}' \
        <(cat "${others[@]}") <(cat "${files[@]}")
    exit 0
fi
printf '%8s %8s  %s\n' "cpu s" "wall s" "test class"
cat "${files[@]}" | sort -t$'\t' -k2,2 -rn | head -n "$top" | awk -F'\t' '{printf "%8.1f %8.1f  %s\n", $2, $3, $1}'
cat "${files[@]}" | awk -F'\t' '{c += $2; w += $3; n++} END {printf "%8.1f %8.1f  all %d classes (%.1f CPU-minutes)\n", c, w, n, c / 60}'
