package cn.bazhong.credit.gateway.mapping.source;

/**
 * Where in an input something was found, as far as the parser can tell: a 1-based line and column,
 * and a 0-based offset (in characters for JSON and CSV, in bytes for XML and for problems found in
 * the raw bytes). Unknown parts are -1.
 */
public record InputPosition(long line, long column, long offset) {

    /** The very start of the input. */
    public static final InputPosition START = new InputPosition(1, 1, 0);

    public static InputPosition line(long line) {
        return new InputPosition(line, -1, -1);
    }

    public static InputPosition byteOffset(long offset) {
        return new InputPosition(-1, -1, offset);
    }

    /** E.g. {@code line 3, column 17}, {@code byte 0}: the words a message uses. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (line > 0) {
            s.append("line ").append(line);
        }
        if (column > 0) {
            s.append(s.length() > 0 ? ", " : "").append("column ").append(column);
        }
        if (s.length() == 0 && offset >= 0) {
            s.append("byte ").append(offset);
        }
        return s.length() == 0 ? "an unknown position" : s.toString();
    }
}
