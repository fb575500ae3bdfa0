package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.support.TestSftpServer;
import cn.bazhong.credit.gateway.transport.SftpSettings;
import cn.bazhong.credit.gateway.transport.SftpUpstreamTransport;
import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SFTP adapter (camel-ftp's producer in a real Camel context) against real SSHD servers: what lands in
 * the province's folder, how a resend behaves, strict host keys, both ways of logging in, and a province
 * that is down or restarts.
 */
class SftpUpstreamTransportTest {

    static TestSftpServer province;
    static DefaultCamelContext camel;

    @TempDir
    Path temp;

    @BeforeAll
    static void startProvince() {
        province = TestSftpServer.start();
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stopProvince() throws Exception {
        camel.close();
        province.close();
    }

    private static SftpSettings settings(int port, Path knownHosts, String password, Path key, String directory) {
        return new SftpSettings("127.0.0.1", port, TestSftpServer.USER, password, key == null ? null : key.toString(),
                knownHosts.toString(), directory);
    }

    private static SftpUpstreamTransport adapter(String directory) {
        return new SftpUpstreamTransport(() -> camel, settings(province.port(), province.knownHosts(), TestSftpServer.PASSWORD, null, directory),
                Duration.ofSeconds(10));
    }

    private static Path inbox(String name) throws IOException {
        return Files.createDirectories(province.root().resolve(name));
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void a_batch_becomes_its_json_file_with_the_exact_document_and_an_empty_done_marker() throws Exception {
        Path inbox = inbox("exchange/inbox");
        BatchDocument batch = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 3, "first");
        byte[] document = UpstreamAdapterFixtures.document(batch);

        UpstreamTransport.Answer answer;
        try (SftpUpstreamTransport sftp = adapter("/exchange/inbox")) {
            answer = sftp.send(batch.batchId(), document);
        }

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(answer.body());
        assertThat(body.path("batchId").asText()).isEqualTo(batch.batchId());
        assertThat(body.path("results").isArray()).isTrue();
        assertThat(body.path("results")).isEmpty();
        assertThat(answer.retryAfter()).isNull();
        assertThat(namesIn(inbox)).containsExactly(batch.batchId() + ".json", batch.batchId() + ".json.ok");
        assertThat(Files.readAllBytes(inbox.resolve(batch.batchId() + ".json"))).isEqualTo(document);
        assertThat(Files.size(inbox.resolve(batch.batchId() + ".json.ok"))).isZero();
    }

    @Test
    void writing_the_same_batch_again_leaves_one_identical_file_and_one_marker() throws Exception {
        Path inbox = inbox("rewrite");
        BatchDocument batch = UpstreamAdapterFixtures.batch("ADMIN_LICENSE", 2, "again");
        byte[] document = UpstreamAdapterFixtures.document(batch);

        try (SftpUpstreamTransport sftp = adapter("rewrite")) {
            assertThat(sftp.send(batch.batchId(), document).status()).isEqualTo(200);
            assertThat(sftp.send(batch.batchId(), document).status()).isEqualTo(200);
        }
        try (SftpUpstreamTransport restarted = adapter("rewrite/")) {
            assertThat(restarted.send(batch.batchId(), document).status()).isEqualTo(200);
        }

        assertThat(namesIn(inbox)).containsExactly(batch.batchId() + ".json", batch.batchId() + ".json.ok");
        assertThat(Files.readAllBytes(inbox.resolve(batch.batchId() + ".json"))).isEqualTo(document);
    }

    @Test
    void a_server_whose_host_key_differs_from_known_hosts_is_refused_and_nothing_is_written() throws Exception {
        Path inbox = inbox("spoofed");
        Path otherKnownHosts = temp.resolve("known_hosts");
        var otherKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256).getPublic();
        Files.writeString(otherKnownHosts, "[127.0.0.1]:" + province.port() + " " + PublicKeyEntry.toString(otherKey) + "\n");
        BatchDocument batch = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 1, "spoof");

        try (SftpUpstreamTransport sftp = new SftpUpstreamTransport(() -> camel,
                settings(province.port(), otherKnownHosts, TestSftpServer.PASSWORD, null, "spoofed"), Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> sftp.send(batch.batchId(), UpstreamAdapterFixtures.document(batch)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("HostKey");
        }

        assertThat(namesIn(inbox)).isEmpty();
    }

    @Test
    void a_host_missing_from_known_hosts_is_refused_too() throws Exception {
        Path inbox = inbox("unknown-host");
        Path emptyKnownHosts = Files.writeString(temp.resolve("known_hosts"), "");
        BatchDocument batch = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 1, "unknown");

        try (SftpUpstreamTransport sftp = new SftpUpstreamTransport(() -> camel,
                settings(province.port(), emptyKnownHosts, TestSftpServer.PASSWORD, null, "unknown-host"), Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> sftp.send(batch.batchId(), UpstreamAdapterFixtures.document(batch)))
                    .isInstanceOf(IOException.class);
        }

        assertThat(namesIn(inbox)).isEmpty();
    }

    @Test
    void a_wrong_password_is_an_io_exception() throws Exception {
        BatchDocument batch = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 1, "password");

        try (SftpUpstreamTransport sftp = new SftpUpstreamTransport(() -> camel,
                settings(province.port(), province.knownHosts(), "not-the-password", null, "."), Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> sftp.send(batch.batchId(), UpstreamAdapterFixtures.document(batch)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Auth");
        }
    }

    @Test
    void a_missing_remote_folder_is_an_io_exception_and_is_not_created() throws Exception {
        BatchDocument batch = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 1, "nofolder");

        try (SftpUpstreamTransport sftp = adapter("no/such/folder")) {
            assertThatThrownBy(() -> sftp.send(batch.batchId(), UpstreamAdapterFixtures.document(batch)))
                    .isInstanceOf(IOException.class);
        }

        assertThat(province.root().resolve("no")).doesNotExist();
    }

    @Test
    void a_server_that_is_down_gives_an_io_exception() throws Exception {
        RestartableSftpServer down = RestartableSftpServer.start(temp);
        down.stop();
        BatchDocument batch = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 1, "down");

        try (SftpUpstreamTransport sftp = new SftpUpstreamTransport(() -> camel,
                settings(down.port(), down.knownHosts(), RestartableSftpServer.PASSWORD, null, "."), Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> sftp.send(batch.batchId(), UpstreamAdapterFixtures.document(batch)))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void a_private_key_logs_in_without_a_password() throws Exception {
        try (RestartableSftpServer server = RestartableSftpServer.start(temp)) {
            BatchDocument batch = UpstreamAdapterFixtures.batch("LIST_ENTRY", 2, "key");
            byte[] document = UpstreamAdapterFixtures.document(batch);

            try (SftpUpstreamTransport sftp = new SftpUpstreamTransport(() -> camel,
                    settings(server.port(), server.knownHosts(), null, server.clientKeyFile(), "."), Duration.ofSeconds(10))) {
                assertThat(sftp.send(batch.batchId(), document).status()).isEqualTo(200);
            }

            assertThat(Files.readAllBytes(server.root().resolve(batch.batchId() + ".json"))).isEqualTo(document);
            assertThat(server.root().resolve(batch.batchId() + ".json.ok")).exists();
        }
    }

    @Test
    void consecutive_batches_share_one_session() throws Exception {
        try (RestartableSftpServer server = RestartableSftpServer.start(temp);
             SftpUpstreamTransport sftp = new SftpUpstreamTransport(() -> camel,
                     settings(server.port(), server.knownHosts(), RestartableSftpServer.PASSWORD, null, "."), Duration.ofSeconds(10))) {
            for (int i = 0; i < 3; i++) {
                BatchDocument batch = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 1, "shared" + i);
                assertThat(sftp.send(batch.batchId(), UpstreamAdapterFixtures.document(batch)).status()).isEqualTo(200);
            }

            assertThat(server.activeSessions()).isEqualTo(1);
            assertThat(namesIn(server.root())).hasSize(6);
        }
    }

    @Test
    void a_session_broken_by_a_server_restart_is_reopened_by_the_next_send() throws Exception {
        try (RestartableSftpServer server = RestartableSftpServer.start(temp);
             SftpUpstreamTransport sftp = new SftpUpstreamTransport(() -> camel,
                     settings(server.port(), server.knownHosts(), RestartableSftpServer.PASSWORD, null, "."), Duration.ofSeconds(10))) {
            BatchDocument before = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 1, "before");
            assertThat(sftp.send(before.batchId(), UpstreamAdapterFixtures.document(before)).status()).isEqualTo(200);

            server.stop();
            server.start();
            BatchDocument after = UpstreamAdapterFixtures.batch("ADMIN_PENALTY", 1, "after");
            byte[] document = UpstreamAdapterFixtures.document(after);

            assertThat(sftp.send(after.batchId(), document).status()).isEqualTo(200);
            assertThat(Files.readAllBytes(server.root().resolve(after.batchId() + ".json"))).isEqualTo(document);
            assertThat(server.activeSessions()).isEqualTo(1);
        }
    }

    @Test
    void a_batch_id_that_cannot_be_a_file_name_is_answered_400_and_writes_nothing() throws Exception {
        Path inbox = inbox("unsafe");
        try (SftpUpstreamTransport sftp = adapter("unsafe")) {
            assertThat(sftp.send("../escape", new byte[]{'{', '}'}).status()).isEqualTo(400);
        }
        assertThat(namesIn(inbox)).isEmpty();
        assertThat(province.root().resolve("escape.json")).doesNotExist();
    }
}
