package cn.bazhong.credit.gateway.validation;

/**
 * 组织机构代码 (organisation code), GB 11714-1997.
 *
 * <p>Eight body characters, each a digit (value 0–9) or an upper-case Latin letter (A=10 … Z=35),
 * followed by one check character. With weights 3 7 9 10 5 8 4 2 over the body, the check value
 * is {@code 11 − (Σ value·weight mod 11)}, written as a digit, except 10 → {@code 'X'} and
 * 11 → {@code '0'}. The code is usually printed as {@code XXXXXXXX-X}.
 *
 * <p>The same check protects characters 9–17 of a unified social credit code, see {@link Uscc}.
 */
public final class OrgCode {

    private static final int[] WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};

    private OrgCode() {
    }

    /**
     * Checks an organisation code.
     *
     * <p>The value is normalised with {@link Text#code} (full-width, spaces, lower case), then
     * accepted as {@code XXXXXXXX-X} or as 9 characters without hyphen.
     *
     * @return ok with the 9-character code without hyphen; {@link Rule#REQUIRED} if empty;
     *     otherwise {@link Rule#ORG_CODE_CHECK} with a message naming the problem
     */
    public static Checked<String> check(String raw) {
        String code = Text.code(raw);
        if (code == null) {
            return Checked.fail(Rule.REQUIRED, "is empty");
        }
        int length = code.length();
        boolean hyphenated = length == 10 && code.charAt(8) == '-';
        if (length != 9 && !hyphenated) {
            if (length == 10 && code.indexOf('-') >= 0) {
                return Checked.fail(Rule.ORG_CODE_CHECK, "hyphen at position " + (code.indexOf('-') + 1)
                        + "; an organisation code is written XXXXXXXX-X with the hyphen at position 9");
            }
            return Checked.fail(Rule.ORG_CODE_CHECK, "has " + length
                    + " characters; an organisation code has 9 (XXXXXXXX-X)");
        }
        for (int i = 0; i < 8; i++) {
            char c = code.charAt(i);
            if (value(c) < 0) {
                return Checked.fail(Rule.ORG_CODE_CHECK, "character " + Text.show(c) + " at position "
                        + (i + 1) + " is not allowed in an organisation code (digits and A-Z only)");
            }
        }
        int checkPosition = hyphenated ? 9 : 8;
        char actual = code.charAt(checkPosition);
        if (!(actual >= '0' && actual <= '9') && actual != 'X') {
            return Checked.fail(Rule.ORG_CODE_CHECK, "check character " + Text.show(actual)
                    + " at position " + (checkPosition + 1) + " is not a digit or X");
        }
        char expected = computeCheck(code, 0);
        if (actual != expected) {
            return Checked.fail(Rule.ORG_CODE_CHECK, "check character is '" + actual
                    + "' but GB 11714 gives '" + expected + "'");
        }
        return Checked.ok(hyphenated ? code.substring(0, 8) + actual : code);
    }

    /**
     * Computes the GB 11714 check character for an 8-character body.
     *
     * @param body8 exactly 8 characters, each a digit or an upper-case letter A–Z
     * @return {@code '0'}–{@code '9'} or {@code 'X'}
     * @throws IllegalArgumentException if {@code body8} is not 8 such characters
     */
    public static char checkChar(String body8) {
        if (body8 == null || body8.length() != 8) {
            throw new IllegalArgumentException("organisation code body must have 8 characters: " + body8);
        }
        for (int i = 0; i < 8; i++) {
            if (value(body8.charAt(i)) < 0) {
                throw new IllegalArgumentException(
                        "organisation code body must be digits and A-Z: " + body8);
            }
        }
        return computeCheck(body8, 0);
    }

    /**
     * GB 11714 check character of the 8 characters of {@code s} starting at {@code from}, which
     * the caller guarantees are digits or upper-case letters.
     */
    static char computeCheck(CharSequence s, int from) {
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += value(s.charAt(from + i)) * WEIGHTS[i];
        }
        int check = 11 - sum % 11;
        return check == 10 ? 'X' : check == 11 ? '0' : (char) ('0' + check);
    }

    /** Value of a body character: 0–9 for digits, 10–35 for A–Z, −1 otherwise. */
    private static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
