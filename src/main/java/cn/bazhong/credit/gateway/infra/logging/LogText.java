package cn.bazhong.credit.gateway.infra.logging;

import cn.bazhong.credit.gateway.validation.IdNumbers;

/**
 * What a log line may contain of text the gateway did not write itself: control characters escaped (a
 * request cannot forge a log line with CR/LF), and personal ID numbers masked (first 6 and last 4 shown)
 * wherever they occur, as a last line of defence behind the code that never logs them.
 */
public final class LogText {

    private LogText() {
    }

    /** The text fit for one log line. */
    public static String safe(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return escapeControls(maskIdNumbers(text));
    }

    /** Personal ID numbers in {@code text}, masked ({@link IdNumbers#maskAll}). */
    public static String maskIdNumbers(String text) {
        return IdNumbers.maskAll(text);
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
