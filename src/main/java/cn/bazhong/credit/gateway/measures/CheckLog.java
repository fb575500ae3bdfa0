package cn.bazhong.credit.gateway.measures;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.producer.KafkaProducer;
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
 * holds up an answer: the message is sent without waiting, and a send that fails is counted and logged.
 *
 * <p>The counters take each node's checks in one update per day and department every
 * {@link #DEFAULT_FLUSH_EVERY} rather than one per check (at a thousand checks a second, an update per check
 * was a tenth of the gateway's CPU: a call to the member that owns the key, and its counts read and
 * written again). A report read on a node counts that node's checks not yet passed on; another node's
 * checks reach it within a second. A node killed loses from the counters the checks of its last second, which
 * the topic still holds (the counters are rebuilt from it when the whole cluster starts again); a node
 * stopped passes them on before it goes.
 */
public class CheckLog implements AutoCloseable {

    public static final String MAP = "check-counters";
    /** How often a node passes the counts of its checks on to the cluster's counters. */
    public static final Duration DEFAULT_FLUSH_EVERY = Duration.ofSeconds(1);
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
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final ZoneId zone;
    private final AtomicLong failed = new AtomicLong();
    /** This node's counts not yet in {@link #counters}, by day and department; guarded by itself. */
    private Map<String, Counts> pending = new HashMap<>();
    private final Object pendingLock = new Object();
    private final ScheduledExecutorService flusher;

    public CheckLog(HazelcastInstance hazelcast, KafkaClients clients, String topic, Clock clock, String nodeId) {
        this(hazelcast, clients, topic, clock, nodeId, DEFAULT_FLUSH_EVERY);
    }

    /** @param flushEvery how often this node's counts go to the cluster's counters (tests call {@link #flush()} themselves) */
    public CheckLog(HazelcastInstance hazelcast, KafkaClients clients, String topic, Clock clock, String nodeId, Duration flushEvery) {
        this.counters = hazelcast.getMap(MAP);
        this.producer = clients.bulkProducer("gateway-checks-" + nodeId);
        this.topic = topic;
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
            try {
                producer.send(new ProducerRecord<>(topic, c.department(), RecordJson.mapper().writeValueAsBytes(c)), (m, e) -> {
                    if (e != null && failed.incrementAndGet() % 1000 == 1) {
                        LOG.warn("a check could not be recorded on {} ({} so far): {}", topic, failed.get(), e.toString());
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!delta.isEmpty()) {
            synchronized (pendingLock) {
                delta.forEach((k, d) -> pending.computeIfAbsent(k, x -> new Counts()).add(d));
            }
        }
    }

    /**
     * Passes this node's counts on to the cluster's counters: one update per day and department. Counts that
     * could not be passed on (the cluster unreachable) stay and go with the next flush.
     */
    public void flush() {
        Map<String, Counts> out;
        synchronized (pendingLock) {
            if (pending.isEmpty()) {
                return;
            }
            out = pending;
            pending = new HashMap<>();
        }
        RuntimeException failure = null;
        for (Map.Entry<String, Counts> e : out.entrySet()) {
            try {
                counters.executeOnKey(e.getKey(), new Add(e.getValue()));
            } catch (RuntimeException notPassedOn) {
                synchronized (pendingLock) {
                    pending.computeIfAbsent(e.getKey(), x -> new Counts()).add(e.getValue());
                }
                failure = notPassedOn;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("the check counters could not be updated; they are kept and tried again: {}", e.toString());
        }
    }

    /** Per department, what its checks on the days from {@code from} (inclusive) to {@code to} (exclusive) add up to. */
    public Map<String, Counts> totals(LocalDate from, LocalDate to) {
        Map<String, Counts> out = new TreeMap<>();
        List<String> keys = new ArrayList<>();
        for (String k : counters.keySet()) {
            LocalDate day = LocalDate.parse(k.substring(0, k.indexOf('|')));
            if (!day.isBefore(from) && day.isBefore(to)) {
                keys.add(k);
            }
        }
        counters.getAll(new java.util.HashSet<>(keys)).forEach((k, c) -> add(out, k, c, from, to));
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
        flusher.shutdown();
        try {
            flusher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
        producer.close(Duration.ofSeconds(5));
    }

    static final class Add implements EntryProcessor<String, Counts, Void>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final Counts delta;

        Add(Counts delta) {
            this.delta = delta;
        }

        @Override
        public Void process(Map.Entry<String, Counts> entry) {
            Counts c = entry.getValue() == null ? new Counts() : entry.getValue();
            c.add(delta);
            entry.setValue(c);
            return null;
        }
    }
}
