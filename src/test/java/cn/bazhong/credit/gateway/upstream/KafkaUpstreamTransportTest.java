package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.support.TestBroker;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka adapter against a real single-node broker: each batch document lands on its
 * dataset's topic with the batch id as key and Idempotency-Key, and is read back as sent.
 */
class KafkaUpstreamTransportTest {

    static final String PATTERN = "province.exchange.{dataset}";

    @TempDir
    static Path logDir;

    static EmbeddedKafkaBroker broker;
    static KafkaClients province;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), logDir.resolve("kafka"), TestBroker.SETTINGS);
        province = new KafkaClients(broker.bootstrapServers(), Map.of());
        TopicProvisioner.ensure(province, List.of(
                TopicProvisioner.topic("province.exchange.admin_penalty", 1, (short) 1, Map.of()),
                TopicProvisioner.topic("province.exchange.admin_license", 1, (short) 1, Map.of()),
                TopicProvisioner.topic("province.exchange.measure_feedback", 1, (short) 1, Map.of()),
                TopicProvisioner.topic("small.exchange.admin_penalty", 1, (short) 1,
                        Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048"))));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = province.reader("test-reader-" + UUID.randomUUID())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return read.size() >= expected;
            });
        }
        return read;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void a_batch_is_published_to_its_datasets_topic_keyed_by_batch_id_with_an_idempotency_key() throws Exception {
        BatchDocument batch = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 3, "kafka");
        byte[] document = UpstreamAdapterFixtures.document(batch);

        UpstreamTransport.Answer answer;
        try (KafkaUpstreamTransport kafka = new KafkaUpstreamTransport(province, PATTERN, "upstream-test")) {
            answer = kafka.send(batch.batchId(), document);
        }

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(answer.body());
        assertThat(body.path("batchId").asText()).isEqualTo(batch.batchId());
        assertThat(body.path("results").isArray()).isTrue();
        assertThat(body.path("results")).isEmpty();
        List<ConsumerRecord<String, byte[]>> records = readAll("province.exchange.admin_penalty", 1);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(record.key()).isEqualTo(batch.batchId());
        assertThat(header(record, "Idempotency-Key")).isEqualTo(batch.batchId());
        assertThat(header(record, "Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(record.value()).isEqualTo(document);
    }

    @Test
    void each_dataset_goes_to_its_own_lower_cased_topic() throws Exception {
        BatchDocument licences = UpstreamAdapterFixtures.batch("ADMIN_LICENSE", 2, "licences");
        BatchDocument feedback = UpstreamAdapterFixtures.batch("MEASURE_FEEDBACK", 1, "feedback");

        try (KafkaUpstreamTransport kafka = new KafkaUpstreamTransport(province, PATTERN, "upstream-test-datasets")) {
            assertThat(kafka.topicOf("ADMIN_PENALTY")).isEqualTo("province.exchange.admin_penalty");
            assertThat(kafka.send(licences.batchId(), UpstreamAdapterFixtures.document(licences)).status()).isEqualTo(200);
            assertThat(kafka.send(feedback.batchId(), UpstreamAdapterFixtures.document(feedback)).status()).isEqualTo(200);
        }

        assertThat(readAll("province.exchange.admin_license", 1)).singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo(licences.batchId()));
        assertThat(readAll("province.exchange.measure_feedback", 1)).singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo(feedback.batchId()));
    }

    @Test
    void a_document_larger_than_the_topic_takes_is_answered_413_so_the_sender_splits_it() throws Exception {
        BatchDocument large = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 1, UUID.randomUUID().toString());
        List<BatchDocument.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            BatchDocument.Entry e = large.records().get(0);
            entries.add(new BatchDocument.Entry(e.recordId() + "-" + UUID.randomUUID(), UUID.randomUUID().toString(),
                    e.operation(), Map.of("CF_WSH", UUID.randomUUID().toString()), e.receiptId(), (long) i,
                    e.department(), e.feed(), e.kind()));
        }
        BatchDocument batch = new BatchDocument(BatchStage.batchId("ADMIN_PENALTY", entries), "ADMIN_PENALTY", large.formedAt(), entries);

        try (KafkaUpstreamTransport kafka = new KafkaUpstreamTransport(province, "small.exchange.{dataset}", "upstream-test-large")) {
            assertThat(kafka.send(batch.batchId(), UpstreamAdapterFixtures.document(batch)).status()).isEqualTo(413);
        }
    }

    @Test
    void the_dataset_is_read_from_the_document_without_parsing_its_records() {
        assertThat(KafkaUpstreamTransport.dataset(("{\"batchId\":\"b\",\"sourceUnit\":{\"name\":\"x\",\"dataset\":\"NOT_THIS\"},"
                + "\"dataset\":\" ADMIN_LICENSE \",\"records\":[{\"recordId\":\"r\"}]}").getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("ADMIN_LICENSE");
        // the records after the dataset are not read: a truncated tail does not matter here
        assertThat(KafkaUpstreamTransport.dataset("{\"dataset\":\"LIST_ENTRY\",\"records\":[{\"rec".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("LIST_ENTRY");
        assertThat(KafkaUpstreamTransport.dataset("{\"dataset\":\" \"}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(KafkaUpstreamTransport.dataset("{\"dataset\":{\"name\":\"ADMIN_PENALTY\"}}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(KafkaUpstreamTransport.dataset("[\"dataset\"]".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(KafkaUpstreamTransport.dataset("not json".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void a_document_that_names_no_dataset_is_answered_400() throws Exception {
        try (KafkaUpstreamTransport kafka = new KafkaUpstreamTransport(province, PATTERN, "upstream-test-malformed")) {
            assertThat(kafka.send("ADMIN_PENALTY-0123", "{\"batchId\":\"ADMIN_PENALTY-0123\"}".getBytes(StandardCharsets.UTF_8)).status())
                    .isEqualTo(400);
        }
    }

    @Test
    void an_unreachable_province_cluster_gives_an_io_exception() {
        KafkaClients unreachable = new KafkaClients("127.0.0.1:" + FreePorts.next(), Map.of("max.block.ms", "1500"));
        BatchDocument batch = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 1, "unreachable");

        try (KafkaUpstreamTransport kafka = new KafkaUpstreamTransport(unreachable, PATTERN, "upstream-test-unreachable")) {
            assertThatThrownBy(() -> kafka.send(batch.batchId(), UpstreamAdapterFixtures.document(batch)))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void a_topic_pattern_without_the_dataset_placeholder_is_refused() {
        assertThatThrownBy(() -> new KafkaUpstreamTransport(province, "province.exchange", "upstream-test-pattern"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("{dataset}");
    }
}
