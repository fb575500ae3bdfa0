package cn.bazhong.credit.gateway.tls;

import cn.bazhong.credit.gateway.fanout.OutboundEvent;
import cn.bazhong.credit.gateway.fanout.Subscription;
import cn.bazhong.credit.gateway.fanout.WebhookSender;
import cn.bazhong.credit.gateway.fanout.WebhookSigner;
import cn.bazhong.credit.gateway.support.TestCertificates;
import cn.bazhong.credit.gateway.transport.UpstreamToken;
import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import cn.bazhong.credit.gateway.upstream.RestUpstreamTransport;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.ssl.PemSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.PropertiesSslBundle;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Outbound HTTPS of the province client and the webhook sender against real HTTPS servers on loopback
 * with certificates made here: the peer's certificate must come from a CA of the configured SSL bundle
 * (built by Spring Boot from the same properties an operator sets) and name the host called; the
 * bundle's keystore is the gateway's client certificate for mutual TLS.
 */
class OutboundHttpsTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final cn.bazhong.credit.gateway.support.PlainCamel CAMEL = new cn.bazhong.credit.gateway.support.PlainCamel();


    static final TestCertificates.Authority PROVINCE_CA = TestCertificates.authority("Sichuan credit platform test CA");
    static final TestCertificates.Authority OTHER_CA = TestCertificates.authority("Some other CA");
    static final TestCertificates.Authority GATEWAY_CLIENT_CA = TestCertificates.authority("Bazhong gateway clients test CA");

    @TempDir
    Path dir;

    private HttpsServer server;
    /** What the server saw: the request lines, and the client certificate's subject when there was one. */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> clientSubjects = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A province (or department) on 127.0.0.1 serving {@code certificate}, asking for a client certificate from {@code clientCa}. */
    private URI serve(TestCertificates.Issued certificate, TestCertificates.Authority clientCa) throws IOException {
        SSLContext context = clientCa == null ? TestCertificates.context(certificate) : TestCertificates.context(certificate, clientCa);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(clientCa != null);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + path);
            try {
                X509Certificate peer = (X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
                clientSubjects.put(path, peer.getSubjectX500Principal().getName());
            } catch (SSLPeerUnverifiedException none) {
                // no client certificate asked for
            }
            exchange.getRequestBody().readAllBytes();
            byte[] body = path.endsWith("/token")
                    ? "{\"access_token\":\"token-over-https\",\"expires_in\":300}".getBytes(StandardCharsets.UTF_8)
                    : "{\"batchId\":\"B-1\",\"status\":\"ACCEPTED\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** An SSL bundle as Spring Boot builds it from spring.ssl.bundle.pem.&lt;name&gt;.* (files, as an operator configures them). */
    private SslBundle bundle(TestCertificates.Authority trusted, TestCertificates.Issued client) {
        PemSslBundleProperties properties = new PemSslBundleProperties();
        properties.getTruststore().setCertificate(trusted.writeTo(dir, "trusted-" + System.nanoTime()).toUri().toString());
        if (client != null) {
            Path[] files = client.writeTo(dir, "client-" + System.nanoTime());
            properties.getKeystore().setCertificate(files[0].toUri().toString());
            properties.getKeystore().setPrivateKey(files[1].toUri().toString());
        }
        return PropertiesSslBundle.get(properties);
    }

    private static OutboundTls tls(String name, SslBundle bundle) {
        return OutboundTls.select(new DefaultSslBundleRegistry(name, bundle), "gateway.upstream.tls.bundle", name, null);
    }

    private static UpstreamTransport.Answer sendBatch(URI province, OutboundTls tls) throws Exception {
        return new RestUpstreamTransport(CAMEL, province.toString(), UpstreamToken.fixed("t"), Duration.ofSeconds(10), tls)
                .send("B-1", "{\"records\":[]}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void the_province_client_refuses_a_province_whose_certificate_comes_from_a_ca_it_does_not_trust() throws Exception {
        URI province = serve(PROVINCE_CA.server("credit.sc.example"), null);

        assertThatThrownBy(() -> sendBatch(province, OutboundTls.jdkDefaults()))
                .as("the JDK's CAs do not include the province's").isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> sendBatch(province, tls("gateway-outbound", bundle(OTHER_CA, null))))
                .as("a bundle with another CA").isInstanceOf(SSLHandshakeException.class);
        assertThat(requests).as("no request reached the server").isEmpty();
    }

    @Test
    void the_province_client_with_the_provinces_ca_in_its_bundle_fetches_its_token_and_delivers_a_batch_over_https() throws Exception {
        URI province = serve(PROVINCE_CA.server("credit.sc.example"), null);
        OutboundTls tls = tls("province", bundle(PROVINCE_CA, null));
        UpstreamToken token = new UpstreamToken.ClientCredentials(province.resolve("/oauth/token"), "gateway", "client-secret", null,
                Clock.systemUTC(), tls);

        UpstreamTransport.Answer answer = new RestUpstreamTransport(CAMEL, province.toString(), token, Duration.ofSeconds(10), tls)
                .send("B-1", "{\"records\":[]}".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(requests).containsExactly("POST /oauth/token", "POST /exchange/v1/batches");
    }

    @Test
    void a_certificate_from_the_trusted_ca_for_another_host_name_is_refused() throws Exception {
        URI province = serve(PROVINCE_CA.serverFor("credit.sc.example", "credit.sc.example"), null);

        assertThatThrownBy(() -> sendBatch(province, tls("province", bundle(PROVINCE_CA, null))))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(requests).isEmpty();
    }

    @Test
    void a_province_that_asks_for_mutual_tls_gets_the_gateways_client_certificate_from_the_bundles_keystore() throws Exception {
        URI province = serve(PROVINCE_CA.server("credit.sc.example"), GATEWAY_CLIENT_CA);

        assertThatThrownBy(() -> sendBatch(province, tls("province", bundle(PROVINCE_CA, null))))
                .as("without a client certificate the province closes the handshake").isInstanceOf(IOException.class);
        assertThat(requests).isEmpty();

        UpstreamTransport.Answer answer = sendBatch(province, tls("province", bundle(PROVINCE_CA, GATEWAY_CLIENT_CA.client("bazhong-gateway"))));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(clientSubjects.get("/exchange/v1/batches")).contains("CN=bazhong-gateway");
    }

    @Test
    void the_webhook_sender_trusts_a_department_only_through_the_fanout_bundle() throws Exception {
        TestCertificates.Authority departmentCa = TestCertificates.authority("Bazhong e-government test CA");
        URI department = serve(departmentCa.server("hooks.scjgj.example"), null);
        Subscription.WebhookChannel channel = new Subscription.WebhookChannel(department.resolve("/hooks/credit"), List.of(WebhookSigner.newSecret()));
        OutboundEvent event = new OutboundEvent("evt-1", "list.listed", "SCJGJ", "s", Instant.now(), "{}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new WebhookSender(CAMEL, channel, Duration.ofSeconds(5), Clock.systemUTC()).send(List.of(event)))
                .isInstanceOf(SSLHandshakeException.class);
        OutboundTls fanout = OutboundTls.select(new DefaultSslBundleRegistry("departments", bundle(departmentCa, null)),
                "gateway.fanout.tls.bundle", "departments", null);
        assertThat(new WebhookSender(CAMEL, channel, Duration.ofSeconds(5), Clock.systemUTC(), fanout).send(List.of(event)).status())
                .isEqualTo(200);
        assertThat(requests).containsExactly("POST /hooks/credit");
    }

    @Test
    void a_bundle_name_that_is_not_configured_stops_the_start_naming_the_setting() {
        assertThatThrownBy(() -> OutboundTls.select(new DefaultSslBundleRegistry(), "gateway.upstream.tls.bundle", "provnice", "gateway-outbound"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("gateway.upstream.tls.bundle")
                .hasMessageContaining("'provnice'");
        assertThat(OutboundTls.select(new DefaultSslBundleRegistry(), "gateway.upstream.tls.bundle", "", null).toString())
                .isEqualTo(OutboundTls.jdkDefaults().toString());
    }
}
