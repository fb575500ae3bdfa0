package cn.bazhong.credit.gateway.privacy;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.FanoutFixtures;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.gateway.support.WebhookReceivers;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import cn.bazhong.credit.simulators.province.ReceivedRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With field encryption on, the city's persons are on no topic and in no map in the clear: the samples of
 * three departments, a tax violation naming a legal representative, and two court snapshots (a person listed,
 * then exited) go through the whole pipeline, to the province, to departments (one entitled to full numbers,
 * one not, one refusing everything into dead letters), with an objection decided on the way; then a plain
 * Kafka consumer reads every topic (aborted transactions included) and a Hazelcast client every map, looking
 * for the ID numbers and names that went in, and for anything shaped like a valid ID number.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PersonalDataAtRestTest {

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final WebhookReceivers HOOKS = new WebhookReceivers();

    static final String FULL = "D01";
    static final String MASKED = "D02";
    static final String REFUSING = "D03";

    static final String ORG = "91511903XFWA2JK10D";
    static final String REP_ID = "511902195009250256";
    static final String REP_NAME = "孔洋敏";
    static final String COURT_ORG = "91511900MA6L7UDG0K";
    static final String PERSON_ID = "511903196012073255";
    static final String PERSON_NAME = "乔建";

    /** The tax bureau's feed topic: its messages are the department's, written before the gateway reads them. */
    static final String SWJ_TOPIC = "dept.swj.credit";

    static final Path XZSPJ = Path.of("samples/feeds/rest/xzspj/licences-001.json");
    /** Written commitments, one of them a person's (kept in the subjects' and the accepting units' views). */
    static final Path COMMITMENTS = Path.of("samples/feeds/rest/xzspj/commitments-001.json");
    static final Path SSTHJJ = Path.of("samples/feeds/rest/ssthjj/penalties-001.ndjson");
    static final Path SWJ = Path.of("samples/feeds/kafka/swj/messages-001.ndjson");

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) throws IOException {
        TestGateway.register(registry, "privacy"); // with personal fields sealed
        registry.add("gateway.lists.snapshot-exit-guard", () -> "1");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        Path config = Files.createTempDirectory("privacy-config-");
        List<String> depts = List.of(FULL, MASKED, REFUSING);
        Files.writeString(config.resolve("catalog.yaml"), FanoutFixtures.catalog("privacy-1", depts, depts));
        Files.writeString(config.resolve("subscriptions.yaml"), "subscriptions:\n" + FanoutFixtures.webhooks(HOOKS, depts, d ->
                (d.equals(FULL) ? "    fullIdNumbers: true\n" : "")
                        + "    retry: { maxAttempts: " + (d.equals(REFUSING) ? 1 : 50) + ", initialBackoff: 200ms, maxBackoff: 1s }\n"));
        HOOKS.answer(REFUSING, 400);
        registry.add("gateway.catalog.file", () -> config.resolve("catalog.yaml").toString());
        registry.add("gateway.fanout.enabled", () -> "true");
        registry.add("gateway.fanout.subscriptions-file", () -> config.resolve("subscriptions.yaml").toString());
        registry.add("gateway.fanout.attempt-timeout", () -> "2s");
    }

    @AfterAll
    static void stop() {
        HOOKS.close();
        PROVINCE.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaClients clients;

    @Autowired
    HazelcastInstance hazelcast;

    @Value("${gateway.hazelcast.cluster-name}")
    String clusterName;

    @Value("${gateway.hazelcast.port}")
    int hazelcastPort;

    private String api(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Every ID number and person's name that went in: none of them may be kept in the clear. */
    static Set<String> secrets() throws IOException {
        // 钱进: the person whose written commitment the XZSPJ sample holds
        Set<String> out = new TreeSet<>(List.of(REP_ID, PERSON_ID, REP_NAME, PERSON_NAME, "钱进"));
        Pattern id = Pattern.compile("(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])");
        for (Path p : List.of(XZSPJ, SSTHJJ, SWJ, COMMITMENTS)) {
            Matcher m = id.matcher(Files.readString(p));
            while (m.find()) {
                out.add(m.group());
            }
        }
        return out;
    }

    private static String violation() {
        return "{\"lx\": \"ZDSSWF\", \"nsrsbh\": \"" + ORG + "\", \"nsrmc\": \"乙公司\", \"fddbr\": \"" + REP_NAME + "\","
                + " \"fddbrzjhm\": \"" + REP_ID + "\", \"ajxz\": \"偷税\", \"wfss\": \"少缴税款\", \"cljd\": \"巴税稽罚〔2026〕9号\","
                + " \"gbrq\": \"20260718\", \"yxqz\": \"20300717\", \"zt\": \"1\"}";
    }

    private static byte[] courtSnapshot(boolean withPerson) {
        String org = "<record><ah>（2024）川19执900号</ah><zxfy>四川省巴中市中级人民法院</zxfy><bzxrmc>巴中市测试商贸有限公司</bzxrmc>"
                + "<bzxrlx>法人或其他组织</bzxrlx><zjhm>" + COURT_ORG + "</zjhm><fddbr>崔刚刚</fddbr><yjdw>巴中仲裁委员会</yjdw>"
                + "<yw>支付货款8万元</yw><lxqk>全部未履行</lxqk><sxqx>有履行能力而拒不履行生效法律文书确定义务</sxqx>"
                + "<fbsj>2024-09-05</fbsj><zt>在列</zt></record>";
        String person = "<record><ah>（2024）川19执901号</ah><zxfy>四川省巴中市中级人民法院</zxfy><bzxrmc>" + PERSON_NAME + "</bzxrmc>"
                + "<bzxrlx>自然人</bzxrlx><zjhm>" + PERSON_ID + "</zjhm><yjdw>通江县人民法院</yjdw><yw>支付货款3万元</yw>"
                + "<lxqk>部分未履行</lxqk><sxqx>违反财产报告制度</sxqx><fbsj>2024-07-25</fbsj><zt>在列</zt></record>";
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sxbzxrList xmlns=\"urn:court:sxbzxr:1\">" + org
                + (withPerson ? person : "") + "</sxbzxrList>").getBytes(StandardCharsets.UTF_8);
    }

    private List<JsonNode> bodies(String dept) {
        return HOOKS.received(dept).stream().map(WebhookReceivers.Received::body).toList();
    }

    private static boolean about(JsonNode body, String code) {
        JsonNode s = body.path("subject");
        return code.equals(s.path("uscc").asText()) || s.path("idNumber").asText().startsWith(code.substring(0, 6))
                && s.path("idNumber").asText().endsWith(code.substring(14));
    }

    @Test
    @Order(1)
    void records_of_persons_reach_the_province_and_the_entitled_department_in_full_and_the_others_masked() throws Exception {
        assertThat(Http.post(api("/api/v1/feeds/xzspj/licences"), TestGateway.KEYS.get("XZSPJ"), Files.readAllBytes(XZSPJ),
                "Content-Type", "application/json").status()).isEqualTo(200);
        assertThat(Http.post(api("/api/v1/feeds/xzspj/commitments"), TestGateway.KEYS.get("XZSPJ"), Files.readAllBytes(COMMITMENTS),
                "Content-Type", "application/json").status()).isEqualTo(200);
        assertThat(Http.post(api("/api/v1/feeds/ssthjj/penalties"), TestGateway.KEYS.get("SSTHJJ"), Files.readAllBytes(SSTHJJ),
                "Content-Type", "application/x-ndjson").status()).isEqualTo(200);
        try (KafkaProducer<String, byte[]> producer = clients.producer("privacy-test")) {
            for (String line : Files.readAllLines(SWJ)) {
                if (!line.isBlank()) {
                    producer.send(new ProducerRecord<>(SWJ_TOPIC, "swj", line.getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.send(new ProducerRecord<>(SWJ_TOPIC, "swj", violation().getBytes(StandardCharsets.UTF_8)));
            // a message cut short, naming a person: whatever the gateway keeps of it, it keeps sealed
            producer.send(new ProducerRecord<>(SWJ_TOPIC, "swj-cut", violation().substring(0, 120).getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        Http.Response court = Http.post(api("/api/v1/feeds/ZJFY/defaulters"), TestGateway.KEYS.get("ZJFY"), courtSnapshot(true),
                "Content-Type", "application/xml");
        assertThat(court.status()).as(court.body()).isEqualTo(200);

        // each department is delivered to on its own: wait for both, not for one and then read the other
        await().atMost(Duration.ofSeconds(90)).until(() -> bodies(MASKED).stream().anyMatch(b -> about(b, PERSON_ID))
                && bodies(MASKED).stream().anyMatch(b -> about(b, ORG))
                && bodies(FULL).stream().anyMatch(b -> about(b, PERSON_ID))
                && bodies(FULL).stream().anyMatch(b -> about(b, ORG)));
        JsonNode full = bodies(FULL).stream().filter(b -> about(b, PERSON_ID)).findFirst().orElseThrow();
        assertThat(full.path("subject").path("idNumber").asText()).isEqualTo(PERSON_ID);
        assertThat(full.path("subject").path("name").asText()).isEqualTo(PERSON_NAME);
        JsonNode fullRep = bodies(FULL).stream().filter(b -> about(b, ORG)).findFirst().orElseThrow();
        assertThat(fullRep.path("subject").path("legalRep").path("idNumber").asText()).isEqualTo(REP_ID);
        assertThat(fullRep.path("subject").path("legalRep").path("name").asText()).isEqualTo(REP_NAME);
        JsonNode masked = bodies(MASKED).stream().filter(b -> about(b, PERSON_ID)).findFirst().orElseThrow();
        assertThat(masked.path("subject").path("idNumber").asText()).isEqualTo("511903********3255");
        assertThat(masked.path("subject").path("name").asText()).isEqualTo(PERSON_NAME);
        assertThat(bodies(MASKED).toString()).doesNotContain(PERSON_ID).doesNotContain(REP_ID).doesNotContain("enc:v1:");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<ReceivedRecord> got = PROVINCE.records();
            // list entries travel in the JSON form (subject.idNumber, subject.legalRep.idNumber)
            assertThat(got).anySatisfy(r -> assertThat(String.valueOf(r.data().get("subject"))).contains("idNumber=" + PERSON_ID)
                    .contains("name=" + PERSON_NAME));
            assertThat(got).anySatisfy(r -> assertThat(String.valueOf(r.data().get("subject"))).contains("idNumber=" + REP_ID)
                    .contains("name=" + REP_NAME));
        });
        assertThat(PROVINCE.records().toString()).doesNotContain("enc:v1:");
        assertThat(PROVINCE.records().stream().map(r -> r.data().toString()).toList().toString()).doesNotContain("enc:v1:");

        // the commitments are in the accepting unit's view and the person's check (so the scans below look at them too)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Http.get(api("/api/v1/commitments/overdue"),
                TestGateway.KEYS.get("XZSPJ")).body()).contains("巴审批容缺〔2026〕0101号"));
        JsonNode person = Http.get(api("/api/v1/subjects/511923198804123016/credit"), TestGateway.OPERATOR_KEY).json();
        assertThat(person.path("commitments")).as(person.toString()).singleElement()
                .satisfies(c -> assertThat(c.path("status").asText()).isEqualTo("BROKEN"));
        assertThat(person.path("subject").asText()).isEqualTo("511923********3016");
        assertThat(PROVINCE.records().toString()).as("commitments stay in the city").doesNotContain(":COMMITMENT:");
    }

    @Test
    @Order(2)
    void an_objection_and_the_person_s_exit_from_the_next_snapshot_go_through_with_the_entry_sealed() {
        String code = URLEncoder.encode(PERSON_ID, StandardCharsets.UTF_8);
        JsonNode check = Http.get(api("/api/v1/subjects/" + code + "/measures"), TestGateway.KEYS.get("GGZY")).json();
        JsonNode entry = check.path("entries").get(0);
        assertThat(entry).as(check.toString()).isNotNull();
        String recordId = URLEncoder.encode(entry.path("recordId").asText(), StandardCharsets.UTF_8);
        Http.Response objection = Http.post(api("/api/v1/subjects/" + code + "/entries/" + recordId + "/objections"),
                TestGateway.OPERATOR_KEY, "{\"reason\": \"已履行\", \"filedBy\": \"本人\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertThat(objection.status()).as(objection.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                Http.get(api("/api/v1/objections"), TestGateway.OPERATOR_KEY).json().toString()).contains("511903********3255"));

        Http.Response next = Http.post(api("/api/v1/feeds/ZJFY/defaulters"), TestGateway.KEYS.get("ZJFY"), courtSnapshot(false),
                "Content-Type", "application/xml");
        assertThat(next.status()).as(next.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90)).until(() -> bodies(FULL).stream()
                .anyMatch(b -> about(b, PERSON_ID) && "list.entry.exited".equals(b.path("type").asText())));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(PROVINCE.records())
                .anySatisfy(r -> assertThat(r.data().toString()).contains("idNumber=" + PERSON_ID).contains("status=EXITED")));
        // the refusing department's dead letters list the person masked
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Http.get(api("/api/v1/fanout/departments/" + REFUSING
                + "/dead-letters"), TestGateway.OPERATOR_KEY).json().toString()).contains("511903********3255"));
        assertThat(Http.get(api("/api/v1/initiations?department=" + FULL), TestGateway.OPERATOR_KEY).json().toString())
                .contains("511903********3255").doesNotContain(PERSON_ID).doesNotContain("enc:v1:");
        JsonNode own = Http.get(api("/api/v1/initiations"), TestGateway.OPERATOR_KEY).json();
        assertThat(own.toString()).contains(PERSON_NAME);
    }

    @Test
    @Order(3)
    void the_access_log_says_which_key_ring_the_node_seals_with_and_never_a_key() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String log = Http.get(api("/api/v1/audit?caller=gateway"), TestGateway.OPERATOR_KEY).json().toString();
            assertThat(log).contains("keys: key ring in use").contains("kek=kek-test").contains("current=dk-")
                    .contains("algorithm=SM4-GCM").contains("keys=1");
        });
    }

    @Test
    @Order(4)
    void no_topic_holds_a_person_s_id_number_or_name_in_the_clear() throws Exception {
        Set<String> secrets = secrets();
        Map<String, Integer> sealedPerTopic = new HashMap<>();
        List<String> found = new ArrayList<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, clients.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", clients.bootstrapServers()));
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<String> topics = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(false)).names().get();
            assertThat(topics).contains("credit.records", "credit.upstream", "credit.upstream.batches");
            for (String topic : topics) {
                if (topic.equals(SWJ_TOPIC)) {
                    continue; // the department's own feed topic holds what the department wrote (docs/security.md)
                }
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(i -> new TopicPartition(topic, i.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        StringBuilder text = new StringBuilder();
                        text.append(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8)).append('\n');
                        text.append(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8)).append('\n');
                        for (Header h : r.headers()) {
                            text.append(h.key()).append('=').append(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)).append('\n');
                        }
                        String t = text.toString();
                        if (t.contains("enc:v1:")) {
                            sealedPerTopic.merge(topic, 1, Integer::sum);
                        }
                        check(topic + " " + r.partition() + "/" + r.offset(), t, secrets, found);
                    }
                }
            }
        }
        assertThat(found).as("personal data in the clear on a topic").isEmpty();
        // what was sealed is there, encrypted: the test looked where the persons are
        assertThat(sealedPerTopic).containsKeys("credit.records", "credit.upstream", "credit.upstream.batches", "credit.list-state",
                "credit.list-changes");
    }

    @Test
    @Order(5)
    void no_map_holds_a_person_s_id_number_or_name_in_the_clear() throws Exception {
        Set<String> secrets = secrets();
        List<String> found = new ArrayList<>();
        Map<String, Integer> sealedPerMap = new HashMap<>();
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.getNetworkConfig().addAddress("127.0.0.1:" + hazelcastPort);
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        try {
            for (DistributedObject o : client.getDistributedObjects()) {
                if (!(o instanceof IMap<?, ?> map)) {
                    continue;
                }
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String t = e.getKey() + "\n" + e.getValue();
                    if (t.contains("enc:v1:")) {
                        sealedPerMap.merge(map.getName(), 1, Integer::sum);
                    }
                    check(map.getName() + " " + e.getKey(), t, secrets, found);
                }
            }
        } finally {
            client.shutdown();
        }
        assertThat(found).as("personal data in the clear in a map").isEmpty();
        assertThat(sealedPerMap).containsKeys("list-entries", "measure-initiations");
    }

    private static void check(String where, String text, Set<String> secrets, List<String> found) {
        for (String s : secrets) {
            if (text.contains(s)) {
                found.add(where + ": " + (s.length() == 18 ? s.substring(0, 6) + "…" : s.charAt(0) + "…"));
            }
        }
        if (IdNumbers.containsIdNumber(text)) {
            found.add(where + ": " + IdNumbers.maskAll(text).replaceAll("(?s)^(.{0,200}).*$", "$1"));
        }
    }
}
