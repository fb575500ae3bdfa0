package cn.bazhong.credit.gateway.ingest;

/**
 * The hold can no longer be decided: it was approved or rejected already, or a newer snapshot of its
 * feed superseded it (an HTTP layer answers 409). The message says which, and by whom or by what.
 */
public class SnapshotHoldConflictException extends RuntimeException {

    private final String holdId;
    private final SnapshotExitHold.Status status;

    public SnapshotHoldConflictException(SnapshotExitHold hold) {
        super(describe(hold));
        this.holdId = hold.holdId();
        this.status = hold.status();
    }

    public String holdId() {
        return holdId;
    }

    /** The state the hold is in: APPROVED, REJECTED or SUPERSEDED. */
    public SnapshotExitHold.Status status() {
        return status;
    }

    private static String describe(SnapshotExitHold h) {
        return switch (h.status()) {
            case SUPERSEDED -> "snapshot exit hold " + h.holdId() + " was superseded by the newer snapshot of " + h.feed()
                    + " in receipt " + h.supersededBy() + " at " + h.decidedAt();
            default -> "snapshot exit hold " + h.holdId() + " was " + h.status().name().toLowerCase(java.util.Locale.ROOT)
                    + " by " + h.decidedBy() + " at " + h.decidedAt();
        };
    }
}
