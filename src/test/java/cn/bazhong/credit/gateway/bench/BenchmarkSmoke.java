package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.support.TestJvmFlags;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a benchmark script in its smoke mode ({@code --smoke}): the whole benchmark on a tiny input, ending with
 * status 0 only if nothing broke and the counts were right; how fast the machine is plays no part. The scripts run
 * on this build's classpath ({@code BENCH_CLASSPATH}, no second build) and, for speed, with the test JVMs' flags (C1
 * only, serial collector): a smoke run measures nothing.
 */
final class BenchmarkSmoke {

    private BenchmarkSmoke() {
    }

    /** The script's output, once it has ended with status 0 within ten minutes (otherwise the assertion fails with it). */
    static String run(String script) throws Exception {
        Path log = Files.createTempFile("bench-smoke-", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", script, "--smoke"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        String java = Path.of(System.getProperty("java.home"), "bin").toString();
        builder.environment().put("PATH", java + File.pathSeparator + System.getenv("PATH"));
        builder.environment().put("BENCH_CLASSPATH", classpath());
        // the benchmark's JVMs take their ports from this test JVM's slice (support.FreePorts), not from another fork's
        builder.environment().put("BENCH_JAVA_OPTS", TestJvmFlags.line() + " -Dfork.number=" + System.getProperty("fork.number", "0"));
        builder.environment().put("BENCH_HEAP", "768m");
        builder.environment().put("BENCH_XMX", "256m");
        Process process = builder.start();
        boolean ended = process.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
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
