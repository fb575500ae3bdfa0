package cn.bazhong.credit.gateway.validation;

import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.util.Objects;

/**
 * 公民身份号码 (citizen identity number), GB 11643-1999.
 *
 * <p>18 characters: a 6-digit region code, the birth date {@code yyyyMMdd}, a 3-digit sequence
 * number and a check character. With weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over the first
 * 17 digits, the check character is {@code "10X98765432".charAt(Σ digit·weight mod 11)}.
 *
 * <p>First-generation numbers have 15 digits (2-digit birth year, no check character); they are
 * upgraded by inserting {@code "19"} after the region code and appending the check character.
 *
 * <p>Identity numbers are personal data: failure messages only ever show the number through
 * {@link #mask}, and never show the birth date.
 */
public final class IdNumber {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK_CHARS = "10X98765432";
    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);

    private IdNumber() {
    }

    /**
     * Checks a citizen identity number and returns it in 18-character form.
     *
     * <p>The value is normalised with {@link Text#code} (full-width, spaces, lower-case
     * {@code x}). It must then be 18 characters (17 digits and a digit or {@code X}) or 15
     * digits (first generation, upgraded). The birth date must be a real calendar date, not
     * before 1900-01-01 and not after {@code today}; the check character must match.
     *
     * @param today the date against which a birth date in the future is detected
     * @return ok with the 18-character number; {@link Rule#REQUIRED} if empty; otherwise
     *     {@link Rule#ID_CHECK} with a message that contains the number only in masked form
     */
    public static Checked<String> check(String raw, LocalDate today) {
        Objects.requireNonNull(today, "today");
        String id = Text.code(raw);
        if (id == null) {
            return Checked.fail(Rule.REQUIRED, "is empty");
        }
        int length = id.length();
        if (length == 15) {
            for (int i = 0; i < 15; i++) {
                if (!isDigit(id.charAt(i))) {
                    return notAllowed(id, i, "a first-generation (15-digit) identity number has digits only");
                }
            }
            String problem = birthDateProblem(1900 + number(id, 6, 2), number(id, 8, 2),
                    number(id, 10, 2), today);
            if (problem != null) {
                return Checked.fail(Rule.ID_CHECK,
                        "birth date (characters 7-12) of identity number " + mask(id) + " " + problem);
            }
            String first17 = id.substring(0, 6) + "19" + id.substring(6);
            return Checked.ok(first17 + computeCheck(first17));
        }
        if (length != 18) {
            return Checked.fail(Rule.ID_CHECK, "identity number " + mask(id) + " has " + length
                    + " characters; an identity number has 18 (or 15 for a first-generation number)");
        }
        for (int i = 0; i < 17; i++) {
            if (!isDigit(id.charAt(i))) {
                return notAllowed(id, i, "the first 17 characters must be digits");
            }
        }
        char actual = id.charAt(17);
        if (!isDigit(actual) && actual != 'X') {
            return notAllowed(id, 17, "the check character must be a digit or X");
        }
        String problem = birthDateProblem(number(id, 6, 4), number(id, 10, 2), number(id, 12, 2), today);
        if (problem != null) {
            return Checked.fail(Rule.ID_CHECK,
                    "birth date (characters 7-14) of identity number " + mask(id) + " " + problem);
        }
        char expected = computeCheck(id);
        if (actual != expected) {
            return Checked.fail(Rule.ID_CHECK, "identity number " + mask(id) + ": check character is '"
                    + actual + "' but GB 11643 gives '" + expected + "'");
        }
        return Checked.ok(id);
    }

    /**
     * Masks an identity number for messages and logs: keeps the first 6 and last 4 characters
     * and replaces the rest (the birth date and sequence number) with {@code '*'}, so
     * {@code 511902198506150022} becomes {@code 511902********0022}. A value of 10 characters or
     * fewer is all {@code '*'} except its last 2 characters.
     *
     * @return the masked value; {@code null} if {@code id} is null
     */
    public static String mask(String id) {
        if (id == null) {
            return null;
        }
        int length = id.length();
        char[] out = new char[length];
        int keepHead = length > 10 ? 6 : 0;
        int keepTail = length > 10 ? 4 : Math.min(2, length);
        for (int i = 0; i < length; i++) {
            out[i] = i < keepHead || i >= length - keepTail ? id.charAt(i) : '*';
        }
        return new String(out);
    }

    /**
     * Computes the GB 11643 check character for the first 17 digits.
     *
     * @param first17 exactly 17 ASCII digits
     * @return {@code '0'}–{@code '9'} or {@code 'X'}
     * @throws IllegalArgumentException if {@code first17} is not 17 digits (the message does not
     *     repeat the argument)
     */
    public static char checkChar(String first17) {
        if (first17 == null || first17.length() != 17) {
            throw new IllegalArgumentException("need exactly 17 digits");
        }
        for (int i = 0; i < 17; i++) {
            if (!isDigit(first17.charAt(i))) {
                throw new IllegalArgumentException("need exactly 17 digits; position " + (i + 1) + " is not a digit");
            }
        }
        return computeCheck(first17);
    }

    private static char computeCheck(CharSequence digits) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (digits.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK_CHARS.charAt(sum % 11);
    }

    /** Returns null if the date is acceptable, else the end of a message; never shows the date. */
    private static String birthDateProblem(int year, int month, int day, LocalDate today) {
        if (month < 1 || month > 12) {
            return "is not a real calendar date (the month does not exist)";
        }
        if (day < 1 || day > Month.of(month).length(Year.isLeap(year))) {
            return "is not a real calendar date (the day does not exist in that month)";
        }
        LocalDate birth = LocalDate.of(year, month, day);
        if (birth.isBefore(EARLIEST_BIRTH)) {
            return "is before 1900-01-01";
        }
        if (birth.isAfter(today)) {
            return "is in the future (after " + today + ")";
        }
        return null;
    }

    private static Checked<String> notAllowed(String id, int index, String why) {
        return Checked.fail(Rule.ID_CHECK, "character " + Text.show(id.charAt(index)) + " at position "
                + (index + 1) + " of identity number " + mask(id) + " is not allowed; " + why);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String s, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }
}
