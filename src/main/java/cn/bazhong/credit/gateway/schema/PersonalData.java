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
        Party rep = s.legalRep() == null ? null
                : new Party(s.legalRep().name(), s.legalRep().idType(), mask(s.legalRep().idNumber()));
        Subject maskedSubject = new Subject(s.category(), s.name(), s.uscc(), s.regNo(), s.orgCode(), s.taxNo(),
                s.institutionNo(), s.socialOrgNo(), rep, s.idType(), mask(s.idNumber()));
        String recordId = r.recordId();
        String businessKey = r.businessKey();
        if (s.isPerson() && s.idNumber() != null && businessKey != null && businessKey.contains(s.idNumber())) {
            businessKey = businessKey.replace(s.idNumber(), mask(s.idNumber()));
            recordId = recordId.replace(s.idNumber(), mask(s.idNumber()));
        }
        return new CreditRecord(recordId, r.version(), r.kind(), r.operation(), businessKey, maskedSubject,
                r.penalty(), r.licence(), r.entry(), r.provenance());
    }
}
