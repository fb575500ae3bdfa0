package cn.bazhong.credit.gateway.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * 信用主体: the enterprise, organisation, individual business or person a record is about.
 * Subjects are matched across departments by {@code uscc} (organisations) or {@code idNumber}
 * (persons), never by name.
 *
 * @param category 行政相对人类别: 法人及非法人组织, 自然人 or 个体工商户
 * @param legalRep 法定代表人, for organisations and individual businesses; may be null
 */
public record Subject(
        String category,
        String name,
        String uscc,
        String regNo,
        String orgCode,
        String taxNo,
        String institutionNo,
        String socialOrgNo,
        Party legalRep,
        String idType,
        String idNumber) implements java.io.Serializable {

    public static final String ORGANISATION = "法人及非法人组织";
    public static final String PERSON = "自然人";
    public static final String INDIVIDUAL_BUSINESS = "个体工商户";

    @JsonIgnore
    public boolean isPerson() {
        return PERSON.equals(category);
    }

    /** The identifier subjects are matched on: the credit code, or the ID number for a person. */
    @JsonIgnore
    public String code() {
        return isPerson() ? idNumber : uscc;
    }
}
