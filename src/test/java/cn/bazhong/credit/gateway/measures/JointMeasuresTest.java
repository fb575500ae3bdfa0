package cn.bazhong.credit.gateway.measures;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.FanoutFixtures;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.MutableClock;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.gateway.support.WebhookReceivers;
import cn.bazhong.credit.gateway.publication.PublicationItems;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import cn.bazhong.credit.simulators.website.DemoCreditWebsite;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 发起 → 响应 → 执行反馈 → 撤销: a listing initiates the catalog's measures at each implementing unit,
 * which responds and reports execution through the API; the exit cancels the initiation everywhere it
 * was sent. Every unhappy answer is refused with its reason: another department's initiation, an
 * unknown one, a changed response, feedback on a measure not initiated, anything after cancellation;
 * repeats are recognised; missed deadlines show as overdue.
 */
@SpringBootTest(classes = {GatewayApplication.class, JointMeasuresTest.TestClock.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JointMeasuresTest {

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final WebhookReceivers HOOKS = new WebhookReceivers();
    static final String WEBSITE_SECRET = "whsec_l5F0al/cQMqmmgCTQvGqYJifFBrJOpNa";
    /** The city credit website (信用巴中), as the local demo simulates it: checks signatures, keeps the items. */
    static final DemoCreditWebsite WEBSITE = DemoCreditWebsite.start(0, WEBSITE_SECRET);
    static final MutableClock CLOCK = new MutableClock(ZoneId.of("Asia/Shanghai"));
    static final String RED = "91511922MA6TL5RJXL";
    static final String RED2 = "91511921MA6H6AXA5T";
    static final String RED3 = "91511900MA6FJU8R9L";
    static final String NEVER_LISTED = "91511900MA6L7UDG0K";
    static final String XZSPJ = "XZSPJ";
    static final String GGZY = "GGZY";

    @TestConfiguration
    static class TestClock {
        @Bean
        @Primary
        Clock movableClock() {
            return CLOCK;
        }
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) throws IOException {
        TestGateway.register(registry, "measures");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        Path subscriptions = Files.createTempFile("subscriptions-", ".yaml");
        // the shipped catalog: XZSPJ applies TAXA-GREEN-CHANNEL, GGZY TAXA-PUBLIC-TRADING-BONUS to A-level taxpayers
        Files.writeString(subscriptions, "subscriptions:\n" + FanoutFixtures.webhooks(HOOKS, List.of(XZSPJ, GGZY, "SCJGJ"),
                d -> "    retry: { maxAttempts: 50, initialBackoff: 200ms, maxBackoff: 1s }\n"));
        registry.add("gateway.fanout.enabled", () -> "true");
        registry.add("gateway.fanout.subscriptions-file", subscriptions::toString);
        registry.add("gateway.fanout.attempt-timeout", () -> "2s");
        registry.add("gateway.publication.enabled", () -> "true");
        registry.add("gateway.publication.url", () -> WEBSITE.messagesUri().toString());
        registry.add("gateway.publication.secrets[0]", () -> WEBSITE_SECRET);
        registry.add("gateway.publication.attempt-timeout", () -> "2s");
        registry.add("gateway.publication.retry.max-attempts", () -> "1000");
        registry.add("gateway.publication.retry.initial-backoff", () -> "200ms");
        registry.add("gateway.publication.retry.max-backoff", () -> "1s");
    }

    @AfterAll
    static void stop() {
        HOOKS.close();
        PROVINCE.close();
        WEBSITE.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaClients clients;

    private void taxA(String uscc, String zt) {
        String json = "{\"lx\": \"NSXYA\", \"nsrsbh\": \"" + uscc + "\", \"nsrmc\": \"纳税人" + uscc.substring(14) + "\", \"pjnd\": \"2025\","
                + " \"xyjb\": \"A\", \"pdrq\": \"20260410\", \"yxqz\": \"20281231\", \"zt\": \"" + zt + "\"}";
        try (KafkaProducer<String, byte[]> producer = clients.producer("swj-test")) {
            producer.send(new ProducerRecord<>("dept.swj.credit", uscc, json.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    private Http.Response post(String path, String dept, String json) {
        String key = dept == null ? TestGateway.OPERATOR_KEY : TestGateway.KEYS.get(dept);
        return Http.post("http://127.0.0.1:" + port + path, key, json.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    }

    private Http.Response get(String path, String dept) {
        return Http.get("http://127.0.0.1:" + port + path, dept == null ? TestGateway.OPERATOR_KEY : TestGateway.KEYS.get(dept));
    }

    /**
     * The events a department took about a subject, once per event id, as its system counts them: a delivery
     * retried after a slow answer brings the same id again (at least once, docs/fanout.md).
     */
    private static List<JsonNode> events(String dept, String uscc) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return HOOKS.received(dept).stream().map(WebhookReceivers.Received::body)
                .filter(b -> uscc.equals(b.path("subject").path("uscc").asText()))
                .filter(b -> seen.add(b.path("id").asText())).toList();
    }

    private static List<cn.bazhong.credit.simulators.province.ReceivedRecord> feedbackAtProvince(String initiationId) {
        return PROVINCE.records().stream().filter(r -> r.dataset().equals("MEASURE_FEEDBACK"))
                .filter(r -> r.recordId().contains(initiationId)).toList();
    }

    private static String initiationOf(String dept, String uscc) {
        return events(dept, uscc).stream().filter(b -> b.path("type").asText().equals("measure.initiated")).findFirst()
                .orElseThrow().path("initiationId").asText();
    }

    @Test
    @Order(1)
    void a_listing_initiates_the_catalog_measures_at_each_implementing_unit_after_the_list_event() {
        taxA(RED, "1");
        await().atMost(Duration.ofSeconds(60)).until(() -> events(XZSPJ, RED).size() == 2 && events(GGZY, RED).size() == 2);

        List<JsonNode> xzspj = events(XZSPJ, RED);
        assertThat(xzspj).extracting(b -> b.path("type").asText()).containsExactly("list.entry.listed", "measure.initiated");
        JsonNode initiated = xzspj.get(1);
        assertThat(initiated.path("initiationId").asText()).startsWith("ini_");
        assertThat(initiated.path("measures")).extracting(m -> m.path("measureId").asText()).containsExactly("TAXA-GREEN-CHANNEL");
        assertThat(initiated.path("measures").get(0).path("legalBasis").asText()).isNotBlank();
        assertThat(initiated.path("responseDue").asText()).isNotBlank();
        assertThat(events(GGZY, RED).get(1).path("measures")).extracting(m -> m.path("measureId").asText())
                .containsExactly("TAXA-PUBLIC-TRADING-BONUS");
        assertThat(initiationOf(GGZY, RED)).isNotEqualTo(initiated.path("initiationId").asText());
        assertThat(HOOKS.received(XZSPJ)).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());

        JsonNode mine = get("/api/v1/initiations", XZSPJ).json().path("initiations");
        assertThat(mine).singleElement().satisfies(i -> {
            assertThat(i.path("initiationId").asText()).isEqualTo(initiated.path("initiationId").asText());
            assertThat(i.path("status").asText()).isEqualTo("INITIATED");
            assertThat(i.path("subject").asText()).isEqualTo(RED);
        });
    }

    @Test
    @Order(2)
    void only_the_department_addressed_may_answer_and_unknown_or_malformed_answers_are_refused() {
        String id = initiationOf(XZSPJ, RED);
        Http.Response other = post("/api/v1/initiations/" + id + "/responses", GGZY, "{\"status\": \"ACKNOWLEDGED\"}");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json().path("detail").asText()).contains("addressed to XZSPJ");
        assertThat(get("/api/v1/initiations/" + id, GGZY).status()).isEqualTo(403);
        assertThat(post("/api/v1/initiations/" + id + "/responses", null, "{\"status\": \"ACKNOWLEDGED\"}").status()).isEqualTo(403);
        assertThat(post("/api/v1/initiations/ini_unknown/feedback", XZSPJ,
                "{\"measureId\": \"TAXA-GREEN-CHANNEL\", \"result\": \"APPLIED\"}").status()).isEqualTo(404);
        assertThat(post("/api/v1/initiations/" + id + "/responses", XZSPJ, "{\"status\": \"MAYBE\"}").status()).isEqualTo(400);
        assertThat(post("/api/v1/initiations/" + id + "/responses", XZSPJ, "{\"status\": \"NOT_APPLICABLE\"}").json()
                .path("detail").asText()).contains("reason");
        assertThat(Http.post("http://127.0.0.1:" + port + "/api/v1/initiations/" + id + "/responses", null, new byte[0]).status())
                .isEqualTo(401);
    }

    @Test
    @Order(3)
    void a_response_and_feedback_are_recorded_once_and_a_changed_response_is_a_conflict() {
        String id = initiationOf(XZSPJ, RED);
        Http.Response ack = post("/api/v1/initiations/" + id + "/responses", XZSPJ, "{\"status\": \"ACKNOWLEDGED\"}");
        assertThat(ack.status()).as(ack.body()).isEqualTo(200);
        assertThat(ack.json().path("status").asText()).isEqualTo("RESPONDED");
        assertThat(post("/api/v1/initiations/" + id + "/responses", XZSPJ, "{\"status\": \"ACKNOWLEDGED\"}").status()).isEqualTo(200);
        Http.Response changed = post("/api/v1/initiations/" + id + "/responses", XZSPJ,
                "{\"status\": \"NOT_APPLICABLE\", \"reason\": \"changed our mind\"}");
        assertThat(changed.status()).isEqualTo(409);

        Http.Response wrongMeasure = post("/api/v1/initiations/" + id + "/feedback", XZSPJ,
                "{\"measureId\": \"TAXA-XINYI\", \"result\": \"APPLIED\", \"matter\": \"5119-XK-0001\", \"appliedAt\": \"2026-11-27\"}");
        assertThat(wrongMeasure.status()).isEqualTo(400);
        assertThat(wrongMeasure.json().path("detail").asText()).contains("TAXA-XINYI").contains("not part of");

        String applied = "{\"measureId\": \"TAXA-GREEN-CHANNEL\", \"result\": \"APPLIED\", \"matter\": \"5119-XK-0001\","
                + " \"appliedAt\": \"2026-11-27\", \"basis\": \"容缺受理\", \"note\": \"申请材料缺一项，承诺补交\"}";
        Http.Response first = post("/api/v1/initiations/" + id + "/feedback", XZSPJ, applied);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("duplicate").asBoolean()).isFalse();
        assertThat(first.json().path("status").asText()).isEqualTo("COMPLETED");
        Http.Response again = post("/api/v1/initiations/" + id + "/feedback", XZSPJ, applied);
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(again.json().path("feedback")).hasSize(1);

        // passed on to the province as MEASURE_FEEDBACK, once
        await().atMost(Duration.ofSeconds(60)).until(() -> feedbackAtProvince(id).size() == 1);
        cn.bazhong.credit.simulators.province.ReceivedRecord up = feedbackAtProvince(id).get(0);
        assertThat(up.recordId()).isEqualTo("XZSPJ:MEASURE_FEEDBACK:" + id + ":TAXA-GREEN-CHANNEL:5119-XK-0001");
        assertThat(up.data()).containsEntry("result", "APPLIED").containsEntry("matter", "5119-XK-0001")
                .containsEntry("appliedAt", "2026-11-27").containsEntry("implementingUnit", "XZSPJ");
    }

    @Test
    @Order(4)
    void the_exit_cancels_the_initiation_at_every_unit_that_received_it_and_later_answers_are_refused() {
        String xzspj = initiationOf(XZSPJ, RED);
        String ggzy = initiationOf(GGZY, RED);
        taxA(RED, "0"); // withdrawn by the tax bureau
        await().atMost(Duration.ofSeconds(60)).until(() -> events(XZSPJ, RED).size() == 4 && events(GGZY, RED).size() == 4);

        assertThat(events(XZSPJ, RED)).extracting(b -> b.path("type").asText())
                .containsExactly("list.entry.listed", "measure.initiated", "list.entry.exited", "measure.cancelled");
        assertThat(events(XZSPJ, RED).get(3).path("initiationId").asText()).isEqualTo(xzspj);
        assertThat(events(GGZY, RED).get(3).path("initiationId").asText()).isEqualTo(ggzy);
        assertThat(get("/api/v1/initiations/" + xzspj, XZSPJ).json().path("status").asText()).isEqualTo("CANCELLED");

        assertThat(post("/api/v1/initiations/" + xzspj + "/feedback", XZSPJ,
                "{\"measureId\": \"TAXA-GREEN-CHANNEL\", \"result\": \"APPLIED\", \"matter\": \"5119-XK-0002\"}").status()).isEqualTo(409);
        assertThat(feedbackAtProvince(xzspj)).hasSize(1);
        Http.Response late = post("/api/v1/initiations/" + ggzy + "/responses", GGZY, "{\"status\": \"ACKNOWLEDGED\"}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("detail").asText()).contains("cancelled");
    }

    @Test
    @Order(5)
    void an_initiation_nobody_answers_shows_as_overdue_once_its_working_days_have_passed() {
        taxA(RED2, "1");
        await().atMost(Duration.ofSeconds(60)).until(() -> events(GGZY, RED2).size() == 2);
        String id = initiationOf(GGZY, RED2);
        assertThat(get("/api/v1/initiations?overdue=true", GGZY).json().path("initiations")).isEmpty();

        CLOCK.advance(Duration.ofDays(10)); // more than three working days whatever the weekday
        JsonNode overdue = get("/api/v1/initiations?overdue=true", GGZY).json().path("initiations");
        assertThat(overdue).singleElement().satisfies(i -> {
            assertThat(i.path("initiationId").asText()).isEqualTo(id);
            assertThat(i.path("responseOverdue").asBoolean()).isTrue();
        });
        // operators see every department's
        assertThat(get("/api/v1/initiations?overdue=true", null).json().path("initiations")).extracting(i -> i.path("initiationId").asText())
                .contains(id);
        assertThat(get("/api/v1/initiations?overdue=true", XZSPJ).json().path("initiations"))
                .allSatisfy(i -> assertThat(i.path("department").asText()).isEqualTo(XZSPJ));
    }

    private static List<String> types(String dept, String uscc) {
        return events(dept, uscc).stream().map(b -> b.path("type").asText()).toList();
    }

    private static String recordIdOf(String uscc) {
        return "SWJ:LIST_ENTRY:NSXYA-2025-" + uscc;
    }

    private String entry(String uscc) {
        return "/api/v1/subjects/" + uscc + "/entries/" + java.net.URLEncoder.encode(recordIdOf(uscc), StandardCharsets.UTF_8);
    }

    @Test
    @Order(6)
    void decisions_on_an_entry_are_refused_for_an_unlisted_subject_and_for_another_unit() {
        Http.Response never = post(entry(NEVER_LISTED) + "/repair", "SWJ",
                "{\"decisionNo\": \"巴信修〔2026〕1号\"}");
        assertThat(never.status()).isEqualTo(404);
        Http.Response notTheirs = post(entry(RED2) + "/repair", XZSPJ, "{\"decisionNo\": \"巴信修〔2026〕1号\"}");
        assertThat(notTheirs.status()).isEqualTo(403);
        assertThat(notTheirs.json().path("detail").asText()).contains("listed by SWJ");
        assertThat(post(entry(RED2) + "/repair", "SWJ", "{}").status()).isEqualTo(400);
        assertThat(post("/api/v1/subjects/91511900MA6L7UDG0X/entries/x/repair", "SWJ", "{}").status()).isEqualTo(400);
    }

    @Test
    @Order(7)
    void an_objection_flags_the_entry_everywhere_and_a_rejected_one_clears_the_flag() {
        Http.Response filed = post(entry(RED2) + "/objections", null, "{\"reason\": \"评价年度有误\", \"filedBy\": \"企业法定代表人\"}");
        assertThat(filed.status()).as(filed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(types(GGZY, RED2)).contains("list.entry.objection_flagged");
            assertThat(types(XZSPJ, RED2)).contains("list.entry.objection_flagged");
        });
        assertThat(post(entry(RED2) + "/objections", null, "{\"reason\": \"again\"}").status()).isEqualTo(409);
        JsonNode pending = get("/api/v1/objections", "SWJ").json().path("objections");
        assertThat(pending).singleElement().satisfies(o -> {
            assertThat(o.path("recordId").asText()).isEqualTo(recordIdOf(RED2));
            assertThat(o.path("due").asText()).isNotBlank();
            assertThat(o.path("overdue").asBoolean()).isFalse();
        });
        assertThat(get("/api/v1/objections", GGZY).json().path("objections")).isEmpty(); // not its entry

        Http.Response rejected = post(entry(RED2) + "/objections/decision", "SWJ", "{\"outcome\": \"REJECTED\"}");
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> types(GGZY, RED2).contains("list.entry.objection_cleared"));
        assertThat(get("/api/v1/objections", null).json().path("objections")).isEmpty();
        assertThat(types(GGZY, RED2)).containsExactly("list.entry.listed", "measure.initiated", "list.entry.objection_flagged",
                "list.entry.objection_cleared");
        assertThat(post(entry(RED2) + "/objections/decision", "SWJ", "{\"outcome\": \"UPHELD\"}").status()).isEqualTo(409);
    }

    @Test
    @Order(8)
    void an_upheld_objection_exits_the_entry_cancels_its_initiations_and_the_units_confirm_they_stopped() {
        String ggzy = initiationOf(GGZY, RED2);
        assertThat(post("/api/v1/initiations/" + ggzy + "/responses", GGZY, "{\"status\": \"STOPPED\"}").status()).isEqualTo(409);
        assertThat(post(entry(RED2) + "/objections", "SWJ", "{\"reason\": \"处罚决定已撤销\"}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> types(GGZY, RED2).size() == 5);
        CLOCK.advance(Duration.ofDays(30)); // past the 15 working days an objection may take
        assertThat(get("/api/v1/objections?overdue=true", null).json().path("objections")).singleElement()
                .satisfies(o -> assertThat(o.path("overdue").asBoolean()).isTrue());
        assertThat(post(entry(RED2) + "/objections/decision", null, "{\"outcome\": \"UPHELD\", \"reason\": \"决定已撤销\"}").status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> types(GGZY, RED2).contains("measure.cancelled"));
        assertThat(types(GGZY, RED2).subList(4, 7)).containsExactly("list.entry.objection_flagged", "list.entry.exited", "measure.cancelled");
        JsonNode exit = events(GGZY, RED2).get(5);
        assertThat(exit.path("entry").path("exitReason").asText()).startsWith("OBJECTION_UPHELD");

        Http.Response stopped = post("/api/v1/initiations/" + ggzy + "/responses", GGZY, "{\"status\": \"STOPPED\"}");
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().path("stopConfirmedAt").asText()).isNotBlank();
        assertThat(post(entry(RED2) + "/objections", null, "{\"reason\": \"late\"}").status()).isEqualTo(409);
    }

    @Test
    @Order(9)
    void a_credit_repair_by_the_listing_unit_exits_the_entry_upstream_and_at_every_unit() {
        taxA(RED3, "1");
        await().atMost(Duration.ofSeconds(60)).until(() -> types(XZSPJ, RED3).size() == 2);
        // an objection upheld in part: the entry stays, corrected, and the flag is cleared
        assertThat(post(entry(RED3) + "/objections", null, "{\"reason\": \"有效期有误\"}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> types(XZSPJ, RED3).size() == 3);
        assertThat(post(entry(RED3) + "/objections/decision", "SWJ", "{\"outcome\": \"CORRECTED\"}").status()).isEqualTo(400);
        Http.Response corrected = post(entry(RED3) + "/objections/decision", "SWJ",
                "{\"outcome\": \"CORRECTED\", \"correction\": {\"validTo\": \"2027-06-30\"}}");
        assertThat(corrected.status()).as(corrected.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> types(XZSPJ, RED3).size() == 4);
        JsonNode cleared = events(XZSPJ, RED3).get(3);
        assertThat(cleared.path("type").asText()).isEqualTo("list.entry.objection_cleared");
        assertThat(cleared.path("entry").path("validTo").asText()).isEqualTo("2027-06-30");

        Http.Response repaired = post(entry(RED3) + "/repair", "SWJ", "{\"decisionNo\": \"巴信修〔2026〕7号\", \"reason\": \"已完成信用修复\"}");
        assertThat(repaired.status()).as(repaired.body()).isEqualTo(200);
        assertThat(repaired.json().path("exited").asInt()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(60)).until(() -> types(XZSPJ, RED3).size() == 6 && types(GGZY, RED3).size() == 6);
        assertThat(types(XZSPJ, RED3)).containsExactly("list.entry.listed", "measure.initiated", "list.entry.objection_flagged",
                "list.entry.objection_cleared", "list.entry.exited", "measure.cancelled");
        assertThat(events(XZSPJ, RED3).get(4).path("entry").path("exitReason").asText()).contains("巴信修〔2026〕7号");
        // the province gets every decision as the record's next version: flagged, corrected, exited
        await().atMost(Duration.ofSeconds(60)).until(() -> PROVINCE.records().stream()
                .filter(r -> r.recordId().equals(recordIdOf(RED3))).count() == 4);
        assertThat(PROVINCE.records().stream().filter(r -> r.recordId().equals(recordIdOf(RED3))).map(r -> r.version()).distinct()).hasSize(4);
        assertThat(post(entry(RED3) + "/repair", "SWJ", "{\"decisionNo\": \"巴信修〔2026〕8号\"}").status()).isEqualTo(409);
    }

    @Test
    @Order(10)
    void the_supervision_report_shows_each_departments_deliveries_and_how_it_handled_its_initiations() {
        assertThat(get("/api/v1/supervision/departments", XZSPJ).status()).isEqualTo(403);
        JsonNode report = get("/api/v1/supervision/departments?from=2020-01-01", null).json().path("departments");
        JsonNode xzspj = lineOf(report, XZSPJ);
        assertThat(xzspj.path("initiations").asInt()).isEqualTo(3);      // RED, RED2, RED3
        assertThat(xzspj.path("responded").asInt()).isEqualTo(1);
        assertThat(xzspj.path("feedbackComplete").asInt()).isEqualTo(1);
        assertThat(xzspj.path("cancelled").asInt()).isEqualTo(3);
        assertThat(lineOf(report, GGZY).path("stopsConfirmed").asInt()).isEqualTo(1);
        JsonNode swj = lineOf(report, "SWJ");
        assertThat(swj.path("deliveries").asInt()).isEqualTo(4); // its four messages (decisions taken through the gateway do not count)
        assertThat(swj.path("rejected").asInt()).isZero();
        assertThat(swj.path("deliveredOnTime").asBoolean()).isTrue();    // its last message came today
        assertThat(xzspj.path("deliveredOnTime").asBoolean()).isFalse(); // expected daily, delivered nothing
        assertThat(xzspj.path("deliveries").asInt()).isZero();

        Http.Response csv = get("/api/v1/supervision/departments?format=csv&from=2020-01-01", null);
        assertThat(csv.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<String> rows = csv.body().lines().toList();
        assertThat(rows.get(0)).startsWith("department,deliveries,accepted,rejected,rejectionRate");
        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("XZSPJ,"));
        assertThat(get("/api/v1/supervision/departments?from=2026-13-01", null).status()).isEqualTo(400);
    }

    private static JsonNode lineOf(JsonNode lines, String dept) {
        for (JsonNode l : lines) {
            if (dept.equals(l.path("department").asText())) {
                return l;
            }
        }
        throw new AssertionError("no line for " + dept + " in " + lines);
    }

    @Test
    @Order(11)
    void an_organisations_black_list_entry_reaches_its_legal_representative_with_the_measures_meant_for_legal_representatives() {
        String org = "91511903XFWA2JK10D";
        String repId = "511902195009250256";
        String json = "{\"lx\": \"ZDSSWF\", \"nsrsbh\": \"" + org + "\", \"nsrmc\": \"乙公司\", \"fddbr\": \"孔洋敏\","
                + " \"fddbrzjhm\": \"" + repId + "\", \"ajxz\": \"偷税\", \"wfss\": \"少缴税款\", \"cljd\": \"巴税稽罚〔2026〕9号\","
                + " \"gbrq\": \"20260718\", \"yxqz\": \"20290717\", \"zt\": \"1\"}";
        try (KafkaProducer<String, byte[]> producer = clients.producer("swj-test")) {
            producer.send(new ProducerRecord<>("dept.swj.credit", org, json.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/v1/subjects/" + repId + "/measures", "SCJGJ").json()
                .path("entries").size() == 1);

        JsonNode person = get("/api/v1/subjects/" + repId + "/measures", "SCJGJ").json();
        assertThat(person.path("subject").asText()).isEqualTo("511902********0256");
        assertThat(person.path("entries").get(0).path("linkedAs").asText()).isEqualTo("LEGAL_REP");
        assertThat(person.path("entries").get(0).path("linkedTo").asText()).isEqualTo(org);
        assertThat(person.path("measures")).extracting(m -> m.path("measureId").asText()).containsExactly("MTV-LEGAL-REP-POSITIONS");
        // the organisation's measures stay the organisation's
        assertThat(get("/api/v1/subjects/" + repId + "/measures", GGZY).json().path("measures")).isEmpty();
        assertThat(get("/api/v1/subjects/" + org + "/measures", GGZY).json().path("measures")).extracting(m -> m.path("measureId").asText())
                .containsExactly("MTV-PUBLIC-TRADING");

        // pushed to the unit that applies it, with the ID number masked, and initiated there
        await().atMost(Duration.ofSeconds(60)).until(() -> HOOKS.received("SCJGJ").stream()
                .filter(r -> "511902********0256".equals(r.body().path("subject").path("idNumber").asText())).count() == 2);
        List<JsonNode> toScjgj = HOOKS.received("SCJGJ").stream().map(WebhookReceivers.Received::body)
                .filter(b -> "511902********0256".equals(b.path("subject").path("idNumber").asText())).toList();
        assertThat(toScjgj).extracting(b -> b.path("type").asText()).containsExactly("list.entry.listed", "measure.initiated");
        assertThat(toScjgj.get(1).path("measures")).extracting(m -> m.path("measureId").asText()).containsExactly("MTV-LEGAL-REP-POSITIONS");
        assertThat(HOOKS.received("SCJGJ").toString()).doesNotContain(repId);
        // decisions are taken on the organisation's entry, not on the linked one
        Http.Response onLinked = post("/api/v1/subjects/" + repId + "/entries/"
                + java.net.URLEncoder.encode("SWJ:LIST_ENTRY:巴税稽罚〔2026〕9号#LEGAL_REP", StandardCharsets.UTF_8) + "/repair", "SWJ",
                "{\"decisionNo\": \"x\"}");
        assertThat(onLinked.status()).isEqualTo(400);
    }

    // ---- publication to the city credit website (信用巴中), docs/publication.md ----

    static final String PERSON_ID = "110101199001011237";
    static final String REP_ID = "360426199101010071";

    /** An SSTHJJ penalty (NDJSON, the legacy field set); a person when {@code idNumber} is given. Its 处罚有效期 is three years less a day. */
    private void penalty(String decisionNo, String name, String uscc, String idNumber, java.time.LocalDate decided) {
        String json = "{\"CF_WSH\": \"" + decisionNo + "\", \"CF_CFMC\": \"超标排放案\", \"CF_CFLB1\": \"罚款\", \"CF_CFLB2\": \"\","
                + " \"CF_SY\": \"超标排放大气污染物\", \"CF_YJ\": \"《中华人民共和国大气污染防治法》第九十九条\", \"CF_XDR_MC\": \"" + name + "\","
                + " \"CF_XDR_SHXYM\": \"" + (uscc == null ? "" : uscc) + "\", \"CF_XDR_ZDM\": \"" + (uscc == null ? "" : uscc.substring(8, 17)) + "\","
                + " \"CF_XDR_GSDJ\": \"\", \"CF_XDR_SWDJ\": \"\", \"CF_XDR_SFZ\": \"" + (idNumber == null ? "" : idNumber) + "\","
                + " \"CF_FR\": \"" + (idNumber == null ? "韩静" : "") + "\", \"CF_JG\": \"罚款1万元\","
                + " \"CF_JDRQ\": \"" + decided.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + "\", \"CF_XZJG\": \"巴中市生态环境局\","
                + " \"CF_ZT\": \"0\", \"DFBM\": \"511900\", \"SJC\": \"" + decided + " 10:00:00\", \"BZ\": \"\"}";
        Http.Response r = Http.post("http://127.0.0.1:" + port + "/api/v1/feeds/ssthjj/penalties", TestGateway.KEYS.get("SSTHJJ"),
                json.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/x-ndjson");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("rejected")).as(r.body()).isEmpty();
    }

    private static DemoCreditWebsite.Item onWebsite(String decisionNo) {
        return WEBSITE.items().stream().filter(i -> i.data() != null)
                .filter(i -> decisionNo.equals(i.data().path("penalty").path("decisionNo").asText())
                        || decisionNo.equals(i.data().path("licence").path("decisionNo").asText()))
                .findFirst().orElse(null);
    }

    @Test
    @Order(12)
    void a_penalty_is_published_on_the_website_with_the_persons_id_number_masked_and_a_licence_without_the_legal_representatives() {
        // decided a month ago by the wall clock (the test's clock runs ahead, and a decision may not lie in the future)
        java.time.LocalDate decided = java.time.LocalDate.now().minusDays(30);
        penalty("巴环罚〔2026〕901号", "张三", null, PERSON_ID, decided);
        String licence = "[{\"XK_XDR_MC\": \"巴中市测试运输有限公司\", \"XK_XDR_LB\": \"法人及非法人组织\", \"XK_XDR_SHXYM\": \"" + RED + "\","
                + " \"XK_FRDB\": \"李四\", \"XK_FR_ZJLX\": \"身份证\", \"XK_FR_ZJHM\": \"" + REP_ID + "\", \"XK_XDR_ZJLX\": \"\", \"XK_XDR_ZJHM\": \"\","
                + " \"XK_XKWS\": \"关于准予道路运输经营许可的决定\", \"XK_WSH\": \"巴审批许〔2026〕902号\", \"XK_XKLB\": \"普通\","
                + " \"XK_XKZS\": \"道路运输经营许可证\", \"XK_XKBH\": \"JY902\", \"XK_NR\": \"道路普通货物运输\","
                + " \"XK_JDRQ\": \"" + decided.toString().replace('-', '/') + "\", \"XK_YXQZ\": \"" + decided.toString().replace('-', '/')
                + "\", \"XK_YXQZI\": \"2099/12/31\", \"XK_XKJG\": \"巴中市行政审批局\","
                + " \"XK_XKJGDM\": \"11511900MB1530038P\", \"XK_ZT\": \"有效\", \"XK_LYDW\": \"巴中市行政审批局\","
                + " \"XK_LYDWDM\": \"11511900MB1530038P\", \"BZ\": \"\"}]";
        Http.Response pushed = Http.post("http://127.0.0.1:" + port + "/api/v1/feeds/xzspj/licences", TestGateway.KEYS.get(XZSPJ),
                licence.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        assertThat(pushed.json().path("rejected")).as(pushed.body()).isEmpty();
        await().atMost(Duration.ofSeconds(60)).until(() -> onWebsite("巴环罚〔2026〕901号") != null && onWebsite("巴审批许〔2026〕902号") != null);

        DemoCreditWebsite.Item penalty = onWebsite("巴环罚〔2026〕901号");
        assertThat(penalty.status()).isEqualTo("PUBLISHED");
        assertThat(penalty.id()).startsWith("itm_");
        JsonNode item = penalty.data();
        assertThat(item.path("kind").asText()).isEqualTo("ADMIN_PENALTY");
        assertThat(item.path("subject").path("name").asText()).isEqualTo("张三");
        assertThat(item.path("subject").path("idNumber").asText()).isEqualTo("110101********1237"); // the local rule: 6 and 4 shown
        assertThat(item.path("penalty").path("authority").path("name").asText()).isEqualTo("巴中市生态环境局");
        assertThat(item.path("publicationEnd").asText()).isEqualTo(decided.plusYears(3).minusDays(1).toString());
        JsonNode licenceItem = onWebsite("巴审批许〔2026〕902号").data();
        assertThat(licenceItem.path("subject").path("legalRepresentative").asText()).isEqualTo("李四");
        assertThat(licenceItem.path("licence").path("validTo").asText()).isEqualTo("长期");
        assertThat(WEBSITE.items().toString()).doesNotContain(PERSON_ID).doesNotContain(REP_ID);
        assertThat(WEBSITE.refused()).as("every message carried a good signature").isZero();
    }

    @Test
    @Order(13)
    void a_penalty_whose_publication_period_ends_is_withdrawn_from_the_website_by_the_gateway_itself() {
        java.time.LocalDate end = java.time.LocalDate.now(CLOCK).plusDays(5);
        penalty("巴环罚〔2023〕903号", "巴中市测试化工有限公司", RED2, null, end.plusDays(1).minusYears(3));
        await().atMost(Duration.ofSeconds(60)).until(() -> onWebsite("巴环罚〔2023〕903号") != null);
        assertThat(onWebsite("巴环罚〔2023〕903号").data().path("publicationEnd").asText()).isEqualTo(end.toString());
        assertThat(post("/api/v1/publication/sweep", null, "").json().path("withdrawn").asInt()).isZero(); // still within its 公示期

        CLOCK.advance(Duration.ofDays(7));
        assertThat(post("/api/v1/publication/sweep", XZSPJ, "").status()).isEqualTo(403);
        assertThat(post("/api/v1/publication/sweep", null, "").json().path("withdrawn").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> "WITHDRAWN".equals(onWebsite("巴环罚〔2023〕903号").status()));
        assertThat(onWebsite("巴环罚〔2023〕903号").withdrawalReason()).isEqualTo("PUBLICATION_PERIOD_ENDED");
        assertThat(onWebsite("巴环罚〔2026〕901号").status()).isEqualTo("PUBLISHED"); // its 公示期 runs three years
        assertThat(post("/api/v1/publication/sweep", null, "").json().path("withdrawn").asInt()).isZero(); // once
    }

    @Test
    @Order(14)
    void a_list_exit_by_credit_repair_withdraws_the_list_item_from_the_website() {
        String itemId = PublicationItems.itemId(recordIdOf(RED3)); // repaired in order 9
        await().atMost(Duration.ofSeconds(60)).until(() -> WEBSITE.item(itemId) != null && "WITHDRAWN".equals(WEBSITE.item(itemId).status()));
        assertThat(WEBSITE.item(itemId).withdrawalReason()).isEqualTo("CREDIT_REPAIR");
        assertThat(WEBSITE.item(itemId).data().path("listEntry").path("category").asText()).isEqualTo("RED");
        assertThat(WEBSITE.item(itemId).data().path("listEntry").path("listName").asText()).isNotBlank();
        Http.Response items = Http.get(WEBSITE.baseUri().resolve("items").toString(), null);
        assertThat(items.body()).doesNotContain(itemId); // the public list shows published items only
        assertThat(Http.get(WEBSITE.baseUri().resolve("items/" + itemId).toString(), null).json().path("status").asText()).isEqualTo("WITHDRAWN");
    }

    @Test
    @Order(15)
    void while_the_website_is_down_nothing_is_lost_and_each_item_arrives_once_it_is_back() {
        WEBSITE.available(false);
        int refusedBefore = WEBSITE.refused();
        java.time.LocalDate decided = java.time.LocalDate.now().minusDays(30);
        penalty("巴环罚〔2026〕904号", "巴中市测试化工有限公司", RED2, null, decided);
        penalty("巴环罚〔2026〕905号", "巴中市测试化工有限公司", RED2, null, decided);
        await().atMost(Duration.ofSeconds(60)).until(() -> WEBSITE.refused() > refusedBefore + 2);
        assertThat(onWebsite("巴环罚〔2026〕904号")).isNull();
        // the departments are not held up meanwhile
        taxA(NEVER_LISTED, "1");
        await().atMost(Duration.ofSeconds(60)).until(() -> events(XZSPJ, NEVER_LISTED).size() == 2);

        WEBSITE.available(true);
        await().atMost(Duration.ofSeconds(60)).until(() -> onWebsite("巴环罚〔2026〕904号") != null && onWebsite("巴环罚〔2026〕905号") != null
                && WEBSITE.item(PublicationItems.itemId(recordIdOf(NEVER_LISTED))) != null);
        assertThat(WEBSITE.messageCounts().values()).as("no message arrived twice").allMatch(n -> n == 1);
        assertThat(get("/api/v1/publication/dead-letters", null).json().path("deadLetters")).isEmpty();
    }

    @Test
    @Order(16)
    void a_replay_from_a_point_in_time_sends_the_same_messages_again_and_changes_nothing_on_the_website() {
        Map<String, String> before = statuses();
        int deliveredBefore = WEBSITE.messageCounts().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(post("/api/v1/publication/replay?from=2020-13-01", null, "").status()).isEqualTo(400);
        assertThat(post("/api/v1/publication/replay?from=2020-01-01", GGZY, "").status()).isEqualTo(403);
        Http.Response replayed = post("/api/v1/publication/replay?from=2020-01-01", null, "");
        assertThat(replayed.status()).as(replayed.body()).isEqualTo(202);
        assertThat(replayed.json().path("replayed").asInt()).isGreaterThanOrEqualTo(before.size());
        await().atMost(Duration.ofSeconds(60)).until(() -> WEBSITE.messageCounts().values().stream().filter(n -> n > 1).count()
                >= before.size());
        // every message the replay queued has arrived (none is left in flight for the next test to see refused)
        int queued = replayed.json().path("replayed").asInt();
        await().atMost(Duration.ofSeconds(60)).until(() -> WEBSITE.messageCounts().values().stream().mapToInt(Integer::intValue).sum()
                >= deliveredBefore + queued);
        assertThat(statuses()).isEqualTo(before); // the 公示期 that ended stays ended, the repaired entry stays withdrawn
    }

    private static Map<String, String> statuses() {
        Map<String, String> out = new java.util.TreeMap<>();
        WEBSITE.items().forEach(i -> out.put(i.id(), i.status() + " " + i.version()));
        return out;
    }

    @Test
    @Order(17)
    void a_message_the_website_refuses_as_gone_is_dead_lettered_and_published_when_replayed() {
        WEBSITE.refuseWith(410);
        int refusedBefore = WEBSITE.refused();
        penalty("巴环罚〔2026〕906号", "巴中市测试化工有限公司", RED2, null, java.time.LocalDate.now().minusDays(30));
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/v1/publication/dead-letters", null).json().path("deadLetters").size() == 1);
        JsonNode letter = get("/api/v1/publication/dead-letters", null).json().path("deadLetters").get(0);
        assertThat(letter.path("type").asText()).isEqualTo("item.published");
        assertThat(letter.path("status").asInt()).isEqualTo(410);
        assertThat(letter.path("body").asText()).contains("巴环罚〔2026〕906号");
        assertThat(WEBSITE.refused()).isEqualTo(refusedBefore + 1); // dead-lettered at once, not retried
        assertThat(post("/api/v1/publication/dead-letters/replay", GGZY, "").status()).isEqualTo(403);

        WEBSITE.available(true);
        assertThat(post("/api/v1/publication/dead-letters/replay", null, "").json().path("replayed").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> onWebsite("巴环罚〔2026〕906号") != null);
        assertThat(onWebsite("巴环罚〔2026〕906号").status()).isEqualTo("PUBLISHED");
        assertThat(get("/api/v1/publication/dead-letters", null).json().path("deadLetters").get(0).path("replayedAt").asText()).isNotBlank();
        assertThat(post("/api/v1/publication/dead-letters/replay", null, "").json().path("replayed").asInt()).isZero(); // once
    }
}
