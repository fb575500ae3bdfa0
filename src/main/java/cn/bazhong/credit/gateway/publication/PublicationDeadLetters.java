package cn.bazhong.credit.gateway.publication;

import cn.bazhong.credit.gateway.fanout.OutboundEvent;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages the website did not take within the retries, on a compacted topic (key = message id) with the
 * body as it was to be sent and the reason; listed for operators and put back on the outbox on replay
 * (then marked replayed, so a second replay does not send them again).
 */
public final class PublicationDeadLetters implements AutoCloseable {

    /** One dead letter; {@code body} is the message exactly as it was to be sent (UTF-8 JSON, personal data already reduced). */
    public record Letter(String id, String type, String itemId, Instant occurredAt, String reason, int status, int attempts, Instant at,
                        Instant replayedAt, String body) {
    }

    private final KafkaClients clients;
    private final String topic;
    private final PublicationOutbox outbox;
    private final KafkaProducer<String, byte[]> producer;
    private final Clock clock;

    public PublicationDeadLetters(KafkaClients clients, String topic, PublicationOutbox outbox, String nodeId, Clock clock) {
        this.clients = clients;
        this.topic = topic;
        this.outbox = outbox;
        this.clock = clock;
        this.producer = clients.producer("gateway-publication-dlq-" + nodeId);
    }

    public void add(OutboundEvent message, String reason, int status, int attempts) {
        write(new Letter(message.id(), message.type(), message.subjectCode(), message.occurredAt(), reason, status, attempts,
                Instant.now(clock), null, new String(message.body(), StandardCharsets.UTF_8)));
    }

    /** Every dead letter, newest first. */
    public List<Letter> list() {
        Map<String, Letter> latest = new LinkedHashMap<>();
        clients.readToEnd(topic, "publication-dlq-reader", r -> {
            if (r.value() == null) {
                latest.remove(r.key());
                return;
            }
            try {
                latest.put(r.key(), RecordJson.mapper().readValue(r.value(), Letter.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<Letter> out = new ArrayList<>(latest.values());
        out.sort(Comparator.comparing(Letter::at).reversed());
        return out;
    }

    /** Puts every dead letter not yet replayed back on the outbox, oldest first; how many. */
    public int replay() {
        List<Letter> pending = new ArrayList<>(list().stream().filter(l -> l.replayedAt() == null).toList());
        pending.sort(Comparator.comparing(Letter::at));
        outbox.put(pending.stream().map(l -> new OutboundEvent(l.id(), l.type(), PublicationItems.WEBSITE, l.itemId(), l.occurredAt(),
                l.body().getBytes(StandardCharsets.UTF_8))).toList());
        Instant now = Instant.now(clock);
        pending.forEach(l -> write(new Letter(l.id(), l.type(), l.itemId(), l.occurredAt(), l.reason(), l.status(), l.attempts(), l.at(), now,
                l.body())));
        return pending.size();
    }

    private void write(Letter letter) {
        try {
            KafkaClients.awaitDurable(producer.send(new ProducerRecord<>(topic, letter.id(), RecordJson.mapper().writeValueAsBytes(letter))),
                    "a dead letter for the website");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
