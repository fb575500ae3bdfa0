package cn.bazhong.credit.gateway.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first rows of a department's front-end table, read once for {@code mapping draft}: a plain
 * {@code SELECT *} with a row limit, read-only, through whatever JDBC driver the class path holds. The
 * table name is checked by the caller (a name, nothing else), so nothing can be smuggled into the statement.
 */
final class TableSample {

    private TableSample() {
    }

    static List<Map<String, Object>> read(String url, String user, String password, String table, int limit) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                s.setMaxRows(limit);
                s.setQueryTimeout(60);
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    List<Map<String, Object>> rows = new ArrayList<>();
                    while (rs.next() && rows.size() < limit) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            row.put(meta.getColumnLabel(i), rs.getObject(i));
                        }
                        rows.add(row);
                    }
                    return rows;
                }
            }
        }
    }

    /** A JDBC URL as it may be printed: without a {@code password=} or {@code user=} parameter's value. */
    static String withoutSecrets(String url) {
        return url.replaceAll("(?i)((?:password|pwd|user)=)[^&;]*", "$1…");
    }
}
