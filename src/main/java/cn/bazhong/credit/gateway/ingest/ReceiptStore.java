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

    /** How many receipts a search finds: a pass over an index range, so counted at most every 30 s per search. */
    private final cn.bazhong.credit.gateway.infra.RecentCounts totals = new cn.bazhong.credit.gateway.infra.RecentCounts(
            java.time.Duration.ofSeconds(30), 1_000, java.time.Clock.systemUTC());

    /** One page of a receipt search, newest first, and how many receipts were found in all. */
    public record Found(java.util.List<Receipt> rows, long total) {
    }

    /** Newest first; receipts received in the same millisecond by id. */
    static final java.util.Comparator<Receipt> NEWEST_FIRST = java.util.Comparator
            .comparing(Receipt::receivedAt, java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder()))
            .thenComparing(Receipt::receiptId, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()));

    /**
     * The receipts received in {@code [from, to)}, of a department and a feed when given (either may be
     * null), with or without rejections when {@code troubled} is given: {@code limit} of them from
     * {@code offset}, newest first, and how many there are. The indexes of {@link ReceiptAttributes} name
     * them: the search walks back from {@code to} a period at a time, counts the periods before the page
     * and reads only the receipts of the periods the page falls in, so a page costs about what it shows
     * and the count costs an index range, however many receipts are held.
     */
    public Found search(String department, String feed, java.time.Instant from, java.time.Instant to, Boolean troubled,
                        int offset, int limit) {
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        if (end <= start || limit <= 0) {
            return new Found(java.util.List.of(), 0);
        }
        long total = totals.of(java.util.Arrays.asList(department, feed, troubled, start, end),
                () -> receipts.aggregate(com.hazelcast.aggregation.Aggregators.count(), query(department, feed, troubled, start, end)));
        long want = (long) offset + limit;
        long skipped = 0;
        java.util.List<Receipt> rows = new java.util.ArrayList<>();
        long hi = end;
        long width = 60_000;
        while (skipped + rows.size() < Math.min(want, total) && hi > start) {
            long lo = hi - start > width ? hi - width : start;
            com.hazelcast.query.Predicate<String, String> period = query(department, feed, troubled, lo, hi);
            long seen;
            long count = skipped + rows.size() >= offset ? -1 : receipts.aggregate(com.hazelcast.aggregation.Aggregators.count(), period);
            if (count >= 0 && skipped + count <= offset) {
                skipped += count;
                seen = count;
            } else {
                java.util.List<Receipt> found = new java.util.ArrayList<>();
                for (String json : receipts.values(period)) {
                    found.add(fromJson(json));
                }
                found.sort(NEWEST_FIRST);
                rows.addAll(found);
                seen = found.size();
            }
            // the next period: as long as the rest of the page needs at the density just seen, at most 16 times longer
            long needed = Math.max(1, want - skipped - rows.size());
            long factor = seen == 0 ? 16 : Math.min(16, Math.max(2, 2 * needed / seen + 1));
            width = width > Long.MAX_VALUE / factor ? Long.MAX_VALUE : width * factor;
            hi = lo;
        }
        int first = (int) Math.min(rows.size(), Math.max(0, offset - skipped));
        return new Found(java.util.List.copyOf(rows.subList(first, (int) Math.min(rows.size(), first + (long) limit))), total);
    }

    /** The receipts of {@code [from, to)} (epoch milliseconds) with the search's filters. */
    private static com.hazelcast.query.Predicate<String, String> query(String department, String feed, Boolean troubled, long from, long to) {
        com.hazelcast.query.Predicate<String, String> p;
        if (feed != null) {
            p = com.hazelcast.query.Predicates.between(ReceiptAttributes.FEED_AT, ReceiptAttributes.at(feed, from), ReceiptAttributes.at(feed, to - 1));
            if (department != null) {
                p = com.hazelcast.query.Predicates.and(p,
                        com.hazelcast.query.Predicates.equal(ReceiptAttributes.DEPARTMENT, department.toUpperCase(java.util.Locale.ROOT)));
            }
        } else if (department != null) {
            p = com.hazelcast.query.Predicates.between(ReceiptAttributes.DEPARTMENT_AT, ReceiptAttributes.at(department, from),
                    ReceiptAttributes.at(department, to - 1));
        } else {
            p = com.hazelcast.query.Predicates.between(ReceiptAttributes.RECEIVED_AT, from, to - 1);
        }
        return troubled == null ? p : com.hazelcast.query.Predicates.and(p, com.hazelcast.query.Predicates.equal(ReceiptAttributes.TROUBLED, troubled));
    }

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
