package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.Subject;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The current state of one list entry, as the list-state topic records it and the view serves it.
 * Whether it is active on a day is derived here from the status and the validity dates, never stored.
 *
 * @param subject   whom the entry is about (full identifiers: this is internal state; every way out masks)
 * @param version   content version of the record that produced this state ({@code expired:<version>} for an
 *                  exit the gateway derived from the end of validity)
 * @param change    the list change this state was reached by, e.g. {@code list.entry.listed}; null when the
 *                  state change was not worth an event (an exit of an entry nobody had been told about)
 * @param changedAt when that change happened
 * @param listingId the id of the {@code list.entry.listed} event that began the entry's current listing;
 *                  kept through updates, objections and the exit, new when the entry is listed again.
 *                  The joint-measure initiations of that listing are named after it.
 * @param decidedByUscc the deciding unit's credit code, and {@code attributes} the feed's facts kept with the
 *                  entry: what a decision taken through the gateway (repair, objection) needs to write the
 *                  entry's next version whole
 * @param history   every change the entry went through, oldest first (at most {@link #HISTORY_KEPT}, the
 *                  latest): its list history, kept with the state on the compacted list-state topic for as
 *                  long as the entry is, where the fan-out's delivery log forgets after its TTL. Empty for a
 *                  state written before the history was kept (it then holds only {@code change}).
 */
public record EntryState(
        String recordId,
        String listType,
        ListCategory category,
        String decidedBy,
        String documentNo,
        LocalDate decidedOn,
        LocalDate validFrom,
        LocalDate validTo,
        ListStatus status,
        LocalDate exitDate,
        String exitReason,
        String basis,
        String reason,
        Subject subject,
        String version,
        String change,
        Instant changedAt,
        String listingId,
        String decidedByUscc,
        java.util.Map<String, String> attributes,
        java.util.List<Step> history) implements Serializable {

    /** One change of the entry's list history: the change's wire name ({@code list.entry.listed}) and when. */
    public record Step(String change, Instant at) implements Serializable {
    }

    /** How many changes an entry's history keeps: the latest ones. */
    public static final int HISTORY_KEPT = 100;

    public EntryState {
        history = history == null ? java.util.List.of() : java.util.List.copyOf(history);
    }

    /** A state without a history of its own yet; {@link #after} gives a state the history of the one before it. */
    public EntryState(String recordId, String listType, ListCategory category, String decidedBy, String documentNo, LocalDate decidedOn,
                      LocalDate validFrom, LocalDate validTo, ListStatus status, LocalDate exitDate, String exitReason, String basis,
                      String reason, Subject subject, String version, String change, Instant changedAt, String listingId,
                      String decidedByUscc, java.util.Map<String, String> attributes) {
        this(recordId, listType, category, decidedBy, documentNo, decidedOn, validFrom, validTo, status, exitDate, exitReason, basis,
                reason, subject, version, change, changedAt, listingId, decidedByUscc, attributes, java.util.List.of());
    }

    /**
     * This state with the history of the state before it ({@code before}, null for a new entry) and its own change
     * added at the end. A state written before histories were kept gives its last change as the history's start.
     */
    public EntryState after(EntryState before) {
        java.util.List<Step> steps = new java.util.ArrayList<>();
        if (before != null) {
            if (before.history.isEmpty() && before.change != null) {
                steps.add(new Step(before.change, before.changedAt));
            } else {
                steps.addAll(before.history);
            }
        }
        if (change != null) {
            steps.add(new Step(change, changedAt));
        }
        if (steps.size() > HISTORY_KEPT) {
            steps = steps.subList(steps.size() - HISTORY_KEPT, steps.size());
        }
        return withHistory(steps);
    }

    EntryState withHistory(java.util.List<Step> steps) {
        return new EntryState(recordId, listType, category, decidedBy, documentNo, decidedOn, validFrom, validTo, status, exitDate,
                exitReason, basis, reason, subject, version, change, changedAt, listingId, decidedByUscc, attributes, steps);
    }

    /** The roles under which an organisation's entry is recorded against a person behind it (plan item 15). */
    public static final java.util.Set<String> LINK_ROLES = java.util.Set.of(Subject.LEGAL_REP, Subject.PRINCIPAL, Subject.RESPONSIBLE);

    /** The organisation whose entry this is, recorded against one of its persons; null for the subject's own entry. */
    public String linkedToOrganisation() {
        return linkedAs() == null ? null : attributes.get("linkedTo");
    }

    /** As whom the person is linked ({@code LEGAL_REP}, {@code PRINCIPAL}, {@code RESPONSIBLE}); null for the subject's own entry. */
    public String linkedAs() {
        String role = attributes == null ? null : attributes.get("linkedAs");
        return role != null && LINK_ROLES.contains(role) ? role : null; // Set.of refuses contains(null)
    }

    public boolean activeOn(LocalDate day) {
        if (status == ListStatus.EXITED) {
            return false;
        }
        if (validFrom != null && day.isBefore(validFrom)) {
            return false;
        }
        return validTo == null || !day.isAfter(validTo);
    }

    /** Not exited by a decision, but past its validity on this day: an exit the gateway must derive itself. */
    public boolean expiredOn(LocalDate day) {
        return status != ListStatus.EXITED && validTo != null && day.isAfter(validTo);
    }

    /** The same entry, exited the day after its validity ended. */
    public EntryState expired(Instant at) {
        return new EntryState(recordId, listType, category, decidedBy, documentNo, decidedOn, validFrom, validTo,
                ListStatus.EXITED, validTo.plusDays(1), "EXPIRED", basis, reason, subject, "expired:" + version,
                ListChange.EXITED.wireName(), at, listingId, decidedByUscc, attributes).after(this);
    }

    /**
     * The entry as a list entry of the schema again, with another status: the next version of its record
     * when a decision taken through the gateway changes it (repair → EXITED, objection → UNDER_OBJECTION,
     * objection rejected → ACTIVE).
     */
    public cn.bazhong.credit.gateway.schema.ListEntry asListEntry(ListStatus newStatus, LocalDate newExitDate, String newExitReason) {
        return new cn.bazhong.credit.gateway.schema.ListEntry(listType, category,
                decidedBy == null && decidedByUscc == null ? null : new cn.bazhong.credit.gateway.schema.Unit(decidedBy, decidedByUscc),
                basis, decidedOn, validFrom, validTo, reason, documentNo, newStatus, newExitDate, newExitReason, attributes);
    }

    /**
     * The entry as departments and clerks see it: no subject (shown separately, masked as the reader
     * requires), no internal bookkeeping; the record id masked when it holds a person's ID number.
     */
    public Map<String, Object> publicView(boolean fullIdNumbers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recordId", fullIdNumbers ? recordId : cn.bazhong.credit.gateway.schema.PersonalData.masked(recordId, subject));
        m.put("listType", listType);
        m.put("category", category);
        m.put("status", status);
        m.put("decidedBy", decidedBy);
        m.put("documentNo", documentNo);
        m.put("basis", basis);
        m.put("reason", reason);
        m.put("decidedOn", decidedOn);
        m.put("validFrom", validFrom);
        m.put("validTo", validTo);
        m.put("exitDate", exitDate);
        m.put("exitReason", exitReason);
        if (linkedToOrganisation() != null) {
            m.put("linkedAs", linkedAs());
            m.put("linkedTo", linkedToOrganisation());
        }
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }
}
