package cn.bazhong.credit.gateway.fanout;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes a delivery batch to the department's Kafka topic: key = subject code (as the department may
 * see it), value = event body, header {@code event-id}. Delivered once every record is acknowledged.
 */
public final class KafkaDropSender implements ChannelSender {

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaDropSender(Subscription.KafkaChannel channel, KafkaProducer<String, byte[]> producer) {
        this.topic = channel.topic();
        this.producer = producer;
    }

    @Override
    public boolean batches() {
        return true;
    }

    @Override
    public Attempt send(List<OutboundEvent> events) throws IOException, InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        for (OutboundEvent e : events) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("event-id", e.id().getBytes(StandardCharsets.UTF_8));
            headers.add("event-type", e.type().getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(new ProducerRecord<>(topic, null, e.subjectCode(), e.body(), headers)));
        }
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("topic " + topic + " did not take the events: " + e.getMessage(), e);
            }
        }
        return Attempt.DELIVERED;
    }

    @Override
    public String describe() {
        return "Kafka topic " + topic;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
