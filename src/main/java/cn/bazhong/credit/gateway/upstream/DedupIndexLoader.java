package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.ingest.DedupIndex;
import cn.bazhong.credit.gateway.ingest.RecordEnvelope;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Rebuilds the dedup index from its compacted topic ({@code gateway.topics.dedup-index}), which holds
 * every version ever forwarded whatever the upstream topic still keeps. Each partition has a watermark
 * in Hazelcast: the offset up to which the index is known to be complete. After a restart of the whole
 * cluster the watermarks are gone too and the topic is read again from the start; after the restart of
 * one node it only catches up.
 *
 * <p>Versions forwarded before the index topic existed (a gateway upgraded from a version without it)
 * are only in the upstream topic: the first time a node finds no copy mark
 * ({@link DedupIndexEntries#UPSTREAM_COPIED}), it reads the upstream topic from its start, claims what it
 * finds and writes it to the index topic, then writes the mark. Two nodes doing that at once write the
 * same entries twice, which compaction removes.
 */
public class DedupIndexLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DedupIndexLoader.class);
    /** Watermark-map key that says the copy mark was seen or written (the index topic holds the old versions). */
    static final String COPIED = "upstream-copied";

    /** How often a long rebuild logs how far it is. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final KafkaClients clients;
    private final GatewayTopics topics;
    private final DedupIndex index;
    private final IMap<String, Long> watermarks;
    private volatile Progress progress = Progress.NOT_STARTED;

    public DedupIndexLoader(KafkaClients clients, GatewayTopics topics, DedupIndex index, HazelcastInstance hazelcast) {
        this.clients = clients;
        this.topics = topics;
        this.index = index;
        this.watermarks = hazelcast.getMap(HazelcastMaps.DEDUP_WATERMARKS);
    }

    /**
     * How far this node's catch-up with the index topic is: after a restart of the whole cluster it reads every
     * version ever forwarded (about three minutes for 10,000,000 on two cores, docs/benchmarks.md), and the dedup stage
     * forwards nothing until it is done; the records wait in {@code credit.records} meanwhile.
     */
    public Progress progress() {
        return progress;
    }

    /**
     * The catch-up's state: {@code toRead} index entries between the watermarks and the topic's end when it began,
     * {@code read} of them read so far; {@code done} once the index holds them all.
     */
    public record Progress(boolean started, boolean done, long read, long toRead, Instant since) {

        static final Progress NOT_STARTED = new Progress(false, false, 0, 0, null);

        /** Entries still to read; 0 once done. */
        public long remaining() {
            return done ? 0 : Math.max(0, toRead - read);
        }

        /** What the pipeline's health says of it. */
        public Map<String, Object> details() {
            Map<String, Object> d = new java.util.LinkedHashMap<>();
            d.put("state", !started ? "waiting" : done ? "ready" : "catching up");
            d.put("entriesRead", read);
            d.put("entriesToRead", toRead);
            if (since != null) {
                d.put(done ? "readySince" : "catchingUpSince", since.toString());
            }
            return d;
        }
    }

    public void catchUp() {
        progress = new Progress(true, false, 0, 0, Instant.now());
        boolean[] markSeen = {false};
        long read = readToEnd(topics.dedupIndex(), true, batch -> {
            List<DedupIndex.ClaimRequest> claims = new ArrayList<>(batch.size());
            for (ConsumerRecord<String, byte[]> r : batch) {
                DedupIndex.ClaimRequest claim = DedupIndexEntries.claim(r);
                if (claim != null) {
                    claims.add(claim);
                } else if (DedupIndexEntries.isCopyMark(r)) {
                    markSeen[0] = true;
                }
            }
            index.claimInOrder(claims);
        });
        if (read > 0) {
            LOG.info("dedup index caught up with {} entries from {} in {} s", read, topics.dedupIndex(),
                    Duration.between(progress.since(), Instant.now()).toSeconds());
        }
        if (markSeen[0]) {
            watermarks.set(COPIED, 1L);
        } else if (!watermarks.containsKey(COPIED)) {
            copyFromUpstream();
        }
        progress = new Progress(true, true, progress.read(), progress.toRead(), Instant.now());
    }

    /** The one-time copy of the versions forwarded before the index topic existed. */
    private void copyFromUpstream() {
        long copied;
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = clients.bulkProducer("dedup-index-copy")) {
            copied = readToEnd(topics.upstream(), false, batch -> {
                List<DedupIndex.ClaimRequest> claims = new ArrayList<>(batch.size());
                for (ConsumerRecord<String, byte[]> r : batch) {
                    Header claimed = r.headers().lastHeader(DedupStage.CLAIMED_AT_HEADER);
                    String claimedAt = claimed == null ? "unknown" : new String(claimed.value(), StandardCharsets.UTF_8);
                    RecordEnvelope.Headline e = RecordEnvelope.headline(r);
                    claims.add(new DedupIndex.ClaimRequest(e.recordId(), e.version(), claimedAt));
                    producer.send(DedupIndexEntries.entry(topics.dedupIndex(), e.recordId(), e.version(), claimedAt),
                            (metadata, error) -> {
                                if (error != null) {
                                    failed.compareAndSet(null, error);
                                }
                            });
                }
                index.claimInOrder(claims);
            });
            producer.flush(); // every entry durable (acks=all) before the mark says so
            if (failed.get() != null) {
                throw new IllegalStateException("the dedup index could not be copied to " + topics.dedupIndex()
                        + ": " + failed.get().getMessage(), failed.get());
            }
            KafkaClients.awaitDurable(producer.send(new ProducerRecord<>(topics.dedupIndex(), DedupIndexEntries.UPSTREAM_COPIED,
                    ("copied " + copied + " versions from " + topics.upstream() + " at " + Instant.now()).getBytes(StandardCharsets.UTF_8))),
                    "the dedup index's copy mark");
        }
        watermarks.set(COPIED, 1L);
        LOG.info("dedup index: copied {} record versions from {} into {} (once)", copied, topics.upstream(), topics.dedupIndex());
    }

    /**
     * Reads a topic to the end it has now, in polled batches: from the watermarks (and moving them) when
     * {@code marked}, else from the start of each partition.
     */
    private long readToEnd(String topic, boolean marked, Consumer<List<ConsumerRecord<String, byte[]>>> each) {
        long read = 0;
        try (KafkaConsumer<String, byte[]> reader = clients.reader("dedup-index-loader")) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : reader.partitionsFor(topic, Duration.ofSeconds(60))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            reader.assign(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, Duration.ofSeconds(60));
            reader.seekToBeginning(partitions);
            for (TopicPartition tp : partitions) {
                Long mark = marked ? watermarks.get(key(tp)) : null;
                if (mark != null) {
                    reader.seek(tp, mark);
                }
            }
            List<TopicPartition> pending = new ArrayList<>(partitions);
            pending.removeIf(tp -> reader.position(tp) >= ends.get(tp));
            long toRead = 0;
            for (TopicPartition tp : pending) {
                toRead += ends.get(tp) - reader.position(tp); // offsets: compaction may have left fewer entries
            }
            Progress began = progress;
            if (marked) {
                progress = new Progress(true, false, 0, toRead, began.since());
            }
            long loggedAt = System.nanoTime();
            while (!pending.isEmpty()) {
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                reader.poll(Duration.ofMillis(500)).forEach(batch::add);
                each.accept(batch);
                read += batch.size();
                if (marked) {
                    progress = new Progress(true, false, read, toRead, began.since());
                    if (System.nanoTime() - loggedAt > PROGRESS_EVERY.toNanos()) {
                        loggedAt = System.nanoTime();
                        LOG.info("dedup index: catching up from {}, {} of at most {} entries read; records wait in {} until it is done",
                                topic, read, toRead, topics.records());
                    }
                }
                for (TopicPartition tp : List.copyOf(pending)) {
                    if (reader.position(tp) >= ends.get(tp)) {
                        if (marked) {
                            watermarks.set(key(tp), ends.get(tp));
                        }
                        pending.remove(tp);
                    }
                }
            }
        }
        return read;
    }

    private static String key(TopicPartition tp) {
        return tp.topic() + "/" + tp.partition();
    }
}
