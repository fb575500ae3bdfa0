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
 * cluster the watermarks are gone too and the topic is read again from the start, each partition by one
 * node under a cluster-wide lock, the nodes sharing the work; after the restart of one node it only
 * catches up.
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
    private Runnable before = () -> {
    };

    public DedupIndexLoader(KafkaClients clients, GatewayTopics topics, DedupIndex index, HazelcastInstance hazelcast) {
        this.clients = clients;
        this.topics = topics;
        this.index = index;
        this.watermarks = hazelcast.getMap(HazelcastMaps.DEDUP_WATERMARKS);
    }

    /**
     * Work of the node's start that the catch-up waits for before it reads (its state meanwhile is {@code waiting}):
     * the list view's fill, which decides when the node serves, rather than both sharing the cores. The forwarding
     * waits for the catch-up anyway.
     */
    public DedupIndexLoader after(Runnable before) {
        this.before = before;
        return this;
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
     * {@code read} of them read so far by the cluster's nodes (both counted in offsets: compaction may have left fewer
     * entries), {@code readHere} entries read by this node; {@code done} once the index holds them all.
     */
    public record Progress(boolean started, boolean done, long read, long toRead, long readHere, Instant since) {

        static final Progress NOT_STARTED = new Progress(false, false, 0, 0, 0, null);

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
            d.put("entriesReadByThisNode", readHere);
            if (since != null) {
                d.put(done ? "readySince" : "catchingUpSince", since.toString());
            }
            return d;
        }
    }

    /**
     * Brings this member's view of the index up to the topic's end before the dedup stage claims anything. Each
     * partition of the topic is read from its watermark by one node of the cluster at a time, under a cluster-wide lock
     * (released if its node dies): after a restart of the whole cluster the nodes share the reading instead of each
     * claiming every version ever forwarded, and a node whose share is done waits for the others' (taking a partition
     * over if its reader stops). A node that joins a running cluster finds the watermarks at the end, or reads what was
     * added since.
     */
    public void catchUp() {
        before.run();
        progress = new Progress(true, false, 0, 0, 0, Instant.now());
        long read = readPartitionsOnce();
        if (read > 0) {
            LOG.info("dedup index caught up with {} entries from {} in {} s", read, topics.dedupIndex(),
                    Duration.between(progress.since(), Instant.now()).toSeconds());
        }
        if (!watermarks.containsKey(COPIED)) {
            copyFromUpstream();
        }
        progress = new Progress(true, true, progress.read(), progress.toRead(), read, Instant.now());
    }

    /** Claims one polled batch of index entries; the copy mark, when met, is noted for the cluster at once. */
    private void claim(List<ConsumerRecord<String, byte[]>> batch) {
        List<DedupIndex.ClaimRequest> claims = new ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> r : batch) {
            DedupIndex.ClaimRequest claim = DedupIndexEntries.claim(r);
            if (claim != null) {
                claims.add(claim);
            } else if (DedupIndexEntries.isCopyMark(r)) {
                watermarks.set(COPIED, 1L); // before this partition's watermark says it was read
            }
        }
        index.claimInOrder(claims);
    }

    /**
     * Reads every partition of the index topic that is behind its watermark, each under its lock: first, together,
     * those no other node is reading; then, one at a time and waiting for their locks, the rest (already read when the
     * lock comes, unless their reader stopped). Progress counts offsets, whoever read them. Returns how many entries
     * this node read.
     */
    private long readPartitionsOnce() {
        try (KafkaConsumer<String, byte[]> reader = clients.reader("dedup-index-loader")) {
            List<TopicPartition> partitions = assignEveryPartition(reader, topics.dedupIndex());
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, Duration.ofSeconds(60));
            Map<TopicPartition, Long> starts = new java.util.HashMap<>(reader.beginningOffsets(partitions, Duration.ofSeconds(60)));
            List<TopicPartition> pending = new ArrayList<>();
            long toRead = 0;
            for (TopicPartition tp : partitions) {
                Long mark = watermarks.get(key(tp));
                if (mark != null) {
                    starts.put(tp, Math.max(starts.get(tp), mark));
                }
                if (starts.get(tp) < ends.get(tp)) {
                    pending.add(tp);
                    toRead += ends.get(tp) - starts.get(tp);
                }
            }
            CatchUp catchUp = new CatchUp(reader, starts, ends, toRead, progress.since());
            progress = catchUp.progress();
            List<TopicPartition> free = new ArrayList<>();
            for (TopicPartition tp : pending) {
                if (watermarks.tryLock(lock(tp))) {
                    free.add(tp);
                }
            }
            try {
                catchUp.read(free);
            } finally {
                free.forEach(tp -> watermarks.unlock(lock(tp)));
            }
            pending.removeAll(free);
            for (TopicPartition tp : pending) {
                lockWaiting(lock(tp));
                try {
                    catchUp.read(List.of(tp));
                } finally {
                    watermarks.unlock(lock(tp));
                }
            }
            return catchUp.readHere;
        }
    }

    private static String lock(TopicPartition tp) {
        return "catch-up/" + key(tp);
    }

    /** One node's reading of the index topic's partitions, from the watermarks to the ends they had when it began. */
    private final class CatchUp {
        private final KafkaConsumer<String, byte[]> reader;
        private final Map<TopicPartition, Long> starts;
        private final Map<TopicPartition, Long> ends;
        private final long toRead;
        private final Instant since;
        private long offsetsDone; // of the partitions read, by this node or another
        private long readHere;
        private long loggedAt = System.nanoTime();

        CatchUp(KafkaConsumer<String, byte[]> reader, Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends,
                long toRead, Instant since) {
            this.reader = reader;
            this.starts = starts;
            this.ends = ends;
            this.toRead = toRead;
            this.since = since;
        }

        Progress progress() {
            return new Progress(true, false, offsetsDone, toRead, readHere, since);
        }

        /**
         * Reads these partitions (their locks held) from their watermarks, which may have moved since the catch-up
         * began, to their ends; what was written after the catch-up began is the dedup stages' own, in the index
         * already. Each partition's watermark moves to its end once it is read.
         */
        void read(List<TopicPartition> held) {
            Map<TopicPartition, Long> reading = new java.util.HashMap<>();
            for (TopicPartition tp : held) {
                Long mark = watermarks.get(key(tp));
                long from = mark == null ? starts.get(tp) : Math.max(starts.get(tp), mark);
                offsetsDone += Math.min(from, ends.get(tp)) - starts.get(tp); // read by another node already
                if (from < ends.get(tp)) {
                    reader.seek(tp, from);
                    reading.put(tp, from);
                }
            }
            reader.pause(reader.assignment());
            reader.resume(reading.keySet());
            while (!reading.isEmpty()) {
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        batch.add(r);
                    }
                }
                claim(batch);
                readHere += batch.size();
                long inFlight = 0;
                for (Map.Entry<TopicPartition, Long> partition : List.copyOf(reading.entrySet())) {
                    TopicPartition tp = partition.getKey();
                    long end = ends.get(tp);
                    long at = Math.min(reader.position(tp), end);
                    if (at >= end) {
                        watermarks.set(key(tp), end);
                        offsetsDone += end - partition.getValue();
                        reading.remove(tp);
                        reader.pause(List.of(tp));
                    } else {
                        inFlight += at - partition.getValue();
                    }
                }
                progress = new Progress(true, false, offsetsDone + inFlight, toRead, readHere, since);
                if (System.nanoTime() - loggedAt > PROGRESS_EVERY.toNanos()) {
                    loggedAt = System.nanoTime();
                    LOG.info("dedup index: catching up from {}, {} of at most {} entries read; records wait in {} until it is done",
                            topics.dedupIndex(), progress.read(), toRead, topics.records());
                }
            }
            progress = progress();
        }
    }

    /** Takes the lock, waiting for the node that holds it (it is released when that node dies). */
    private void lockWaiting(String lock) {
        try {
            while (!watermarks.tryLock(lock, 30, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.info("dedup index: waiting for another node to finish reading {} ({})", lock, topics.dedupIndex());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the dedup index's catch-up", e);
        }
    }

    /** The one-time copy of the versions forwarded before the index topic existed. */
    private void copyFromUpstream() {
        long copied;
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = clients.bulkProducer("dedup-index-copy")) {
            copied = readToEnd(topics.upstream(), batch -> {
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

    /** Reads a topic from the start of each partition to the end it has now, in polled batches. */
    private long readToEnd(String topic, Consumer<List<ConsumerRecord<String, byte[]>>> each) {
        long read = 0;
        try (KafkaConsumer<String, byte[]> reader = clients.reader("dedup-index-loader")) {
            List<TopicPartition> partitions = assignEveryPartition(reader, topic);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, Duration.ofSeconds(60));
            reader.seekToBeginning(partitions);
            List<TopicPartition> pending = new ArrayList<>(partitions);
            pending.removeIf(tp -> reader.position(tp) >= ends.get(tp));
            while (!pending.isEmpty()) {
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                reader.poll(Duration.ofMillis(500)).forEach(batch::add);
                each.accept(batch);
                read += batch.size();
                pending.removeIf(tp -> reader.position(tp) >= ends.get(tp));
            }
        }
        return read;
    }

    /** Assigns the reader every partition of the topic (before any offsets are asked: Kafka warns of unassigned ones). */
    private static List<TopicPartition> assignEveryPartition(KafkaConsumer<String, byte[]> reader, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : reader.partitionsFor(topic, Duration.ofSeconds(60))) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        reader.assign(partitions);
        return partitions;
    }

    private static String key(TopicPartition tp) {
        return tp.topic() + "/" + tp.partition();
    }
}
