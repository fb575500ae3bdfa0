package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.support.TestBroker;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Receipts are kept for their retention and read back page by page, so their memory stays bounded; a search
 * finds them through the indexes, newest first, page by page.
 */
class ReceiptRetentionTest {

    @TempDir
    Path logDir;

    private EmbeddedKafkaBroker broker;
    private HazelcastInstance member;
    private ReceiptStore store;

    @AfterEach
    void stop() {
        if (store != null) {
            store.close(); // its producer would go on retrying the stopped broker, and logging it, for the next classes
        }
        if (member != null) {
            member.shutdown();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private ReceiptStore store(Duration retention) throws Exception {
        broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), logDir.resolve("kafka"), TestBroker.SETTINGS);
        KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
        GatewayTopics topics = new GatewayTopics("credit.records", "credit.upstream", "credit.upstream.batches",
                "credit.upstream.dlq", "credit.receipts", 1, (short) 1);
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(topics.receipts(), 1, (short) 1, Map.of())));
        int port = FreePorts.next();
        member = HazelcastMembers.start("receipts-" + port, port, port);
        member.getConfig().addMapConfig(HazelcastMaps.indexReceipts(new MapConfig(HazelcastMaps.RECEIPTS)));
        store = new ReceiptStore(clients, topics, member, retention, Clock.systemUTC());
        return store;
    }

    private static Receipt receipt(String id, Instant receivedAt) {
        return Receipt.clean(id, "SCJGJ", "scjgj-penalties", "sftp", id + ".csv", receivedAt, receivedAt, 1, 0, 0);
    }

    @Test
    void a_receipt_is_answerable_during_its_retention_and_gone_after_it() throws Exception {
        ReceiptStore receipts = store(Duration.ofSeconds(3));
        receipts.save(receipt("SFTP-new", Instant.now()));
        receipts.save(receipt("SFTP-old", Instant.now().minus(Duration.ofDays(1)))); // received before the retention began

        assertThat(receipts.find("SFTP-new")).isNotNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> receipts.find("SFTP-old") == null);
        await().atMost(Duration.ofSeconds(30)).until(() -> receipts.find("SFTP-new") == null);
    }

    @Test
    void every_receipt_held_is_read_back_page_by_page() throws Exception {
        ReceiptStore receipts = store(Duration.ofDays(90));
        for (int i = 0; i < 3 * ReceiptStore.FETCH_SIZE + 7; i++) {
            receipts.save(receipt("REST-" + i, Instant.now()));
        }

        List<String> seen = new ArrayList<>();
        receipts.forEach(r -> seen.add(r.receiptId()));

        assertThat(seen).hasSize(3 * ReceiptStore.FETCH_SIZE + 7).doesNotHaveDuplicates();
    }

    @Test
    void a_search_pages_through_the_receipts_of_a_department_feed_period_and_status_each_once_newest_first() throws Exception {
        ReceiptStore receipts = store(Duration.ofDays(90));
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        java.util.Random random = new java.util.Random(3);
        String[][] feeds = {{"SCJGJ", "scjgj-penalties"}, {"SCJGJ", "scjgj-licences"}, {"SWJ", "swj-ratings"}, {"XZSPJ", "xzspj-licences"}};
        List<Receipt> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String[] f = feeds[random.nextInt(feeds.length)];
            // spread over 40 days, several in the same second and some in the same millisecond
            Instant at = now.minus(Duration.ofMinutes(random.nextInt(40 * 24 * 60))).plusMillis(random.nextInt(3));
            Receipt r = random.nextInt(4) == 0
                    ? new Receipt("R-" + i, f[0], f[1], "sftp", "f" + i + ".csv", at, at, 3, 0, 0, 1, Map.of("R1", 1L),
                    List.of(new Receipt.RejectedRecord(2, "uscc", "R1", "bad")), 0, List.of())
                    : Receipt.clean("R-" + i, f[0], f[1], "sftp", "f" + i + ".csv", at, at, 1, 0, 0);
            receipts.show(r, ReceiptStore.toJson(r));
            all.add(r);
        }
        Instant from = now.minus(Duration.ofDays(30));
        Instant to = now.plusSeconds(1);
        assertSearchesFind(receipts, all, from, to);
        // whole hours: counted from the running counts alone
        Instant hour = now.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        assertSearchesFind(receipts, all, hour.minus(Duration.ofDays(30)), hour.plus(Duration.ofHours(1)));
        assertSearchesFind(receipts, all, hour.minus(Duration.ofDays(45)), hour.minus(Duration.ofDays(2)));
    }

    @Test
    void a_search_counts_a_receipt_the_province_rejected_from_later_as_rejected_and_counts_the_same_after_a_recount() throws Exception {
        ReceiptStore receipts = store(Duration.ofDays(90));
        Instant hour = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        List<Receipt> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Instant at = hour.minus(Duration.ofMinutes(17L * i));
            Receipt r = Receipt.clean("R-" + i, i % 2 == 0 ? "SCJGJ" : "SWJ", i % 2 == 0 ? "scjgj-penalties" : "swj-ratings", "sftp",
                    "f" + i + ".csv", at, at, 1, 0, 0);
            receipts.show(r, ReceiptStore.toJson(r));
            all.add(r);
        }
        Instant from = hour.minus(Duration.ofDays(2));
        Instant to = hour.plus(Duration.ofHours(1));
        assertThat(receipts.search(null, null, from, to, true, 0, 10).total()).isZero();
        for (int i = 0; i < 60; i += 7) {
            Receipt rejected = all.get(i).withUpstreamRejection(new Receipt.UpstreamRejection("rec-" + i, 1, "E01", "refused", hour));
            receipts.show(rejected, ReceiptStore.toJson(rejected)); // written again: moves from clean to rejected
            all.set(i, rejected);
        }
        assertThat(receipts.search(null, null, from, to, true, 0, 10).total()).isEqualTo(9);
        assertSearchesFind(receipts, all, from, to);
        receipts.recountTotals();
        assertSearchesFind(receipts, all, from, to);
    }

    private static void assertSearchesFind(ReceiptStore receipts, List<Receipt> all, Instant from, Instant to) {
        record Search(String department, String feed, Boolean troubled) {
        }
        for (Search q : List.of(new Search(null, null, null), new Search("SCJGJ", null, null), new Search("scjgj", "SCJGJ-LICENCES", null),
                new Search(null, "swj-ratings", null), new Search("XZSPJ", null, true), new Search(null, null, false),
                new Search(null, null, true), new Search("NOBODY", null, null))) {
            List<String> want = all.stream()
                    .filter(r -> q.department() == null || r.department().equalsIgnoreCase(q.department()))
                    .filter(r -> q.feed() == null || r.feed().equalsIgnoreCase(q.feed()))
                    .filter(r -> q.troubled() == null || q.troubled() == (r.rejectedTotal() > 0 || r.upstreamTotal() > 0))
                    .filter(r -> !r.receivedAt().isBefore(from) && r.receivedAt().isBefore(to))
                    .sorted(ReceiptStore.NEWEST_FIRST).map(Receipt::receiptId).toList();
            List<String> seen = new ArrayList<>();
            for (int offset = 0; offset < want.size() + 9; offset += 9) {
                ReceiptStore.Found page = receipts.search(q.department(), q.feed(), from, to, q.troubled(), offset, 9);
                assertThat(page.total()).as(q.toString()).isEqualTo(want.size());
                assertThat(page.rows()).hasSizeLessThanOrEqualTo(9);
                page.rows().forEach(r -> seen.add(r.receiptId()));
            }
            assertThat(seen).as(q + " " + from + " – " + to).isEqualTo(want);
        }
    }
}
