package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;

/**
 * The province's pushed list updates (one document, an array of them, or a page
 * {@code {"updates": [...]}}) as NDJSON, the format of the {@code province-list-updates} mapping: one
 * document at a time is held, whatever the size of the body.
 */
final class ListUpdateLines extends InputStream {

    private static final ObjectMapper JSON = RecordJson.mapper();

    private enum State { START, ARRAY, PAGE, DONE }

    private final JsonParser parser;
    private State state = State.START;
    private byte[] line = new byte[0];
    private int pos;

    ListUpdateLines(InputStream body) throws IOException {
        this.parser = JSON.getFactory().createParser(body);
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return line[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, line.length - pos);
        System.arraycopy(line, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Makes the next line ready; false at the end of the body. */
    private boolean fill() throws IOException {
        while (pos == line.length) {
            switch (state) {
                case START -> start();
                case ARRAY, PAGE -> nextInArray();
                case DONE -> {
                    return false;
                }
            }
        }
        return true;
    }

    private void start() throws IOException {
        JsonToken first = parser.nextToken();
        if (first == JsonToken.START_ARRAY) {
            state = State.ARRAY;
            return;
        }
        if (first != JsonToken.START_OBJECT) {
            throw new JsonParseException(parser, "the body is not a list update document, an array of them or {\"updates\": [...]}");
        }
        ObjectNode fields = JSON.createObjectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("updates".equals(name) && value == JsonToken.START_ARRAY) {
                state = State.PAGE; // a page: its other fields are not updates
                return;
            }
            fields.set(name, JSON.readTree(parser));
        }
        emit(fields);
        state = State.DONE;
    }

    private void nextInArray() throws IOException {
        JsonToken t = parser.nextToken();
        if (t == null) {
            throw new JsonParseException(parser, "the body ends inside the array of updates");
        }
        if (t == JsonToken.END_ARRAY) {
            if (state == State.PAGE) {
                while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    parser.nextToken();
                    parser.skipChildren();
                }
            }
            state = State.DONE;
            return;
        }
        JsonNode doc = JSON.readTree(parser);
        emit(doc);
    }

    private void emit(JsonNode doc) throws IOException {
        byte[] json = JSON.writeValueAsBytes(doc);
        line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        pos = 0;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
