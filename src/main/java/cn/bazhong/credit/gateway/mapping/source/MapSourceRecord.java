package cn.bazhong.credit.gateway.mapping.source;

import java.util.Map;

/** A source record backed by a map of field name to value (JSON and XML records). */
record MapSourceRecord(long position, Map<String, String> fields) implements SourceRecord {

    @Override
    public String get(String field) {
        return fields.get(field);
    }

    @Override
    public java.util.Collection<String> fieldNames() {
        return java.util.Collections.unmodifiableSet(fields.keySet());
    }
}
