package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.support.TestCertificates;
import cn.bazhong.credit.gateway.support.TestFtpServer;
import cn.bazhong.credit.gateway.support.TestGateway;
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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ftp-feed and ftps-feed templates against real FTP servers (Apache FtpServer, passive mode):
 * a file is read only once its marker exists, goes to .done with its receipt beside it once its
 * records are durable, and its records reach the province once. Over FTPS the server's certificate
 * is checked: a server whose certificate does not chain to the feed's CA is never logged in to.
 */
@SpringBootTest(classes = GatewayApplication.class)
@DirtiesContext
class FtpFeedsTest {

    static final Path TLS_DIR = tempDir();
    static final TestCertificates.Authority DEPARTMENTS_CA = TestCertificates.authority("Bazhong departments test CA");
    static final TestCertificates.Authority UNKNOWN_CA = TestCertificates.authority("Someone else's CA");
    static final TestFtpServer FTP = TestFtpServer.start();
    static final TestFtpServer FTPS = TestFtpServer.start(DEPARTMENTS_CA.server("ftp.zjfy.test"));
    static final TestFtpServer FTPS_UNTRUSTED = TestFtpServer.start(UNKNOWN_CA.server("ftp.xzspj.test"));
    static final TestFtpServer FTPS_WRONG_NAME = TestFtpServer.start(DEPARTMENTS_CA.serverFor("ftp.ssthjj.test", "ftp.ssthjj.test"));
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final ObjectMapper JSON = new ObjectMapper();

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ftps-ca-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "ftp");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        registry.add("camel.main.routes-include-pattern", () -> "file:routes/*.camel.yaml,classpath:routes-ftp/*.camel.yaml");
        registry.add("test.ftp.username", () -> TestFtpServer.USER);
        registry.add("test.ftp.password", () -> TestFtpServer.PASSWORD);
        registry.add("test.ftp.scjgj.port", FTP::port);
        registry.add("test.ftp.zjfy.port", FTPS::port);
        registry.add("test.ftp.zjfy.ca-file", () -> DEPARTMENTS_CA.writeTo(TLS_DIR, "departments-ca").toString());
        registry.add("test.ftp.xzspj.port", FTPS_UNTRUSTED::port);
        // the feed trusts the departments' CA, not the one that signed this server's certificate
        registry.add("test.ftp.xzspj.ca-file", () -> DEPARTMENTS_CA.writeTo(TLS_DIR, "departments-ca").toString());
        registry.add("test.ftp.ssthjj.port", FTPS_WRONG_NAME::port);
        registry.add("test.ftp.ssthjj.ca-file", () -> DEPARTMENTS_CA.writeTo(TLS_DIR, "departments-ca").toString());
    }

    @AfterAll
    static void stopServers() {
        FTP.close();
        FTPS.close();
        FTPS_UNTRUSTED.close();
        FTPS_WRONG_NAME.close();
        PROVINCE.close();
    }

    private static byte[] sample(String path) {
        try {
            return Files.readAllBytes(Path.of("samples/feeds", path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> delivered(String department) {
        return PROVINCE.records().stream().map(ReceivedRecord::recordId)
                .filter(id -> id.startsWith(department + ":")).collect(Collectors.toSet());
    }

    @Test
    void over_ftp_a_marked_file_is_taken_once_its_receipt_lies_beside_it_and_its_records_reach_the_province() throws IOException {
        Path unmarked = FTP.drop("outbox/xzcf", "XZCF_20250309_001.csv", sample("sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv"), false);
        FTP.drop("outbox/xzcf", "XZCF_20250310_001.csv", sample("sftp/scjgj/outbox/xzcf/XZCF_20250310_001.csv"), true);
        Path done = FTP.root().resolve("outbox/xzcf/.done");

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(done.resolve("XZCF_20250310_001.csv.receipt.json"))
                && Files.exists(done.resolve("XZCF_20250310_001.csv")));
        assertThat(FTP.root().resolve("outbox/xzcf/XZCF_20250310_001.csv")).doesNotExist();
        JsonNode receipt = JSON.readTree(done.resolve("XZCF_20250310_001.csv.receipt.json").toFile());
        assertThat(receipt.path("channel").asText()).isEqualTo("ftp");
        assertThat(receipt.path("receiptId").asText()).startsWith("FTP-scjgj-penalties-XZCF_20250310_001.csv-");
        assertThat(receipt.path("accepted").asLong()).isEqualTo(36);
        assertThat(receipt.path("rejected")).extracting(r -> r.path("position").asLong()).containsExactly(5L, 9L, 14L, 26L, 37L, 38L);
        assertThat(receipt.toString()).doesNotContainPattern("\\d{17}[0-9X]");
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered("SCJGJ").size() >= 34);
        assertThat(PROVINCE.records().stream().filter(r -> r.recordId().startsWith("SCJGJ:")).count()).isEqualTo(34);

        // the file without its marker is still where it was, untouched, after its neighbour was taken
        assertThat(unmarked).exists();
        assertThat(done.resolve("XZCF_20250309_001.csv.receipt.json")).doesNotExist();
    }

    @Test
    void over_ftps_with_the_servers_certificate_checked_a_marked_file_is_taken_and_an_unreadable_one_goes_to_error() throws IOException {
        FTPS.drop("export/sxbzxr", "SXBZXR_20250310.xml", sample("sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml"), true);
        Path done = FTPS.root().resolve("export/sxbzxr/.done");

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(done.resolve("SXBZXR_20250310.xml.receipt.json"))
                && Files.exists(done.resolve("SXBZXR_20250310.xml")));
        JsonNode receipt = JSON.readTree(done.resolve("SXBZXR_20250310.xml.receipt.json").toFile());
        assertThat(receipt.path("channel").asText()).isEqualTo("ftps");
        assertThat(receipt.path("accepted").asLong()).isPositive();
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered("ZJFY").size() >= 37);

        // a file that cannot be read at all goes to .error with the reason beside it
        FTPS.drop("export/sxbzxr", "SXBZXR_20250309.xml", "<broken".getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
        Path error = FTPS.root().resolve("export/sxbzxr/.error");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(error.resolve("SXBZXR_20250309.xml.reason.txt"))
                && Files.exists(error.resolve("SXBZXR_20250309.xml")));
        assertThat(error.resolve("SXBZXR_20250309.xml.reason.txt")).content().contains("rule syntax");
    }

    @Test
    void over_ftps_a_server_whose_certificate_is_not_trusted_is_never_logged_in_to_and_its_file_stays() {
        Path file = FTPS_UNTRUSTED.drop("out", "XK_20250310.csv", "许可证编号\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), true);

        // the gateway connects again and again, and gives up at the TLS handshake each time, before sending its password
        await().atMost(Duration.ofSeconds(60)).until(() -> FTPS_UNTRUSTED.connections() >= 3);
        assertThat(FTPS_UNTRUSTED.logins()).isZero();
        assertThat(file).exists();
        assertThat(FTPS_UNTRUSTED.root().resolve("out/.done")).doesNotExist();
    }

    @Test
    void over_ftps_a_server_whose_certificate_names_another_host_is_never_logged_in_to() {
        Path file = FTPS_WRONG_NAME.drop("out", "CF_20250310.ndjson", "{}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), true);

        // its certificate comes from the trusted CA, but is for ftp.ssthjj.test, not 127.0.0.1
        await().atMost(Duration.ofSeconds(60)).until(() -> FTPS_WRONG_NAME.connections() >= 3);
        assertThat(FTPS_WRONG_NAME.logins()).isZero();
        assertThat(file).exists();
    }
}
