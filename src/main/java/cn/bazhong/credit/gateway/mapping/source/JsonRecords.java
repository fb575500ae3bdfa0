package cn.bazhong.credit.gateway.mapping.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns one JSON object into a source record: scalar members become text, null means absent. */
final class JsonRecords {
    private JsonRecords() {
    }

    /** The position of a Jackson location; unknown parts -1. */
    static InputPosition position(JsonLocation at) {
        if (at == null) {
            return new InputPosition(-1, -1, -1);
        }
        return new InputPosition(at.getLineNr(), at.getColumnNr(), at.getCharOffset());
    }

    /** Jackson's message without its own location and source excerpt (the position is reported separately). */
    static String reason(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static SourceRecord toSourceRecord(long position, JsonNode node, boolean flatten) {
        if (node == null || !node.isObject()) {
            return SourceRecord.unreadable(position, "expected a JSON object but found " + describe(node));
        }
        Map<String, String> fields = new LinkedHashMap<>(); // input order, for fieldNames()
        String problem = collect(node, "", flatten, fields);
        return problem == null ? new MapSourceRecord(position, fields) : SourceRecord.unreadable(position, problem);
    }

    /** Puts the members of {@code node} into {@code fields}; returns why it cannot, or null. */
    private static String collect(JsonNode node, String prefix, boolean flatten, Map<String, String> fields) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String name = prefix + FieldNames.normalise(e.getKey());
            if (v.isNull()) {
                continue;
            }
            if (v.isObject() && flatten) {
                String problem = collect(v, name + ".", true, fields);
                if (problem != null) {
                    return problem;
                }
                continue;
            }
            if (v.isContainerNode()) {
                return "member \"" + name + "\" holds a nested " + describe(v) + " where a single value was expected";
            }
            fields.put(name, v.isTextual() ? v.textValue() : v.asText());
        }
        return null;
    }

    private static String describe(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "array";
            case OBJECT -> "object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }
}
