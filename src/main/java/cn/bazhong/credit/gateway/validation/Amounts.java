package cn.bazhong.credit.gateway.validation;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Money amounts, normalised to 万元 (ten thousand yuan), the unit 双公示 penalty records use.
 *
 * <p>Accepted shape, after {@link Text#clean} and {@link Text#halfWidth}, with optional
 * whitespace between the parts but not inside the number:
 * <pre>  [¥ or ￥] number [万元 | 万 | 元]</pre>
 * The number is plain decimal: digits with an optional fraction ({@code 120000.00},
 * {@code .5}, {@code 5.}), and optionally thousands separators in exact groups of three
 * ({@code 120,000.00}, {@code 1,234,567}). A trailing unit overrides the unit the field is
 * declared in. Scientific notation, commas in any other place ({@code 1,2345} could be 12345 or a
 * decimal comma) and anything else are rejected.
 */
public final class Amounts {

    /** The unit an amount is written in. */
    public enum Unit {
        /** 元. */
        YUAN,
        /** 万元 (10,000 元). */
        WAN
    }

    private Amounts() {
    }

    /**
     * Converts an amount to 万元.
     *
     * @param raw the field value
     * @param declared the unit the field is declared in, used when the value has no unit suffix
     * @return ok with the amount in 万元, {@link BigDecimal#stripTrailingZeros() trailing zeros
     *     stripped} (use {@link BigDecimal#toPlainString()} to print); {@link Rule#REQUIRED} if
     *     empty; {@link Rule#NUMBER} if not a number or ambiguous; {@link Rule#RANGE} if negative
     */
    public static Checked<BigDecimal> toWan(String raw, Unit declared) {
        Objects.requireNonNull(declared, "declared");
        String s = Text.halfWidth(Text.clean(raw));
        if (s == null) {
            return Checked.fail(Rule.REQUIRED, "is empty");
        }
        int start = 0;
        int end = s.length();
        Unit unit = declared;
        if (s.endsWith("万元")) {
            unit = Unit.WAN;
            end -= 2;
        } else if (s.endsWith("万")) {
            unit = Unit.WAN;
            end -= 1;
        } else if (s.endsWith("元")) {
            unit = Unit.YUAN;
            end -= 1;
        }
        end = skipSpaceBackwards(s, start, end);
        boolean negative = false;
        boolean currency = false;
        for (int part = 0; part < 2 && start < end; part++) {
            char c = s.charAt(start);
            if (!negative && (c == '-' || c == '\u2212')) {
                negative = true;
            } else if (!currency && (c == '¥' || c == '￥')) {
                currency = true;
            } else {
                break;
            }
            start = skipSpace(s, start + 1, end);
        }
        if (start == end) {
            return notANumber(s);
        }
        char[] digits = new char[end - start];
        int count = 0;
        int groupLength = 0;
        boolean grouped = false;
        boolean firstGroup = true;
        int p = start;
        for (; p < end; p++) {
            char c = s.charAt(p);
            if (c >= '0' && c <= '9') {
                digits[count++] = c;
                groupLength++;
            } else if (c == ',') {
                if (groupLength == 0 || (firstGroup ? groupLength > 3 : groupLength != 3)) {
                    return ambiguous(s);
                }
                grouped = true;
                firstGroup = false;
                groupLength = 0;
            } else {
                break;
            }
        }
        if (grouped && groupLength != 3) {
            return ambiguous(s);
        }
        boolean point = false;
        if (p < end && s.charAt(p) == '.') {
            point = true;
            digits[count++] = '.';
            p++;
            for (; p < end; p++) {
                char c = s.charAt(p);
                if (c >= '0' && c <= '9') {
                    digits[count++] = c;
                } else if (c == ',') {
                    return ambiguous(s);
                } else {
                    break;
                }
            }
        }
        if (p < end || count == (point ? 1 : 0)) {
            return notANumber(s);
        }
        BigDecimal amount = new BigDecimal(digits, 0, count);
        if (negative && amount.signum() != 0) {
            return Checked.fail(Rule.RANGE, "'" + s + "' is negative; an amount must be 0 or more");
        }
        if (unit == Unit.YUAN) {
            amount = amount.movePointLeft(4);
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        // 100 would otherwise be held as 1E+2, which some JSON writers print in scientific form
        return Checked.ok(stripped.scale() < 0 ? stripped.setScale(0) : stripped);
    }

    private static int skipSpace(String s, int from, int end) {
        int p = from;
        while (p < end && Text.isSpace(s.charAt(p))) {
            p++;
        }
        return p;
    }

    private static int skipSpaceBackwards(String s, int start, int end) {
        int p = end;
        while (p > start && Text.isSpace(s.charAt(p - 1))) {
            p--;
        }
        return p;
    }

    private static Checked<BigDecimal> notANumber(String s) {
        return Checked.fail(Rule.NUMBER, "'" + s + "' is not an amount; write digits with an optional "
                + "decimal point, optionally ¥ before and 元, 万 or 万元 after");
    }

    private static Checked<BigDecimal> ambiguous(String s) {
        return Checked.fail(Rule.NUMBER, "'" + s + "' has a comma that is not a thousands separator "
                + "(groups of exactly 3 digits), so the amount is ambiguous");
    }
}
