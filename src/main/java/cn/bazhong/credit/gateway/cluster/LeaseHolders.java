package cn.bazhong.credit.gateway.cluster;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Which node holds each lease partition, cluster-wide: the lease group's members as its coordinator
 * assigned them (one admin request). A node leads a feed only while it also hears from the coordinator
 * ({@link KafkaLeaseClusterService}), so during a failover the answer can name a node that has already
 * let the feed go; {@link KafkaLeaseClusterService#leadership()} is this node's own word.
 */
public final class LeaseHolders {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseHolders.class);

    private final Admin admin;
    private final String group;
    private final String topic;
    private final Duration timeout;

    public LeaseHolders(Admin admin, ClusterSettings settings, Duration timeout) {
        this.admin = admin;
        this.group = settings.leaseGroup();
        this.topic = settings.leaseTopic();
        this.timeout = timeout;
    }

    /** Lease partition → the id of the node it is assigned to; empty when Kafka does not answer in time. */
    public Map<Integer, String> read() {
        Map<Integer, String> holders = new TreeMap<>();
        try {
            ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group),
                            new DescribeConsumerGroupsOptions().timeoutMs((int) timeout.toMillis()))
                    .describedGroups().get(group).get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            for (MemberDescription m : described.members()) {
                String node = m.clientId().startsWith(KafkaLeaseClusterService.CLIENT_PREFIX)
                        ? m.clientId().substring(KafkaLeaseClusterService.CLIENT_PREFIX.length()) : m.clientId();
                for (TopicPartition tp : m.assignment().topicPartitions()) {
                    if (tp.topic().equals(topic)) {
                        holders.put(tp.partition(), node);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("the lease group {} cannot be described: {}", group, e.toString());
        }
        return holders;
    }
}
