package cn.bazhong.credit.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A gateway running in a JVM of its own, started from the build's classes and runtime classpath
 * in the project folder (so it finds routes/, mappings/ and config/), that a test can kill with
 * SIGKILL and start again on the same data.
 */
public final class ForkedGateway implements AutoCloseable {

    private static final List<String> JVM_OPENS = List.of("--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private final Process process;
    private final Path log;

    private ForkedGateway(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ForkedGateway start(Map<String, String> properties, Path log) {
        try {
            String classpath = "target/classes:" + Files.readString(Path.of("target/runtime-classpath.txt")).strip();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx768m");
            command.addAll(JVM_OPENS);
            command.add("-cp");
            command.add(classpath);
            command.add("cn.bazhong.credit.gateway.GatewayApplication");
            properties.forEach((k, v) -> command.add("--" + k + "=" + v));
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
