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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every check made at a counter (应查必查), for the supervision report: who asked (department), for
 * which matter, about whom (the subject as answers may show it: a credit code, or a masked ID number),
 * whether the subject was on a list (hit) and which measures the answer named. Each check is a message
 * on the checks topic (the record, key = department); the report reads per-day counters per
 * department kept in Hazelcast, rebuilt from the topic when the cluster starts empty. Recording never
 * holds up an answer: the message is sent without waiting, and a send that fails is counted and logged.
 */
public class CheckLog implements AutoCloseable {

    public static final String MAP = "check-counters";
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

    public CheckLog(HazelcastInstance hazelcast, KafkaClients clients, String topic, Clock clock, String nodeId) {
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
        delta.forEach((k, d) -> counters.executeOnKey(k, new Add(d)));
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
        counters.getAll(new java.util.HashSet<>(keys)).forEach((k, c) ->
                out.computeIfAbsent(k.substring(k.indexOf('|') + 1), d -> new Counts()).add(c));
        return out;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
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
