package cn.bazhong.credit.gateway.infra;

import cn.bazhong.credit.gateway.support.FreePorts;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stage that commits asynchronously (the departments' dispatchers) commits what is done at most about once a second
 * while records keep coming, not after every poll (one commit per event and department was a write to the broker's
 * offsets log each), and commits everything done as soon as the records stop. The commits are counted by a consumer
 * interceptor on the stage's own consumer, which Kafka calls for every commit the broker confirmed.
 */
class AcknowledgingStageCommitTest {

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static KafkaClients clients;

    /** Counts the commits the broker confirmed, and remembers the last offset committed. */
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

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), dir.resolve("kafka"), TestBroker.SETTINGS);
        clients = new KafkaClients(broker.bootstrapServers(), Map.of());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void an_asynchronous_stage_commits_about_once_a_second_while_records_keep_coming_and_everything_once_they_stop() throws Exception {
        String topic = "commit-test";
        int records = 30;
        TopicProvisioner.ensure(clients, List.of(new NewTopic(topic, 1, (short) 1)));
        try (KafkaProducer<String, byte[]> producer = clients.producer("commit-test-producer")) {
            for (int i = 1; i <= records; i++) {
                producer.send(new ProducerRecord<>(topic, "event-" + i, "{}".getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        List<String> done = new CopyOnWriteArrayList<>();
        CountingCommits.COMMITS.set(0);
        // one record a poll, each taking 100 ms of the stage's own wait (as a retry would): 30 polls over about 3 s
        AcknowledgingStage stage = new AcknowledgingStage("commit-test-stage", clients, List.of(topic), "commit-test", "commit-test-1",
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
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
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
