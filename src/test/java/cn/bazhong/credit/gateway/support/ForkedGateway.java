package cn.bazhong.credit.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A gateway running in a JVM of its own, started from the build's classes and runtime classpath
 * in the project folder (so it finds routes/, mappings/ and config/), that a test can kill with
 * SIGKILL and start again on the same data.
 *
 * <p>The build's classes are copied once per test JVM, and every gateway runs from that copy: a build
 * running meanwhile in the same folder rewrites target/classes, and a gateway loading a class at that
 * moment would fail with {@code NoClassDefFoundError}.
 */
public final class ForkedGateway implements AutoCloseable {

    private static final List<String> JVM_OPENS = List.of("--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private static Path classes;

    private final Process process;
    private final Path log;

    private ForkedGateway(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ForkedGateway start(Map<String, String> properties, Path log) {
        return start(properties, log, "768m");
    }

    /** A gateway JVM with the given maximum heap (e.g. {@code 256m}), for tests that its memory stays bounded. */
    public static ForkedGateway start(Map<String, String> properties, Path log, String maxHeap) {
        try {
            String classpath = classes() + ":" + Files.readString(Path.of("target/runtime-classpath.txt")).strip();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx" + maxHeap);
            // the test JVMs' own flags (pom.xml, test.jvm.flags: C1 only and the serial collector) and this test JVM's
            // temporary directory
            command.addAll(TestJvmFlags.forChildren());
            command.addAll(JVM_OPENS);
            command.add("-cp");
            command.add(classpath);
            command.add("cn.bazhong.credit.gateway.GatewayApplication");
            properties.forEach((k, v) -> command.add("--" + k + "=" + v));
            TestBroker.gatewayProperties().forEach((k, v) -> {
                if (!properties.containsKey(k)) {
                    command.add("--" + k + "=" + v);
                }
            });
            Process p = new ProcessBuilder(command)
                    .directory(Path.of("").toAbsolutePath().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ForkedGateway(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("the gateway JVM did not start", e);
        }
    }

    /** This test JVM's copy of target/classes, deleted when the JVM ends. */
    private static synchronized Path classes() throws IOException {
        if (classes == null) {
            Path source = Path.of("target/classes").toAbsolutePath();
            Path copy = Files.createTempDirectory("forked-gateway-classes-");
            try (Stream<Path> files = Files.walk(source)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = copy.resolve(source.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to);
                    }
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Folders.deleteQuietly(copy)));
            classes = copy;
        }
        return classes;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
