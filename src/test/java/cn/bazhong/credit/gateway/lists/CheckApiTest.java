package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The clerk's check: list entries that arrive from the tax bureau's topic become list state, and
 * the check API answers the catalog measures that apply to the asking department and matter.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class CheckApiTest {

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final String RED = "91511922MA6TL5RJXL";
    static final String BLACK = "91511903XFWA2JK10D";

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "check-api");
        // the court snapshots here have one or two parties: leaving one out is half the list or all of it,
        // which the exit guard would hold (CourtSnapshotTrustTest tests the guard); here every exit goes through
        registry.add("gateway.lists.snapshot-exit-guard", () -> "1");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
    }

    @AfterAll
    static void stop() {
        PROVINCE.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaClients clients;

    private Http.Response check(String code, String dept, String matter) {
        return Http.get("http://127.0.0.1:" + port + "/api/v1/subjects/" + code + "/measures" + (matter == null ? "" : "?matter=" + matter),
                TestGateway.KEYS.get(dept));
    }

    private void publish(String json) {
        try (KafkaProducer<String, byte[]> producer = clients.producer("swj-test")) {
            producer.send(new ProducerRecord<>("dept.swj.credit", "k", json.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    @Test
    void listed_subjects_get_the_catalog_measures_of_the_asking_department_and_an_exit_ends_them() {
        publish("{\"lx\": \"NSXYA\", \"nsrsbh\": \"" + RED + "\", \"nsrmc\": \"甲公司\", \"pjnd\": \"2025\", \"xyjb\": \"A\","
                + " \"pdrq\": \"20260410\", \"yxqz\": \"20281231\", \"zt\": \"1\"}");
        String black = "{\"lx\": \"ZDSSWF\", \"nsrsbh\": \"" + BLACK + "\", \"nsrmc\": \"乙公司\", \"fddbr\": \"孔洋敏\","
                + " \"fddbrzjhm\": \"511902195009250256\", \"ajxz\": \"偷税\", \"wfss\": \"少缴税款\", \"cljd\": \"巴税稽罚〔2026〕9号\","
                + " \"gbrq\": \"20260718\", \"yxqz\": \"20290717\", \"zt\": \"%s\"}";
        publish(black.formatted("1"));

        await().atMost(Duration.ofSeconds(60)).until(() -> check(BLACK, "GGZY", null).json().path("entries").size() == 1);

        JsonNode green = check(RED, "XZSPJ", "5119-XK-0001").json();
        assertThat(green.path("entries")).singleElement().satisfies(e -> assertThat(e.path("listType").asText()).isEqualTo("TAX_A"));
        assertThat(green.path("measures")).extracting(m -> m.path("measureId").asText()).containsExactly("TAXA-GREEN-CHANNEL");
        assertThat(green.path("measures").get(0).path("legalBasis").asText()).contains("国发〔2016〕33号");

        assertThat(check(BLACK, "GGZY", null).json().path("measures")).extracting(m -> m.path("measureId").asText())
                .containsExactly("MTV-PUBLIC-TRADING");
        assertThat(check(BLACK, "XZSPJ", "5119-XK-0001").json().path("measures")).extracting(m -> m.path("measureId").asText())
                .containsExactly("MTV-STRICT-APPROVAL");
        // the red list gives the court's units nothing, the black list gives incentives to nobody
        assertThat(check(RED, "GGZY", null).json().path("measures")).extracting(m -> m.path("measureId").asText())
                .containsExactly("TAXA-PUBLIC-TRADING-BONUS");

        publish(black.formatted("0"));
        await().atMost(Duration.ofSeconds(60)).until(() -> check(BLACK, "GGZY", null).json().path("entries").isEmpty());
        assertThat(check(BLACK, "GGZY", null).json().path("measures")).isEmpty();
    }

    @Test
    void an_unknown_subject_gets_an_empty_answer_and_a_malformed_code_the_rule_it_broke() {
        JsonNode unknown = check("91110000600037341L", "XZSPJ", null).json();
        assertThat(unknown.path("entries")).isEmpty();
        assertThat(unknown.path("measures")).isEmpty();

        Http.Response badCode = check("91110000600037341M", "XZSPJ", null);
        assertThat(badCode.status()).isEqualTo(400);
        assertThat(badCode.json().path("detail").asText()).contains("uscc-check");
        Http.Response badId = check("110101199001011238", "XZSPJ", null);
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().path("detail").asText()).contains("id-check").doesNotContain("110101199001011238");
        assertThat(Http.get("http://127.0.0.1:" + port + "/api/v1/subjects/91110000600037341L/measures", null).status()).isEqualTo(401);
    }

    static final String COURT_ORG = "91511900MA6L7UDG0K";

    private static String courtSnapshot(boolean withOrg) {
        String org = "<record><ah>（2024）川19执900号</ah><zxfy>四川省巴中市中级人民法院</zxfy><bzxrmc>巴中市测试商贸有限公司</bzxrmc>"
                + "<bzxrlx>法人或其他组织</bzxrlx><zjhm>" + COURT_ORG + "</zjhm><fddbr>崔刚刚</fddbr><yjdw>巴中仲裁委员会</yjdw>"
                + "<yw>支付货款8万元</yw><lxqk>全部未履行</lxqk><sxqx>有履行能力而拒不履行生效法律文书确定义务</sxqx>"
                + "<fbsj>2024-09-05</fbsj><zt>在列</zt></record>";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sxbzxrList xmlns=\"urn:court:sxbzxr:1\">"
                + (withOrg ? org : "") + "</sxbzxrList>";
    }

    private JsonNode postSnapshot(boolean withOrg) {
        Http.Response r = Http.post("http://127.0.0.1:" + port + "/api/v1/feeds/ZJFY/defaulters", TestGateway.KEYS.get("ZJFY"),
                courtSnapshot(withOrg).getBytes(StandardCharsets.UTF_8), "Content-Type", "application/xml");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void a_party_that_comes_back_in_a_later_court_snapshot_is_listed_again_and_a_resent_snapshot_changes_nothing() {
        postSnapshot(true);
        await().atMost(Duration.ofSeconds(60)).until(() -> check(COURT_ORG, "GGZY", null).json().path("entries").size() == 1);

        // the next snapshot leaves the party out: its exit
        assertThat(postSnapshot(false).path("exited").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> check(COURT_ORG, "GGZY", null).json().path("entries").isEmpty());

        // the party is back, with exactly the listing it had: a return, not a re-send of the old listing
        JsonNode back = postSnapshot(true);
        assertThat(back.path("accepted").asLong()).isEqualTo(1);
        assertThat(back.path("duplicates").asLong()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> check(COURT_ORG, "GGZY", null).json().path("entries").size() == 1);

        // the same snapshot sent again is a re-send: nothing new, and the party stays listed
        JsonNode again = postSnapshot(true);
        assertThat(again.path("accepted").asLong()).isZero();
        assertThat(again.path("duplicates").asLong()).isEqualTo(1);
        assertThat(again.path("exited").asLong()).isZero();
        assertThat(check(COURT_ORG, "GGZY", null).json().path("entries")).hasSize(1);
        // listing, exit and return reach the province, one version each
        await().atMost(Duration.ofSeconds(60)).until(() -> PROVINCE.records().stream().filter(rec -> rec.recordId().startsWith("ZJFY:")).count() == 3);
        assertThat(PROVINCE.records().stream().filter(rec -> rec.recordId().startsWith("ZJFY:")).map(rec -> rec.version()).distinct().count())
                .isEqualTo(3);
    }
}
