package cn.bazhong.credit.gateway.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the suite's temporary files out of the machine's temporary directory. The build starts each test JVM
 * with {@code java.io.tmpdir} set to a directory of its own under {@code target/test-tmp} (pom.xml), where the
 * brokers' logs, SFTP roots, key files and the files of the JVMs a test starts land; this listener empties that
 * directory when the JVM's test session opens, so that a run starts clean and repeated runs do not pile up
 * (about 190 MB a run: the unpacked distribution archive, the test gateways' Kafka logs, SFTP roots; they used to
 * stay in {@code /tmp} for good).
 *
 * <p>It empties nothing outside a {@code target/test-tmp} directory: run from an IDE without the build's
 * flags, the temporary directory is the machine's and is left alone.
 */
public final class TestTempDirectory implements LauncherSessionListener {

    /** The directory under which the build puts every test JVM's temporary directory. */
    static final Path ROOT = Path.of("target", "test-tmp");

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        prepare(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Empties and creates {@code dir} if it is a directory of its own under {@link #ROOT}; leaves any other
     * directory as it is. Returns whether it did.
     */
    static boolean prepare(Path dir) {
        Path root = ROOT.toAbsolutePath().normalize();
        Path own = dir.toAbsolutePath().normalize();
        if (!own.startsWith(root) || own.equals(root)) {
            return false;
        }
        try {
            Folders.deleteTree(own);
            Files.createDirectories(own);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("the test JVM's temporary directory " + own + " could not be prepared", e);
        }
    }
}
