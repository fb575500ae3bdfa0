package cn.bazhong.credit.gateway.schema;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static cn.bazhong.credit.gateway.schema.RecordKind.ADMIN_LICENSE;
import static cn.bazhong.credit.gateway.schema.RecordKind.ADMIN_PENALTY;
import static cn.bazhong.credit.gateway.schema.RecordKind.COMMITMENT;
import static cn.bazhong.credit.gateway.schema.RecordKind.LIST_ENTRY;

/**
 * Every field of the shared credit schema, by the dotted path that mapping files use.
 * Required-ness here is unconditional; conditional rules (a credit code for organisations, a fine
 * amount when 罚款 is among the penalty kinds, …) live in {@code RecordRules}.
 */
public enum CanonicalField {
    OPERATION("operation", FieldType.OPERATION, 0, none(), all()),

    SUBJECT_CATEGORY("subject.category", FieldType.SUBJECT_CATEGORY, 0, all(), all()),
    SUBJECT_NAME("subject.name", FieldType.TEXT, 200, all(), all()),
    SUBJECT_USCC("subject.uscc", FieldType.USCC, 18, none(), all()),
    SUBJECT_REG_NO("subject.regNo", FieldType.CODE, 50, none(), all()),
    SUBJECT_ORG_CODE("subject.orgCode", FieldType.ORG_CODE, 9, none(), all()),
    SUBJECT_TAX_NO("subject.taxNo", FieldType.CODE, 50, none(), all()),
    SUBJECT_INSTITUTION_NO("subject.institutionNo", FieldType.CODE, 50, none(), all()),
    SUBJECT_SOCIAL_ORG_NO("subject.socialOrgNo", FieldType.CODE, 50, none(), all()),
    LEGAL_REP_NAME("subject.legalRep.name", FieldType.TEXT, 100, none(), all()),
    LEGAL_REP_ID_TYPE("subject.legalRep.idType", FieldType.ID_TYPE, 0, none(), all()),
    LEGAL_REP_ID_NUMBER("subject.legalRep.idNumber", FieldType.ID_NUMBER, 64, none(), all()),
    PRINCIPAL_NAME("subject.principal.name", FieldType.TEXT, 100, none(), all()),
    PRINCIPAL_ID_TYPE("subject.principal.idType", FieldType.ID_TYPE, 0, none(), all()),
    PRINCIPAL_ID_NUMBER("subject.principal.idNumber", FieldType.ID_NUMBER, 64, none(), all()),
    RESPONSIBLE_NAME("subject.responsible.name", FieldType.TEXT, 100, none(), all()),
    RESPONSIBLE_ID_TYPE("subject.responsible.idType", FieldType.ID_TYPE, 0, none(), all()),
    RESPONSIBLE_ID_NUMBER("subject.responsible.idNumber", FieldType.ID_NUMBER, 64, none(), all()),
    SUBJECT_ID_TYPE("subject.idType", FieldType.ID_TYPE, 0, none(), all()),
    SUBJECT_ID_NUMBER("subject.idNumber", FieldType.ID_NUMBER, 64, none(), all()),

    PENALTY_DECISION_NO("penalty.decisionNo", FieldType.TEXT, 128, of(ADMIN_PENALTY), of(ADMIN_PENALTY)),
    PENALTY_VIOLATION_TYPE("penalty.violationType", FieldType.TEXT, 2000, of(ADMIN_PENALTY), of(ADMIN_PENALTY)),
    PENALTY_FACTS("penalty.facts", FieldType.TEXT, 5000, of(ADMIN_PENALTY), of(ADMIN_PENALTY)),
    PENALTY_BASIS("penalty.basis", FieldType.TEXT, 2000, of(ADMIN_PENALTY), of(ADMIN_PENALTY)),
    PENALTY_KINDS("penalty.kinds", FieldType.PENALTY_KINDS, 0, of(ADMIN_PENALTY), of(ADMIN_PENALTY)),
    PENALTY_CONTENT("penalty.content", FieldType.TEXT, 4000, of(ADMIN_PENALTY), of(ADMIN_PENALTY)),
    PENALTY_FINE("penalty.fineWan", FieldType.AMOUNT, 0, none(), of(ADMIN_PENALTY)),
    PENALTY_CONFISCATED("penalty.confiscatedWan", FieldType.AMOUNT, 0, none(), of(ADMIN_PENALTY)),
    PENALTY_SUSPENDED_LICENCE("penalty.suspendedLicence", FieldType.TEXT, 200, none(), of(ADMIN_PENALTY)),
    PENALTY_DECISION_DATE("penalty.decisionDate", FieldType.DATE, 0, of(ADMIN_PENALTY), of(ADMIN_PENALTY)),
    PENALTY_VALID_UNTIL("penalty.validUntil", FieldType.DATE, 0, of(ADMIN_PENALTY), of(ADMIN_PENALTY)),
    PENALTY_PUBLICITY_UNTIL("penalty.publicityUntil", FieldType.DATE, 0, none(), of(ADMIN_PENALTY)),
    PENALTY_AUTHORITY_NAME("penalty.authority.name", FieldType.TEXT, 200, of(ADMIN_PENALTY), of(ADMIN_PENALTY)),
    PENALTY_AUTHORITY_USCC("penalty.authority.uscc", FieldType.USCC, 18, of(ADMIN_PENALTY), of(ADMIN_PENALTY)),
    PENALTY_SOURCE_NAME("penalty.dataSource.name", FieldType.TEXT, 200, of(ADMIN_PENALTY), of(ADMIN_PENALTY)),
    PENALTY_SOURCE_USCC("penalty.dataSource.uscc", FieldType.USCC, 18, of(ADMIN_PENALTY), of(ADMIN_PENALTY)),
    PENALTY_REMARKS("penalty.remarks", FieldType.TEXT, 512, none(), of(ADMIN_PENALTY)),

    LICENCE_DOCUMENT_NAME("licence.documentName", FieldType.TEXT, 256, of(ADMIN_LICENSE), of(ADMIN_LICENSE)),
    LICENCE_DECISION_NO("licence.decisionNo", FieldType.TEXT, 128, of(ADMIN_LICENSE), of(ADMIN_LICENSE)),
    LICENCE_CATEGORY("licence.category", FieldType.LICENCE_CATEGORY, 0, of(ADMIN_LICENSE), of(ADMIN_LICENSE)),
    LICENCE_CERTIFICATE_NAME("licence.certificateName", FieldType.TEXT, 128, none(), of(ADMIN_LICENSE)),
    LICENCE_NO("licence.licenceNo", FieldType.TEXT, 128, none(), of(ADMIN_LICENSE)),
    LICENCE_CONTENT("licence.content", FieldType.TEXT, 4000, none(), of(ADMIN_LICENSE)),
    LICENCE_DECISION_DATE("licence.decisionDate", FieldType.DATE, 0, of(ADMIN_LICENSE), of(ADMIN_LICENSE)),
    LICENCE_VALID_FROM("licence.validFrom", FieldType.DATE, 0, of(ADMIN_LICENSE), of(ADMIN_LICENSE)),
    LICENCE_VALID_TO("licence.validTo", FieldType.DATE, 0, of(ADMIN_LICENSE), of(ADMIN_LICENSE)),
    LICENCE_AUTHORITY_NAME("licence.authority.name", FieldType.TEXT, 200, of(ADMIN_LICENSE), of(ADMIN_LICENSE)),
    LICENCE_AUTHORITY_USCC("licence.authority.uscc", FieldType.USCC, 18, of(ADMIN_LICENSE), of(ADMIN_LICENSE)),
    LICENCE_STATUS("licence.status", FieldType.TEXT, 64, none(), of(ADMIN_LICENSE)),
    LICENCE_SOURCE_NAME("licence.dataSource.name", FieldType.TEXT, 200, of(ADMIN_LICENSE), of(ADMIN_LICENSE)),
    LICENCE_SOURCE_USCC("licence.dataSource.uscc", FieldType.USCC, 18, of(ADMIN_LICENSE), of(ADMIN_LICENSE)),
    LICENCE_REMARKS("licence.remarks", FieldType.TEXT, 512, none(), of(ADMIN_LICENSE)),

    ENTRY_LIST_TYPE("entry.listType", FieldType.LIST_TYPE, 64, of(LIST_ENTRY), of(LIST_ENTRY)),
    ENTRY_CATEGORY("entry.category", FieldType.LIST_CATEGORY, 0, of(LIST_ENTRY), of(LIST_ENTRY)),
    ENTRY_DECIDED_BY_NAME("entry.decidedBy.name", FieldType.TEXT, 200, of(LIST_ENTRY), of(LIST_ENTRY)),
    ENTRY_DECIDED_BY_USCC("entry.decidedBy.uscc", FieldType.USCC, 18, of(LIST_ENTRY), of(LIST_ENTRY)),
    ENTRY_BASIS("entry.basis", FieldType.TEXT, 2000, none(), of(LIST_ENTRY)),
    ENTRY_DECIDED_ON("entry.decidedOn", FieldType.DATE, 0, of(LIST_ENTRY), of(LIST_ENTRY)),
    ENTRY_VALID_FROM("entry.validFrom", FieldType.DATE, 0, none(), of(LIST_ENTRY)),
    ENTRY_VALID_TO("entry.validTo", FieldType.DATE, 0, none(), of(LIST_ENTRY)),
    ENTRY_REASON("entry.reason", FieldType.TEXT, 2000, none(), of(LIST_ENTRY)),
    ENTRY_DOCUMENT_NO("entry.documentNo", FieldType.TEXT, 128, none(), of(LIST_ENTRY)),
    ENTRY_STATUS("entry.status", FieldType.LIST_STATUS, 0, none(), of(LIST_ENTRY)),
    ENTRY_EXIT_DATE("entry.exitDate", FieldType.DATE, 0, none(), of(LIST_ENTRY)),
    ENTRY_EXIT_REASON("entry.exitReason", FieldType.TEXT, 2000, none(), of(LIST_ENTRY)),

    COMMITMENT_NUMBER("commitment.number", FieldType.TEXT, 128, of(COMMITMENT), of(COMMITMENT)),
    COMMITMENT_MATTER("commitment.matter", FieldType.TEXT, 200, of(COMMITMENT), of(COMMITMENT)),
    COMMITMENT_CONTENT("commitment.content", FieldType.TEXT, 2000, of(COMMITMENT), of(COMMITMENT)),
    COMMITMENT_COMMITTED_ON("commitment.committedOn", FieldType.DATE, 0, of(COMMITMENT), of(COMMITMENT)),
    COMMITMENT_DEADLINE("commitment.deadline", FieldType.DATE, 0, of(COMMITMENT), of(COMMITMENT)),
    COMMITMENT_ACCEPTED_BY_NAME("commitment.acceptedBy.name", FieldType.TEXT, 200, of(COMMITMENT), of(COMMITMENT)),
    COMMITMENT_ACCEPTED_BY_USCC("commitment.acceptedBy.uscc", FieldType.USCC, 18, of(COMMITMENT), of(COMMITMENT)),
    /** OPEN, FULFILLED or BROKEN (the mapping's table turns the source's words into these). */
    COMMITMENT_STATUS("commitment.status", FieldType.TEXT, 16, none(), of(COMMITMENT)),
    COMMITMENT_CLOSED_ON("commitment.closedOn", FieldType.DATE, 0, none(), of(COMMITMENT)),
    COMMITMENT_REMARKS("commitment.remarks", FieldType.TEXT, 512, none(), of(COMMITMENT));

    /** Prefix of free-form per-feed facts of a list entry, e.g. {@code entry.attributes.evaluationYear}. */
    public static final String ENTRY_ATTRIBUTE_PREFIX = "entry.attributes.";
    /** Longest text accepted in one list-entry attribute. */
    public static final int ENTRY_ATTRIBUTE_MAX_LENGTH = 2000;

    private static final Map<String, CanonicalField> BY_PATH = new HashMap<>();

    static {
        for (CanonicalField f : values()) {
            BY_PATH.put(f.path, f);
        }
    }

    private final String path;
    private final FieldType type;
    private final int maxLength;
    private final Set<RecordKind> requiredIn;
    private final Set<RecordKind> usedIn;

    CanonicalField(String path, FieldType type, int maxLength, Set<RecordKind> requiredIn, Set<RecordKind> usedIn) {
        this.path = path;
        this.type = type;
        this.maxLength = maxLength;
        this.requiredIn = requiredIn;
        this.usedIn = usedIn;
    }

    public String path() {
        return path;
    }

    public FieldType type() {
        return type;
    }

    /** Longest accepted text in characters, or 0 when the type itself bounds it. */
    public int maxLength() {
        return maxLength;
    }

    public boolean requiredIn(RecordKind kind) {
        return requiredIn.contains(kind);
    }

    public boolean usedIn(RecordKind kind) {
        return usedIn.contains(kind);
    }

    /** The field with this path, or null. */
    public static CanonicalField byPath(String path) {
        return BY_PATH.get(path);
    }

    private static Set<RecordKind> all() {
        return Collections.unmodifiableSet(EnumSet.allOf(RecordKind.class));
    }

    private static Set<RecordKind> none() {
        return Collections.unmodifiableSet(EnumSet.noneOf(RecordKind.class));
    }

    private static Set<RecordKind> of(RecordKind kind) {
        return Collections.unmodifiableSet(EnumSet.of(kind));
    }
}
