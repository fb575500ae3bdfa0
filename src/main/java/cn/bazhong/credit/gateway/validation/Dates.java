package cn.bazhong.credit.gateway.validation;

import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Parses the date styles found in departmental feeds with a hand-written scanner (no
 * {@code DateTimeFormatter}, no exceptions).
 *
 * <p>Accepted styles, after {@link Text#clean} and {@link Text#halfWidth}:
 * <ul>
 *   <li>{@code yyyy-M-d}, {@code yyyy/M/d}, {@code yyyy.M.d} — month and day 1 or 2 digits, the
 *       same separator twice;
 *   <li>{@code yyyy年M月d日} — month and day 1 or 2 digits;
 *   <li>{@code yyyyMMdd} — exactly 8 digits.
 * </ul>
 * Each may be followed by a time, which is checked for shape and then ignored: one or more
 * spaces or tabs, or {@code T}, then {@code H:mm} or {@code HH:mm}, optionally {@code :ss},
 * optionally a fraction ({@code .S…} or {@code ,S…}, up to 9 digits), optionally an offset
 * ({@code Z}, {@code +HH}, {@code +HHmm}, {@code +HH:mm}; {@code -} likewise).
 *
 * <p>The year must be 1900–2099 and the date must exist in the calendar (no 2023-02-30).
 * Two-digit years, mixed separators and anything else are rejected: there is no second guess.
 */
public final class Dates {

    /**
     * 2099-12-31, the end date that 双公示 records use to mean 长期 (long-term, no end date).
     * It is a valid date; callers decide whether to show it as 长期.
     */
    public static final LocalDate LONG_TERM = LocalDate.of(2099, 12, 31);

    private static final int MIN_YEAR = 1900;
    private static final int MAX_YEAR = 2099;
    private static final String STYLES = "accepted styles are yyyy-M-d, yyyy/M/d, yyyy.M.d, yyyy年M月d日 "
            + "and yyyyMMdd, optionally followed by a time such as ' HH:mm', ' HH:mm:ss' or 'THH:mm:ss'";

    private Dates() {
    }

    /**
     * Parses a date.
     *
     * @return ok with the date; {@link Rule#REQUIRED} if empty; {@link Rule#DATE} with a message
     *     quoting the value if it is not in an accepted style, not a real date, or outside
     *     1900–2099
     */
    public static Checked<LocalDate> parse(String raw) {
        String s = Text.halfWidth(Text.clean(raw));
        if (s == null) {
            return Checked.fail(Rule.REQUIRED, "is empty");
        }
        int length = s.length();
        int leading = digits(s, 0);
        int year;
        int month;
        int day;
        int end;
        if (leading == 8) {
            year = number(s, 0, 4);
            month = number(s, 4, 2);
            day = number(s, 6, 2);
            end = 8;
        } else if (leading == 4 && length > 4) {
            char separator = s.charAt(4);
            char second;
            char last;
            if (separator == '-' || separator == '/' || separator == '.') {
                second = separator;
                last = 0;
            } else if (separator == '年') {
                second = '月';
                last = '日';
            } else {
                return notADate(s);
            }
            year = number(s, 0, 4);
            int p = 5;
            int n = digits(s, p);
            if (n < 1 || n > 2) {
                return notADate(s);
            }
            month = number(s, p, n);
            p += n;
            if (p >= length || s.charAt(p) != second) {
                return notADate(s);
            }
            p++;
            n = digits(s, p);
            if (n < 1 || n > 2) {
                return notADate(s);
            }
            day = number(s, p, n);
            p += n;
            if (last != 0) {
                if (p >= length || s.charAt(p) != last) {
                    return notADate(s);
                }
                p++;
            }
            end = p;
        } else {
            return notADate(s);
        }
        if (end < length && !isTime(s, end)) {
            return notADate(s);
        }
        if (year < MIN_YEAR || year > MAX_YEAR) {
            return Checked.fail(Rule.DATE, "'" + s + "' has year " + year
                    + "; the year must be between " + MIN_YEAR + " and " + MAX_YEAR);
        }
        if (month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))) {
            return Checked.fail(Rule.DATE, "'" + s + "' is not a real calendar date");
        }
        return Checked.ok(LocalDate.of(year, month, day));
    }

    /** True if s[from..] is a time part (including its leading separator) and nothing else. */
    private static boolean isTime(String s, int from) {
        int length = s.length();
        int p = from;
        if (s.charAt(p) == 'T') {
            p++;
        } else {
            while (p < length && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
                p++;
            }
            if (p == from) {
                return false;
            }
        }
        int n = digits(s, p);
        if (n < 1 || n > 2 || number(s, p, n) > 23) {
            return false;
        }
        p += n;
        if (!twoDigitField(s, p, ':', 59)) {
            return false;
        }
        p += 3;
        if (twoDigitField(s, p, ':', 59)) {
            p += 3;
            if (p < length && (s.charAt(p) == '.' || s.charAt(p) == ',')) {
                n = digits(s, p + 1);
                if (n < 1 || n > 9) {
                    return false;
                }
                p += 1 + n;
            }
        }
        if (p == length) {
            return true;
        }
        char c = s.charAt(p);
        if (c == 'Z') {
            return p + 1 == length;
        }
        if (c != '+' && c != '-') {
            return false;
        }
        p++;
        n = digits(s, p);
        if (n == 2) {
            if (number(s, p, 2) > 18) {
                return false;
            }
            p += 2;
            if (p == length) {
                return true;
            }
            return twoDigitField(s, p, ':', 59) && p + 3 == length;
        }
        return n == 4 && number(s, p, 2) <= 18 && number(s, p + 2, 2) <= 59 && p + 4 == length;
    }

    /** True if s[p] is the separator followed by exactly two digits whose value is at most max. */
    private static boolean twoDigitField(String s, int p, char separator, int max) {
        return p < s.length() && s.charAt(p) == separator && digits(s, p + 1) == 2
                && number(s, p + 1, 2) <= max;
    }

    private static Checked<LocalDate> notADate(String s) {
        return Checked.fail(Rule.DATE, "'" + s + "' is not a date; " + STYLES);
    }

    /** Number of consecutive ASCII digits starting at from. */
    private static int digits(String s, int from) {
        int p = from;
        while (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            p++;
        }
        return p - from;
    }

    private static int number(String s, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }
}
