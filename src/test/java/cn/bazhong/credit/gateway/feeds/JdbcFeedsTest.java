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
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database feed (前置机) of the transport bureau against a real PostgreSQL: rows the bureau's
 * system inserts while the gateway runs are read page by page after the feed's watermark and reach
 * the province once each; rows it changes are read again, and reach the province only when their
 * content changed; rows that break a rule are listed in the page's receipt with field and rule. A second
 * feed reads another table in the status-flag mode: rows are flagged taken only once their records are
 * durable; a page the database breaks off midway is neither handed off nor flagged; a row holding more
 * text than a record may is refused with its reason, and a page holding more than the feed's budget is
 * cut, the feed going on with the rest.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JdbcFeedsTest {

    static final FrontEndDatabase DB = FrontEndDatabase.start();
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final ObjectMapper JSON = new ObjectMapper();
    /** The second feed, in the status-flag mode (src/test/resources/routes-jdbc), and the mappings folder that holds its mapping. */
    static final String FLAGGED = "jtysj-flagged";
    static final Path MAPPINGS = mappingsWithTheFlaggedFeed();
    static final String GOOD_USCC = "91511923E8PR7JY32Q";
    /** Text a page of the flagged feed may hold: two rows with 4,000 characters of facts fit, three do not. */
    static final int FLAGGED_MAX_PAGE_CHARS = 12_000;

    /** The shipped mappings and jtysj-flagged (the bureau's penalty mapping under another id), in a folder of their own. */
    private static Path mappingsWithTheFlaggedFeed() {
        try {
            Path dir = Files.createTempDirectory("mappings-jdbc-");
            try (var files = Files.list(Path.of("mappings"))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            Files.writeString(dir.resolve(FLAGGED + ".yaml"), Files.readString(Path.of("mappings/jtysj-penalties.yaml"))
                    .replace("id: jtysj-penalties", "id: " + FLAGGED));
            DB.createFlaggedTable();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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
        registry.add("gateway.mappings.dir", MAPPINGS::toString);
        registry.add("camel.main.routes-include-pattern", () -> "file:routes/*.camel.yaml,classpath:routes-jdbc/*.camel.yaml");
        registry.add("test.jdbc.flagged.max-page-chars", () -> String.valueOf(FLAGGED_MAX_PAGE_CHARS));
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
    @Autowired
    CamelContext camel;
    @LocalServerPort
    int port;

    private static Map<String, Long> deliveredPerRecord() {
        return PROVINCE.records().stream().map(ReceivedRecord::recordId).filter(id -> id.startsWith("JTYSJ:"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private List<Receipt> receiptsOfTheFeed() {
        return receiptsOf("jtysj-penalties");
    }

    private List<Receipt> receiptsOf(String feed) {
        List<Receipt> out = new ArrayList<>();
        receipts.forEach(r -> {
            if (feed.equals(r.feed())) {
                out.add(r);
            }
        });
        return out;
    }

    /** Deliveries to the province of the penalties numbered from {@code from} to {@code to - 1}, by record id. */
    private static Map<String, Long> delivered(int from, int to) {
        List<String> numbers = IntStream.range(from, to).mapToObj(FrontEndDatabase::decisionNo).toList();
        return deliveredPerRecord().entrySet().stream().filter(e -> numbers.stream().anyMatch(n -> e.getKey().endsWith(":" + n)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static long rowsOf(long... counts) {
        return LongStream.of(counts).sum();
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

    @Test
    @Order(3)
    void in_the_status_mode_rows_are_flagged_taken_only_after_their_records_are_durable_and_reach_the_province_once() {
        DB.insertPenalties("xzcf_flagged", 500, 512, GOOD_USCC); // three pages of five at most

        // whenever rows are seen flagged taken, the receipts of their pages are stored already (read in this order)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
            long taken = DB.count("xzcf_flagged", "zt = '1'");
            long handedOff = receiptsOf(FLAGGED).stream().mapToLong(r -> rowsOf(r.accepted(), r.duplicates(), r.rejectedTotal())).sum();
            assertThat(handedOff).as("rows in stored receipts when %d rows are flagged taken", taken).isGreaterThanOrEqualTo(taken);
            return taken == 12;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered(500, 512).size() == 12);
        assertThat(delivered(500, 512).values()).containsOnly(1L);
        assertThat(receiptsOf(FLAGGED)).allSatisfy(r -> assertThat(r.source()).startsWith("xzcf_flagged_v rows "));
        // taken rows are not read again
        long receiptsNow = receiptsOf(FLAGGED).size();
        NotifyBuilder polls = new NotifyBuilder(camel).fromRoute("jtysj-flagged-jdbc").whenCompleted(3).create();
        assertThat(polls.matches(30, TimeUnit.SECONDS)).isTrue();
        assertThat(receiptsOf(FLAGGED)).hasSize((int) receiptsNow);
    }

    @Test
    @Order(4)
    void a_page_whose_rows_fail_midway_is_neither_handed_off_nor_flagged_and_is_taken_whole_once_repaired() {
        int receiptsBefore = receiptsOf(FLAGGED).size();
        NotifyBuilder failed = new NotifyBuilder(camel).fromRoute("jtysj-flagged-jdbc").whenFailed(2).create();

        // the fourth row holds a date the department's view cannot cast: the query breaks off at that row
        DB.insertPenalties("xzcf_flagged", 520, 527, GOOD_USCC, n -> "当事人驾驶车辆超限运输，经查证属实。", n -> n == 523 ? "jdrq:2025-02-30" : null);

        assertThat(failed.matches(60, TimeUnit.SECONDS)).as("polls failed on the broken row").isTrue();
        assertThat(DB.count("xzcf_flagged", "zt = '0'")).isEqualTo(7);
        assertThat(receiptsOf(FLAGGED)).hasSize(receiptsBefore);
        assertThat(delivered(520, 527)).isEmpty();

        // the department repairs the row: the rows are taken, each record reaches the province once
        DB.execute("UPDATE xzcf_flagged SET bz = NULL WHERE bz LIKE 'jdrq:%'");
        await().atMost(Duration.ofSeconds(60)).until(() -> DB.count("xzcf_flagged", "zt = '0'") == 0 && delivered(520, 527).size() == 7);
        assertThat(delivered(520, 527).values()).containsOnly(1L);
    }

    @Test
    @Order(5)
    void an_oversized_row_is_refused_with_its_reason_and_an_oversized_page_is_cut_while_the_feed_goes_on() {
        int receiptsBefore = receiptsOf(FLAGGED).size();
        String longFacts = "当事人驾驶车辆超限运输，".repeat(333) + "经查证属实。"; // about 4,000 characters: two rows fill a page
        String hugeFacts = "超".repeat(1_100_000); // more text than one record may hold

        DB.insertPenalties("xzcf_flagged", 540, 547, GOOD_USCC, n -> n == 545 ? hugeFacts : n == 546 ? "经查证属实。" : longFacts, n -> null);

        await().atMost(Duration.ofSeconds(90)).until(() -> DB.count("xzcf_flagged", "zt = '0'") == 0 && delivered(540, 547).size() == 6);
        Map<String, Long> delivered = delivered(540, 547);
        assertThat(delivered.values()).containsOnly(1L);
        assertThat(delivered.keySet()).noneMatch(id -> id.endsWith(":" + FrontEndDatabase.decisionNo(545)));
        List<Receipt> pages = newReceipts(receiptsBefore);
        // the long rows came in pages of two at most, although a page may hold five rows
        assertThat(pages).allSatisfy(r -> assertThat(rowsOf(r.accepted(), r.duplicates(), r.rejectedTotal())).isLessThanOrEqualTo(2));
        Receipt refused = pages.stream().filter(r -> r.rejectedTotal() == 1).findFirst().orElseThrow();
        assertThat(refused.rejected().get(0).rule()).isEqualTo("syntax");
        assertThat(refused.rejected().get(0).message()).contains("more than 1048576 characters");
    }

    /** The receipts of the flagged feed after the first {@code before}, in the order they were received. */
    private List<Receipt> newReceipts(int before) {
        List<Receipt> all = new ArrayList<>(receiptsOf(FLAGGED));
        all.sort(java.util.Comparator.comparing(Receipt::receivedAt));
        return all.subList(before, all.size());
    }
}
