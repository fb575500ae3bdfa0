package cn.bazhong.credit.gateway.mapping.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
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
            case NDJSON -> new NdjsonRecordReader(new RecordSizeGuard(decode(in, spec.charset()), false));
            case JSON_ARRAY -> new JsonArrayRecordReader(decode(in, spec.charset()));
            case XML -> new XmlRecordReader(spec, in);
        };
    }

    /**
     * Decodes bytes in the declared charset, dropping a UTF-8 byte-order mark. Bytes that do not
     * decode become U+FFFD, which the mapping reports as an {@code encoding} error on that field.
     */
    static Reader decode(InputStream in, Charset charset) {
        try {
            PushbackInputStream pushback = new PushbackInputStream(in, 3);
            byte[] head = pushback.readNBytes(3);
            boolean bom = head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF;
            if (!bom) {
                pushback.unread(head);
            }
            Charset effective = bom ? StandardCharsets.UTF_8 : charset;
            return new BufferedReader(new InputStreamReader(pushback, effective.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
        } catch (IOException e) {
            throw new InputUnusableException("cannot read the input: " + e.getMessage(), e);
        }
    }
}
