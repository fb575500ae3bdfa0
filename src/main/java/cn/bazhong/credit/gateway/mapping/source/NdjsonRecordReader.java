package cn.bazhong.credit.gateway.mapping.source;

import cn.bazhong.credit.gateway.validation.Rule;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;

/**
 * One JSON object per line. A line that is not exactly one JSON object (broken JSON, a second
 * object or stray bytes after the first one, a line cut off by the end of the input) is a syntax
 * error for that line only, naming the column; the next line is read. An input whose first line is
 * XML or the start of a JSON array cannot be NDJSON at all: {@link InputUnusableException}.
 */
final class NdjsonRecordReader extends PrefetchingRecordReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedReader in;
    private long line;
    private boolean firstSeen;
    /** Set when the rest of the input cannot be read (a broken document). */
    private boolean finished;

    private final boolean flatten;

    NdjsonRecordReader(Reader in, boolean flatten, GuardedStream stream) {
        super(stream);
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
                    if (!firstSeen) {
                        firstSeen = true;
                        refuseOtherFormats(text);
                    }
                    return parse(line, text);
                }
            }
            finished = true;
            return null;
        } catch (RecordSizeGuard.RecordTooLargeException e) {
            finished = true;
            return lastUnreadable(line + 1, "line " + (line + 1) + ": " + e.getMessage() + "; the rest of the input is not read");
        } catch (IOException e) {
            finished = true;
            stream.rethrowIfBroken();
            throw new UncheckedIOException(e);
        }
    }

    private void refuseOtherFormats(String text) {
        String s = text.strip();
        int column = text.indexOf(s.charAt(0)) + 1;
        if (s.startsWith("\uFEFF")) {
            s = s.substring(1).strip();
        }
        if (s.startsWith("<")) {
            throw new InputUnusableException(Rule.SYNTAX, new InputPosition(line, column, -1),
                    "the input looks like XML, but the feed is NDJSON (one JSON object per line)");
        }
        if (s.startsWith("[")) {
            throw new InputUnusableException(Rule.SYNTAX, new InputPosition(line, column, -1),
                    "the input starts with a JSON array, but the feed is NDJSON: one JSON object per line, no enclosing [ ]");
        }
    }

    private SourceRecord parse(long line, String text) {
        JsonNode node;
        try (JsonParser parser = JSON.createParser(text)) {
            node = JSON.readTree(parser);
            JsonToken after;
            try {
                after = parser.nextToken();
            } catch (JsonProcessingException e) {
                return SourceRecord.unreadable(line, "line " + line + ", column " + JsonRecords.position(e.getLocation()).column()
                        + ": more content after the JSON object, which is not JSON (" + JsonRecords.reason(e)
                        + "); a line holds exactly one JSON object");
            }
            if (after != null) {
                return SourceRecord.unreadable(line, "line " + line + ", column " + parser.currentTokenLocation().getColumnNr()
                        + ": a second JSON value follows the object on the same line; a line holds exactly one JSON object");
            }
        } catch (JsonProcessingException e) {
            long column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            return SourceRecord.unreadable(line, "line " + line + (column > 0 ? ", column " + column : "")
                    + ": not valid JSON: " + JsonRecords.reason(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String cannot fail to be read
        }
        return JsonRecords.toSourceRecord(line, node, flatten);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
