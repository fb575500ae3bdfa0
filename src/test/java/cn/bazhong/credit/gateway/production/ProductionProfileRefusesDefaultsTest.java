package cn.bazhong.credit.gateway.production;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.security.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The gateway started with the production profile and the repository's development defaults in
 * place stops before it connects to anything, with one report naming every offending setting.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionProfileRefusesDefaultsTest {

    private static Map<String, Object> production() {
        Map<String, Object> p = new HashMap<>();
        p.put("GATEWAY_NODE_ID", "prod-check");
        p.put("GATEWAY_KAFKA_BOOTSTRAP", "127.0.0.1:1");
        p.put("GATEWAY_HAZELCAST_ADDRESS", "127.0.0.1");
        p.put("GATEWAY_HAZELCAST_MEMBERS", "127.0.0.1:1");
        p.put("GATEWAY_UPSTREAM_URL", "http://127.0.0.1:1/");
        p.put("GATEWAY_SOURCE_UNIT_USCC", "11511900MB1599991T");
        p.put("camel.main.run-controller", "false");
        return p;
    }

    @Test
    void the_production_profile_with_development_defaults_left_in_place_refuses_to_start_and_names_each(CapturedOutput output) {
        Map<String, Object> p = production();
        p.put("GATEWAY_SUBJECT_KEY_SECRET", "development-only-subject-key");
        p.put("GATEWAY_UPSTREAM_TOKEN", "province-dev-token");
        p.put("GATEWAY_KEYS_XZSPJ", ApiKeys.hash("demo-key-xzspj"));
        p.put("GATEWAY_SCJGJ_SFTP_PASSWORD", "demo-sftp-password");

        Throwable thrown = catchThrowable(() -> {
            try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(GatewayApplication.class)
                    .web(WebApplicationType.NONE).profiles("production").properties(p).run()) {
                // must not get here
            }
        });

        assertThat(thrown).isInstanceOf(DevelopmentDefaultsLeftException.class);
        assertThat(DevelopmentDefaults.settings(((DevelopmentDefaultsLeftException) thrown).findings()))
                .contains("gateway.lists.subject-key-secret", "gateway.upstream.token", "gateway.access.departments.XZSPJ",
                        "gateway.feeds.scjgj.sftp.password", "gateway.crypto.fields.enabled")
                .anySatisfy(s -> assertThat(s).startsWith("subscriptions.XZSPJ.webhook.secrets"))
                .anySatisfy(s -> assertThat(s).startsWith("subscriptions.SSTHJJ.sftp.password"));
        assertThat(output).contains("APPLICATION FAILED TO START").contains("The production profile refuses to start")
                .contains("gateway.upstream.token").contains("Action:");
        assertThat(output).doesNotContain("province-dev-token").doesNotContain("development-only-subject-key");
    }
}
