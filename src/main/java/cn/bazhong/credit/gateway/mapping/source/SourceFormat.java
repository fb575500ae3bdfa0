package cn.bazhong.credit.gateway.mapping.source;

/**
 * The file and body formats departments send, and {@link #ROWS}: rows a database feed read from a
 * department's table (column name to value), handed to {@link RowsRecordReader} instead of a stream.
 */
public enum SourceFormat {
    CSV("csv"),
    JSON_ARRAY("json-array"),
    NDJSON("ndjson"),
    XML("xml"),
    ROWS("rows");

    private final String id;

    SourceFormat(String id) {
        this.id = id;
    }

    /** The name used in mapping files. */
    public String id() {
        return id;
    }

    public static SourceFormat byId(String id) {
        for (SourceFormat f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        return null;
    }
}
