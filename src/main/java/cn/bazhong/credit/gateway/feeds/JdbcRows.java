package cn.bazhong.credit.gateway.feeds;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Clob;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a page as the mapping reads them: JDBC's own types (timestamps, dates, large text)
 * become plain Java values, so that no driver type reaches the mapping package.
 */
public final class JdbcRows {

    private JdbcRows() {
    }

    public static List<Map<String, Object>> plain(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> plain = new LinkedHashMap<>();
            row.forEach((column, value) -> plain.put(column, plain(value)));
            out.add(plain);
        }
        return out;
    }

    static Object plain(Object value) {
        if (value instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (value instanceof java.sql.Time t) {
            return t.toLocalTime();
        }
        if (value instanceof Clob c) {
            try (Reader r = c.getCharacterStream()) {
                StringBuilder s = new StringBuilder();
                char[] buffer = new char[8192];
                for (int n; (n = r.read(buffer)) > 0; ) {
                    s.append(buffer, 0, n);
                }
                return s.toString();
            } catch (SQLException | IOException e) {
                throw new IllegalStateException("cannot read a text column: " + e.getMessage(), e);
            }
        }
        if (value == null || value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof java.time.temporal.TemporalAccessor || value instanceof byte[] || value instanceof java.sql.Blob) {
            return value; // a binary column stays binary: the mapping refuses the row, naming the column
        }
        return value.toString(); // e.g. a UUID or a driver's JSON object
    }

    /** The characters of text a row holds (its values as the mapping reads them; binary values by their length). */
    static long chars(Map<String, Object> row) {
        long n = 0;
        for (Object v : row.values()) {
            if (v instanceof CharSequence s) {
                n += s.length();
            } else if (v instanceof byte[] b) {
                n += b.length;
            } else if (v != null) {
                n += v.toString().length();
            }
        }
        return n;
    }

    /** The value of a column, whatever case the database gave its name. */
    static Object column(Map<String, Object> row, String name) {
        Object v = row.get(name);
        if (v != null || row.containsKey(name)) {
            return v;
        }
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        throw new IllegalStateException("the rows have no column " + name + " (columns: " + row.keySet() + ")");
    }

    /** An update time as a local date-time, from the kinds drivers return for timestamp columns. */
    static LocalDateTime time(Object value, String column) {
        if (value instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        if (value instanceof LocalDateTime t) {
            return t;
        }
        if (value instanceof OffsetDateTime t) {
            return t.atZoneSameInstant(java.time.ZoneId.systemDefault()).toLocalDateTime();
        }
        if (value instanceof ZonedDateTime t) {
            return t.withZoneSameInstant(java.time.ZoneId.systemDefault()).toLocalDateTime();
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate().atStartOfDay();
        }
        throw new IllegalStateException("update column " + column + " must be a timestamp (or date-time) column that is never NULL; found "
                + (value == null ? "NULL" : value.getClass().getSimpleName()));
    }

    /** A key as the watermark keeps it. */
    static String key(Object value, String column) {
        if (value == null) {
            throw new IllegalStateException("key column " + column + " is NULL in a row; the key must never be NULL");
        }
        return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    }
}
