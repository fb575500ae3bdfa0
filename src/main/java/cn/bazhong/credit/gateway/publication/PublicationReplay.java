package cn.bazhong.credit.gateway.publication;

import cn.bazhong.credit.gateway.fanout.OutboundEvent;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.ingest.RecordEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes again from a point in time: every accepted penalty and licence and every red or black list
 * change since then becomes its message again (same ids; a penalty past its 公示期 as a withdrawal) and is
 * queued on the outbox, a chunk at a time, partition by partition in order.
 */
public final class PublicationReplay {

    private static final int CHUNK = 1000;

    private final KafkaClients clients;
    private final String recordsTopic;
    private final String changesTopic;
    private final PublicationItems items;
    private final PublicationOutbox outbox;
    private final Clock clock;

    public PublicationReplay(KafkaClients clients, String recordsTopic, String changesTopic, PublicationItems items, PublicationOutbox outbox,
                             Clock clock) {
        this.clients = clients;
        this.recordsTopic = recordsTopic;
        this.changesTopic = changesTopic;
        this.items = items;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Queues the messages of everything since {@code from}; how many. */
    public int since(Instant from) {
        return since(recordsTopic, from) + since(changesTopic, from);
    }

    private int since(String topic, Instant from) {
        int count = 0;
        LocalDate today = LocalDate.now(clock);
        try (KafkaConsumer<String, byte[]> reader = clients.reader("publication-replay")) {
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
            List<OutboundEvent> chunk = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> reader.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= ends.get(new TopicPartition(r.topic(), r.partition())) || r.value() == null) {
                        continue;
                    }
                    message(r, today).ifPresent(chunk::add);
                    if (chunk.size() >= CHUNK) {
                        outbox.put(chunk);
                        count += chunk.size();
                        chunk.clear();
                    }
                }
            }
            outbox.put(chunk);
            count += chunk.size();
        }
        return count;
    }

    private Optional<OutboundEvent> message(ConsumerRecord<String, byte[]> r, LocalDate today) {
        try {
            if (r.topic().equals(changesTopic)) {
                return items.ofListChange(RecordJson.mapper().readValue(r.value(), ListChangeEvent.class));
            }
            String kind = RecordEnvelope.headline(r).kind();
            if (!"ADMIN_PENALTY".equals(kind) && !"ADMIN_LICENSE".equals(kind)) {
                return Optional.empty();
            }
            return items.ofRecord(RecordEnvelope.read(r).record(), today);
        } catch (IOException e) {
            throw new UncheckedIOException("a record could not be read during the website's replay", e);
        }
    }
}
