package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.security.ApiKeys;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The province's list updates, pulled with a durable cursor and pushed by the province, become
 * list state: a listing starts the catalog measures at the departments' counters, an exit ends them.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ProvinceListUpdatesTest {

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final String PROVINCE_KEY = TestGateway.PROVINCE_KEY;
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "province-lists");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        registry.add("gateway.province.list-updates.enabled", () -> "true");
        registry.add("gateway.province.list-updates.interval", () -> "300ms");
            }

    @AfterAll
    static void stop() {
        PROVINCE.close();
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    ProvinceListPuller puller;

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private double receivedFromProvince() {
        io.micrometer.core.instrument.Counter c = meters.find("gateway.records").tag("department", "PROVINCE").tag("outcome", "received").counter();
        return c == null ? 0 : c.count();
    }

    private static Map<String, Object> update(String operation, String uscc, String documentNo) throws Exception {
        return JSON.readValue(("""
                {"operation": "%s", "entry": {"listType": "MAJOR_TAX_VIOLATION", "subject": {"name": "丙公司", "uscc": "%s"},
                 "decidedBy": {"name": "国家税务总局四川省税务局", "uscc": "11511900MB15500550"}, "basis": "重大税收违法",
                 "decidedOn": "2026-10-01", "validFrom": "2026-10-01", "validTo": "2029-09-30", "reason": "逃税",
                 "documentNo": "%s", "exitDate": "2026-11-01"}}""").formatted(operation, uscc, documentNo), Map.class);
    }

    private JsonNode check(String uscc) {
        return Http.get("http://127.0.0.1:" + port + "/api/v1/subjects/" + uscc + "/measures", TestGateway.KEYS.get("GGZY")).json();
    }

    @Test
    void pulled_updates_list_and_exit_a_subject_at_every_counter() throws Exception {
        PROVINCE.publishListUpdate(update("LIST", "91511922MA6TL5RJXL", "川税稽罚〔2026〕1号"));

        await().atMost(Duration.ofSeconds(60)).until(() -> check("91511922MA6TL5RJXL").path("measures").size() == 1);
        assertThat(check("91511922MA6TL5RJXL").path("measures").get(0).path("measureId").asText()).isEqualTo("MTV-PUBLIC-TRADING");

        PROVINCE.publishListUpdate(update("EXIT", "91511922MA6TL5RJXL", "川税稽罚〔2026〕1号"));
        await().atMost(Duration.ofSeconds(60)).until(() -> check("91511922MA6TL5RJXL").path("entries").isEmpty());
        assertThat(check("91511922MA6TL5RJXL").path("measures")).isEmpty();
    }

    @Test
    void a_restarted_puller_resumes_after_its_saved_cursor_and_takes_nothing_twice() throws Exception {
        PROVINCE.publishListUpdate(update("LIST", "91511921MA6G9NGA8M", "川税稽罚〔2026〕11号"));
        await().atMost(Duration.ofSeconds(60)).until(() -> check("91511921MA6G9NGA8M").path("entries").size() == 1);
        double before = receivedFromProvince();

        puller.stop();
        PROVINCE.publishListUpdate(update("LIST", "91511921WQKH0A0X7E", "川税稽罚〔2026〕12号"));
        PROVINCE.publishListUpdate(update("LIST", "91511903JAMRDAJRXR", "川税稽罚〔2026〕13号"));
        puller.start();

        // the two updates may become list state in either order (different records, different partitions)
        await().atMost(Duration.ofSeconds(60)).until(() -> check("91511903JAMRDAJRXR").path("entries").size() == 1
                && check("91511921WQKH0A0X7E").path("entries").size() == 1);
        // exactly the two new updates were taken after the restart: nothing before the cursor again
        assertThat(receivedFromProvince()).isEqualTo(before + 2);
    }

    @org.springframework.beans.factory.annotation.Autowired
    cn.bazhong.credit.gateway.ingest.FeedPushes pushes;

    @Test
    void a_pushed_page_is_taken_whole_once_per_idempotency_key_and_not_at_all_when_its_body_breaks_off() throws Exception {
        byte[] page = JSON.writeValueAsBytes(Map.of("updates", java.util.List.of(
                update("LIST", "91511921MA6GTJL9X3", "川税稽罚〔2026〕21号"), update("LIST", "91511921MA60JJ3109", "川税稽罚〔2026〕22号"))));
        java.io.InputStream broken = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(page, 0, page.length - 20),
                new java.io.InputStream() {
                    @Override
                    public int read() throws java.io.IOException {
                        throw new java.io.EOFException("the connection was closed mid-body");
                    }
                });

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pushes.push("PROVINCE", ProvinceListPuller.MAPPING, "page-21", broken))
                .hasRootCauseInstanceOf(java.io.EOFException.class);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(20))
                .until(() -> check("91511921MA6GTJL9X3").path("entries").isEmpty() && check("91511921MA60JJ3109").path("entries").isEmpty());

        cn.bazhong.credit.gateway.ingest.PushOutcome first = pushes.push("PROVINCE", ProvinceListPuller.MAPPING, "page-21",
                new java.io.ByteArrayInputStream(page));
        cn.bazhong.credit.gateway.ingest.PushOutcome again = pushes.push("PROVINCE", ProvinceListPuller.MAPPING, "page-21",
                new java.io.ByteArrayInputStream(page));
        assertThat(first).isInstanceOf(cn.bazhong.credit.gateway.ingest.PushOutcome.Ingested.class);
        assertThat(first.receipt().accepted()).isEqualTo(2);
        assertThat(again).isInstanceOf(cn.bazhong.credit.gateway.ingest.PushOutcome.Repeated.class);
        assertThat(again.receipt().receiptId()).isEqualTo(first.receipt().receiptId());
        await().atMost(Duration.ofSeconds(60)).until(() -> check("91511921MA6GTJL9X3").path("entries").size() == 1
                && check("91511921MA60JJ3109").path("entries").size() == 1);
    }

    @Test
    void the_province_may_push_its_updates_and_nobody_else_may() throws Exception {
        byte[] body = JSON.writeValueAsBytes(Map.of("updates", java.util.List.of(update("LIST", "91511903XFWA2JK10D", "川税稽罚〔2026〕2号"))));
        String url = "http://127.0.0.1:" + port + "/api/v1/upstream/list-updates";

        assertThat(Http.post(url, TestGateway.KEYS.get("SWJ"), body).status()).isEqualTo(403);
        Http.Response pushed = Http.post(url, PROVINCE_KEY, body);
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
        assertThat(pushed.json().path("accepted").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> check("91511903XFWA2JK10D").path("entries").size() == 1);
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("川税稽罚〔2026〕2号");
    }
}
