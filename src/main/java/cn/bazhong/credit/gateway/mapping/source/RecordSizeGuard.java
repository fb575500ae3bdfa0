package cn.bazhong.credit.gateway.mapping.source;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Keeps one record from taking unbounded memory: fails the read once a single record (a line, or
 * for CSV a line outside quotes) grows past a limit. Without it, one stray quote in a CSV file
 * would make the parser hold the whole rest of the file as one field.
 */
final class RecordSizeGuard extends FilterReader {

    /** Longest record accepted, in characters. */
    static final int MAX_RECORD_CHARS = 1 << 20;

    private final boolean quoteAware;
    private boolean inQuotes;
    private long sinceBoundary;

    RecordSizeGuard(Reader in, boolean quoteAware) {
        super(in);
        this.quoteAware = quoteAware;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            track((char) c);
        }
        return c;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        for (int i = off; i < off + n; i++) {
            track(buf[i]);
        }
        return n;
    }

    private void track(char c) throws IOException {
        if (quoteAware && c == '"') {
            inQuotes = !inQuotes;
        }
        if (c == '\n' && !inQuotes) {
            sinceBoundary = 0;
        } else if (++sinceBoundary > MAX_RECORD_CHARS) {
            throw new RecordTooLargeException("a record is longer than " + MAX_RECORD_CHARS
                    + " characters" + (inQuotes ? " (probably a quote that is never closed)" : ""));
        }
    }

    /** Thrown through the parser to the reader, which turns it into a syntax rejection. */
    static final class RecordTooLargeException extends IOException {
        RecordTooLargeException(String message) {
            super(message);
        }
    }
}
