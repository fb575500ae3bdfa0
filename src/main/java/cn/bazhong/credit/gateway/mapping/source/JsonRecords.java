package cn.bazhong.credit.gateway.mapping.source;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** Turns one JSON object into a source record: scalar members become text, null means absent. */
final class JsonRecords {
    private JsonRecords() {
    }

    static SourceRecord toSourceRecord(long position, JsonNode node) {
        if (node == null || !node.isObject()) {
            return SourceRecord.unreadable(position, "expected a JSON object but found " + describe(node));
        }
        Map<String, String> fields = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (v.isContainerNode()) {
                return SourceRecord.unreadable(position,
                        "member \"" + e.getKey() + "\" holds a nested " + describe(v) + " where a single value was expected");
            }
            fields.put(FieldNames.normalise(e.getKey()), v.isTextual() ? v.textValue() : v.asText());
        }
        return new MapSourceRecord(position, fields);
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
