package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.support.FrontEndDatabase;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import cn.bazhong.credit.simulators.province.ReceivedRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database feed (前置机) of the transport bureau against a real PostgreSQL: rows the bureau's
 * system inserts while the gateway runs are read page by page after the feed's watermark and reach
 * the province once each; rows it changes are read again, and reach the province only when their
 * content changed; rows that break a rule are listed in the page's receipt with field and rule.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JdbcFeedsTest {

    static final FrontEndDatabase DB = FrontEndDatabase.start();
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "jdbc");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        String p = "gateway.feeds.jtysj.jdbc.";
        registry.add(p + "enabled", () -> "true");
        registry.add(p + "url", DB::url);
        registry.add(p + "user", () -> FrontEndDatabase.USER);
        registry.add(p + "page-size", () -> "5");
        registry.add(p + "delay", () -> "300");
    }

    @AfterAll
    static void stop() {
        DB.close();
        PROVINCE.close();
    }

    @Autowired
    FeedWatermarks watermarks;
    @Autowired
    ReceiptStore receipts;
    @LocalServerPort
    int port;

    private static Map<String, Long> deliveredPerRecord() {
        return PROVINCE.records().stream().map(ReceivedRecord::recordId).filter(id -> id.startsWith("JTYSJ:"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private List<Receipt> receiptsOfTheFeed() {
        List<Receipt> out = new ArrayList<>();
        receipts.forEach(r -> {
            if ("jtysj-penalties".equals(r.feed())) {
                out.add(r);
            }
        });
        return out;
    }

    @Test
    @Order(1)
    void rows_inserted_while_the_gateway_runs_reach_the_province_once_each_page_after_page() {
        DB.insertPenalties(0, 12, "91511923E8PR7JY32Q"); // three pages of five at most
        await().atMost(Duration.ofSeconds(90)).until(() -> deliveredPerRecord().size() >= 12);

        DB.insertPenalties(12, 15, "91511923E8PR7JY32Q");
        await().atMost(Duration.ofSeconds(90)).until(() -> deliveredPerRecord().size() >= 15);
        Watermark at = watermarks.get("jtysj-penalties");
        assertThat(at).isNotNull();
        assertThat(at.key()).isEqualTo("15");

        // the bureau touches five rows without changing them: read again, counted as duplicates, not sent again
        DB.execute("UPDATE xzcf_front SET gxsj = now() WHERE id <= 5");
        await().atMost(Duration.ofSeconds(60)).until(() -> receiptsOfTheFeed().stream().mapToLong(Receipt::duplicates).sum() >= 5);
        // and changes one: its new version goes up
        DB.execute("UPDATE xzcf_front SET cf_fkje = 5000.00, cf_nr = '罚款人民币5000元', gxsj = now() WHERE id = 7");
        String changed = deliveredPerRecord().keySet().stream().filter(id -> id.endsWith(FrontEndDatabase.decisionNo(6))).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveredPerRecord().getOrDefault(changed, 0L) >= 2);

        Map<String, Long> delivered = deliveredPerRecord();
        assertThat(delivered).hasSize(15);
        assertThat(delivered.entrySet()).allSatisfy(e ->
                assertThat(e.getValue()).as(e.getKey()).isEqualTo(e.getKey().equals(changed) ? 2L : 1L));
        assertThat(receiptsOfTheFeed()).allSatisfy(r -> assertThat(r.channel()).isEqualTo("jdbc"));
    }

    @Test
    @Order(2)
    void rejected_rows_are_listed_in_the_pages_receipt_with_field_and_rule() throws Exception {
        DB.insertPenalties(100, 102, FrontEndDatabase.BAD_USCC);
        await().atMost(Duration.ofSeconds(60)).until(() -> receiptsOfTheFeed().stream().anyMatch(r -> r.rejectedTotal() == 2));
        Receipt receipt = receiptsOfTheFeed().stream().filter(r -> r.rejectedTotal() == 2).findFirst().orElseThrow();

        // visible like any receipt, over the API
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/receipts/" + URLEncoder.encode(receipt.receiptId(), StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + TestGateway.VIEWER_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode shown = JSON.readTree(response.body());
        assertThat(shown.path("accepted").asLong()).isZero();
        assertThat(shown.path("rejected")).hasSize(2);
        assertThat(shown.path("rejected").get(0).path("field").asText()).isEqualTo("xdr_shxym");
        assertThat(shown.path("rejected").get(0).path("rule").asText()).isEqualTo("uscc-check");
        assertThat(shown.path("source").asText()).startsWith("xzcf_front rows after");
        assertThat(response.body()).doesNotContainPattern("\\d{17}[0-9X]");
        assertThat(deliveredPerRecord().keySet()).noneMatch(id -> id.endsWith(FrontEndDatabase.decisionNo(100)));
    }
}
