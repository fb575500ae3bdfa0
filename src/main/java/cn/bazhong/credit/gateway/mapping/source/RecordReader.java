package cn.bazhong.credit.gateway.mapping.source;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * Reads records one by one, to the end of the input. {@link #next()} never throws for bad data: a
 * record that cannot be read comes back with a {@link SourceRecord#syntaxError()} naming its position
 * (line and column where the parser gives them). Content after the last record that is not a record
 * (a second JSON array, a second object on an NDJSON line, text after the XML root element) is such a
 * syntax record too, and so is a record cut off by the end of the input. When the format makes the
 * rest of the input unreadable (a broken XML or JSON document, a CSV quote the lexer cannot get past),
 * that syntax record is the last one and the rest of the input is read and dropped.
 *
 * <p>Two kinds of failure are exceptions instead: an input that cannot be used at all is an {@link
 * InputUnusableException} (with rule and position), and a failure of the stream itself (a broken
 * connection, a body-size limit) propagates unchanged (an {@link IOException} inside an {@link
 * java.io.UncheckedIOException}, a runtime exception as it is), so that the whole source fails and is
 * not acknowledged.
 */
public interface RecordReader extends Iterator<SourceRecord>, AutoCloseable {

    @Override
    void close() throws IOException;

    /** Opens a reader for the spec over the stream; the reader owns the stream from then on. */
    static RecordReader open(SourceSpec spec, InputStream in) {
        if (spec.format() == SourceFormat.ROWS) {
            throw new IllegalArgumentException("a rows source is read from a database feed's rows (RecordReader.rows), not from a stream");
        }
        GuardedStream guarded = new GuardedStream(in);
        BufferedInputStream buffered = new BufferedInputStream(guarded, 1 << 16);
        try {
            InputChecks.refuseForeignEncoding(buffered, spec);
            if (spec.format() != SourceFormat.NDJSON && (spec.format() != SourceFormat.CSV || spec.header())) {
                InputChecks.refuseEmpty(buffered, spec.format());
            }
            return switch (spec.format()) {
                case CSV -> new CsvRecordReader(spec, new RecordSizeGuard(decode(buffered, spec.charset(), guarded), true), guarded);
                case NDJSON -> new NdjsonRecordReader(new RecordSizeGuard(decode(buffered, spec.charset(), guarded), false),
                        spec.flatten(), guarded);
                case JSON_ARRAY -> new JsonArrayRecordReader(decode(buffered, spec.charset(), guarded), spec.flatten(), guarded);
                case XML -> new XmlRecordReader(spec, decode(buffered, spec.charset(), guarded), guarded);
                case ROWS -> throw new IllegalStateException("refused above");
            };
        } catch (RuntimeException e) {
            guarded.rethrowIfBroken(); // a failure of the stream comes out as it is, however a parser wrapped it
            throw e;
        }
    }

    /**
     * Reads rows already fetched (a database feed's page): each row maps column names to plain Java
     * values (strings, numbers, booleans, {@code java.time} dates and times); see {@link RowsRecordReader}.
     */
    static RecordReader rows(Iterable<? extends java.util.Map<String, ?>> rows) {
        return new RowsRecordReader(rows.iterator());
    }

    /**
     * Decodes bytes in the declared charset and drops a UTF-8 byte-order mark. A file that starts
     * with a UTF-8 BOM although its feed is declared in another charset is read as UTF-8 when its
     * first 64 KiB are valid UTF-8 (an export saved as UTF-8), else in the declared charset (a BOM
     * put in front of GBK text). Bytes that do not decode become U+FFFD, which the mapping reports
     * as an {@code encoding} error on that field.
     */
    static Reader decode(InputStream in, Charset charset) {
        GuardedStream guarded = new GuardedStream(in);
        return decode(new BufferedInputStream(guarded, 1 << 16), charset, guarded);
    }

    private static Reader decode(BufferedInputStream buffered, Charset charset, GuardedStream guarded) {
        try {
            buffered.mark(3);
            byte[] head = buffered.readNBytes(3);
            boolean bom = head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF;
            if (!bom) {
                buffered.reset();
            }
            Charset effective = charset;
            if (bom && !StandardCharsets.UTF_8.equals(charset) && looksLikeUtf8(buffered)) {
                effective = StandardCharsets.UTF_8;
            }
            return new BufferedReader(new InputStreamReader(buffered, effective.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
        } catch (IOException e) {
            guarded.rethrowIfBroken();
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean looksLikeUtf8(BufferedInputStream in) throws IOException {
        int window = 1 << 16;
        in.mark(window);
        byte[] sample = in.readNBytes(window - 4);
        in.reset();
        int end = sample.length;
        // do not judge a multi-byte character cut off by the end of the sample
        int back = 0;
        while (back < 3 && end - back - 1 >= 0 && (sample[end - back - 1] & 0xC0) == 0x80) {
            back++;
        }
        if (end - back - 1 >= 0 && (sample[end - back - 1] & 0xC0) == 0xC0) {
            end = end - back - 1;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(sample, 0, end));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
