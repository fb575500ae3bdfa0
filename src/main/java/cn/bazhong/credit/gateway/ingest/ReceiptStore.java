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
        this.counts = new ReceiptCounts(hazelcast);
    }

    private final ReceiptCounts counts;

    /**
     * Fills the receipts view from the compacted receipts topic when the view is empty (the whole
     * Hazelcast cluster was restarted), so that receipts stay answerable across restarts.
     */
    public void rebuildIfEmpty(KafkaClients clients) {
        if (!receipts.isEmpty()) {
            if (counts.isEmpty()) {
                recountTotals(); // receipts held from before their counts were kept
            }
            return;
        }
        clients.readToEnd(topic, "receipts-loader", r -> {
            long left = remaining(java.time.Instant.ofEpochMilli(r.timestamp()));
            if (r.value() != null && left > 0) {
                receipts.set(r.key(), new String(r.value(), java.nio.charset.StandardCharsets.UTF_8), left, TimeUnit.MILLISECONDS);
            }
        });
        recountTotals();
    }

    /**
     * Counts the receipts held again, per hour and kind ({@link ReceiptCounts}): after they were filled
     * other than through {@link #show} (a rebuild, a bulk load).
     */
    public void recountTotals() {
        counts.recount(receipts);
    }

    public void save(Receipt receipt) {
        ProducerRecord<String, byte[]> record = record(receipt);
        KafkaClients.awaitDurable(producer.send(record), "receipt " + receipt.receiptId());
        show(receipt, record.value());
    }

    /**
     * Stores the receipt, then hands it to {@code alongside} for one more write of it (e.g. to the department's own
     * receipts topic), given the receipt and the JSON just stored; waits for that write too. The copy goes out only
     * once the stored receipt is durable and answerable, so that a source read again after a stop in between finds
     * the receipt it was given (and can be given it again) rather than making a second, different one. Throws
     * {@link RecordPublisher.NotDurableException} when either write is not durable.
     */
    public void save(Receipt receipt, java.util.function.BiFunction<Receipt, byte[], java.util.concurrent.Future<?>> alongside) {
        ProducerRecord<String, byte[]> record = record(receipt);
        RecordPublisher.awaitDurable(producer.send(record), "receipt " + receipt.receiptId());
        show(receipt, record.value());
        RecordPublisher.awaitDurable(alongside.apply(receipt, record.value()), "the department's copy of receipt " + receipt.receiptId());
    }

    /** The receipt as a record of the receipts topic, for a writer that sends it in its own transaction. */
    public ProducerRecord<String, byte[]> record(Receipt receipt) {
        return new ProducerRecord<>(topic, receipt.receiptId(), toJson(receipt));
    }

    /** Makes a receipt answerable once its record (its JSON, the value of {@link #record}) is durable, committed. */
    public void show(Receipt receipt, byte[] json) {
        long left = remaining(receipt.receivedAt() == null ? java.time.Instant.now(clock) : receipt.receivedAt());
        String stored = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        String before = receipts.put(receipt.receiptId(), stored, Math.max(1, left), TimeUnit.MILLISECONDS);
        counts.stored(before, stored);
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
     * {@code offset}, newest first, and how many there are. The period is cut into hours; each whole hour's
     * count is read from the running counts ({@link ReceiptCounts}, about one read per day of the period),
     * only a part of an hour at the period's ends, or an hour whose receipts may have begun to expire, is
     * counted on the index. The counts tell which hours the page falls in; only those are asked for (ids
     * and times from the index's attributes), and only the page's receipts are read.
     */
    public Found search(String department, String feed, java.time.Instant from, java.time.Instant to, Boolean troubled,
                        int offset, int limit) {
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        if (end <= start || limit <= 0) {
            return new Found(java.util.List.of(), 0);
        }
        long firstHour = Math.floorDiv(start, ReceiptCounts.HOUR);
        long lastHour = Math.floorDiv(end - 1, ReceiptCounts.HOUR);
        java.util.Map<Long, java.util.HashMap<String, long[]>> days = counts.days(firstHour, lastHour + 1);
        // every receipt received since this hour began is still held
        long keptSince = java.time.Instant.now(clock).minus(retention).toEpochMilli();
        int hours = (int) (lastHour - firstHour + 1);
        long[] counted = ReceiptCounts.hourly(days, firstHour, lastHour + 1, department, feed, troubled);
        long[] found = new long[hours]; // newest hour first
        long total = 0;
        for (int i = 0; i < hours; i++) {
            long hour = lastHour - i;
            long lo = Math.max(start, hour * ReceiptCounts.HOUR);
            long hi = Math.min(end, (hour + 1) * ReceiptCounts.HOUR);
            boolean whole = lo == hour * ReceiptCounts.HOUR && hi == (hour + 1) * ReceiptCounts.HOUR;
            found[i] = whole && lo >= keptSince ? counted[(int) (hour - firstHour)]
                    : receipts.aggregate(com.hazelcast.aggregation.Aggregators.count(), query(department, feed, troubled, lo, hi));
            total += found[i];
        }
        // the hours the page falls in: [pageLo, pageHi), and how many newer receipts come before them
        long skipped = 0;
        int i = 0;
        while (i < hours && skipped + found[i] <= offset) {
            skipped += found[i++];
        }
        if (i == hours) {
            return new Found(java.util.List.of(), total);
        }
        long pageHi = Math.min(end, (lastHour - i + 1) * ReceiptCounts.HOUR);
        long inRange = 0;
        int j = i;
        while (j < hours && skipped + inRange < (long) offset + limit) {
            inRange += found[j++];
        }
        long pageLo = Math.max(start, (lastHour - j + 1) * ReceiptCounts.HOUR);
        java.util.List<Object[]> times = new java.util.ArrayList<>(receipts.project(
                com.hazelcast.projection.Projections.multiAttribute("__key", ReceiptAttributes.RECEIVED_AT),
                query(department, feed, troubled, pageLo, pageHi)));
        times.sort(java.util.Comparator.<Object[], Long>comparing(t -> ((Number) t[1]).longValue()).reversed()
                .thenComparing(t -> (String) t[0]));
        int first = (int) Math.min(times.size(), Math.max(0, offset - skipped));
        java.util.List<String> ids = times.subList(first, Math.min(times.size(), first + limit)).stream().map(t -> (String) t[0]).toList();
        java.util.Map<String, String> jsons = receipts.getAll(new java.util.HashSet<>(ids));
        java.util.List<Receipt> rows = new java.util.ArrayList<>();
        for (String id : ids) {
            String json = jsons.get(id);
            if (json != null) {
                rows.add(fromJson(json));
            }
        }
        return new Found(java.util.List.copyOf(rows), total);
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

    /** The stored receipts of {@code receiptIds}, by id, in one call to the cluster; ids without one are left out. */
    public java.util.Map<String, Receipt> findAll(java.util.Collection<String> receiptIds) {
        java.util.Map<String, Receipt> found = new java.util.HashMap<>();
        receipts.getAll(new java.util.HashSet<>(receiptIds)).forEach((id, json) -> found.put(id, fromJson(json)));
        return found;
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

    /** A receipt as it is stored and answered. */
    public static byte[] toJson(Receipt receipt) {
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
