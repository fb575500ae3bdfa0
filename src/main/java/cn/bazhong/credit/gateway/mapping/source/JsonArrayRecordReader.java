package cn.bazhong.credit.gateway.mapping.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Reader;

/**
 * A JSON array of objects, read element by element with Jackson's streaming parser so that only
 * one record is in memory at a time. Positions are 1-based ordinals.
 */
final class JsonArrayRecordReader extends PrefetchingRecordReader {

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build());

    private final JsonParser parser;
    private long ordinal;
    /** Set when the rest of the input cannot be read (a broken document). */
    private boolean finished;

    private final boolean flatten;

    JsonArrayRecordReader(Reader in, boolean flatten) {
        this.flatten = flatten;
        try {
            this.parser = JSON.createParser(in);
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw new InputUnusableException("expected a JSON array of records, but the input starts with "
                        + (first == null ? "nothing" : first.asString() == null ? first.name() : "'" + first.asString() + "'"));
            }
        } catch (IOException e) {
            throw new InputUnusableException("not valid JSON: " + e.getMessage(), e);
        }
    }

    @Override
    protected SourceRecord readNext() {
        if (finished) {
            return null;
        }
        long position = ordinal + 1;
        try {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY || token == null) {
                finished = true;
                return null;
            }
            ordinal = position;
            JsonNode node = JSON.readTree(parser);
            return JsonRecords.toSourceRecord(position, node, flatten);
        } catch (IOException e) {
            finished = true;
            String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            return SourceRecord.unreadable(position, "JSON syntax error, the rest of the input cannot be read: " + reason);
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
