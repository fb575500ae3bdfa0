package cn.bazhong.credit.gateway.tls;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.TestCertificates;
import cn.bazhong.credit.gateway.support.TestGateway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The whole gateway with HTTPS on its API (the environment variables an operator sets: a PEM
 * certificate chain and key made here by a test CA) and the plain connector that only redirects.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext
class HttpsApiTest {

    static final TestCertificates.Authority CITY_CA = TestCertificates.authority("Bazhong city test CA");
    static final int HTTPS_PORT = FreePorts.next();
    static final int REDIRECT_PORT = FreePorts.next();

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) throws IOException {
        TestGateway.register(registry, "https");
        Path dir = Files.createTempDirectory("gateway-tls-");
        Path[] node = CITY_CA.server("gateway-node-1").writeTo(dir, "node");
        registry.add("GATEWAY_HTTP_PORT", () -> HTTPS_PORT);
        registry.add("server.port", () -> HTTPS_PORT);
        registry.add("GATEWAY_TLS_ENABLED", () -> "true");
        registry.add("GATEWAY_TLS_CERTIFICATE", () -> "file:" + node[0]);
        registry.add("GATEWAY_TLS_PRIVATE_KEY", () -> "file:" + node[1]);
        registry.add("GATEWAY_TLS_REDIRECT", () -> "true");
        registry.add("GATEWAY_TLS_REDIRECT_PORT", () -> REDIRECT_PORT);
    }

    private static String https(String path) {
        return "https://127.0.0.1:" + HTTPS_PORT + path;
    }

    @Test
    void a_client_that_trusts_the_city_ca_gets_200_from_health_over_https() {
        SSLContext trustsCity = TestCertificates.context(null, CITY_CA);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> health = TlsClients.get(trustsCity, https("/actuator/health"));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");
        });
        assertThat(health(trustsCity, "/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void a_client_that_does_not_trust_the_city_ca_fails_the_handshake() {
        SSLContext trustsOthers = TestCertificates.context(null, TestCertificates.authority("Some other CA"));
        assertThatThrownBy(() -> TlsClients.get(trustsOthers, https("/actuator/health"))).isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> TlsClients.get(SSLContext.getDefault(), https("/actuator/health"))).as("the JDK's CAs")
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plain_http_on_the_https_port_gets_no_answer_from_the_api() {
        HttpResponse<String> plain;
        try {
            plain = TlsClients.get(TestCertificates.context(null, CITY_CA), "http://127.0.0.1:" + HTTPS_PORT + "/actuator/health");
        } catch (IOException | InterruptedException refused) {
            return; // refused outright: nothing was served either
        }
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(plain.body()).doesNotContain("UP");
    }

    @Test
    void the_plain_connector_redirects_every_request_to_the_same_path_over_https() throws Exception {
        HttpResponse<String> redirect = TlsClients.get(SSLContext.getDefault(),
                "http://127.0.0.1:" + REDIRECT_PORT + "/api/v1/receipts/R-1?x=1");

        assertThat(redirect.statusCode()).isBetween(301, 308);
        assertThat(redirect.headers().firstValue("Location")).hasValue(https("/api/v1/receipts/R-1?x=1"));
        assertThat(redirect.body()).doesNotContain("problem");
    }

    private static HttpResponse<String> health(SSLContext context, String path) {
        try {
            return TlsClients.get(context, https(path));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
