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
 * Reads records one by one. {@link #next()} never throws for bad data: a record that cannot be
 * read comes back with a {@link SourceRecord#syntaxError()}. When the format makes the rest of the
 * input unreadable (a broken XML or JSON document), that record is the last one.
 */
public interface RecordReader extends Iterator<SourceRecord>, AutoCloseable {

    @Override
    void close() throws IOException;

    /** Opens a reader for the spec over the stream; the reader owns the stream from then on. */
    static RecordReader open(SourceSpec spec, InputStream in) {
        return switch (spec.format()) {
            case CSV -> new CsvRecordReader(spec, new RecordSizeGuard(decode(in, spec.charset()), true));
            case NDJSON -> new NdjsonRecordReader(new RecordSizeGuard(decode(in, spec.charset()), false), spec.flatten());
            case JSON_ARRAY -> new JsonArrayRecordReader(decode(in, spec.charset()), spec.flatten());
            case XML -> new XmlRecordReader(spec, in);
        };
    }

    /**
     * Decodes bytes in the declared charset and drops a UTF-8 byte-order mark. A file that starts
     * with a UTF-8 BOM although its feed is declared in another charset is read as UTF-8 when its
     * first 64 KiB are valid UTF-8 (an export saved as UTF-8), else in the declared charset (a BOM
     * put in front of GBK text). Bytes that do not decode become U+FFFD, which the mapping reports
     * as an {@code encoding} error on that field.
     */
    static Reader decode(InputStream in, Charset charset) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
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
            throw new InputUnusableException("cannot read the input: " + e.getMessage(), e);
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
