package cn.bazhong.credit.gateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A pushed body, received whole into a temporary file (readable by the gateway's user only, deleted on
 * close) before any of it is taken in. A push is written in one Kafka transaction, and readers of the
 * records topic wait behind an open transaction: receiving first keeps that transaction as short as the
 * mapping itself, so a client that sends slowly (or a thousand that do) holds up nobody else's records.
 * The body's limit holds while it is received ({@link GuardedRequest}).
 */
final class SpooledBody implements AutoCloseable {

    private final Path file;

    private SpooledBody(Path file) {
        this.file = file;
    }

    static SpooledBody receive(InputStream body) throws IOException {
        Path file = Files.createTempFile("gateway-push-", ".body");
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.transferTo(out);
            }
            return new SpooledBody(file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("a received body could not be deleted: " + file, e);
        }
    }
}
