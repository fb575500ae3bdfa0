package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.support.TestBroker;
import cn.bazhong.credit.gateway.fanout.WebhookSigner;
import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.security.ApiKeys;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The production profile, configured only through its environment variables, runs the same code
 * against an external Kafka broker (here one started by the test) with no embedded broker and no
 * simulator of its own.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("production")
@DirtiesContext
class ProductionProfileTest {

    static final Path DATA = tempDir();
    static final Path SUBSCRIPTIONS = subscriptionsWithRealSecrets();
    static final EmbeddedKafkaBroker EXTERNAL_KAFKA = startBroker();
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults().withToken("prod-token"));

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("production-profile-");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** config/subscriptions.yaml with every development default replaced by a secret of this test. */
    private static Path subscriptionsWithRealSecrets() {
        try {
            String yaml = Files.readString(Path.of("config/subscriptions.yaml"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{GATEWAY_WEBHOOK_SECRET_[A-Z]+:whsec_[^}]*}").matcher(yaml);
            StringBuilder replaced = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(replaced, java.util.regex.Matcher.quoteReplacement(WebhookSigner.newSecret()));
            }
            m.appendTail(replaced);
            String real = replaced.toString().replaceAll("\\$\\{GATEWAY_SFTP_PASSWORD_SSTHJJ:[^}]*}", "sftp-password-of-this-test");
            return Files.writeString(DATA.resolve("subscriptions.yaml"), real);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EmbeddedKafkaBroker startBroker() {
        try {
            return EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), DATA.resolve("kafka"), TestBroker.SETTINGS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        int hazelcast = FreePorts.next();
        registry.add("GATEWAY_NODE_ID", () -> "prod-1");
        registry.add("GATEWAY_KAFKA_BOOTSTRAP", EXTERNAL_KAFKA::bootstrapServers);
        registry.add("GATEWAY_HAZELCAST_ADDRESS", () -> "127.0.0.1");
        registry.add("GATEWAY_HAZELCAST_PORT", () -> hazelcast);
        registry.add("GATEWAY_HAZELCAST_MEMBERS", () -> "127.0.0.1:" + hazelcast);
        registry.add("GATEWAY_HAZELCAST_MIN_MEMBERS", () -> "1");
        registry.add("GATEWAY_UPSTREAM_URL", () -> PROVINCE.baseUri().toString());
        registry.add("GATEWAY_UPSTREAM_TOKEN", () -> "prod-token");
        registry.add("GATEWAY_SOURCE_UNIT_USCC", () -> "11511900MB1599991T");
        registry.add("GATEWAY_SUBJECT_KEY_SECRET", () -> "production-test-subject-key");
        registry.add("GATEWAY_KEYS_XZSPJ", () -> ApiKeys.hash("prod-key-xzspj"));
        registry.add("GATEWAY_HTTP_ADDRESS", () -> "127.0.0.1");
        // plain HTTP here, as behind a proxy that terminates TLS (HTTPS itself: tls.HttpsApiTest)
        registry.add("GATEWAY_TLS_BEHIND_PROXY", () -> "true");
        // personal fields sealed at rest, as the production profile requires
        cn.bazhong.credit.gateway.support.TestGateway.encryptPersonalData(registry);
        // the production profile refuses the development secrets of config/subscriptions.yaml: real ones here
        registry.add("GATEWAY_SUBSCRIPTIONS", () -> SUBSCRIPTIONS.toString());
        // one broker here: the production default of three replicas cannot be met
        registry.add("gateway.topics.replication-factor", () -> "1");
        registry.add("gateway.feeds.swj.kafka.provision-source-topic", () -> "true");
        registry.add("camel.main.run-controller", () -> "false");
        registry.add("camel.main.shutdown-timeout", () -> "5");
    }

    @AfterAll
    static void stop() {
        PROVINCE.close();
        EXTERNAL_KAFKA.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaClients clients;

    @Autowired
    ObjectProvider<EmbeddedKafkaBroker> embedded;

    @Test
    void the_production_profile_uses_the_external_cluster_and_delivers_a_push() throws Exception {
        assertThat(embedded.getIfAvailable()).as("no embedded broker in production").isNull();
        assertThat(clients.bootstrapServers()).isEqualTo(EXTERNAL_KAFKA.bootstrapServers());

        Http.Response pushed = Http.post("http://127.0.0.1:" + port + "/api/v1/feeds/xzspj/licences", "prod-key-xzspj",
                Files.readAllBytes(Path.of("samples/feeds/rest/xzspj/licences-001.json")));
        assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
        assertThat(Http.post("http://127.0.0.1:" + port + "/api/v1/feeds/xzspj/licences", "demo-key-xzspj", new byte[0]).status())
                .as("the demo keys do not exist in production").isEqualTo(401);
        await().atMost(Duration.ofSeconds(60)).until(() -> PROVINCE.records().size() >= 34);
        assertThat(PROVINCE.records()).hasSize(34);
    }

    @Autowired
    cn.bazhong.credit.gateway.reload.ReloadSettings reload;

    @Autowired
    cn.bazhong.credit.gateway.reload.ReloadHealthIndicator reloadHealth;

    @Test
    void live_reload_is_off_in_production_and_health_says_so() {
        assertThat(reload.enabled()).isFalse();
        assertThat(reloadHealth.health().getDetails()).containsEntry("enabled", false);
    }
}
