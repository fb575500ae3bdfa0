package cn.bazhong.credit.gateway.ingest;

/**
 * One unit a department delivered: a file, a request body or a message.
 *
 * @param mappingId the mapping of the department feed, {@code <dept>-<feed>}
 * @param channel   sftp, rest or kafka
 * @param name      the file name, request id, or topic-partition-offset
 * @param receiptId the id under which the receipt is stored and answered
 */
public record FeedSource(String mappingId, String channel, String name, String receiptId,
                         String topic, Integer partition, Long offset) {

    public static FeedSource file(String mappingId, String fileName, String receiptId) {
        return new FeedSource(mappingId, "sftp", fileName, receiptId, null, null, null);
    }

    public static FeedSource request(String mappingId, String requestId) {
        return new FeedSource(mappingId, "rest", requestId, requestId, null, null, null);
    }

    public static FeedSource message(String mappingId, String topic, int partition, long offset) {
        String name = topic + "-" + partition + "-" + offset;
        return new FeedSource(mappingId, "kafka", name, name, topic, partition, offset);
    }
}
