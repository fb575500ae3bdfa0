package cn.bazhong.credit.gateway.support;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the suite's CPU goes: for every test class, the CPU seconds its test JVM used while the class ran
 * (its Spring context's start and close included) plus those of the child processes it waited for (forked
 * gateways, browsers), and its wall time, one line per class in {@code target/test-cpu/fork-N.tsv}.
 * {@code bin/test-cpu} sums them. Registered for every JUnit run through {@code META-INF/services}; classes of
 * one test JVM run one after the other, so the difference over a class is that class's.
 */
public final class CpuLedger implements TestExecutionListener {

    private static final Path DIR = Path.of("target", "test-cpu");
    private static final long TICKS_PER_SECOND = 100;   // USER_HZ on Linux

    private final Map<String, long[]> started = new ConcurrentHashMap<>();
    private volatile TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (isClass(id)) {
            started.put(id.getUniqueId(), new long[]{cpuTicks(), System.nanoTime()});
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        long[] start = started.remove(id.getUniqueId());
        if (start == null) {
            return;
        }
        long ticks = cpuTicks() - start[0];
        long wallMs = (System.nanoTime() - start[1]) / 1_000_000;
        if (ticks < 0 || start[0] < 0) {
            return;   // not on Linux: nothing to record
        }
        String className = ((ClassSource) id.getSource().orElseThrow()).getClassName();
        String line = String.format("%s\t%.2f\t%.2f%n", className, ticks / (double) TICKS_PER_SECOND, wallMs / 1000.0);
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve("fork-" + System.getProperty("fork.number", "0") + ".tsv"), line,
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A top-level test class (a nested class is counted in the class that holds it). */
    private boolean isClass(TestIdentifier id) {
        return id.getSource().filter(ClassSource.class::isInstance).isPresent()
                && plan.getParent(id).flatMap(TestIdentifier::getSource).filter(ClassSource.class::isInstance).isEmpty();
    }

    /** utime + stime + cutime + cstime of this process from /proc/self/stat, in clock ticks; -1 elsewhere. */
    static long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
            List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" "));
            // fields[0] is field 3 (state); utime is field 14, stime 15, cutime 16, cstime 17
            return fields.subList(11, 15).stream().mapToLong(Long::parseLong).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
