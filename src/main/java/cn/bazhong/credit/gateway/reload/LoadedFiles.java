package cn.bazhong.credit.gateway.reload;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this node has loaded, file by file: the active version and when it was loaded, and the newest
 * content refused, if any. Counts {@code gateway.reload.checks{kind, outcome}} (applied, refused) and exports {@code gateway.reload.refused.files}, the files whose newest content
 * is refused (the alert GatewayReloadRefused).
 */
public class LoadedFiles {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedFiles.class);

    private final Map<String, LoadedFile> byFile = new TreeMap<>();
    private final MeterRegistry registry;
    private final Clock clock;

    public LoadedFiles(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("gateway.reload.refused.files", this, LoadedFiles::refusedCount)
                .description("files whose newest content was refused by the reload check (the previous version stays active)")
                .register(registry);
    }

    /** The file's content as loaded at start-up or by a reload. */
    public synchronized void loaded(LoadedFile.Kind kind, Path file, String version, String sha256) {
        byFile.compute(key(file), (k, old) -> (old == null ? new LoadedFile(kind, k, null, null, null, null, null) : old)
                .loaded(version, sha256, Instant.now(clock)));
    }

    /** A reload applied the file's new content. */
    public void applied(LoadedFile.Kind kind, Path file, String version, String sha256) {
        loaded(kind, file, version, sha256);
        count(kind, "applied");
        LOG.info("reload: {} {} applied{}", kind.name().toLowerCase(), file, version == null ? "" : " (version " + version + ")");
    }

    /** The file's new content failed its check; its previous version stays active. */
    public synchronized void refused(LoadedFile.Kind kind, Path file, String problem) {
        byFile.compute(key(file), (k, old) -> (old == null ? new LoadedFile(kind, k, null, null, null, null, null) : old)
                .refused(problem, Instant.now(clock)));
        count(kind, "refused");
        LOG.error("reload: {} refused, the previous version stays active: {}", file, problem);
    }

    /** The file is gone and what it held is no longer loaded. */
    public synchronized void forget(Path file) {
        if (byFile.remove(key(file)) != null) {
            LOG.info("reload: {} removed", file);
        }
    }

    public synchronized List<LoadedFile> all() {
        return List.copyOf(byFile.values());
    }

    public synchronized LoadedFile get(Path file) {
        return byFile.get(key(file));
    }

    public synchronized List<LoadedFile> refusedFiles() {
        return byFile.values().stream().filter(f -> f.refused() != null).toList();
    }

    synchronized int refusedCount() {
        return (int) byFile.values().stream().filter(f -> f.refused() != null).count();
    }

    private void count(LoadedFile.Kind kind, String outcome) {
        Counter.builder("gateway.reload.checks").description("changed files checked by the live reload, by kind and outcome")
                .tag("kind", kind.name().toLowerCase()).tag("outcome", outcome).register(registry).increment();
    }

    private static String key(Path file) {
        return file.normalize().toString();
    }

    /** The first 16 hex digits of the SHA-256 of the file's bytes. */
    public static String sha256(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
