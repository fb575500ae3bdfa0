package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.FanoutFixtures;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.MutableClock;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.gateway.support.TestSftpServer;
import cn.bazhong.credit.gateway.support.WebhookReceivers;
import cn.bazhong.credit.gateway.support.WebhookReceivers.Received;
import cn.bazhong.credit.gateway.validation.Uscc;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * List changes fan out to 25 departments (20 webhooks on a real HTTP server, a Kafka topic, an
 * SFTP drop and three Camel endpoints: a file endpoint and two routes of src/test/resources/routes-fanout)
 * through the real pipeline: tax lists from the SWJ topic and court snapshots pushed by
 * ZJFY. One department answers 503, one hangs, one answers 410 and one refuses everything; one Camel
 * route fails twice, another until it is mended; every other department receives everything, signed,
 * in order per subject, without waiting for them; the failing ones catch up, are disabled, or
 * dead-letter and are replayed, as the contract says. Last, the catalog and the subscriptions change while it runs
 * (live reload): the next events use them, and the departments the change does not touch keep running.
 */
@SpringBootTest(classes = {GatewayApplication.class, FanoutToDepartmentsTest.TestClock.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FanoutToDepartmentsTest {

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final WebhookReceivers HOOKS = new WebhookReceivers();
    static final TestSftpServer SFTP = TestSftpServer.start();
    static final MutableClock CLOCK = new MutableClock(ZoneId.of("Asia/Shanghai"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant STARTED = Instant.now();

    static final List<String> WEBHOOK_DEPTS = IntStream.rangeClosed(1, 20).mapToObj(i -> String.format("D%02d", i)).toList();
    static final List<String> COURT_DEPTS = WEBHOOK_DEPTS.subList(0, 10);
    static final String KAFKA_DEPT = "D21";
    static final String SFTP_DEPT = "D22";
    static final String CAMEL_FILE_DEPT = "D23";   // camel channel: a file: endpoint
    static final String CAMEL_FLAKY_DEPT = "D24";  // camel channel: a direct: route that fails twice
    static final String CAMEL_BROKEN_DEPT = "D25"; // camel channel: a direct: route that fails until mended
    static final List<String> CAMEL_DEPTS = List.of(CAMEL_FILE_DEPT, CAMEL_FLAKY_DEPT, CAMEL_BROKEN_DEPT);
    static final ChannelGates GATES = new ChannelGates();
    static final String UNAVAILABLE = "D03";   // 503 until released
    static final String HANGING = "D04";       // never answers until released
    static final String GONE = "D05";          // 410, then enabled again by an operator
    static final String REFUSING = "D06";      // 400 for everything: dead letters, replayed later
    static final String REPLAYED = "D07";      // replayed from a point in time
    static final List<String> FAILING = List.of(UNAVAILABLE, HANGING, GONE, REFUSING);

    // subjects
    static final String RED1 = "91511922MA6TL5RJXL";
    static final String BLACK1 = "91511903XFWA2JK10D";
    static final String BLACK1_REP_ID = "511902195009250256";
    static final String RED2 = "91511921MA6H6AXA5T";
    static final String RED3 = "91511900MA6FJU8R9L";
    static final String COURT_ORG = "91511900MA6L7UDG0K";
    static final String COURT_PERSON = "511903196012073255";

    static Path config;
    static Path camelDrop;
    /** The subscriptions file as the gateway started with it (its secrets are made once), edited by the reload tests. */
    static String subscriptionsAtStart;

    @TestConfiguration
    static class TestClock {
        @Bean
        @Primary
        Clock movableClock() {
            return CLOCK;
        }

        /** The gate of the camel channels' routes (routes-fanout/fanout-camel-test.camel.yaml). */
        @Bean
        ChannelGates channelGates() {
            return GATES;
        }
    }

    /** Fails a department's route on command: a number of times, or until mended. Records what it failed. */
    public static final class ChannelGates {
        private final Map<String, java.util.concurrent.atomic.AtomicInteger> failuresLeft = new java.util.concurrent.ConcurrentHashMap<>();
        private final List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();

        void failNext(String dept, int times) {
            failuresLeft.put(dept, new java.util.concurrent.atomic.AtomicInteger(times));
        }

        List<String> failed(String dept) {
            return failed.stream().filter(f -> f.startsWith(dept + " ")).map(f -> f.substring(dept.length() + 1)).toList();
        }

        public void pass(@org.apache.camel.Header(CamelEndpointSender.DEPARTMENT) String dept,
                         @org.apache.camel.Header(CamelEndpointSender.EVENT_ID) String eventId) throws IOException {
            var left = failuresLeft.get(dept);
            if (left != null && left.getAndDecrement() > 0) {
                failed.add(dept + " " + eventId);
                throw new IOException(dept + "'s share is not mounted");
            }
        }
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) throws IOException {
        for (String code : List.of(RED1, BLACK1, RED2, RED3, COURT_ORG, RED4)) {
            assertThat(Uscc.check(code).isOk()).as(code).isTrue();
        }
        TestGateway.register(registry, "fanout");
        // the court snapshots here have one or two parties: leaving one out is half the list or all of it,
        // which the exit guard would hold (CourtSnapshotTrustTest tests the guard); here every exit goes through
        registry.add("gateway.lists.snapshot-exit-guard", () -> "1");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        config = Files.createTempDirectory("fanout-config-");
        camelDrop = Files.createTempDirectory("fanout-camel-");
        Files.writeString(config.resolve("catalog.yaml"), catalog());
        subscriptionsAtStart = subscriptions();
        Files.writeString(config.resolve("subscriptions.yaml"), subscriptionsAtStart);
        Files.createDirectories(SFTP.root().resolve("inbox/credit"));
        registry.add("gateway.catalog.file", () -> config.resolve("catalog.yaml").toString());
        registry.add("gateway.fanout.enabled", () -> "true");
        registry.add("gateway.fanout.subscriptions-file", () -> config.resolve("subscriptions.yaml").toString());
        registry.add("gateway.fanout.attempt-timeout", () -> "1s");
        registry.add("gateway.lists.expiry-check-interval", () -> "1h");
        registry.add("camel.main.routes-include-pattern", () -> "file:routes/*.camel.yaml,classpath:routes-fanout/*.camel.yaml");
        registry.add("test.fanout.camel-dir", () -> camelDrop.toString());
        // the last tests change the catalog and the subscriptions while the fan-out runs
        registry.add("gateway.reload.enabled", () -> "true");
        registry.add("gateway.reload.debounce", () -> "200ms");
    }

    static String catalog() {
        List<String> all = new ArrayList<>(WEBHOOK_DEPTS);
        all.add(KAFKA_DEPT);
        all.add(SFTP_DEPT);
        all.addAll(CAMEL_DEPTS);
        return FanoutFixtures.catalog("test-1", all, COURT_DEPTS);
    }

    static String subscriptions() {
        StringBuilder s = new StringBuilder("subscriptions:\n");
        s.append(FanoutFixtures.webhooks(HOOKS, WEBHOOK_DEPTS, d -> (d.equals("D01") ? "    fullIdNumbers: true\n" : "")
                + "    retry: { maxAttempts: " + (d.equals(REFUSING) ? 3 : 500) + ", initialBackoff: 200ms, maxBackoff: 1s }\n"));
        s.append("  ").append(KAFKA_DEPT).append(":\n    kafka: { topic: dept.d21.events }\n");
        s.append("  ").append(SFTP_DEPT).append(":\n    sftp:\n      host: 127.0.0.1\n      port: ").append(SFTP.port())
                .append("\n      username: ").append(TestSftpServer.USER)
                .append("\n      password: \"").append(TestSftpServer.PASSWORD).append("\"")
                .append("\n      knownHostsFile: ").append(SFTP.knownHosts())
                .append("\n      directory: /inbox/credit\n");
        String retry = "    retry: { maxAttempts: 500, initialBackoff: 200ms, maxBackoff: 1s }\n";
        s.append("  ").append(CAMEL_FILE_DEPT).append(":\n    camel:\n      uri: \"file:").append(camelDrop).append("\"\n")
                .append("      parameters: { fileName: D23.ndjson, fileExist: Append, appendChars: \"\\\\n\" }\n").append(retry);
        s.append("  ").append(CAMEL_FLAKY_DEPT).append(":\n    camel: { uri: \"direct:d24-out\" }\n").append(retry);
        s.append("  ").append(CAMEL_BROKEN_DEPT).append(":\n    camel: { uri: \"direct:d25-out\" }\n")
                .append("    retry: { maxAttempts: 3, initialBackoff: 200ms, maxBackoff: 1s }\n");
        GATES.failNext(CAMEL_FLAKY_DEPT, 2);
        GATES.failNext(CAMEL_BROKEN_DEPT, Integer.MAX_VALUE);
        HOOKS.answer(UNAVAILABLE, 503);
        HOOKS.hang(HANGING, true);
        HOOKS.answer(GONE, 410);
        HOOKS.answer(REFUSING, 400);
        return s.toString();
    }

    @AfterAll
    static void stop() {
        HOOKS.close();
        SFTP.close();
        PROVINCE.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaClients clients;

    // --- what each department must receive, per subject, in order ----------------------------------------------

    static Map<String, List<String>> expectedBeforeExpiry(String dept) {
        Map<String, List<String>> m = new TreeMap<>();
        m.put(RED1, List.of("list.entry.listed"));
        m.put(BLACK1, List.of("list.entry.listed", "list.entry.updated"));
        m.put(RED2, List.of("list.entry.listed"));
        m.put(RED3, List.of("list.entry.listed", "list.entry.exited"));
        if (COURT_DEPTS.contains(dept)) {
            m.put(COURT_ORG, List.of("list.entry.listed"));
            m.put(masked(COURT_PERSON, dept), List.of("list.entry.listed", "list.entry.exited"));
        }
        return m;
    }

    static String masked(String id, String dept) {
        return dept.equals("D01") ? id : id.substring(0, 6) + "********" + id.substring(14);
    }

    static String subjectCode(JsonNode body) {
        return FanoutFixtures.subjectCode(body);
    }

    /** The list events per subject, in arrival order (the measure events that travel with them are checked apart). */
    static Map<String, List<String>> bySubject(List<JsonNode> bodies) {
        Map<String, List<String>> m = new TreeMap<>();
        bodies.stream().filter(b -> b.path("type").asText().startsWith("list.entry."))
                .forEach(b -> m.computeIfAbsent(subjectCode(b), k -> new ArrayList<>()).add(b.path("type").asText()));
        return m;
    }

    /**
     * What a department takes in, in arrival order: one body per event id, as the departments' guide asks of them.
     * A delivery whose answer came too late is sent again with the same {@code webhook-id} (at least once); a
     * change sent twice as two events would still show twice here.
     */
    static List<JsonNode> bodies(String dept) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return HOOKS.received(dept).stream().filter(r -> seen.add(r.id())).map(Received::body).toList();
    }

    // --- feeding list changes in -------------------------------------------------------------------------------

    private void swj(String json) {
        try (KafkaProducer<String, byte[]> producer = clients.producer("swj-test")) {
            producer.send(new ProducerRecord<>("dept.swj.credit", "swj", json.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    private static String taxA(String uscc, String validTo, String zt) {
        return "{\"lx\": \"NSXYA\", \"nsrsbh\": \"" + uscc + "\", \"nsrmc\": \"纳税人" + uscc.substring(14) + "\", \"pjnd\": \"2025\","
                + " \"xyjb\": \"A\", \"pdrq\": \"20260410\", \"yxqz\": \"" + validTo + "\", \"zt\": \"" + zt + "\"}";
    }

    private static String violation(String validTo) {
        return "{\"lx\": \"ZDSSWF\", \"nsrsbh\": \"" + BLACK1 + "\", \"nsrmc\": \"乙公司\", \"fddbr\": \"孔洋敏\","
                + " \"fddbrzjhm\": \"" + BLACK1_REP_ID + "\", \"ajxz\": \"偷税\", \"wfss\": \"少缴税款\", \"cljd\": \"巴税稽罚〔2026〕9号\","
                + " \"gbrq\": \"20260718\", \"yxqz\": \"" + validTo + "\", \"zt\": \"1\"}";
    }

    private static String courtSnapshot(boolean withPerson) {
        String org = "<record><ah>（2024）川19执900号</ah><zxfy>四川省巴中市中级人民法院</zxfy><bzxrmc>巴中市测试商贸有限公司</bzxrmc>"
                + "<bzxrlx>法人或其他组织</bzxrlx><zjhm>" + COURT_ORG + "</zjhm><fddbr>崔刚刚</fddbr><yjdw>巴中仲裁委员会</yjdw>"
                + "<yw>支付货款8万元</yw><lxqk>全部未履行</lxqk><sxqx>有履行能力而拒不履行生效法律文书确定义务</sxqx>"
                + "<fbsj>2024-09-05</fbsj><zt>在列</zt></record>";
        String person = "<record><ah>（2024）川19执901号</ah><zxfy>四川省巴中市中级人民法院</zxfy><bzxrmc>乔建</bzxrmc>"
                + "<bzxrlx>自然人</bzxrlx><zjhm>" + COURT_PERSON + "</zjhm><yjdw>通江县人民法院</yjdw><yw>支付货款3万元</yw>"
                + "<lxqk>部分未履行</lxqk><sxqx>违反财产报告制度</sxqx><fbsj>2024-07-25</fbsj><zt>在列</zt></record>";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sxbzxrList xmlns=\"urn:court:sxbzxr:1\">" + org
                + (withPerson ? person : "") + "</sxbzxrList>";
    }

    private String api(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    // --- the tests, in order --------------------------------------------------------------------------------

    @Test
    @Order(1)
    void every_healthy_department_receives_every_change_signed_and_in_order_while_the_failing_ones_wait() throws IOException {
        String today = LocalDate.now(CLOCK).format(DateTimeFormatter.BASIC_ISO_DATE);
        swj(taxA(RED1, "20281231", "1"));
        swj(violation("20290717"));
        swj(taxA(RED2, today, "1"));
        swj(taxA(RED3, "20281231", "1"));
        swj(violation("20300717"));            // the same decision, validity extended: an update
        swj(taxA(RED3, "20281231", "0"));      // withdrawn by the tax bureau: an exit
        Http.Response first = Http.post(api("/api/v1/feeds/ZJFY/defaulters"), TestGateway.KEYS.get("ZJFY"),
                courtSnapshot(true).getBytes(StandardCharsets.UTF_8), "Content-Type", "application/xml");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        // the next day's snapshot no longer lists the person: that is the person's exit
        await().atMost(Duration.ofSeconds(60)).until(() -> bySubject(bodies("D02")).containsKey(masked(COURT_PERSON, "D02")));
        Http.Response second = Http.post(api("/api/v1/feeds/ZJFY/defaulters"), TestGateway.KEYS.get("ZJFY"),
                courtSnapshot(false).getBytes(StandardCharsets.UTF_8), "Content-Type", "application/xml");
        assertThat(second.status()).as(second.body()).isEqualTo(200);

        List<String> healthy = WEBHOOK_DEPTS.stream().filter(d -> !FAILING.contains(d)).toList();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (String d : healthy) {
                assertThat(bySubject(bodies(d))).as(d).isEqualTo(expectedBeforeExpiry(d));
            }
        });
        // nobody waited for the failing departments: they still have nothing
        assertThat(HOOKS.received(UNAVAILABLE)).isEmpty();
        assertThat(HOOKS.received(HANGING)).isEmpty();
        assertThat(HOOKS.received(GONE)).isEmpty();
        assertThat(camelLines(CAMEL_BROKEN_DEPT)).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> HOOKS.attempts(UNAVAILABLE) > 1); // it keeps being retried

        for (String d : healthy) {
            List<Received> got = HOOKS.received(d);
            assertThat(got).as(d).allSatisfy(r -> {
                assertThat(r.signatureValid()).as("signature of " + r.id()).isTrue();
                assertThat(r.body().path("id").asText()).isEqualTo(r.id());
                assertThat(r.body().path("department").asText()).isEqualTo(d);
                assertThat(r.body().path("measures")).isNotEmpty().allSatisfy(m -> {
                    assertThat(m.path("legalBasis").asText()).isNotBlank();
                    assertThat(m.path("implementingUnit").asText()).isEqualTo(d);
                });
            });
            // a delivery answered too late comes again (at least once), as the same event: same id, same body
            Map<String, JsonNode> byId = new java.util.HashMap<>();
            got.forEach(r -> assertThat(byId.putIfAbsent(r.id(), r.body())).as(d + ": a repeated " + r.id())
                    .satisfiesAnyOf(earlier -> assertThat(earlier).isNull(), earlier -> assertThat(earlier).isEqualTo(r.body())));
        }
        // the departments took the changes from the node's one shared fetch, not each from the broker
        JsonNode shared = Http.get(api("/actuator/health"), TestGateway.VIEWER_KEY).json()
                .path("components").path("fanout").path("details").path("sharedFetch");
        assertThat(shared.path("running").asBoolean()).as(shared.toString()).isTrue();
        assertThat(shared.path("partitions").size()).as(shared.toString()).isPositive();
        String metrics = Http.get(api("/actuator/prometheus"), null).body();
        for (String d : healthy) {
            assertThat(counter(metrics, "gateway_fanout_fetched_total", d, "shared")).as(d).isPositive();
        }
    }

    /** A department's counter in the Prometheus text, 0 when absent. */
    private static double counter(String metrics, String name, String dept, String from) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") && l.contains("department=\"" + dept + "\"")
                        && l.contains("from=\"" + from + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    @Order(2)
    void personal_id_numbers_are_masked_unless_the_subscription_may_have_them() {
        JsonNode full = bodies("D01").stream().filter(b -> BLACK1.equals(subjectCode(b))).findFirst().orElseThrow();
        JsonNode masked = bodies("D02").stream().filter(b -> BLACK1.equals(subjectCode(b))).findFirst().orElseThrow();
        assertThat(full.path("subject").path("legalRep").path("idNumber").asText()).isEqualTo(BLACK1_REP_ID);
        assertThat(masked.path("subject").path("legalRep").path("idNumber").asText()).isEqualTo(masked(BLACK1_REP_ID, "D02"));
        assertThat(bodies("D02").toString()).doesNotContain(BLACK1_REP_ID).doesNotContain(COURT_PERSON);
        assertThat(bodies("D01").stream().anyMatch(b -> COURT_PERSON.equals(subjectCode(b)))).isTrue();
    }

    @Test
    @Order(3)
    void a_department_that_answered_410_is_disabled_and_catches_up_in_order_once_enabled() {
        assertThat(HOOKS.attempts(GONE)).isEqualTo(1);
        JsonNode departments = Http.get(api("/api/v1/fanout/departments"), TestGateway.OPERATOR_KEY).json().path("departments");
        JsonNode gone = findDepartment(departments, GONE);
        assertThat(gone.path("disabled").path("reason").asText()).contains("410");
        assertThat(findDepartment(departments, "D02").has("disabled")).isFalse();

        HOOKS.answer(GONE, 204);
        Http.Response enabled = Http.post(api("/api/v1/fanout/departments/" + GONE + "/enable"), TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(bySubject(bodies(GONE))).isEqualTo(expectedBeforeExpiry(GONE)));
    }

    @Test
    @Order(4)
    void the_unavailable_and_the_hanging_department_catch_up_in_order_when_they_recover() {
        HOOKS.answer(UNAVAILABLE, 204);
        HOOKS.hang(HANGING, false);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(bySubject(bodies(UNAVAILABLE))).isEqualTo(expectedBeforeExpiry(UNAVAILABLE));
            assertThat(bySubject(bodies(HANGING))).isEqualTo(expectedBeforeExpiry(HANGING));
        });
        assertThat(HOOKS.received(HANGING)).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
    }

    @Test
    @Order(5)
    void events_a_department_refused_are_dead_lettered_with_the_reason_and_replayed_on_request() {
        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters(REFUSING).size() == 9);
        assertThat(deadLetters(REFUSING)).allSatisfy(l -> {
            assertThat(l.path("reason").asText()).contains("HTTP 400");
            assertThat(l.path("attempts").asInt()).isEqualTo(3);
        });
        assertThat(deadLetters(REFUSING).toString()).doesNotContain(COURT_PERSON);
        assertThat(HOOKS.received(REFUSING)).isEmpty();

        HOOKS.answer(REFUSING, 200);
        Http.Response replay = Http.post(api("/api/v1/fanout/departments/" + REFUSING + "/dead-letters/replay"),
                TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(replay.json().path("replayed").asInt()).isEqualTo(9);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(bySubject(bodies(REFUSING))).isEqualTo(expectedBeforeExpiry(REFUSING)));
        assertThat(deadLetters(REFUSING)).allSatisfy(l -> assertThat(l.path("replayedAt").isNull()).isFalse());
    }

    @Test
    @Order(6)
    void an_entry_whose_validity_ends_exits_by_itself_at_every_department() {
        CLOCK.advance(Duration.ofDays(2));
        Http.Response sweep = Http.post(api("/api/v1/lists/expiry-sweep"), TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(sweep.json().path("exited").asInt()).isEqualTo(1);
        List<String> all = WEBHOOK_DEPTS;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String d : all) {
                List<String> red2 = bySubject(bodies(d)).get(RED2);
                assertThat(red2).as(d).containsExactly("list.entry.listed", "list.entry.exited");
            }
        });
        JsonNode exit = bodies("D02").stream().filter(b -> RED2.equals(subjectCode(b)) && b.path("type").asText().endsWith("exited"))
                .findFirst().orElseThrow();
        assertThat(exit.path("entry").path("exitReason").asText()).isEqualTo("EXPIRED");
        assertThat(exit.path("entry").path("status").asText()).isEqualTo("EXITED");
        // a second sweep finds nothing more to do
        assertThat(Http.post(api("/api/v1/lists/expiry-sweep"), TestGateway.OPERATOR_KEY, new byte[0]).json().path("exited").asInt()).isZero();
    }

    @Test
    @Order(7)
    void a_department_replayed_from_a_point_in_time_gets_the_same_events_again_with_the_same_ids() {
        // delivery is at least once (docs/fanout.md): an attempt that timed out on a loaded machine after the hook had the
        // event is sent again with the same id, so events are counted by id, not by arrival
        int arrived = HOOKS.received(REPLAYED).size();
        Set<String> before = HOOKS.received(REPLAYED).stream().map(Received::id).collect(Collectors.toSet());
        long changes = HOOKS.received(REPLAYED).stream().filter(r -> r.type().startsWith("list.entry.")).map(Received::id).distinct().count();
        Http.Response replay = Http.post(api("/api/v1/fanout/departments/" + REPLAYED + "/replay?from=" + STARTED),
                TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        assertThat(replay.json().path("replayed").asInt()).isEqualTo(changes); // each brings its measure event again too
        await().atMost(Duration.ofSeconds(60)).until(() -> HOOKS.received(REPLAYED).stream().skip(arrived).map(Received::id)
                .collect(Collectors.toSet()).containsAll(before));
        Set<String> again = HOOKS.received(REPLAYED).stream().skip(arrived).map(Received::id).collect(Collectors.toSet());
        assertThat(again).as("the events the replay brought").isEqualTo(before);
    }

    @Test
    @Order(8)
    void the_delivery_log_tells_what_each_department_got_of_an_event() {
        String eventId = HOOKS.received("D02").get(0).id();
        JsonNode log = Http.get(api("/api/v1/fanout/events/" + eventId), TestGateway.OPERATOR_KEY).json().path("departments");
        assertThat(log.path("D02").path("outcome").asText()).isEqualTo("DELIVERED");
        assertThat(log.path("D08").path("outcome").asText()).isEqualTo("DELIVERED");
        assertThat(log.path(REFUSING).path("outcome").asText()).isEqualTo("DELIVERED"); // after its replay
    }

    @Test
    @Order(9)
    void the_kafka_and_sftp_channels_carry_the_same_events() throws IOException {
        List<JsonNode> onTopic = new ArrayList<>();
        Map<String, String> keys = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            onTopic.clear();
            clients.readToEnd("dept.d21.events", "d21-reader", r -> {
                try {
                    JsonNode body = JSON.readTree(r.value());
                    onTopic.add(body);
                    keys.put(body.path("id").asText(), r.key());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Map<String, List<String>> expected = expectedBeforeExpiry(KAFKA_DEPT);
            expected.put(RED2, List.of("list.entry.listed", "list.entry.exited"));
            assertThat(bySubject(onTopic)).isEqualTo(expected);
        });
        assertThat(onTopic).allSatisfy(b -> assertThat(keys.get(b.path("id").asText())).isEqualTo(subjectCode(b)));

        Path drop = SFTP.root().resolve("inbox/credit");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<JsonNode> dropped = new ArrayList<>();
            try (Stream<Path> files = Files.list(drop)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".ndjson")).sorted().toList()) {
                    assertThat(Path.of(f + ".ok")).exists();
                    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                        dropped.add(JSON.readTree(line));
                    }
                }
            }
            Map<String, List<String>> expected = expectedBeforeExpiry(SFTP_DEPT);
            expected.put(RED2, List.of("list.entry.listed", "list.entry.exited"));
            assertThat(dropped.stream().filter(b -> b.path("type").asText().startsWith("list.entry."))
                    .map(b -> b.path("id").asText()).collect(Collectors.toSet()))
                    .hasSize(expected.values().stream().mapToInt(List::size).sum());
        });
        try (Stream<Path> files = Files.list(drop)) {
            assertThat(files.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }
    }

    @Test
    @Order(10)
    void camel_endpoints_as_channels_get_every_event_in_order_and_are_retried_dead_lettered_and_replayed_like_webhooks() throws IOException {
        Map<String, List<String>> expected = expectedBeforeExpiry(CAMEL_FILE_DEPT);
        expected.put(RED2, List.of("list.entry.listed", "list.entry.exited"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(bySubject(camelLines(CAMEL_FILE_DEPT))).isEqualTo(expected);
            assertThat(bySubject(camelLines(CAMEL_FLAKY_DEPT))).isEqualTo(expected);
        });
        for (String d : List.of(CAMEL_FILE_DEPT, CAMEL_FLAKY_DEPT)) {
            assertThat(camelLines(d).stream().map(b -> b.path("id").asText()).toList()).as(d + ": no event twice").doesNotHaveDuplicates();
        }
        // a list event has the same id at every department (its measure events are the department's own)
        assertThat(listEventIds(CAMEL_FLAKY_DEPT)).containsExactlyInAnyOrderElementsOf(listEventIds(CAMEL_FILE_DEPT));
        assertThat(camelLines(CAMEL_FILE_DEPT)).allSatisfy(b -> assertThat(b.path("department").asText()).isEqualTo(CAMEL_FILE_DEPT));

        // the flaky route failed twice on its first event, which was retried in place and delivered at the third attempt
        assertThat(GATES.failed(CAMEL_FLAKY_DEPT)).hasSize(2).containsOnly(GATES.failed(CAMEL_FLAKY_DEPT).get(0));
        JsonNode log = Http.get(api("/api/v1/fanout/events/" + GATES.failed(CAMEL_FLAKY_DEPT).get(0)), TestGateway.OPERATOR_KEY).json()
                .path("departments").path(CAMEL_FLAKY_DEPT);
        assertThat(log.path("outcome").asText()).isEqualTo("DELIVERED");
        assertThat(log.path("attempts").asInt()).isEqualTo(3);

        // the broken route: every change dead-lettered after its 3 attempts, nothing written; mended, replayed, all arrive in order
        long changes = listEventIds(CAMEL_FILE_DEPT).size();
        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters(CAMEL_BROKEN_DEPT).size() == changes);
        assertThat(deadLetters(CAMEL_BROKEN_DEPT)).allSatisfy(l -> {
            assertThat(l.path("reason").asText()).contains("share is not mounted");
            assertThat(l.path("attempts").asInt()).isEqualTo(3);
        });
        assertThat(camelLines(CAMEL_BROKEN_DEPT)).isEmpty();

        GATES.failNext(CAMEL_BROKEN_DEPT, 0);
        Http.Response replay = Http.post(api("/api/v1/fanout/departments/" + CAMEL_BROKEN_DEPT + "/dead-letters/replay"),
                TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(replay.json().path("replayed").asInt()).isEqualTo(changes);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(bySubject(camelLines(CAMEL_BROKEN_DEPT))).isEqualTo(expected));
    }

    // --- live reload of the catalog and the subscriptions ------------------------------------------------------

    static final String RED4 = "91511923MA6EKC8N1U";
    static final String ADDED = "D26";     // subscribed while the gateway runs
    static final String REMOVED = "D08";   // unsubscribed while the gateway runs
    static final String MOVED = "D09";     // its webhook moves to another URL while the gateway runs
    static final String MOVED_TO = "D09-new";

    @Autowired
    FanoutDispatchers dispatchers;

    /** The second catalog: TAX-GREEN renamed and reworded, TAX-STRICT reworded, one more department (D26). */
    static String catalogV2() {
        List<String> all = new ArrayList<>(WEBHOOK_DEPTS);
        all.add(KAFKA_DEPT);
        all.add(SFTP_DEPT);
        all.addAll(CAMEL_DEPTS);
        all.add(ADDED);
        return FanoutFixtures.catalog("test-2", all, COURT_DEPTS).replace("TAX-GREEN:", "TAX-GREEN-2026:")
                .replace("绿色通道和容缺受理", "绿色通道、容缺受理和优先办理").replace("从严审核", "从严审核行政许可");
    }

    private JsonNode loadedFile(String name) {
        Http.Response r = Http.get(api("/api/v1/loaded-files"), TestGateway.VIEWER_KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (JsonNode f : r.json()) {
            if (f.path("file").asText().endsWith("/" + name)) {
                return f;
            }
        }
        throw new AssertionError(name + " is not in " + r.body());
    }

    private static List<JsonNode> events(String dept, String subject, String type) {
        return bodies(dept).stream().filter(b -> subject.equals(subjectCode(b)) && b.path("type").asText().equals(type)).toList();
    }

    @Test
    @Order(11)
    void a_changed_catalog_is_used_by_the_next_event_and_check_while_an_initiation_keeps_the_measures_it_was_made_with() throws IOException {
        assertThat(events("D02", RED1, "measure.initiated")).singleElement().satisfies(b -> {
            assertThat(b.path("catalogVersion").asText()).isEqualTo("test-1");
            assertThat(b.path("measures").get(0).path("measureId").asText()).isEqualTo("TAX-GREEN");
        });

        Files.writeString(config.resolve("catalog.yaml"), catalogV2());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(loadedFile("catalog.yaml").path("version").asText())
                .isEqualTo("test-2"));
        assertThat(loadedFile("catalog.yaml").has("refused")).isFalse();

        // the next check answers with the new catalog
        JsonNode check = Http.get(api("/api/v1/subjects/" + BLACK1 + "/measures?department=D02"), TestGateway.OPERATOR_KEY).json();
        assertThat(check.path("catalogVersion").asText()).isEqualTo("test-2");
        assertThat(check.path("measures").get(0).path("content").asText()).isEqualTo("从严审核行政许可");

        // RED1 leaves the list: the exit is told with the new catalog; the cancellation of its initiation carries the
        // measure as initiated, although the catalog no longer has it under that id
        swj(taxA(RED1, "20281231", "0"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String d : List.of("D02", REMOVED, MOVED)) {
                assertThat(events(d, RED1, "measure.cancelled")).as(d).hasSize(1);
            }
        });
        JsonNode exit = events("D02", RED1, "list.entry.exited").get(0);
        assertThat(exit.path("catalogVersion").asText()).isEqualTo("test-2");
        assertThat(exit.path("measures").get(0).path("measureId").asText()).isEqualTo("TAX-GREEN-2026");
        JsonNode cancelled = events("D02", RED1, "measure.cancelled").get(0);
        assertThat(cancelled.path("catalogVersion").asText()).isEqualTo("test-1");
        assertThat(cancelled.path("measures").get(0).path("measureId").asText()).isEqualTo("TAX-GREEN");
        assertThat(cancelled.path("measures").get(0).path("content").asText()).isEqualTo("绿色通道和容缺受理");
        assertThat(deadLetters("D02")).isEmpty();
    }

    @Test
    @Order(12)
    void changed_subscriptions_start_a_new_department_stop_a_removed_one_and_move_a_channel_without_touching_the_others()
            throws IOException {
        Map<String, DepartmentDispatcher> before = new TreeMap<>();
        dispatchers.all().forEach(d -> before.put(d.department(), d));
        int removedHad = HOOKS.received(REMOVED).size();
        int movedHad = HOOKS.received(MOVED).size();

        java.util.regex.Matcher secret = java.util.regex.Pattern.compile("  " + MOVED + ":\\n    webhook:\\n      url: (\\S+)\\n      secrets: \\[\"([^\"]+)\"]")
                .matcher(subscriptionsAtStart);
        assertThat(secret.find()).isTrue();
        URI movedTo = HOOKS.add(MOVED_TO, secret.group(2));
        String added = WebhookReceivers.newSecret();
        String next = subscriptionsAtStart
                .replaceAll("(?m)^  " + REMOVED + ":\\n(    .*\\n)*", "")
                .replace(secret.group(1), movedTo.toString())
                + "  " + ADDED + ":\n    webhook:\n      url: " + HOOKS.add(ADDED, added) + "\n      secrets: [\"" + added + "\"]\n";
        Path file = config.resolve("subscriptions.yaml");
        Files.writeString(file, next);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(loadedFile("subscriptions.yaml").path("sha256").asText())
                .isEqualTo(cn.bazhong.credit.gateway.reload.LoadedFiles.sha256(file)));
        assertThat(loadedFile("subscriptions.yaml").has("refused")).isFalse();

        assertThat(dispatchers.of(REMOVED)).isEmpty();
        assertThat(dispatchers.of(ADDED)).hasValueSatisfying(d -> assertThat(d.running()).isTrue());
        assertThat(dispatchers.of(MOVED).orElseThrow()).isNotSameAs(before.get(MOVED));
        for (String d : before.keySet()) {
            if (!d.equals(REMOVED) && !d.equals(MOVED)) {
                assertThat(dispatchers.of(d).orElseThrow()).as(d + " was not restarted").isSameAs(before.get(d));
            }
        }
        JsonNode departments = Http.get(api("/api/v1/fanout/departments"), TestGateway.OPERATOR_KEY).json().path("departments");
        assertThat(findDepartment(departments, MOVED).path("channel").asText()).contains(MOVED_TO);
        assertThat(findDepartment(departments, ADDED).path("listTypes").toString()).contains("TAX_A");

        swj(taxA(RED4, "20281231", "1"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(events(ADDED, RED4, "list.entry.listed")).hasSize(1);
            assertThat(events(MOVED_TO, RED4, "measure.initiated")).hasSize(1);
            assertThat(events("D02", RED4, "measure.initiated")).hasSize(1);
        });
        assertThat(events("D02", RED4, "measure.initiated")).singleElement().satisfies(b -> {
            assertThat(b.path("catalogVersion").asText()).isEqualTo("test-2");
            assertThat(b.path("measures").get(0).path("measureId").asText()).isEqualTo("TAX-GREEN-2026");
        });
        // the new department starts at the beginning of the list changes, as it would at a restart
        assertThat(bySubject(bodies(ADDED))).containsKeys(BLACK1, RED1, RED4);
        assertThat(HOOKS.received(ADDED)).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
        // the moved department gets what came after the move on its new URL, once, and nothing it had already
        List<Received> onNewUrl = HOOKS.received(MOVED_TO);
        assertThat(onNewUrl).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
        assertThat(onNewUrl.stream().map(r -> subjectCode(r.body())).distinct()).containsExactly(RED4);
        assertThat(onNewUrl.stream().map(Received::type)).containsExactly("list.entry.listed", "measure.initiated");
        assertThat(HOOKS.received(MOVED)).hasSize(movedHad);
        assertThat(HOOKS.received(REMOVED)).as("an unsubscribed department receives nothing more").hasSize(removedHad);
    }

    @Test
    @Order(13)
    void a_broken_subscriptions_or_catalog_file_is_refused_with_its_line_and_what_runs_stays() throws IOException {
        Path subscriptions = config.resolve("subscriptions.yaml");
        String good = Files.readString(subscriptions);
        Files.writeString(subscriptions, good + "  D99:\n    kafka: { topic: dept.d99.events }\n");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(loadedFile("subscriptions.yaml").path("refused").asText())
                .matches(".*subscriptions\\.yaml:\\d+: .*D99.*"));
        JsonNode health = Http.get(api("/actuator/health"), TestGateway.VIEWER_KEY).json().path("components").path("reload");
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(dispatchers.of(ADDED)).isPresent();

        // a catalog without D26 does not fit the subscriptions in use
        Files.writeString(config.resolve("catalog.yaml"), catalogV2().replace("test-2", "test-3").replace(", " + ADDED, "")
                .replace("\n  " + ADDED + ": { name: 部门" + ADDED + " }", ""));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(loadedFile("catalog.yaml").path("refused").asText())
                .contains("catalog.yaml:0:").contains(ADDED));
        assertThat(loadedFile("catalog.yaml").path("version").asText()).isEqualTo("test-2");
        JsonNode check = Http.get(api("/api/v1/subjects/" + BLACK1 + "/measures?department=D02"), TestGateway.OPERATOR_KEY).json();
        assertThat(check.path("catalogVersion").asText()).isEqualTo("test-2");

        Files.writeString(subscriptions, good);
        Files.writeString(config.resolve("catalog.yaml"), catalogV2());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Http.get(api("/actuator/health"), TestGateway.VIEWER_KEY).json()
                .path("components").path("reload").path("status").asText()).isEqualTo("UP"));
        assertThat(dispatchers.of(ADDED)).isPresent();
    }

    @Test
    @Order(14)
    void a_subscription_refused_for_want_of_its_unit_applies_once_the_catalog_that_has_it_applies() throws IOException {
        String dept = "D27";
        String secret = WebhookReceivers.newSecret();
        Path subscriptions = config.resolve("subscriptions.yaml");
        Files.writeString(subscriptions, Files.readString(subscriptions) + "  " + dept + ":\n    webhook:\n      url: "
                + HOOKS.add(dept, secret) + "\n      secrets: [\"" + secret + "\"]\n");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(loadedFile("subscriptions.yaml").path("refused").asText())
                .contains(dept));

        List<String> all = new ArrayList<>(WEBHOOK_DEPTS);
        all.addAll(List.of(KAFKA_DEPT, SFTP_DEPT));
        all.addAll(CAMEL_DEPTS);
        all.addAll(List.of(ADDED, dept));
        Files.writeString(config.resolve("catalog.yaml"), FanoutFixtures.catalog("test-4", all, COURT_DEPTS));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(loadedFile("catalog.yaml").path("version").asText()).isEqualTo("test-4");
            assertThat(loadedFile("subscriptions.yaml").has("refused")).isFalse();
            assertThat(dispatchers.of(dept)).isPresent();
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> !events(dept, RED4, "list.entry.listed").isEmpty());
    }

    private static List<String> listEventIds(String dept) throws IOException {
        return camelLines(dept).stream().filter(b -> b.path("type").asText().startsWith("list.entry.")).map(b -> b.path("id").asText()).toList();
    }

    /** The events a camel-channel department's endpoint wrote, one JSON line each, in the order written. */
    private static List<JsonNode> camelLines(String dept) throws IOException {
        Path file = camelDrop.resolve(dept + ".ndjson");
        if (!Files.exists(file)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private List<JsonNode> deadLetters(String dept) {
        List<JsonNode> out = new ArrayList<>();
        Http.get(api("/api/v1/fanout/departments/" + dept + "/dead-letters"), TestGateway.OPERATOR_KEY).json().path("deadLetters")
                .forEach(out::add);
        return out;
    }

    private static JsonNode findDepartment(JsonNode departments, String dept) {
        for (JsonNode d : departments) {
            if (dept.equals(d.path("department").asText())) {
                return d;
            }
        }
        throw new AssertionError("no department " + dept + " in " + departments);
    }
}
