package cn.bazhong.credit.gateway.cluster;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /actuator/info} → {@code pollers}: this node, the lease partitions it holds, and for every
 * feed its lease partition and whether this node polls it.
 */
public final class LeasesInfoContributor implements InfoContributor {

    private final KafkaLeaseClusterService leases;

    public LeasesInfoContributor(KafkaLeaseClusterService leases) {
        this.leases = leases;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> feeds = new TreeMap<>();
        leases.leadership().forEach((feed, leads) -> feeds.put(feed, Map.of("leasePartition", leases.partitionOf(feed), "leader", leads)));
        Map<String, Object> pollers = new LinkedHashMap<>();
        pollers.put("node", leases.nodeId());
        pollers.put("leasePartitions", leases.ownedPartitions());
        pollers.put("feeds", feeds);
        builder.withDetail("pollers", pollers);
    }
}
