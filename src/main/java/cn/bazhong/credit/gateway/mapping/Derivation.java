package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.schema.CanonicalField;

import java.time.Period;

/** A canonical value computed from other canonical values instead of read from the source. */
public sealed interface Derivation {

    /**
     * 行政相对人类别 from the identifiers present: 个体工商户 when the credit code starts with 92
     * (GB 32100 registration category for individual businesses), 法人及非法人组织 for any other credit
     * code, 自然人 when only an ID number is present.
     */
    record CategoryFromIdentifiers() implements Derivation {
    }

    /** A date a fixed period after another date field, e.g. {@code plus: P3Y-1D}. */
    record DateOffset(CanonicalField from, Period period) implements Derivation {
    }
}
