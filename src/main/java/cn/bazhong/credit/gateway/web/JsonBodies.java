package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * The small JSON documents the API takes (answers to initiations, decisions): read whole, with nothing
 * after the document, and refused with 400 naming the line and column when they are not JSON.
 */
final class JsonBodies {

    private static final ObjectReader READER = RecordJson.mapper().readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {
    }

    /** The body as a JSON object; 400 when it is empty, not JSON or not an object. */
    static JsonNode object(HttpServletRequest request) throws IOException {
        JsonNode node = read(request, true);
        if (!node.isObject()) {
            throw new HttpProblem(400, "wrong-shape", "the body must be a JSON object, not " + node.getNodeType().name().toLowerCase());
        }
        return node;
    }

    /** The body as any JSON value; 400 when it is empty or not JSON. */
    static JsonNode any(HttpServletRequest request) throws IOException {
        return read(request, true);
    }

    /** The body as a JSON object, or an empty object when there is no body. */
    static JsonNode optionalObject(HttpServletRequest request) throws IOException {
        JsonNode node = read(request, false);
        if (node == null) {
            return RecordJson.mapper().createObjectNode();
        }
        if (!node.isObject()) {
            throw new HttpProblem(400, "wrong-shape", "the body must be a JSON object, not " + node.getNodeType().name().toLowerCase());
        }
        return node;
    }

    private static JsonNode read(HttpServletRequest request, boolean required) throws IOException {
        PushbackInputStream in = new PushbackInputStream(request.getInputStream(), 1);
        int first = in.read();
        if (first < 0) {
            if (required) {
                throw new HttpProblem(400, "empty-body", "the request has no body; send a JSON object");
            }
            return null;
        }
        in.unread(first);
        try {
            return READER.readValue((InputStream) in);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String position = at == null ? null : "line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new HttpProblem(400, "syntax", "the body is not JSON" + (position == null ? "" : " (" + position + ")")
                    + ": " + e.getOriginalMessage()).with("position", position).with("rule", "syntax");
        }
    }

    static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
