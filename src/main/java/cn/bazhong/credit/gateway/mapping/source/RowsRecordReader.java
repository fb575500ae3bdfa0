package cn.bazhong.credit.gateway.mapping.source;

import java.math.BigDecimal;
import java.time.temporal.TemporalAccessor;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Rows of a department's table (format {@code rows}): each row a map of column name to value, as a
 * database feed read them. A row's position is its ordinal in the rows handed over (1 for the first
 * row of a page).
 *
 * <p>Column names are matched like other field names ({@link FieldNames}) and without regard to
 * case, because databases differ in how they fold unquoted names (PostgreSQL and Kingbase to lower
 * case, 达梦 and Oracle to upper case, MySQL as written). Values become text the way the mapping reads
 * text: a decimal without exponent ({@code 1000.00}, never {@code 1E+3}), dates and times in ISO-8601
 * ({@code 2025-03-10}, {@code 2025-03-10T08:30}), SQL NULL as a missing value. A value of another
 * kind (a binary column) makes the row unreadable, with the column named, and so does a row holding more
 * text than a record of a file may ({@link RecordSizeGuard#MAX_RECORD_CHARS} characters). The caller converts its
 * driver's types to these plain ones; nothing here knows JDBC.
 */
public final class RowsRecordReader implements RecordReader {

    private final Iterator<? extends Map<String, ?>> rows;
    private long position;

    RowsRecordReader(Iterator<? extends Map<String, ?>> rows) {
        this.rows = rows;
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public SourceRecord next() {
        if (!rows.hasNext()) {
            throw new NoSuchElementException();
        }
        Map<String, ?> row = rows.next();
        position++;
        Map<String, String> fields = new HashMap<>();
        java.util.List<String> names = new java.util.ArrayList<>();
        long chars = 0;
        for (Map.Entry<String, ?> column : row.entrySet()) {
            Object value = column.getValue();
            String text;
            if (value == null) {
                names.add(column.getKey()); // a column of the table, empty in this row
                continue;
            } else if (value instanceof CharSequence s) {
                text = s.toString();
            } else if (value instanceof BigDecimal d) {
                text = d.toPlainString();
            } else if (value instanceof Number || value instanceof Boolean || value instanceof Character
                    || value instanceof TemporalAccessor) {
                text = value.toString();
            } else {
                return SourceRecord.unreadable(position, "row " + position + ": column " + column.getKey()
                        + " holds a value of kind " + value.getClass().getSimpleName() + ", which is not text, a number, a date or a time");
            }
            chars += text.length();
            if (chars > RecordSizeGuard.MAX_RECORD_CHARS) {
                return SourceRecord.unreadable(position, "row " + position + " holds more than " + RecordSizeGuard.MAX_RECORD_CHARS
                        + " characters of text (at column " + column.getKey() + "), more than one record may have; select fewer or shorter columns");
            }
            fields.put(key(column.getKey()), text);
            names.add(column.getKey());
        }
        return new RowRecord(position, fields, names);
    }

    private static String key(String column) {
        return FieldNames.normalise(column).toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        // the rows are in memory; nothing to release
    }

    private record RowRecord(long position, Map<String, String> fields, java.util.List<String> names) implements SourceRecord {
        @Override
        public String get(String field) {
            return fields.get(key(field));
        }

        /** The row's columns, empty ones too, as the database named them (for {@code mapping draft}). */
        @Override
        public java.util.Collection<String> fieldNames() {
            return names;
        }
    }
}
