package cn.bazhong.credit.gateway.support;

import java.util.ArrayList;
import java.util.List;

/**
 * The flags a test passes to the JVMs it starts (forked gateways, the packaged gateway, the benchmarks' JVMs):
 * the test JVMs' own ({@code test.jvm.flags} in pom.xml: C1 only, the serial collector) and this JVM's
 * temporary directory, so that their files land under {@code target/test-tmp} too ({@link TestTempDirectory}).
 */
public final class TestJvmFlags {

    private TestJvmFlags() {
    }

    /** The flags one by one, for a command line. */
    public static List<String> forChildren() {
        List<String> flags = new ArrayList<>();
        // outside the build (an IDE) the property is not set: the same compiler and collector then
        for (String flag : System.getProperty("test.jvm.flags", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC").trim().split("\\s+")) {
            if (!flag.isEmpty()) {
                flags.add(flag);
            }
        }
        flags.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        return flags;
    }

    /** The flags as one line, for an environment variable such as {@code JAVA_OPTS}. */
    public static String line() {
        return String.join(" ", forChildren());
    }
}
