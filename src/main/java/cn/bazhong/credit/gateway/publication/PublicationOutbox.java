package cn.bazhong.credit.gateway.publication;

import cn.bazhong.credit.gateway.fanout.OutboundEvent;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Messages ready for the website that no source topic carries: withdrawals at the end of a 公示期,
 * dead letters put back, replays. Key = item id (an item's messages stay in order); the body as it will be
 * sent, its id, type and time in headers.
 */
public final class PublicationOutbox implements AutoCloseable {

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    public PublicationOutbox(KafkaClients clients, String topic, String nodeId) {
        this.topic = topic;
        this.producer = clients.producer("gateway-publication-outbox-" + nodeId);
    }

    public String topic() {
        return topic;
    }

    /** Durably queues the messages, in order. */
    public void put(List<OutboundEvent> messages) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(messages.size());
        for (OutboundEvent m : messages) {
            RecordHeaders h = new RecordHeaders();
            h.add("message-id", m.id().getBytes(StandardCharsets.UTF_8));
            h.add("message-type", m.type().getBytes(StandardCharsets.UTF_8));
            h.add("occurred-at", m.occurredAt().toString().getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(new ProducerRecord<>(topic, null, m.subjectCode(), m.body(), h)));
        }
        sent.forEach(f -> KafkaClients.awaitDurable(f, "a message for the website"));
    }

    /** A message read back from the outbox. */
    static OutboundEvent read(ConsumerRecord<String, byte[]> r) {
        return new OutboundEvent(header(r, "message-id"), header(r, "message-type"), PublicationItems.WEBSITE, r.key(),
                Instant.parse(header(r, "occurred-at")), r.value());
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
