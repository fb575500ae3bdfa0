package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What happened to each event at each department: a line per event and department on the
 * deliveries topic (the durable log, key = department), the same line in a Hazelcast map for
 * {@code deliveryLogTtl} so that an operator can ask about one event, and Micrometer counters and
 * a latency timer (change → delivered) per department.
 */
public final class DeliveryLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLog.class);
    public static final String MAP = "fanout-deliveries";

    public enum Outcome { DELIVERED, DEAD_LETTERED, GONE }

    /** One event at one department. */
    public record Line(String department, String eventId, String type, Outcome outcome, int attempts, String detail,
                       Instant occurredAt, Instant at) implements Serializable {
    }

    /**
     * The recent lines, each as the JSON its Kafka record carries (a string: Hazelcast stores it as it is, where
     * a {@link Line} object took Java serialization on every delivery). A node of the version before wrote
     * {@link Line} objects; reading takes both.
     */
    private final IMap<String, Object> recent;
    /** The meters of each department (and outcome), looked up once rather than built and registered per delivery. */
    private final java.util.concurrent.ConcurrentMap<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentMap<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Duration ttl;
    private final MeterRegistry registry;

    public DeliveryLog(HazelcastInstance hazelcast, KafkaClients clients, String topic, Duration ttl, MeterRegistry registry, String nodeId) {
        this.recent = hazelcast.getMap(MAP);
        // one short line per delivery: small batches, a little linger to group the lines of a burst
        this.producer = clients.lineProducer("gateway-fanout-log-" + nodeId, Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG, 16 * 1024,
                org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 50));
        this.topic = topic;
        this.ttl = ttl;
        this.registry = registry;
    }

    public void record(Line line) {
        byte[] json;
        try {
            json = RecordJson.mapper().writeValueAsBytes(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        producer.send(new ProducerRecord<>(topic, line.department(), json), (m, e) -> {
            if (e != null) {
                LOG.warn("the delivery log line of {} at {} was not written: {}", line.eventId(), line.department(), e.toString());
            }
        });
        recent.setAsync(line.eventId() + "|" + line.department(), new String(json, java.nio.charset.StandardCharsets.UTF_8),
                ttl.toMillis(), TimeUnit.MILLISECONDS);
        counters.computeIfAbsent(line.department() + "|" + line.outcome(), k -> Counter.builder("gateway.fanout.events")
                .description("events per department and outcome")
                .tag("department", line.department()).tag("outcome", line.outcome().name()).register(registry)).increment();
        if (line.outcome() == Outcome.DELIVERED && line.occurredAt() != null) {
            timers.computeIfAbsent(line.department(), d -> Timer.builder("gateway.fanout.latency")
                            .description("from the list change to its delivery at the department")
                            .tag("department", d).publishPercentiles(0.5, 0.99).register(registry))
                    .record(Duration.between(line.occurredAt(), line.at()));
        }
    }

    private static Line line(Object stored) {
        if (stored instanceof Line l) {
            return l;
        }
        try {
            return RecordJson.mapper().readValue((String) stored, Line.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a delivery log line cannot be read", e);
        }
    }

    /** What each of these departments got of one event (departments with no line are left out). */
    public Map<String, Line> of(String eventId, Collection<String> departments) {
        Set<String> keys = new TreeSet<>();
        departments.forEach(d -> keys.add(eventId + "|" + d));
        Map<String, Line> out = new LinkedHashMap<>();
        recent.getAll(keys).values().stream().map(DeliveryLog::line).sorted(java.util.Comparator.comparing(Line::department))
                .forEach(l -> out.put(l.department(), l));
        return out;
    }

    /** What each of these departments got of any of these events, in the order of when it happened. */
    public java.util.List<Line> of(Collection<String> eventIds, Collection<String> departments) {
        Set<String> keys = new TreeSet<>();
        eventIds.forEach(e -> departments.forEach(d -> keys.add(e + "|" + d)));
        return recent.getAll(keys).values().stream().map(DeliveryLog::line)
                .sorted(java.util.Comparator.comparing(Line::at, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))
                        .thenComparing(Line::department))
                .toList();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
