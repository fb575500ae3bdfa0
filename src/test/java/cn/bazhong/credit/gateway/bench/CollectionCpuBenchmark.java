package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.support.Folders;
import cn.bazhong.credit.gateway.support.FreePorts;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 15, target 1: the CPU the collection pipeline spends per delivered record, against Kafka's
 * ProducerPerformance, with the broker, the gateway and the tool each in a JVM of its own on this machine.
 *
 * <p>Phase A: the gateway ({@link BenchGateway}) ingests a generated SCJGJ file; the records go through the
 * whole pipeline to the upstream Kafka adapter's topic. Counted: the process CPU time (user + system) of the
 * gateway JVM and the broker JVM ({@link BenchBroker}) from the moment the ingest starts until this JVM has
 * seen the last record inside a batch document on the upstream topic (the gateway's start is not counted).
 * Phase B, then, on the same broker with the gateway stopped: ProducerPerformance ({@link BenchProducerPerformance})
 * sends as many records of the upstream records' average size with {@code acks=all}; counted: the tool JVM
 * from its {@code main} to its end and the broker JVM while the tool runs. Target: A's CPU per record at most
 * 4 × B's. This JVM only orchestrates and watches the upstream topic; its own CPU is not counted.
 *
 * <p>Arguments: {@code [records]} (default 1,000,000) or {@code --smoke} (2,000 records: checks that every
 * part works and that the counts are right, never how fast). Every JVM it starts gets this JVM's own flags
 * (heap, {@code BENCH_JAVA_OPTS}, module flags) except a flight recording; {@code BENCH_GATEWAY_JAVA_OPTS}
 * adds flags to the gateway JVM alone (e.g. a flight recording). Run with {@code bench/collection-throughput.sh}.
 */
public final class CollectionCpuBenchmark {

    static final String UPSTREAM_TOPIC = "province.exchange.admin_penalty";
    static final String PERF_TOPIC = "bench-producer-performance";
    static final double TARGET = 4.0;
    private static final long STARTED = System.nanoTime();

    private CollectionCpuBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = List.of(args).contains("--smoke") || "1".equals(System.getenv("BENCH_SMOKE"));
        int records = smoke ? 2_000 : args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path work = Files.createDirectories(Path.of(smoke ? "target/bench/collection-smoke" : "target/bench/collection")).toAbsolutePath();
        Path csv = work.resolve("XZCF_20251201_001.csv");
        ScjgjCsvGenerator.Summary summary = Files.exists(csv) && Files.exists(ScjgjCsvGenerator.summaryFile(csv))
                && ScjgjCsvGenerator.readSummary(csv).records() == records
                ? ScjgjCsvGenerator.readSummary(csv) : ScjgjCsvGenerator.write(csv, records, ScjgjCsvGenerator.DEFAULT_SEED);
        String loadBefore = BenchMachine.loadAverage();
        Path kafkaDir = Files.createTempDirectory(work, "kafka-");

        try (ChildJvm broker = ChildJvm.start("broker", work, BenchBroker.class, List.of(),
                List.of(String.valueOf(FreePorts.next()), String.valueOf(FreePorts.next()), kafkaDir.toString()))) {
            String bootstrap = broker.await("bootstrap=", Duration.ofMinutes(5)).substring("bootstrap=".length());
            progress("broker JVM listening on " + bootstrap);
            KafkaClients clients = new KafkaClients(bootstrap, Map.of());
            TopicProvisioner.ensure(clients, List.of(
                    TopicProvisioner.topic(UPSTREAM_TOPIC, 1, (short) 1, Map.of("max.message.bytes", String.valueOf(8 * 1024 * 1024))),
                    TopicProvisioner.topic(PERF_TOPIC, 1, (short) 1, Map.of())));

            Phase a = pipeline(work, broker, clients, csv, summary, smoke);
            Phase b = producerPerformance(work, broker, bootstrap, a.records, a.recordSize);
            broker.kill();
            progress("broker JVM stopped");
            print(records, smoke, a, b, loadBefore, BenchMachine.loadAverage());
        } finally {
            Folders.deleteTree(kafkaDir);
        }
    }

    private static void progress(String what) {
        System.out.printf("[%6.1f s] %s%n", (System.nanoTime() - STARTED) / 1e9, what);
    }

    // ---- phase A ----------------------------------------------------------------------------------

    private static Phase pipeline(Path work, ChildJvm broker, KafkaClients clients, Path csv, ScjgjCsvGenerator.Summary summary,
                                  boolean smoke)
            throws Exception {
        Map<String, String> settings = BenchGatewaySettings.against(clients.bootstrapServers());
        settings.put("gateway.upstream.batch-size", "500");
        settings.put("gateway.upstream.batch-wait", "200ms");
        settings.put("gateway.feeds.swj.kafka.enabled", "false");
        List<String> arguments = BenchGatewaySettings.arguments(settings);
        List<String> gatewayFlags = flags(System.getenv("BENCH_GATEWAY_JAVA_OPTS"));

        try (ChildJvm gateway = ChildJvm.start("gateway", work, BenchGateway.class, gatewayFlags, arguments);
             KafkaConsumer<String, byte[]> reader = clients.reader("bench-upstream")) {
            gateway.await("ready", Duration.ofMinutes(10));
            progress("gateway JVM ready; phase A: ingest");
            TopicPartition tp = new TopicPartition(UPSTREAM_TOPIC, 0);
            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            reader.position(tp);
            ObjectMapper json = new ObjectMapper();

            // the gateway's own CPU rate while it waits (pollers, Hazelcast, timers), once its start has died down:
            // "settled" below means back to it (not in a smoke run, which measures nothing and must stay short)
            Thread.sleep(smoke ? 0 : 15_000);
            long idleFrom = gateway.cpuNanos();
            long idleStart = System.nanoTime();
            Thread.sleep(smoke ? 100 : 10_000);
            long gatewayBefore = gateway.cpuNanos();
            double idleCores = (gatewayBefore - idleFrom) / (double) (System.nanoTime() - idleStart);
            long brokerBefore = broker.cpuNanos();
            long start = System.nanoTime();
            gateway.send("ingest " + csv);
            long accepted = -1;
            long rejected = -1;
            long seen = 0;
            long bytes = 0;
            long durable = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
            while (accepted < 0 || seen < accepted) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("after 60 min, " + seen + " records reached " + UPSTREAM_TOPIC
                            + (accepted < 0 ? ", and the ingest has not finished" : " of " + accepted + " accepted"));
                }
                gateway.checkAlive();
                if (accepted < 0) {
                    String line = gateway.poll("ingested ");
                    if (line != null) {
                        durable = System.nanoTime();
                        progress("ingest finished: " + line);
                        Matcher m = Pattern.compile("accepted=(\\d+) rejected=(\\d+) duplicates=(\\d+)").matcher(line);
                        if (!m.find()) {
                            throw new IllegalStateException("unexpected answer of the gateway: " + line);
                        }
                        accepted = Long.parseLong(m.group(1));
                        rejected = Long.parseLong(m.group(2));
                    }
                }
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(100))) {
                    seen += json.readTree(r.value()).path("records").size();
                    bytes += r.value().length;
                }
            }
            long end = System.nanoTime();
            long gatewayCpu = gateway.cpuNanos() - gatewayBefore;
            long brokerCpu = broker.cpuNanos() - brokerBefore;
            progress(seen + " records on " + UPSTREAM_TOPIC);
            String settled = smoke ? "gateway until settled: not measured in a smoke run"
                    : settled(gateway, gatewayBefore, idleCores, Math.max(1, seen));
            progress(settled);
            // its CPU after the last record is not counted; it must not run during phase B (no clean stop needed,
            // except that a flight recording is written only when the JVM ends normally)
            if (gatewayFlags.stream().anyMatch(f -> f.startsWith("-XX:StartFlightRecording"))) {
                gateway.close();
            } else {
                gateway.kill();
            }
            progress("gateway JVM stopped");

            if (accepted != summary.expectedAccepted() || rejected != summary.expectedRejected()) {
                throw new IllegalStateException("the gateway accepted " + accepted + " and rejected " + rejected
                        + " records; the generator wrote " + summary.expectedAccepted() + " valid and " + summary.expectedRejected() + " invalid ones");
            }
            if (seen != accepted) {
                throw new IllegalStateException(seen + " records reached " + UPSTREAM_TOPIC + " for " + accepted + " accepted");
            }
            Map<String, Long> cpu = new LinkedHashMap<>();
            cpu.put("gateway", gatewayCpu);
            cpu.put("broker", brokerCpu);
            int recordSize = (int) Math.max(1, bytes / Math.max(1, seen));
            return new Phase("A: pipeline, file → " + UPSTREAM_TOPIC, seen, recordSize, (end - start) / 1e9,
                    seen / ((end - start) / 1e9), cpu, String.format("durable in credit.records after %.1f s; %,d rejected by the mapping; %s",
                    (durable - start) / 1e9, rejected, settled));
        }
    }

    /**
     * The stages that read the upstream topic beside the batch stage (subjects' view, list state, publication) may
     * still be working when the last record reaches the province's topic; the figure above does not count that. This
     * waits until the gateway's CPU rate is back to its idle rate (three seconds in a row at most twice that rate plus
     * 0.05 cores, at most 10 minutes) and reports its CPU from the ingest's start to then, beside the figure.
     */
    private static String settled(ChildJvm gateway, long gatewayBefore, double idleCores, long records) throws Exception {
        long lastRecord = System.nanoTime();
        long deadline = lastRecord + Duration.ofMinutes(10).toNanos();
        double limit = Math.max(2 * idleCores, idleCores + 0.05);
        java.util.ArrayDeque<long[]> window = new java.util.ArrayDeque<>(); // {nanoTime, cpu}
        while (System.nanoTime() < deadline) {
            window.add(new long[] {System.nanoTime(), gateway.cpuNanos()});
            if (window.size() > 4) {
                window.poll();
            }
            if (window.size() == 4) {
                double cores = (window.peekLast()[1] - window.peekFirst()[1]) / (double) (window.peekLast()[0] - window.peekFirst()[0]);
                if (cores <= limit) {
                    long cpu = window.peekFirst()[1] - gatewayBefore;
                    return String.format("gateway until settled (idle %.3f cores, back to it %.1f s after the last record): %.2f s CPU, %.1f µs per record",
                            idleCores, (window.peekFirst()[0] - lastRecord) / 1e9, cpu / 1e9, cpu / 1e3 / records);
                }
            }
            Thread.sleep(1_000);
        }
        return String.format("gateway not settled within 10 min of the last record (idle %.3f cores)", idleCores);
    }

    // ---- phase B ----------------------------------------------------------------------------------

    private static Phase producerPerformance(Path work, ChildJvm broker, String bootstrap, long records, int recordSize) throws Exception {
        long brokerBefore = broker.cpuNanos();
        long start = System.nanoTime();
        long toolCpu;
        long toolStart;
        double rate;
        try (ChildJvm tool = ChildJvm.start("producer-performance", work, BenchProducerPerformance.class, List.of(),
                List.of("--topic", PERF_TOPIC, "--num-records", String.valueOf(records), "--record-size", String.valueOf(recordSize),
                        "--throughput", "-1", "--producer-props", "acks=all", "bootstrap.servers=" + bootstrap))) {
            progress("phase B: ProducerPerformance");
            toolStart = Long.parseLong(tool.await("cpu-at-main=", Duration.ofMinutes(5)).substring("cpu-at-main=".length()));
            long toolEnd = Long.parseLong(tool.await("cpu-at-end=", Duration.ofMinutes(60)).substring("cpu-at-end=".length()));
            toolCpu = toolEnd - toolStart;
            int exit = tool.waitForExit(Duration.ofMinutes(1));
            if (exit != 0) {
                throw new IllegalStateException("ProducerPerformance ended with status " + exit + "; see " + tool.log());
            }
            Matcher m = Pattern.compile("(\\d+) records sent, ([0-9.]+) records/sec").matcher(Files.readString(tool.log()));
            long sent = -1;
            rate = -1;
            while (m.find()) { // the last line is the total
                sent = Long.parseLong(m.group(1));
                rate = Double.parseDouble(m.group(2));
            }
            if (sent != records) {
                throw new IllegalStateException("ProducerPerformance reported " + sent + " records sent for " + records + "; see " + tool.log());
            }
        }
        long end = System.nanoTime();
        long brokerCpu = broker.cpuNanos() - brokerBefore;
        progress("ProducerPerformance finished");
        Map<String, Long> cpu = new LinkedHashMap<>();
        cpu.put("producer-performance", toolCpu);
        cpu.put("broker", brokerCpu);
        return new Phase("B: ProducerPerformance, acks=all, " + recordSize + "-byte records", records, recordSize,
                (end - start) / 1e9, rate, cpu, String.format("tool JVM start before main: %.2f s CPU (not counted)", toolStart / 1e9));
    }

    // ---- report -----------------------------------------------------------------------------------

    record Phase(String name, long records, int recordSize, double seconds, double recordsPerSecond, Map<String, Long> cpu, String note) {

        long totalCpu() {
            return cpu.values().stream().mapToLong(Long::longValue).sum();
        }

        double microsPerRecord() {
            return totalCpu() / 1e3 / records;
        }
    }

    private static void print(int records, boolean smoke, Phase a, Phase b, String loadBefore, String loadAfter) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n## Collection: CPU per delivered record (%s%s)%n%n", java.time.LocalDate.now(), smoke ? ", SMOKE RUN: no figures" : ""));
        out.append(String.format("%,d records generated; machine: %d CPUs, load average %s at the start, %s at the end; %s %s; JVM flags of every JVM: %s%n",
                records, Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), String.join(" ", ChildJvm.flags(List.of()))));
        for (Phase p : List.of(a, b)) {
            out.append(String.format("%n### %s%n%n%,d records, %.1f s (%s)%n%n", p.name, p.records, p.seconds, p.note));
            out.append("| JVM | CPU s | µs per record | share |\n|---|---:|---:|---:|\n");
            for (Map.Entry<String, Long> e : p.cpu.entrySet()) {
                out.append(String.format("| %s | %.2f | %.1f | %.0f %% |%n", e.getKey(), e.getValue() / 1e9, e.getValue() / 1e3 / p.records,
                        100.0 * e.getValue() / Math.max(1, p.totalCpu())));
            }
            out.append(String.format("| **total** | **%.2f** | **%.1f** | |%n", p.totalCpu() / 1e9, p.microsPerRecord()));
            out.append(String.format("| records/s | %,.0f | | |%n", p.recordsPerSecond));
        }
        double ratio = a.microsPerRecord() / b.microsPerRecord();
        out.append(String.format("%n| | A | B | A / B | target |%n|---|---:|---:|---:|---|%n"));
        out.append(String.format("| CPU µs per record | %.1f | %.1f | **%.1f ×** | ≤ %.0f × (%s) |%n", a.microsPerRecord(), b.microsPerRecord(),
                ratio, TARGET, smoke ? "smoke run: no verdict" : ratio <= TARGET ? "met" : "not met"));
        out.append(String.format("| records/s | %,.0f | %,.0f | %.1f %% | |%n", a.recordsPerSecond, b.recordsPerSecond,
                100 * a.recordsPerSecond / b.recordsPerSecond));
        if (smoke) {
            out.append("\nSmoke run: every part worked and the counts were right; the figures of 2,000 records mean nothing.\n");
        }
        System.out.print(out);
    }


    // ---- the JVMs ---------------------------------------------------------------------------------

    private static List<String> flags(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }
}
