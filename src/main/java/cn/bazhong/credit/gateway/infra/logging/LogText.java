package cn.bazhong.credit.gateway.infra.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a log line may contain of text the gateway did not write itself: control characters escaped (a
 * request cannot forge a log line with CR/LF), and personal ID numbers masked (first 6 and last 4 shown)
 * wherever they occur, as a last line of defence behind the code that never logs them.
 */
public final class LogText {

    /** GB 11643: region (6), birth date 19xx/20xx (8), sequence (3), check character; not inside a longer code. */
    private static final Pattern ID_NUMBER = Pattern.compile(
            "(?<![0-9A-Za-z])(\\d{6})(?:19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}([0-9Xx])(?![0-9A-Za-z])");
    /** The old 15-digit form: region (6), yyMMdd (6), sequence (3). */
    private static final Pattern OLD_ID_NUMBER = Pattern.compile(
            "(?<![0-9A-Za-z])(\\d{6})\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}(?![0-9A-Za-z])");

    private LogText() {
    }

    /** The text fit for one log line. */
    public static String safe(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return escapeControls(maskIdNumbers(text));
    }

    /** Personal ID numbers in {@code text}, masked. */
    public static String maskIdNumbers(String text) {
        if (text.length() < 15) {
            return text;
        }
        String masked = replace(text, ID_NUMBER.matcher(text), 18);
        return replace(masked, OLD_ID_NUMBER.matcher(masked), 15);
    }

    private static String replace(String text, Matcher m, int length) {
        StringBuilder out = null;
        while (m.find()) {
            out = out == null ? new StringBuilder() : out;
            String id = m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(id.substring(0, 6) + "*".repeat(length - 10) + id.substring(length - 4)));
        }
        if (out == null) {
            return text;
        }
        m.appendTail(out);
        return out.toString();
    }

    /** CR, LF and the other control characters as visible escapes ({@code \r}, {@code \n}, {@code \u0007}). */
    public static String escapeControls(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
            if (control) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(String.format("\\u%04x", (int) c));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
