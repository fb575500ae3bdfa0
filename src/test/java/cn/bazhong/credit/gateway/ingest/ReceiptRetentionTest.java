package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.HazelcastMembers;
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

/** Receipts are kept for their retention and read back page by page, so their memory stays bounded. */
class ReceiptRetentionTest {

    @TempDir
    Path logDir;

    private EmbeddedKafkaBroker broker;
    private HazelcastInstance member;

    @AfterEach
    void stop() {
        if (member != null) {
            member.shutdown();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private ReceiptStore store(Duration retention) throws Exception {
        broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), logDir.resolve("kafka"));
        KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
        GatewayTopics topics = new GatewayTopics("credit.records", "credit.upstream", "credit.upstream.batches",
                "credit.upstream.dlq", "credit.receipts", 1, (short) 1);
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(topics.receipts(), 1, (short) 1, Map.of())));
        int port = FreePorts.next();
        member = HazelcastMembers.start("receipts-" + port, port, port);
        return new ReceiptStore(clients, topics, member, retention, Clock.systemUTC());
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
}
