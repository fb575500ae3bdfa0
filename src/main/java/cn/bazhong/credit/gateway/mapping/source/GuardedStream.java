package cn.bazhong.credit.gateway.mapping.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The raw input under a reader. It remembers a failure of the stream itself (an {@link
 * IOException} of a broken connection, the {@code RuntimeException} of a body-size limit), so that
 * a reader can tell it from a parse error, however the parser wrapped it: a failure of the stream
 * fails the whole read ({@link #rethrowIfBroken()}) and is never taken for bad content.
 */
final class GuardedStream extends FilterInputStream {

    private Throwable failure;
    /** Closed already: a parser closes its source once it has read it to the end (Jackson's AUTO_CLOSE_SOURCE). */
    private boolean closed;

    GuardedStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException | RuntimeException | Error e) {
            remember(e);
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException | RuntimeException | Error e) {
            remember(e);
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException | RuntimeException | Error e) {
            remember(e);
            throw e;
        }
    }

    @Override
    public int available() throws IOException {
        try {
            return super.available();
        } catch (IOException | RuntimeException | Error e) {
            remember(e);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        super.close();
    }

    private void remember(Throwable e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** True once the stream itself has failed. */
    boolean broken() {
        return failure != null;
    }

    /**
     * Throws the stream's own failure if there was one: an {@link IOException} wrapped in an {@link
     * UncheckedIOException} (the original is its cause), anything else unchanged.
     */
    void rethrowIfBroken() {
        if (failure == null) {
            return;
        }
        if (failure instanceof IOException io) {
            throw new UncheckedIOException("the input could not be read to its end: " + io.getMessage(), io);
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        throw (Error) failure;
    }

    /**
     * Reads and drops the rest of the input, so that a reader that can take nothing more from it
     * still consumes it to the end (and a failure of the stream still fails the read).
     */
    void drain() {
        if (closed) {
            return; // closed by the parser at the end of the input: nothing is left to read
        }
        byte[] buffer = new byte[1 << 13];
        try {
            while (read(buffer, 0, buffer.length) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            rethrowIfBroken();
            throw new UncheckedIOException(e);
        }
        rethrowIfBroken();
    }
}
