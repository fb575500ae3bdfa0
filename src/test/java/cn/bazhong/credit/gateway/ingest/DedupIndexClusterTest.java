package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.support.TestBroker;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import cn.bazhong.credit.gateway.upstream.DedupIndexEntries;
import cn.bazhong.credit.gateway.upstream.DedupIndexLoader;
import cn.bazhong.credit.gateway.upstream.DedupStage;
import com.hazelcast.core.HazelcastInstance;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import cn.bazhong.credit.gateway.upstream.UpstreamMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
 * duplicate through the other, and after the whole cluster is gone the index comes back from Kafka:
 * from its compacted topic, whatever the upstream topic still keeps.
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

    private static final String ID = "SWJ:LIST_ENTRY:巴税稽罚〔2022〕50号";
    private static final String VERSION = "147117219ef14d25a6c5e62d2a908eeb";

    /** The two Kafka tests share a broker; each has topics of its own (prefix). */
    @TempDir
    static Path kafkaDir;
    private static EmbeddedKafkaBroker broker;
    private static KafkaClients clients;

    @BeforeAll
    static void startKafka() throws Exception {
        broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), kafkaDir.resolve("kafka"), TestBroker.SETTINGS);
        clients = new KafkaClients(broker.bootstrapServers(), Map.of());
    }

    @AfterAll
    static void stopKafka() {
        broker.close();
    }

    private static GatewayTopics topics(String prefix) {
        GatewayTopics t = new GatewayTopics(prefix + ".records", prefix + ".upstream", prefix + ".batches", prefix + ".dlq",
                prefix + ".receipts", 2, (short) 1, prefix + ".dedup-index", null, null, null);
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(t.records(), 2, (short) 1, Map.of()),
                TopicProvisioner.topic(t.upstream(), 2, (short) 1, Map.of()),
                TopicProvisioner.topic(t.dedupIndex(), 2, (short) 1, Map.of("cleanup.policy", "compact"))));
        return t;
    }

    /** A new one-member Hazelcast cluster with the index loaded from Kafka, as after a full restart. */
    private DedupIndex restartedIndex(GatewayTopics topics) {
        int port = FreePorts.next();
        HazelcastInstance fresh = member("rebuilt-" + port, port, port);
        DedupIndex index = new DedupIndex(fresh);
        new DedupIndexLoader(clients, topics, index, fresh).catchUp();
        return index;
    }

    /** Deletes everything the topic holds now, as its retention would. */
    private static void truncate(String topic) throws Exception {
        try (Admin admin = Admin.create(clients.base())) {
            Map<TopicPartition, RecordsToDelete> all = new java.util.HashMap<>();
            for (int p = 0; p < 2; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
                all.put(tp, RecordsToDelete.beforeOffset(end));
            }
            admin.deleteRecords(all).all().get();
        }
    }

    /** The records a topic holds now (committed ones; transaction markers are not records). */
    private static long written(String topic) {
        long[] n = {0};
        clients.readToEnd(topic, "counter", r -> n[0]++);
        return n[0];
    }

    /** How far the dedup stage has committed its reading of the records topic (all partitions). */
    private static long consumed(GatewayTopics topics) throws Exception {
        try (Admin admin = Admin.create(clients.base())) {
            return admin.listConsumerGroupOffsets(DedupStage.GROUP).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topics.records())).mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    private static String record() throws Exception {
        return Files.readString(Path.of("src/test/resources/records/swj-list-entry.json"));
    }

    @Test
    void an_upgraded_gateway_copies_the_upstream_topic_into_the_index_topic_once_and_keeps_it_after_upstream_retention()
            throws Exception {
        GatewayTopics topics = topics("upgrade");
        // forwarded by a gateway without an index topic: only the upstream topic knows it
        try (KafkaProducer<String, byte[]> producer = clients.producer("test")) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(DedupStage.CLAIMED_AT_HEADER, "upgrade.records/0/3".getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(topics.upstream(), null, ID, record().getBytes(StandardCharsets.UTF_8), headers)).get();
        }

        DedupIndex upgraded = restartedIndex(topics);

        assertThat(upgraded.forwarded(ID, VERSION)).isTrue();
        assertThat(upgraded.claim(ID, VERSION, "upgrade.records/1/8")).isEqualTo(DedupIndex.Decision.DUPLICATE);
        long copy = written(topics.dedupIndex());
        assertThat(copy).as("the entry and the copy mark").isEqualTo(2);

        truncate(topics.upstream());
        DedupIndex afterRetention = restartedIndex(topics);

        assertThat(afterRetention.claim(ID, VERSION, "upgrade.records/1/9")).isEqualTo(DedupIndex.Decision.DUPLICATE);
        assertThat(written(topics.dedupIndex())).as("copied once, not again").isEqualTo(copy);
    }

    @Test
    void a_re_sent_record_is_dropped_after_a_full_restart_when_the_upstream_topic_no_longer_holds_its_first_sending()
            throws Exception {
        GatewayTopics topics = topics("truncated");
        try (KafkaProducer<String, byte[]> producer = clients.producer("test")) {
            producer.send(new ProducerRecord<>(topics.records(), ID, record().getBytes(StandardCharsets.UTF_8))).get();
        }
        DedupStage first = stage(topics);
        first.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> written(topics.upstream()) == 1);
        } finally {
            first.stop();
        }
        assertThat(written(topics.dedupIndex())).as("its index entry, in the same transaction, and the copy mark").isEqualTo(2);
        truncate(topics.upstream());
        assertThat(written(topics.upstream())).as("deleted, as by retention").isZero();
        members.forEach(HazelcastInstance::shutdown); // the whole cluster goes
        members.clear();

        try (KafkaProducer<String, byte[]> producer = clients.producer("test")) {
            producer.send(new ProducerRecord<>(topics.records(), ID, record().getBytes(StandardCharsets.UTF_8))).get();
        }
        DedupStage restarted = stage(topics);
        restarted.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> consumed(topics) == 2);
        } finally {
            restarted.stop();
        }
        assertThat(written(topics.upstream())).as("nothing forwarded again").isZero();
    }

    @Test
    void a_cold_start_waits_for_the_list_view_then_tells_how_far_the_index_has_caught_up_and_a_node_that_joins_later_has_nothing_to_read() throws Exception {
        GatewayTopics topics = topics("progress");
        int versions = 1_500;
        try (KafkaProducer<String, byte[]> producer = clients.producer("test")) {
            for (int i = 0; i < versions; i++) {
                producer.send(DedupIndexEntries.entry(topics.dedupIndex(), "SCJGJ:ADMIN_PENALTY:" + i, "v" + (i % 3), "progress.records/0/" + i));
            }
            producer.send(new ProducerRecord<>(topics.dedupIndex(), DedupIndexEntries.UPSTREAM_COPIED, "copied".getBytes(StandardCharsets.UTF_8))).get();
        }
        int p1 = FreePorts.next();
        int p2 = FreePorts.next();
        HazelcastInstance first = member("progress-" + p1, p1, p1, p2);
        java.util.concurrent.CountDownLatch viewFilled = new java.util.concurrent.CountDownLatch(1);
        // the node's list view is still being filled: the catch-up waits for it rather than share the cores
        DedupIndexLoader cold = new DedupIndexLoader(clients, topics, new DedupIndex(first), first).after(() -> {
            try {
                viewFilled.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        java.util.concurrent.CompletableFuture<Void> catchingUp = java.util.concurrent.CompletableFuture.runAsync(cold::catchUp);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() ->
                "waiting".equals(cold.progress().details().get("state")) && new DedupIndex(first).size() == 0);
        assertThat(cold.progress().remaining()).isZero();

        viewFilled.countDown();
        catchingUp.get(60, java.util.concurrent.TimeUnit.SECONDS);

        DedupIndexLoader.Progress done = cold.progress();
        assertThat(done.done()).isTrue();
        assertThat(done.toRead()).as("every entry and the copy mark, from the start of the topic").isEqualTo(versions + 1);
        assertThat(done.read()).isEqualTo(versions + 1);
        assertThat(done.remaining()).isZero();
        assertThat(done.readHere()).as("this node alone read them all").isEqualTo(versions + 1);
        assertThat(done.details()).containsEntry("state", "ready").containsEntry("entriesRead", (long) versions + 1).containsKey("readySince");
        assertThat(new DedupIndex(first).size()).isEqualTo(versions);

        HazelcastInstance second = member("progress-" + p1, p2, p1, p2);
        await().atMost(Duration.ofSeconds(30)).until(() -> first.getCluster().getMembers().size() == 2);
        DedupIndexLoader joining = new DedupIndexLoader(clients, topics, new DedupIndex(second), second);
        joining.catchUp();
        assertThat(joining.progress().done()).isTrue();
        assertThat(joining.progress().toRead()).as("the cluster's watermarks are at the end already").isZero();
        assertThat(joining.progress().read()).isZero();
    }

    @Test
    void after_a_full_restart_two_nodes_catching_up_at_once_read_each_entry_once_between_them_and_both_know_every_version()
            throws Exception {
        GatewayTopics topics = topics("shared");
        int versions = 4_000;
        try (KafkaProducer<String, byte[]> producer = clients.producer("test")) {
            for (int i = 0; i < versions; i++) {
                producer.send(DedupIndexEntries.entry(topics.dedupIndex(), "SCJGJ:ADMIN_PENALTY:" + i, "v1", "shared.records/" + (i % 2) + "/" + i));
            }
            producer.send(new ProducerRecord<>(topics.dedupIndex(), DedupIndexEntries.UPSTREAM_COPIED, "copied".getBytes(StandardCharsets.UTF_8))).get();
        }
        int p1 = FreePorts.next();
        int p2 = FreePorts.next();
        HazelcastInstance m1 = member("shared-" + p1, p1, p1, p2);
        HazelcastInstance m2 = member("shared-" + p1, p2, p1, p2);
        await().atMost(Duration.ofSeconds(30)).until(() -> m1.getCluster().getMembers().size() == 2);
        DedupIndexLoader one = new DedupIndexLoader(clients, topics, new DedupIndex(m1), m1);
        DedupIndexLoader other = new DedupIndexLoader(clients, topics, new DedupIndex(m2), m2);

        java.util.concurrent.CompletableFuture<Void> first = java.util.concurrent.CompletableFuture.runAsync(one::catchUp);
        java.util.concurrent.CompletableFuture<Void> second = java.util.concurrent.CompletableFuture.runAsync(other::catchUp);
        first.get(2, java.util.concurrent.TimeUnit.MINUTES);
        second.get(2, java.util.concurrent.TimeUnit.MINUTES);

        assertThat(one.progress().done()).isTrue();
        assertThat(other.progress().done()).isTrue();
        assertThat(one.progress().readHere() + other.progress().readHere()).as("every entry and the copy mark, read once for the cluster")
                .isEqualTo(versions + 1);
        assertThat(one.progress().read()).as("each node counts what the other read").isEqualTo(versions + 1);
        assertThat(other.progress().read()).isEqualTo(versions + 1);
        DedupIndex index = new DedupIndex(m2);
        assertThat(index.size()).isEqualTo(versions);
        assertThat(index.claim("SCJGJ:ADMIN_PENALTY:" + (versions - 1), "v1", "shared.records/0/99999"))
                .as("a version read by either node is a duplicate").isEqualTo(DedupIndex.Decision.DUPLICATE);
        assertThat(written(topics.upstream())).as("the copy mark was seen: nothing copied from the upstream topic").isZero();
        assertThat(written(topics.dedupIndex())).isEqualTo(versions + 1);
    }

    @Test
    void the_pipeline_health_shows_the_dedup_index_catch_up_of_the_node() {
        GatewayTopics topics = topics("health");
        DedupStage stage = stage(topics);
        assertThat(new cn.bazhong.credit.gateway.ops.PipelineHealthIndicator(List.of(stage)).health().getDetails())
                .extractingByKey("dedup-stage").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .extractingByKey("dedupIndex").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("state", "waiting");
        stage.start();
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    new cn.bazhong.credit.gateway.ops.PipelineHealthIndicator(List.of(stage)).health().getDetails())
                    .extractingByKey("dedup-stage").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .extractingByKey("dedupIndex").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("state", "ready"));
        } finally {
            stage.stop();
        }
    }

    @Test
    void a_claim_answered_by_a_member_of_the_previous_version_is_read_as_that_member_meant_it() {
        // during a rolling upgrade an old member answers with the enum, a new one with a Boolean
        assertThat(DedupIndex.Claim.decision(DedupIndex.Decision.DUPLICATE)).isEqualTo(DedupIndex.Decision.DUPLICATE);
        assertThat(DedupIndex.Claim.decision(DedupIndex.Decision.NEW)).isEqualTo(DedupIndex.Decision.NEW);
        assertThat(DedupIndex.Claim.decision(Boolean.TRUE)).isEqualTo(DedupIndex.Decision.NEW);
        assertThat(DedupIndex.Claim.decision(Boolean.FALSE)).isEqualTo(DedupIndex.Decision.DUPLICATE);
    }

    /** The dedup stage of a node with a Hazelcast member of its own (a new cluster). */
    private DedupStage stage(GatewayTopics topics) {
        int port = FreePorts.next();
        HazelcastInstance member = member("stage-" + port, port, port);
        DedupIndex index = new DedupIndex(member);
        return new DedupStage(clients, topics, index, new DedupIndexLoader(clients, topics, index, member),
                new RecordTraces(member, java.time.Clock.systemUTC()),
                new UpstreamMetrics(new IngestMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())), "test-" + port);
    }
}
