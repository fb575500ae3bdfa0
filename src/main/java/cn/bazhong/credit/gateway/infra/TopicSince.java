package cn.bazhong.credit.gateway.infra;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a topic holds from a point in time (by record timestamp) up to its end as it was when the
 * reading began, every partition, committed records only; records without a value (tombstones) are skipped.
 * The replays from a point in time (a department's, the website's) are built on it.
 */
public final class TopicSince {

    /** What to do with one record; may fail, which ends the reading. */
    @FunctionalInterface
    public interface Each {
        void accept(ConsumerRecord<String, byte[]> record) throws Exception;
    }

    private TopicSince() {
    }

    public static void read(KafkaClients clients, String clientId, String topic, Instant from, Each each) throws Exception {
        try (KafkaConsumer<String, byte[]> reader = clients.reader(clientId)) {
            List<TopicPartition> partitions = reader.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            reader.assign(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, from.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = reader.offsetsForTimes(query, Duration.ofSeconds(60));
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, Duration.ofSeconds(60));
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp start = starts.get(tp);
                reader.seek(tp, start == null ? ends.get(tp) : start.offset());
            }
            while (partitions.stream().anyMatch(tp -> reader.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition())) && r.value() != null) {
                        each.accept(r);
                    }
                }
            }
        }
    }
}
