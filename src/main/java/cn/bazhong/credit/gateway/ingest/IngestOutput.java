package cn.bazhong.credit.gateway.ingest;

/**
 * Where {@link FeedIngestor} writes the records of a source and, once all of them are written and
 * durable, its receipt: the shared producer and the receipt store for files and messages, a push's
 * own Kafka transaction for REST pushes ({@link FeedPushes}).
 */
public interface IngestOutput {

    RecordPublisher.Batch batch(String receiptId);

    /** Stores the receipt; the source counts as taken once this returns, and not if it throws. */
    void complete(Receipt receipt);
}
