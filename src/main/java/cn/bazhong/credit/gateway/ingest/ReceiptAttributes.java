package cn.bazhong.credit.gateway.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.hazelcast.query.extractor.ValueCollector;
import com.hazelcast.query.extractor.ValueExtractor;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/**
 * The indexed attributes of a stored receipt (its JSON), for the receipt search: read from the head of
 * the JSON with a streaming parser, which stops once it has what it needs, so that indexing a receipt
 * does not read its rejections.
 * <ul>
 *   <li>{@code receivedAt}: epoch milliseconds (sorted index: a period of all departments);</li>
 *   <li>{@code departmentAt}: {@code DEPARTMENT|} and the received time as 13 digits (sorted index: a
 *       department's receipts in the order they came, one range per period);</li>
 *   <li>{@code feedAt}: the same for a feed;</li>
 *   <li>{@code department}, and {@code troubled}: whether any record was rejected, here or by the
 *       province (not indexed: tested on the receipts a range names).</li>
 * </ul>
 */
public final class ReceiptAttributes {

    public static final String RECEIVED_AT = "receivedAt";
    public static final String DEPARTMENT_AT = "departmentAt";
    public static final String FEED_AT = "feedAt";
    public static final String DEPARTMENT = "department";
    public static final String TROUBLED = "troubled";

    private static final JsonFactory JSON = new JsonFactory();

    private ReceiptAttributes() {
    }

    /** The value of {@code departmentAt} or {@code feedAt} for a department or feed at an epoch millisecond. */
    public static String at(String scope, long epochMilli) {
        return scope.toUpperCase(Locale.ROOT) + "|" + String.format(Locale.ROOT, "%013d", Math.max(0, epochMilli));
    }

    /** The head of a receipt: what the indexes need. */
    record Head(String department, String feed, long receivedAt, boolean troubled) {
    }

    static Head head(String json, boolean troubles) {
        String department = null;
        String feed = null;
        long receivedAt = -1;
        boolean troubled = false;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Head(null, null, -1, false);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "department" -> department = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "feed" -> feed = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "receivedAt" -> receivedAt = value == JsonToken.VALUE_STRING ? Instant.parse(p.getText()).toEpochMilli() : -1;
                    case "rejectedTotal", "upstreamTotal" -> troubled |= value.isNumeric() && p.getLongValue() > 0;
                    case "rejected", "upstream" -> {
                        if (value == JsonToken.START_ARRAY && p.nextToken() != JsonToken.END_ARRAY) {
                            troubled = true;
                            skipRestOfArray(p);
                        }
                    }
                    default -> p.skipChildren();
                }
                if (!troubles && department != null && feed != null && receivedAt >= 0) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable receipt is found by nothing
        }
        return new Head(department, feed, receivedAt, troubled);
    }

    private static void skipRestOfArray(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
            p.skipChildren();
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
        }
    }

    public static final class ReceivedAt implements ValueExtractor<String, Object> {
        @Override
        public void extract(String json, Object argument, ValueCollector<Object> collector) {
            Head h = head(json, false);
            if (h.receivedAt() >= 0) {
                collector.addObject(h.receivedAt());
            }
        }
    }

    public static final class DepartmentAt implements ValueExtractor<String, Object> {
        @Override
        public void extract(String json, Object argument, ValueCollector<Object> collector) {
            Head h = head(json, false);
            if (h.department() != null && h.receivedAt() >= 0) {
                collector.addObject(at(h.department(), h.receivedAt()));
            }
        }
    }

    public static final class FeedAt implements ValueExtractor<String, Object> {
        @Override
        public void extract(String json, Object argument, ValueCollector<Object> collector) {
            Head h = head(json, false);
            if (h.feed() != null && h.receivedAt() >= 0) {
                collector.addObject(at(h.feed(), h.receivedAt()));
            }
        }
    }

    public static final class Department implements ValueExtractor<String, Object> {
        @Override
        public void extract(String json, Object argument, ValueCollector<Object> collector) {
            String d = head(json, false).department();
            collector.addObject(d == null ? "" : d.toUpperCase(Locale.ROOT));
        }
    }

    public static final class Troubled implements ValueExtractor<String, Object> {
        @Override
        public void extract(String json, Object argument, ValueCollector<Object> collector) {
            collector.addObject(head(json, true).troubled());
        }
    }
}
