package cn.bazhong.credit.gateway.security;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.crypto.KeyFiles;
import cn.bazhong.credit.gateway.fanout.Subscription;
import cn.bazhong.credit.gateway.fanout.Subscriptions;
import cn.bazhong.credit.gateway.fanout.WebhookSigner;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway whose secrets are files of a config tree (a secrets mount, {@code spring.config.import:
 * configtree:} in config/application.yaml, folder {@code GATEWAY_SECRETS_DIR}) takes them from there:
 * the upstream token, a department's API key hash, a webhook secret named in config/subscriptions.yaml,
 * and another one given there as {@code ${file:/path}}.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SecretsFromFilesTest {

    static final String TOKEN = "token-from-a-secrets-mount";
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults().withToken(TOKEN));
    static final String XZSPJ_SECRET = WebhookSigner.newSecret();
    static final String GGZY_SECRET = WebhookSigner.newSecret();
    static final Path SECRETS;
    static final Path CONFIG;

    static {
        try {
            SECRETS = Files.createTempDirectory("secrets-mount-");
            CONFIG = Files.createTempDirectory("secrets-config-");
            // a Kubernetes-style tree (folders become dots) and flat files named like settings or variables
            Files.createDirectories(SECRETS.resolve("gateway/upstream"));
            KeyFiles.createOwnerOnly(SECRETS.resolve("gateway/upstream/token"), TOKEN + "\n");
            KeyFiles.createOwnerOnly(SECRETS.resolve("gateway.access.departments.XZSPJ"),
                    ApiKeys.hash(TestGateway.KEYS.get("XZSPJ")) + "\n");
            KeyFiles.createOwnerOnly(SECRETS.resolve("GATEWAY_WEBHOOK_SECRET_XZSPJ"), XZSPJ_SECRET + "\n");
            KeyFiles.createOwnerOnly(CONFIG.resolve("ggzy-webhook-secret"), GGZY_SECRET + "\n");
            Files.writeString(CONFIG.resolve("subscriptions.yaml"), """
                    subscriptions:
                      XZSPJ:
                        webhook: { url: "http://127.0.0.1:9/hooks/XZSPJ", secrets: ["${GATEWAY_WEBHOOK_SECRET_XZSPJ}"] }
                      GGZY:
                        webhook: { url: "http://127.0.0.1:9/hooks/GGZY", secrets: ["${file:%s}"] }
                    """.formatted(CONFIG.resolve("ggzy-webhook-secret")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // read while the configuration files are loaded, before any test property source exists
        System.setProperty("GATEWAY_SECRETS_DIR", SECRETS + "/");
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        // every test key but XZSPJ's, which comes from the secrets mount
        TestGateway.register((name, value) -> {
            if (!name.startsWith("gateway.access.departments.XZSPJ")) {
                registry.add(name, value);
            }
        }, "secrets-from-files");
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        registry.add("gateway.fanout.enabled", () -> "true");
        registry.add("gateway.fanout.subscriptions-file", () -> CONFIG.resolve("subscriptions.yaml").toString());
    }

    @AfterAll
    static void stop() {
        System.clearProperty("GATEWAY_SECRETS_DIR");
        PROVINCE.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    @Autowired
    Subscriptions subscriptions;

    @Test
    void a_department_authenticated_by_a_key_hash_from_a_file_reaches_the_province_with_the_token_from_a_file() throws IOException {
        assertThat(environment.getProperty("gateway.upstream.token")).isEqualTo(TOKEN);

        byte[] licences = Files.readAllBytes(Path.of("samples/feeds/rest/xzspj/licences-001.json"));
        Http.Response receipt = Http.post("http://127.0.0.1:" + port + "/api/v1/feeds/xzspj/licences", TestGateway.KEYS.get("XZSPJ"),
                licences, "Content-Type", "application/json");
        assertThat(receipt.status()).as(receipt.body()).isEqualTo(200);
        assertThat(Http.post("http://127.0.0.1:" + port + "/api/v1/feeds/xzspj/licences", "not-the-key", licences).status())
                .isEqualTo(401);

        await().atMost(Duration.ofSeconds(60)).until(() -> PROVINCE.records().size() >= 34);
        assertThat(PROVINCE.records()).hasSize(34);
    }

    @Test
    void webhook_secrets_come_from_a_config_tree_file_or_a_file_reference_in_the_subscriptions() {
        assertThat(((Subscription.WebhookChannel) subscriptions.of("XZSPJ").orElseThrow().channel()).secrets()).containsExactly(XZSPJ_SECRET);
        assertThat(((Subscription.WebhookChannel) subscriptions.of("GGZY").orElseThrow().channel()).secrets()).containsExactly(GGZY_SECRET);
    }
}
