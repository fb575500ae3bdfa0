package cn.bazhong.credit.gateway.production;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.crypto.KeyFiles;
import cn.bazhong.credit.gateway.fanout.WebhookSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The production profile's report of development defaults takes secrets from a config-tree folder into
 * account: a secret given as a file is not reported as left at its default, one that is not still is.
 */
class ProductionChecksSeeSecretsFromFilesTest {

    @Test
    void a_webhook_secret_and_the_upstream_token_from_files_are_not_reported_and_the_rest_still_is(@TempDir Path secrets) {
        KeyFiles.createOwnerOnly(secrets.resolve("GATEWAY_WEBHOOK_SECRET_XZSPJ"), WebhookSigner.newSecret() + "\n");
        KeyFiles.createOwnerOnly(secrets.resolve("gateway.upstream.token"), "a-token-of-this-deployment\n");
        Map<String, Object> p = new HashMap<>();
        p.put("GATEWAY_SECRETS_DIR", secrets + "/");
        p.put("GATEWAY_NODE_ID", "prod-files");
        p.put("GATEWAY_KAFKA_BOOTSTRAP", "127.0.0.1:1");
        p.put("GATEWAY_HAZELCAST_ADDRESS", "127.0.0.1");
        p.put("GATEWAY_HAZELCAST_MEMBERS", "127.0.0.1:1");
        p.put("GATEWAY_UPSTREAM_URL", "http://127.0.0.1:1/");
        p.put("camel.main.run-controller", "false");

        Throwable thrown = catchThrowable(() -> {
            try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(GatewayApplication.class)
                    .web(WebApplicationType.NONE).profiles("production").properties(p).run()) {
                // must not get here: other defaults are left
            }
        });

        assertThat(thrown).isInstanceOf(DevelopmentDefaultsLeftException.class);
        List<String> reported = DevelopmentDefaults.settings(((DevelopmentDefaultsLeftException) thrown).findings());
        assertThat(reported).noneMatch(s -> s.startsWith("subscriptions.XZSPJ.webhook.secrets"))
                .doesNotContain("gateway.upstream.token")
                .anySatisfy(s -> assertThat(s).startsWith("subscriptions.ZWFW.webhook.secrets"));
    }
}
