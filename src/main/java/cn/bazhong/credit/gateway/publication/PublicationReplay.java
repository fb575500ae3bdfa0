package cn.bazhong.credit.gateway.publication;

import cn.bazhong.credit.gateway.infra.TopicSince;
import cn.bazhong.credit.gateway.fanout.OutboundEvent;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.ingest.RecordEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
        LocalDate today = LocalDate.now(clock);
        List<OutboundEvent> chunk = new ArrayList<>();
        int[] count = {0};
        try {
            TopicSince.read(clients, "publication-replay", topic, from, r -> {
                message(r, today).ifPresent(chunk::add);
                if (chunk.size() >= CHUNK) {
                    outbox.put(chunk);
                    count[0] += chunk.size();
                    chunk.clear();
                }
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the replay of " + topic + " for the website failed", e);
        }
        outbox.put(chunk);
        return count[0] + chunk.size();
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
