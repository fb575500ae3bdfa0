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
        return new CreditRecord(masked(r.recordId(), s), r.version(), r.kind(), r.operation(), masked(r.businessKey(), s),
                masked(s), r.penalty(), r.licence(), r.entry(), r.provenance());
    }

    /** The subject with its own and its legal representative's ID numbers masked. */
    public static Subject masked(Subject s) {
        if (s == null) {
            return null;
        }
        Party rep = s.legalRep() == null ? null
                : new Party(s.legalRep().name(), s.legalRep().idType(), mask(s.legalRep().idNumber()));
        return new Subject(s.category(), s.name(), s.uscc(), s.regNo(), s.orgCode(), s.taxNo(),
                s.institutionNo(), s.socialOrgNo(), rep, s.idType(), mask(s.idNumber()));
    }

    /** A text (record id, business key) with the person's ID number in it masked. */
    public static String masked(String text, Subject s) {
        if (text == null || s == null || !s.isPerson() || s.idNumber() == null || !text.contains(s.idNumber())) {
            return text;
        }
        return text.replace(s.idNumber(), mask(s.idNumber()));
    }
}
