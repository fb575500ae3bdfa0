package cn.bazhong.credit.gateway.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What became of one file, request or message. Sent back over the source's own channel, and
 * completed with the province's rejections when they arrive.
 *
 * <p>A receipt stays small whatever the source: it lists at most {@link #MAX_LISTED} rejections of
 * each kind in detail (the first ones, in the order of the source) and counts all of them, with the
 * gateway's rejections also counted per rule, so that a file refused wholesale still gets an answer
 * that tells what is wrong with it.
 *
 * @param source          the file name, request id or topic/partition/offset
 * @param accepted        records written durably for delivery upstream
 * @param duplicates      records identical to one already delivered (dropped)
 * @param exited          for a full-snapshot feed: members of the list missing from this snapshot, sent as exits
 * @param rejectedTotal   records refused by the gateway, all of them
 * @param rejectedByRule  the same, counted per rule
 * @param rejected        the first of them ({@link #MAX_LISTED} at most), each with position, field, rule and message
 * @param upstreamTotal   records the province refused after accepting the batch, all of them
 * @param upstream        the first of those ({@link #MAX_LISTED} at most)
 * @param exitsWithheld   for a full-snapshot feed: exits of members missing from this snapshot that were not sent
 *                        (the snapshot was not whole, their rows were rejected, or the exit guard holds them)
 * @param exitsWithheldReason why, e.g. {@code snapshot-incomplete: syntax error at record 7}, {@code rejected-rows: ...},
 *                        {@code guard: 27 of 120 members (22 %) > 10 %, hold H-...}; null when nothing was withheld.
 *                        Receipts stored before these fields existed read as 0 and null.
 * @param sourceTime      the source's own time of the unit: a Kafka message's timestamp, which tells a message read
 *                        again (same offset, same timestamp) from another message at the same offset of a topic
 *                        deleted and created again; null for other sources
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
        long rejectedTotal,
        Map<String, Long> rejectedByRule,
        List<RejectedRecord> rejected,
        long upstreamTotal,
        List<UpstreamRejection> upstream,
        long exitsWithheld,
        String exitsWithheldReason,
        Instant sourceTime) {

    /** Rejections of each kind listed in detail at most; the others are counted. */
    public static final int MAX_LISTED = 10_000;

    @com.fasterxml.jackson.annotation.JsonCreator
    public Receipt {
        rejected = rejected == null ? List.of() : rejected;
        upstream = upstream == null ? List.of() : upstream;
        rejectedByRule = rejectedByRule == null ? Map.of() : rejectedByRule;
        rejectedTotal = Math.max(rejectedTotal, rejected.size()); // receipts stored before the counts existed
        upstreamTotal = Math.max(upstreamTotal, upstream.size());
    }

    /** A receipt that withheld no exit. */
    public Receipt(String receiptId, String department, String feed, String channel, String source, Instant receivedAt,
                   Instant durableAt, long accepted, long duplicates, long exited, long rejectedTotal, Map<String, Long> rejectedByRule,
                   List<RejectedRecord> rejected, long upstreamTotal, List<UpstreamRejection> upstream) {
        this(receiptId, department, feed, channel, source, receivedAt, durableAt, accepted, duplicates, exited, rejectedTotal,
                rejectedByRule, rejected, upstreamTotal, upstream, 0, null, null);
    }

    /** A receipt without rejections. */
    public static Receipt clean(String receiptId, String department, String feed, String channel, String source,
                                Instant receivedAt, Instant durableAt, long accepted, long duplicates, long exited) {
        return new Receipt(receiptId, department, feed, channel, source, receivedAt, durableAt, accepted, duplicates, exited,
                0, Map.of(), List.of(), 0, List.of());
    }

    /** A record the gateway refused. The message never holds a full personal ID number. */
    public record RejectedRecord(long position, String field, String rule, String message) {
        /** The message never holds a full personal ID number, whoever wrote it. */
        public RejectedRecord {
            message = cn.bazhong.credit.gateway.validation.IdNumbers.maskAll(message);
        }
    }

    /** A record the province refused. */
    public record UpstreamRejection(String recordId, long position, String code, String message, Instant at) {
        /** The province's message may quote the record's values: its ID numbers are masked here. */
        public UpstreamRejection {
            message = cn.bazhong.credit.gateway.validation.IdNumbers.maskAll(message);
        }
    }

    /** The rejections of a source as they are found: the first ones in detail, all of them counted. */
    public static final class Rejections {
        private final List<RejectedRecord> listed = new ArrayList<>();
        private final Map<String, Long> byRule = new TreeMap<>();
        private long total;

        public void add(RejectedRecord r) {
            total++;
            byRule.merge(r.rule(), 1L, Long::sum);
            if (listed.size() < MAX_LISTED) {
                listed.add(r);
            }
        }

        public long total() {
            return total;
        }

        public Map<String, Long> byRule() {
            return Map.copyOf(byRule);
        }

        public List<RejectedRecord> listed() {
            return List.copyOf(listed);
        }
    }

    public Receipt withUpstreamRejection(UpstreamRejection rejection) {
        if (upstream.stream().anyMatch(u -> u.recordId().equals(rejection.recordId()))) {
            return this; // the same answer routed again (a batch resent after a restart)
        }
        List<UpstreamRejection> more = upstream;
        if (upstream.size() < MAX_LISTED) {
            more = new ArrayList<>(upstream);
            more.add(rejection);
            more = List.copyOf(more);
        }
        return new Receipt(receiptId, department, feed, channel, source, receivedAt, durableAt, accepted, duplicates, exited,
                rejectedTotal, rejectedByRule, rejected, upstreamTotal + 1, more, exitsWithheld, exitsWithheldReason, sourceTime);
    }
}
