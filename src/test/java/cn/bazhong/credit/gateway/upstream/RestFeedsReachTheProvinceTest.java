package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import cn.bazhong.credit.simulators.province.ReceivedRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The REST feeds end to end: departments push their samples, the gateway answers with receipts once
 * the records are durable, and the provincial simulator receives every valid record exactly once in
 * national codes — through re-sends, corrections, an unavailable province and province rejections.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestFeedsReachTheProvinceTest {

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final byte[] XZSPJ = read("samples/feeds/rest/xzspj/licences-001.json");
    static final byte[] SSTHJJ = read("samples/feeds/rest/ssthjj/penalties-001.ndjson");

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "rest-e2e");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        registry.add("gateway.upstream.token", () -> PROVINCE.settings().token());
        registry.add("gateway.rest.max-body-size", () -> "256KB");
        // the circuit's pause after the province's outages is not what these tests are about
        registry.add("gateway.upstream.circuit.open-wait", () -> "1s");
    }

    @AfterAll
    static void stopProvince() {
        PROVINCE.close();
    }

    @LocalServerPort
    int port;

    @BeforeEach
    void healthyProvince() {
        PROVINCE.clearFaults();
    }

    private static byte[] read(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private Http.Response push(String dept, String feed, byte[] body, String... headers) {
        return Http.post(url("/api/v1/feeds/" + dept + "/" + feed), TestGateway.KEYS.get(dept.toUpperCase()), body, headers);
    }

    private static Map<String, ReceivedRecord> receivedById() {
        return PROVINCE.records().stream().collect(Collectors.toMap(ReceivedRecord::recordId, Function.identity(), (a, b) -> {
            throw new AssertionError("record " + a.recordId() + " reached the province twice");
        }));
    }

    private static Map<String, JsonNode> expected(String department) throws IOException {
        Map<String, JsonNode> byPosition = new HashMap<>();
        for (JsonNode r : new ObjectMapper().readTree(new java.io.File("samples/feeds/expected.json")).path("feeds").path(department).path("records")) {
            byPosition.put(r.path("position").asText(), r);
        }
        return byPosition;
    }

    @Test
    @Order(1)
    void the_sample_pushes_are_answered_with_receipts_that_match_expected_json() throws IOException {
        Http.Response licences = push("xzspj", "licences", XZSPJ, "Content-Type", "application/json");
        Http.Response penalties = push("ssthjj", "penalties", SSTHJJ, "Content-Type", "application/x-ndjson");

        assertThat(licences.status()).as(licences.body()).isEqualTo(200);
        assertThat(penalties.status()).as(penalties.body()).isEqualTo(200);
        JsonNode l = licences.json();
        JsonNode p = penalties.json();
        assertThat(l.path("accepted").asLong()).isEqualTo(34);
        assertThat(p.path("accepted").asLong()).isEqualTo(36);
        Map<String, JsonNode> expectedLicences = expected("XZSPJ");
        for (JsonNode rejected : l.path("rejected")) {
            JsonNode e = expectedLicences.get(rejected.path("position").asText());
            assertThat(e.path("valid").asBoolean()).isFalse();
            assertThat(rejected.path("field").asText()).isEqualTo(e.path("field").asText());
            assertThat(rejected.path("rule").asText()).isEqualTo(e.path("rule").asText());
        }
        assertThat(l.path("rejected")).hasSize(6);
        assertThat(p.path("rejected")).hasSize(4);
        assertThat(Http.get(url("/api/v1/receipts/" + l.path("receiptId").asText()), TestGateway.KEYS.get("XZSPJ")).json().path("accepted").asLong())
                .isEqualTo(34);
    }

    @Test
    @Order(2)
    void every_valid_record_reaches_the_province_once_in_national_codes() {
        await().atMost(Duration.ofSeconds(60)).until(() -> PROVINCE.records().size() >= 70);
        Map<String, ReceivedRecord> received = receivedById();

        assertThat(received).hasSize(70);
        ReceivedRecord licence = received.get("XZSPJ:ADMIN_LICENSE:11511900MB1530038P:巴审批许〔2023〕2000号");
        assertThat(licence.dataset()).isEqualTo("ADMIN_LICENSE");
        assertThat(licence.data()).containsEntry("XK_WSH", "巴审批许〔2023〕2000号")
                .containsEntry("XK_XDR_SHXYM", "91511921MA6GTJL9X3")
                .containsEntry("XK_JDRQ", "2023-08-26")
                .containsEntry("XK_XKLB", "普通");
        ReceivedRecord penalty = received.get("SSTHJJ:ADMIN_PENALTY:11511900MB1540041T:巴环罚〔2023〕300号");
        assertThat(penalty.data()).containsEntry("CF_NR_FK", "50").containsEntry("CF_JDRQ", "2023-04-02")
                .containsEntry("CF_SJLYDM", "11511900MB1540041T");
    }

    @Test
    @Order(3)
    void resending_every_feed_delivers_nothing_new_and_a_correction_delivers_one_new_version() {
        Http.Response again = push("xzspj", "licences", XZSPJ);
        Http.Response againPenalties = push("ssthjj", "penalties", SSTHJJ);
        assertThat(again.json().path("accepted").asLong()).isZero();
        assertThat(again.json().path("duplicates").asLong()).isEqualTo(34);
        assertThat(againPenalties.json().path("duplicates").asLong()).isEqualTo(36);

        String corrected = new String(SSTHJJ, StandardCharsets.UTF_8).lines().findFirst().orElseThrow()
                .replace("\"罚款50万元\"", "\"罚款40万元\"");
        Http.Response correction = push("ssthjj", "penalties", corrected.getBytes(StandardCharsets.UTF_8));
        assertThat(correction.json().path("accepted").asLong()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(60)).until(() -> PROVINCE.records().size() >= 71);
        List<ReceivedRecord> versions = PROVINCE.records().stream()
                .filter(r -> r.recordId().equals("SSTHJJ:ADMIN_PENALTY:11511900MB1540041T:巴环罚〔2023〕300号")).toList();
        assertThat(versions).hasSize(2);
        assertThat(versions.get(1).data()).containsEntry("CF_NR_FK", "40");
        assertThat(versions.get(0).version()).isNotEqualTo(versions.get(1).version());
        assertThat(PROVINCE.records()).hasSize(71);
    }

    @Test
    @Order(4)
    void a_retried_request_with_the_same_idempotency_key_gets_the_same_receipt() {
        byte[] one = ("[" + new String(XZSPJ, StandardCharsets.UTF_8).substring(1).split("\\n\\s*\\},?")[0] + "}]").getBytes(StandardCharsets.UTF_8);
        Http.Response first = push("xzspj", "licences", one, "Idempotency-Key", "clerk-42");
        Http.Response retry = push("xzspj", "licences", one, "Idempotency-Key", "clerk-42");

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(retry.json().path("receiptId").asText()).isEqualTo(first.json().path("receiptId").asText());
    }

    @Test
    @Order(5)
    void departments_are_authenticated_kept_to_their_own_feeds_and_bodies_are_limited() {
        assertThat(Http.post(url("/api/v1/feeds/xzspj/licences"), null, XZSPJ).status()).isEqualTo(401);
        assertThat(Http.post(url("/api/v1/feeds/xzspj/licences"), "not-a-key", XZSPJ).status()).isEqualTo(401);
        Http.Response foreign = Http.post(url("/api/v1/feeds/xzspj/licences"), TestGateway.KEYS.get("SSTHJJ"), XZSPJ);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().path("detail").asText()).contains("own department");
        assertThat(push("xzspj", "nosuchfeed", XZSPJ).status()).isEqualTo(404);
        byte[] huge = new byte[300 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertThat(push("xzspj", "licences", huge).status()).isEqualTo(413);
    }

    @Test
    @Order(6)
    void while_the_province_is_down_nothing_is_lost_and_nothing_arrives_twice() {
        int before = PROVINCE.records().size();
        PROVINCE.failNext(4, 503, Duration.ofSeconds(1));
        String changed = new String(SSTHJJ, StandardCharsets.UTF_8).replace("\"BZ\": \"\"", "\"BZ\": \"补充说明\"");

        Http.Response receipt = push("ssthjj", "penalties", changed.getBytes(StandardCharsets.UTF_8));
        assertThat(receipt.json().path("accepted").asLong()).isEqualTo(36);

        await().atMost(Duration.ofSeconds(90)).until(() -> PROVINCE.records().size() >= before + 36);
        receivedByIdAndVersionAreUnique();
        assertThat(PROVINCE.records()).hasSize(before + 36);
        assertThat(PROVINCE.batchRequests()).isGreaterThan(PROVINCE.batches().size());
    }

    @Test
    @Order(7)
    void while_the_province_refuses_connections_records_wait_and_arrive_once_it_is_back() {
        int before = PROVINCE.records().size();
        PROVINCE.refuseConnections();
        String changed = new String(XZSPJ, StandardCharsets.UTF_8).replace("\"BZ\": \"\"", "\"BZ\": \"断线期间\"");
        try {
            Http.Response receipt = push("xzspj", "licences", changed.getBytes(StandardCharsets.UTF_8));
            assertThat(receipt.json().path("accepted").asLong()).isEqualTo(34);
        } finally {
            PROVINCE.acceptConnections();
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> PROVINCE.records().size() >= before + 34);
        receivedByIdAndVersionAreUnique();
        assertThat(PROVINCE.records()).hasSize(before + 34);
    }

    @Test
    @Order(8)
    void a_record_the_province_rejects_is_added_to_its_source_receipt_and_trace() {
        PROVINCE.rejectRecords(".*巴审批许〔2023〕2000号", "DUPLICATE_DECISION", "该决定文书号已由其他单位报送");
        String changed = new String(XZSPJ, StandardCharsets.UTF_8).replace("\"BZ\": \"\"", "\"BZ\": \"更正\"");
        Http.Response pushed = push("xzspj", "licences", changed.getBytes(StandardCharsets.UTF_8));
        String receiptId = pushed.json().path("receiptId").asText();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode receipt = Http.get(url("/api/v1/receipts/" + receiptId), TestGateway.KEYS.get("XZSPJ")).json();
            assertThat(receipt.path("upstream")).hasSize(1);
            assertThat(receipt.path("upstream").get(0).path("code").asText()).isEqualTo("DUPLICATE_DECISION");
            assertThat(receipt.path("upstream").get(0).path("position").asLong()).isEqualTo(1);
        });
        Http.Response traced = Http.get(url("/api/v1/records/" + encoded("XZSPJ:ADMIN_LICENSE:11511900MB1530038P:巴审批许〔2023〕2000号") + "/trace"),
                TestGateway.KEYS.get("XZSPJ"));
        assertThat(traced.status()).as(traced.body()).isEqualTo(200);
        JsonNode trace = traced.json();
        assertThat(trace.path("steps").findValuesAsText("step")).contains("received", "dedup", "batched", "upstream");
        assertThat(trace.path("steps").findValuesAsText("status")).contains("ACCEPTED", "REJECTED");
        assertThat(Http.get(url("/api/v1/records/" + encoded("XZSPJ:ADMIN_LICENSE:11511900MB1530038P:巴审批许〔2023〕2000号") + "/trace"),
                TestGateway.KEYS.get("SWJ")).status()).isEqualTo(404);
    }

    @Test
    @Order(9)
    void a_batch_the_province_refuses_is_dead_lettered_and_delivered_when_an_operator_replays_it() {
        PROVINCE.failNext(1, 400, null);
        String changed = new String(XZSPJ, StandardCharsets.UTF_8).replace("\"BZ\": \"\"", "\"BZ\": \"第三版\"");
        int before = PROVINCE.records().size();
        push("xzspj", "licences", changed.getBytes(StandardCharsets.UTF_8));

        String operator = TestGateway.OPERATOR_KEY;
        JsonNode letter = await().atMost(Duration.ofSeconds(60)).until(
                () -> Http.get(url("/api/v1/upstream/dead-letters"), operator).json().path("deadLetters").get(0), java.util.Objects::nonNull);
        assertThat(letter.path("status").asInt()).isEqualTo(400);
        int lettered = letter.path("records").asInt();
        // the push may have been cut into two batches by the batch timer: only the refused one waits
        await().atMost(Duration.ofSeconds(60)).until(() -> PROVINCE.records().size() >= before + 34 - lettered);
        assertThat(PROVINCE.records()).hasSize(before + 34 - lettered);
        assertThat(Http.get(url("/api/v1/upstream/dead-letters"), TestGateway.KEYS.get("XZSPJ")).status()).isEqualTo(403);

        Http.Response replay = Http.post(url("/api/v1/upstream/dead-letters/" + letter.path("batchId").asText() + "/replay"), operator, new byte[0]);
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> PROVINCE.records().size() >= before + 34);
        assertThat(PROVINCE.records()).hasSize(before + 34);
        assertThat(Http.get(url("/api/v1/upstream/dead-letters"), operator).json().path("deadLetters").get(0).path("replayedAt").isNull()).isFalse();
    }

    private static String encoded(String recordId) {
        return java.net.URLEncoder.encode(recordId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void receivedByIdAndVersionAreUnique() {
        Map<String, Long> counts = PROVINCE.records().stream()
                .collect(Collectors.groupingBy(r -> r.recordId() + "@" + r.version(), Collectors.counting()));
        assertThat(counts.values()).allMatch(c -> c == 1);
    }
}
