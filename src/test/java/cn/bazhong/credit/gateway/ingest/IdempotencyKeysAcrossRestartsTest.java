package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.support.TestBroker;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import com.hazelcast.core.HazelcastInstance;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Completed Idempotency-Keys are the record in Kafka (written in the push's transaction), so a
 * restart of the whole Hazelcast cluster keeps them; keys of pushes that never committed are not kept.
 */
class IdempotencyKeysAcrossRestartsTest {

    static final String TOPIC = "credit.idempotency-keys";

    @TempDir
    Path logDir;

    private EmbeddedKafkaBroker broker;
    private KafkaClients clients;
    private PushTransactions transactions;
    private HazelcastInstance member;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), logDir.resolve("kafka"), TestBroker.SETTINGS);
        clients = new KafkaClients(broker.bootstrapServers(), Map.of());
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(TOPIC, 1, (short) 1, Map.of())));
        transactions = new PushTransactions(clients, "keys-test", 1, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        if (member != null) {
            member.shutdown();
        }
        transactions.close();
        broker.close();
    }

    /** A fresh Hazelcast cluster of one member and the keys rebuilt into it, as on a full restart. */
    private IdempotencyKeys restartedCluster(Duration lease) {
        if (member != null) {
            member.shutdown();
        }
        int port = FreePorts.next();
        member = HazelcastMembers.start("keys-" + port, port, port);
        IdempotencyKeys keys = new IdempotencyKeys(member, TOPIC, Duration.ofHours(24), lease, Clock.systemUTC());
        keys.rebuildIfEmpty(clients);
        return keys;
    }

    private void push(IdempotencyKeys keys, String key, String sha256, String receiptId, boolean commit) {
        IdempotencyKeys.Leased lease = (IdempotencyKeys.Leased) keys.claim("XZSPJ", key);
        try (PushTransactions.Transaction txn = transactions.begin()) {
            ProducerRecord<String, byte[]> completion = keys.completion(lease, sha256, receiptId);
            txn.producer().send(completion);
            if (commit) {
                txn.commit();
                keys.completed(lease, completion);
            }
        }
    }

    @Test
    void a_completed_key_survives_a_restart_of_the_whole_cluster_with_its_body_hash_and_receipt() {
        push(restartedCluster(Duration.ofMinutes(2)), "clerk-7", "aa11", "REQ-1", true);

        IdempotencyKeys afterRestart = restartedCluster(Duration.ofMinutes(2));

        assertThat(afterRestart.claim("XZSPJ", "clerk-7")).isInstanceOfSatisfying(IdempotencyKeys.Completed.class, done -> {
            assertThat(done.bodySha256()).isEqualTo("aa11");
            assertThat(done.receiptId()).isEqualTo("REQ-1");
        });
        // keys are per department
        assertThat(afterRestart.claim("SCJGJ", "clerk-7")).isInstanceOf(IdempotencyKeys.Leased.class);
    }

    @Test
    void the_key_of_a_push_whose_transaction_was_aborted_is_free_after_a_restart() {
        push(restartedCluster(Duration.ofMinutes(2)), "clerk-8", "bb22", "REQ-2", false);

        assertThat(restartedCluster(Duration.ofMinutes(2)).claim("XZSPJ", "clerk-8")).isInstanceOf(IdempotencyKeys.Leased.class);
    }

    @Test
    void a_lease_keeps_a_concurrent_push_out_until_it_is_released() {
        IdempotencyKeys keys = restartedCluster(Duration.ofMinutes(2));
        IdempotencyKeys.Leased lease = (IdempotencyKeys.Leased) keys.claim("XZSPJ", "clerk-9");

        assertThatThrownBy(() -> keys.claim("XZSPJ", "clerk-9")).isInstanceOf(IdempotencyKeyBusy.class);
        keys.release(lease);
        assertThat(keys.claim("XZSPJ", "clerk-9")).isInstanceOf(IdempotencyKeys.Leased.class);
    }
}
