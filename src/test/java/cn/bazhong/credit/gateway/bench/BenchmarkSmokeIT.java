package cn.bazhong.credit.gateway.bench;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark scripts of issue 15 still work: their smoke mode ({@code --smoke}) runs the whole benchmark on a
 * tiny input and ends with status 0 only if nothing broke and the counts were right; how fast the machine is
 * plays no part. Runs the collection, mapping and end-to-end latency benchmarks (the lists, disk and personal-field
 * benchmarks have the same smoke mode, run by hand: together they would not fit the suite's budget). Runs in {@code verify}
 * (failsafe): {@code ./mvnw -ntp verify -Dtest=none -Dit.test=BenchmarkSmokeIT -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>The scripts run on this build's classpath ({@code BENCH_CLASSPATH}, no second build) and, for speed, with the
 * test JVMs' flags (C1 only, serial collector): a smoke run measures nothing.
 */
class BenchmarkSmokeIT {

    @Test
    void the_collection_benchmark_in_its_smoke_mode_delivers_every_record_through_separate_jvms_and_reports_both_phases() throws Exception {
        String output = smoke("bench/collection-throughput.sh");
        assertThat(output).contains("### A: pipeline").contains("### B: ProducerPerformance")
                .contains("| CPU µs per record |").contains("every part worked and the counts were right");
    }

    @Test
    void the_mapping_benchmark_in_its_smoke_mode_maps_the_generated_file_with_the_expected_counts() throws Exception {
        String output = smoke("bench/mapping-throughput.sh");
        assertThat(output).contains("Ratio full mapping / plain parse");
    }

    @Test
    void the_rest_latency_benchmark_in_its_smoke_mode_brings_every_pushed_record_to_the_province_once_and_every_list_entry_to_every_receiver()
            throws Exception {
        String output = smoke("bench/rest-latency.sh");
        assertThat(output).contains("## End-to-end latency").contains("| (a) penalty record: push due → accepted at the province |")
                .contains("| (c) list entry: push due → listed at the last of 2 receivers |").contains("every count was right");
    }

    private static String smoke(String script) throws Exception {
        Path log = Files.createTempFile("bench-smoke-", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", script, "--smoke"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        String java = Path.of(System.getProperty("java.home"), "bin").toString();
        builder.environment().put("PATH", java + File.pathSeparator + System.getenv("PATH"));
        builder.environment().put("BENCH_CLASSPATH", classpath());
        builder.environment().put("BENCH_JAVA_OPTS", System.getProperty("test.jvm.flags", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
        builder.environment().put("BENCH_HEAP", "768m");
        builder.environment().put("BENCH_XMX", "256m");
        Process process = builder.start();
        boolean ended = process.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("%s --smoke ended within 10 minutes; its output:%n%s", script, output).isTrue();
        assertThat(process.exitValue()).as("%s --smoke exit status; its output:%n%s", script, output).isZero();
        return output;
    }

    /** This JVM's test classpath (failsafe runs it from a manifest-only jar, and names the real one in a property). */
    private static String classpath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        assertThat(classpath).contains("kafka-tools");
        return classpath;
    }
}
