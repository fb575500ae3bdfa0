package cn.bazhong.credit.gateway.config;

import cn.bazhong.credit.gateway.audit.AuditSettings;
import cn.bazhong.credit.gateway.catalog.CatalogSettings;
import cn.bazhong.credit.gateway.feeds.FeedWatermarkSettings;
import cn.bazhong.credit.gateway.infra.NodeSettings;
import cn.bazhong.credit.gateway.infra.ReceiptSettings;
import cn.bazhong.credit.gateway.ingest.ListIntakeSettings;
import cn.bazhong.credit.gateway.ingest.MappingSettings;
import cn.bazhong.credit.gateway.ingest.RestSettings;
import cn.bazhong.credit.gateway.lists.ListStateSettings;
import cn.bazhong.credit.gateway.lists.SubjectsSettings;
import cn.bazhong.credit.gateway.measures.MeasureSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.FileSystemResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings records with limits are bound once and validated: a value out of range stops the start with
 * Spring Boot's binding report naming the setting, the value and the limit; the defaults of the records are the
 * documented ones.
 */
class ValidatedConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({NodeSettings.class, RestSettings.class, AuditSettings.class, SubjectsSettings.class,
            ListStateSettings.class, ListIntakeSettings.class, ReceiptSettings.class, CatalogSettings.class, MappingSettings.class,
            FeedWatermarkSettings.class, MeasureSettings.class})
    static class Settings {
    }

    /** The records once read with {@code @Value}, whose defaults must stay those of config/application.yaml. */
    private static final List<Class<?>> FORMERLY_INJECTED = List.of(SubjectsSettings.class, ListIntakeSettings.class,
            ReceiptSettings.class, CatalogSettings.class, MappingSettings.class, FeedWatermarkSettings.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Settings.class)
            .withPropertyValues("gateway.node-id=node-1", "gateway.lists.subject-key-secret=a-secret-of-this-test-0123");

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
    void the_keys_once_injected_with_value_have_the_defaults_of_the_repositorys_configuration() {
        runner.run(defaults -> runner.withInitializer(context -> {
            try {
                new YamlPropertySourceLoader().load("config/application.yaml", new FileSystemResource(Path.of("config/application.yaml")))
                        .forEach(context.getEnvironment().getPropertySources()::addLast);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).run(configured -> {
            assertThat(defaults).hasNotFailed();
            assertThat(configured).hasNotFailed();
            for (Class<?> type : FORMERLY_INJECTED) {
                assertThat(defaults.getBean(type)).as(type.getSimpleName()).isEqualTo(configured.getBean(type));
            }
            assertThat(defaults.getBean(ListStateSettings.class).expiryCheckInterval())
                    .isEqualTo(configured.getBean(ListStateSettings.class).expiryCheckInterval()).isEqualTo(Duration.ofMinutes(15));
            assertThat(defaults.getBean(MeasureSettings.class).publicationWorkingDays())
                    .isEqualTo(configured.getBean(MeasureSettings.class).publicationWorkingDays()).isEqualTo(7);
            SubjectsSettings subjects = configured.getBean(SubjectsSettings.class);
            assertThat(subjects.recordsYears()).isEqualTo(3);
            assertThat(subjects.checksRetention()).isEqualTo(Duration.ofDays(400));
            assertThat(configured.getBean(ListIntakeSettings.class).snapshotExitGuard()).isEqualTo(0.1);
        }));
    }

    @Test
    void a_bad_value_of_a_key_once_injected_with_value_stops_the_start_naming_the_key() {
        runner.withPropertyValues("gateway.subjects.records-years=-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class)
                    .hasMessageContaining("\"gateway.subjects.records-years\"").hasMessageContaining("greater than or equal to 1");
        });
        runner.withPropertyValues("gateway.lists.snapshot-exit-guard=1.5").run(context ->
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class)
                        .hasMessageContaining("\"gateway.lists.snapshot-exit-guard\"").hasMessageContaining("less than or equal to 1"));
        runner.withPropertyValues("gateway.lists.expiry-check-interval=0s").run(context ->
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class)
                        .hasMessageContaining("\"gateway.lists.expiry-check-interval\""));
        runner.withPropertyValues("gateway.measures.publication-working-days=0").run(context ->
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class)
                        .hasMessageContaining("\"gateway.measures.publication-working-days\""));
        runner.withPropertyValues("gateway.lists.subject-key-secret= ").run(context ->
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class)
                        .hasMessageContaining("\"gateway.lists.subject-key-secret\""));
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
