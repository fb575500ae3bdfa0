package cn.bazhong.credit.gateway.validation;

import java.util.Arrays;

/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015.
 *
 * <p>18 characters from the set {@code 0123456789ABCDEFGHJKLMNPQRTUWXY} (a character's value is
 * its index in that set; I, O, Z, S and V are excluded). Characters 9–17 (1-based) are the
 * embedded 组织机构代码 and must pass the GB 11714 check ({@link OrgCode}). Character 18 is the
 * check character: with weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 over characters
 * 1–17, it is {@code charset[(31 − Σ value·weight mod 31) mod 31]}.
 *
 * <p>{@value #PLACEHOLDER} is the placeholder that 个体工商户 without a code are registered
 * under; it is accepted as is.
 */
public final class Uscc {

    /** The code recorded for a 个体工商户 that has no unified social credit code. */
    public static final String PLACEHOLDER = "00000000000000000X";

    private static final String CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < CHARSET.length(); i++) {
            VALUES[CHARSET.charAt(i)] = (byte) i;
        }
    }

    private Uscc() {
    }

    /**
     * Checks a unified social credit code.
     *
     * <p>The value is normalised with {@link Text#code}: full-width characters, spaces, tabs,
     * BOM and lower case are repaired. Checks run in this order and the first failure is
     * returned: empty ({@link Rule#REQUIRED}), length ({@link Rule#USCC_LENGTH}), character set
     * ({@link Rule#USCC_CHARSET}), embedded organisation code and then the GB 32100 check
     * character (both {@link Rule#USCC_CHECK}).
     *
     * @return ok with the normalised 18-character code, or the placeholder {@value #PLACEHOLDER}
     */
    public static Checked<String> check(String raw) {
        String code = Text.code(raw);
        if (code == null) {
            return Checked.fail(Rule.REQUIRED, "is empty");
        }
        if (isPlaceholder(code)) {
            return Checked.ok(code);
        }
        if (code.length() != 18) {
            return Checked.fail(Rule.USCC_LENGTH, "has " + code.length()
                    + " characters; a unified social credit code has 18");
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            char c = code.charAt(i);
            int value = value(c);
            if (value < 0) {
                return charsetFailure(c, i);
            }
            sum += value * WEIGHTS[i];
        }
        char actual = code.charAt(17);
        if (value(actual) < 0) {
            return charsetFailure(actual, 17);
        }
        char orgActual = code.charAt(16);
        if (orgActual != OrgCode.computeCheck(code, 8)) {
            return Checked.fail(Rule.USCC_CHECK, "embedded organisation code " + code.substring(8, 16)
                    + "-" + orgActual + " fails the GB 11714 check");
        }
        char expected = CHARSET.charAt((31 - sum % 31) % 31);
        if (actual != expected) {
            return Checked.fail(Rule.USCC_CHECK, "check character is '" + actual
                    + "' but GB 32100 gives '" + expected + "'");
        }
        return Checked.ok(code);
    }

    /** Returns true if the already-normalised {@code normalised} is the placeholder {@value #PLACEHOLDER}. */
    public static boolean isPlaceholder(String normalised) {
        return PLACEHOLDER.equals(normalised);
    }

    /**
     * Computes the GB 32100 check character (character 18) for the first 17 characters. Does not
     * verify the embedded organisation code; use {@link OrgCode#checkChar} for character 17.
     *
     * @param first17 exactly 17 characters from the GB 32100 character set
     * @throws IllegalArgumentException if {@code first17} is not 17 such characters
     */
    public static char checkChar(String first17) {
        if (first17 == null || first17.length() != 17) {
            throw new IllegalArgumentException("need the first 17 characters of a credit code: " + first17);
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int value = value(first17.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException("character outside the GB 32100 set at position "
                        + (i + 1) + ": " + first17);
            }
            sum += value * WEIGHTS[i];
        }
        return CHARSET.charAt((31 - sum % 31) % 31);
    }

    private static int value(char c) {
        return c < 128 ? VALUES[c] : -1;
    }

    private static Checked<String> charsetFailure(char c, int index) {
        return Checked.fail(Rule.USCC_CHARSET, "character " + Text.show(c) + " at position " + (index + 1)
                + " is not allowed in a unified social credit code (GB 32100 excludes I, O, Z, S, V)");
    }
}
