package cn.bazhong.credit.gateway.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started by a benchmark (the broker, the gateway, Kafka's tool): its output goes to a log file in the
 * benchmark's folder; lines starting with {@code bench: } are its answers, which {@link #await} waits for.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    static ChildJvm start(String name, Path work, Class<?> main, List<String> extraFlags, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags(extraFlags));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        Path log = work.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ChildJvm child = new ChildJvm(name, process, log);
        Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        Thread copier = new Thread(() -> child.copy(file), name + "-output");
        copier.setDaemon(true);
        copier.start();
        return child;
    }

    private void copy(Writer file) {
        try (file; BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                file.write(line);
                file.write('\n');
                if (line.startsWith("bench: ")) {
                    file.flush();
                    answers.add(line.substring("bench: ".length()));
                }
            }
        } catch (IOException e) {
            answers.add("output lost: " + e);
        }
    }

    /** Waits for the answer starting with {@code prefix}; fails if the JVM ends or answers otherwise ("failed …"). */
    String await(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = answers.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                if (line.startsWith(prefix)) {
                    return line;
                }
                if (line.startsWith("failed")) {
                    throw new IllegalStateException("the " + name + " JVM " + line + "; see " + log);
                }
            } else {
                checkAlive();
            }
        }
        throw new IllegalStateException("the " + name + " JVM did not answer '" + prefix + "' within " + timeout + "; see " + log);
    }

    /** The answer starting with {@code prefix} if one has come, else null. */
    String poll(String prefix) {
        String line = answers.poll();
        if (line != null && line.startsWith("failed")) {
            throw new IllegalStateException("the " + name + " JVM " + line + "; see " + log);
        }
        return line != null && line.startsWith(prefix) ? line : null;
    }

    void checkAlive() {
        if (!process.isAlive() && answers.isEmpty()) {
            throw new IllegalStateException("the " + name + " JVM ended with status " + process.exitValue() + "; see " + log);
        }
    }

    void send(String command) {
        commands.println(command);
    }

    /** Where this JVM's output goes. */
    Path log() {
        return log;
    }

    /** The process CPU time (user + system, all threads) so far. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("no CPU time for the " + name + " JVM")).toNanos();
    }

    int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the " + name + " JVM did not end within " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    /** Ends the JVM at once (SIGKILL): what it does afterwards is no part of the benchmark. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** This JVM's own flags without a flight recording (each JVM would write the same file), then {@code extra}. */
    static List<String> flags(List<String> extra) {
        List<String> flags = new ArrayList<>();
        for (String f : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!f.startsWith("-XX:StartFlightRecording") && !f.startsWith("-XX:FlightRecorderOptions")) {
                flags.add(f);
            }
        }
        flags.addAll(extra);
        return flags;
    }
}
