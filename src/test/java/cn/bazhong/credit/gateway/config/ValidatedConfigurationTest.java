package cn.bazhong.credit.gateway.config;

import cn.bazhong.credit.gateway.audit.AuditSettings;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import cn.bazhong.credit.gateway.ingest.RestSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings records with limits are bound once and validated: a value out of range stops the start with
 * Spring Boot's binding report naming the setting, the value and the limit; the defaults of the records are the
 * documented ones.
 */
class ValidatedConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({NodeSettings.class, RestSettings.class, AuditSettings.class})
    static class Settings {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Settings.class)
            .withPropertyValues("gateway.node-id=node-1");

    @Test
    void the_records_bind_their_keys_and_fall_back_to_the_documented_defaults() {
        runner.withPropertyValues("gateway.rest.concurrent-pushes=8", "gateway.audit.retention=200d").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(NodeSettings.class).nodeId()).isEqualTo("node-1");
            RestSettings rest = context.getBean(RestSettings.class);
            assertThat(rest.concurrentPushes()).isEqualTo(8);
            assertThat(rest.transactionTimeout()).isEqualTo(Duration.ofSeconds(120));
            assertThat(rest.maxBodySize().toMegabytes()).isEqualTo(20);
            assertThat(rest.idempotencyKeysTopic()).isEqualTo("credit.idempotency-keys");
            assertThat(context.getBean(AuditSettings.class).retention()).isEqualTo(Duration.ofDays(200));
            assertThat(context.getBean(AuditSettings.class).buffer()).isEqualTo(10000);
        });
    }

    @Test
    void values_out_of_range_stop_the_start_naming_each_key() {
        runner.withPropertyValues("gateway.node-id=node 1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class)
                    .hasMessageContaining("gateway").hasMessageContaining("nodeId").hasMessageContaining("letters, digits");
        });
        runner.withPropertyValues("gateway.rest.concurrent-pushes=0", "gateway.rest.transaction-timeout=20m").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class)
                    .hasMessageContaining("\"gateway.rest.concurrent-pushes\"").hasMessageContaining("greater than or equal to 1")
                    .hasMessageContaining("\"gateway.rest.transaction-timeout\"").hasMessageContaining("15 minutes");
        });
    }

    @Test
    void a_blank_node_id_is_refused() {
        runner.withPropertyValues("gateway.node-id=").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class)
                    .hasMessageContaining("nodeId");
        });
    }
}
