package cn.bazhong.credit.gateway.infra;

import cn.bazhong.credit.gateway.support.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How an {@link AcknowledgingStage} waits and commits, on one real broker:
 * <ul>
 *   <li>a stage waiting between two attempts keeps polling its paused consumer until the wait is over. When the wait
 *       runs out between the loop's check and the poll (a busy machine), the poll must not be given a negative time:
 *       the consumer refuses it, the stage restarts, and the record in hand is worked again from its first attempt
 *       (seen in a full test run: a department's event delivered with its attempt count reset);</li>
 *   <li>a stage that commits asynchronously (the departments' dispatchers) commits what is done at most about once a
 *       second while records keep coming, not after every poll (one commit per event and department was a write to
 *       the broker's offsets log each), and everything done as soon as the records stop. The commits are counted by a
 *       consumer interceptor on the stage's own consumer, which Kafka calls for every commit the broker confirmed.</li>
 * </ul>
 */
class AcknowledgingStageTest {

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker("acknowledging-stage");

    /** Counts the commits the broker confirmed. */
    public static final class CountingCommits implements ConsumerInterceptor<String, byte[]> {
        static final AtomicInteger COMMITS = new AtomicInteger();

        @Override
        public ConsumerRecords<String, byte[]> onConsume(ConsumerRecords<String, byte[]> records) {
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            COMMITS.incrementAndGet();
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
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
    void a_wait_that_runs_out_just_before_its_poll_ends_the_wait_instead_of_failing_the_stage() throws Exception {
        String topic = "wait-test";
        TopicProvisioner.ensure(KAFKA.clients(), List.of(new NewTopic(topic, 1, (short) 1)));
        List<String> worked = new CopyOnWriteArrayList<>();
        List<String> done = new CopyOnWriteArrayList<>();
        AcknowledgingStage stage = new AcknowledgingStage("wait-test-stage", KAFKA.clients(), List.of(topic), "wait-test", "wait-test-1",
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
        try (KafkaProducer<String, byte[]> producer = KAFKA.clients().producer("wait-test-producer")) {
            producer.send(new ProducerRecord<>(topic, "event-1", "{}".getBytes(StandardCharsets.UTF_8))).get();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> done.contains("event-1") || stage.lastFailure() != null);
        stage.stop();
        assertThat(stage.lastFailure()).as("the stage's failure").isNull();
        assertThat(done).containsExactly("event-1");
        assertThat(worked).as("worked once, not again after a restart").containsExactly("event-1");
    }

    @Test
    void an_asynchronous_stage_commits_about_once_a_second_while_records_keep_coming_and_everything_once_they_stop() throws Exception {
        String topic = "commit-test";
        int records = 30;
        TopicProvisioner.ensure(KAFKA.clients(), List.of(new NewTopic(topic, 1, (short) 1)));
        try (KafkaProducer<String, byte[]> producer = KAFKA.clients().producer("commit-test-producer")) {
            for (int i = 1; i <= records; i++) {
                producer.send(new ProducerRecord<>(topic, "event-" + i, "{}".getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        List<String> done = new CopyOnWriteArrayList<>();
        CountingCommits.COMMITS.set(0);
        // one record a poll, each taking 100 ms of the stage's own wait (as a retry would): 30 polls over about 3 s
        AcknowledgingStage stage = new AcknowledgingStage("commit-test-stage", KAFKA.clients(), List.of(topic), "commit-test", "commit-test-1",
                1, false, Clock.systemUTC()) {
            @Override
            protected Map<String, Object> consumerSettings() {
                return Map.of(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, CountingCommits.class.getName());
            }

            @Override
            protected boolean work(ConsumerRecords<String, byte[]> polled, Work work) throws Exception {
                for (ConsumerRecord<String, byte[]> r : polled) {
                    work.await(Duration.ofMillis(100), polled.partitions());
                    work.done(r);
                    done.add(r.key());
                }
                return false;
            }
        };
        long started = System.nanoTime();
        stage.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> done.size() == records || stage.lastFailure() != null);
            double seconds = (System.nanoTime() - started) / 1e9;
            int commitsWhileWorking = CountingCommits.COMMITS.get();
            // everything done is committed once the records stop, without the stage being stopped
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.listConsumerGroupOffsets("commit-test")
                    .partitionsToOffsetAndMetadata().get().get(new TopicPartition(topic, 0)))
                    .as("the group's committed offset").isNotNull()
                    .extracting(OffsetAndMetadata::offset).isEqualTo((long) records));
            assertThat(stage.lastFailure()).as("the stage's failure").isNull();
            assertThat(done).hasSize(records).doesNotHaveDuplicates();
            assertThat(commitsWhileWorking)
                    .as("commits in the %.1f s the %d records took, one at a time", seconds, records)
                    .isLessThanOrEqualTo((int) Math.ceil(seconds) + 1)
                    .isLessThan(records / 2);
        } finally {
            stage.stop();
        }
    }
}
