package cn.bazhong.credit.gateway.ingest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Exits of a full snapshot that the guard held for an operator's decision, as operators see it: no
 * full personal ID number, persons' names shortened.
 *
 * @param holdId         {@code H-} and 16 hex characters, derived from the feed and the snapshot's receipt
 * @param feed           the mapping id of the full-snapshot feed, e.g. {@code zjfy-defaulters}
 * @param receiptId      the receipt of the snapshot that would make these exits
 * @param source         the file name or request id of that snapshot
 * @param snapshotDay    the day the exits are dated when approved
 * @param membersBefore  active members of the list before that snapshot
 * @param exitCount      exits held
 * @param exits          the exits, masked (at most {@link #LISTED} of them; {@code exitCount} counts all)
 * @param reason         why they were held, e.g. {@code guard: 27 of 120 members (22 %) > 10 %}
 * @param status         PENDING until decided; APPROVED, REJECTED, or SUPERSEDED by a newer snapshot of the feed
 * @param decidedBy      the operator who approved or rejected it (null while pending or when superseded)
 * @param decisionReason the reason an operator gave for rejecting it
 * @param supersededBy   the receipt of the newer snapshot that superseded it
 */
public record SnapshotExitHold(
        String holdId,
        String feed,
        String department,
        String receiptId,
        String channel,
        String source,
        Instant receivedAt,
        LocalDate snapshotDay,
        int membersBefore,
        int exitCount,
        List<HeldExit> exits,
        String reason,
        Status status,
        String decidedBy,
        Instant decidedAt,
        String decisionReason,
        String supersededBy) {

    /** Held exits listed in detail at most; the others are counted. */
    public static final int LISTED = 10_000;

    public enum Status { PENDING, APPROVED, REJECTED, SUPERSEDED }

    public SnapshotExitHold {
        exits = exits == null ? List.of() : List.copyOf(exits);
    }

    /**
     * One exit the hold would make.
     *
     * @param recordId    masked when it holds a person's ID number
     * @param subjectName a person's name shortened to its first character and stars; an organisation's name as it is
     * @param subjectCode the credit code, or the masked ID number of a person
     */
    public record HeldExit(String recordId, String subjectName, String subjectCode, String listType, String documentNo) {
    }

    SnapshotExitHold decided(Status newStatus, String operator, Instant at, String why, String superseding) {
        return new SnapshotExitHold(holdId, feed, department, receiptId, channel, source, receivedAt, snapshotDay, membersBefore,
                exitCount, exits, reason, newStatus, operator, at, why, superseding);
    }
}
