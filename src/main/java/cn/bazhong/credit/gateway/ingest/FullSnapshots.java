package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.schema.CreditRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Ingest of full-snapshot feeds ({@code snapshot: true}): what {@link FeedIngestor} calls before and
 * after reading a snapshot. {@link #begin} takes the members of the list before the snapshot; once the
 * snapshot's own records are durable, {@link #settle} supersedes the feed's pending holds, sends the
 * exits {@link SnapshotReconciliation} allows (or holds them, see {@link SnapshotExitHolds}), and then
 * brings the ledger up to date. Exits are durable before the ledger records them, so a crash in
 * between derives the same exits again (duplicates), never loses them.
 */
public class FullSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(FullSnapshots.class);

    private final SnapshotLedger ledger;
    private final SnapshotExitHolds holds;
    private final RecordTraces traces;
    private final double guard;
    private final MeterRegistry registry;

    /** @param guard the share of a list's active members (0.10 = a tenth) above which a snapshot's exits are held */
    public FullSnapshots(SnapshotLedger ledger, SnapshotExitHolds holds, RecordTraces traces, double guard, MeterRegistry registry) {
        if (!(guard >= 0 && guard <= 1)) {
            throw new IllegalArgumentException("gateway.lists.snapshot-exit-guard must lie between 0 and 1, not " + guard);
        }
        this.ledger = ledger;
        this.holds = holds;
        this.traces = traces;
        this.guard = guard;
        this.registry = registry;
    }

    /**
     * Starts reading a snapshot of the feed, taken on {@code day}. Until the reconciliation is closed, the
     * feed is locked cluster-wide: another snapshot of the feed, or an operator's decision on one of its
     * holds, waits, so that each compares with the list as the one before it left it.
     */
    public SnapshotReconciliation begin(String mappingId, LocalDate day) {
        holds.lockFeed(mappingId);
        try {
            return new SnapshotReconciliation(ledger.members(mappingId), day, () -> holds.unlockFeed(mappingId));
        } catch (RuntimeException e) {
            holds.unlockFeed(mappingId);
            throw e;
        }
    }

    /**
     * What a snapshot changed beyond its own records: exits sent, exits withheld and why, and what is left
     * to record once the source is taken ({@link #recordTaken}).
     */
    public record Settled(long exited, long withheld, String withheldReason, Runnable recordTaken) {
    }

    /**
     * Once the snapshot's own records are durable in {@code batch}: sends its exits, or decides to hold them.
     * Nothing else is stored yet: the ledger, the hold and the superseding of older holds are written by
     * {@link Settled#recordTaken()}, which the ingestor runs once the source is taken (for a REST push, once its
     * transaction committed), still under the feed's lock. A push that aborts therefore leaves the ledger and the
     * holds as they were; a crash after the source was taken and before they are written derives the same exits
     * (the same versions, dropped as duplicates) or the same hold again from the next snapshot.
     */
    public Settled settle(SnapshotReconciliation snapshot, String department, FeedSource source, Instant receivedAt,
                          RecordPublisher.Batch batch) {
        String feed = snapshot.mappingId();
        SnapshotReconciliation.Decision decision = snapshot.decide(guard);
        String reason = decision.isHeld()
                ? decision.withheldReason() + ", hold " + SnapshotExitHolds.idOf(feed, source.receiptId())
                : decision.withheldReason();
        for (CreditRecord exit : decision.exits()) {
            batch.send(exit, traces.receivedLine(exit, source));
        }
        batch.awaitDurable();
        String withheldReason = reason;
        Runnable recordTaken = () -> {
            holds.supersedePending(feed, source.receiptId());
            if (decision.isHeld()) {
                holds.hold(feed, department, source, receivedAt, snapshot.day(), decision);
            }
            ledger.record(feed, snapshot.present(), decision.exits());
            if (decision.withheld() > 0) {
                Counter.builder("gateway.snapshot.exits.withheld").description("exits a full snapshot did not make, by reason")
                        .tag("feed", feed).tag("reason", decision.isHeld() ? "guard" : withheldReason.substring(0, withheldReason.indexOf(':')))
                        .register(registry).increment(decision.withheld());
                LOG.warn("snapshot {} of {}: {} exits withheld ({})", source.name(), feed, decision.withheld(), withheldReason);
            }
        };
        return new Settled(decision.exits().size(), decision.withheld(), reason, recordTaken);
    }
}
