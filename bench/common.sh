# Shared by the benchmark scripts (sourced from the repository root): build once, then run the
# benchmark from a copy of the compiled classes.
# MVN_OFFLINE=0 lets Maven go online (default: offline); BENCH_JAVA_OPTS adds JVM flags (e.g. JFR).
# Smoke mode (--smoke as the first argument, or BENCH_SMOKE=1): a tiny run that checks that the benchmark
# works (exit status 0) and measures nothing. BENCH_CLASSPATH (the full classpath, classes first) skips the
# build and runs on that classpath: the smoke test (BenchmarkSmokeIT) uses it inside the Maven build.
# The benchmark JVMs run with the JVM's defaults (JIT, collector), like production: the C1-only serial
# flags of .mvn/jvm.config and pom.xml's test.jvm.flags apply to Maven and test JVMs only.

# bench_smoke ARGS...: true if the script was asked for its smoke mode.
bench_smoke() {
    [[ "${BENCH_SMOKE:-0}" == "1" || "${1:-}" == "--smoke" ]]
}

# bench_build NAME: compiles main and test code, writes the test classpath to
# target/bench/classpath.txt and copies the compiled classes to target/bench/NAME-classes and
# target/bench/NAME-test-classes, so that another build in the same tree (a clean, a recompile)
# cannot change or delete them while the benchmark loads them.
bench_build() {
    local name="$1" offline="-o"
    if [[ -n "${BENCH_CLASSPATH:-}" ]]; then
        return 0
    fi
    if [[ "${MVN_OFFLINE:-1}" == "0" ]]; then
        offline=""
    fi
    mkdir -p target/bench
    ./mvnw -q ${offline} test-compile
    ./mvnw -q ${offline} dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=test
    rm -rf "target/bench/${name}-classes" "target/bench/${name}-test-classes"
    cp -r target/classes "target/bench/${name}-classes"
    cp -r target/test-classes "target/bench/${name}-test-classes"
}

# bench_pages_flag: the heap on transparent huge pages where the kernel gives them on request, as the distribution's
# start script (src/dist/bin/gateway) runs a node, unless BENCH_JAVA_OPTS names the flag (-XX:-UseTransparentHugePages
# for the JVM's default 4 KB pages). Every JVM of a benchmark inherits the flags of the one bench_java starts.
bench_pages_flag() {
    case "${BENCH_JAVA_OPTS:-}" in
    *TransparentHugePages*) ;;
    *) if grep -Eqs '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled; then echo "-XX:+UseTransparentHugePages"; fi ;;
    esac
}

# bench_java NAME HEAP MAIN-CLASS [ARGS...]: runs MAIN-CLASS on the classes bench_build copied, with
# the module flags the embedded Kafka broker and Hazelcast want, and BENCH_JAVA_OPTS.
bench_java() {
    local name="$1" heap="$2" main="$3" classpath
    shift 3
    if [[ -n "${BENCH_CLASSPATH:-}" ]]; then
        classpath="${BENCH_CLASSPATH}"
    else
        classpath="target/bench/${name}-classes:target/bench/${name}-test-classes:$(cat target/bench/classpath.txt)"
    fi
    # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of flags
    java -Xmx"${heap}" $(bench_pages_flag) ${BENCH_JAVA_OPTS:-} --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
        --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
        --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
        -cp "${classpath}" \
        "${main}" "$@"
}
