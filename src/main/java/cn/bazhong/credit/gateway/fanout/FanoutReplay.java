package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.RecordJson;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays one department from a point in time: every list change since then that concerns the
 * department is put back for it alone (same event ids), partition by partition in order, a chunk at a
 * time so that memory stays bounded however far back the replay goes.
 */
public final class FanoutReplay {

    private static final int CHUNK = 1000;

    private final KafkaClients clients;
    private final String changesTopic;
    private final DepartmentEvents events;
    private final Redeliveries redeliveries;

    public FanoutReplay(KafkaClients clients, String changesTopic, DepartmentEvents events, Redeliveries redeliveries) {
        this.clients = clients;
        this.changesTopic = changesTopic;
        this.events = events;
        this.redeliveries = redeliveries;
    }

    /** Puts back every change since {@code from} that concerns the subscription's department; how many. */
    public int since(Subscription subscription, Instant from) {
        int count = 0;
        try (KafkaConsumer<String, byte[]> reader = clients.reader("fanout-replay-" + subscription.department())) {
            List<TopicPartition> partitions = reader.partitionsFor(changesTopic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(changesTopic, p.partition())).toList();
            reader.assign(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, from.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = reader.offsetsForTimes(query, Duration.ofSeconds(60));
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, Duration.ofSeconds(60));
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp start = starts.get(tp);
                reader.seek(tp, start == null ? ends.get(tp) : start.offset());
            }
            List<ListChangeEvent> chunk = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> reader.position(tp) < ends.get(tp))) {
                for (var r : reader.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= ends.get(new TopicPartition(r.topic(), r.partition())) || r.value() == null) {
                        continue;
                    }
                    ListChangeEvent change = RecordJson.mapper().readValue(r.value(), ListChangeEvent.class);
                    if (events.forDepartment(change, subscription).isPresent()) {
                        chunk.add(change);
                    }
                    if (chunk.size() >= CHUNK) {
                        redeliveries.putBack(subscription.department(), chunk);
                        count += chunk.size();
                        chunk.clear();
                    }
                }
            }
            redeliveries.putBack(subscription.department(), chunk);
            count += chunk.size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("a list change could not be read during the replay", e);
        }
        return count;
    }
}
