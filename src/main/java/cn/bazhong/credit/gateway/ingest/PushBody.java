package cn.bazhong.credit.gateway.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The body of a REST push as the ingestor reads it: every byte read goes through a SHA-256 digest,
 * and the first failure of the underlying stream (a broken connection, the web layer's size limit) is
 * remembered, so that a reader that takes a failed read for the end of its input cannot make a
 * broken body look whole. Closing it does not close the request's stream (the web layer owns it), so
 * that {@link #finish()} can still read what the reader left.
 */
final class PushBody extends FilterInputStream {

    private final MessageDigest digest;
    private final Runnable progress;
    private Exception failure;

    /** @param progress called now and then while the body is read (the push renews its key's lease) */
    PushBody(InputStream body, Runnable progress) {
        super(body);
        this.progress = progress;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw rethrowable();
        }
        int n;
        try {
            n = super.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e;
        }
        if (n > 0) {
            digest.update(b, off, n);
            progress.run();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // the web layer closes the request's stream
    }

    /**
     * Reads what is left of the body and returns the SHA-256 (hex) of all of it.
     *
     * @throws UncheckedIOException (or the runtime exception itself) if the body failed at any point
     */
    String finish() {
        byte[] buf = new byte[8192];
        try {
            while (read(buf, 0, buf.length) >= 0) {
                // digested by read
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the request body could not be read whole: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private IOException rethrowable() {
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        return (IOException) failure;
    }
}
