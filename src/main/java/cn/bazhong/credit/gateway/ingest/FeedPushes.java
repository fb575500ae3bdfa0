package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * REST pushes, all or nothing: the records of a push, its receipt and its completed Idempotency-Key
 * are written in one Kafka transaction ({@link PushTransactions}), committed only once the whole body
 * was read and its receipt made; any failure on the way (the body breaking off or growing over the
 * web layer's limit, a record Kafka did not take, ...) aborts it, so that the dedup stage, which
 * reads committed records only, never sees any of them. The receipts view and the key are shown in
 * Hazelcast after the commit.
 *
 * <p>An Idempotency-Key is bound to the SHA-256 of the body it first came with ({@link IdempotencyKeys}):
 * the same body again gets the first receipt ({@link PushOutcome.Repeated}), another body
 * {@link IdempotencyKeyReused}; while a push holds the key's lease, {@link IdempotencyKeyBusy}.
 */
public class FeedPushes {

    /** The mapping of the province's pushed list updates, whose body is reshaped to NDJSON. */
    static final String PROVINCE_LIST_UPDATES = "province-list-updates";

    private final MappingCatalog mappings;
    private final FeedIngestor ingestor;
    private final PushTransactions transactions;
    private final IdempotencyKeys keys;
    private final RecordPublisher publisher;
    private final ReceiptStore receipts;
    private final Duration renewEvery;
    private final Clock clock;

    public FeedPushes(MappingCatalog mappings, FeedIngestor ingestor, PushTransactions transactions, IdempotencyKeys keys,
                      RecordPublisher publisher, ReceiptStore receipts, Duration lease, Clock clock) {
        this.mappings = mappings;
        this.ingestor = ingestor;
        this.transactions = transactions;
        this.keys = keys;
        this.publisher = publisher;
        this.receipts = receipts;
        this.renewEvery = lease.dividedBy(3);
        this.clock = clock;
    }

    /**
     * Takes a push of {@code department} to the feed {@code mappingId}.
     *
     * @param department     the caller's department code, upper case
     * @param mappingId      the feed's mapping, e.g. {@code xzspj-licences}; it must belong to {@code department}
     * @param idempotencyKey null, or a key already format-checked by the web layer
     * @param body           the request body, limited by the web layer; not closed here
     * @throws IdempotencyKeyReused  the key came with another body before
     * @throws IdempotencyKeyBusy    another push holds the key
     * @throws PushCapacityExhausted no push slot of this node became free in time
     */
    public PushOutcome push(String department, String mappingId, String idempotencyKey, InputStream body) {
        MappingDefinition mapping = mappings.get(mappingId);
        if (mapping == null || !mapping.department().equals(department)) {
            throw new IllegalArgumentException("department " + department + " has no feed " + mappingId);
        }
        if (idempotencyKey == null) {
            return new PushOutcome.Ingested(ingest(mapping, null, body));
        }
        IdempotencyKeys.Claim claim = keys.claim(department, idempotencyKey);
        if (claim instanceof IdempotencyKeys.Completed done) {
            return repeated(done, idempotencyKey, body);
        }
        IdempotencyKeys.Leased lease = (IdempotencyKeys.Leased) claim;
        try {
            Receipt receipt = ingest(mapping, new KeyLease(lease, idempotencyKey), body);
            return new PushOutcome.Ingested(receipt);
        } catch (RuntimeException | Error e) {
            keys.release(lease);
            throw e;
        }
    }

    /** The same key again: the same body gets the first receipt, another body is refused. */
    private PushOutcome repeated(IdempotencyKeys.Completed done, String idempotencyKey, InputStream body) {
        String sha256 = new PushBody(body, () -> { }).finish(); // bounded by the web layer's size limit
        if (!sha256.equals(done.bodySha256())) {
            throw new IdempotencyKeyReused(idempotencyKey);
        }
        Receipt first = receipts.find(done.receiptId());
        if (first == null) {
            throw new IllegalStateException("the receipt " + done.receiptId() + " of Idempotency-Key '" + idempotencyKey + "' is no longer kept");
        }
        return new PushOutcome.Repeated(first);
    }

    private record KeyLease(IdempotencyKeys.Leased leased, String key) {
    }

    private Receipt ingest(MappingDefinition mapping, KeyLease lease, InputStream raw) {
        PushBody body = new PushBody(raw, lease == null ? () -> { } : renewing(lease.leased()));
        String requestId = (PROVINCE_LIST_UPDATES.equals(mapping.id()) ? "PUSH-" : "REQ-") + UUID.randomUUID();
        try (PushTransactions.Transaction txn = transactions.begin()) {
            if (lease != null) {
                keys.renew(lease.leased()); // the wait for a slot does not count against the lease
            }
            InputStream input = PROVINCE_LIST_UPDATES.equals(mapping.id()) ? new ListUpdateLines(body) : body;
            return ingestor.ingest(FeedSource.request(mapping.id(), requestId), input, new IngestOutput() {
                @Override
                public RecordPublisher.Batch batch(String receiptId) {
                    return publisher.batch(receiptId, txn.producer());
                }

                @Override
                public void complete(Receipt receipt) {
                    String sha256 = body.finish(); // throws if the body broke off at any point
                    ProducerRecord<String, byte[]> completion = null;
                    if (lease != null) {
                        keys.confirm(lease.leased(), lease.key());
                        completion = keys.completion(lease.leased(), sha256, receipt.receiptId());
                        txn.producer().send(completion);
                    }
                    ProducerRecord<String, byte[]> stored = receipts.record(receipt);
                    txn.producer().send(stored);
                    txn.commit(); // flushes; throws if a send failed
                    receipts.show(receipt, stored.value());
                    if (completion != null) {
                        keys.completed(lease.leased(), completion);
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the request body could not be read: " + e.getMessage(), e);
        }
    }

    /** Renews the key's lease at most every third of it while the body is read. */
    private Runnable renewing(IdempotencyKeys.Leased leased) {
        long[] last = {clock.millis()};
        return () -> {
            long now = clock.millis();
            if (now - last[0] >= renewEvery.toMillis()) {
                last[0] = now;
                keys.renew(leased);
            }
        };
    }
}
