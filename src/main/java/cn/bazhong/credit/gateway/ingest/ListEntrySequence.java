package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.ListEntry;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.RecordVersion;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The order of a list feed's messages per record, by the source's own time, for feeds that send one
 * record at a time with a time of their own (the tax bureau's Kafka topic: each message's timestamp is
 * the time the bureau's producer created it, and a replay of the topic keeps it).
 *
 * <p>A record's version is the hash of its content, so a department that withdraws a listing
 * (SWJ {@code zt=0}) and lists it again with exactly the content it had ({@code zt=1}, same decision
 * number and dates) would send a version already delivered, which deduplication drops as a re-send.
 * SWJ's messages carry no update time or sequence of their own (department-feeds.md), so the message
 * timestamp stands in for it: per record the gateway keeps the content version and source time of the
 * latest message, and the content versions the record had before. Then a message
 * <ul>
 *   <li>newer than the latest one that brings back an earlier content of the record (a re-listing, or a
 *       second withdrawal) carries its source time in the entry's attributes ({@value #SOURCE_TIME}): a new
 *       version, which reaches the province, the list state and the departments;</li>
 *   <li>with the latest content (re-sent, newer or not) gets exactly the latest version again: a duplicate;</li>
 *   <li>older than the latest one with another content is stale: it is dropped (counted as a duplicate), so
 *       an old message sent or replayed again never overrides a newer state.</li>
 * </ul>
 * New content is published as it is, so versions do not change for records that never come back. A
 * record the sequence has not seen yet starts from what the dedup index knows of it (the versions
 * forwarded before, the last one the latest), so that a listing withdrawn before the sequence existed
 * is listed again too.
 *
 * <p>Kept on the compacted topic {@code gateway.lists.sequence-topic} and in the Hazelcast map
 * {@value HazelcastMaps#LIST_ENTRY_SEQUENCE}, rebuilt from the topic after a full restart. A record's decision is
 * taken under its lock cluster-wide; its new place is written while the record is published, and the map takes it
 * only once that write is durable ({@link #begin}). The message is acknowledged only when both are durable: if
 * either fails it is read again, and the same decision is taken again from the same place.
 */
public class ListEntrySequence implements AutoCloseable {

    /** Attribute of a list entry that came back to an earlier content: the source's time of that message (ISO-8601). */
    public static final String SOURCE_TIME = "sourceTime";
    /** Earlier contents remembered per record. */
    static final int SEEN = 16;

    private final KafkaClients clients;
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final IMap<String, String> latest;
    private final DedupIndex dedup;

    public ListEntrySequence(KafkaClients clients, String topic, int partitions, short replicationFactor, HazelcastInstance hazelcast,
                             DedupIndex dedup) {
        this.clients = clients;
        this.dedup = dedup;
        this.topic = topic;
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(topic, partitions, replicationFactor,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        this.producer = clients.producer("gateway-list-entry-sequence");
        this.latest = hazelcast.getMap(HazelcastMaps.LIST_ENTRY_SEQUENCE);
    }

    /** Fills the view from the topic when it is empty (the whole cluster was restarted). */
    public void rebuildIfEmpty() {
        if (!latest.isEmpty()) {
            return;
        }
        clients.readToEnd(topic, "list-entry-sequence-loader", r -> {
            if (r.value() != null) {
                latest.set(r.key(), new String(r.value(), StandardCharsets.UTF_8));
            }
        });
    }

    /** Whether a record from this source is ordered here: a list entry of a non-snapshot feed whose source has a time. */
    public static boolean applies(CreditRecord record, FeedSource source, boolean snapshotFeed) {
        return !snapshotFeed && source.sourceTime() != null && record.entry() != null;
    }

    /**
     * The version of the record to publish, or null when the message is stale (older than the record's
     * latest message, with another content): it must not be published. The record's new place is durable
     * when this returns.
     */
    public CreditRecord place(CreditRecord record, Instant sourceTime) {
        Placement placement = begin(record, sourceTime);
        try {
            placement.settle();
        } finally {
            placement.release();
        }
        return placement.record();
    }

    /**
     * Takes the record's place and sends it to the topic without waiting, so that the record can be published
     * while the write is on its way; the record stays locked cluster-wide until {@link Placement#settle} (the write
     * is durable: the map takes the new place) or {@link Placement#release} (it is not: the map keeps the old one, so
     * that it is never ahead of the topic). Both must be called on the thread that began it (Hazelcast's locks are
     * held by a thread), and a thread holds one placement at a time: two nodes taking two records' locks in opposite
     * orders would wait for each other.
     */
    public Placement begin(CreditRecord record, Instant sourceTime) {
        String id = record.recordId();
        latest.lock(id);
        try {
            String json = latest.get(id);
            Latest before = json == null ? fromForwarded(dedup.forwardedVersions(java.util.Set.of(id)).get(id)) : read(json);
            Placed placed = decide(before, record, sourceTime);
            if (placed.after() == null || placed.after().equals(before)) {
                return new Placement(id, placed.record(), null, null);
            }
            byte[] value = write(placed.after());
            return new Placement(id, placed.record(), producer.send(new ProducerRecord<>(topic, id, value)), value);
        } catch (RuntimeException e) {
            latest.unlock(id);
            throw e;
        }
    }

    /** A record's place taken, its write on its way, the record locked: see {@link #begin}. */
    public final class Placement {
        private final String id;
        private final CreditRecord record;
        private final java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> write;
        private final byte[] value;
        private boolean locked = true;

        private Placement(String id, CreditRecord record, java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> write,
                          byte[] value) {
            this.id = id;
            this.record = record;
            this.write = write;
            this.value = value;
        }

        /** The version to publish, or null when the message is stale. */
        public CreditRecord record() {
            return record;
        }

        /**
         * Waits until the new place is durable, then lets the map take it and the record go; throws
         * {@link RecordPublisher.NotDurableException} (the record still locked: call {@link #release}) when Kafka did not take it.
         */
        public void settle() {
            if (!locked) {
                return;
            }
            if (write != null) {
                RecordPublisher.awaitDurable(write, "the list entry sequence of " + id);
                latest.set(id, new String(value, StandardCharsets.UTF_8));
            }
            release();
        }

        /** Lets the record go; the map keeps the place it had unless {@link #settle} took the new one. Idempotent. */
        public void release() {
            if (locked) {
                locked = false;
                latest.unlock(id);
            }
        }
    }

    /**
     * The record's latest message: its content version (without {@value #SOURCE_TIME}), its source time, the
     * source time its published version carries (null: published as it came), and the contents it had before.
     */
    record Latest(String content, long at, String sourceTimeMark, List<String> seen) {
    }

    /**
     * What the dedup index tells of a record the sequence has not seen yet (delivered before the sequence
     * existed): its versions in the order they were forwarded, the last one being the latest. Its time is
     * unknown, so any message counts as newer. Null when nothing was forwarded.
     */
    static Latest fromForwarded(String forwarded) {
        if (forwarded == null || forwarded.isBlank()) {
            return null;
        }
        List<String> versions = new ArrayList<>();
        for (String claim : forwarded.trim().split(" ")) {
            int at = claim.indexOf('@');
            versions.add(at < 0 ? claim : claim.substring(0, at));
        }
        List<String> seen = versions.subList(Math.max(0, versions.size() - SEEN), versions.size());
        return new Latest(versions.get(versions.size() - 1), Long.MIN_VALUE, null, List.copyOf(seen));
    }

    /** What to publish (null: stale) and the record's latest message afterwards. */
    record Placed(CreditRecord record, Latest after) {
    }

    /** The decision itself, without any storage. */
    static Placed decide(Latest before, CreditRecord record, Instant sourceTime) {
        String content = record.version();
        long at = sourceTime.toEpochMilli();
        if (before == null) {
            return new Placed(record, new Latest(content, at, null, List.of(content)));
        }
        if (content.equals(before.content())) {
            // the latest content again, newer or not: exactly the latest version again (a duplicate)
            Latest after = at > before.at() ? new Latest(content, at, before.sourceTimeMark(), before.seen()) : before;
            return new Placed(marked(record, before.sourceTimeMark()), after);
        }
        if (at <= before.at()) {
            return new Placed(null, before); // stale: an older message than the record's latest one
        }
        List<String> seen = new ArrayList<>(before.seen());
        String mark = null;
        if (seen.contains(content)) {
            mark = sourceTime.toString(); // back to an earlier content: a new version, stamped with the source's time
            seen.remove(content);
        }
        seen.add(content);
        while (seen.size() > SEEN) {
            seen.remove(0);
        }
        return new Placed(marked(record, mark), new Latest(content, at, mark, List.copyOf(seen)));
    }

    private static CreditRecord marked(CreditRecord record, String sourceTimeMark) {
        if (sourceTimeMark == null) {
            return record;
        }
        ListEntry e = record.entry();
        Map<String, String> attributes = new TreeMap<>(e.attributes() == null ? Map.of() : e.attributes());
        attributes.put(SOURCE_TIME, sourceTimeMark);
        ListEntry marked = new ListEntry(e.listType(), e.category(), e.decidedBy(), e.basis(), e.decidedOn(), e.validFrom(),
                e.validTo(), e.reason(), e.documentNo(), e.status(), e.exitDate(), e.exitReason(), attributes);
        return RecordVersion.stamp(new CreditRecord(record.recordId(), null, record.kind(), record.operation(), record.businessKey(),
                record.subject(), record.penalty(), record.licence(), marked, record.provenance()));
    }

    private static byte[] write(Latest l) {
        try {
            return RecordJson.mapper().writeValueAsBytes(l);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Latest read(String json) {
        try {
            return RecordJson.mapper().readValue(json, Latest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a list entry sequence cannot be read", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
