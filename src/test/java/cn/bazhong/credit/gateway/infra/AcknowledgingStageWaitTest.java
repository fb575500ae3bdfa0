package cn.bazhong.credit.gateway.infra;

import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.TestBroker;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stage waiting between two attempts keeps polling its paused consumer until the wait is over. When the wait
 * runs out between the loop's check and the poll (a busy machine), the poll must not be given a negative time:
 * the consumer refuses it, the stage restarts, and the record in hand is worked again from its first attempt
 * (seen in a full test run: a department's event delivered with its attempt count reset).
 */
class AcknowledgingStageWaitTest {

    static EmbeddedKafkaBroker broker;

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** A clock that moves 6 ms each time it is read: a 10 ms wait is over between its second and third reading. */
    static final class SteppingClock extends Clock {
        private final AtomicLong reads = new AtomicLong();
        private final Instant start = Instant.parse("2026-12-05T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return start.plusMillis(6 * reads.getAndIncrement());
        }
    }

    @Test
    void a_wait_that_runs_out_just_before_its_poll_ends_the_wait_instead_of_failing_the_stage(@TempDir Path dir) throws Exception {
        broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), dir.resolve("kafka"), TestBroker.SETTINGS);
        String topic = "wait-test";
        KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
        TopicProvisioner.ensure(clients, List.of(new NewTopic(topic, 1, (short) 1)));
        List<String> worked = new CopyOnWriteArrayList<>();
        List<String> done = new CopyOnWriteArrayList<>();
        AcknowledgingStage stage = new AcknowledgingStage("wait-test-stage", clients, List.of(topic), "wait-test", "wait-test-1",
                10, true, new SteppingClock()) {
            @Override
            protected boolean work(ConsumerRecords<String, byte[]> polled, Work work) throws Exception {
                for (ConsumerRecord<String, byte[]> r : polled) {
                    worked.add(r.key());
                    work.await(Duration.ofMillis(10), polled.partitions()); // between a failed attempt and the next
                    work.done(r);
                    done.add(r.key());
                }
                return false;
            }
        };
        stage.start();
        try (KafkaProducer<String, byte[]> producer = clients.producer("wait-test-producer")) {
            producer.send(new ProducerRecord<>(topic, "event-1", "{}".getBytes(StandardCharsets.UTF_8))).get();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> done.contains("event-1") || stage.lastFailure() != null);
        stage.stop();
        assertThat(stage.lastFailure()).as("the stage's failure").isNull();
        assertThat(done).containsExactly("event-1");
        assertThat(worked).as("worked once, not again after a restart").containsExactly("event-1");
    }
}
