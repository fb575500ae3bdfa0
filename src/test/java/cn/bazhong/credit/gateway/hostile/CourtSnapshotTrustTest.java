package cn.bazhong.credit.gateway.hostile;

import cn.bazhong.credit.gateway.ingest.*;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.gateway.support.TestSftpServer;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import cn.bazhong.credit.simulators.province.ReceivedRecord;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The court's full snapshot changes the list only when it can be trusted: a snapshot cut short or
 * broken exits nobody, a party whose row is rejected keeps its listing, and a party leaving and
 * coming back several times on one day gets a new version each time. Every test starts from the
 * sample snapshot, so that they do not depend on each other's order.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class CourtSnapshotTrustTest {

    static final TestSftpServer SFTP = TestSftpServer.start();
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SAMPLE = read("samples/feeds/sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml");

    /** Parties of the sample that are listed (在列) and valid: an organisation each, by case number and credit code. */
    static final String FIRST = "（2024）川19执100号";
    static final String FIRST_CODE = "91511921MA6H6AXA5T";
    static final String FOURTH = "（2023）川19执103号";
    static final String FOURTH_CODE = "91511900MA6FJU8R9L";
    static final String TENTH = "（2023）川19执109号";
    static final String TENTH_CODE = "91511921MA6FB4D489";
    static final String LAST_BUT_THREE = "（2023）川19执137号";
    static final String LAST_BUT_THREE_CODE = "91511902TNJ8P0N348";

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "court-snapshots");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        String p = "gateway.feeds.zjfy.sftp.";
        registry.add(p + "enabled", () -> "true");
        registry.add(p + "host", () -> "127.0.0.1");
        registry.add(p + "port", SFTP::port);
        registry.add(p + "username", () -> TestSftpServer.USER);
        registry.add(p + "password", () -> TestSftpServer.PASSWORD);
        registry.add(p + "known-hosts-file", () -> SFTP.knownHosts().toString());
        registry.add(p + "delay", () -> "300");
    }

    @AfterAll
    static void stopServers() {
        SFTP.close();
        PROVINCE.close();
    }

    /** Five listed parties of the sample (organisations), by case number and credit code: more than a tenth of its 31. */
    static final Map<String, String> FIVE = Map.of(
            "（2023）川19执105号", "92511922BWUFNR979N", "（2022）川19执106号", "91511903D60PHQCG0G",
            "（2023）川19执107号", "92511922MA6HYTXY6B", "（2022）川19执108号", "92511903MA6XMWQM0A",
            "（2023）川19执112号", "915119008M85FRRN3F");
    /** A party the sample does not hold. */
    static final String NEW_PARTY_CODE = "91511900MA6L7UDG0K";
    static final String NEW_PARTY = "<record><ah>（2024）川19执900号</ah><zxfy>四川省巴中市中级人民法院</zxfy><bzxrmc>巴中市测试商贸有限公司</bzxrmc>"
            + "<bzxrlx>法人或其他组织</bzxrlx><zjhm>" + NEW_PARTY_CODE + "</zjhm><fddbr>崔刚刚</fddbr><yjdw>巴中仲裁委员会</yjdw>"
            + "<yw>支付货款8万元</yw><lxqk>全部未履行</lxqk><sxqx>有履行能力而拒不履行生效法律文书确定义务</sxqx>"
            + "<fbsj>2024-09-05</fbsj><zt>在列</zt></record>\n";

    @LocalServerPort
    int port;

    @Autowired
    SnapshotExitHolds holds;

    @Autowired
    KafkaClients clients;

    @Autowired
    GatewayTopics topics;

    @Autowired
    SnapshotLedger ledger;

    @Autowired
    RecordPublisher publisher;

    @Autowired
    RecordTraces traces;

    @Value("${gateway.lists.snapshot-holds-topic}")
    String holdsTopic;

    static String read(String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String without(String snapshot, String caseNo) {
        String out = snapshot.replaceFirst("(?s)  <record><ah>" + Pattern.quote(caseNo) + "</ah>.*?</record>\\n", "");
        assertThat(out).doesNotContain(caseNo);
        return out;
    }

    static String withDate(String snapshot, String caseNo, String fbsj) {
        Matcher m = Pattern.compile("(?s)(<record><ah>" + Pattern.quote(caseNo) + "</ah>.*?<fbsj>)[^<]*(</fbsj>)").matcher(snapshot);
        assertThat(m.find()).isTrue();
        return snapshot.substring(0, m.start()) + m.group(1) + fbsj + m.group(2) + snapshot.substring(m.end());
    }

    /** The snapshot cut right after the end of its n-th record, as a transfer that broke off would leave it. */
    static String cutAfterRecord(String snapshot, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = snapshot.indexOf("</record>", at + 1);
        }
        return snapshot.substring(0, at + "</record>".length()) + "\n";
    }

    JsonNode post(String snapshot) {
        Http.Response r = Http.post("http://127.0.0.1:" + port + "/api/v1/feeds/ZJFY/defaulters", TestGateway.KEYS.get("ZJFY"),
                snapshot.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/xml");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    boolean listed(String code) {
        return Http.get("http://127.0.0.1:" + port + "/api/v1/subjects/" + code + "/measures", TestGateway.KEYS.get("GGZY"))
                .json().path("entries").size() == 1;
    }

    static List<ReceivedRecord> atProvince(String caseNo) {
        return PROVINCE.records().stream().filter(r -> r.recordId().equals("ZJFY:LIST_ENTRY:" + caseNo)).toList();
    }

    static long exitsAtProvince() {
        return PROVINCE.records().stream().filter(r -> r.recordId().startsWith("ZJFY:"))
                .filter(r -> "EXITED".equals(r.data().get("status"))).count();
    }

    /**
     * The sample snapshot again: every listed party of the sample is (back) on the list, a party an earlier
     * test added has exited, and what the province received has stopped changing.
     */
    void fromTheSample() {
        post(SAMPLE);
        await().atMost(Duration.ofSeconds(60)).until(() -> listed(FIRST_CODE) && listed(FOURTH_CODE) && listed(TENTH_CODE)
                && listed(LAST_BUT_THREE_CODE) && !listed(NEW_PARTY_CODE));
        long[] seen = {-1, 0};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = PROVINCE.records().size();
            seen[1] = now == seen[0] ? seen[1] + 1 : 0;
            seen[0] = now;
            return seen[1] >= 3; // unchanged for 1.5 s: several batch waits of the pipeline
        });
    }

    @Test
    void a_court_snapshot_cut_after_its_sixth_record_exits_nobody_whether_it_comes_over_sftp_or_rest() throws IOException {
        fromTheSample();
        long exitsBefore = exitsAtProvince();
        String cut = cutAfterRecord(SAMPLE, 6);

        SFTP.drop("export/sxbzxr", "SXBZXR_20250311.xml", cut.getBytes(StandardCharsets.UTF_8), true);
        Path receiptFile = SFTP.root().resolve("export/sxbzxr/.done/SXBZXR_20250311.xml.receipt.json");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(receiptFile));
        JsonNode overSftp = JSON.readTree(receiptFile.toFile());
        JsonNode overRest = post(cut);

        for (JsonNode receipt : List.of(overSftp, overRest)) {
            assertThat(receipt.path("rejectedByRule").path("syntax").asLong()).as(receipt.toString()).isEqualTo(1);
            assertThat(receipt.path("exited").asLong()).as(receipt.toString()).isZero();
            assertThat(receipt.path("exitsWithheld").asLong()).as(receipt.toString()).isEqualTo(27); // 31 listed, 4 in the first six
            assertThat(receipt.path("exitsWithheldReason").asText()).startsWith("snapshot-incomplete: syntax error at record 7");
        }
        // nothing exits anywhere: not at the province, not in the list state behind the check API
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> exitsAtProvince() == exitsBefore);
        assertThat(listed(LAST_BUT_THREE_CODE)).isTrue();
        assertThat(listed(TENTH_CODE)).isTrue();
    }

    @Test
    void a_party_whose_row_has_a_bad_date_in_the_next_snapshot_keeps_its_listing_while_a_missing_party_exits() {
        fromTheSample();
        String next = withDate(without(SAMPLE, FIRST), FOURTH, "2024-13-01");

        JsonNode receipt = post(next);
        assertThat(receipt.path("rejectedByRule").path("date").asLong()).isEqualTo(2); // the sample's own bad date, and this one
        assertThat(receipt.path("exited").asLong()).isEqualTo(1);
        assertThat(receipt.path("exitsWithheld").asLong()).isEqualTo(1);
        assertThat(receipt.path("exitsWithheldReason").asText()).contains("rejected-rows");

        await().atMost(Duration.ofSeconds(60)).until(() -> !listed(FIRST_CODE));
        await().atMost(Duration.ofSeconds(60)).until(() -> "EXITED".equals(atProvince(FIRST).get(atProvince(FIRST).size() - 1).data().get("status")));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                atProvince(FOURTH).stream().noneMatch(r -> "EXITED".equals(r.data().get("status"))));
        assertThat(listed(FOURTH_CODE)).isTrue();
    }

    @Test
    void a_party_that_leaves_and_comes_back_twice_on_one_day_gets_a_new_version_each_time_and_a_resent_snapshot_keeps_it_listed() {
        fromTheSample();
        String without = without(SAMPLE, TENTH);
        long before = atProvince(TENTH).stream().map(ReceivedRecord::version).distinct().count();

        assertThat(post(without).path("exited").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> !listed(TENTH_CODE));
        assertThat(post(SAMPLE).path("accepted").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> listed(TENTH_CODE));
        assertThat(post(without).path("exited").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> !listed(TENTH_CODE));
        assertThat(post(SAMPLE).path("accepted").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> listed(TENTH_CODE));

        // the right snapshot sent once more: a re-send, nothing changes
        JsonNode again = post(SAMPLE);
        assertThat(again.path("accepted").asLong()).isZero();
        assertThat(again.path("exited").asLong()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> atProvince(TENTH).stream().map(ReceivedRecord::version).distinct().count() == before + 4);
        assertThat(atProvince(TENTH)).hasSize((int) before + 4);
        assertThat(atProvince(TENTH).get(atProvince(TENTH).size() - 1).data().get("status")).isNotEqualTo("EXITED");
        assertThat(listed(TENTH_CODE)).isTrue();
    }

    static String withoutTheFive(String snapshot) {
        String out = snapshot;
        for (String caseNo : FIVE.keySet()) {
            out = without(out, caseNo);
        }
        return out;
    }

    static String withTheNewParty(String snapshot) {
        return snapshot.replace("</sxbzxrList>", "  " + NEW_PARTY + "</sxbzxrList>");
    }

    SnapshotExitHold holdOf(JsonNode receipt) {
        return holds.pending().stream().filter(h -> h.receiptId().equals(receipt.path("receiptId").asText())).findFirst().orElseThrow();
    }

    @Test
    void a_snapshot_that_would_exit_more_than_a_tenth_of_the_list_is_held_until_an_operator_approves_it() {
        fromTheSample();
        long exitsBefore = exitsAtProvince();

        JsonNode receipt = post(withTheNewParty(withoutTheFive(SAMPLE)));
        assertThat(receipt.path("exited").asLong()).isZero();
        assertThat(receipt.path("exitsWithheld").asLong()).isEqualTo(5);
        String reason = receipt.path("exitsWithheldReason").asText();
        assertThat(reason).startsWith("guard: 5 of 31 members (16 %) > 10 %, hold H-");

        // its listings go through, its exits wait
        await().atMost(Duration.ofSeconds(60)).until(() -> listed(NEW_PARTY_CODE));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> exitsAtProvince() == exitsBefore);
        assertThat(FIVE.values()).allSatisfy(code -> assertThat(listed(code)).as(code).isTrue());

        SnapshotExitHold hold = holdOf(receipt);
        assertThat(reason).endsWith(hold.holdId());
        assertThat(hold.feed()).isEqualTo("zjfy-defaulters");
        assertThat(hold.membersBefore()).isEqualTo(31);
        assertThat(hold.exitCount()).isEqualTo(5);
        assertThat(hold.exits()).extracting(SnapshotExitHold.HeldExit::subjectCode).containsExactlyInAnyOrderElementsOf(FIVE.values());
        assertThat(hold.status()).isEqualTo(SnapshotExitHold.Status.PENDING);

        String metrics = Http.get("http://127.0.0.1:" + port + "/actuator/prometheus", null).body();
        assertThat(metrics).containsPattern("(?m)^gateway_snapshot_exit_holds(\\{[^}]*})? 1\\.0$")
                .containsPattern("gateway_snapshot_exit_holds_opened_total\\{[^}]*feed=\"zjfy-defaulters\"")
                .containsPattern("gateway_snapshot_exits_withheld_total\\{[^}]*reason=\"guard\"");

        // the operators' API: a viewer sees the hold, a viewer may not decide, an admin approves
        Http.Response pending = Http.get(api("/api/v1/lists/snapshot-holds"), TestGateway.VIEWER_KEY);
        assertThat(pending.status()).isEqualTo(200);
        assertThat(pending.json().path("holds").findValuesAsText("holdId")).contains(hold.holdId());
        assertThat(cn.bazhong.credit.gateway.validation.IdNumbers.containsIdNumber(pending.body())).as("a full ID number in a hold").isFalse();
        assertThat(Http.post(api("/api/v1/lists/snapshot-holds/" + hold.holdId() + "/approve"), TestGateway.VIEWER_KEY, new byte[0]).status())
                .isEqualTo(403);
        Http.Response approved = Http.post(api("/api/v1/lists/snapshot-holds/" + hold.holdId() + "/approve"), TestGateway.OPERATOR_KEY,
                new byte[0]);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().path("status").asText()).isEqualTo("APPROVED");
        assertThat(approved.json().path("decidedBy").asText()).isEqualTo("ops");
        await().atMost(Duration.ofSeconds(60)).until(() -> FIVE.values().stream().noneMatch(this::listed));
        await().atMost(Duration.ofSeconds(60)).until(() -> exitsAtProvince() == exitsBefore + 5);
        assertThat(listed(NEW_PARTY_CODE)).isTrue();

        Http.Response again = Http.post(api("/api/v1/lists/snapshot-holds/" + hold.holdId() + "/approve"), TestGateway.OPERATOR_KEY, new byte[0]);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("detail").asText()).contains("approved by ops");
        assertThatThrownBy(() -> holds.approve(hold.holdId(), "ops-li")).isInstanceOf(SnapshotHoldConflictException.class)
                .hasMessageContaining("approved by ops");
        assertThatThrownBy(() -> holds.reject("H-0000000000000000", "ops-li", "no")).isInstanceOf(SnapshotHoldNotFoundException.class);
    }

    private String api(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void a_held_snapshot_that_an_operator_rejects_exits_nobody_and_a_newer_snapshot_supersedes_a_pending_hold() {
        fromTheSample();
        long exitsBefore = exitsAtProvince();
        String withoutFive = withoutTheFive(SAMPLE);

        SnapshotExitHold first = holdOf(post(withoutFive));
        // the same list again (the next morning): the newer snapshot supersedes the pending hold and is compared afresh
        SnapshotExitHold second = holdOf(post(withoutFive));
        assertThat(second.holdId()).isNotEqualTo(first.holdId());
        assertThat(holds.find(first.holdId()).status()).isEqualTo(SnapshotExitHold.Status.SUPERSEDED);
        assertThatThrownBy(() -> holds.approve(first.holdId(), "ops-zhang")).isInstanceOf(SnapshotHoldConflictException.class)
                .hasMessageContaining("superseded");

        Http.Response rejected = Http.post(api("/api/v1/lists/snapshot-holds/" + second.holdId() + "/reject"), TestGateway.OPERATOR_KEY,
                "{\"reason\": \"the court says its export lost five rows\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        assertThat(rejected.json().path("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.json().path("decisionReason").asText()).isEqualTo("the court says its export lost five rows");
        assertThatThrownBy(() -> holds.reject(second.holdId(), "ops-li", "again")).isInstanceOf(SnapshotHoldConflictException.class);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> exitsAtProvince() == exitsBefore);
        assertThat(FIVE.values()).allSatisfy(code -> assertThat(listed(code)).as(code).isTrue());

        // an empty snapshot would exit everybody: held too
        JsonNode empty = post("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sxbzxrList xmlns=\"urn:court:sxbzxr:1\"></sxbzxrList>");
        assertThat(empty.path("exited").asLong()).isZero();
        assertThat(empty.path("exitsWithheldReason").asText()).startsWith("guard: 31 of 31 members (100 %) > 10 %");
        SnapshotExitHold emptyHold = holdOf(empty);

        // the holds outlive the whole cluster: a view rebuilt from the topic alone knows them
        int port = FreePorts.next();
        HazelcastInstance fresh = HazelcastMembers.start("rebuilt-holds-" + port, port, port);
        try (SnapshotExitHolds rebuilt = new SnapshotExitHolds(clients, holdsTopic, topics.partitions(), topics.replicationFactor(),
                fresh, ledger, publisher, traces, Clock.systemUTC(), new SimpleMeterRegistry())) {
            rebuilt.rebuildIfEmpty();
            assertThat(rebuilt.pending()).extracting(SnapshotExitHold::holdId).contains(emptyHold.holdId());
            assertThat(rebuilt.find(second.holdId()).status()).isEqualTo(SnapshotExitHold.Status.REJECTED);
            assertThat(rebuilt.find(first.holdId()).status()).isEqualTo(SnapshotExitHold.Status.SUPERSEDED);
        } finally {
            fresh.shutdown();
        }
        assertThat(listed(LAST_BUT_THREE_CODE)).isTrue();
    }
}
