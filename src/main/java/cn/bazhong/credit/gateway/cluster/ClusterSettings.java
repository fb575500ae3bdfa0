package cn.bazhong.credit.gateway.cluster;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

/**
 * Which node polls each SFTP feed: the feed's lease is a partition of a Kafka topic, held by the
 * member of a consumer group that Kafka assigned it to.
 *
 * @param leaseGroup        consumer group of the lease consumers, one member per node
 * @param leaseTopic        topic whose partitions are the leases; nothing is ever written to it
 * @param leasePartitions   partitions of the lease topic when it is created (more partitions than
 *                          nodes, so that feeds spread over the nodes)
 * @param sessionTimeout    a node that stops heartbeating loses its leases after this long (the
 *                          broker's group.min.session.timeout.ms, 6 s by default, is the floor)
 * @param heartbeatInterval how often the lease consumer heartbeats; at most a quarter of the session
 *                          timeout. A node that has had no answer from the group coordinator for
 *                          session-timeout - 2 x heartbeat-interval stops polling on its own
 * @param pinnedPartitions  optional fixed lease partition per feed (namespace); the others take
 *                          murmur2(namespace) mod partitions. Must be the same on every node
 */
@ConfigurationProperties(prefix = "gateway.cluster")
public record ClusterSettings(
        String leaseGroup,
        String leaseTopic,
        int leasePartitions,
        Duration sessionTimeout,
        Duration heartbeatInterval,
        Map<String, Integer> pinnedPartitions) {

    public ClusterSettings {
        pinnedPartitions = pinnedPartitions == null ? Map.of() : Map.copyOf(pinnedPartitions);
        if (leasePartitions < 1) {
            throw new IllegalArgumentException("gateway.cluster.lease-partitions must be at least 1, not " + leasePartitions);
        }
        if (heartbeatInterval.multipliedBy(4).compareTo(sessionTimeout) > 0) {
            throw new IllegalArgumentException("gateway.cluster.heartbeat-interval (" + heartbeatInterval
                    + ") must be at most a quarter of gateway.cluster.session-timeout (" + sessionTimeout + ")");
        }
    }

    /** How long a node keeps polling without an answer from the group coordinator. */
    public Duration leaseGuard() {
        return sessionTimeout.minus(heartbeatInterval.multipliedBy(2));
    }
}
