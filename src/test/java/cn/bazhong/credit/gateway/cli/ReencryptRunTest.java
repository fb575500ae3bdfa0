package cn.bazhong.credit.gateway.cli;

import cn.bazhong.credit.gateway.crypto.Aead;
import cn.bazhong.credit.gateway.support.TestBroker;
import cn.bazhong.credit.gateway.crypto.DataKey;
import cn.bazhong.credit.gateway.crypto.EncryptedValue;
import cn.bazhong.credit.gateway.crypto.FieldCipher;
import cn.bazhong.credit.gateway.crypto.KeyEncryptionKey;
import cn.bazhong.credit.gateway.crypto.KeyRing;
import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.schema.Party;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.support.FreePorts;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The re-encryption run against a real broker: the latest value of each key of a compacted topic comes
 * under the current data key, whether the sealed values are strings in JSON or a whole raw message; older
 * versions, clear values and deleted keys are left alone; an append-only topic is refused.
 */
class ReencryptRunTest {

    static final SecureRandom RANDOM = new SecureRandom();
    static final KeyEncryptionKey KEK = KeyEncryptionKey.generate("kek-1", RANDOM);
    static final DataKey OLD = KeyRing.newDataKey(Aead.AES_256_GCM, KEK, Clock.systemUTC(), RANDOM);
    static final DataKey NEW = KeyRing.newDataKey(Aead.SM4_GCM, KEK, Clock.systemUTC(), RANDOM);
    static final PersonalFields BEFORE = new PersonalFields(new FieldCipher(new KeyRing(List.of(OLD), OLD.id())));
    static final PersonalFields AFTER = new PersonalFields(new FieldCipher(new KeyRing(List.of(OLD, NEW), NEW.id())));

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), Files.createTempDirectory("reencrypt-"), TestBroker.SETTINGS);
        TopicProvisioner.ensure(new KafkaClients(broker.bootstrapServers(), Map.of()),
                List.of(new NewTopic("state", 2, (short) 1).configs(Map.of("cleanup.policy", "compact")), new NewTopic("log", 1, (short) 1)));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static Subject person(String id) {
        return new Subject(Subject.PERSON, "乔建", null, null, null, null, null, null, null, "身份证", id);
    }

    static byte[] state(Subject subject, String version) throws Exception {
        return RecordJson.mapper().writeValueAsBytes(Map.of("recordId", "ZJFY:LIST_ENTRY:1", "version", version, "amount",
                new java.math.BigDecimal("12.50"), "subject", subject));
    }

    private void write(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private Map<String, byte[]> latest(String topic) {
        Map<String, byte[]> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(300))) {
                    out.put(new String(r.key(), StandardCharsets.UTF_8), r.value());
                }
            }
        }
        return out;
    }

    private static String dataKeyOf(JsonNode n) {
        return EncryptedValue.parse(n.textValue()).dataKeyId();
    }

    @Test
    void the_latest_sealed_values_of_a_compacted_topic_come_under_the_current_key_and_still_open() throws Exception {
        write("state", "p1", state(BEFORE.seal(person("511903196012073255")), "v1"));
        write("state", "p1", state(BEFORE.seal(person("511903196012073255")), "v2"));
        write("state", "org", state(BEFORE.seal(new Subject(Subject.ORGANISATION, "乙公司", "91511903XFWA2JK10D", null, null, null,
                null, null, new Party("孔洋敏", "身份证", "511902195009250256"), null, null)), "v1"));
        write("state", "clear", state(person("511902198001014381"), "v1"));
        write("state", "raw", BEFORE.sealRaw("{\"fddbrzjhm\": \"511902195009250256\"".getBytes(StandardCharsets.UTF_8)));
        write("state", "gone", state(BEFORE.seal(person("511903196012073255")), "v1"));
        write("state", "gone", null);

        List<ReencryptRun.Result> dry = new ReencryptRun(broker.bootstrapServers(), AFTER).run(List.of("state"), true);
        assertThat(dry).singleElement().satisfies(r -> assertThat(r.rewritten()).isEqualTo(3));
        assertThat(dataKeyOf(RecordJson.mapper().readTree(latest("state").get("p1")).path("subject").path("idNumber")))
                .isEqualTo(OLD.id());

        List<ReencryptRun.Result> done = new ReencryptRun(broker.bootstrapServers(), AFTER).run(List.of("state"), false);

        assertThat(done).singleElement().satisfies(r -> {
            assertThat(r.latest()).isEqualTo(4);
            assertThat(r.rewritten()).isEqualTo(3);
        });
        Map<String, byte[]> after = latest("state");
        JsonNode p1 = RecordJson.mapper().readTree(after.get("p1"));
        assertThat(p1.path("version").asText()).isEqualTo("v2");
        assertThat(p1.path("amount").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(new String(after.get("p1"), StandardCharsets.UTF_8)).contains("\"amount\":12.50"); // numbers as written
        assertThat(dataKeyOf(p1.path("subject").path("idNumber"))).isEqualTo(NEW.id());
        assertThat(dataKeyOf(p1.path("subject").path("name"))).isEqualTo(NEW.id());
        Subject opened = AFTER.open(RecordJson.mapper().treeToValue(p1.path("subject"), Subject.class));
        assertThat(opened).isEqualTo(person("511903196012073255"));
        JsonNode org = RecordJson.mapper().readTree(after.get("org"));
        assertThat(dataKeyOf(org.path("subject").path("legalRep").path("idNumber"))).isEqualTo(NEW.id());
        assertThat(org.path("subject").path("name").asText()).isEqualTo("乙公司");
        assertThat(new String(AFTER.openRaw(after.get("raw")), StandardCharsets.UTF_8)).contains("511902195009250256");
        assertThat(EncryptedValue.parse(new String(after.get("raw"), StandardCharsets.UTF_8)).dataKeyId()).isEqualTo(NEW.id());
        assertThat(after.get("clear")).isEqualTo(state(person("511902198001014381"), "v1"));
        assertThat(after.get("gone")).isNull();

        // a second run finds nothing left to do
        assertThat(new ReencryptRun(broker.bootstrapServers(), AFTER).run(List.of("state"), false))
                .singleElement().satisfies(r -> assertThat(r.rewritten()).isZero());
    }

    @Test
    void an_append_only_topic_is_refused_and_a_value_that_opens_as_nothing_is_never_rewritten() throws Exception {
        assertThatThrownBy(() -> new ReencryptRun(broker.bootstrapServers(), AFTER).run(List.of("log"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not compacted");
        String sealed = BEFORE.seal(PersonalFields.ID_NUMBER, "511903196012073255");
        String altered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("AA") ? "BB" : "AA");
        assertThatThrownBy(() -> AFTER.reseal(altered)).hasMessageContaining("opens neither");
    }
}
