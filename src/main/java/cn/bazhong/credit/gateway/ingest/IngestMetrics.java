package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counters per department and feed: {@code gateway.records{department, feed, outcome}} with outcome
 * received, accepted, duplicate (dropped at ingress), duplicate_late (dropped by the dedup stage),
 * rejected, delivered, rejected_upstream, dead_lettered.
 */
public class IngestMetrics {

    static final java.util.List<String> OUTCOMES = java.util.List.of(
            "received", "accepted", "duplicate", "duplicate_late", "rejected", "delivered", "rejected_upstream", "dead_lettered");

    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers every outcome of every feed at zero, so that rates and ratios exist before the first event. */
    public void registerFeeds(java.util.Collection<MappingDefinition> mappings) {
        for (MappingDefinition m : mappings) {
            for (String outcome : OUTCOMES) {
                counter(m.department(), m.id(), outcome);
            }
        }
    }

    public void ingested(MappingDefinition mapping, long accepted, long duplicates, long rejected) {
        count(mapping.department(), mapping.id(), "received", accepted + duplicates + rejected);
        count(mapping.department(), mapping.id(), "accepted", accepted);
        count(mapping.department(), mapping.id(), "duplicate", duplicates);
        count(mapping.department(), mapping.id(), "rejected", rejected);
    }

    public void count(String department, String feed, String outcome, long n) {
        if (n > 0) {
            counter(department, feed, outcome).increment(n);
        }
    }

    private Counter counter(String department, String feed, String outcome) {
        return Counter.builder("gateway.records")
                .description("credit records by department, feed and outcome")
                .tag("department", department)
                .tag("feed", feed)
                .tag("outcome", outcome)
                .register(registry);
    }
}
