package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.ingest.FeedIngestor;
import cn.bazhong.credit.gateway.ingest.FeedSource;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.support.FreePorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.tools.ProducerPerformance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collection throughput: SCJGJ-format CSV records from file to the upstream Kafka adapter, through
 * the whole pipeline (mapping, durable hand-off, dedup stage, batch stage, sender), against Kafka's
 * own ProducerPerformance tool sending the same number of records of the same size to the same
 * broker in the same run. Run with {@code bench/collection-throughput.sh}; results in docs/benchmarks.md.
 */
public final class CollectionThroughputBenchmark {

    private static final String UPSTREAM_TOPIC = "province.exchange.admin_penalty";
    private static final String PERF_TOPIC = "bench-producer-performance";

    private CollectionThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path work = Files.createDirectories(Path.of("target/bench/collection"));
        Path csv = work.resolve("XZCF_20251201_001.csv");
        ScjgjCsvGenerator.Summary summary = Files.exists(csv) && ScjgjCsvGenerator.readSummary(csv).records() == records
                ? ScjgjCsvGenerator.readSummary(csv) : ScjgjCsvGenerator.write(csv, records, ScjgjCsvGenerator.DEFAULT_SEED);
        Path kafkaDir = Files.createTempDirectory(work, "kafka-");
        int port = FreePorts.next();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", port, FreePorts.next(), kafkaDir)) {
            KafkaClients clients = new KafkaClients(broker.bootstrapServers(), Map.of());
            TopicProvisioner.ensure(clients, List.of(
                    TopicProvisioner.topic(UPSTREAM_TOPIC, 1, (short) 1, Map.of("max.message.bytes", String.valueOf(8 * 1024 * 1024))),
                    TopicProvisioner.topic(PERF_TOPIC, 1, (short) 1, Map.of())));
            int hazelcast = FreePorts.next();
            Map<String, String> settings = Map.ofEntries(
                    Map.entry("gateway.node-id", "bench"),
                    Map.entry("gateway.kafka.embedded.enabled", "false"),
                    Map.entry("gateway.kafka.bootstrap-servers", broker.bootstrapServers()),
                    Map.entry("gateway.hazelcast.port", String.valueOf(hazelcast)),
                    Map.entry("gateway.hazelcast.members", "127.0.0.1:" + hazelcast),
                    Map.entry("gateway.hazelcast.cluster-name", "bench-" + hazelcast),
                    Map.entry("gateway.upstream.transport", "kafka"),
                    Map.entry("gateway.upstream.batch-size", "500"),
                    Map.entry("gateway.upstream.batch-wait", "200ms"),
                    Map.entry("gateway.feeds.swj.kafka.enabled", "false"),
                    Map.entry("server.port", "0"),
                    Map.entry("camel.main.run-controller", "false"),
                    Map.entry("logging.level.root", "WARN"));
            // command-line arguments: they override config/application.yaml (default properties would not)
            String[] arguments = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
            try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class).run(arguments)) {
                FeedIngestor ingestor = gateway.getBean(FeedIngestor.class);
                long start = System.nanoTime();
                Receipt receipt;
                try (InputStream in = Files.newInputStream(csv)) {
                    receipt = ingestor.ingest(FeedSource.file("scjgj-penalties", csv.getFileName().toString(), "bench"), in);
                }
                long durable = System.nanoTime();
                long expected = receipt.accepted(); // every generated record has its own decision number
                long[] bytes = new long[1];
                long delivered = awaitUpstream(clients, expected, bytes);
                long end = System.nanoTime();
                double seconds = (end - start) / 1e9;
                double pipelineRate = delivered / seconds;
                int recordSize = (int) Math.max(1, bytes[0] / Math.max(1, delivered));

                System.out.printf("pipeline: %,d records delivered in %.1f s = %,.0f records/s, average size %,d bytes%n",
                        delivered, seconds, pipelineRate, recordSize);
                double producerRate = producerPerformance(broker.bootstrapServers(), (int) delivered, recordSize);
                System.out.printf("""

                        ## Collection throughput result (%s)
                        | | value |
                        |---|---:|
                        | records in the file | %,d |
                        | accepted (durable in credit.records) | %,d, after %.1f s |
                        | delivered to %s (distinct record versions) | %,d |
                        | file → upstream adapter, records/s | %,.0f |
                        | average upstream record size, bytes | %,d |
                        | ProducerPerformance, same count and size, records/s | %,.0f |
                        | **ratio** | **%.1f %%** |
                        """, java.time.LocalDate.now(), records, receipt.accepted(), (durable - start) / 1e9, UPSTREAM_TOPIC,
                        delivered, pipelineRate, recordSize, producerRate, 100 * pipelineRate / producerRate);
            }
        }
    }

    /** Counts the records inside the batch documents on the upstream topic until all arrived. */
    private static long awaitUpstream(KafkaClients clients, long expected, long[] bytes) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long seen = 0;
        try (KafkaConsumer<String, byte[]> reader = clients.reader("bench-upstream")) {
            TopicPartition tp = new TopicPartition(UPSTREAM_TOPIC, 0);
            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (seen < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    JsonNode batch = json.readTree(r.value());
                    int n = batch.path("records").size();
                    seen += n;
                    bytes[0] += r.value().length;
                }
            }
        }
        return seen;
    }

    private static double producerPerformance(String bootstrap, int records, int recordSize) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ProducerPerformance.main(new String[] {"--topic", PERF_TOPIC, "--num-records", String.valueOf(records),
                    "--record-size", String.valueOf(recordSize), "--throughput", "-1",
                    "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all"});
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        Matcher m = Pattern.compile("(\\d+) records sent, ([0-9.]+) records/sec").matcher(out);
        double rate = 0;
        while (m.find()) {
            rate = Double.parseDouble(m.group(2)); // the last line is the total
        }
        return rate;
    }
}
