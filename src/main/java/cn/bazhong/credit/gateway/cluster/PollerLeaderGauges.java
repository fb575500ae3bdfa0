package cn.bazhong.credit.gateway.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code gateway.poller.leader{feed}}: 1 while this node holds the feed's lease (and so polls it,
 * if the feed is enabled), 0 while another node does or, during a failover, none. Summed over the
 * nodes it is 1 for every feed at rest.
 */
public final class PollerLeaderGauges {

    public static final String NAME = "gateway.poller.leader";

    public PollerLeaderGauges(MeterRegistry registry, KafkaLeaseClusterService leases) {
        leases.onNamespace(feed -> Gauge.builder(NAME, leases, l -> l.isLeader(feed) ? 1 : 0)
                .description("1 while this node holds the feed's lease (and polls it if the feed is enabled), else 0")
                .tag("feed", feed)
                .strongReference(true)
                .register(registry));
    }
}
