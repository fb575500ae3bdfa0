package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import cn.bazhong.credit.gateway.upstream.DedupIndexLoader;
import cn.bazhong.credit.gateway.upstream.DedupStage;
import com.hazelcast.core.HazelcastInstance;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dedup index on a real two-member Hazelcast cluster: a version claimed through one member is a
 * duplicate through the other, and after the whole cluster is gone the index comes back from Kafka.
 */
class DedupIndexClusterTest {

    private final List<HazelcastInstance> members = new ArrayList<>();

    @AfterEach
    void shutdown() {
        members.forEach(HazelcastInstance::shutdown);
    }

    private HazelcastInstance member(String cluster, int port, int... all) {
        HazelcastInstance h = HazelcastMembers.start(cluster, port, all);
        members.add(h);
        return h;
    }

    /** The dedup index seen through each member of a new two-member cluster. */
    private DedupIndex[] indexOnTwoMembers() {
        int p1 = FreePorts.next();
        int p2 = FreePorts.next();
        HazelcastInstance m1 = member("dedup-" + p1, p1, p1, p2);
        HazelcastInstance m2 = member("dedup-" + p1, p2, p1, p2);
        await().atMost(Duration.ofSeconds(30)).until(() -> m1.getCluster().getMembers().size() == 2);
        return new DedupIndex[] {new DedupIndex(m1), new DedupIndex(m2)};
    }

    @Test
    void a_thousand_claims_at_once_decide_each_record_as_a_claim_of_its_own_would() {
        DedupIndex[] pair = indexOnTwoMembers();
        DedupIndex one = pair[0];
        DedupIndex two = pair[1];
        for (int i = 0; i < 1000; i += 3) { // every third record was forwarded before, through the other member
            one.claim("SCJGJ:ADMIN_PENALTY:n" + i, "v1", "credit.records/0/" + i);
        }

        Map<String, String[]> claims = new java.util.HashMap<>();
        for (int i = 0; i < 1000; i++) {
            claims.put("SCJGJ:ADMIN_PENALTY:n" + i, new String[] {"v1", "credit.records/1/" + i});
        }
        Map<String, DedupIndex.Decision> decisions = two.claimAll(claims);

        assertThat(decisions).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(decisions.get("SCJGJ:ADMIN_PENALTY:n" + i)).as("record n" + i)
                    .isEqualTo(i % 3 == 0 ? DedupIndex.Decision.DUPLICATE : DedupIndex.Decision.NEW);
        }
        assertThat(one.forwardedVersions(claims.keySet())).hasSize(1000)
                .allSatisfy((id, versions) -> assertThat(DedupIndex.contains(versions, "v1")).isTrue());
    }

    @Test
    void claims_in_order_decide_a_record_that_comes_twice_as_one_claim_after_the_other() {
        DedupIndex[] pair = indexOnTwoMembers();
        List<DedupIndex.Decision> decisions = pair[0].claimInOrder(List.of(
                new DedupIndex.ClaimRequest("SCJGJ:ADMIN_PENALTY:k9", "v1", "credit.records/0/1"),
                new DedupIndex.ClaimRequest("SCJGJ:ADMIN_PENALTY:k8", "v1", "credit.records/0/2"),
                new DedupIndex.ClaimRequest("SCJGJ:ADMIN_PENALTY:k9", "v2", "credit.records/0/3"),   // its correction
                new DedupIndex.ClaimRequest("SCJGJ:ADMIN_PENALTY:k9", "v1", "credit.records/0/4"))); // a stale re-send

        assertThat(decisions).containsExactly(DedupIndex.Decision.NEW, DedupIndex.Decision.NEW, DedupIndex.Decision.NEW,
                DedupIndex.Decision.DUPLICATE);
    }

    @Test
    void a_version_claimed_on_one_member_is_a_duplicate_on_the_other() {
        DedupIndex[] pair = indexOnTwoMembers();
        DedupIndex one = pair[0];
        DedupIndex two = pair[1];

        assertThat(one.claim("SCJGJ:ADMIN_PENALTY:k1", "v1", "credit.records/0/10")).isEqualTo(DedupIndex.Decision.NEW);
        assertThat(two.claim("SCJGJ:ADMIN_PENALTY:k1", "v1", "credit.records/2/77")).isEqualTo(DedupIndex.Decision.DUPLICATE);
        assertThat(two.forwarded("SCJGJ:ADMIN_PENALTY:k1", "v1")).isTrue();
        // the same position coming back after an aborted transaction still owns its claim
        assertThat(two.claim("SCJGJ:ADMIN_PENALTY:k1", "v1", "credit.records/0/10")).isEqualTo(DedupIndex.Decision.NEW);
        // a correction is a new version; the stale version stays known
        assertThat(two.claim("SCJGJ:ADMIN_PENALTY:k1", "v2", "credit.records/1/5")).isEqualTo(DedupIndex.Decision.NEW);
        assertThat(one.claim("SCJGJ:ADMIN_PENALTY:k1", "v1", "credit.records/1/9")).isEqualTo(DedupIndex.Decision.DUPLICATE);

        // many records in one round trip decide exactly as one by one
        Map<String, DedupIndex.Decision> decisions = two.claimAll(Map.of(
                "SCJGJ:ADMIN_PENALTY:k1", new String[] {"v2", "credit.records/2/99"},
                "SCJGJ:ADMIN_PENALTY:k2", new String[] {"v1", "credit.records/2/100"}));
        assertThat(decisions).containsEntry("SCJGJ:ADMIN_PENALTY:k1", DedupIndex.Decision.DUPLICATE)
                .containsEntry("SCJGJ:ADMIN_PENALTY:k2", DedupIndex.Decision.NEW);
        assertThat(one.forwardedVersions(java.util.Set.of("SCJGJ:ADMIN_PENALTY:k1", "SCJGJ:ADMIN_PENALTY:k3")))
                .containsOnlyKeys("SCJGJ:ADMIN_PENALTY:k1");
    }

    @Test
    void after_the_whole_cluster_restarts_the_index_is_rebuilt_from_the_upstream_topic(@TempDir Path tmp) throws Exception {
        int kafkaPort = FreePorts.next();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", kafkaPort, FreePorts.next(), tmp.resolve("kafka"))) {
            KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
            GatewayTopics topics = new GatewayTopics("credit.records", "credit.upstream", "credit.upstream.batches",
                    "credit.upstream.dlq", "credit.receipts", 2, (short) 1);
            TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic("credit.upstream", 2, (short) 1, Map.of())));
            String record = Files.readString(Path.of("src/test/resources/records/swj-list-entry.json"));
            try (KafkaProducer<String, byte[]> producer = clients.producer("test")) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(DedupStage.CLAIMED_AT_HEADER, "credit.records/0/3".getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>("credit.upstream", null, "SWJ:LIST_ENTRY:巴税稽罚〔2022〕50号",
                        record.getBytes(StandardCharsets.UTF_8), headers)).get();
            }
            int port = FreePorts.next();
            HazelcastInstance fresh = member("rebuilt-" + port, port, port);
            DedupIndex index = new DedupIndex(fresh);
            assertThat(index.forwarded("SWJ:LIST_ENTRY:巴税稽罚〔2022〕50号", "147117219ef14d25a6c5e62d2a908eeb")).isFalse();

            new DedupIndexLoader(clients, topics, index, fresh).catchUp();

            assertThat(index.forwarded("SWJ:LIST_ENTRY:巴税稽罚〔2022〕50号", "147117219ef14d25a6c5e62d2a908eeb")).isTrue();
            assertThat(index.claim("SWJ:LIST_ENTRY:巴税稽罚〔2022〕50号", "147117219ef14d25a6c5e62d2a908eeb", "credit.records/1/8"))
                    .isEqualTo(DedupIndex.Decision.DUPLICATE);
        }
    }
}
