package cn.bazhong.credit.gateway.schema;

import cn.bazhong.credit.gateway.validation.IdNumber;

/**
 * Masking of personal ID numbers (local rule: first 6 and last 4 characters shown) wherever a
 * record leaves the duties that need the full number: logs, receipts, the operator console and
 * pushes to departments not entitled to it. Upstream pushes carry the full value.
 */
public final class PersonalData {

    private PersonalData() {
    }

    public static String mask(String idNumber) {
        return IdNumber.mask(idNumber);
    }

    /** The record with the subject's and legal representative's ID numbers masked. */
    public static CreditRecord masked(CreditRecord r) {
        Subject s = r.subject();
        if (s == null) {
            return r;
        }
        return r.withSubject(masked(r.recordId(), s), masked(r.businessKey(), s), masked(s));
    }

    /** The subject with its own and its persons' (legal representative, principal, responsible) ID numbers masked. */
    public static Subject masked(Subject s) {
        if (s == null) {
            return null;
        }
        Subject m = s.withPersons(p -> new Party(p.name(), p.idType(), mask(p.idNumber())));
        return new Subject(m.category(), m.name(), m.uscc(), m.regNo(), m.orgCode(), m.taxNo(),
                m.institutionNo(), m.socialOrgNo(), m.legalRep(), m.idType(), mask(m.idNumber()), m.principal(), m.responsible());
    }

    /** A text (record id, business key) with the person's ID number in it masked. */
    public static String masked(String text, Subject s) {
        if (text == null || s == null || !s.isPerson() || s.idNumber() == null || !text.contains(s.idNumber())) {
            return text;
        }
        return text.replace(s.idNumber(), mask(s.idNumber()));
    }
}
