package cn.bazhong.credit.gateway.mapping.source;

/**
 * One record as the department sent it: field values by the department's own field names.
 * {@code position} is the line the record starts on (CSV, header = line 1; NDJSON) or its 1-based
 * ordinal (JSON array, XML record elements).
 */
public interface SourceRecord {

    long position();

    /** The raw value of a field, or null when the record has no such field. */
    String get(String field);

    /**
     * The names of the fields the record holds, in the order of the input where the format keeps one (CSV
     * columns, JSON members, XML child elements and {@code @attributes}); names as they are matched
     * ({@link FieldNames#normalise}). Empty for a record that could not be read.
     */
    default java.util.Collection<String> fieldNames() {
        return java.util.List.of();
    }

    /** Why the record could not be read, or null when it was read. */
    default String syntaxError() {
        return null;
    }

    static SourceRecord unreadable(long position, String reason) {
        return new SourceRecord() {
            @Override
            public long position() {
                return position;
            }

            @Override
            public String get(String field) {
                return null;
            }

            @Override
            public String syntaxError() {
                return reason;
            }
        };
    }
}
