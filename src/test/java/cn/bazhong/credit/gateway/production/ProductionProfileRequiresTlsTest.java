package cn.bazhong.credit.gateway.production;

import cn.bazhong.credit.gateway.support.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The production profile's start-up check (the repository's config/ files, the production profile, the
 * same check and report as for the development defaults) refuses plain HTTP unless the gateway is said
 * to sit behind a proxy that terminates TLS. Only the check runs here: no Kafka, Hazelcast or web server.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionProfileRequiresTlsTest {

    @TempDir
    Path dir;

    /** The application's only source: the checks run before any bean, so none is needed. */
    @Configuration(proxyBeanMethods = false)
    static class NoBeans {
    }

    /** A production environment with every secret of its own, so that only TLS is left to decide. */
    private static Map<String, Object> production() {
        Map<String, Object> p = new HashMap<>();
        p.put("GATEWAY_NODE_ID", "prod-tls");
        p.put("GATEWAY_KAFKA_BOOTSTRAP", "127.0.0.1:1");
        p.put("GATEWAY_HAZELCAST_ADDRESS", "127.0.0.1");
        p.put("GATEWAY_HAZELCAST_MEMBERS", "127.0.0.1:1");
        p.put("GATEWAY_UPSTREAM_URL", "https://credit.sc.example/");
        p.put("GATEWAY_UPSTREAM_TOKEN", "token-of-this-deployment");
        p.put("GATEWAY_SOURCE_UNIT_USCC", "11511900MB1599991T");
        p.put("GATEWAY_SUBJECT_KEY_SECRET", "subject-key-of-this-deployment");
        // the subscriptions file's secrets are checked elsewhere (ProductionProfileRefusesDefaultsTest)
        p.put("GATEWAY_FANOUT_ENABLED", "false");
        p.put("GATEWAY_CRYPTO_FIELDS", "true");
        return p;
    }

    private static Throwable start(Map<String, Object> properties) {
        return catchThrowable(() -> {
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(NoBeans.class)
                    .web(WebApplicationType.NONE).profiles("production").properties(properties).run()) {
                assertThat(context.isActive()).isTrue();
            }
        });
    }

    @Test
    void the_production_profile_without_https_refuses_to_start_and_names_the_settings_to_change(CapturedOutput output) {
        Throwable thrown = start(production());

        assertThat(thrown).isInstanceOf(DevelopmentDefaultsLeftException.class);
        assertThat(DevelopmentDefaults.settings(((DevelopmentDefaultsLeftException) thrown).findings())).containsExactly("server.ssl.enabled");
        assertThat(output).contains("APPLICATION FAILED TO START").contains("The production profile refuses to start")
                .contains("server.ssl.enabled: HTTPS is off").contains("GATEWAY_TLS_ENABLED=true")
                .contains("gateway.tls.behind-proxy: true").contains("Action:");
    }

    @Test
    void the_production_profile_with_personal_fields_in_the_clear_refuses_to_start_and_says_how_to_create_the_keys(CapturedOutput output) {
        Map<String, Object> p = production();
        p.put("GATEWAY_TLS_BEHIND_PROXY", "true");
        p.put("GATEWAY_CRYPTO_FIELDS", "false");

        Throwable thrown = start(p);

        assertThat(thrown).isInstanceOf(DevelopmentDefaultsLeftException.class);
        assertThat(DevelopmentDefaults.settings(((DevelopmentDefaultsLeftException) thrown).findings()))
                .containsExactly("gateway.crypto.fields.enabled");
        assertThat(output).contains("personal fields would be kept in the clear").contains("keys new-kek")
                .contains("GATEWAY_CRYPTO_FIELDS=true");
    }

    @Test
    void the_production_profile_behind_a_tls_terminating_proxy_starts_without_https() {
        Map<String, Object> p = production();
        p.put("GATEWAY_TLS_BEHIND_PROXY", "true");

        assertThat(start(p)).isNull();
    }

    @Test
    void the_production_profile_with_https_and_a_certificate_starts() {
        Path[] node = TestCertificates.authority("Bazhong city test CA").server("gateway-node-1").writeTo(dir, "node");
        Map<String, Object> p = production();
        p.put("GATEWAY_TLS_ENABLED", "true");
        p.put("GATEWAY_TLS_CERTIFICATE", "file:" + node[0]);
        p.put("GATEWAY_TLS_PRIVATE_KEY", "file:" + node[1]);

        assertThat(start(p)).isNull();
    }

    @Test
    void https_switched_on_without_a_certificate_is_refused_naming_the_bundles_certificate() {
        Map<String, Object> p = production();
        p.put("GATEWAY_TLS_ENABLED", "true");

        Throwable thrown = start(p);

        assertThat(thrown).isInstanceOf(DevelopmentDefaultsLeftException.class);
        assertThat(DevelopmentDefaults.settings(((DevelopmentDefaultsLeftException) thrown).findings()))
                .containsExactly("spring.ssl.bundle.pem.gateway-server.keystore.certificate");
    }
}
