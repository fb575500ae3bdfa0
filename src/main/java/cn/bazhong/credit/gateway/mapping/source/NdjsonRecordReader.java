package cn.bazhong.credit.gateway.mapping.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;

/** One JSON object per line. A line that is not a JSON object is a syntax error for that line only. */
final class NdjsonRecordReader extends PrefetchingRecordReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedReader in;
    private long line;
    /** Set when the rest of the input cannot be read (a broken document). */
    private boolean finished;

    private final boolean flatten;

    NdjsonRecordReader(Reader in, boolean flatten) {
        this.flatten = flatten;
        this.in = in instanceof BufferedReader b ? b : new BufferedReader(in);
    }

    @Override
    protected SourceRecord readNext() {
        if (finished) {
            return null;
        }
        try {
            String text;
            while ((text = in.readLine()) != null) {
                line++;
                if (!text.isBlank()) {
                    return parse(line, text);
                }
            }
            finished = true;
            return null;
        } catch (RecordSizeGuard.RecordTooLargeException e) {
            finished = true;
            return SourceRecord.unreadable(line + 1, e.getMessage() + "; the rest of the input is not read");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SourceRecord parse(long line, String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return SourceRecord.unreadable(line, "not valid JSON: " + e.getOriginalMessage());
        }
        return JsonRecords.toSourceRecord(line, node, flatten);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
