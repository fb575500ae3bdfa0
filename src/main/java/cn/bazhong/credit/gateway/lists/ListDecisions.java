package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.ingest.RecordPublisher;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.Operation;
import cn.bazhong.credit.gateway.schema.Provenance;
import cn.bazhong.credit.gateway.schema.RecordKind;
import cn.bazhong.credit.gateway.schema.RecordVersion;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Decisions on a list entry taken through the gateway: credit repair (信用修复) exits the entry, an
 * objection (异议) flags it UNDER_OBJECTION, and the objection's decision either exits it (upheld) or
 * clears the flag (rejected). Each decision is the entry's next version, written to the records topic
 * like any department's record: it reaches the province, becomes the list state, and the change goes
 * out to every department (exits cancel the initiations sent). Only the listing unit (the department
 * whose record it is) or an operator decides.
 */
public class ListDecisions {

    public static final String MAPPING = "list-decision";

    /** Why a decision cannot be taken; the API turns the kind into a status. */
    public static class Refused extends RuntimeException {
        public enum Kind { UNKNOWN, NOT_YOURS, CONFLICT, INVALID }

        private final Kind kind;

        public Refused(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    private final ListView view;
    private final RecordPublisher publisher;
    private final ReceiptStore receipts;
    private final Clock clock;
    private final java.util.function.UnaryOperator<LocalDate> objectionDue;
    private final cn.bazhong.credit.gateway.privacy.PersonalFields personal;

    /** @param objectionDue the day by which an objection filed on a day must be decided (working days, configured) */
    public ListDecisions(ListView view, RecordPublisher publisher, ReceiptStore receipts, Clock clock,
                         java.util.function.UnaryOperator<LocalDate> objectionDue) {
        this(view, publisher, receipts, clock, objectionDue, cn.bazhong.credit.gateway.privacy.PersonalFields.CLEAR);
    }

    /** @param personal opens the entry's sealed subject: the decision's version is the hash of its clear content, like every record's */
    public ListDecisions(ListView view, RecordPublisher publisher, ReceiptStore receipts, Clock clock,
                         java.util.function.UnaryOperator<LocalDate> objectionDue, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        this.personal = personal;
        this.view = view;
        this.publisher = publisher;
        this.receipts = receipts;
        this.clock = clock;
        this.objectionDue = objectionDue;
    }

    /** 信用修复: the entry exits with the repair decision as its reason. */
    public Receipt repair(String actor, boolean operator, String subjectKey, String recordId, String decisionNo, String reason) {
        EntryState e = entry(actor, operator, subjectKey, recordId);
        if (e.status() == ListStatus.EXITED) {
            throw new Refused(Refused.Kind.CONFLICT, "entry " + recordId + " exited on " + e.exitDate() + " (" + e.exitReason() + ")");
        }
        if (blank(decisionNo)) {
            throw new Refused(Refused.Kind.INVALID, "a credit repair needs the repair decision's number (decisionNo)");
        }
        return write(actor, e, ListStatus.EXITED, LocalDate.now(clock), "CREDIT_REPAIR " + decisionNo + (blank(reason) ? "" : ": " + reason),
                "repair " + decisionNo);
    }

    /** 异议 filed: the entry is flagged UNDER_OBJECTION at every holder until the objection is decided. */
    public Receipt object(String actor, boolean operator, String subjectKey, String recordId, String reason) {
        EntryState e = entry(actor, operator, subjectKey, recordId);
        if (e.status() == ListStatus.EXITED) {
            throw new Refused(Refused.Kind.CONFLICT, "entry " + recordId + " has exited (" + e.exitReason() + "): nothing to object to");
        }
        if (e.status() == ListStatus.UNDER_OBJECTION) {
            throw new Refused(Refused.Kind.CONFLICT, "entry " + recordId + " is under objection already");
        }
        if (blank(reason)) {
            throw new Refused(Refused.Kind.INVALID, "an objection needs its reason");
        }
        LocalDate today = LocalDate.now(clock);
        return write(actor, e, ListStatus.UNDER_OBJECTION, null, null, "objection", java.util.Map.of(Objections.FILED_ON, today.toString(),
                Objections.DUE, objectionDue.apply(today).toString(), "objectionReason", reason));
    }

    /** How an objection ends. */
    public enum Outcome {
        /** upheld: the listing was wrong, the entry exits */
        UPHELD,
        /** upheld in part: the entry stays, corrected */
        CORRECTED,
        /** rejected: the flag is cleared, the entry stands as it was */
        REJECTED
    }

    /** A correction of an entry upheld in part: the fields given replace the entry's (null = unchanged). */
    public record Correction(LocalDate validTo, String basis, String reason) {
        boolean empty() {
            return validTo == null && blank(basis) && blank(reason);
        }
    }

    /** The objection decided: upheld exits the entry, corrected changes it and clears the flag, rejected clears the flag. */
    public Receipt decideObjection(String actor, boolean operator, String subjectKey, String recordId, Outcome outcome, String reason,
                                   Correction correction) {
        EntryState e = entry(actor, operator, subjectKey, recordId);
        if (e.status() != ListStatus.UNDER_OBJECTION) {
            throw new Refused(Refused.Kind.CONFLICT, "entry " + recordId + " has no objection pending (status " + e.status() + ")");
        }
        return switch (outcome) {
            case UPHELD -> write(actor, e, ListStatus.EXITED, LocalDate.now(clock), "OBJECTION_UPHELD" + (blank(reason) ? "" : ": " + reason),
                    "objection upheld");
            case REJECTED -> write(actor, e, ListStatus.ACTIVE, null, null, "objection rejected");
            case CORRECTED -> {
                if (correction == null || correction.empty()) {
                    throw new Refused(Refused.Kind.INVALID, "a correction names what changes: validTo, basis or reason");
                }
                yield write(actor, corrected(e, correction), ListStatus.ACTIVE, null, null, "objection upheld in part: entry corrected");
            }
        };
    }

    private static EntryState corrected(EntryState e, Correction c) {
        return new EntryState(e.recordId(), e.listType(), e.category(), e.decidedBy(), e.documentNo(), e.decidedOn(), e.validFrom(),
                c.validTo() == null ? e.validTo() : c.validTo(), e.status(), e.exitDate(), e.exitReason(),
                blank(c.basis()) ? e.basis() : c.basis(), blank(c.reason()) ? e.reason() : c.reason(), e.subject(), e.version(), e.change(),
                e.changedAt(), e.listingId(), e.decidedByUscc(), e.attributes(), e.history());
    }

    private EntryState entry(String actor, boolean operator, String subjectKey, String recordId) {
        if (ListStateStage.isLinked(recordId)) {
            throw new Refused(Refused.Kind.INVALID, "entry " + recordId + " is an organisation's entry recorded against its legal"
                    + " representative: decide on the organisation's entry, and this one follows");
        }
        EntryState e = view.entry(subjectKey, recordId);
        if (e == null) {
            throw new Refused(Refused.Kind.UNKNOWN, "the subject has no list entry " + recordId);
        }
        String listingUnit = recordId.substring(0, Math.max(0, recordId.indexOf(':')));
        if (!operator && !listingUnit.equalsIgnoreCase(actor)) {
            throw new Refused(Refused.Kind.NOT_YOURS, "entry " + recordId + " was listed by " + listingUnit + "; only that unit or an operator decides on it");
        }
        return e;
    }

    private Receipt write(String actor, EntryState e, ListStatus status, LocalDate exitDate, String exitReason, String what) {
        return write(actor, e, status, exitDate, exitReason, what, java.util.Map.of());
    }

    private Receipt write(String actor, EntryState e, ListStatus status, LocalDate exitDate, String exitReason, String what,
                          java.util.Map<String, String> objection) {
        String receiptId = "DECISION-" + UUID.randomUUID();
        Instant now = Instant.now(clock);
        String department = e.recordId().substring(0, e.recordId().indexOf(':'));
        // the decision is part of the entry's content: an objection rejected brings the entry back to its
        // listed content, which would otherwise be the old version again and be dropped as a re-send
        cn.bazhong.credit.gateway.schema.ListEntry listed = e.asListEntry(status, exitDate, exitReason);
        java.util.Map<String, String> attributes = new java.util.TreeMap<>(listed.attributes() == null ? java.util.Map.of() : listed.attributes());
        attributes.put("decision", what + " " + LocalDate.now(clock) + " " + receiptId);
        attributes.keySet().removeAll(java.util.List.of(Objections.FILED_ON, Objections.DUE, "objectionReason"));
        attributes.putAll(objection);
        listed = new cn.bazhong.credit.gateway.schema.ListEntry(listed.listType(), listed.category(), listed.decidedBy(), listed.basis(),
                listed.decidedOn(), listed.validFrom(), listed.validTo(), listed.reason(), listed.documentNo(), listed.status(),
                listed.exitDate(), listed.exitReason(), attributes);
        CreditRecord record = RecordVersion.stamp(new CreditRecord(e.recordId(), null, RecordKind.LIST_ENTRY, Operation.UPSERT,
                e.recordId().substring(e.recordId().indexOf(':', e.recordId().indexOf(':') + 1) + 1), personal.open(e.subject()), null, null,
                listed,
                new Provenance(department, "api", null, null, receiptId, null, null, null, now, MAPPING, 1)));
        RecordPublisher.Batch batch = publisher.batch(receiptId);
        batch.send(record);
        batch.awaitDurable();
        Receipt receipt = Receipt.clean(receiptId, department, MAPPING, "api", what + " by " + actor, now, Instant.now(clock), 1, 0,
                status == ListStatus.EXITED ? 1 : 0);
        receipts.save(receipt);
        return receipt;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
