package cn.bazhong.credit.gateway.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What became of one file, request or message. Sent back over the source's own channel, and
 * completed with the province's rejections when they arrive.
 *
 * @param source        the file name, request id or topic/partition/offset
 * @param accepted      records written durably for delivery upstream
 * @param duplicates    records identical to one already delivered (dropped)
 * @param exited        for a full-snapshot feed: members of the list missing from this snapshot, sent as exits
 * @param rejected      records refused, each with position, field, rule and message
 * @param upstream      records the province refused after accepting the batch
 */
public record Receipt(
        String receiptId,
        String department,
        String feed,
        String channel,
        String source,
        Instant receivedAt,
        Instant durableAt,
        long accepted,
        long duplicates,
        long exited,
        List<RejectedRecord> rejected,
        List<UpstreamRejection> upstream) {

    /** A record the gateway refused. The message never holds a full personal ID number. */
    public record RejectedRecord(long position, String field, String rule, String message) {
    }

    /** A record the province refused. */
    public record UpstreamRejection(String recordId, long position, String code, String message, Instant at) {
    }

    public Receipt withUpstreamRejection(UpstreamRejection rejection) {
        List<UpstreamRejection> more = new ArrayList<>(upstream == null ? List.of() : upstream);
        if (more.stream().noneMatch(u -> u.recordId().equals(rejection.recordId()))) {
            more.add(rejection);
        }
        return new Receipt(receiptId, department, feed, channel, source, receivedAt, durableAt, accepted, duplicates, exited,
                rejected, List.copyOf(more));
    }
}
