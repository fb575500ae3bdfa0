package cn.bazhong.credit.gateway.support;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many records a topic holds (the sum of its partitions' end offsets), asked of a broker that may be
 * starting, or gone with a process a test has just killed: each question gives up within a few seconds
 * instead of the admin client's default minute.
 */
public final class TopicOffsets {

    private TopicOffsets() {
    }

    /** The records written to {@code topic}, or 0 while the broker or the topic is not there (yet). */
    public static long written(String bootstrapServers, String topic) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        try (Admin admin = Admin.create(config)) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return 0;
            }
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            return 0; // the broker is starting, or gone
        }
    }
}
