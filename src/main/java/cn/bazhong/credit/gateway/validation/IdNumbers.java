package cn.bazhong.credit.gateway.validation;

/**
 * Masks every personal ID number (公民身份号码) that a free text holds, for messages, receipts,
 * reports and logs: {@code "'511902199210224381' is not one of 身份证, …"} becomes {@code
 * "'511902********4381' is not one of 身份证, …"} ({@link IdNumber#mask}: first 6 and last 4 kept).
 *
 * <p>What counts as an ID number: a run of 18 characters, 17 digits and a digit or {@code X}/{@code
 * x}, or a run of exactly 15 digits (the first-generation form), with no letter or digit right
 * before or after it (Chinese characters, spaces and punctuation around it are fine). Full-width
 * digits and {@code Ｘ} count as digits and X. The check digit and the birth date are deliberately
 * <em>not</em> required: a number rejected for a wrong check digit is exactly the one that gets quoted
 * in a message. Unified social credit codes of organisations are left alone in practice, because
 * nearly all of them hold letters (the organisation-code part, the check character); the rare
 * all-digit code is masked as if it were personal, which costs nothing but a few characters of a
 * message. Longer digit runs (account numbers, timestamps) are not ID numbers and are kept.
 *
 * <p>Plain Java, no allocation when there is nothing to mask; safe to call from a logging layer.
 */
public final class IdNumbers {

    private IdNumbers() {
    }

    /**
     * Returns {@code text} with every ID number in it masked; the same instance when there is none.
     *
     * @return null for null
     */
    public static String maskAll(String text) {
        if (text == null) {
            return null;
        }
        int length = text.length();
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            if (!isDigit(c) || (i > 0 && isAlphanumeric(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            int start = i;
            while (i < length && isDigit(text.charAt(i))) {
                i++;
            }
            int digits = i - start;
            int end = i;
            if (digits == 17 && end < length && isX(text.charAt(end))) {
                end++;
            }
            boolean bounded = end == length || !isAlphanumeric(text.charAt(end));
            int runLength = end - start;
            if (bounded && (runLength == 18 || (runLength == 15 && digits == 15))) {
                if (out == null) {
                    out = new StringBuilder(length);
                }
                out.append(text, copied, start).append(IdNumber.mask(text.substring(start, end)));
                copied = end;
            }
            i = Math.max(end, i);
            while (i < length && isAlphanumeric(text.charAt(i))) {
                i++; // the rest of a longer code or number
            }
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, length).toString();
    }

    /** True if {@link #maskAll} would change {@code text}. */
    public static boolean containsIdNumber(String text) {
        return text != null && !maskAll(text).equals(text);
    }

    private static boolean isDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= '\uFF10' && c <= '\uFF19');
    }

    private static boolean isX(char c) {
        return c == 'X' || c == 'x' || c == '\uFF38' || c == '\uFF58';
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                || (c >= '\uFF10' && c <= '\uFF19') || (c >= '\uFF21' && c <= '\uFF3A') || (c >= '\uFF41' && c <= '\uFF5A');
    }
}
