package cn.bazhong.credit.gateway.measures;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.QueuedTopicWriter;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every check made at a counter (应查必查), for the supervision report: who asked (department), for
 * which matter, about whom (the subject as answers may show it: a credit code, or a masked ID number),
 * whether the subject was on a list (hit) and which measures the answer named. Each check is a message
 * on the checks topic (the record, key = department); the report reads per-day counters per
 * department kept in Hazelcast, rebuilt from the topic when the cluster starts empty. Recording never
 * holds up an answer: the messages are written by a thread of their own ({@link QueuedTopicWriter}, up to
 * {@value #QUEUE} waiting), and one that cannot be written is counted in {@code gateway.checks.entries.dropped}
 * and reported by an {@code ALERT check log} line (the counters count it all the same).
 *
 * <p>The counters take each node's checks in one update per day and department every
 * {@link #DEFAULT_FLUSH_EVERY} rather than one per check (at a thousand checks a second, an update per check
 * was a tenth of the gateway's CPU: a call to the member that owns the key, and its counts read and
 * written again). A report read on a node counts that node's checks not yet passed on; another node's
 * checks reach it within a second. A node killed loses from the counters the checks of its last second, which
 * the topic still holds (the counters are rebuilt from it when the whole cluster starts again); a node
 * stopped passes them on before it goes.
 *
 * <p>An update whose outcome is unknown (Hazelcast answered with an error or not at all, perhaps after it
 * applied the update; or retried it on a new owner after the old one applied it) is counted once: each update
 * carries this node's incarnation and a sequence number, the counters remember the last one applied per
 * incarnation, and an update is sent again, unchanged and before any newer one for its day and department, until
 * Hazelcast confirms it.
 */
public class CheckLog implements AutoCloseable {

    public static final String MAP = "check-counters";
    /** How often a node passes the counts of its checks on to the cluster's counters. */
    public static final Duration DEFAULT_FLUSH_EVERY = Duration.ofSeconds(1);
    /** How many checks may wait for Kafka: some seconds of checks at a thousand a second. */
    static final int QUEUE = 20_000;
    private static final Logger LOG = LoggerFactory.getLogger(CheckLog.class);

    /** One check. {@code subject} is never a clear ID number. */
    public record Check(Instant at, String department, String matter, String subject, boolean hit, List<String> listTypes,
                        List<String> measures, String batch) {
    }

    /** What one department's checks of one day add up to. */
    public static final class Counts implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        long checks;
        long hits;
        long measures;
        final TreeMap<String, Long> byMeasure = new TreeMap<>();
        /**
         * The last update applied, per node incarnation; null in counters of the version before, which did not
         * keep it, and in a node's own pending counts.
         */
        Map<String, Long> applied;

        public long checks() {
            return checks;
        }

        public long hits() {
            return hits;
        }

        public long measures() {
            return measures;
        }

        public Map<String, Long> byMeasure() {
            return java.util.Collections.unmodifiableMap(byMeasure);
        }

        void add(Counts o) {
            checks += o.checks;
            hits += o.hits;
            measures += o.measures;
            o.byMeasure.forEach((k, v) -> byMeasure.merge(k, v, Long::sum));
        }

        void add(Check c) {
            checks++;
            hits += c.hit() ? 1 : 0;
            measures += c.measures().size();
            c.measures().forEach(m -> byMeasure.merge(m, 1L, Long::sum));
        }
    }

    private final IMap<String, Counts> counters;
    private final QueuedTopicWriter<Check> writer;
    private final ZoneId zone;
    /** This node's counts not yet in {@link #counters}, by day and department; guarded by {@link #pendingLock}. */
    private final Map<String, Counts> pending = new HashMap<>();
    private final Object pendingLock = new Object();
    /**
     * Updates sent whose outcome is not known, by day and department: sent again as they are before anything
     * newer for their key. Changed and read under {@link #flushLock} (a report waits for a flush in progress).
     */
    private final Map<String, Add> unsure = new java.util.concurrent.ConcurrentHashMap<>();
    private final Object flushLock = new Object();
    /** This node's incarnation: its updates are told apart from those of its earlier and later lives. */
    private final String incarnation = java.util.UUID.randomUUID().toString();
    private final AtomicLong sequence = new AtomicLong();
    /** How an update reaches the counters; the default sends it to the member owning the key. */
    private volatile CounterUpdate update = (map, key, add) -> map.executeOnKey(key, add);
    private final ScheduledExecutorService flusher;

    public CheckLog(HazelcastInstance hazelcast, KafkaClients clients, String topic, Clock clock, String nodeId, MeterRegistry registry) {
        this(hazelcast, clients, topic, clock, nodeId, registry, DEFAULT_FLUSH_EVERY);
    }

    /** @param flushEvery how often this node's counts go to the cluster's counters (tests call {@link #flush()} themselves) */
    public CheckLog(HazelcastInstance hazelcast, KafkaClients clients, String topic, Clock clock, String nodeId, MeterRegistry registry,
                    Duration flushEvery) {
        this.counters = hazelcast.getMap(MAP);
        this.zone = clock.getZone();
        if (counters.isEmpty()) {
            Map<String, Counts> rebuilt = new LinkedHashMap<>();
            clients.readToEnd(topic, "checks-loader", r -> {
                try {
                    Check c = RecordJson.mapper().readValue(r.value(), Check.class);
                    rebuilt.computeIfAbsent(key(c), k -> new Counts()).add(c);
                } catch (IOException e) {
                    throw new UncheckedIOException("check at " + r.partition() + "/" + r.offset() + " cannot be read", e);
                }
            });
            rebuilt.forEach(counters::set);
        }
        this.writer = new QueuedTopicWriter<>(clients, topic, QUEUE, QueuedTopicWriter.DEFAULT_MAX_BLOCK,
                new QueuedTopicWriter.Names("gateway-checks-" + nodeId, "gateway.checks", "check log", "check-log entries (checks at the counters)",
                        CheckLog.class),
                (t, c) -> new ProducerRecord<>(t, c.department(), RecordJson.mapper().writeValueAsBytes(c)), registry);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "check-counters");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, flushEvery.toMillis(), flushEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String key(Check c) {
        return LocalDate.ofInstant(c.at(), zone) + "|" + c.department();
    }

    /** Records the checks of one call (one, or a batch's), adding them to the counters at once. */
    public void record(List<Check> checks) {
        Map<String, Counts> delta = new LinkedHashMap<>();
        for (Check c : checks) {
            if (c.department() == null) {
                continue; // an operator's look at a subject is not a department's check
            }
            delta.computeIfAbsent(key(c), k -> new Counts()).add(c);
            writer.write(c);
        }
        if (!delta.isEmpty()) {
            synchronized (pendingLock) {
                delta.forEach((k, d) -> pending.computeIfAbsent(k, x -> new Counts()).add(d));
            }
        }
    }

    /**
     * Passes this node's counts on to the cluster's counters: one update per day and department. An update
     * whose outcome is unknown (the cluster unreachable, or an error after the update may have been applied) is
     * kept as it is and sent again first by the next flush; the counts of its key made meanwhile wait behind it.
     */
    public void flush() {
        synchronized (flushLock) {
            RuntimeException failure = null;
            for (Map.Entry<String, Add> e : new ArrayList<>(unsure.entrySet())) {
                try {
                    update.apply(counters, e.getKey(), e.getValue());
                    unsure.remove(e.getKey());
                } catch (RuntimeException stillUnknown) {
                    failure = stillUnknown;
                }
            }
            Map<String, Counts> out;
            synchronized (pendingLock) {
                out = new HashMap<>(pending);
                out.keySet().removeAll(unsure.keySet()); // they wait behind the update sent before them
                pending.keySet().removeAll(out.keySet());
            }
            for (Map.Entry<String, Counts> e : out.entrySet()) {
                Add add = new Add(e.getValue(), incarnation, sequence.incrementAndGet());
                try {
                    update.apply(counters, e.getKey(), add);
                } catch (RuntimeException unknown) {
                    unsure.put(e.getKey(), add);
                    failure = unknown;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("the check counters could not be updated; they are kept and tried again: {}", e.toString());
        }
    }

    /**
     * Per department, what its checks on the days from {@code from} (inclusive) to {@code to} (exclusive) add up to.
     * Made between two flushes, never during one: a flush takes counts out of the node's pending ones before the
     * cluster's counters have them, and a report made in that moment missed them (a department's checks vanished from
     * the supervision report for a moment, about once a second under load).
     */
    public Map<String, Counts> totals(LocalDate from, LocalDate to) {
        synchronized (flushLock) {
            return totalsBetweenFlushes(from, to);
        }
    }

    private Map<String, Counts> totalsBetweenFlushes(LocalDate from, LocalDate to) {
        Map<String, Counts> out = new TreeMap<>();
        List<String> keys = new ArrayList<>();
        for (String k : counters.keySet()) {
            LocalDate day = LocalDate.parse(k.substring(0, k.indexOf('|')));
            if (!day.isBefore(from) && day.isBefore(to)) {
                keys.add(k);
            }
        }
        Map<String, Add> notConfirmed = new HashMap<>(unsure);
        java.util.Set<String> read = new java.util.HashSet<>(keys);
        read.addAll(notConfirmed.keySet());
        Map<String, Counts> passedOn = counters.getAll(read);
        passedOn.forEach((k, c) -> add(out, k, c, from, to));
        // an update not confirmed counts if the counters have not applied it
        notConfirmed.forEach((k, u) -> {
            if (!u.appliedTo(passedOn.get(k))) {
                add(out, k, u.delta, from, to);
            }
        });
        synchronized (pendingLock) {
            pending.forEach((k, c) -> add(out, k, c, from, to));
        }
        return out;
    }

    private static void add(Map<String, Counts> out, String key, Counts c, LocalDate from, LocalDate to) {
        LocalDate day = LocalDate.parse(key.substring(0, key.indexOf('|')));
        if (!day.isBefore(from) && day.isBefore(to)) {
            out.computeIfAbsent(key.substring(key.indexOf('|') + 1), d -> new Counts()).add(c);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** Closes, waiting at most {@code writerWait} for the checks still queued to be written (the rest are counted as dropped). */
    void close(Duration writerWait) {
        flusher.shutdown();
        try {
            flusher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
        writer.close(writerWait);
    }

    /** Sends an update to the counters (a seam for the tests, which lose the answer of an applied update). */
    @FunctionalInterface
    interface CounterUpdate {
        void apply(IMap<String, Counts> counters, String key, Add add);
    }

    void counterUpdate(CounterUpdate update) {
        this.update = update;
    }

    /**
     * Adds a node's counts to a day and department's counters, once: {@code incarnation} and {@code sequence}
     * (null and 0 from a node of the version before) name the update, and one the counters have applied is
     * skipped.
     */
    static final class Add implements EntryProcessor<String, Counts, Void>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final Counts delta;
        private final String incarnation;
        private final long sequence;

        Add(Counts delta, String incarnation, long sequence) {
            this.delta = delta;
            this.incarnation = incarnation;
            this.sequence = sequence;
        }

        boolean appliedTo(Counts c) {
            return incarnation != null && c != null && c.applied != null && c.applied.getOrDefault(incarnation, 0L) >= sequence;
        }

        @Override
        public Void process(Map.Entry<String, Counts> entry) {
            Counts c = entry.getValue() == null ? new Counts() : entry.getValue();
            if (appliedTo(c)) {
                return null;
            }
            c.add(delta);
            if (incarnation != null) {
                if (c.applied == null) {
                    c.applied = new HashMap<>();
                }
                c.applied.put(incarnation, sequence);
            }
            entry.setValue(c);
            return null;
        }
    }
}
