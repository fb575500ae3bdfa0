package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Receipts: written to the compacted receipts topic (the record) before they are answered, and
 * kept in a Hazelcast map for {@code GET /api/v1/receipts/{id}} and the supervision report. Both keep
 * a receipt for {@code retention} after it was received (a Kafka feed has one receipt per message,
 * so their number grows with the traffic), then it goes.
 */
public class ReceiptStore implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final IMap<String, String> receipts;

    private final java.time.Duration retention;
    private final java.time.Clock clock;

    public ReceiptStore(KafkaClients clients, GatewayTopics topics, HazelcastInstance hazelcast, java.time.Duration retention,
                        java.time.Clock clock) {
        this.retention = retention;
        this.clock = clock;
        this.producer = clients.producer("gateway-receipts");
        this.topic = topics.receipts();
        this.receipts = hazelcast.getMap(HazelcastMaps.RECEIPTS);
    }

    /**
     * Fills the receipts view from the compacted receipts topic when the view is empty (the whole
     * Hazelcast cluster was restarted), so that receipts stay answerable across restarts.
     */
    public void rebuildIfEmpty(KafkaClients clients) {
        if (!receipts.isEmpty()) {
            return;
        }
        clients.readToEnd(topic, "receipts-loader", r -> {
            long left = remaining(java.time.Instant.ofEpochMilli(r.timestamp()));
            if (r.value() != null && left > 0) {
                receipts.set(r.key(), new String(r.value(), java.nio.charset.StandardCharsets.UTF_8), left, TimeUnit.MILLISECONDS);
            }
        });
    }

    public void save(Receipt receipt) {
        ProducerRecord<String, byte[]> record = record(receipt);
        KafkaClients.awaitDurable(producer.send(record), "receipt " + receipt.receiptId());
        show(receipt, record.value());
    }

    /** The receipt as a record of the receipts topic, for a writer that sends it in its own transaction. */
    public ProducerRecord<String, byte[]> record(Receipt receipt) {
        return new ProducerRecord<>(topic, receipt.receiptId(), toJson(receipt));
    }

    /** Makes a receipt answerable once its record (its JSON, the value of {@link #record}) is durable, committed. */
    public void show(Receipt receipt, byte[] json) {
        long left = remaining(receipt.receivedAt() == null ? java.time.Instant.now(clock) : receipt.receivedAt());
        receipts.set(receipt.receiptId(), new String(json, java.nio.charset.StandardCharsets.UTF_8), Math.max(1, left), TimeUnit.MILLISECONDS);
    }

    /** Milliseconds a receipt received at {@code receivedAt} is still kept. */
    private long remaining(java.time.Instant receivedAt) {
        return retention.minus(java.time.Duration.between(receivedAt, java.time.Instant.now(clock))).toMillis();
    }

    /**
     * Every receipt held (cluster-wide), one at a time: for reports over a period. Fetched in pages,
     * so the caller never holds more than a page of receipts.
     */
    public void forEach(java.util.function.Consumer<Receipt> each) {
        java.util.Iterator<java.util.Map.Entry<String, String>> all = receipts.iterator(FETCH_SIZE);
        while (all.hasNext()) {
            each.accept(fromJson(all.next().getValue()));
        }
    }

    static final int FETCH_SIZE = 200;

    public Receipt find(String receiptId) {
        String json = receipts.get(receiptId);
        return json == null ? null : fromJson(json);
    }

    /** Adds a province rejection to the receipt of the record's source. */
    public Receipt addUpstreamRejection(String receiptId, Receipt.UpstreamRejection rejection) {
        Receipt current = find(receiptId);
        if (current == null) {
            return null;
        }
        Receipt updated = current.withUpstreamRejection(rejection);
        save(updated);
        return updated;
    }

    static byte[] toJson(Receipt receipt) {
        try {
            return RecordJson.mapper().writeValueAsBytes(receipt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a receipt could not be written as JSON", e);
        }
    }

    static Receipt fromJson(String json) {
        try {
            return RecordJson.mapper().readValue(json, Receipt.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored receipt could not be read", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
