package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.support.TestBroker;
import cn.bazhong.credit.gateway.support.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The lag computation against a real single-node Kafka broker. */
class ConsumerLagReaderTest {

    static EmbeddedKafkaBroker broker;
    static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), Files.createTempDirectory("ops-lag-"), TestBroker.SETTINGS);
        admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** A topic with three partitions holding the given numbers of messages. */
    private static void topic(String name, int... messages) throws Exception {
        // through the provisioner, which hands the topic back once its partitions take writes
        cn.bazhong.credit.gateway.infra.TopicProvisioner.ensure(new cn.bazhong.credit.gateway.infra.KafkaClients(broker.bootstrapServers(), Map.of()),
                List.of(new NewTopic(name, messages.length, (short) 1)));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            for (int p = 0; p < messages.length; p++) {
                for (int i = 0; i < messages[p]; i++) {
                    producer.send(new ProducerRecord<>(name, p, "k" + i, "v" + i));
                }
            }
            producer.flush();
        }
    }

    private static void commit(String group, String topic, Map<Integer, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> o = new java.util.HashMap<>();
        offsets.forEach((p, offset) -> o.put(new TopicPartition(topic, p), new OffsetAndMetadata(offset)));
        admin.alterConsumerGroupOffsets(group, o).all().get(30, TimeUnit.SECONDS);
    }

    private static ConsumerLagReader reader() {
        return new ConsumerLagReader(admin, Duration.ofSeconds(10));
    }

    @Test
    void the_lag_of_a_group_is_the_sum_over_partitions_of_end_offset_minus_committed_offset() throws Exception {
        topic("lag.summed", 10, 5, 0);
        commit("summer", "lag.summed", Map.of(0, 4L, 1, 5L, 2, 0L));

        ConsumerGroupTopic g = new ConsumerGroupTopic("summer", "lag.summed");
        assertThat(reader().read(List.of(g))).containsExactly(Map.entry(g, 6L));
    }

    @Test
    void a_group_that_never_committed_is_behind_by_everything_on_the_topic() throws Exception {
        topic("lag.untouched", 3, 4, 2);

        ConsumerGroupTopic g = new ConsumerGroupTopic("newcomer", "lag.untouched");
        assertThat(reader().read(List.of(g))).containsEntry(g, 9L);
    }

    @Test
    void messages_removed_by_retention_do_not_count_for_a_group_that_never_committed() throws Exception {
        topic("lag.trimmed", 10);
        admin.deleteRecords(Map.of(new TopicPartition("lag.trimmed", 0), RecordsToDelete.beforeOffset(7))).all().get(30, TimeUnit.SECONDS);

        ConsumerGroupTopic g = new ConsumerGroupTopic("late", "lag.trimmed");
        assertThat(reader().read(List.of(g))).containsEntry(g, 3L);
    }

    @Test
    void two_groups_on_one_topic_are_measured_separately_and_a_caught_up_group_has_no_lag() throws Exception {
        topic("lag.shared", 6, 6);
        commit("fast", "lag.shared", Map.of(0, 6L, 1, 6L));
        commit("slow", "lag.shared", Map.of(0, 1L, 1, 2L));

        ConsumerGroupTopic fast = new ConsumerGroupTopic("fast", "lag.shared");
        ConsumerGroupTopic slow = new ConsumerGroupTopic("slow", "lag.shared");
        assertThat(reader().read(List.of(fast, slow))).containsEntry(fast, 0L).containsEntry(slow, 9L);
    }

    @Test
    void a_topic_that_does_not_exist_is_left_out_without_hiding_the_others() throws Exception {
        topic("lag.present", 2);
        ConsumerGroupTopic present = new ConsumerGroupTopic("someone", "lag.present");
        ConsumerGroupTopic missing = new ConsumerGroupTopic("someone", "lag.no-such-topic");

        Map<ConsumerGroupTopic, Long> lag = reader().read(List.of(present, missing));

        assertThat(lag).containsEntry(present, 2L).doesNotContainKey(missing);
    }

    @Test
    void the_refresher_hands_the_lag_to_the_gauge_which_a_scrape_only_reads() throws Exception {
        topic("lag.gauged", 8);
        commit("gauged", "lag.gauged", Map.of(0, 3L));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConsumerGroupTopic g = new ConsumerGroupTopic("gauged", "lag.gauged");
        ConsumerLagGauges gauges = new ConsumerLagGauges(registry, List.of(g));

        assertThat(registry.get(ConsumerLagGauges.NAME).tag("group", "gauged").tag("topic", "lag.gauged").gauge().value()).isNaN();
        new ConsumerLagRefresher(reader(), gauges, Duration.ofSeconds(15)).refresh();

        assertThat(registry.get(ConsumerLagGauges.NAME).tag("group", "gauged").tag("topic", "lag.gauged").gauge().value()).isEqualTo(5.0);
    }

    @Test
    void when_kafka_cannot_be_reached_the_lag_becomes_unknown_instead_of_staying_at_its_last_value() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConsumerGroupTopic g = new ConsumerGroupTopic("gone", "lag.gone");
        ConsumerLagGauges gauges = new ConsumerLagGauges(registry, List.of(g));
        gauges.update(Map.of(g, 42L));
        try (Admin unreachable = Admin.create(Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + FreePorts.next(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 500,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000))) {
            new ConsumerLagRefresher(new ConsumerLagReader(unreachable, Duration.ofMillis(500)), gauges, Duration.ofSeconds(15)).refresh();
        }

        assertThat(gauges.value(g)).isNaN();
    }
}
