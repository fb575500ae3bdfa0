package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.schema.CanonicalField;
import cn.bazhong.credit.gateway.schema.RecordKind;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.validation.Checked;
import cn.bazhong.credit.gateway.validation.IdNumber;
import cn.bazhong.credit.gateway.validation.Rule;
import cn.bazhong.credit.gateway.validation.Uscc;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import static cn.bazhong.credit.gateway.mapping.RecordDraft.RECORD_PROBLEM;
import static cn.bazhong.credit.gateway.mapping.RecordDraft.VALUE_PROBLEM;
import static cn.bazhong.credit.gateway.schema.CanonicalField.*;

/**
 * The rules that look at several fields of a record at once: conditional requirements of the
 * national standard, the ID-number check that depends on the 证件类型, and date ranges.
 */
final class RecordRules {

    /** 证件类型 assumed when a feed gives an ID number without its type. */
    static final String RESIDENT_ID = "身份证";
    static final String FINE = "罚款";

    /** The unconditionally required fields of each kind, by {@link RecordKind#ordinal()}, in declaration order. */
    private static final CanonicalField[][] REQUIRED = requiredFields();

    private RecordRules() {
    }

    static void check(RecordDraft d, RecordKind kind, LocalDate today) {
        checkIdNumber(d, SUBJECT_ID_TYPE, SUBJECT_ID_NUMBER, today);
        checkIdNumber(d, LEGAL_REP_ID_TYPE, LEGAL_REP_ID_NUMBER, today);
        checkIdNumber(d, PRINCIPAL_ID_TYPE, PRINCIPAL_ID_NUMBER, today);
        checkIdNumber(d, RESPONSIBLE_ID_TYPE, RESPONSIBLE_ID_NUMBER, today);
        checkSubject(d, kind);
        switch (kind) {
            case ADMIN_PENALTY -> checkPenalty(d, today);
            case ADMIN_LICENSE -> checkLicence(d, today);
            case LIST_ENTRY -> checkEntry(d, today);
            case COMMITMENT -> checkCommitment(d, today);
        }
        for (CanonicalField f : REQUIRED[kind.ordinal()]) {
            if (d.isMissing(f)) {
                d.problem(f, RECORD_PROBLEM, Rule.REQUIRED, "is required but empty");
            }
        }
    }

    private static CanonicalField[][] requiredFields() {
        RecordKind[] kinds = RecordKind.values();
        CanonicalField[][] required = new CanonicalField[kinds.length][];
        for (RecordKind kind : kinds) {
            required[kind.ordinal()] = Arrays.stream(CanonicalField.values())
                    .filter(f -> f.requiredIn(kind))
                    .toArray(CanonicalField[]::new);
        }
        return required;
    }

    private static void checkIdNumber(RecordDraft d, CanonicalField type, CanonicalField number, LocalDate today) {
        String value = d.string(number);
        if (value == null) {
            return;
        }
        String idType = d.string(type);
        if (idType == null && !d.isFailed(type)) {
            idType = RESIDENT_ID;
            d.put(type, idType);
        }
        if (RESIDENT_ID.equals(idType)) {
            Checked<String> checked = IdNumber.check(value, today);
            if (checked.isOk()) {
                d.put(number, checked.value());
            } else {
                d.problem(number, VALUE_PROBLEM, checked.rule(), checked.message());
            }
        }
    }

    private static void checkSubject(RecordDraft d, RecordKind kind) {
        String category = d.string(SUBJECT_CATEGORY);
        if (category == null) {
            return;
        }
        if (Subject.PERSON.equals(category)) {
            if (d.isMissing(SUBJECT_ID_NUMBER)) {
                d.problem(SUBJECT_ID_NUMBER, RECORD_PROBLEM, Rule.REQUIRED, "is required for a subject of category 自然人");
            }
            if (d.isMissing(SUBJECT_ID_TYPE) && !d.isFailed(SUBJECT_ID_NUMBER)) {
                d.problem(SUBJECT_ID_TYPE, RECORD_PROBLEM, Rule.REQUIRED, "is required for a subject of category 自然人");
            }
            return;
        }
        String uscc = d.string(SUBJECT_USCC);
        if (d.isMissing(SUBJECT_USCC)) {
            d.problem(SUBJECT_USCC, RECORD_PROBLEM, Rule.REQUIRED, "is required for a subject of category " + category);
        } else if (uscc != null && Uscc.isPlaceholder(uscc)) {
            if (!Subject.INDIVIDUAL_BUSINESS.equals(category)) {
                d.problem(SUBJECT_USCC, VALUE_PROBLEM, Rule.USCC_CHECK,
                        "the placeholder 00000000000000000X is only allowed for 个体工商户 without a credit code");
            } else if (d.isMissing(SUBJECT_REG_NO)) {
                d.problem(SUBJECT_REG_NO, RECORD_PROBLEM, Rule.REQUIRED,
                        "工商注册号 is required when the credit code is the placeholder 00000000000000000X");
            }
        }
        if ((kind == RecordKind.ADMIN_PENALTY || kind == RecordKind.ADMIN_LICENSE) && d.isMissing(LEGAL_REP_NAME)) {
            d.problem(LEGAL_REP_NAME, RECORD_PROBLEM, Rule.REQUIRED, "法定代表人 is required for a subject of category " + category);
        }
    }

    private static void checkPenalty(RecordDraft d, LocalDate today) {
        List<String> kinds = d.list(PENALTY_KINDS);
        if (kinds != null && kinds.contains(FINE) && d.isMissing(PENALTY_FINE)) {
            d.problem(PENALTY_FINE, RECORD_PROBLEM, Rule.REQUIRED, "罚款金额 is required when 处罚类别 includes 罚款");
        }
        notInFuture(d, PENALTY_DECISION_DATE, today);
        notBefore(d, PENALTY_VALID_UNTIL, PENALTY_DECISION_DATE);
        notBefore(d, PENALTY_PUBLICITY_UNTIL, PENALTY_DECISION_DATE);
    }

    private static void checkLicence(RecordDraft d, LocalDate today) {
        notInFuture(d, LICENCE_DECISION_DATE, today);
        notBefore(d, LICENCE_VALID_TO, LICENCE_VALID_FROM);
    }

    private static void checkEntry(RecordDraft d, LocalDate today) {
        notInFuture(d, ENTRY_DECIDED_ON, today);
        notBefore(d, ENTRY_VALID_TO, ENTRY_VALID_FROM);
        notBefore(d, ENTRY_EXIT_DATE, ENTRY_DECIDED_ON);
    }

    private static final List<String> COMMITMENT_STATUSES = List.of(
            cn.bazhong.credit.gateway.schema.Commitment.OPEN, cn.bazhong.credit.gateway.schema.Commitment.FULFILLED,
            cn.bazhong.credit.gateway.schema.Commitment.BROKEN);

    private static void checkCommitment(RecordDraft d, LocalDate today) {
        notInFuture(d, COMMITMENT_COMMITTED_ON, today);
        notBefore(d, COMMITMENT_DEADLINE, COMMITMENT_COMMITTED_ON);
        notBefore(d, COMMITMENT_CLOSED_ON, COMMITMENT_COMMITTED_ON);
        notInFuture(d, COMMITMENT_CLOSED_ON, today);
        String status = d.string(COMMITMENT_STATUS);
        if (status != null && !COMMITMENT_STATUSES.contains(status)) {
            d.problem(COMMITMENT_STATUS, VALUE_PROBLEM, Rule.ENUM, "'" + status + "' is none of " + String.join(", ", COMMITMENT_STATUSES));
        }
    }

    private static void notInFuture(RecordDraft d, CanonicalField field, LocalDate today) {
        LocalDate date = d.date(field);
        if (date != null && date.isAfter(today)) {
            d.problem(field, RECORD_PROBLEM, Rule.RANGE, date + " is in the future");
        }
    }

    private static void notBefore(RecordDraft d, CanonicalField later, CanonicalField earlier) {
        LocalDate end = d.date(later);
        LocalDate start = d.date(earlier);
        if (end != null && start != null && end.isBefore(start)) {
            d.problem(later, RECORD_PROBLEM, Rule.RANGE, end + " is before " + d.nameOf(earlier) + " " + start);
        }
    }
}
