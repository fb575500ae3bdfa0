package cn.bazhong.credit.simulators.province;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pushed batch, checked for shape: every top-level field and every record's {@code recordId},
 * {@code version}, {@code operation} and {@code data}. Unknown extra fields are ignored.
 */
record BatchDocument(String batchId, ReceivedBatch.SourceUnit sourceUnit, String dataset, List<Entry> records) {

    static final List<String> DATASETS = List.of("ADMIN_PENALTY", "ADMIN_LICENSE", "LIST_ENTRY", "MEASURE_FEEDBACK");
    static final Set<String> OPERATIONS = Set.of("UPSERT", "WITHDRAW");
    static final String SCHEMA_VERSION = "2021";

    /** One record of the batch. */
    record Entry(String recordId, String version, String operation, Map<String, Object> data) {
    }

    /** The batch cannot be taken; {@code status} is 400 or 413. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Reads a parsed body.
     *
     * @param root           the parsed JSON
     * @param idempotencyKey the {@code Idempotency-Key} header, may be null
     * @param maxRecords     more records than this is a 413
     */
    static BatchDocument read(Object root, String idempotencyKey, int maxRecords) throws Refused {
        Map<String, Object> body = object(root, "the body");
        String batchId = text(body, "batchId", "batchId");
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw bad("Idempotency-Key header is missing; it must equal batchId");
        }
        if (!idempotencyKey.equals(batchId)) {
            throw bad("Idempotency-Key header '" + idempotencyKey + "' does not equal batchId '" + batchId + "'");
        }
        Map<String, Object> unit = object(body.get("sourceUnit"), "sourceUnit");
        ReceivedBatch.SourceUnit sourceUnit = new ReceivedBatch.SourceUnit(
                text(unit, "name", "sourceUnit.name"), text(unit, "uscc", "sourceUnit.uscc"));
        String dataset = text(body, "dataset", "dataset");
        if (!DATASETS.contains(dataset)) {
            throw bad("dataset '" + dataset + "' is unknown; expected one of " + String.join(", ", DATASETS));
        }
        Object schemaVersion = body.get("schemaVersion");
        if (schemaVersion == null) {
            throw bad("schemaVersion is missing; expected \"" + SCHEMA_VERSION + "\"");
        }
        if (!SCHEMA_VERSION.equals(schemaVersion)) {
            throw bad("schemaVersion " + Json.utf8(Json.write(schemaVersion)) + " is not supported; expected \"" + SCHEMA_VERSION + "\"");
        }
        if (!(body.get("records") instanceof List<?> list)) {
            throw bad(body.get("records") == null ? "records is missing" : "records must be a JSON array");
        }
        if (list.isEmpty()) {
            throw bad("records is empty; a batch carries at least one record");
        }
        if (list.size() > maxRecords) {
            throw new Refused(413, "batch has " + list.size() + " records, more than the limit of " + maxRecords + "; split it");
        }
        List<Entry> entries = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String at = "records[" + i + "]";
            Map<String, Object> record = object(list.get(i), at);
            String operation = text(record, "operation", at + ".operation");
            if (!OPERATIONS.contains(operation)) {
                throw bad(at + ".operation '" + operation + "' is unknown; expected UPSERT or WITHDRAW");
            }
            entries.add(new Entry(text(record, "recordId", at + ".recordId"), text(record, "version", at + ".version"),
                    operation, object(record.get("data"), at + ".data")));
        }
        return new BatchDocument(batchId, sourceUnit, dataset, List.copyOf(entries));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) throws Refused {
        if (value == null) {
            throw bad(what + " is missing");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw bad(what + " must be a JSON object");
        }
        return (Map<String, Object>) map;
    }

    private static String text(Map<String, Object> in, String key, String what) throws Refused {
        Object value = in.get(key);
        if (value == null) {
            throw bad(what + " is missing");
        }
        if (!(value instanceof String s) || s.isBlank()) {
            throw bad(what + " must be a non-empty string");
        }
        return s;
    }

    private static Refused bad(String message) {
        return new Refused(400, message);
    }
}
