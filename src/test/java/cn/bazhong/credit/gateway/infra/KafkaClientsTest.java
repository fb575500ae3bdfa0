package cn.bazhong.credit.gateway.infra;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How the settings of the gateway's Kafka consumers are layered: built-in defaults, the operator's, the stage's own. */
class KafkaClientsTest {

    @Test
    void a_stage_consumer_gives_its_partitions_up_after_fifteen_seconds_unless_the_operator_says_otherwise() {
        Map<String, Object> defaults = new KafkaClients("127.0.0.1:9092", Map.of()).consumerConfig("g", "c", 100, Map.of());
        assertThat(defaults).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);

        Map<String, Object> operators = new KafkaClients("127.0.0.1:9092",
                Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1500")).consumerConfig("g", "c", 100, Map.of());
        assertThat(operators).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000")
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1500");
    }

    @Test
    void a_consumers_own_settings_win_over_the_operators() {
        Map<String, Object> lease = new KafkaClients("127.0.0.1:9092", Map.of("session.timeout.ms", "20000"))
                .consumerConfig("leases", "c", 1, Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000));
        assertThat(lease).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "leases")
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
}
