package cn.bazhong.credit.gateway.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code gateway.consumer.lag{group, topic}}: the last lag read for each monitored group. A scrape
 * only reads the value held here. NaN until the first successful read, and again while the lag
 * cannot be read (Kafka unreachable, topic missing), so that a stale number never looks current.
 */
public final class ConsumerLagGauges {

    public static final String NAME = "gateway.consumer.lag";

    private final Map<ConsumerGroupTopic, Double> values = new ConcurrentHashMap<>();

    public ConsumerLagGauges(MeterRegistry registry, Collection<ConsumerGroupTopic> monitored) {
        for (ConsumerGroupTopic g : monitored) {
            values.put(g, Double.NaN);
            Gauge.builder(NAME, this, self -> self.value(g))
                    .description("records on the topic not yet consumed by the group (sum over partitions of end offset - committed offset)")
                    .tag("group", g.group())
                    .tag("topic", g.topic())
                    .strongReference(true)
                    .register(registry);
        }
    }

    /** Takes a new reading: monitored groups absent from it become unknown. */
    public void update(Map<ConsumerGroupTopic, Long> lag) {
        for (ConsumerGroupTopic g : values.keySet()) {
            Long v = lag.get(g);
            values.put(g, v == null ? Double.NaN : v.doubleValue());
        }
    }

    public void unknown() {
        update(Map.of());
    }

    public double value(ConsumerGroupTopic g) {
        return values.getOrDefault(g, Double.NaN);
    }

    public Collection<ConsumerGroupTopic> monitored() {
        return values.keySet();
    }
}
