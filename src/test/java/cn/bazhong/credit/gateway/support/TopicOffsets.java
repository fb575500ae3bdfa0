package cn.bazhong.credit.gateway.support;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
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
        try (Admin admin = Admin.create(config(bootstrapServers))) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return 0;
            }
            return admin.listOffsets(latest(admin, topic)).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            return 0; // the broker is starting, or gone
        }
    }

    /**
     * Whether no transaction is open on any partition of {@code topic}: its last stable offsets (where a
     * read-committed consumer stops) are its ends. From then on, what a reader committed does not see
     * there was aborted and will never be seen; a test can say "nothing of it arrives" at once instead
     * of watching for a while.
     */
    public static boolean settled(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(config(bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> latest = latest(admin, topic);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> stable = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
            return ends.entrySet().stream().allMatch(e -> stable.get(e.getKey()).offset() == e.getValue().offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false; // the broker is starting, or gone
        }
    }

    private static Map<String, Object> config(String bootstrapServers) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
    }

    private static Map<TopicPartition, OffsetSpec> latest(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return latest;
    }
}
