package cn.bazhong.credit.gateway.ops;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Kafka is reachable: the cluster answers a describe-cluster request within a short time. UP with
 * the broker count and cluster id, DOWN with the error. Wrap it in a {@link CachedHealthIndicator}.
 */
public final class KafkaHealthIndicator implements HealthIndicator {

    private final Admin admin;
    private final String bootstrapServers;
    private final Duration timeout;

    public KafkaHealthIndicator(Admin admin, String bootstrapServers, Duration timeout) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
            long waitMs = timeout.toMillis() + 500;
            Collection<Node> brokers = cluster.nodes().get(waitMs, TimeUnit.MILLISECONDS);
            String clusterId = cluster.clusterId().get(waitMs, TimeUnit.MILLISECONDS);
            Node controller = cluster.controller().get(waitMs, TimeUnit.MILLISECONDS);
            Health.Builder health = brokers.isEmpty() ? Health.down().withDetail("reason", "the cluster reports no brokers") : Health.up();
            return health
                    .withDetail("clusterId", clusterId)
                    .withDetail("brokers", brokers.size())
                    .withDetail("controller", controller == null || controller.isEmpty() ? "none" : controller.idString())
                    .withDetail("bootstrapServers", bootstrapServers)
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(e).withDetail("bootstrapServers", bootstrapServers).build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause() != null ? e.getCause() : e).withDetail("bootstrapServers", bootstrapServers).build();
        } catch (Exception e) {
            return Health.down(e).withDetail("bootstrapServers", bootstrapServers).build();
        }
    }
}
