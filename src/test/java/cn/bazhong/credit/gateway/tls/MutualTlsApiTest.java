package cn.bazhong.credit.gateway.tls;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.support.TestCertificates;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The whole gateway with mutual TLS on its API ({@code server.ssl.client-auth: need}): only clients with
 * a certificate from the configured clients' CA (the province's, the departments') get a connection. Its
 * batches go to a provincial simulator that serves HTTPS with a certificate of the province's CA and asks
 * for the gateway's client certificate: both from the SSL bundle {@code province}
 * ({@code gateway.upstream.tls.bundle}).
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class MutualTlsApiTest {

    static final TestCertificates.Authority CITY_CA = TestCertificates.authority("Bazhong city test CA");
    static final TestCertificates.Authority CLIENTS_CA = TestCertificates.authority("Departments and province clients test CA");
    static final TestCertificates.Authority PROVINCE_CA = TestCertificates.authority("Sichuan credit platform test CA");
    /** Trusts only the gateway's client certificates (issued by CLIENTS_CA here) and asks for one. */
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.startHttps(ProvincialSimulator.Settings.defaults(),
            TestCertificates.context(PROVINCE_CA.server("credit.sc.example"), CLIENTS_CA), true);

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) throws IOException {
        TestGateway.register(registry, "mtls");
        Path dir = Files.createTempDirectory("gateway-mtls-");
        Path[] node = CITY_CA.server("gateway-node-1").writeTo(dir, "node");
        Path clientsCa = CLIENTS_CA.writeTo(dir, "clients-ca");
        registry.add("GATEWAY_TLS_ENABLED", () -> "true");
        registry.add("GATEWAY_TLS_CERTIFICATE", () -> "file:" + node[0]);
        registry.add("GATEWAY_TLS_PRIVATE_KEY", () -> "file:" + node[1]);
        registry.add("GATEWAY_TLS_CLIENT_AUTH", () -> "need");
        registry.add("GATEWAY_TLS_CLIENT_CA", () -> "file:" + clientsCa);
        Path provinceCa = PROVINCE_CA.writeTo(dir, "province-ca");
        Path[] gatewayClient = CLIENTS_CA.client("bazhong-gateway").writeTo(dir, "gateway-client");
        registry.add("spring.ssl.bundle.pem.province.truststore.certificate", () -> "file:" + provinceCa);
        registry.add("spring.ssl.bundle.pem.province.keystore.certificate", () -> "file:" + gatewayClient[0]);
        registry.add("spring.ssl.bundle.pem.province.keystore.private-key", () -> "file:" + gatewayClient[1]);
        registry.add("gateway.upstream.tls.bundle", () -> "province");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
    }

    @AfterAll
    static void stop() {
        PROVINCE.close();
    }

    @LocalServerPort
    int port;

    private String https(String path) {
        return "https://127.0.0.1:" + port + path;
    }

    @Test
    void a_client_with_a_certificate_from_the_clients_ca_gets_200_from_health() {
        SSLContext department = TestCertificates.context(CLIENTS_CA.client("SCJGJ"), CITY_CA);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> health = TlsClients.get(department, https("/actuator/health"));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");
        });
    }

    @Test
    void a_department_pushes_over_mutual_tls_and_its_records_reach_the_province_over_mutual_tls() throws Exception {
        SSLContext xzspj = TestCertificates.context(CLIENTS_CA.client("XZSPJ"), CITY_CA);
        HttpResponse<String> pushed = TlsClients.post(xzspj, https("/api/v1/feeds/xzspj/licences"), TestGateway.KEYS.get("XZSPJ"),
                Files.readAllBytes(Path.of("samples/feeds/rest/xzspj/licences-001.json")));

        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> PROVINCE.records().size() >= 34);
        assertThat(PROVINCE.records()).hasSize(34);
    }

    @Test
    void a_client_without_a_certificate_is_refused_in_the_handshake() {
        SSLContext anonymous = TestCertificates.context(null, CITY_CA);
        assertThatThrownBy(() -> TlsClients.get(anonymous, https("/actuator/health"))).isInstanceOf(IOException.class);
    }

    @Test
    void a_client_with_a_certificate_from_another_ca_is_refused_in_the_handshake() {
        SSLContext stranger = TestCertificates.context(TestCertificates.authority("Some other CA").client("SCJGJ"), CITY_CA);
        assertThatThrownBy(() -> TlsClients.get(stranger, https("/actuator/health"))).isInstanceOf(IOException.class);
    }
}
