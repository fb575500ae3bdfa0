package cn.bazhong.credit.gateway.audit;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.support.TestBroker;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.support.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access log is its topic: entries written before a restart of the gateway and of its broker are
 * found afterwards, the topic keeps them for {@code gateway.audit.retention} and deletes (never compacts)
 * them; with Kafka away, recording never blocks and what is lost is counted.
 */
class AccessLogDurabilityTest {

    static final String TOPIC = "credit.audit";
    static final GatewayTopics TOPICS = new GatewayTopics("r", "u", "b", "d", "rc", 3, (short) 1);

    @TempDir
    Path dir;

    private static AccessEntry entry(Instant at, String subjectKey, String caller) {
        return new AccessEntry(at, "node-1", "department", caller, AccessEntry.READ, "GET /api/v1/subjects/{code}/measures",
                "matter 5119-XK-0001", subjectKey, "511902********0011", null, null, 200);
    }

    @Test
    void entries_written_before_a_restart_of_gateway_and_broker_are_found_after_it() throws Exception {
        int port = FreePorts.next();
        int controller = FreePorts.next();
        Instant start = Instant.now().minusSeconds(1);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", port, controller, dir.resolve("kafka"), TestBroker.SETTINGS)) {
            KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
            try (AccessLog log = new AuditConfiguration().accessLog(clients, TOPICS, new SimpleMeterRegistry(), new AuditSettings(TOPIC, Duration.ofDays(180), 100))) {
                log.record(entry(Instant.now(), "P:aaaa", "XZSPJ"));
                log.record(entry(Instant.now(), "P:bbbb", "GGZY"));
                log.record(entry(Instant.now(), "P:aaaa", "GGZY"));
            }
            try (Admin admin = Admin.create(clients.base())) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
                Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
                assertThat(config.get("retention.ms").value()).isEqualTo(String.valueOf(Duration.ofDays(180).toMillis()));
                assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
            }
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", port, controller, dir.resolve("kafka"), TestBroker.SETTINGS)) {
            AccessLogQuery query = new AccessLogQuery(new KafkaClients(broker.bootstrapServers(), Map.of()), TOPIC);
            Instant end = Instant.now().plusSeconds(1);
            AccessLogQuery.Result all = query.find(start, end, e -> true, 100);
            assertThat(all.entries()).hasSize(3);
            assertThat(all.capped()).isFalse();
            assertThat(query.find(start, end, e -> "P:aaaa".equals(e.subjectKey()), 100).entries())
                    .extracting(AccessEntry::caller).containsExactlyInAnyOrder("XZSPJ", "GGZY");
            AccessLogQuery.Result capped = query.find(start, end, e -> true, 2);
            assertThat(capped.entries()).hasSize(2);
            assertThat(capped.matched()).isEqualTo(3);
            assertThat(capped.capped()).isTrue();
            assertThat(query.find(end, end.plusSeconds(60), e -> true, 100).entries()).isEmpty();
        }
    }

    @Test
    void with_kafka_unreachable_recording_never_blocks_and_the_dropped_entries_are_counted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KafkaClients nowhere = new KafkaClients("127.0.0.1:" + FreePorts.next(), Map.of());
        try (AccessLog log = new AccessLog(nowhere, TOPIC, 5, registry, Duration.ofMillis(500))) {
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                log.record(entry(Instant.now(), "P:cccc", "XZSPJ"));
            }
            // a record that waited for Kafka would wait max.block (500 ms) each: 25 s for the fifty; none waited
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            // the buffer holds 5: every entry ends dropped and counted, none written
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.counter("gateway.audit.entries.dropped").count() == 50);
            assertThat(log.flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(registry.counter("gateway.audit.entries.written").count()).isZero();
    }
}
