package cn.bazhong.credit.gateway.mapping.source;

import cn.bazhong.credit.gateway.validation.Rule;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;

/**
 * A JSON array of objects, read element by element with Jackson's streaming parser so that only
 * one record is in memory at a time. Positions are 1-based ordinals; messages add the line and
 * column. The input is read to its end: anything after the closing {@code ]} other than whitespace
 * (a second array, stray bytes) is a syntax rejection at the next ordinal, and so is an array the
 * input ends inside of; a record cut off by the end of the input is rejected at its own ordinal.
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

    JsonArrayRecordReader(Reader in, boolean flatten, GuardedStream stream) {
        super(stream);
        this.flatten = flatten;
        JsonToken first;
        try {
            this.parser = JSON.createParser(in);
            first = parser.nextToken();
        } catch (JsonProcessingException e) {
            stream.rethrowIfBroken();
            InputPosition at = JsonRecords.position(e.getLocation());
            String reason = JsonRecords.reason(e).contains("'<'")
                    ? "the input looks like XML, but the feed is a JSON array" : "not valid JSON: " + JsonRecords.reason(e);
            throw new InputUnusableException(Rule.SYNTAX, at, reason, e);
        } catch (IOException e) {
            stream.rethrowIfBroken();
            throw new UncheckedIOException(e);
        }
        if (first == null) {
            throw new InputUnusableException(Rule.REQUIRED, InputPosition.START, "the input is empty; a JSON array of records is required");
        }
        if (first != JsonToken.START_ARRAY) {
            throw new InputUnusableException(Rule.SYNTAX, JsonRecords.position(parser.currentTokenLocation()),
                    "expected a JSON array of records, but the input starts with " + describe(first));
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object ('{'): send the records inside [ ]";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }

    @Override
    protected SourceRecord readNext() {
        if (finished) {
            return null;
        }
        long position = ordinal + 1;
        try {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                finished = true;
                return trailing(position);
            }
            if (token == null) { // Jackson reports an unclosed array as an error; kept for safety
                finished = true;
                return lastUnreadable(position, "the input ends at " + JsonRecords.position(parser.currentLocation())
                        + " before the JSON array is closed with ']': it may have been cut off");
            }
            ordinal = position;
            JsonNode node = JSON.readTree(parser);
            return JsonRecords.toSourceRecord(position, node, flatten);
        } catch (JsonProcessingException e) {
            finished = true;
            stream.rethrowIfBroken();
            return lastUnreadable(position, "JSON syntax error at " + JsonRecords.position(e.getLocation()) + ": " + JsonRecords.reason(e)
                    + "; the rest of the input cannot be read");
        } catch (IOException e) {
            finished = true;
            stream.rethrowIfBroken();
            throw new UncheckedIOException(e);
        }
    }

    /** After the closing ']': only whitespace may follow. Returns null at the end, else a syntax rejection. */
    private SourceRecord trailing(long position) throws IOException {
        InputPosition end = JsonRecords.position(parser.currentTokenLocation());
        try {
            JsonToken next = parser.nextToken();
            if (next == null) {
                return null;
            }
            return lastUnreadable(position, "more content at " + JsonRecords.position(parser.currentTokenLocation())
                    + " after the JSON array that ends at " + end + " (" + describe(next) + "): a feed is one JSON array;"
                    + " nothing after it is taken");
        } catch (JsonProcessingException e) {
            stream.rethrowIfBroken();
            return lastUnreadable(position, "more content at " + JsonRecords.position(e.getLocation()) + " after the JSON array that ends at "
                    + end + ", which is not even JSON (" + JsonRecords.reason(e) + "): a feed is one JSON array; nothing after it is taken");
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
