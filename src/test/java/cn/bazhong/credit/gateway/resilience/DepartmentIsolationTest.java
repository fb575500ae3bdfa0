package cn.bazhong.credit.gateway.resilience;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.gateway.support.TestSftpServer;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One department's endpoint hangs (its SFTP server accepts connections and never answers):
 * the other departments' files and pushes go through at their normal pace.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class DepartmentIsolationTest {

    static final TestSftpServer SFTP = TestSftpServer.start();
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final HangingServer HANGING = new HangingServer();

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestGateway.register(registry, "isolation");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        feed(registry, "scjgj", HANGING.port());
        feed(registry, "zjfy", SFTP.port());
    }

    private static void feed(DynamicPropertyRegistry registry, String dept, int port) {
        String p = "gateway.feeds." + dept + ".sftp.";
        registry.add(p + "enabled", () -> "true");
        registry.add(p + "host", () -> "127.0.0.1");
        registry.add(p + "port", () -> port);
        registry.add(p + "username", () -> TestSftpServer.USER);
        registry.add(p + "password", () -> TestSftpServer.PASSWORD);
        registry.add(p + "known-hosts-file", () -> SFTP.knownHosts().toString());
        registry.add(p + "delay", () -> "300");
    }

    @AfterAll
    static void stop() {
        SFTP.close();
        PROVINCE.close();
        HANGING.close();
    }

    @LocalServerPort
    int port;

    @Test
    void a_hanging_department_endpoint_delays_nobody_else() throws IOException {
        await().atMost(Duration.ofSeconds(30)).until(() -> HANGING.connections() > 0);
        Instant start = Instant.now();

        SFTP.drop("export/sxbzxr", "SXBZXR_20250310.xml", Files.readAllBytes(Path.of("samples/feeds/sftp/zjfy/export/sxbzxr/SXBZXR_20250310.xml")), true);
        Http.Response pushed = Http.post("http://127.0.0.1:" + port + "/api/v1/feeds/xzspj/licences", TestGateway.KEYS.get("XZSPJ"),
                Files.readAllBytes(Path.of("samples/feeds/rest/xzspj/licences-001.json")));
        Duration pushTook = Duration.between(start, Instant.now());
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Files.exists(SFTP.root().resolve("export/sxbzxr/.done/SXBZXR_20250310.xml.receipt.json")));
        Duration fileTook = Duration.between(start, Instant.now());
        await().atMost(Duration.ofSeconds(30)).until(() -> PROVINCE.records().size() >= 37 + 34);

        assertThat(pushed.status()).isEqualTo(200);
        assertThat(pushTook).isLessThan(Duration.ofSeconds(10));
        // the hanging server holds the SCJGJ poller for its whole connect timeout (15 s) each poll
        assertThat(fileTook).isLessThan(Duration.ofSeconds(15));
        assertThat(HANGING.connections()).isPositive();
        assertThat(PROVINCE.records()).noneMatch(r -> r.recordId().startsWith("SCJGJ:"));
    }

    /** Accepts TCP connections and never says a word. */
    static final class HangingServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> held = new ArrayList<>();

        HangingServer() {
            try {
                socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        synchronized (held) {
                            held.add(s);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "hanging-server");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            synchronized (held) {
                return held.size();
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
                synchronized (held) {
                    for (Socket s : held) {
                        s.close();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
