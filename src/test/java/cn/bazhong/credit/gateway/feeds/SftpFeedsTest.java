package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.gateway.support.TestSftpServer;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import cn.bazhong.credit.simulators.province.ReceivedRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SFTP feeds against a real SFTP server with strict host-key checking: a file is read only
 * once its marker exists, goes to .done with its receipt when its records are durable, or to
 * .error with a reason when it cannot be read; its records reach the province once. The SCJGJ
 * feed is polled at an interval, the ZJFY feed on a cron schedule.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SftpFeedsTest {

    static final TestSftpServer SFTP = TestSftpServer.start();
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "sftp");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        for (String dept : new String[] {"scjgj", "zjfy"}) {
            String p = "gateway.feeds." + dept + ".sftp.";
            registry.add(p + "enabled", () -> "true");
            registry.add(p + "host", () -> "127.0.0.1");
            registry.add(p + "port", SFTP::port);
            registry.add(p + "username", () -> TestSftpServer.USER);
            registry.add(p + "password", () -> TestSftpServer.PASSWORD);
            registry.add(p + "known-hosts-file", () -> SFTP.knownHosts().toString());
            registry.add(p + "delay", () -> "300");
        }
        // the court's feed runs on a cron schedule (every second here) and would otherwise wait an hour:
        // its files are taken only because the cron schedule fires
        registry.add("gateway.feeds.zjfy.sftp.delay", () -> "3600000");
        registry.add("gateway.feeds.zjfy.sftp.cron", () -> "* * * * * *");
    }

    @AfterAll
    static void stopServers() {
        SFTP.close();
        PROVINCE.close();
    }

    private static byte[] sample(String path) {
        try {
            return Files.readAllBytes(Path.of("samples/feeds", path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> delivered(String department) {
        return PROVINCE.records().stream().map(ReceivedRecord::recordId)
                .filter(id -> id.startsWith(department + ":")).collect(Collectors.toSet());
    }

    @Test
    void a_marked_file_is_taken_its_receipt_lies_beside_it_and_its_records_reach_the_province() throws IOException {
        SFTP.drop("outbox/xzcf", "XZCF_20250310_001.csv", sample("sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv"), true);
        Path done = SFTP.root().resolve("outbox/xzcf/.done");

        // the receipt is written first, then the file is moved when its exchange completes
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(done.resolve("XZCF_20250310_001.csv.receipt.json"))
                && Files.exists(done.resolve("XZCF_20250310_001.csv")));
        assertThat(SFTP.root().resolve("outbox/xzcf/XZCF_20250310_001.csv")).doesNotExist();
        JsonNode receipt = JSON.readTree(done.resolve("XZCF_20250310_001.csv.receipt.json").toFile());
        assertThat(receipt.path("accepted").asLong()).isEqualTo(36);
        assertThat(receipt.path("rejected")).extracting(r -> r.path("position").asLong()).containsExactly(5L, 9L, 14L, 26L, 37L, 38L);
        assertThat(receipt.path("rejected").get(1).path("field").asText()).isEqualTo("行政相对人类别");
        assertThat(receipt.toString()).doesNotContainPattern("\\d{17}[0-9X]");

        // 36 valid rows, two of which re-send an earlier row of the same file: 34 distinct records
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered("SCJGJ").size() >= 34);
        assertThat(PROVINCE.records().stream().filter(r -> r.recordId().startsWith("SCJGJ:")).count()).isEqualTo(34);

        // the department sends the same file again the next day: nothing new reaches the province
        SFTP.drop("outbox/xzcf", "XZCF_20250311_001.csv", sample("sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv"), true);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(done.resolve("XZCF_20250311_001.csv.receipt.json")));
        JsonNode again = JSON.readTree(done.resolve("XZCF_20250311_001.csv.receipt.json").toFile());
        assertThat(again.path("accepted").asLong()).isZero();
        assertThat(again.path("duplicates").asLong()).isEqualTo(36);
        assertThat(PROVINCE.records().stream().filter(r -> r.recordId().startsWith("SCJGJ:")).count()).isEqualTo(34);
    }

    @Test
    void a_file_without_its_marker_is_left_alone_until_the_marker_arrives() {
        Path unmarkedReceipt = SFTP.root().resolve("export/sxbzxr/.done/SXBZXR_20250310.xml.receipt.json");
        Path file = SFTP.drop("export/sxbzxr", "SXBZXR_20250310.xml", sample("sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml"), false);

        // the other feed's file, dropped later with its marker, is processed while this one waits
        SFTP.drop("export/sxbzxr", "SXBZXR_20250309.xml", "<broken".getBytes(StandardCharsets.UTF_8), true);
        Path error = SFTP.root().resolve("export/sxbzxr/.error");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(error.resolve("SXBZXR_20250309.xml.reason.txt")));
        assertThat(error.resolve("SXBZXR_20250309.xml.reason.txt")).content().contains("rule syntax").contains("line 1");
        assertThat(file).exists();
        assertThat(unmarkedReceipt).doesNotExist();

        SFTP.drop("export/sxbzxr", "SXBZXR_20250310.xml", sample("sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml"), true);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(unmarkedReceipt));
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered("ZJFY").size() >= 37);
    }

    @Test
    void a_party_missing_from_the_next_full_snapshot_exits_the_list() throws IOException {
        String first = new String(sample("sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml"), StandardCharsets.UTF_8);
        SFTP.drop("export/sxbzxr", "SXBZXR_20250312.xml", first.getBytes(StandardCharsets.UTF_8), true);
        Path done = SFTP.root().resolve("export/sxbzxr/.done");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(done.resolve("SXBZXR_20250312.xml.receipt.json")));

        // the next day the court's list no longer holds its first party
        String next = first.replaceFirst("(?s)  <record><ah>（2024）川19执100号</ah>.*?</record>\\n", "");
        assertThat(next).doesNotContain("（2024）川19执100号");
        SFTP.drop("export/sxbzxr", "SXBZXR_20250313.xml", next.getBytes(StandardCharsets.UTF_8), true);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(done.resolve("SXBZXR_20250313.xml.receipt.json")));

        JsonNode receipt = JSON.readTree(done.resolve("SXBZXR_20250313.xml.receipt.json").toFile());
        assertThat(receipt.path("exited").asLong()).isEqualTo(1);
        String recordId = "ZJFY:LIST_ENTRY:（2024）川19执100号";
        await().atMost(Duration.ofSeconds(60)).until(() ->
                PROVINCE.records().stream().filter(r -> r.recordId().equals(recordId)).count() >= 2);
        ReceivedRecord exit = PROVINCE.records().stream().filter(r -> r.recordId().equals(recordId)).reduce((a, b) -> b).orElseThrow();
        assertThat(exit.data()).containsEntry("status", "EXITED");
        assertThat(exit.data().get("exitDate")).isNotNull();
    }

    @Test
    void a_file_refused_wholesale_gets_a_bounded_receipt_that_counts_every_rejection_by_rule() throws IOException {
        String header = "行政相对人名称,行政相对人类别,统一社会信用代码,法定代表人,法定代表人证件类型,法定代表人证件号码,证件类型,证件号码,"
                + "行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,罚款金额（元）,没收违法所得金额（元）,"
                + "暂扣或吊销证照名称及编号,处罚决定日期,处罚有效期,公示截止期,处罚机关,处罚机关统一社会信用代码,备注";
        StringBuilder csv = new StringBuilder(header).append("\r\n");
        int rows = 25_000;
        for (int i = 0; i < rows; i++) {
            // even rows: a credit code with a wrong check character; odd rows: a decision date that does not exist
            String code = i % 2 == 0 ? "91511923E8PR7JY32X" : "91511923E8PR7JY32Q";
            String day = i % 2 == 0 ? "2022/01/30" : "2022/13/45";
            csv.append("巴中市兴达华信环保科技有限公司,法人及非法人组织,").append(code)
                    .append(",刘芳,身份证,511902199807299626,,,巴市监处罚〔2031〕").append(i).append("号,无照经营,当事人未依法取得营业执照从事经营活动。,")
                    .append("《无证无照经营查处办法》第十三条,罚款,罚款人民币1000元,1000.00,,,").append(day)
                    .append(",2025/01/29,2025/01/29,巴中市市场监督管理局,11511900MB1510010D,\r\n");
        }
        SFTP.drop("outbox/xzcf", "XZCF_20250312_001.csv", csv.toString().getBytes(java.nio.charset.Charset.forName("GBK")), true);
        Path receiptFile = SFTP.root().resolve("outbox/xzcf/.done/XZCF_20250312_001.csv.receipt.json");
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(receiptFile));

        JsonNode receipt = JSON.readTree(receiptFile.toFile());
        assertThat(receipt.path("accepted").asLong()).isZero();
        assertThat(receipt.path("rejectedTotal").asLong()).isEqualTo(rows);
        assertThat(receipt.path("rejected")).hasSize(10_000); // the first ones in detail, in the file's order
        assertThat(receipt.path("rejected").get(0).path("position").asLong()).isEqualTo(2);
        assertThat(receipt.path("rejected").get(1).path("field").asText()).isEqualTo("处罚决定日期");
        assertThat(receipt.path("rejectedByRule").properties()).hasSize(2)
                .allSatisfy(rule -> assertThat(rule.getValue().asLong()).isEqualTo(rows / 2));
    }
}
