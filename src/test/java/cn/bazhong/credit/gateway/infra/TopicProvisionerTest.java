package cn.bazhong.credit.gateway.infra;

import cn.bazhong.credit.gateway.support.TestBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topics the gateway creates take writes as soon as {@link TopicProvisioner#ensure} returns, on a real KRaft broker.
 *
 * <p>A broker hands out a new topic's metadata before it has become the leader of its partitions: a write sent in
 * that moment is refused ("not the leader"). A durable producer retries it, but its later batches to the same
 * partition may be taken first, and the retried first one is then out of sequence: it waits out the delivery
 * timeout and fails, and the partition holds its records out of order (the cause of a list-view rebuild test
 * that once found 84 of 12,008 states missing).
 */
class TopicProvisionerTest {

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker("topic-provisioner");

    @Test
    void every_partition_of_a_created_topic_takes_a_write_at_the_first_attempt() throws Exception {
        Map<String, Object> once = new java.util.HashMap<>(KAFKA.clients().base());
        once.put(ProducerConfig.RETRIES_CONFIG, 0); // a refused write fails instead of being retried
        once.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        once.put(ProducerConfig.ACKS_CONFIG, "all");
        List<String> refused = new ArrayList<>();
        List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            topics.add(TopicProvisioner.topic("provisioned." + t, 6, (short) 1, Map.of()));
        }
        TopicProvisioner.ensure(KAFKA.clients(), topics);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(once, new StringSerializer(), new ByteArraySerializer())) {
            Map<String, Future<?>> sent = new java.util.LinkedHashMap<>();
            for (var topic : topics) {
                for (int p = 0; p < 6; p++) {
                    sent.put(topic.name() + "-" + p, producer.send(new ProducerRecord<>(topic.name(), p, "k", new byte[] {1})));
                }
            }
            for (var s : sent.entrySet()) {
                try {
                    s.getValue().get();
                } catch (ExecutionException e) {
                    refused.add(s.getKey() + ": " + e.getCause());
                }
            }
        }
        assertThat(refused).as("writes refused right after the topic was created").isEmpty();
    }
}
