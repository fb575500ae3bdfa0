package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tax bureau's topic: each message's record reaches the province once, each message gets a
 * receipt on the department's receipts topic, and a message that cannot be handled goes to the
 * dead-letter topic without blocking the messages behind it.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class KafkaFeedsTest {

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "kafka-feeds");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
    }

    @AfterAll
    static void stopProvince() {
        PROVINCE.close();
    }

    @Autowired
    KafkaClients clients;

    private List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast) {
        return readAll(topic, atLeast, r -> true);
    }

    /** The topic's records that {@code which} takes, from its start, once there are at least {@code atLeast} of them. */
    private List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast, java.util.function.Predicate<ConsumerRecord<String, byte[]>> which) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = clients.reader("test-" + topic)) {
            List<TopicPartition> partitions = reader.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (which.test(r)) {
                        out.add(r);
                    }
                });
                return out.size() >= atLeast;
            });
        }
        return out;
    }

    @Test
    @org.junit.jupiter.api.Order(1) // counts every SWJ record the province has; the next test adds its own
    void every_message_gets_a_receipt_its_record_reaches_the_province_and_a_poison_message_is_set_aside() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("samples/feeds/kafka/swj/messages-001.ndjson"), StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer = clients.producer("swj-simulated")) {
            for (int i = 0; i < lines.size(); i++) {
                producer.send(new ProducerRecord<>("dept.swj.credit", "swj-" + i, lines.get(i).getBytes(StandardCharsets.UTF_8)));
                if (i == 10) {
                    producer.send(new ProducerRecord<>("dept.swj.credit", "swj-poison", null));
                }
            }
            producer.flush();
        }

        await().atMost(Duration.ofSeconds(90)).until(() ->
                PROVINCE.records().stream().filter(r -> r.recordId().startsWith("SWJ:")).count() >= 37);
        assertThat(PROVINCE.records().stream().filter(r -> r.recordId().startsWith("SWJ:")).map(r -> r.recordId()).distinct())
                .hasSize(37);
        assertThat(PROVINCE.records().stream().filter(r -> r.recordId().startsWith("SWJ:")).count()).isEqualTo(37);

        List<ConsumerRecord<String, byte[]>> receipts = readAll("dept.swj.receipts", 41);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> bodies = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : receipts) {
            bodies.add(json.readTree(r.value()));
        }
        assertThat(bodies).hasSize(41); // the 40 records' messages, and the poison message's
        assertThat(bodies.stream().mapToLong(b -> b.path("accepted").asLong()).sum()).isEqualTo(37);
        List<String> rejectedRules = bodies.stream().flatMap(b -> {
            List<String> rules = new ArrayList<>();
            b.path("rejected").forEach(r -> rules.add(r.path("field").asText() + "/" + r.path("rule").asText()));
            return rules.stream();
        }).sorted().collect(Collectors.toList());
        assertThat(rejectedRules).containsExactly("(message)/dead-lettered", "lx/enum", "nsrsbh/uscc-charset", "nsrsbh/uscc-check");
        // the bureau learns that its message without a value was set aside, and where
        assertThat(receipts).filteredOn(r -> "swj-poison".equals(r.key())).singleElement().satisfies(r ->
                assertThat(json.readTree(r.value()).path("rejected").get(0).path("message").asText())
                        .isEqualTo("the message has no value; set aside on dept.swj.credit.dlq"));

        // the bureau replays its topic (the same messages again): nothing new reaches the province,
        // and a corrected message delivers exactly one new version
        try (KafkaProducer<String, byte[]> producer = clients.producer("swj-replay")) {
            long lastReplayed = 0;
            for (int i = 0; i < lines.size(); i++) {
                lastReplayed = Math.max(lastReplayed, producer.send(new ProducerRecord<>("dept.swj.credit", "swj-replay-" + i,
                        lines.get(i).getBytes(StandardCharsets.UTF_8))).get().timestamp());
            }
            // the correction is newer than the replay of the record it corrects (they travel on different partitions,
            // read in parallel: a message of the same millisecond is as old as the record's latest, hence stale)
            producer.send(new ProducerRecord<>("dept.swj.credit", null, lastReplayed + 1, "swj-fix", lines.get(0).replace("20250717", "20260717")
                    .getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        List<ConsumerRecord<String, byte[]>> allReceipts = readAll("dept.swj.receipts", 82);
        long duplicates = 0;
        for (ConsumerRecord<String, byte[]> r : allReceipts) {
            duplicates += json.readTree(r.value()).path("duplicates").asLong();
        }
        assertThat(duplicates).isEqualTo(37);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                PROVINCE.records().stream().filter(r -> r.recordId().startsWith("SWJ:")).count() >= 38);
        assertThat(PROVINCE.records().stream().filter(r -> r.recordId().startsWith("SWJ:")).count()).isEqualTo(38);
        assertThat(PROVINCE.records().stream().filter(r -> r.recordId().equals("SWJ:LIST_ENTRY:巴税稽罚〔2022〕50号"))).hasSize(2);

        List<ConsumerRecord<String, byte[]>> deadLetters = readAll("dept.swj.credit.dlq", 1);
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo("swj-poison");
            assertThat(new String(d.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)).contains("no value");
            assertThat(new String(d.headers().lastHeader("dead-letter-feed").value(), StandardCharsets.UTF_8)).isEqualTo("swj-tax-lists");
            assertThat(new String(d.headers().lastHeader("dead-letter-source").value(), StandardCharsets.UTF_8))
                    .matches("dept\\.swj\\.credit-\\d+-\\d+");
        });
    }

    @Autowired
    KafkaFeedHandler handler;

    @Autowired
    org.apache.camel.CamelContext camel;

    @Autowired
    cn.bazhong.credit.gateway.ingest.ReceiptStore receiptStore;

    /** The message as the kafka-feed route hands it to the handler (no manual commit: the test stands for the route). */
    private void hand(String topic, int partition, long offset, long timestamp, String receiptsTopic, String value) {
        hand("swj-tax-lists", topic, partition, offset, timestamp, receiptsTopic, value);
    }

    private void hand(String mappingId, String topic, int partition, long offset, long timestamp, String receiptsTopic, String value) {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(camel);
        exchange.setProperty("mappingId", mappingId);
        exchange.setProperty("receiptsTopic", receiptsTopic);
        exchange.setProperty("deadLetterTopic", "dept.swj.credit.dlq");
        exchange.getIn().setHeader(org.apache.camel.component.kafka.KafkaConstants.TOPIC, topic);
        exchange.getIn().setHeader(org.apache.camel.component.kafka.KafkaConstants.PARTITION, partition);
        exchange.getIn().setHeader(org.apache.camel.component.kafka.KafkaConstants.OFFSET, offset);
        exchange.getIn().setHeader(org.apache.camel.component.kafka.KafkaConstants.KEY, "swj-reread");
        exchange.getIn().setHeader(org.apache.camel.component.kafka.KafkaConstants.TIMESTAMP, timestamp);
        exchange.getIn().setBody(value.getBytes(StandardCharsets.UTF_8));
        handler.ingest(exchange);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void a_message_read_again_before_its_offset_was_committed_is_answered_with_the_receipt_it_already_had() throws Exception {
        String receiptsTopic = "dept.swj.receipts.reread";
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(clients.base())) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(receiptsTopic, 1, (short) 1))).all().get();
        }
        String message = Files.readAllLines(Path.of("samples/feeds/kafka/swj/messages-001.ndjson"), StandardCharsets.UTF_8).get(0)
                .replace("巴税稽罚〔2022〕50号", "巴税稽罚〔2026〕901号");
        long offset = 1_000_000; // beyond any offset the bureau's topic reaches in these tests
        long sent = 1_780_000_000_000L;

        hand("dept.swj.credit", 0, offset, sent, receiptsTopic, message);
        // the node stopped before the commit: the same message (offset and timestamp) is read again
        hand("dept.swj.credit", 0, offset, sent, receiptsTopic, message);

        String receiptId = "dept.swj.credit-0-" + offset;
        cn.bazhong.credit.gateway.ingest.Receipt stored = receiptStore.find(receiptId);
        assertThat(stored.accepted()).isEqualTo(1);
        assertThat(stored.duplicates()).isZero();
        assertThat(stored.sourceTime()).isEqualTo(java.time.Instant.ofEpochMilli(sent));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> answers = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(receiptsTopic, 2)) {
            answers.add(json.readTree(r.value()));
        }
        assertThat(answers).hasSize(2).allSatisfy(a -> {
            assertThat(a.path("receiptId").asText()).isEqualTo(receiptId);
            assertThat(a.path("accepted").asLong()).isEqualTo(1);
            assertThat(a.path("duplicates").asLong()).isZero();
        });
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                PROVINCE.records().stream().anyMatch(r -> r.recordId().equals("SWJ:LIST_ENTRY:巴税稽罚〔2026〕901号")));

        // the bureau deleted and created its topic again: another message at the same offset is a new message
        hand("dept.swj.credit", 0, offset, sent + 86_400_000L, receiptsTopic,
                message.replace("巴税稽罚〔2026〕901号", "巴税稽罚〔2026〕902号"));
        assertThat(receiptStore.find(receiptId).accepted()).isEqualTo(1);
        assertThat(receiptStore.find(receiptId).sourceTime()).isEqualTo(java.time.Instant.ofEpochMilli(sent + 86_400_000L));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                PROVINCE.records().stream().anyMatch(r -> r.recordId().equals("SWJ:LIST_ENTRY:巴税稽罚〔2026〕902号")));
        assertThat(PROVINCE.records().stream().filter(r -> r.recordId().equals("SWJ:LIST_ENTRY:巴税稽罚〔2026〕901号"))).hasSize(1);

        // a message set aside on the dead-letter topic and read again: answered with its receipt, not set aside twice
        long poison = offset + 1;
        hand("dept.swj.credit", 0, poison, sent, receiptsTopic, "");
        hand("dept.swj.credit", 0, poison, sent, receiptsTopic, "");
        cn.bazhong.credit.gateway.ingest.Receipt refused = receiptStore.find("dept.swj.credit-0-" + poison);
        assertThat(refused.accepted()).isZero();
        assertThat(refused.rejectedByRule()).containsExactly(java.util.Map.entry("dead-lettered", 1L));
        List<ConsumerRecord<String, byte[]>> answered = readAll(receiptsTopic, 5);
        assertThat(answered.subList(3, 5)).allSatisfy(r -> assertThat(json.readTree(r.value()).path("receiptId").asText())
                .isEqualTo("dept.swj.credit-0-" + poison));
        assertThat(answered.get(4).value()).isEqualTo(answered.get(3).value());
        assertThat(readAll("dept.swj.credit.dlq", 2)).filteredOn(d -> new String(d.headers().lastHeader("dead-letter-source").value(),
                StandardCharsets.UTF_8).equals("dept.swj.credit-0-" + poison)).hasSize(1);

        // a route left running after its feed's mapping was removed: set aside with a receipt all the same (the
        // department of the feed's topic), and read again, not set aside twice; the partition goes on
        long orphan = offset + 2;
        hand("swj-removed-feed", "dept.swj.credit", 0, orphan, sent, receiptsTopic, message);
        hand("swj-removed-feed", "dept.swj.credit", 0, orphan, sent, receiptsTopic, message);
        cn.bazhong.credit.gateway.ingest.Receipt orphaned = receiptStore.find("dept.swj.credit-0-" + orphan);
        assertThat(orphaned.department()).isEqualTo("SWJ");
        assertThat(orphaned.feed()).isEqualTo("swj-removed-feed");
        assertThat(orphaned.rejected()).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo("dead-lettered");
            assertThat(r.message()).contains("no mapping swj-removed-feed").endsWith("; set aside on dept.swj.credit.dlq");
        });
        assertThat(readAll(receiptsTopic, 7).subList(5, 7)).allSatisfy(r -> assertThat(json.readTree(r.value()).path("receiptId").asText())
                .isEqualTo("dept.swj.credit-0-" + orphan));
        assertThat(readAll("dept.swj.credit.dlq", 3)).filteredOn(d -> new String(d.headers().lastHeader("dead-letter-source").value(),
                StandardCharsets.UTF_8).equals("dept.swj.credit-0-" + orphan)).singleElement()
                .satisfies(d -> assertThat(new String(d.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                        .contains("no mapping swj-removed-feed"));
    }
    @Test
    @org.junit.jupiter.api.Order(3)
    void a_message_broken_off_midway_or_of_megabytes_is_refused_with_its_reason_and_the_next_message_goes_through() throws Exception {
        String line = Files.readAllLines(Path.of("samples/feeds/kafka/swj/messages-001.ndjson"), StandardCharsets.UTF_8).get(0);
        String whole = line.replace("巴税稽罚〔2022〕50号", "巴税稽罚〔2026〕903号");
        String cut = whole.substring(0, whole.indexOf("\"wfss\"") + 12); // the bureau's buffer ended inside a value
        String huge = whole.replace("经稽查查明少缴税款", "经稽查查明少缴税款".repeat(120_000)); // about 3 MB of UTF-8
        String next = line.replace("巴税稽罚〔2022〕50号", "巴税稽罚〔2026〕904号");
        try (KafkaProducer<String, byte[]> producer = clients.producer("swj-bad-day")) {
            for (String value : List.of(cut, huge, next)) { // one key: one partition, read in this order
                producer.send(new ProducerRecord<>("dept.swj.credit", "swj-bad-day", value.getBytes(StandardCharsets.UTF_8))).get();
            }
        }

        List<ConsumerRecord<String, byte[]>> receipts = readAll("dept.swj.receipts", 3, r -> "swj-bad-day".equals(r.key()));
        ObjectMapper json = new ObjectMapper();
        JsonNode cutReceipt = json.readTree(receipts.get(0).value());
        JsonNode hugeReceipt = json.readTree(receipts.get(1).value());
        JsonNode nextReceipt = json.readTree(receipts.get(2).value());
        assertThat(receipts).hasSize(3);
        assertThat(cutReceipt.path("accepted").asLong()).isZero();
        assertThat(cutReceipt.path("rejected").get(0).path("rule").asText()).isEqualTo("syntax");
        assertThat(cutReceipt.path("rejected").get(0).path("message").asText())
                .startsWith("line 1, column ").contains("not valid JSON: Unexpected end-of-input");
        assertThat(hugeReceipt.path("accepted").asLong()).isZero();
        assertThat(hugeReceipt.path("rejected").get(0).path("rule").asText()).isEqualTo("syntax");
        assertThat(hugeReceipt.path("rejected").get(0).path("message").asText()).contains("longer than 1048576 characters");
        assertThat(receipts.get(1).value().length).as("the receipt names the rule, it does not echo the message").isLessThan(2_000);
        assertThat(nextReceipt.path("accepted").asLong()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(60)).until(() ->
                PROVINCE.records().stream().anyMatch(r -> r.recordId().equals("SWJ:LIST_ENTRY:巴税稽罚〔2026〕904号")));
        assertThat(PROVINCE.records().stream().filter(r -> r.recordId().equals("SWJ:LIST_ENTRY:巴税稽罚〔2026〕903号"))).isEmpty();
        assertThat(readAll("dept.swj.credit.dlq", 1)).as("refused with a receipt, not dead-lettered")
                .noneMatch(d -> "swj-bad-day".equals(d.key()));
    }

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    @Autowired
    cn.bazhong.credit.gateway.ingest.MappingCatalog mappings;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The bureau's tax-lists mapping under another id: a feed whose mapping an integrator adds late. */
    private void addMapping(String id) throws java.io.IOException {
        String text = Files.readString(Path.of("mappings/swj-tax-lists.yaml")).replace("id: swj-tax-lists", "id: " + id);
        mappings.replace(cn.bazhong.credit.gateway.mapping.MappingLoader.load(id + ".yaml", new java.io.StringReader(text)));
    }

    /** The newest dead letter of the bureau that keeps {@code source}, as operators list it. */
    private JsonNode listed(String source) {
        Http.Response listing = Http.get(url("/api/v1/feeds/swj/dead-letters"), TestGateway.VIEWER_KEY);
        assertThat(listing.status()).isEqualTo(200);
        JsonNode found = null;
        for (JsonNode d : listing.json().path("deadLetters")) {
            if (d.path("source").asText().equals(source) && found == null) {
                found = d; // newest first
            }
        }
        assertThat(found).as("dead letter of " + source + " listed").isNotNull();
        return found;
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void a_dead_lettered_message_is_replayed_once_its_feed_is_mended_under_a_receipt_of_its_own_and_only_once() throws Exception {
        String message = Files.readAllLines(Path.of("samples/feeds/kafka/swj/messages-001.ndjson"), StandardCharsets.UTF_8).get(0)
                .replace("巴税稽罚〔2022〕50号", "巴税稽罚〔2026〕905号");
        long offset = 2_000_000;
        long sent = 1_780_000_000_000L;
        String source = "dept.swj.credit-0-" + offset;
        hand("swj-late-feed", "dept.swj.credit", 0, offset, sent, "dept.swj.receipts", message); // its mapping is not there yet
        // counted for the dead-letter alert, under the department of the feed's topic since its mapping is gone
        assertThat(meters.get("gateway.records").tags("department", "SWJ", "feed", "swj-late-feed", "outcome", "dead_lettered")
                .counter().count()).isEqualTo(1.0);

        JsonNode letter = listed(source);
        assertThat(letter.path("feed").asText()).isEqualTo("swj-late-feed");
        assertThat(letter.path("reason").asText()).contains("no mapping swj-late-feed");
        assertThat(letter.path("sourceTime").asText()).isEqualTo(java.time.Instant.ofEpochMilli(sent).toString());
        assertThat(letter.hasNonNull("replayReceiptId")).isFalse();
        String replayId = source + ".replay-" + letter.path("offset").asLong();
        String replay = url("/api/v1/feeds/swj/dead-letters/" + source + "/replay");

        assertThat(Http.post(replay, TestGateway.VIEWER_KEY, new byte[0]).status()).isEqualTo(403);
        assertThat(Http.post(replay, TestGateway.KEYS.get("SCJGJ"), new byte[0]).status()).isEqualTo(403);
        // tried before the mapping is there: refused with the reason, and nothing changed
        Http.Response early = Http.post(replay, TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().path("rule").asText()).isEqualTo("still-failing");
        assertThat(early.json().path("detail").asText()).contains("no mapping swj-late-feed");
        assertThat(receiptStore.find(replayId)).isNull();

        addMapping("swj-late-feed");
        Http.Response done = Http.post(replay, TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().path("again").asBoolean()).isFalse();
        assertThat(done.json().path("receipt").path("receiptId").asText()).isEqualTo(replayId);
        assertThat(done.json().path("receipt").path("accepted").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                PROVINCE.records().stream().anyMatch(r -> r.recordId().equals("SWJ:LIST_ENTRY:巴税稽罚〔2026〕905号")));
        // the bureau reads the replay's receipt under its message's key; the receipt of the dead letter stays as it was
        ObjectMapper json = new ObjectMapper();
        // the message's own receipt (set aside) and its replay's, on one partition (one key)
        List<String> toBureau = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll("dept.swj.receipts", 2, r -> "swj-reread".equals(r.key()))) {
            toBureau.add(json.readTree(r.value()).path("receiptId").asText());
        }
        assertThat(toBureau).containsExactly(source, replayId);
        assertThat(listed(source).path("replayReceiptId").asText()).isEqualTo(replayId);

        // replayed again (a second click, another operator): the first replay's receipt, nothing ingested twice
        Http.Response again = Http.post(replay, TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("again").asBoolean()).isTrue();
        assertThat(again.json().path("receipt")).isEqualTo(done.json().path("receipt"));
        assertThat(receiptStore.find(replayId).accepted()).isEqualTo(1);
        assertThat(receiptStore.find(replayId).duplicates()).isZero();

        // a message without a value has nothing to replay; unknown messages and departments are not found
        Http.Response empty = Http.post(url("/api/v1/feeds/swj/dead-letters/dept.swj.credit-0-1000001/replay"), TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(empty.status()).isEqualTo(409);
        assertThat(empty.json().path("rule").asText()).isEqualTo("no-value");
        assertThat(Http.post(url("/api/v1/feeds/swj/dead-letters/dept.swj.credit-0-7777777/replay"), TestGateway.OPERATOR_KEY, new byte[0])
                .status()).isEqualTo(404);
        assertThat(Http.get(url("/api/v1/feeds/nosuchdept/dead-letters"), TestGateway.VIEWER_KEY).status()).isEqualTo(404);
        assertThat(PROVINCE.records().stream().filter(r -> r.recordId().equals("SWJ:LIST_ENTRY:巴税稽罚〔2026〕905号"))).hasSize(1);

        // a letter on the bureau's topic that names another department's feed (written there by hand, or by a
        // department with rights on the topic) never goes in through that feed
        String foreign = "dept.swj.credit-0-" + (offset + 1);
        org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add(KafkaFeedHandler.SOURCE_HEADER, foreign.getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaFeedHandler.FEED_HEADER, "scjgj-penalties".getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, byte[]> producer = clients.producer("swj-foreign")) {
            producer.send(new ProducerRecord<>("dept.swj.credit.dlq", null, "swj-foreign", "anything".getBytes(StandardCharsets.UTF_8),
                    headers)).get();
        }
        Http.Response refused = Http.post(url("/api/v1/feeds/swj/dead-letters/" + foreign + "/replay"), TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("rule").asText()).isEqualTo("foreign-feed");
        assertThat(receiptStore.find(foreign + ".replay-" + listed(foreign).path("offset").asLong())).isNull();
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void an_old_list_entry_replayed_from_the_dead_letters_after_a_newer_message_of_it_is_stale_and_changes_nothing() throws Exception {
        String line = Files.readAllLines(Path.of("samples/feeds/kafka/swj/messages-001.ndjson"), StandardCharsets.UTF_8).get(0)
                .replace("巴税稽罚〔2022〕50号", "巴税稽罚〔2026〕906号");
        String older = line;
        String newer = line.replace("20250717", "20270717"); // the bureau extended the listing an hour later
        long offset = 3_000_000;
        long sent = 1_780_000_000_000L;
        String source = "dept.swj.credit-0-" + offset;
        hand("swj-later-feed", "dept.swj.credit", 0, offset, sent, "dept.swj.receipts", older); // set aside: no mapping yet
        hand("dept.swj.credit", 0, offset + 1, sent + 3_600_000L, "dept.swj.receipts", newer);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                PROVINCE.records().stream().anyMatch(r -> r.recordId().equals("SWJ:LIST_ENTRY:巴税稽罚〔2026〕906号")));

        addMapping("swj-later-feed");
        Http.Response done = Http.post(url("/api/v1/feeds/swj/dead-letters/" + source + "/replay"), TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().path("receipt").path("accepted").asLong()).as("older than the entry's latest message").isZero();
        assertThat(done.json().path("receipt").path("duplicates").asLong()).isEqualTo(1);
        // nothing of it was written for delivery: the province keeps the newer version alone
        assertThat(receiptStore.find(source + ".replay-" + listed(source).path("offset").asLong()).accepted()).isZero();
        assertThat(PROVINCE.records().stream().filter(r -> r.recordId().equals("SWJ:LIST_ENTRY:巴税稽罚〔2026〕906号")))
                .singleElement().satisfies(r -> assertThat(r.data().values()).anySatisfy(v -> assertThat(String.valueOf(v)).startsWith("2027")));
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void a_dead_letter_topic_of_thousands_lists_its_newest_thousand_with_the_total_and_an_older_one_is_still_replayed() throws Exception {
        Http.Response before = Http.get(url("/api/v1/feeds/swj/dead-letters"), TestGateway.VIEWER_KEY);
        long held = before.json().path("total").asLong();
        // a bureau's producer gone wrong: 1,200 messages without a value, each set aside (written as the feed writes them)
        try (KafkaProducer<String, byte[]> producer = clients.producer("swj-flood")) {
            for (int i = 0; i < 1_200; i++) {
                org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
                headers.add(KafkaFeedHandler.SOURCE_HEADER, ("dept.swj.credit-2-" + (4_000_000 + i)).getBytes(StandardCharsets.UTF_8));
                headers.add(KafkaFeedHandler.FEED_HEADER, "swj-tax-lists".getBytes(StandardCharsets.UTF_8));
                headers.add(KafkaFeedHandler.REASON_HEADER, "the message has no value".getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>("dept.swj.credit.dlq", null, "swj-flood", new byte[0], headers));
            }
            producer.flush();
        }

        JsonNode listing = Http.get(url("/api/v1/feeds/swj/dead-letters"), TestGateway.VIEWER_KEY).json();
        assertThat(listing.path("total").asLong()).isEqualTo(held + 1_200);
        JsonNode letters = listing.path("deadLetters");
        assertThat(letters).hasSize(cn.bazhong.credit.gateway.feeds.FeedDeadLetters.LISTED);
        assertThat(letters.get(0).path("source").asText()).as("newest first").isEqualTo("dept.swj.credit-2-4001199");
        assertThat(letters.get(999).path("source").asText()).isEqualTo("dept.swj.credit-2-4000200");
        // one the list no longer shows is still found: it has no value, so nothing to replay, and it says so
        Http.Response oldest = Http.post(url("/api/v1/feeds/swj/dead-letters/dept.swj.credit-2-4000000/replay"), TestGateway.OPERATOR_KEY,
                new byte[0]);
        assertThat(oldest.status()).isEqualTo(409);
        assertThat(oldest.json().path("rule").asText()).isEqualTo("no-value");
    }

    @Test
    @org.junit.jupiter.api.Order(7)
    void the_dead_letters_of_a_time_without_the_feeds_mapping_are_replayed_a_piece_at_a_time_each_once() throws Exception {
        String line = Files.readAllLines(Path.of("samples/feeds/kafka/swj/messages-001.ndjson"), StandardCharsets.UTF_8).get(0);
        long offset = 6_000_000;
        long sent = 1_780_000_000_000L;
        for (int i = 0; i < 3; i++) {
            hand("swj-batch-feed", "dept.swj.credit", 0, offset + i, sent, "dept.swj.receipts",
                    line.replace("巴税稽罚〔2022〕50号", "巴税稽罚〔2026〕91" + i + "号"));
        }
        hand("swj-batch-feed", "dept.swj.credit", 0, offset + 3, sent, "dept.swj.receipts", ""); // nothing to replay in it
        long first = listed("dept.swj.credit-0-" + offset).path("offset").asLong();
        String replay = url("/api/v1/feeds/swj/dead-letters/replay");

        assertThat(Http.post(replay + "?from=" + first, TestGateway.VIEWER_KEY, new byte[0]).status()).isEqualTo(403);
        assertThat(Http.post(replay + "?limit=0", TestGateway.OPERATOR_KEY, new byte[0]).json().path("field").asText()).isEqualTo("limit");
        assertThat(Http.post(url("/api/v1/feeds/nosuchdept/dead-letters/replay"), TestGateway.OPERATOR_KEY, new byte[0]).status())
                .isEqualTo(404);
        addMapping("swj-batch-feed");

        Http.Response piece = Http.post(replay + "?from=" + first + "&limit=2", TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(piece.status()).isEqualTo(200);
        assertThat(piece.json().path("replayed").asInt()).isEqualTo(2);
        assertThat(piece.json().path("next").asLong()).isEqualTo(first + 2);
        Http.Response rest = Http.post(replay + "?from=" + piece.json().path("next").asLong(), TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(rest.json().path("replayed").asInt()).isEqualTo(1);
        assertThat(rest.json().path("refused").path("no-value").asInt()).isEqualTo(1);
        assertThat(rest.json().hasNonNull("next")).as("the topic's end").isFalse();
        for (int i = 0; i < 3; i++) {
            String record = "SWJ:LIST_ENTRY:巴税稽罚〔2026〕91" + i + "号";
            assertThat(receiptStore.find("dept.swj.credit-0-" + (offset + i) + ".replay-" + (first + i)).accepted()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(60)).until(() -> PROVINCE.records().stream().anyMatch(r -> r.recordId().equals(record)));
        }

        // again from the start of the piece: nothing replayed twice, the empty message still refused
        Http.Response again = Http.post(replay + "?from=" + first, TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(again.json().path("replayed").asInt()).isZero();
        assertThat(again.json().path("replayedBefore").asInt()).isEqualTo(3);
        assertThat(again.json().path("refused").path("no-value").asInt()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            String record = "SWJ:LIST_ENTRY:巴税稽罚〔2026〕91" + i + "号";
            assertThat(PROVINCE.records().stream().filter(r -> r.recordId().equals(record))).hasSize(1);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(8)
    void a_message_too_large_to_keep_sealed_is_set_aside_without_its_content_and_says_so_instead_of_stopping_its_partition() throws Exception {
        String line = Files.readAllLines(Path.of("samples/feeds/kafka/swj/messages-001.ndjson"), StandardCharsets.UTF_8).get(0);
        // about 7 MB: sealed, a third more than the 8 MiB a write may be
        String huge = line.replace("经稽查查明少缴税款", "经稽查查明少缴税款".repeat(260_000));
        long offset = 7_000_000;
        String source = "dept.swj.credit-0-" + offset;
        hand("swj-huge-feed", "dept.swj.credit", 0, offset, 1_780_000_000_000L, "dept.swj.receipts", huge); // no such mapping

        cn.bazhong.credit.gateway.ingest.Receipt receipt = receiptStore.find(source);
        assertThat(receipt.rejected()).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo("dead-lettered");
            assertThat(r.message()).contains("no mapping swj-huge-feed").contains("was not kept: send it again");
        });
        JsonNode letter = listed(source);
        assertThat(letter.path("bytes").asInt()).isZero();
        Http.Response replay = Http.post(url("/api/v1/feeds/swj/dead-letters/" + source + "/replay"), TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(replay.status()).isEqualTo(409);
        assertThat(replay.json().path("rule").asText()).isEqualTo("not-kept");
        assertThat(replay.json().path("detail").asText()).contains(huge.getBytes(StandardCharsets.UTF_8).length + " bytes");

        // the topic the gateway made takes what a write may be, whatever the cluster's default (1 MB unless set)
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(clients.base())) {
            org.apache.kafka.common.config.ConfigResource dlq = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "dept.swj.credit.dlq");
            assertThat(admin.describeConfigs(List.of(dlq)).all().get().get(dlq).get("max.message.bytes").value())
                    .isEqualTo(String.valueOf(KafkaClients.LARGEST_MESSAGE));
        }
    }
}
