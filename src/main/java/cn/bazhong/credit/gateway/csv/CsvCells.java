package cn.bazhong.credit.gateway.csv;

/**
 * Cells of the CSV files the gateway writes, safe to open in a spreadsheet (OWASP "CSV injection").
 *
 * <p>A text cell that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage
 * return would be taken for a formula by Excel, WPS or LibreOffice; {@link #neutralise} puts an
 * apostrophe in front of it, which spreadsheets show as text and do not display. Only <em>text</em>
 * goes through it: numbers, dates and booleans the gateway formats itself (a count, a rate, an
 * {@code -3}) are written as they are, so that they stay numbers in the spreadsheet; a value that
 * comes from outside (a department code, a name, a message) is always text, whatever it looks like.
 * {@link #text} neutralises and then quotes by RFC 4180 where needed. Plain Java, no dependencies.
 */
public final class CsvCells {

    private CsvCells() {
    }

    /** {@code text} with a leading apostrophe if it starts like a formula; null stays null. */
    public static String neutralise(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        char c = text.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + text : text;
    }

    /** One text cell: neutralised, then quoted (RFC 4180) when it holds a delimiter, a quote or a line break; "" for null. */
    public static String text(String text) {
        return quoted(neutralise(text));
    }

    /**
     * One cell for a value the gateway itself produced (a number, a date, a boolean): quoted where
     * needed, never neutralised, so that {@code -3} stays a number. Anything else is a {@link #text} cell.
     */
    public static String value(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof java.time.temporal.TemporalAccessor) {
            return quoted(value.toString());
        }
        return text(value.toString());
    }

    private static String quoted(String s) {
        if (s == null) {
            return "";
        }
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        return quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
