package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.lists.EntryState;
import cn.bazhong.credit.gateway.lists.ListChange;
import cn.bazhong.credit.gateway.lists.ListView;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.security.ApiKeys;
import cn.bazhong.credit.gateway.support.FanoutFixtures;
import cn.bazhong.credit.gateway.support.Folders;
import cn.bazhong.credit.gateway.support.FreePorts;
import cn.bazhong.credit.gateway.support.WebhookReceivers;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The lists benchmarks of issue 4, against one gateway on its embedded defaults but for the broker, which runs in
 * a JVM of its own ({@link BenchBroker}) as in production:
 * <ol>
 *   <li>the list state holds {@code subjects} listed organisations (written to the list-state topic
 *       first, so the gateway builds its view from it at start, as after a full restart);</li>
 *   <li>check API latency at a fixed rate, driven by {@link CheckApiLoad} in its own JVM on loopback: right after
 *       the start, while the view's indexes are built, then again once they are;</li>
 *   <li>fan-out latency from a list change (a tax bureau message published on its topic) to each of
 *       {@code receivers} webhook receivers, and from the change event to the receivers: the node's first
 *       {@code changes} changes, then as many again right after;</li>
 *   <li>memory per listed subject: heap after GC with the view, minus heap after GC once it is cleared.</li>
 * </ol>
 * Arguments: subjects (1,000,000), receivers (50), list changes per round (200), check rate per second (1000),
 * check seconds (60). The check load's warm-up lasts {@value #CHECK_WARM_UP_SECONDS} s, or {@code BENCH_WARM_UP}
 * seconds (a node's first minutes carry its JIT compiling the code the start and the checks made hot).
 */
public final class ListsBenchmark {

    private static final String KEY = "bench-check-key";
    private static final String VIEWER_KEY = "bench-viewer-key";
    /** The check load's warm-up, at the full rate, before the measured seconds. */
    static final int CHECK_WARM_UP_SECONDS = 10;
    /** The broker JVM's heap: Kafka keeps its data in the page cache, not on the heap. */
    private static final String BROKER_HEAP = "1g";
    private static final java.util.regex.Pattern LISTED = java.util.regex.Pattern.compile("\"entries\"\\s*:\\s*\\[\\s*\\{");

    private ListsBenchmark() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // the gateway's and the clients' threads must not keep a failed run alive: the smoke test waits for the exit
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        int subjects = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int receiverCount = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int changes = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
        Path work = Files.createDirectories(Path.of("target/bench/lists"));
        Path kafkaDir = Files.createTempDirectory(work, "kafka-");
        List<String> departments = new ArrayList<>();
        for (int i = 1; i <= receiverCount; i++) {
            departments.add(String.format("R%02d", i));
        }
        // the broker in a JVM of its own, as in production: its threads and its garbage are not the gateway's
        try (ChildJvm broker = ChildJvm.start("broker", work, BenchBroker.class,
                List.of("-Xmx" + BROKER_HEAP), List.of(String.valueOf(FreePorts.next()), String.valueOf(FreePorts.next()), kafkaDir.toString()));
             WebhookReceivers receivers = new WebhookReceivers()) {
            String bootstrap = broker.await("bootstrap=", java.time.Duration.ofMinutes(5)).substring("bootstrap=".length());
            KafkaClients clients = new KafkaClients(bootstrap, Map.of());
            // the tax bureau's list entries go upstream to the Kafka adapter's topic, which a province would have
            // created (the broker creates no topic by itself): without it the sender retries in the background
            TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic("province.exchange.list_entry", 1, (short) 1,
                    Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024)))));
            long t0 = System.nanoTime();
            List<String> codes = fillListState(clients, subjects);
            System.out.printf("list state: %,d subjects written in %.1f s%n", subjects, (System.nanoTime() - t0) / 1e9);
            int dedupVersions = dedupVersions();
            int dedupRecords = 0;
            if (dedupVersions > 0) {
                long d0 = System.nanoTime();
                dedupRecords = fillDedupIndex(clients, dedupVersions);
                System.out.printf("dedup index topic: %,d versions written in %.1f s%n", dedupVersions, (System.nanoTime() - d0) / 1e9);
            }
            Path codesFile = work.resolve("codes.txt");
            Files.write(codesFile, codes);
            Path catalog = work.resolve("catalog.yaml");
            Files.writeString(catalog, FanoutFixtures.catalog("bench-1", departments, departments));
            Path subscriptions = work.resolve("subscriptions.yaml");
            Files.writeString(subscriptions, "subscriptions:\n" + FanoutFixtures.webhooks(receivers, departments, d -> ""));

            long heapBefore = usedHeapAfterGc();
            Map<String, String> settings = BenchGatewaySettings.against(bootstrap);
            settings.put("gateway.catalog.file", catalog.toString());
            settings.put("gateway.fanout.subscriptions-file", subscriptions.toString());
            settings.put("gateway.access.departments.R01[0]", ApiKeys.hash(KEY));
            settings.put("gateway.access.viewers.bench[0]", ApiKeys.hash(VIEWER_KEY)); // health's details while the node starts
            // server-side latency of the check, to tell the gateway's time from the load tool's and the queues'
            settings.put("management.metrics.distribution.percentiles.http.server.requests", "0.5,0.99,0.999");
            String[] arguments = BenchGatewaySettings.arguments(settings).toArray(String[]::new);
            long startAt = System.nanoTime();
            try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class).run(arguments)) {
                double startSeconds = (System.nanoTime() - startAt) / 1e9;
                ListView view = gateway.getBean(ListView.class);
                System.out.printf("gateway started in %.1f s with %,d subjects in the view%n", startSeconds, view.size());
                int port = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
                double servingSeconds = awaitServing("http://127.0.0.1:" + port, codesFile, startAt);
                System.out.printf("serving (health UP, the check API answering) %.1f s after the start began%n", servingSeconds);
                cn.bazhong.credit.gateway.ingest.DedupIndex dedup = gateway.getBean(cn.bazhong.credit.gateway.ingest.DedupIndex.class);
                double[] dedupReadyAt = {Double.NaN};
                int dedupIds = dedupRecords;
                Thread dedupWatch = new Thread(() -> {
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(60)).pollInterval(java.time.Duration.ofMillis(500))
                            .until(() -> dedup.size() >= dedupIds);
                    dedupReadyAt[0] = (System.nanoTime() - startAt) / 1e9;
                    System.out.printf("dedup index rebuilt (%,d record ids) %.1f s after the start began%n", dedup.size(), dedupReadyAt[0]);
                }, "dedup-watch");
                dedupWatch.setDaemon(true);
                dedupWatch.start();
                // the view's indexes (list pages, expiry sweep) are built after the start, while the checks run
                cn.bazhong.credit.gateway.lists.ListViewIndexing indexing = gateway.getBean(cn.bazhong.credit.gateway.lists.ListViewIndexing.class);
                double[] indexedAt = {Double.NaN};
                Thread indexWatch = new Thread(() -> {
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(30)).pollInterval(java.time.Duration.ofMillis(100))
                            .until(indexing::done);
                    indexedAt[0] = (System.nanoTime() - startAt) / 1e9;
                    System.out.printf("list view indexes ready %.1f s after the start began%n", indexedAt[0]);
                }, "index-watch");
                indexWatch.setDaemon(true);
                indexWatch.start();
                System.out.printf("check API load: %d s of warm-up at the full rate, then %d s measured%n", checkWarmUp(), seconds);

                CheckLoad first = checkLoad("http://127.0.0.1:" + port, codesFile, rate, seconds,
                        "check API, right after the start: this JVM (the gateway, and the idle receivers)");
                String checkProblem = checkLoadProblem(first.result(), (long) rate * seconds);
                String serverSide = serverSide(gateway.getBean(io.micrometer.core.instrument.MeterRegistry.class));
                System.out.println(serverSide);

                // the same load again once the indexes are built: the first window shares the node with the build
                // (its partition operations and their compilations), this one shows the node as it serves from then on
                indexWatch.join(java.time.Duration.ofMinutes(30).toMillis());
                String secondWindow = indexWatch.isAlive() ? "the indexes still building after 30 min" : "the indexes built";
                System.out.printf("check API load again, %s: %d s of warm-up, then %d s measured%n", secondWindow, checkWarmUp(), seconds);
                CheckLoad indexed = checkLoad("http://127.0.0.1:" + port, codesFile, rate, seconds, "check API, " + secondWindow + ": this JVM");
                if (checkProblem == null) {
                    checkProblem = checkLoadProblem(indexed.result(), (long) rate * seconds);
                }

                dedupWatch.join(java.time.Duration.ofMinutes(60).toMillis());
                String batchCheck = batchCheck("http://127.0.0.1:" + port, codesFile, 1_000, 100);
                System.out.println(batchCheck);

                // two rounds of the same size, one after the other: the node's first changes (the delivery path's code
                // still cold, compiled while they run), then as many again on a warmer path, as the check API's two windows
                RecordTraces traces = gateway.getBean(RecordTraces.class);
                io.micrometer.core.instrument.MeterRegistry meters = gateway.getBean(io.micrometer.core.instrument.MeterRegistry.class);
                FanoutRound cold = fanoutRound("right after the start", 0, changes, clients, receivers, departments, traces, meters, broker);
                FanoutRound warm = fanoutRound("second round", changes, changes, clients, receivers, departments, traces, meters, broker);

                HazelcastInstance hz = gateway.getBean(HazelcastInstance.class);
                IMap<Object, Object> map = hz.getMap(ListView.MAP);
                long owned = map.getLocalMapStats().getOwnedEntryMemoryCost();
                long nearCache = map.getLocalMapStats().getNearCacheStats() == null ? 0
                        : map.getLocalMapStats().getNearCacheStats().getOwnedEntryMemoryCost();
                long nearEntries = map.getLocalMapStats().getNearCacheStats() == null ? 0
                        : map.getLocalMapStats().getNearCacheStats().getOwnedEntryCount();
                long withView = usedHeapAfterGc();
                int inView = view.size();
                map.clear();
                long withoutView = usedHeapAfterGc();
                int n = subjects + 2 * changes;
                System.out.printf("""

                        ## Lists benchmark result (%s)
                        | | value |
                        |---|---:|
                        | listed subjects in the view | %,d |
                        | gateway start with the view rebuilt from the list-state topic | %.1f s |
                        | serving (health UP, the check API answering), from the start | %.1f s |
                        | the dedup index rebuilt from its topic (%,d versions), from the start | %.1f s |
                        | the view's indexes ready (list pages, expiry sweep), from the start | %.1f s |
                        | %s |
                        | %s |
                        | %s |
                        | %s |
                        | %s |
                        | %s |
                        | fan-out right after the start: %,d list changes × %d webhook receivers, from the message on dept.swj.credit to the receiver: p50 / p99 / max | %.0f / %.0f / %.0f ms |
                        | fan-out right after the start: from the change event (occurredAt) to the receiver: p50 / p99 / max | %.0f / %.0f / %.0f ms |
                        | %s |
                        | fan-out, second round: %,d more list changes × %d receivers, from the message to the receiver: p50 / p99 / max | %.0f / %.0f / %.0f ms |
                        | fan-out, second round: from the change event to the receiver: p50 / p99 / max | %.0f / %.0f / %.0f ms |
                        | %s |
                        | heap held by the view (after GC, with it minus without it) | %,d MB = %,d bytes per subject |
                        | Hazelcast owned entry memory (serialized map entries) | %,d bytes per subject |
                        | near cache: entries read by the check API / their memory (Hazelcast reports 0 for entries kept as objects) | %,d / %,d bytes per entry |
                        | heap in use before the gateway started (receivers; the broker has its own JVM) | %,d MB |
                        """, LocalDate.now(), inView, startSeconds, servingSeconds, dedupVersions, dedupReadyAt[0], indexedAt[0], first.result().replace("CHECK-API ", "check API at fixed rate (open loop, own JVM), right after the start (the indexes building meanwhile): "),
                        first.cpu(), indexed.result().replace("CHECK-API ", "check API at fixed rate, " + secondWindow + ": "), indexed.cpu(), serverSide, batchCheck,
                        changes, receiverCount, cold.latency().p50, cold.latency().p99, cold.latency().max,
                        cold.latency().eventP50, cold.latency().eventP99, cold.latency().eventMax, cold.cpu(),
                        changes, receiverCount, warm.latency().p50, warm.latency().p99, warm.latency().max,
                        warm.latency().eventP50, warm.latency().eventP99, warm.latency().eventMax, warm.cpu(),
                        (withView - withoutView) >> 20, (withView - withoutView) / Math.max(1, n), owned / Math.max(1, n),
                        nearEntries, nearEntries == 0 ? 0 : nearCache / nearEntries, heapBefore >> 20);
                // what the smoke mode (and any run) must get right, however fast the machine
                if (checkProblem != null) {
                    throw new IllegalStateException(checkProblem);
                }
                if (inView != n) {
                    throw new IllegalStateException("the view held " + inView + " subjects, not the " + n + " listed");
                }
                System.out.println("lists benchmark: every check was answered 200, every batch check answered each code, "
                        + "every change reached every receiver, the view held every listed subject: every count was right");
            }
        } finally {
            Folders.deleteTree(kafkaDir);
        }
    }

    private static final java.util.regex.Pattern LOAD = java.util.regex.Pattern.compile("requests=(\\d+) .*non200=(\\d+) errors=(\\d+)");

    /** Why the check load's result line is not a clean run of {@code expected} requests, or null when it is. */
    static String checkLoadProblem(String result, long expected) {
        java.util.regex.Matcher m = LOAD.matcher(result);
        if (!m.find()) {
            return "the check load did not report its requests: " + result;
        }
        long requests = Long.parseLong(m.group(1));
        long non200 = Long.parseLong(m.group(2));
        long errors = Long.parseLong(m.group(3));
        if (requests != expected || non200 != 0 || errors != 0) {
            return "the check load sent " + requests + " of " + expected + " checks, " + non200 + " answered other than 200, " + errors
                    + " failed: " + result;
        }
        return null;
    }

    /**
     * The batch check (POST /api/v1/subjects/check, NDJSON in and out, streamed): {@code requests} requests of
     * {@code perRequest} codes each, one after another (closed loop), each read to its last line; the time per
     * request from sending to the last answer line, and that every code got its answer in order.
     */
    private static String batchCheck(String base, Path codesFile, int perRequest, int requests) throws Exception {
        List<String> codes = Files.readAllLines(codesFile);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long[] nanos = new long[requests];
        long hits = 0;
        for (int i = 0; i < requests; i++) {
            StringBuilder body = new StringBuilder();
            List<String> asked = new ArrayList<>(perRequest);
            for (int j = 0; j < perRequest; j++) {
                String code = codes.get((i * perRequest + j) % codes.size());
                asked.add(code);
                body.append("{\"code\":\"").append(code).append("\"}\n");
            }
            long t = System.nanoTime();
            java.net.http.HttpResponse<java.util.stream.Stream<String>> r = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(base + "/api/v1/subjects/check?matter=bench"))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/x-ndjson")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            List<String> lines = r.body().filter(l -> !l.isBlank()).toList();
            nanos[i] = System.nanoTime() - t;
            if (r.statusCode() != 200 || lines.size() != perRequest) {
                throw new IllegalStateException("batch check answered " + r.statusCode() + " with " + lines.size() + " lines");
            }
            for (int j = 0; j < perRequest; j++) {
                if (!lines.get(j).contains(asked.get(j))) {
                    throw new IllegalStateException("batch check answer " + j + " is not for " + asked.get(j) + ": " + lines.get(j));
                }
                if (LISTED.matcher(lines.get(j)).find()) {
                    hits++;
                }
            }
        }
        java.util.Arrays.sort(nanos);
        return String.format("batch check, %,d requests of %,d codes (closed loop): p50 / p99 / max %.1f / %.1f / %.1f ms per request, %,d codes listed",
                requests, perRequest, nanos[requests / 2] / 1e6, nanos[(int) Math.min(requests - 1, Math.ceil(requests * 0.99) - 1)] / 1e6,
                nanos[requests - 1] / 1e6, hits);
    }

    /** The check API's latency as the gateway itself measured it (Spring MVC's http.server.requests timer). */
    private static String serverSide(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Timer t = registry.find("http.server.requests").tag("uri", "/api/v1/subjects/{code}/measures").timer();
        if (t == null) {
            return "check API server side: no timer found";
        }
        StringBuilder s = new StringBuilder(String.format("check API server side: %,d requests, mean %.2f ms, max %.2f ms",
                t.count(), t.mean(java.util.concurrent.TimeUnit.MILLISECONDS), t.max(java.util.concurrent.TimeUnit.MILLISECONDS)));
        for (io.micrometer.core.instrument.distribution.ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
            s.append(String.format(", p%s %.2f ms", v.percentile() * 100, v.value(java.util.concurrent.TimeUnit.MILLISECONDS)));
        }
        return s.toString();
    }

    /** {@code BENCH_DEDUP_VERSIONS}: record versions already forwarded upstream, for the dedup index to rebuild at start (0). */
    private static int dedupVersions() {
        String n = System.getenv("BENCH_DEDUP_VERSIONS");
        return n == null || n.isBlank() ? 0 : Integer.parseInt(n.strip().replace("_", ""));
    }

    /**
     * Writes {@code versions} entries to the dedup index topic as the dedup stage would have (one per forwarded record
     * version, every fifth record corrected once), and the mark that the upstream topic was copied into it: after a
     * restart of the whole cluster each node rebuilds the index from there. Returns how many record ids they hold.
     */
    private static int fillDedupIndex(KafkaClients clients, int versions) throws Exception {
        String topic = "credit.dedup-index";
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(topic, 6, (short) 1,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        try (KafkaProducer<String, byte[]> producer = clients.bulkProducer("bench-dedup-index")) {
            int written = 0;
            int record = 0;
            for (; written < versions; record++) {
                String recordId = "SCJGJ:ADMIN_PENALTY:巴市监罚〔2025〕" + record + "号";
                for (int v = 1; v <= (record % 5 == 0 ? 2 : 1) && written < versions; v++, written++) {
                    producer.send(cn.bazhong.credit.gateway.upstream.DedupIndexEntries.entry(topic, recordId,
                            String.format("%016x", (long) record * 31 + v), "credit.records/" + (record % 6) + "/" + written));
                }
            }
            producer.send(new ProducerRecord<>(topic, cn.bazhong.credit.gateway.upstream.DedupIndexEntries.UPSTREAM_COPIED,
                    "copied 0 versions (benchmark)".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            return record;
        }
    }

    /**
     * Seconds from {@code startAt} until health answers UP and the check API answers 200; prints, each time it changes,
     * which of health's components are not UP meanwhile.
     */
    private static double awaitServing(String base, Path codesFile, long startAt) throws Exception {
        String code = Files.readAllLines(codesFile).get(0);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String[] notUp = {""};
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(30)).pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
            java.net.http.HttpResponse<String> health = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/actuator/health")).header("Authorization", "Bearer " + VIEWER_KEY).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            com.fasterxml.jackson.databind.JsonNode body = RecordJson.mapper().readTree(health.body());
            StringBuilder components = new StringBuilder();
            body.path("components").fields().forEachRemaining(c -> {
                if (!"UP".equals(c.getValue().path("status").asText())) {
                    components.append(c.getKey()).append('=').append(c.getValue().path("status").asText()).append(' ');
                }
            });
            if (!components.toString().equals(notUp[0])) {
                notUp[0] = components.toString();
                System.out.printf("health %s at %.1f s: %s%n", body.path("status").asText(), (System.nanoTime() - startAt) / 1e9,
                        components.isEmpty() ? "every component UP" : "not UP: " + components);
            }
            if (health.statusCode() != 200 || !"UP".equals(body.path("status").asText())) {
                if (components.isEmpty() && !notUp[0].equals("status " + health.statusCode())) {
                    notUp[0] = "status " + health.statusCode();
                    System.out.printf("health answers %d at %.1f s: %s%n", health.statusCode(), (System.nanoTime() - startAt) / 1e9,
                            cn.bazhong.credit.gateway.validation.Text.shorten(health.body(), 200));
                }
                return false;
            }
            java.net.http.HttpResponse<String> check = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(base + "/api/v1/subjects/" + code + "/measures?matter=bench"))
                    .header("Authorization", "Bearer " + KEY).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (check.statusCode() != 200 && !notUp[0].equals("check " + check.statusCode())) {
                notUp[0] = "check " + check.statusCode();
                System.out.printf("check API answers %d at %.1f s: %s%n", check.statusCode(), (System.nanoTime() - startAt) / 1e9,
                        cn.bazhong.credit.gateway.validation.Text.shorten(check.body(), 200));
            }
            return check.statusCode() == 200;
        });
        return (System.nanoTime() - startAt) / 1e9;
    }

    /** Writes listed organisations straight to the list-state topic; returns codes to ask about (90 % listed, 10 % unknown). */
    private static List<String> fillListState(KafkaClients clients, int subjects) throws Exception {
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic("credit.list-state", 6, (short) 1,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        List<String> sample = new ArrayList<>();
        Instant now = Instant.now();
        try (KafkaProducer<String, byte[]> producer = clients.producer("bench-state")) {
            for (int i = 0; i < subjects; i++) {
                String uscc = ScjgjCsvGenerator.uscc("91511900" + String.format("%08d", i));
                boolean red = i % 10 < 7;
                String listType = red ? "TAX_A" : (i % 10 < 9 ? "COURT_DEFAULTER" : "MAJOR_TAX_VIOLATION");
                String recordId = (red ? "SWJ:LIST_ENTRY:NSXYA-2025-" : "ZJFY:LIST_ENTRY:（2025）川19执") + uscc;
                Subject subject = new Subject(Subject.ORGANISATION, "巴中市测试企业" + i + "有限公司", uscc, null, null, null, null, null,
                        null, null, null);
                EntryState state = new EntryState(recordId, listType, red ? ListCategory.RED : ListCategory.BLACK,
                        red ? "国家税务总局巴中市税务局" : "四川省巴中市中级人民法院", red ? null : "（2025）川19执" + i + "号",
                        LocalDate.of(2025, 4, 10), LocalDate.of(2025, 4, 10), LocalDate.of(2030, 12, 31), ListStatus.ACTIVE,
                        null, null, red ? null : "被执行人于判决生效后十日内支付申请执行人货款", red ? null : "有履行能力而拒不履行",
                        subject, "v" + i, ListChange.LISTED.wireName(), now, "evt_bench" + i, null, null);
                producer.send(new ProducerRecord<>("credit.list-state", "O:" + uscc + "|" + recordId, RecordJson.mapper().writeValueAsBytes(state)));
                if (i % 100 == 0) {
                    sample.add(uscc);
                }
            }
            producer.flush();
        }
        List<String> codes = new ArrayList<>(sample.subList(0, Math.min(sample.size(), 9000)));
        for (int i = 0; i < Math.max(1, codes.size() / 9); i++) {
            codes.add(ScjgjCsvGenerator.uscc("91511901" + String.format("%08d", i))); // never listed
        }
        Collections.shuffle(codes, new java.util.Random(7));
        return codes;
    }

    /**
     * CPU time of the fan-out's own threads so far: the dispatchers ({@code fanout-<DEPT>}), their consumers' heartbeat
     * and network threads, the shared fetch; without the JIT, the collector and the receivers, which blur the JVM's total.
     * Threads that ended meanwhile are not counted (the dispatchers run throughout).
     */
    private static long fanoutThreadsCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && (t.getThreadName().startsWith("fanout-") || t.getThreadName().contains("gateway-fanout-"))) {
                long cpu = threads.getThreadCpuTime(t.getThreadId());
                sum += Math.max(0, cpu);
            }
        }
        return sum;
    }

    /** One check-API load's result line and the CPU this JVM spent while it ran, both printed. */
    private record CheckLoad(String result, String cpu) {
    }

    private static CheckLoad checkLoad(String base, Path codes, int rate, int seconds, String whose) throws Exception {
        long cpuBefore = BenchMachine.ownCpuNanos();
        long started = System.nanoTime();
        String result = checkApi(base, codes, rate, seconds);
        long cpuNanos = BenchMachine.ownCpuNanos() - cpuBefore;
        String cpu = String.format("%s used %.2f cores while it ran, %.0f µs of CPU per request",
                whose, cpuNanos / (double) (System.nanoTime() - started), cpuNanos / 1e3 / Math.max(1, (long) rate * seconds));
        System.out.println(result);
        System.out.println(cpu);
        return new CheckLoad(result, cpu);
    }

    private static int checkWarmUp() {
        String warmUp = System.getenv("BENCH_WARM_UP");
        return warmUp == null || warmUp.isBlank() ? CHECK_WARM_UP_SECONDS : Integer.parseInt(warmUp.strip());
    }

    private static String checkApi(String base, Path codes, int rate, int seconds) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xms128m", "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), CheckApiLoad.class.getName(),
                base, KEY, codes.toString(), String.valueOf(rate), String.valueOf(checkWarmUp()), String.valueOf(seconds))
                .redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("CHECK-API")) {
                    result = line;
                }
            }
        }
        p.waitFor(checkWarmUp() + seconds + 120L, TimeUnit.SECONDS);
        return result == null ? "check API: the load tool printed no result" : result;
    }

    record FanoutRound(FanoutLatency latency, String cpu) {
    }

    /**
     * One round of the fan-out: {@code changes} new list changes (subjects {@code from} on), their latency to every
     * receiver, and the CPU it took: this JVM's and the broker's per change and receiver, and the fan-out's own
     * threads' apart (without the JIT and the collector, which blur the JVM's total).
     */
    private static FanoutRound fanoutRound(String label, int from, int changes, KafkaClients clients, WebhookReceivers receivers,
                                           List<String> departments, RecordTraces traces,
                                           io.micrometer.core.instrument.MeterRegistry meters, ChildJvm broker) throws Exception {
        java.util.function.ToDoubleFunction<String> fetched = source -> meters.find("gateway.fanout.fetched").tag("from", source)
                .functionCounters().stream().mapToDouble(io.micrometer.core.instrument.FunctionCounter::count).sum();
        double sharedBefore = fetched.applyAsDouble("shared");
        double ownBefore = fetched.applyAsDouble("own");
        long dispatchersBefore = fanoutThreadsCpuNanos();
        long ownCpuBefore = BenchMachine.ownCpuNanos();
        long brokerCpuBefore = broker.cpuNanos();
        long started = System.nanoTime();
        System.out.println("fan-out " + label + ":");
        FanoutLatency latency = fanout(clients, receivers, departments, from, changes, traces);
        System.out.println(latency);
        double nanos = System.nanoTime() - started;
        long ownCpu = BenchMachine.ownCpuNanos() - ownCpuBefore;
        long brokerCpu = broker.cpuNanos() - brokerCpuBefore;
        long dispatchersCpu = fanoutThreadsCpuNanos() - dispatchersBefore;
        long deliveries = (long) changes * departments.size();
        String cpu = String.format("fan-out %s, CPU while it ran (%.0f s): this JVM (gateway, receivers, load) %.2f cores, the broker"
                        + " %.2f; per change and receiver %.0f µs + %.0f µs (with the measure events the catalog adds); list changes"
                        + " the dispatchers took from the node's shared fetch %,.0f, fetched each for itself %,.0f; the fan-out's own threads"
                        + " (dispatchers, their consumers' heartbeats, the shared fetch) %.0f µs per change and receiver",
                label, nanos / 1e9, ownCpu / nanos, brokerCpu / nanos, ownCpu / 1e3 / deliveries, brokerCpu / 1e3 / deliveries,
                fetched.applyAsDouble("shared") - sharedBefore, fetched.applyAsDouble("own") - ownBefore, dispatchersCpu / 1e3 / deliveries);
        System.out.println(cpu);
        return new FanoutRound(latency, cpu);
    }

    record FanoutLatency(double p50, double p99, double max, double eventP50, double eventP99, double eventMax) {
        @Override
        public String toString() {
            return String.format("fan-out latency p50 %.0f ms, p99 %.0f ms, max %.0f ms (from the event: p50 %.0f, p99 %.0f, max %.0f)",
                    p50, p99, max, eventP50, eventP99, eventMax);
        }
    }

    /** Publishes list changes (subjects {@code from} on) at 10 per second and measures when each receiver has each. */
    private static FanoutLatency fanout(KafkaClients clients, WebhookReceivers receivers, List<String> departments, int from,
                                        int changes, RecordTraces traces) throws Exception {
        Map<String, Long> publishedAt = new java.util.LinkedHashMap<>(); // in the order the changes were sent
        try (KafkaProducer<String, byte[]> producer = clients.producer("bench-swj")) {
            for (int i = from; i < from + changes; i++) {
                String uscc = ScjgjCsvGenerator.uscc("91511902" + String.format("%08d", i));
                String json = "{\"lx\": \"NSXYA\", \"nsrsbh\": \"" + uscc + "\", \"nsrmc\": \"新评定企业" + i + "\", \"pjnd\": \"2025\","
                        + " \"xyjb\": \"A\", \"pdrq\": \"20260410\", \"yxqz\": \"20281231\", \"zt\": \"1\"}";
                publishedAt.put(uscc, System.currentTimeMillis());
                producer.send(new ProducerRecord<>("dept.swj.credit", uscc, json.getBytes(StandardCharsets.UTF_8))).get();
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // 10 changes per second
            }
        }
        // a receiver may get more than one event per change (the list change, and the measure instruction the
        // catalog triggers): it is done when every change it was published has reached it, counted by subject
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (departments.stream().anyMatch(d -> firstDeliveries(receivers, d, publishedAt).size() < changes) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        for (String d : departments) {
            int reached = firstDeliveries(receivers, d, publishedAt).size();
            if (reached < changes) {
                throw new IllegalStateException(d + " received " + reached + " of " + changes + " list changes within 5 minutes");
            }
        }
        // each change's latency at each receiver: its first delivery there
        List<Long> fromMessage = new ArrayList<>();
        List<Long> fromEvent = new ArrayList<>();
        for (String d : departments) {
            for (Map.Entry<String, WebhookReceivers.Received> first : firstDeliveries(receivers, d, publishedAt).entrySet()) {
                WebhookReceivers.Received r = first.getValue();
                fromMessage.add(r.receivedAtMillis() - publishedAt.get(first.getKey()));
                fromEvent.add(r.receivedAtMillis() - Instant.parse(r.body().path("occurredAt").asText()).toEpochMilli());
            }
        }
        System.out.println(stages(publishedAt, receivers, departments, traces));
        Collections.sort(fromMessage);
        Collections.sort(fromEvent);
        return new FanoutLatency(pct(fromMessage, 50), pct(fromMessage, 99), fromMessage.get(fromMessage.size() - 1),
                pct(fromEvent, 50), pct(fromEvent, 99), fromEvent.get(fromEvent.size() - 1));
    }

    /** The first delivery at a receiver of each published change, by the subject's code. */
    private static Map<String, WebhookReceivers.Received> firstDeliveries(WebhookReceivers receivers, String department,
                                                                          Map<String, Long> publishedAt) {
        Map<String, WebhookReceivers.Received> first = new HashMap<>();
        for (WebhookReceivers.Received r : receivers.received(department)) {
            String uscc = r.body().path("subject").path("uscc").asText();
            if (publishedAt.containsKey(uscc)) {
                first.merge(uscc, r, (a, b) -> a.receivedAtMillis() <= b.receivedAtMillis() ? a : b);
            }
        }
        return first;
    }

    /**
     * Where a change's time goes on its way to the receivers, from the record's trace (its "received" step at
     * the Kafka feed, its "dedup" step) and the change event's {@code occurredAt} (the list-state stage):
     * p50 / p99 of each stage over the changes.
     */
    private static String stages(Map<String, Long> publishedAt, WebhookReceivers receivers, List<String> departments,
                                 RecordTraces traces) {
        Map<String, Long> eventAt = new HashMap<>();
        Map<String, Long> lastDelivery = new HashMap<>();
        for (String d : departments) {
            for (Map.Entry<String, WebhookReceivers.Received> first : firstDeliveries(receivers, d, publishedAt).entrySet()) {
                WebhookReceivers.Received r = first.getValue();
                eventAt.putIfAbsent(first.getKey(), Instant.parse(r.body().path("occurredAt").asText()).toEpochMilli());
                lastDelivery.merge(first.getKey(), r.receivedAtMillis(), Math::max);
            }
        }
        List<Long> toReceived = new ArrayList<>();
        List<Long> toDedup = new ArrayList<>();
        List<Long> toEvent = new ArrayList<>();
        List<Long> toLast = new ArrayList<>();
        int untraced = 0;
        for (Map.Entry<String, Long> change : publishedAt.entrySet()) {
            List<RecordTraces.Step> steps = traces.find("SWJ:LIST_ENTRY:NSXYA-2025-" + change.getKey());
            Long event = eventAt.get(change.getKey());
            Instant received = steps == null ? null : steps.stream().filter(s -> s.step().equals("received")).map(RecordTraces.Step::at).findFirst().orElse(null);
            Instant dedup = steps == null ? null : steps.stream().filter(s -> s.step().equals("dedup")).map(RecordTraces.Step::at).findFirst().orElse(null);
            if (received == null || dedup == null || event == null) {
                if (untraced++ == 0) {
                    System.out.printf("first change without a complete trace: %s, steps %s, change event %s%n", change.getKey(),
                            steps == null ? "none" : steps.stream().map(RecordTraces.Step::step).toList(), event);
                }
                continue;
            }
            toReceived.add(received.toEpochMilli() - change.getValue());
            toDedup.add(dedup.toEpochMilli() - received.toEpochMilli());
            toEvent.add(event - dedup.toEpochMilli());
            toLast.add(lastDelivery.get(change.getKey()) - event);
        }
        System.out.println(slowest(publishedAt, lastDelivery, 5));
        for (List<Long> l : List.of(toReceived, toDedup, toEvent, toLast)) {
            Collections.sort(l);
        }
        if (toReceived.isEmpty()) {
            return "fan-out stages: no change had a complete trace";
        }
        return String.format("fan-out stages, p50 / p99 ms over %,d changes (%d without a complete trace; trace steps dropped under load since the start: %,d): message → received at the feed %.0f / %.0f;"
                        + " received → dedup %.0f / %.0f; dedup → change event %.0f / %.0f; change event → last of the %d receivers %.0f / %.0f",
                toReceived.size(), untraced, traces.dropped(), pct(toReceived, 50), pct(toReceived, 99), pct(toDedup, 50), pct(toDedup, 99),
                pct(toEvent, 50), pct(toEvent, 99), departments.size(), pct(toLast, 50), pct(toLast, 99));
    }

    /**
     * The slowest changes, message to last receiver, with their place in the order they were sent: a tail made of the
     * first changes is the start's (cold code, connections being opened), one spread over the run is the load's.
     */
    private static String slowest(Map<String, Long> publishedAt, Map<String, Long> lastDelivery, int n) {
        List<String> order = new ArrayList<>(publishedAt.keySet());
        return "slowest changes (n-th sent: ms from the message to its last receiver): " + order.stream()
                .filter(lastDelivery::containsKey)
                .sorted(java.util.Comparator.comparingLong((String c) -> lastDelivery.get(c) - publishedAt.get(c)).reversed())
                .limit(n)
                .map(c -> (order.indexOf(c) + 1) + ": " + (lastDelivery.get(c) - publishedAt.get(c)))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static double pct(List<Long> sorted, double p) {
        int idx = (int) Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1);
        return sorted.get(Math.max(0, idx));
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
