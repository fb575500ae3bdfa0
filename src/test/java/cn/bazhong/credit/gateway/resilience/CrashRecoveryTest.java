package cn.bazhong.credit.gateway.resilience;

import cn.bazhong.credit.gateway.bench.ScjgjCsvGenerator;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.security.ApiKeys;
import cn.bazhong.credit.gateway.support.ForkedGateway;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.FrontEndDatabase;
import cn.bazhong.credit.gateway.support.TestSftpServer;
import cn.bazhong.credit.gateway.support.TopicOffsets;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway is killed with SIGKILL while it is in the middle of a large SFTP file, of a stream of messages on
 * the tax bureau's topic and of a department's table it reads page by page, then started again on the same
 * data: every valid record of the file, every message the bureau's broker took and every row of the table
 * reaches the province, none twice, and each message's receipt, however often the bureau receives it, says the
 * same. (One kill for the three kinds of feed: each gateway JVM started costs the suite some 15 s of CPU.)
 */
class CrashRecoveryTest {

    static final TestSftpServer SFTP = TestSftpServer.start();
    static final FrontEndDatabase DB = FrontEndDatabase.start();
    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    /**
     * The transport bureau's table, read in pages of 100 rows one after another while there are more: in a run
     * alone the first gateway had handed off 1,600 of them when the file's 5,000 were durable, so the kill lands
     * in the middle of the table with room for a machine on which the file goes several times slower.
     */
    static final int ROWS = 10_000;

    @AfterAll
    static void stop() {
        SFTP.close();
        DB.close();
        PROVINCE.close();
    }

    @Test
    void a_gateway_killed_in_the_middle_of_a_file_a_stream_and_a_table_loses_nothing_and_delivers_nothing_twice(@TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("XZCF_20251201_001.csv");
        ScjgjCsvGenerator.Summary summary = ScjgjCsvGenerator.write(file, 20_000, 7L);
        int kafka = FreePorts.next();
        Map<String, String> props = new HashMap<>();
        props.put("gateway.node-id", "crash");
        props.put("gateway.kafka.embedded.port", String.valueOf(kafka));
        props.put("gateway.kafka.embedded.controller-port", String.valueOf(FreePorts.next()));
        props.put("gateway.kafka.embedded.log-dir", tmp.resolve("kafka").toString());
        props.put("gateway.kafka.bootstrap-servers", "127.0.0.1:" + kafka);
        int hazelcast = FreePorts.next();
        props.put("gateway.hazelcast.port", String.valueOf(hazelcast));
        props.put("gateway.hazelcast.members", "127.0.0.1:" + hazelcast);
        props.putAll(cn.bazhong.credit.gateway.support.TestGateway.encryptionProperties()); // the restarted node opens what the first sealed
        props.put("gateway.hazelcast.cluster-name", "crash-" + hazelcast);
        props.put("server.port", String.valueOf(FreePorts.next()));
        props.put("gateway.upstream.base-url", PROVINCE.baseUri().toString());
        props.put("gateway.upstream.batch-size", "500");
        props.put("gateway.upstream.batch-wait", "300ms");
        props.put("gateway.feeds.swj.kafka.enabled", "true");
        // what the crash is about, without the work it does not need: no fan-out, three partitions per topic
        props.put("gateway.fanout.enabled", "false");
        props.put("gateway.topics.partitions", "3");
        props.put("gateway.access.departments.SCJGJ[0]", ApiKeys.hash("crash-test-key"));
        String sftp = "gateway.feeds.scjgj.sftp.";
        props.put(sftp + "enabled", "true");
        props.put(sftp + "host", "127.0.0.1");
        props.put(sftp + "port", String.valueOf(SFTP.port()));
        props.put(sftp + "username", TestSftpServer.USER);
        props.put(sftp + "password", TestSftpServer.PASSWORD);
        props.put(sftp + "known-hosts-file", SFTP.knownHosts().toString());
        props.put(sftp + "delay", "300");
        String jdbc = "gateway.feeds.jtysj.jdbc.";
        props.put(jdbc + "enabled", "true");
        props.put(jdbc + "url", DB.url());
        props.put(jdbc + "user", FrontEndDatabase.USER);
        props.put(jdbc + "page-size", "100");
        props.put(jdbc + "delay", "300");
        Path log = Files.createDirectories(Path.of("target/crash-test")).resolve("gateway-" + System.currentTimeMillis() + ".log");

        SFTP.drop("outbox/xzcf", file.getFileName().toString(), Files.readAllBytes(file), true);
        Path source = SFTP.root().resolve("outbox/xzcf").resolve(file.getFileName());
        DB.insertPenalties(0, ROWS, "91511923E8PR7JY32Q");
        String bootstrap = "127.0.0.1:" + kafka;

        BureauMessages bureau = new BureauMessages(bootstrap);
        try (ForkedGateway first = ForkedGateway.start(props, log); DurableRecords durable = new DurableRecords(bootstrap)) {
            // once the file is being read, the bureau sends a burst of messages every poll; the gateway is killed
            // once part of the file is durable, before the whole file is, while messages keep coming and in the
            // middle of the table (a page of its rows is handed off record by record before its watermark is stored)
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
                durable.read();
                if (durable.fromFile() >= 1_000) {
                    bureau.burst(10); // about a hundred a second: enough to be in the middle of them, not more work than that
                }
                return durable.fromFile() >= 5_000 && durable.fromTable() >= 250
                        && TopicOffsets.written(bootstrap, "dept.swj.receipts") >= 20
                        || !first.isAlive();
            });
            assertThat(first.isAlive()).as("the first gateway is running; see %s", log).isTrue();
            assertThat(source).as("the file is still being read when the gateway is killed").exists();
            first.kill();
            assertThat(durable.fromTable()).as("killed well before the whole table was read (%d of the file's records durable)",
                    durable.fromFile()).isLessThan(ROWS - 1_000);
        }
        bureau.close(); // its broker died with the gateway: a message not acknowledged by now may or may not be kept
        assertThat(source).as("an interrupted file stays in place").exists();

        try (ForkedGateway second = ForkedGateway.start(props, log)) {
            Path receipt = SFTP.root().resolve("outbox/xzcf/.done").resolve(file.getFileName() + ".receipt.json");
            // the window holds the restart itself (over a minute on a loaded 2-core machine) and the whole file again
            await().atMost(Duration.ofMinutes(4)).until(() -> Files.exists(receipt) || !second.isAlive());
            assertThat(second.isAlive()).as("the restarted gateway is running; see %s", log).isTrue();
            await().atMost(Duration.ofMinutes(4)).until(() -> fromFile().size() >= summary.expectedAccepted());
            await().atMost(Duration.ofMinutes(4)).until(() -> fromTable().size() >= ROWS || !second.isAlive());
            Set<String> acked = bureau.acked().stream().map(BureauMessages::recordId).collect(Collectors.toSet());
            await().atMost(Duration.ofMinutes(2)).until(() -> fromBureau().containsAll(acked));
            Map<String, List<JsonNode>> receipts = new HashMap<>();
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                readReceipts(bootstrap, receipts);
                return receipts.keySet().containsAll(bureau.acked().stream().map(BureauMessages::key).toList());
            });

            Map<String, Long> deliveries = PROVINCE.records().stream()
                    .collect(Collectors.groupingBy(r -> r.recordId() + "@" + r.version(), Collectors.counting()));
            assertThat(deliveries.values()).as("no record version delivered twice").allMatch(n -> n == 1);
            assertThat(fromFile()).hasSize((int) summary.expectedAccepted());
            assertThat(fromFile().stream().distinct()).hasSize((int) summary.expectedAccepted());
            assertThat(fromTable()).as("every row of the table, once").hasSize(ROWS).doesNotHaveDuplicates();
            // every message the broker acknowledged, and none the bureau did not send
            assertThat(fromBureau()).containsAll(acked).hasSizeLessThanOrEqualTo(bureau.sent())
                    .allMatch(id -> id.startsWith("SWJ:LIST_ENTRY:" + BureauMessages.CASE));
            assertThat(receipts.keySet()).hasSizeLessThanOrEqualTo(bureau.sent());
            assertThat(receipts).allSatisfy((key, copies) -> {
                assertThat(copies).as("every copy of %s's receipt says the same", key).allMatch(c -> c.equals(copies.get(0)));
                JsonNode r = copies.get(0);
                assertThat(r.path("accepted").asLong() + r.path("duplicates").asLong()).as(r.toString()).isEqualTo(1);
                assertThat(r.path("rejectedTotal").asLong()).as(r.toString()).isZero();
            });
        }
    }

    private static List<String> fromFile() {
        return PROVINCE.records().stream().map(r -> r.recordId()).filter(DurableRecords::fromFile).toList();
    }

    private static List<String> fromTable() {
        return PROVINCE.records().stream().map(r -> r.recordId()).filter(id -> id.startsWith(DurableRecords.TABLE)).toList();
    }

    private static Set<String> fromBureau() {
        return PROVINCE.records().stream().map(r -> r.recordId()).filter(id -> id.startsWith("SWJ:")).collect(Collectors.toSet());
    }

    /** Reads the bureau's receipts topic from its start into {@code byKey}: every copy of each message's receipt. */
    private static void readReceipts(String bootstrap, Map<String, List<JsonNode>> byKey) {
        byKey.clear();
        new KafkaClients(bootstrap, Map.of()).readToEnd("dept.swj.receipts", "crash-test-receipts", r -> {
            try {
                byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(JSON.readTree(r.value()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the gateway has handed off to {@code credit.records} so far, feed by feed (by record id), read as it
     * grows: everything written, aborted writes included, so an upper bound of what each feed had read.
     */
    static final class DurableRecords implements AutoCloseable {

        static final String TABLE = "JTYSJ:";
        static final String BUREAU = "SWJ:";
        private final String bootstrap;
        private KafkaConsumer<String, byte[]> consumer;
        private long fromFile;
        private long fromTable;

        DurableRecords(String bootstrap) {
            this.bootstrap = bootstrap;
        }

        static boolean fromFile(String recordId) {
            return !recordId.startsWith(TABLE) && !recordId.startsWith(BUREAU);
        }

        void read() {
            if (consumer == null) {
                if (TopicOffsets.written(bootstrap, "credit.records") == 0) {
                    return; // the broker or the topic is not there yet
                }
                consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "default.api.timeout.ms", 5_000),
                        new StringDeserializer(), new ByteArrayDeserializer());
                List<TopicPartition> partitions = consumer.partitionsFor("credit.records").stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                if (r.key().startsWith(TABLE)) {
                    fromTable++;
                } else if (fromFile(r.key())) {
                    fromFile++;
                }
            }
        }

        long fromFile() {
            return fromFile;
        }

        long fromTable() {
            return fromTable;
        }

        @Override
        public void close() {
            if (consumer != null) {
                consumer.close(Duration.ZERO);
            }
        }
    }

    /**
     * The tax bureau: a new penalty listing per message (the first sample message with a case number of its own), sent
     * a burst at a time to its topic on the gateway's broker, remembering which ones the broker acknowledged.
     */
    static final class BureauMessages implements AutoCloseable {

        static final String CASE = "巴税稽罚〔2026〕";
        private final KafkaProducer<String, byte[]> producer;
        private final String sample;
        private final Set<Integer> acked = ConcurrentHashMap.newKeySet();
        private int next;

        BureauMessages(String bootstrap) throws java.io.IOException {
            this.sample = Files.readAllLines(Path.of("samples/feeds/kafka/swj/messages-001.ndjson"), StandardCharsets.UTF_8).get(0);
            this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all", "max.block.ms", 10_000,
                    "delivery.timeout.ms", 20_000, "request.timeout.ms", 10_000), new StringSerializer(), new ByteArraySerializer());
        }

        void burst(int messages) {
            for (int i = 0; i < messages; i++) {
                int n = next++;
                String value = sample.replace("巴税稽罚〔2022〕50号", CASE + n + "号");
                producer.send(new ProducerRecord<>("dept.swj.credit", key(n), value.getBytes(StandardCharsets.UTF_8)),
                        (metadata, e) -> {
                            if (e == null) {
                                acked.add(n);
                            }
                        });
            }
        }

        static String key(int n) {
            return "bureau-" + n;
        }

        static String recordId(int n) {
            return "SWJ:LIST_ENTRY:" + CASE + n + "号";
        }

        Set<Integer> acked() {
            return acked;
        }

        int sent() {
            return next;
        }

        @Override
        public void close() {
            producer.close(Duration.ZERO);
        }
    }
}
