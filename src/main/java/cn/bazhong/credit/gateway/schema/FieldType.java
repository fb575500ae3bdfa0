package cn.bazhong.credit.gateway.schema;

/** How a canonical field's raw text is normalised and checked. */
public enum FieldType {
    /** Free text: trimmed, full-width letters and digits made half-width, Chinese punctuation kept. */
    TEXT,
    /** An identifier: no spaces, half-width, upper case. */
    CODE,
    /** 统一社会信用代码, GB 32100. */
    USCC,
    /** 组织机构代码, GB 11714. */
    ORG_CODE,
    /** 证件号码; checked against GB 11643 when its 证件类型 is 身份证. Personal information. */
    ID_NUMBER,
    /** 证件类型 vocabulary. */
    ID_TYPE,
    /** A calendar date in any of the feed styles; rendered yyyy-MM-dd. */
    DATE,
    /** A money amount in 万元; the mapping says which unit the source uses. */
    AMOUNT,
    /** 行政相对人类别 vocabulary. */
    SUBJECT_CATEGORY,
    /** 处罚类别: one or more values of the vocabulary. */
    PENALTY_KINDS,
    /** 许可类别 vocabulary. */
    LICENCE_CATEGORY,
    /** A catalog list type: upper-case letters, digits and underscores. */
    LIST_TYPE,
    /** {@link ListCategory}. */
    LIST_CATEGORY,
    /** {@link ListStatus}. */
    LIST_STATUS,
    /** {@link Operation}. */
    OPERATION
}
