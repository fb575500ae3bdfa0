package cn.bazhong.credit.gateway.infra;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code gateway.kafka.embedded.broker} tunes the embedded broker by Kafka's names, but may not move it: a setting
 * the gateway decides itself stops the start, naming it, before a broker or a log folder exists.
 */
class EmbeddedBrokerSettingsTest {

    @Test
    void a_setting_that_places_the_broker_or_that_the_gateway_relies_on_is_refused_before_anything_starts(@TempDir Path tmp) {
        Path logDir = tmp.resolve("kafka");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.start("127.0.0.1", 1, 2, logDir,
                Map.of("log.cleaner.threads", "2", "listeners", "PLAINTEXT://0.0.0.0:9092", "auto.create.topics.enable", "true")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway.kafka.embedded.broker may not set auto.create.topics.enable, listeners:")
                .message().doesNotContain("log.cleaner.threads");
        assertThat(logDir).doesNotExist();
    }

    @Test
    void each_setting_the_gateway_sets_itself_is_refused_on_its_own(@TempDir Path tmp) {
        assertThat(EmbeddedKafkaBroker.GATEWAY_OWNED).contains("process.roles", "listeners", "log.dirs", "message.max.bytes");
        for (String owned : EmbeddedKafkaBroker.GATEWAY_OWNED) {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start("127.0.0.1", 1, 2, tmp.resolve("kafka"), Map.of(owned, "x")))
                    .as(owned).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("may not set " + owned + ":");
        }
        assertThat(tmp.resolve("kafka")).doesNotExist();
    }

    @Test
    void settings_written_as_in_the_yaml_keep_kafkas_dotted_names() {
        // what config/application.yaml's "broker:" with "log.cleaner.dedupe.buffer.size: 33554432" under it becomes
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "gateway.kafka.embedded.broker.log.cleaner.dedupe.buffer.size", "33554432",
                "gateway.kafka.embedded.broker[log.cleaner.threads]", "2")));
        KafkaSettings settings = binder.bind("gateway.kafka", KafkaSettings.class).get();
        assertThat(settings.embedded().broker()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "log.cleaner.dedupe.buffer.size", "33554432", "log.cleaner.threads", "2"));
    }
}
