package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counters per department and feed: {@code gateway.records{department, feed, outcome}} with outcome
 * received, accepted, duplicate, rejected, delivered, rejected_upstream, dead_lettered.
 */
public class IngestMetrics {

    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void ingested(MappingDefinition mapping, long accepted, long duplicates, long rejected) {
        count(mapping.department(), mapping.id(), "received", accepted + duplicates + rejected);
        count(mapping.department(), mapping.id(), "accepted", accepted);
        count(mapping.department(), mapping.id(), "duplicate", duplicates);
        count(mapping.department(), mapping.id(), "rejected", rejected);
    }

    public void count(String department, String feed, String outcome, long n) {
        if (n > 0) {
            Counter.builder("gateway.records")
                    .description("credit records by department, feed and outcome")
                    .tag("department", department)
                    .tag("feed", feed)
                    .tag("outcome", outcome)
                    .register(registry)
                    .increment(n);
        }
    }
}
