package cn.bazhong.credit.gateway.infra;

import org.junit.jupiter.api.Test;
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
}
