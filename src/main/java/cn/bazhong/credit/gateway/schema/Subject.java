package cn.bazhong.credit.gateway.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * 信用主体: the enterprise, organisation, individual business or person a record is about.
 * Subjects are matched across departments by {@code uscc} (organisations) or {@code idNumber}
 * (persons), never by name.
 *
 * @param category 行政相对人类别: 法人及非法人组织, 自然人 or 个体工商户
 * @param legalRep 法定代表人, for organisations and individual businesses; may be null
 * @param principal   主要负责人, when the source names one apart from the legal representative; may be null
 * @param responsible 其他负有直接责任人员 (one per record), when the source names one; may be null
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
        String idNumber,
        Party principal,
        Party responsible) implements java.io.Serializable {

    /** A subject without responsible persons besides its legal representative. */
    public Subject(String category, String name, String uscc, String regNo, String orgCode, String taxNo, String institutionNo,
                   String socialOrgNo, Party legalRep, String idType, String idNumber) {
        this(category, name, uscc, regNo, orgCode, taxNo, institutionNo, socialOrgNo, legalRep, idType, idNumber, null, null);
    }

    /** The roles of the persons behind an organisation (plan item 15), as links and record ids name them. */
    public static final String LEGAL_REP = "LEGAL_REP";
    public static final String PRINCIPAL = "PRINCIPAL";
    public static final String RESPONSIBLE = "RESPONSIBLE";

    /** The persons behind this subject by role (法定代表人, 主要负责人, 其他负有直接责任人员), those named only; in that order. */
    @JsonIgnore
    public java.util.Map<String, Party> persons() {
        java.util.Map<String, Party> m = new java.util.LinkedHashMap<>();
        if (legalRep != null && legalRep.named()) {
            m.put(LEGAL_REP, legalRep);
        }
        if (principal != null && principal.named()) {
            m.put(PRINCIPAL, principal);
        }
        if (responsible != null && responsible.named()) {
            m.put(RESPONSIBLE, responsible);
        }
        return m;
    }

    /** The same subject with each person replaced by {@code f} of it. */
    public Subject withPersons(java.util.function.UnaryOperator<Party> f) {
        return new Subject(category, name, uscc, regNo, orgCode, taxNo, institutionNo, socialOrgNo,
                legalRep == null ? null : f.apply(legalRep), idType, idNumber,
                principal == null ? null : f.apply(principal), responsible == null ? null : f.apply(responsible));
    }

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
