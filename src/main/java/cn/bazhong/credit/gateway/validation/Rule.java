package cn.bazhong.credit.gateway.validation;

/**
 * The reason a field failed validation.
 *
 * <p>The strings returned by {@link #code()} are a published contract: they appear in rejection
 * reports sent back to departments and must never change. Add new constants rather than renaming
 * existing ones.
 */
public enum Rule {
    /** The field is missing, blank, or has no members. */
    REQUIRED("required"),
    /** The value does not have the required shape. */
    SYNTAX("syntax"),
    /** The value contains bytes that did not decode in the declared encoding. */
    ENCODING("encoding"),
    /** The value is too short or too long. */
    LENGTH("length"),
    /** The value is not a date in an accepted style, or not a real calendar date. */
    DATE("date"),
    /** The value is not a number, or is a number that can be read in more than one way. */
    NUMBER("number"),
    /** The value is a well-formed number or date outside the allowed range (e.g. negative amount). */
    RANGE("range"),
    /** The value is not one of a closed set of allowed values. */
    ENUM("enum"),
    /** A unified social credit code does not have 18 characters. */
    USCC_LENGTH("uscc-length"),
    /** A unified social credit code contains a character outside the GB 32100 character set. */
    USCC_CHARSET("uscc-charset"),
    /** A unified social credit code fails its GB 32100 or embedded GB 11714 check character. */
    USCC_CHECK("uscc-check"),
    /** An organisation code (组织机构代码) is malformed or fails its GB 11714 check character. */
    ORG_CODE_CHECK("org-code-check"),
    /** A citizen identity number (公民身份号码) is malformed, has an impossible birth date, or fails
     * its GB 11643 check character. */
    ID_CHECK("id-check"),
    /**
     * The value holds a control character: C0 controls other than tab, line feed and carriage return
     * (NUL, BEL, ESC …), DEL, or a C1 control (U+0080–U+009F).
     */
    CONTROL_CHAR("control-char");

    private final String code;

    Rule(String code) {
        this.code = code;
    }

    /** Returns the stable, published rule name, e.g. {@code "uscc-check"}. */
    public String code() {
        return code;
    }
}
