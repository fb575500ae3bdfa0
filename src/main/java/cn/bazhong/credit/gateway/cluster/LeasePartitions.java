package cn.bazhong.credit.gateway.cluster;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Which lease partition stands for which namespace (feed). Every node must compute the same answer
 * on its own, so it depends only on the namespace, the partition count of the lease topic and the
 * pinned partitions of the configuration: never on which feeds a node happens to run.
 */
public final class LeasePartitions {

    private final int count;
    private final Map<String, Integer> pinned;

    public LeasePartitions(int count, Map<String, Integer> pinned) {
        if (count < 1) {
            throw new IllegalArgumentException("the lease topic has no partitions");
        }
        pinned.forEach((namespace, partition) -> {
            if (partition == null || partition < 0 || partition >= count) {
                throw new IllegalArgumentException("gateway.cluster.pinned-partitions." + namespace + ": " + partition
                        + " is not a partition of the lease topic (0.." + (count - 1) + ")");
            }
        });
        this.count = count;
        this.pinned = Map.copyOf(pinned);
    }

    public int count() {
        return count;
    }

    public int of(String namespace) {
        Integer p = pinned.get(namespace);
        if (p != null) {
            return p;
        }
        // the same hash Kafka's default partitioner uses for keys: stable across JVMs and versions
        return Utils.toPositive(Utils.murmur2(namespace.getBytes(StandardCharsets.UTF_8))) % count;
    }
}
