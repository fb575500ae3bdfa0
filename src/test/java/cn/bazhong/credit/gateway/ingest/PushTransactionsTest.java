package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.support.TestBroker;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.support.FreePorts;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transactions REST pushes are written in: bounded per node, committed or aborted whole, fenced producers replaced. */
class PushTransactionsTest {

    static final String TOPIC = "push-test";

    @TempDir
    Path logDir;

    private EmbeddedKafkaBroker broker;
    private KafkaClients clients;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), logDir.resolve("kafka"), TestBroker.SETTINGS);
        clients = new KafkaClients(broker.bootstrapServers(), Map.of());
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(TOPIC, 1, (short) 1, Map.of())));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private List<String> committed() {
        List<String> values = new ArrayList<>();
        clients.readToEnd(TOPIC, "push-test-reader", r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        return values;
    }

    private static ProducerRecord<String, byte[]> record(String value) {
        return new ProducerRecord<>(TOPIC, value, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void only_committed_pushes_are_visible_to_read_committed_readers() {
        try (PushTransactions pool = new PushTransactions(clients, "node-a", 2, Duration.ofSeconds(30), Duration.ofSeconds(1))) {
            try (PushTransactions.Transaction aborted = pool.begin()) {
                aborted.producer().send(record("aborted-1"));
                aborted.producer().send(record("aborted-2"));
                aborted.producer().flush(); // on the broker, but never committed
            }
            try (PushTransactions.Transaction done = pool.begin()) {
                done.producer().send(record("committed"));
                done.commit();
            }
        }

        assertThat(committed()).containsExactly("committed");
    }

    @Test
    void when_every_slot_is_busy_a_push_waits_a_bounded_time_then_is_told_to_come_back() {
        try (PushTransactions pool = new PushTransactions(clients, "node-b", 1, Duration.ofSeconds(30), Duration.ofMillis(200));
             PushTransactions.Transaction busy = pool.begin()) {
            assertThatThrownBy(pool::begin).isInstanceOfSatisfying(PushCapacityExhausted.class,
                    e -> assertThat(e.retryAfter()).isPositive());
        }
    }

    @Test
    void a_producer_fenced_by_a_newer_one_with_its_transactional_id_is_replaced_and_the_slot_works_again() {
        try (PushTransactions zombie = new PushTransactions(clients, "node-c", 1, Duration.ofSeconds(30), Duration.ofSeconds(1));
             PushTransactions restarted = new PushTransactions(clients, "node-c", 1, Duration.ofSeconds(30), Duration.ofSeconds(1))) {
            PushTransactions.Transaction old = zombie.begin();
            old.producer().send(record("zombie"));
            try (PushTransactions.Transaction fresh = restarted.begin()) { // same transactional id: fences the zombie
                fresh.producer().send(record("restarted"));
                fresh.commit();
            }
            assertThatThrownBy(old::commit).isNotNull();
            old.close();

            try (PushTransactions.Transaction again = zombie.begin()) { // a new producer on the slot
                again.producer().send(record("replaced"));
                again.commit();
            }
        }

        assertThat(committed()).containsExactly("restarted", "replaced");
    }
}
