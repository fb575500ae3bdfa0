package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.ingest.FeedIngestor;
import cn.bazhong.credit.gateway.ingest.FeedSource;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.support.Folders;
import cn.bazhong.credit.gateway.support.FreePorts;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Disk per record on each of the gateway's topics: a generated SCJGJ penalty file (the format of the
 * sample feed {@code sftp/scjgj/outbox/xzcf}, {@link ScjgjCsvGenerator}) goes through the whole pipeline
 * (mapping, credit.records, dedup stage with its index entry, batch stage, sender to the upstream Kafka
 * adapter); once the adapter has every record, the broker's log directories are asked for the bytes of
 * each topic ({@code Admin.describeLogDirs}), which are divided by the records. One replica, lz4, the
 * gateway's own producer settings. Run with {@code bench/disk-per-record.sh [records]}; results in
 * docs/deployment.md ("Retention and disk").
 */
public final class DiskPerRecordBenchmark {

    private static final String UPSTREAM_TOPIC = "province.exchange.admin_penalty";

    private DiskPerRecordBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path work = Files.createDirectories(Path.of("target/bench/disk"));
        Path csv = work.resolve("XZCF_20251201_001.csv");
        ScjgjCsvGenerator.Summary summary = Files.exists(csv) && ScjgjCsvGenerator.readSummary(csv).records() == records
                ? ScjgjCsvGenerator.readSummary(csv) : ScjgjCsvGenerator.write(csv, records, ScjgjCsvGenerator.DEFAULT_SEED);
        Path kafkaDir = Files.createTempDirectory(work, "kafka-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), kafkaDir)) {
            KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
            TopicProvisioner.ensure(clients, List.of(
                    TopicProvisioner.topic(UPSTREAM_TOPIC, 1, (short) 1, Map.of("max.message.bytes", String.valueOf(8 * 1024 * 1024)))));
            int hazelcast = FreePorts.next();
            Map<String, String> settings = Map.ofEntries(
                    Map.entry("gateway.node-id", "disk"),
                    Map.entry("gateway.kafka.embedded.enabled", "false"),
                    Map.entry("gateway.kafka.bootstrap-servers", broker.bootstrapServers()),
                    Map.entry("gateway.hazelcast.port", String.valueOf(hazelcast)),
                    Map.entry("gateway.hazelcast.members", "127.0.0.1:" + hazelcast),
                    Map.entry("gateway.hazelcast.cluster-name", "disk-" + hazelcast),
                    Map.entry("gateway.upstream.transport", "kafka"),
                    Map.entry("gateway.upstream.batch-size", "500"),
                    Map.entry("gateway.upstream.batch-wait", "200ms"),
                    Map.entry("gateway.feeds.swj.kafka.enabled", "false"),
                    Map.entry("server.port", "0"),
                    Map.entry("camel.main.run-controller", "false"),
                    Map.entry("logging.level.root", "WARN"));
            String[] arguments = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
            try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class).run(arguments)) {
                FeedIngestor ingestor = gateway.getBean(FeedIngestor.class);
                Receipt receipt;
                try (InputStream in = Files.newInputStream(csv)) {
                    receipt = ingestor.ingest(FeedSource.file("scjgj-penalties", csv.getFileName().toString(), "bench"), in);
                }
                long delivered = awaitUpstream(clients, receipt.accepted());
                if (delivered != receipt.accepted() || receipt.accepted() != summary.expectedAccepted()) {
                    throw new IllegalStateException("the gateway accepted " + receipt.accepted() + " records (the generator wrote "
                            + summary.expectedAccepted() + " valid ones) and " + delivered + " reached the upstream topic");
                }
                Map<String, Long> bytes = topicBytes(clients);
                System.out.printf("%n## Disk per record (%s): %,d records in the file, %,d accepted, %,d delivered%n",
                        java.time.LocalDate.now(), summary.records(), receipt.accepted(), delivered);
                System.out.println("| topic | bytes | bytes per record | GB per million records |");
                System.out.println("|---|---:|---:|---:|");
                long total = 0;
                for (Map.Entry<String, Long> e : bytes.entrySet()) {
                    if (e.getKey().startsWith("credit.") && e.getValue() > 0) {
                        total += e.getValue();
                        System.out.printf("| `%s` | %,d | %,.0f | %.2f |%n", e.getKey(), e.getValue(),
                                (double) e.getValue() / delivered, e.getValue() / (double) delivered * 1e6 / 1e9);
                    }
                }
                System.out.printf("| all `credit.*` | %,d | %,.0f | %.2f |%n", total, (double) total / delivered,
                        total / (double) delivered * 1e6 / 1e9);
            }
        } finally {
            Folders.deleteTree(kafkaDir);
        }
    }

    /** The bytes of each topic's partitions in the broker's log directories (the one replica). */
    private static Map<String, Long> topicBytes(KafkaClients clients) throws Exception {
        Map<String, Long> bytes = new TreeMap<>();
        try (Admin admin = Admin.create(clients.base())) {
            int broker = admin.describeCluster().nodes().get().iterator().next().id();
            Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(broker)).allDescriptions().get().get(broker);
            dirs.values().forEach(dir -> dir.replicaInfos().forEach((tp, info) -> bytes.merge(tp.topic(), info.size(), Long::sum)));
        }
        return bytes;
    }

    /** Counts the records inside the batch documents on the upstream adapter's topic until all arrived. */
    private static long awaitUpstream(KafkaClients clients, long expected) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long seen = 0;
        try (KafkaConsumer<String, byte[]> reader = clients.reader("bench-upstream")) {
            TopicPartition tp = new TopicPartition(UPSTREAM_TOPIC, 0);
            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (seen < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    seen += json.readTree(r.value()).path("records").size();
                }
            }
        }
        return seen;
    }
}
