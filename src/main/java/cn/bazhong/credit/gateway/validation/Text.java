package cn.bazhong.credit.gateway.validation;

import java.util.Locale;

/**
 * Character-level clean-up of raw field values from departmental feeds.
 *
 * <p>All methods return their argument unchanged (the same instance) when nothing needs changing,
 * so the common case of already-clean data allocates nothing.
 */
public final class Text {

    private static final char FULL_WIDTH_FIRST = '\uFF01';
    private static final char FULL_WIDTH_LAST = '\uFF5E';
    private static final int FULL_WIDTH_OFFSET = 0xFEE0;
    private static final char IDEOGRAPHIC_SPACE = '\u3000';
    private static final char REPLACEMENT = '\uFFFD';

    private Text() {
    }

    /**
     * Cleans free text (names, addresses, reasons) without changing its meaning.
     *
     * <ul>
     *   <li>removes the byte-order mark U+FEFF and the zero-width characters U+200B, U+200C,
     *       U+200D and U+2060 wherever they occur;
     *   <li>converts full-width digits and Latin letters (U+FF10–FF19, U+FF21–FF3A, U+FF41–FF5A)
     *       to ASCII; full-width punctuation such as （）〔〕，。、；： is left alone because it is
     *       normal in Chinese text;
     *   <li>trims leading and trailing whitespace: anything {@link Character#isWhitespace} accepts
     *       (space, tab, CR, LF, ideographic space U+3000, …) plus the no-break spaces U+00A0,
     *       U+2007 and U+202F. Whitespace inside the value is kept.
     * </ul>
     *
     * @return the cleaned value, or {@code null} if {@code raw} is null or nothing is left
     */
    public static String clean(String raw) {
        if (raw == null) {
            return null;
        }
        int length = raw.length();
        int start = 0;
        int end = length;
        while (start < end && isTrimmable(raw.charAt(start))) {
            start++;
        }
        while (end > start && isTrimmable(raw.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return null;
        }
        int i = start;
        while (i < end && !needsCleaning(raw.charAt(i))) {
            i++;
        }
        if (i == end) {
            return start == 0 && end == length ? raw : raw.substring(start, end);
        }
        StringBuilder out = new StringBuilder(end - start);
        out.append(raw, start, i);
        for (; i < end; i++) {
            char c = raw.charAt(i);
            if (isInvisible(c)) {
                continue;
            }
            out.append(isFullWidthAlphanumeric(c) ? (char) (c - FULL_WIDTH_OFFSET) : c);
        }
        // The first and last kept characters are not trimmable, hence not invisible: never empty.
        return out.toString();
    }

    /**
     * Converts every full-width ASCII variant (U+FF01–FF5E, including punctuation such as
     * （，：－／) to its ASCII counterpart (U+0021–007E), and the ideographic space U+3000 to an
     * ASCII space. Intended for codes, dates, numbers and vocabulary values, not free text.
     *
     * @return the converted value; {@code null} if {@code s} is null
     */
    public static String halfWidth(String s) {
        if (s == null) {
            return null;
        }
        int length = s.length();
        int i = 0;
        while (i < length && !isHalfWidthable(s.charAt(i))) {
            i++;
        }
        if (i == length) {
            return s;
        }
        char[] chars = s.toCharArray();
        for (; i < length; i++) {
            char c = chars[i];
            if (c >= FULL_WIDTH_FIRST && c <= FULL_WIDTH_LAST) {
                chars[i] = (char) (c - FULL_WIDTH_OFFSET);
            } else if (c == IDEOGRAPHIC_SPACE) {
                chars[i] = ' ';
            }
        }
        return new String(chars);
    }

    /**
     * Normalises an identifier (credit code, organisation code, identity number): {@link #clean},
     * then {@link #halfWidth}, then removes all whitespace anywhere in the value, then upper-cases
     * it ({@link Locale#ROOT}). Done in a single pass.
     *
     * @return the normalised code, or {@code null} if {@code raw} is null or nothing is left
     */
    public static String code(String raw) {
        if (raw == null) {
            return null;
        }
        int length = raw.length();
        int i = 0;
        while (i < length) {
            char c = raw.charAt(i);
            if (c <= ' ' || c > '~' || (c >= 'a' && c <= 'z')) {
                break;
            }
            i++;
        }
        if (i == length) {
            return length == 0 ? null : raw;
        }
        StringBuilder out = new StringBuilder(length);
        out.append(raw, 0, i);
        boolean nonAscii = false;
        for (; i < length; i++) {
            char c = raw.charAt(i);
            if (c >= FULL_WIDTH_FIRST && c <= FULL_WIDTH_LAST) {
                c = (char) (c - FULL_WIDTH_OFFSET);
            }
            if (isSpace(c) || isInvisible(c)) {
                continue;
            }
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - ('a' - 'A'));
            } else if (c > '~') {
                nonAscii = true;
            }
            out.append(c);
        }
        if (out.length() == 0) {
            return null;
        }
        String result = out.toString();
        return nonAscii ? result.toUpperCase(Locale.ROOT) : result;
    }

    /**
     * Returns true if {@link #clean} would return null for {@code raw}: it is null, empty, or
     * holds nothing but whitespace, byte-order marks and zero-width characters. Stops at the first
     * character that would be kept, so a non-blank value costs one or two comparisons and no
     * allocation.
     */
    public static boolean isBlank(String raw) {
        if (raw == null) {
            return true;
        }
        int length = raw.length();
        for (int i = 0; i < length; i++) {
            if (!isTrimmable(raw.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code text} if it has at most {@code max} characters, else its first {@code max} followed by an ellipsis;
     * null stays null. For a message that may quote its input at any length (a reason, a log line, a problem detail).
     */
    public static String shorten(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
    }

    /**
     * Returns true if {@code s} contains the replacement character U+FFFD, the mark a decoder
     * leaves where a byte sequence was not valid in the declared encoding (typically a GBK file
     * read as UTF-8). False for null.
     */
    public static boolean hasReplacementChar(String s) {
        return s != null && s.indexOf(REPLACEMENT) >= 0;
    }

    /**
     * Returns the index of the first control character in {@code s}, or -1 if there is none (or
     * {@code s} is null). Control characters here are the C0 controls U+0000–U+001F except tab
     * U+0009, line feed U+000A and carriage return U+000D; DEL U+007F; and the C1 controls
     * U+0080–U+009F. None of them belongs in a name or a text of a credit record: C0 controls and DEL
     * can corrupt terminals, logs and downstream files, and C1 controls in Chinese text are the trace
     * of a wrong decoding (Latin-1 or Windows-1252 bytes read as Unicode). {@link #clean} does not
     * remove them: it only trims whitespace at the ends and drops zero-width characters.
     */
    public static int controlCharIndex(String s) {
        if (s == null) {
            return -1;
        }
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < ' ' ? c != '\t' && c != '\n' && c != '\r' : c >= '\u007F' && c <= '\u009F') {
                return i;
            }
        }
        return -1;
    }

    /** Renders a character as {@code U+0007} for a message. */
    public static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }

    /** Whitespace for trimming and code normalisation, including the no-break spaces. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F';
    }

    /** Byte-order mark and zero-width characters, removed everywhere. */
    static boolean isInvisible(char c) {
        return c == '\uFEFF' || (c >= '\u200B' && c <= '\u200D') || c == '\u2060';
    }

    /**
     * Renders one character for a message: {@code 'Z'} for a visible character, {@code U+0009}
     * for control, whitespace, invisible and replacement characters.
     */
    static String show(char c) {
        if (c < ' ' || c == '\u007F' || isSpace(c) || isInvisible(c) || c == REPLACEMENT
                || Character.isISOControl(c) || Character.isSurrogate(c)) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    /**
     * {@link #isSpace} or {@link #isInvisible}. Printable ASCII and everything from U+3001 to
     * U+FEFE (CJK punctuation and ideographs, the bulk of Chinese feed text) return after two
     * comparisons, without the {@link Character#isWhitespace} table lookup: no character in those
     * ranges is whitespace or invisible. U+3000, the ideographic space, is still trimmable.
     */
    static boolean isTrimmable(char c) {
        if ((c > ' ' && c < '\u007F') || (c > '\u3000' && c < '\uFEFF')) {
            return false;
        }
        return isSpace(c) || isInvisible(c);
    }

    /**
     * True for the characters {@link #clean} removes or converts inside a value: {@link
     * #isInvisible} and {@link #isFullWidthAlphanumeric}. Ordered so that ASCII, Latin, CJK
     * ideographs and CJK punctuation (everything below U+200B, and from U+2061 to U+FEFE) return
     * after at most three comparisons.
     */
    private static boolean needsCleaning(char c) {
        if (c < '\u200B') {
            return false;
        }
        if (c <= '\u2060') {
            return c <= '\u200D' || c == '\u2060';
        }
        if (c < '\uFEFF') {
            return false;
        }
        return c == '\uFEFF' || isFullWidthAlphanumeric(c);
    }

    private static boolean isFullWidthAlphanumeric(char c) {
        return (c >= '\uFF10' && c <= '\uFF19')
                || (c >= '\uFF21' && c <= '\uFF3A')
                || (c >= '\uFF41' && c <= '\uFF5A');
    }

    private static boolean isHalfWidthable(char c) {
        return (c >= FULL_WIDTH_FIRST && c <= FULL_WIDTH_LAST) || c == IDEOGRAPHIC_SPACE;
    }
}
