package cn.bazhong.credit.gateway.ingest;

import java.time.Instant;

/**
 * One unit a department delivered: a file, a request body or a message.
 *
 * @param mappingId  the mapping of the department feed, {@code <dept>-<feed>}
 * @param channel    sftp, ftp, ftps, jdbc, rest or kafka
 * @param name       the file name, a database feed's page (table and where the page starts), request id, or topic-partition-offset
 * @param receiptId  the id under which the receipt is stored and answered
 * @param sourceTime the source's own time of the unit where it has one: a Kafka message's timestamp (the
 *                   time its producer created it, kept by every replay of the topic); null otherwise
 */
public record FeedSource(String mappingId, String channel, String name, String receiptId,
                         String topic, Integer partition, Long offset, Instant sourceTime) {

    public FeedSource(String mappingId, String channel, String name, String receiptId, String topic, Integer partition, Long offset) {
        this(mappingId, channel, name, receiptId, topic, partition, offset, null);
    }

    public static FeedSource file(String mappingId, String fileName, String receiptId) {
        return new FeedSource(mappingId, "sftp", fileName, receiptId, null, null, null);
    }

    /** A file taken from a department's folder over {@code channel} (sftp, ftp or ftps). */
    public static FeedSource file(String mappingId, String channel, String fileName, String receiptId) {
        return new FeedSource(mappingId, channel, fileName, receiptId, null, null, null);
    }

    /** One page of rows read from a department's table by a database feed. */
    public static FeedSource page(String mappingId, String pageName, String receiptId) {
        return new FeedSource(mappingId, "jdbc", pageName, receiptId, null, null, null);
    }

    /** Whether the unit is located by a name of a file or a page (provenance {@code file}). */
    public boolean fromFiles() {
        return "sftp".equals(channel) || "ftp".equals(channel) || "ftps".equals(channel) || "jdbc".equals(channel);
    }

    public static FeedSource request(String mappingId, String requestId) {
        return new FeedSource(mappingId, "rest", requestId, requestId, null, null, null);
    }

    public static FeedSource message(String mappingId, String topic, int partition, long offset) {
        return message(mappingId, topic, partition, offset, null);
    }

    /** A Kafka message; {@code timestamp} is its record timestamp in epoch milliseconds (null or negative: none). */
    public static FeedSource message(String mappingId, String topic, int partition, long offset, Long timestamp) {
        String name = topic + "-" + partition + "-" + offset;
        return new FeedSource(mappingId, "kafka", name, name, topic, partition, offset,
                timestamp == null || timestamp < 0 ? null : Instant.ofEpochMilli(timestamp));
    }

    /**
     * A Kafka message taken again from a dead-letter topic by an operator: read like the message itself (its topic,
     * partition, offset and timestamp, parsed from {@code messageName} and kept in its records' provenance), under a
     * receipt of its own, so that the receipt the message got when it was set aside stays as it was.
     *
     * @param messageName {@code <topic>-<partition>-<offset>}, as {@link #message} names it
     * @param sourceTime  the message's own timestamp, or null when the dead letter does not have it
     */
    public static FeedSource replay(String mappingId, String messageName, String receiptId, Instant sourceTime) {
        int offsetAt = messageName.lastIndexOf('-');
        int partitionAt = offsetAt > 0 ? messageName.lastIndexOf('-', offsetAt - 1) : -1;
        if (partitionAt <= 0) {
            throw new IllegalArgumentException("'" + messageName + "' is not <topic>-<partition>-<offset>");
        }
        try {
            return new FeedSource(mappingId, "kafka", messageName, receiptId, messageName.substring(0, partitionAt),
                    Integer.parseInt(messageName.substring(partitionAt + 1, offsetAt)), Long.parseLong(messageName.substring(offsetAt + 1)),
                    sourceTime);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + messageName + "' is not <topic>-<partition>-<offset>", e);
        }
    }
}
