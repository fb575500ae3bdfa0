package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.schema.AdminLicense;
import cn.bazhong.credit.gateway.schema.AdminPenalty;
import cn.bazhong.credit.gateway.schema.CanonicalField;
import cn.bazhong.credit.gateway.schema.Commitment;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListEntry;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.Operation;
import cn.bazhong.credit.gateway.schema.Party;
import cn.bazhong.credit.gateway.schema.Provenance;
import cn.bazhong.credit.gateway.schema.RecordKind;
import cn.bazhong.credit.gateway.schema.RecordVersion;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.schema.Unit;
import cn.bazhong.credit.gateway.validation.Dates;

import java.time.LocalDate;
import java.util.Map;

import static cn.bazhong.credit.gateway.schema.CanonicalField.*;

/** Builds the typed credit record from a draft that passed every rule. */
final class RecordAssembler {

    private RecordAssembler() {
    }

    static CreditRecord assemble(String department, RecordKind kind, String businessKey, RecordDraft d, Provenance provenance) {
        Operation operation = d.has(OPERATION) ? (Operation) d.get(OPERATION) : Operation.UPSERT;
        Subject subject = subject(d);
        CreditRecord record = new CreditRecord(
                CreditRecord.recordId(department, kind, businessKey), null, kind, operation, businessKey, subject,
                kind == RecordKind.ADMIN_PENALTY ? penalty(d) : null,
                kind == RecordKind.ADMIN_LICENSE ? licence(d) : null,
                kind == RecordKind.LIST_ENTRY ? entry(d) : null,
                provenance,
                kind == RecordKind.COMMITMENT ? commitment(d) : null);
        return RecordVersion.stamp(record);
    }

    private static Subject subject(RecordDraft d) {
        Party legalRep = null;
        if (d.has(LEGAL_REP_NAME) || d.has(LEGAL_REP_ID_NUMBER)) {
            legalRep = new Party(d.string(LEGAL_REP_NAME), d.string(LEGAL_REP_ID_TYPE), d.string(LEGAL_REP_ID_NUMBER));
        }
        return new Subject(d.string(SUBJECT_CATEGORY), d.string(SUBJECT_NAME), d.string(SUBJECT_USCC),
                d.string(SUBJECT_REG_NO), d.string(SUBJECT_ORG_CODE), d.string(SUBJECT_TAX_NO),
                d.string(SUBJECT_INSTITUTION_NO), d.string(SUBJECT_SOCIAL_ORG_NO), legalRep,
                d.string(SUBJECT_ID_TYPE), d.string(SUBJECT_ID_NUMBER),
                party(d, PRINCIPAL_NAME, PRINCIPAL_ID_TYPE, PRINCIPAL_ID_NUMBER),
                party(d, RESPONSIBLE_NAME, RESPONSIBLE_ID_TYPE, RESPONSIBLE_ID_NUMBER));
    }

    private static Party party(RecordDraft d, CanonicalField name, CanonicalField idType, CanonicalField idNumber) {
        return d.has(name) || d.has(idNumber) ? new Party(d.string(name), d.string(idType), d.string(idNumber)) : null;
    }

    private static Commitment commitment(RecordDraft d) {
        return new Commitment(d.string(COMMITMENT_NUMBER), d.string(COMMITMENT_MATTER), d.string(COMMITMENT_CONTENT),
                d.date(COMMITMENT_COMMITTED_ON), d.date(COMMITMENT_DEADLINE),
                new Unit(d.string(COMMITMENT_ACCEPTED_BY_NAME), d.string(COMMITMENT_ACCEPTED_BY_USCC)),
                d.has(COMMITMENT_STATUS) ? d.string(COMMITMENT_STATUS) : Commitment.OPEN, d.date(COMMITMENT_CLOSED_ON),
                d.string(COMMITMENT_REMARKS));
    }

    private static AdminPenalty penalty(RecordDraft d) {
        return new AdminPenalty(d.string(PENALTY_DECISION_NO), d.string(PENALTY_VIOLATION_TYPE), d.string(PENALTY_FACTS),
                d.string(PENALTY_BASIS), d.list(PENALTY_KINDS), d.string(PENALTY_CONTENT), d.amount(PENALTY_FINE),
                d.amount(PENALTY_CONFISCATED), d.string(PENALTY_SUSPENDED_LICENCE), d.date(PENALTY_DECISION_DATE),
                d.date(PENALTY_VALID_UNTIL), d.date(PENALTY_PUBLICITY_UNTIL),
                new Unit(d.string(PENALTY_AUTHORITY_NAME), d.string(PENALTY_AUTHORITY_USCC)),
                new Unit(d.string(PENALTY_SOURCE_NAME), d.string(PENALTY_SOURCE_USCC)),
                d.string(PENALTY_REMARKS));
    }

    private static AdminLicense licence(RecordDraft d) {
        LocalDate validTo = d.date(LICENCE_VALID_TO);
        return new AdminLicense(d.string(LICENCE_DOCUMENT_NAME), d.string(LICENCE_DECISION_NO), d.string(LICENCE_CATEGORY),
                d.string(LICENCE_CERTIFICATE_NAME), d.string(LICENCE_NO), d.string(LICENCE_CONTENT),
                d.date(LICENCE_DECISION_DATE), d.date(LICENCE_VALID_FROM), validTo, Dates.LONG_TERM.equals(validTo),
                new Unit(d.string(LICENCE_AUTHORITY_NAME), d.string(LICENCE_AUTHORITY_USCC)),
                d.string(LICENCE_STATUS),
                new Unit(d.string(LICENCE_SOURCE_NAME), d.string(LICENCE_SOURCE_USCC)),
                d.string(LICENCE_REMARKS));
    }

    private static ListEntry entry(RecordDraft d) {
        ListStatus status = d.has(ENTRY_STATUS) ? (ListStatus) d.get(ENTRY_STATUS) : ListStatus.ACTIVE;
        Map<String, String> attributes = d.attributes().isEmpty() ? null : Map.copyOf(d.attributes());
        return new ListEntry(d.string(ENTRY_LIST_TYPE), (ListCategory) d.get(ENTRY_CATEGORY),
                new Unit(d.string(ENTRY_DECIDED_BY_NAME), d.string(ENTRY_DECIDED_BY_USCC)),
                d.string(ENTRY_BASIS), d.date(ENTRY_DECIDED_ON), d.date(ENTRY_VALID_FROM), d.date(ENTRY_VALID_TO),
                d.string(ENTRY_REASON), d.string(ENTRY_DOCUMENT_NO), status, d.date(ENTRY_EXIT_DATE),
                d.string(ENTRY_EXIT_REASON), attributes);
    }
}
