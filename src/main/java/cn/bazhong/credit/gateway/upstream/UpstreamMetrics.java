package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.ingest.IngestMetrics;

/** The outcomes counted after collection: duplicates found late, deliveries, rejections, dead letters. */
public class UpstreamMetrics {

    private final IngestMetrics counters;

    public UpstreamMetrics(IngestMetrics counters) {
        this.counters = counters;
    }

    /** A duplicate found by the dedup stage (a re-send that raced its original past the ingress check). */
    public void duplicate(String department, String feed) {
        counters.count(department, feed, "duplicate_late", 1);
    }

    public void delivered(String department, String feed) {
        counters.count(department, feed, "delivered", 1);
    }

    public void rejectedUpstream(String department, String feed) {
        counters.count(department, feed, "rejected_upstream", 1);
    }

    public void deadLettered(String department, String feed) {
        counters.count(department, feed, "dead_lettered", 1);
    }
}
