package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.gateway.validation.OrgCode;
import cn.bazhong.credit.gateway.validation.Uscc;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The check at the counter in one call: a subject's active list entries with the measures the asking
 * department applies, and its penalties and licences of the last three years with source and date; the
 * same for 10,000 codes at once, in order and streamed; every check counted in the supervision report.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class CounterCheckTest {

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final String LISTED = uscc("91511900MA62XQ1B");
    static final String CLEAN = uscc("91511921MA7C1EAN");
    static final String FRESH = uscc("91511923MA7C1EAP");
    static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "counter-check");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        registry.add("gateway.access.departments.TJX[0]", () -> cn.bazhong.credit.gateway.security.ApiKeys.hash(TONGJIANG_KEY));
    }

    /** 通江县人民政府, a county-level unit of the catalog (region 511921). */
    static final String TONGJIANG_KEY = "test-key-tjx";

    @AfterAll
    static void stop() {
        PROVINCE.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaClients clients;

    static String uscc(String first16) {
        String first17 = first16 + OrgCode.checkChar(first16.substring(8));
        return first17 + Uscc.checkChar(first17);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private JsonNode credit(String code, String dept) {
        return creditAs(code, TestGateway.KEYS.get(dept));
    }

    /** A viewer's look (no department: not a check at a counter, not counted) or a department's check. */
    private JsonNode creditAs(String code, String key) {
        Http.Response r = Http.get(url("/api/v1/subjects/" + code + "/credit?matter=5119-XK-0001"), key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static String penalty(String decisionNo, String subject, LocalDate decided) {
        return "{\"CF_WSH\": \"" + decisionNo + "\", \"CF_CFMC\": \"超标排放大气污染物案\", \"CF_CFLB1\": \"罚款\", \"CF_CFLB2\": \"\","
                + " \"CF_SY\": \"超标排放大气污染物\", \"CF_YJ\": \"《中华人民共和国大气污染防治法》第九十九条\", \"CF_XDR_MC\": \"巴中市测试化工有限公司\","
                + " \"CF_XDR_SHXYM\": \"" + subject + "\", \"CF_XDR_ZDM\": \"" + subject.substring(8, 17) + "\", \"CF_XDR_GSDJ\": \"\","
                + " \"CF_XDR_SWDJ\": \"\", \"CF_XDR_SFZ\": \"\", \"CF_FR\": \"韩静\", \"CF_JG\": \"罚款5万元\", \"CF_JDRQ\": \"" + decided.format(DAY)
                + "\", \"CF_XZJG\": \"巴中市生态环境局\", \"CF_ZT\": \"0\", \"DFBM\": \"511900\", \"SJC\": \"" + decided + " 10:00:00\", \"BZ\": \"\"}";
    }

    private static String licence(String decisionNo, String subject, LocalDate decided) {
        String d = decided.format(DateTimeFormatter.ofPattern("yyyy/MM/dd"));
        return "[{\"XK_XDR_MC\": \"巴中市测试化工有限公司\", \"XK_XDR_LB\": \"法人及非法人组织\", \"XK_XDR_SHXYM\": \"" + subject + "\","
                + " \"XK_FRDB\": \"韩静\", \"XK_FR_ZJLX\": \"\", \"XK_FR_ZJHM\": \"\", \"XK_XDR_ZJLX\": \"\", \"XK_XDR_ZJHM\": \"\","
                + " \"XK_XKWS\": \"关于准予道路运输经营许可的决定\", \"XK_WSH\": \"" + decisionNo + "\", \"XK_XKLB\": \"普通\","
                + " \"XK_XKZS\": \"道路运输经营许可证\", \"XK_XKBH\": \"JY" + decisionNo.hashCode() + "\", \"XK_NR\": \"道路普通货物运输\","
                + " \"XK_JDRQ\": \"" + d + "\", \"XK_YXQZ\": \"" + d + "\", \"XK_YXQZI\": \"2099/12/31\", \"XK_XKJG\": \"巴中市行政审批局\","
                + " \"XK_XKJGDM\": \"11511900MB1530038P\", \"XK_ZT\": \"有效\", \"XK_LYDW\": \"巴中市行政审批局\","
                + " \"XK_LYDWDM\": \"11511900MB1530038P\", \"BZ\": \"\"}]";
    }

    private void push(String dept, String feed, String body, String contentType) {
        Http.Response r = Http.post(url("/api/v1/feeds/" + dept + "/" + feed), TestGateway.KEYS.get(dept.toUpperCase()),
                body.getBytes(StandardCharsets.UTF_8), "Content-Type", contentType);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("rejected")).as(r.body()).isEmpty();
    }

    private void listMajorTaxViolation(String subject) {
        String json = "{\"lx\": \"ZDSSWF\", \"nsrsbh\": \"" + subject + "\", \"nsrmc\": \"巴中市测试化工有限公司\", \"fddbr\": \"韩静\","
                + " \"ajxz\": \"偷税\", \"wfss\": \"少缴税款\", \"cljd\": \"巴税稽罚〔2026〕31号\", \"gbrq\": \"20260718\", \"yxqz\": \"20290717\", \"zt\": \"1\"}";
        try (KafkaProducer<String, byte[]> producer = clients.producer("swj-counter-test")) {
            producer.send(new ProducerRecord<>("dept.swj.credit", "k", json.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    @Test
    void one_call_answers_entries_measures_and_three_years_of_penalties_and_licences_with_source_and_date() {
        LocalDate today = LocalDate.now();
        LocalDate recent = today.minusYears(1);
        LocalDate old = today.minusYears(3).minusDays(30);
        push("ssthjj", "penalties", penalty("巴环罚〔2025〕711号", LISTED, recent) + "\n" + penalty("巴环罚〔2023〕712号", LISTED, old),
                "application/x-ndjson");
        push("xzspj", "licences", licence("巴审批许〔2024〕713号", LISTED, today.minusYears(2)), "application/json");
        push("xzspj", "licences", licence("巴审批许〔2024〕714号", CLEAN, today.minusMonths(3)), "application/json");
        push("xzspj", "licences", licence("巴审批许〔2026〕715号", FRESH, today), "application/json");
        listMajorTaxViolation(LISTED);

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode a = creditAs(LISTED, TestGateway.VIEWER_KEY);
            return a.path("entries").size() == 1 && a.path("penalties").size() == 1 && a.path("licences").size() == 1;
        });
        JsonNode answer = credit(LISTED, "GGZY");
        assertThat(answer.path("subject").asText()).isEqualTo(LISTED);
        assertThat(answer.path("entries").get(0).path("listType").asText()).isEqualTo("MAJOR_TAX_VIOLATION");
        assertThat(answer.path("entries").get(0).path("region").asText()).isEqualTo("511900");
        assertThat(answer.path("measures")).extracting(m -> m.path("measureId").asText()).containsExactly("MTV-PUBLIC-TRADING");
        JsonNode penalty = answer.path("penalties").get(0);
        assertThat(penalty.path("decisionNo").asText()).isEqualTo("巴环罚〔2025〕711号"); // the one of 3 years and a month ago is not answered
        assertThat(penalty.path("decisionDate").asText()).isEqualTo(recent.toString());
        assertThat(penalty.path("summary").asText()).contains("罚款");
        assertThat(penalty.path("source").path("department").asText()).isEqualTo("SSTHJJ");
        assertThat(penalty.path("source").path("authority").asText()).isEqualTo("巴中市生态环境局");
        assertThat(penalty.path("source").path("receivedAt").asText()).isNotBlank();
        JsonNode licence = answer.path("licences").get(0);
        assertThat(licence.path("decisionNo").asText()).isEqualTo("巴审批许〔2024〕713号");
        assertThat(licence.path("source").path("department").asText()).isEqualTo("XZSPJ");
        assertThat(answer.path("records").path("years").asInt()).isEqualTo(3);
        assertThat(answer.path("records").path("adverseRecord").asBoolean()).isTrue();

        // 连续三年无不良信用记录: a subject with a licence only has no adverse record
        await().atMost(Duration.ofSeconds(60)).until(() -> creditAs(CLEAN, TestGateway.VIEWER_KEY).path("licences").size() == 1);
        JsonNode clean = credit(CLEAN, "XZSPJ");
        assertThat(clean.path("entries")).isEmpty();
        assertThat(clean.path("penalties")).isEmpty();
        assertThat(clean.path("records").path("adverseRecord").asBoolean()).isFalse();
        assertThat(clean.path("records").path("complete").asBoolean()).isTrue();

        // the batch: 10,000 codes answered in their order, streamed, a broken code answered where it stands
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            codes.add(i == 17 ? LISTED : i == 4321 ? "91110000600037341M" : uscc("91511922" + String.format("%08d", i)));
        }
        StringBuilder body = new StringBuilder();
        codes.forEach(c -> body.append("{\"code\": \"").append(c).append("\"}\n"));
        HttpResponse<java.util.stream.Stream<String>> batch = postLines("/api/v1/subjects/check?matter=5119-XK-0001", "GGZY", body.toString());
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(batch.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        assertThat(batch.headers().firstValue("Content-Length")).as("answers are streamed, not buffered whole").isEmpty();
        List<JsonNode> lines = batch.body().map(CounterCheckTest::json).toList();
        assertThat(lines).hasSize(10_000);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i).path("line").asInt()).isEqualTo(i + 1);
            if (i != 4321) {
                assertThat(lines.get(i).path("subject").asText()).isEqualTo(codes.get(i));
            }
        }
        assertThat(lines.get(17).path("measures")).extracting(m -> m.path("measureId").asText()).containsExactly("MTV-PUBLIC-TRADING");
        assertThat(lines.get(17).path("penalties")).hasSize(1);
        assertThat(lines.get(18).path("entries")).isEmpty();
        assertThat(lines.get(4321).path("error").path("rule").asText()).isEqualTo("uscc-check");

        // an operator looking on GGZY's behalf gets GGZY's measures, and is no check of GGZY's counter
        Http.Response onBehalf = Http.get(url("/api/v1/subjects/" + LISTED + "/credit?department=GGZY"), TestGateway.OPERATOR_KEY);
        assertThat(onBehalf.json().path("measures")).extracting(m -> m.path("measureId").asText()).containsExactly("MTV-PUBLIC-TRADING");

        // every department's check is counted for the supervision report (a viewer's look is not): GGZY made one
        // single check and 9,999 in the batch (the broken code is no check), two of them hits; XZSPJ one, no hit
        await().atMost(Duration.ofSeconds(30)).until(() -> line("GGZY").path("checks").asLong() >= 10_000);
        JsonNode ggzy = line("GGZY");
        assertThat(ggzy.path("checks").asLong()).isEqualTo(1 + 9_999);
        assertThat(ggzy.path("checkHits").asLong()).isEqualTo(2);
        assertThat(ggzy.path("measuresApplied").asLong()).isEqualTo(2);
        assertThat(line("XZSPJ").path("checks").asLong()).isEqualTo(1);
        assertThat(line("XZSPJ").path("checkHits").asLong()).isZero();

        // 双公示 timeliness: working days from decision to receipt, over 7 late (both penalties, two of the three licences)
        assertThat(line("SSTHJJ").path("published").asLong()).isEqualTo(2);
        assertThat(line("SSTHJJ").path("publishedLate").asLong()).isEqualTo(2);
        assertThat(line("XZSPJ").path("published").asLong()).isEqualTo(3);
        assertThat(line("XZSPJ").path("publishedLate").asLong()).isEqualTo(2);
        assertThat(line("XZSPJ").path("publicationWorkingDays").asDouble()).isGreaterThan(100);
        // and to the province's acceptance (the simulated province accepts on the day it receives)
        await().atMost(Duration.ofSeconds(30)).until(() -> line("XZSPJ").path("provinceAccepted").asLong() == 3
                && line("SSTHJJ").path("provinceAccepted").asLong() == 2);
        assertThat(line("XZSPJ").path("provinceAcceptedLate").asLong()).isEqualTo(2);
        assertThat(line("SSTHJJ").path("provinceAcceptedLate").asLong()).isEqualTo(2);
        // the three licences, decided two years, three months and zero days ago (the test's gateway declares no holidays)
        double expected = (weekdaysAfter(today.minusYears(2), today) + weekdaysAfter(today.minusMonths(3), today) + 0) / 3.0;
        assertThat(line("XZSPJ").path("provinceWorkingDays").asDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.001));
        assertThat(region("511900").path("provinceAccepted").asLong()).isGreaterThanOrEqualTo(5);
        String csv = Http.get(url("/api/v1/supervision/departments?format=csv"), TestGateway.VIEWER_KEY).body();
        assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",provinceAccepted,provinceAcceptedLate,provinceWorkingDays");
        assertThat(csv.lines().filter(l -> l.startsWith("XZSPJ,")).findFirst().orElseThrow())
                .endsWith("," + 3 + "," + 2 + "," + String.format(java.util.Locale.ROOT, "%.4f", expected));
        String metrics = Http.get(url("/actuator/prometheus"), null).body();
        assertThat(metrics).contains("gateway_publication_late_total{department=\"XZSPJ\"} 2.0")
                .contains("gateway_publication_working_days_count{department=\"XZSPJ\"} 3")
                .contains("gateway_publication_province_late_total{department=\"XZSPJ\",region=\"511900\"} 2.0")
                .contains("gateway_publication_province_working_days_count{department=\"SSTHJJ\",region=\"511900\"} 2");

        // a county's unit checks with its own key and gets its own measures; the report shows the county apart
        JsonNode county = creditAs(LISTED, TONGJIANG_KEY);
        assertThat(county.path("department").asText()).isEqualTo("TJX");
        assertThat(county.path("measures")).extracting(m -> m.path("measureId").asText())
                .containsExactly("MTV-STRICT-APPROVAL", "MTV-FISCAL-FUNDS", "MTV-HONOURS", "MTV-KEY-SUPERVISION");
        await().atMost(Duration.ofSeconds(30)).until(() -> region("511921").path("checks").asLong() == 1);
        assertThat(region("511921").path("departments")).extracting(JsonNode::asText).containsExactly("TJX");
        assertThat(region("511921").path("checkHits").asLong()).isEqualTo(1);
        assertThat(region("511900").path("checks").asLong()).isEqualTo(1 + 9_999 + 1);
    }

    /** Monday-to-Friday days after {@code start} up to and including {@code end}. */
    private static int weekdaysAfter(LocalDate start, LocalDate end) {
        int n = 0;
        for (LocalDate d = start.plusDays(1); !d.isAfter(end); d = d.plusDays(1)) {
            n += d.getDayOfWeek().getValue() <= 5 ? 1 : 0;
        }
        return n;
    }

    private JsonNode region(String code) {
        JsonNode report = Http.get(url("/api/v1/supervision/departments"), TestGateway.VIEWER_KEY).json();
        for (JsonNode l : report.path("regions")) {
            if (l.path("region").asText().equals(code)) {
                return l;
            }
        }
        return JSON.createObjectNode();
    }

    private JsonNode line(String department) {
        JsonNode report = Http.get(url("/api/v1/supervision/departments"), TestGateway.VIEWER_KEY).json();
        for (JsonNode l : report.path("departments")) {
            if (l.path("department").asText().equals(department)) {
                return l;
            }
        }
        return JSON.createObjectNode();
    }

    private static String commitment(String number, String subject, LocalDate committed, LocalDate deadline, String status, LocalDate closed) {
        DateTimeFormatter d = DateTimeFormatter.ofPattern("yyyy/MM/dd");
        return "{\"CN_BH\": \"" + number + "\", \"CN_XDR_MC\": \"巴中市承诺测试有限公司\", \"CN_XDR_LB\": \"法人及非法人组织\","
                + " \"CN_XDR_SHXYM\": \"" + subject + "\", \"CN_FRDB\": \"周敏\", \"CN_SXBM\": \"5119-XK-0001\", \"CN_SXMC\": \"道路运输经营许可\","
                + " \"CN_NR\": \"补交车辆技术等级评定报告\", \"CN_CNRQ\": \"" + committed.format(d) + "\", \"CN_LYQX\": \"" + deadline.format(d) + "\","
                + " \"CN_ZT\": \"" + status + "\", \"CN_LYRQ\": \"" + (closed == null ? "" : closed.format(d)) + "\"}";
    }

    private JsonNode overdue(String key, String query) {
        Http.Response r = Http.get(url("/api/v1/commitments/overdue" + query), key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void a_commitment_still_open_after_its_deadline_is_a_negative_record_of_the_check_and_overdue_for_the_accepting_unit() {
        String lapsed = uscc("91511900MA7CN001");
        String later = uscc("91511900MA7CN002");
        String kept = uscc("91511900MA7CN003");
        LocalDate today = LocalDate.now();
        push("xzspj", "commitments", "[" + commitment("巴审批容缺〔2026〕901号", lapsed, today.minusDays(40), today.minusDays(10), "履约中", null)
                + ", " + commitment("巴审批容缺〔2026〕902号", later, today.minusDays(5), today.plusDays(20), "履约中", null)
                + ", " + commitment("巴审批容缺〔2026〕903号", kept, today.minusDays(40), today.minusDays(10), "已履约", today.minusDays(12))
                + "]", "application/json");

        await().atMost(Duration.ofSeconds(60)).until(() -> creditAs(kept, TestGateway.VIEWER_KEY).path("commitments").size() == 1);
        // open the day after its deadline: broken, a negative record with its source and dates
        JsonNode broken = creditAs(lapsed, TestGateway.VIEWER_KEY);
        JsonNode c = broken.path("commitments").get(0);
        assertThat(c.path("status").asText()).as(broken.toString()).isEqualTo("BROKEN");
        assertThat(c.path("adverse").asBoolean()).isTrue();
        assertThat(c.path("deadline").asText()).isEqualTo(today.minusDays(10).toString());
        assertThat(c.path("brokenOn").asText()).isEqualTo(today.minusDays(9).toString());
        assertThat(c.path("number").asText()).isEqualTo("巴审批容缺〔2026〕901号");
        assertThat(c.path("source").path("department").asText()).isEqualTo("XZSPJ");
        assertThat(c.path("source").path("acceptedBy").asText()).isEqualTo("巴中市行政审批局");
        assertThat(c.path("source").path("receivedAt").asText()).isNotBlank();
        assertThat(broken.path("records").path("adverseRecord").asBoolean()).isTrue();
        // kept in time: no adverse record
        JsonNode fulfilled = creditAs(kept, TestGateway.VIEWER_KEY);
        assertThat(fulfilled.path("commitments").get(0).path("status").asText()).isEqualTo("FULFILLED");
        assertThat(fulfilled.path("records").path("adverseRecord").asBoolean()).isFalse();
        // still within its deadline: open; then the bureau's later record says it was broken
        JsonNode open = creditAs(later, TestGateway.VIEWER_KEY);
        assertThat(open.path("commitments").get(0).path("status").asText()).isEqualTo("OPEN");
        assertThat(open.path("records").path("adverseRecord").asBoolean()).isFalse();
        push("xzspj", "commitments", "[" + commitment("巴审批容缺〔2026〕902号", later, today.minusDays(5), today.plusDays(20), "未履约", today)
                + "]", "application/json");
        await().atMost(Duration.ofSeconds(60)).until(() -> "BROKEN".equals(
                creditAs(later, TestGateway.VIEWER_KEY).path("commitments").path(0).path("status").asText()));
        assertThat(creditAs(later, TestGateway.VIEWER_KEY).path("records").path("adverseRecord").asBoolean()).isTrue();

        // the accepting unit (XZSPJ) sees the one open after its deadline; another department none; operators all
        await().atMost(Duration.ofSeconds(30)).until(() -> overdue(TestGateway.KEYS.get("XZSPJ"), "").path("count").asInt() >= 1);
        JsonNode own = overdue(TestGateway.KEYS.get("XZSPJ"), "");
        assertThat(own.path("commitments")).extracting(r -> r.path("number").asText()).containsExactly("巴审批容缺〔2026〕901号");
        assertThat(own.path("commitments").get(0).path("daysOverdue").asInt()).isEqualTo(10);
        assertThat(own.path("commitments").get(0).path("subject").asText()).isEqualTo(lapsed);
        assertThat(overdue(TestGateway.KEYS.get("GGZY"), "").path("commitments")).isEmpty();
        assertThat(overdue(TestGateway.VIEWER_KEY, "?department=XZSPJ").path("count").asInt()).isEqualTo(1);
        assertThat(Http.get(url("/api/v1/commitments/overdue?department=XZSPJ"), TestGateway.KEYS.get("GGZY")).status()).isEqualTo(403);
        assertThat(Http.get(url("/api/v1/commitments/overdue"), TestGateway.PROVINCE_KEY).status()).isEqualTo(403);
    }

    @Test
    void a_name_only_legal_representative_is_answered_with_the_organisation_and_by_name_with_its_code_never_by_name_alone() {
        String org = uscc("91511900MA7FD001");
        String json = "{\"lx\": \"ZDSSWF\", \"nsrsbh\": \"" + org + "\", \"nsrmc\": \"巴中市名义测试有限公司\", \"fddbr\": \"周 敏\","
                + " \"ajxz\": \"偷税\", \"wfss\": \"少缴税款\", \"cljd\": \"巴税稽罚〔2026〕77号\", \"gbrq\": \"20260718\", \"yxqz\": \"20290717\", \"zt\": \"1\"}";
        try (KafkaProducer<String, byte[]> producer = clients.producer("swj-name-only-test")) {
            producer.send(new ProducerRecord<>("dept.swj.credit", "k", json.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> creditAs(org, TestGateway.VIEWER_KEY).path("entries").size() == 1);

        // asked about the organisation: the entry names its legal representative, flagged name-only
        JsonNode person = creditAs(org, TestGateway.VIEWER_KEY).path("entries").get(0).path("persons").get(0);
        assertThat(person.path("role").asText()).isEqualTo("LEGAL_REP");
        assertThat(person.path("name").asText()).isEqualTo("周 敏");
        assertThat(person.path("nameOnly").asBoolean()).isTrue();
        assertThat(person.has("idNumber")).isFalse();

        // by name and the organisation's code: the link, and the measures that reach such persons (here SCJGJ's)
        Http.Response byName = Http.get(url("/api/v1/subjects/" + org + "/persons?name=%E5%91%A8%E6%95%8F&department=SCJGJ"),
                TestGateway.OPERATOR_KEY);
        assertThat(byName.status()).as(byName.body()).isEqualTo(200);
        JsonNode match = byName.json().path("matches").get(0);
        assertThat(match.path("nameOnly").asBoolean()).isTrue();
        assertThat(match.path("entry").path("listType").asText()).isEqualTo("MAJOR_TAX_VIOLATION");
        assertThat(byName.json().path("measures")).extracting(m -> m.path("measureId").asText()).contains("MTV-LEGAL-REP-POSITIONS");
        // another organisation, or another name: nothing
        assertThat(Http.get(url("/api/v1/subjects/" + CLEAN + "/persons?name=%E5%91%A8%E6%95%8F"), TestGateway.VIEWER_KEY).json()
                .path("matches")).isEmpty();
        assertThat(Http.get(url("/api/v1/subjects/" + org + "/persons?name=%E9%9F%A9%E9%9D%99"), TestGateway.VIEWER_KEY).json()
                .path("matches")).isEmpty();
        // never by a name alone: no name, or a name where a code belongs, is refused
        assertThat(Http.get(url("/api/v1/subjects/" + org + "/persons"), TestGateway.VIEWER_KEY).status()).isEqualTo(400);
        assertThat(Http.get(url("/api/v1/subjects/%E5%91%A8%E6%95%8F/credit"), TestGateway.VIEWER_KEY).status()).isEqualTo(400);
        assertThat(Http.get(url("/api/v1/subjects/%E5%91%A8%E6%95%8F/persons?name=%E5%91%A8%E6%95%8F"), TestGateway.VIEWER_KEY).status())
                .isEqualTo(400);
    }

    @Test
    void a_batch_over_ten_thousand_codes_or_with_a_line_that_is_not_a_code_is_refused_whole() {
        StringBuilder tooMany = new StringBuilder();
        for (int i = 0; i <= 10_000; i++) {
            tooMany.append('"').append(CLEAN).append("\"\n");
        }
        Http.Response refused = Http.post(url("/api/v1/subjects/check"), TestGateway.KEYS.get("GGZY"),
                tooMany.toString().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/x-ndjson");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("line").asInt()).isEqualTo(10_001);
        assertThat(refused.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");

        Http.Response broken = Http.post(url("/api/v1/subjects/check"), TestGateway.KEYS.get("GGZY"),
                ("{\"code\": \"" + CLEAN + "\"}\n{\"id\": 1}\n").getBytes(StandardCharsets.UTF_8), "Content-Type", "application/x-ndjson");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().path("line").asInt()).isEqualTo(2);
        assertThat(Http.post(url("/api/v1/subjects/check"), null, new byte[0]).status()).isEqualTo(401);
        assertThat(Http.post(url("/api/v1/subjects/check"), TestGateway.PROVINCE_KEY, new byte[0]).status()).isEqualTo(403);
    }

    @Test
    void a_person_in_a_batch_is_answered_masked_and_written_to_the_access_log_once() {
        String id = "511902198506150022";
        // an ID number that is a valid credit code too (about one in three hundred is): still a person, masked
        String alsoACreditCode = "511902198508176824";
        HttpResponse<java.util.stream.Stream<String>> batch = postLines("/api/v1/subjects/check?matter=5119-XK-0002", "XZSPJ",
                "\"" + CLEAN + "\"\n\"" + id + "\"\n\"" + alsoACreditCode + "\"\n");
        List<String> raw = batch.body().toList();
        assertThat(String.join("\n", raw)).doesNotContain(id).doesNotContain(alsoACreditCode);
        assertThat(json(raw.get(1)).path("subject").asText()).isEqualTo("511902********0022");
        assertThat(json(raw.get(2)).path("subject").asText()).isEqualTo("511902********6824");
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url("/api/v1/audit?subject=" + alsoACreditCode), TestGateway.OPERATOR_KEY)
                .json().path("entries").size() == 1);
        assertThat(Http.get(url("/api/v1/audit?subject=" + alsoACreditCode), TestGateway.OPERATOR_KEY).body()).doesNotContain(alsoACreditCode);

        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url("/api/v1/audit?subject=" + id), TestGateway.OPERATOR_KEY).json()
                .path("entries").size() == 1);
        JsonNode entry = Http.get(url("/api/v1/audit?subject=" + id), TestGateway.OPERATOR_KEY).json().path("entries").get(0);
        assertThat(entry.path("endpoint").asText()).isEqualTo("POST /api/v1/subjects/check");
        assertThat(entry.path("purpose").asText()).isEqualTo("matter 5119-XK-0002");
        assertThat(entry.toString()).doesNotContain(id);
    }

    private HttpResponse<java.util.stream.Stream<String>> postLines(String path, String dept, String body) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + TestGateway.KEYS.get(dept)).header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
