package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.mapping.MappingResult;
import cn.bazhong.credit.gateway.mapping.Violation;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.validation.Rule;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one full snapshot may change in its list, decided from the members before it and what was
 * read of it; no Kafka, no I/O. A snapshot changes the list only when it can be trusted:
 *
 * <ul>
 *   <li>Exits are derived only from a snapshot read to its end without a syntax error. A syntax
 *       rejection anywhere, or a reader that failed, means the records after it are unknown: no exits
 *       at all ({@code snapshot-incomplete}).</li>
 *   <li>A party whose row is rejected for any other reason (a bad date, a wrong check digit) keeps its
 *       listing: the row's identity (its record id, from the business key) is taken from the raw values
 *       when they were read without a problem. When the identity of a rejected row cannot be
 *       determined, any member might be that row: no exits at all ({@code rejected-rows}).</li>
 *   <li>Exits of more than {@code guard} of the active members (0.10: a tenth) are not sent but held for
 *       an operator's decision ({@code guard}); the snapshot's listings and updates go on as normal.
 *       An empty snapshot, or one without a valid record, is caught by this too.</li>
 * </ul>
 *
 * <p>Use: {@link #accepted} for every accepted record (it returns the version to publish), {@link
 * #rejected} for every rejection, {@link #unreadable} when the reader failed, then {@link #decide}; {@link
 * #close} when done (it releases what its maker tied to it: {@link FullSnapshots} holds the feed's lock meanwhile).
 */
public final class SnapshotReconciliation implements AutoCloseable {

    private final SnapshotLedger.Members before;
    private final LocalDate day;
    private final Map<String, CreditRecord> present = new LinkedHashMap<>();
    private final Set<String> keptByRejection = new HashSet<>();
    private String incomplete;
    private long unidentified;
    private long firstUnidentified = -1;
    private final Runnable onClose;

    public SnapshotReconciliation(SnapshotLedger.Members before, LocalDate day) {
        this(before, day, () -> { });
    }

    SnapshotReconciliation(SnapshotLedger.Members before, LocalDate day, Runnable onClose) {
        this.before = before;
        this.day = day;
        this.onClose = onClose;
    }

    @Override
    public void close() {
        onClose.run();
    }

    public String mappingId() {
        return before.mappingId();
    }

    public LocalDate day() {
        return day;
    }

    /** Takes an accepted record of the snapshot; returns the version of it to publish (a return starts a new cycle). */
    public CreditRecord accepted(CreditRecord record) {
        CreditRecord r = before.continued(record, day);
        present.put(r.recordId(), r);
        return r;
    }

    /** Takes a rejected row of the snapshot. */
    public void rejected(MappingResult.Rejected rejection) {
        for (Violation v : rejection.violations()) {
            if (v.rule() == Rule.SYNTAX) {
                unreadable("syntax error at record " + rejection.position());
                return;
            }
        }
        if (rejection.recordId() == null) {
            unidentified++;
            if (firstUnidentified < 0) {
                firstUnidentified = rejection.position();
            }
        } else {
            keptByRejection.add(rejection.recordId());
        }
    }

    /** The snapshot could not be read to its end; the first reason given is kept. */
    public void unreadable(String reason) {
        if (incomplete == null) {
            incomplete = reason;
        }
    }

    /** The snapshot's records taken so far, as published, by record id. */
    public Collection<CreditRecord> present() {
        return Collections.unmodifiableCollection(present.values());
    }

    /**
     * What the snapshot changes: the exits to send now, the exits to hold, and how many exits are
     * withheld and why.
     *
     * @param guard the share of the active members (0.10 = a tenth) above which exits are held
     */
    public Decision decide(double guard) {
        List<CreditRecord> active = before.active();
        List<CreditRecord> missing = new ArrayList<>();
        for (CreditRecord member : active) {
            if (!present.containsKey(member.recordId())) {
                missing.add(member);
            }
        }
        if (incomplete != null) {
            return new Decision(List.of(), List.of(), active.size(), missing.size(), "snapshot-incomplete: " + incomplete);
        }
        if (unidentified > 0) {
            return new Decision(List.of(), List.of(), active.size(), missing.size(), "rejected-rows: " + unidentified
                    + " rejected row(s) whose identity cannot be determined (the first at record " + firstUnidentified
                    + "), so no exit is derived from this snapshot");
        }
        List<CreditRecord> exits = new ArrayList<>();
        long kept = 0;
        for (CreditRecord member : missing) {
            if (keptByRejection.contains(member.recordId())) {
                kept++;
            } else {
                exits.add(SnapshotLedger.exitOf(member, day));
            }
        }
        List<String> reasons = new ArrayList<>();
        if (kept > 0) {
            reasons.add("rejected-rows: " + kept + " listed part" + (kept == 1 ? "y keeps its" : "ies keep their")
                    + " listing because the row was rejected");
        }
        if (!exits.isEmpty() && exits.size() > guard * active.size()) {
            reasons.add("guard: " + exits.size() + " of " + active.size() + " members (" + exits.size() * 100L / active.size()
                    + " %) > " + percent(guard) + " %");
            return new Decision(List.of(), List.copyOf(exits), active.size(), kept + exits.size(), String.join("; ", reasons));
        }
        return new Decision(List.copyOf(exits), List.of(), active.size(), kept, reasons.isEmpty() ? null : String.join("; ", reasons));
    }

    private static String percent(double share) {
        return new BigDecimal(Double.toString(share)).movePointRight(2).stripTrailingZeros().toPlainString();
    }

    /**
     * @param exits          exit versions to send now
     * @param held           exit versions the guard holds for an operator's decision (nothing else is held)
     * @param membersBefore  active members of the list before the snapshot
     * @param withheld       exits not sent now (held, kept for rejected rows, or not derived from an incomplete snapshot)
     * @param withheldReason why, or null when nothing is withheld
     */
    public record Decision(List<CreditRecord> exits, List<CreditRecord> held, int membersBefore, long withheld,
                           String withheldReason) {

        /** Whether the guard tripped: the exits wait in a hold. */
        public boolean isHeld() {
            return !held.isEmpty();
        }
    }
}
