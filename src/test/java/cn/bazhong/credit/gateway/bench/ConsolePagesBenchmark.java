package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.infra.EmbeddedKafkaBroker;
import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.lists.EntryState;
import cn.bazhong.credit.gateway.lists.ListChange;
import cn.bazhong.credit.gateway.lists.ListView;
import cn.bazhong.credit.gateway.lists.SubjectEntries;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.security.ApiKeys;
import cn.bazhong.credit.gateway.support.Folders;
import cn.bazhong.credit.gateway.support.FreePorts;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's list pages with 1,000,000 list entries and 1,000,000 receipts (issue 11): one gateway on
 * its embedded defaults (its own Kafka broker on loopback), the list view and the receipts map filled the
 * way the gateway holds them (subject key → entries; receipt id → the receipt's JSON) through Hazelcast
 * {@code putAll}, so that the indexes are built as on any write; then an operator signs in to the console
 * over HTTP (session cookie, CSRF token) and each page is asked for {@code repeat} times after a warm-up,
 * one request at a time on loopback. The time per request is from sending to the last byte of the page,
 * so it bounds the server's time from above. Any answer other than 200 fails the run.
 * Arguments: entries (1,000,000), receipts (1,000,000), repeat (20); {@code --smoke}: 2,000 of each, 5 times.
 */
public final class ConsolePagesBenchmark {

    private static final String KEY = "bench-console-operator";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final String[] DEPARTMENTS = {"SCJGJ", "SWJ", "ZJFY", "XZSPJ", "GAJ", "RSJ", "ZJJ", "JTJ", "SJJ", "YJJ"};

    private ConsolePagesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        List<String> numbers = Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
        int entries = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : smoke ? 2_000 : 1_000_000;
        int receiptCount = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : smoke ? 2_000 : 1_000_000;
        int repeat = numbers.size() > 2 ? Integer.parseInt(numbers.get(2)) : smoke ? 5 : 20;
        Path work = Files.createDirectories(Path.of("target/bench/console-pages"));
        Path kafkaDir = Files.createTempDirectory(work, "kafka-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", FreePorts.next(), FreePorts.next(), kafkaDir)) {
            Map<String, String> settings = BenchGatewaySettings.against(broker.bootstrapServers());
            settings.put("gateway.access.admins.bench[0]", ApiKeys.hash(KEY));
            String[] arguments = BenchGatewaySettings.arguments(settings).toArray(String[]::new);
            try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class).run(arguments)) {
                HazelcastInstance hz = gateway.getBean(HazelcastInstance.class);
                long t0 = System.nanoTime();
                List<String> keys = fillLists(hz.getMap(ListView.MAP), entries);
                double listSeconds = (System.nanoTime() - t0) / 1e9;
                // filled past ListView.put: counted once, as a rebuild from the list-state topic does
                t0 = System.nanoTime();
                gateway.getBean(ListView.class).recountTotals();
                double listCountSeconds = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                Instant now = Instant.now();
                List<String> receiptIds = fillReceipts(hz.getMap(HazelcastMaps.RECEIPTS), receiptCount, now);
                double receiptSeconds = (System.nanoTime() - t0) / 1e9;
                // the same for the receipts' running counts per hour
                t0 = System.nanoTime();
                gateway.getBean(ReceiptStore.class).recountTotals();
                double receiptCountSeconds = (System.nanoTime() - t0) / 1e9;
                System.gc();
                long heapMb = (java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()) >> 20;
                System.out.printf("filled %,d list entries in %.1f s (counted in %.1f s) and %,d receipts in %.1f s (counted in %.1f s);"
                                + " heap in use after GC: %,d MB of %,d MB%n", entries, listSeconds, listCountSeconds, receiptCount, receiptSeconds,
                        receiptCountSeconds, heapMb, Runtime.getRuntime().maxMemory() >> 20);

                int port = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
                Console console = new Console("http://127.0.0.1:" + port);
                console.signIn(KEY);
                LocalDate today = LocalDate.now(ZoneId.systemDefault());
                String middle = keys.get(keys.size() / 2);
                Map<String, String> pages = new LinkedHashMap<>();
                pages.put("lists: TAX_A, first page", "/console/lists?listType=TAX_A");
                pages.put("lists: TAX_A, a page half way in (after the middle key)",
                        "/console/lists?listType=TAX_A&page=2&after=" + URLEncoder.encode(middle, StandardCharsets.UTF_8));
                pages.put("lists: COURT_DEFAULTER, status EXITED", "/console/lists?listType=COURT_DEFAULTER&status=EXITED");
                pages.put("receipts: last 30 days, all departments (default search)", "/console/receipts");
                pages.put("receipts: one department, last 30 days", "/console/receipts?dept=SWJ");
                pages.put("receipts: one department, page 10", "/console/receipts?dept=SWJ&page=10");
                pages.put("receipts: one department and feed, rejected only", "/console/receipts?dept=ZJFY&feed=zjfy-2&status=rejected");
                pages.put("receipts: a 3-day period, all departments", "/console/receipts?from=" + today.minusDays(10) + "&to=" + today.minusDays(7));
                pages.put("receipt by id", "/console/receipts/" + receiptIds.get(receiptIds.size() / 3));
                StringBuilder table = new StringBuilder();
                double worstP99 = 0;
                for (Map.Entry<String, String> page : pages.entrySet()) {
                    long cold = System.nanoTime();
                    console.get(page.getValue());
                    double first = (System.nanoTime() - cold) / 1e6;
                    for (int i = 0; i < 2; i++) {
                        console.get(page.getValue());
                    }
                    long[] nanos = new long[repeat];
                    for (int i = 0; i < repeat; i++) {
                        long t = System.nanoTime();
                        console.get(page.getValue());
                        nanos[i] = System.nanoTime() - t;
                    }
                    Arrays.sort(nanos);
                    double p50 = nanos[(repeat - 1) / 2] / 1e6;
                    double p99 = nanos[Math.min(repeat - 1, (int) Math.ceil(repeat * 0.99) - 1)] / 1e6;
                    double max = nanos[repeat - 1] / 1e6;
                    worstP99 = Math.max(worstP99, p99);
                    table.append(String.format("| %s | %.0f ms | %.0f / %.0f / %.0f ms |%n", page.getKey(), first, p50, p99, max));
                }
                double[] load = loadAverage();
                System.out.printf("""

                        ## Console pages benchmark result (%s)
                        %,d list entries (%,d subjects), %,d receipts, heap in use %,d MB; %d requests per page after 3 warm-up requests (the first one's time shown apart); load average %.1f / %.1f / %.1f on %d cores
                        | page | first request | then p50 / p99 / max |
                        |---|---:|---:|
                        %s
                        worst p99: %.0f ms (target: under 300 ms)
                        """, LocalDate.now(), entries, keys.size(), receiptCount, heapMb, repeat, load[0], load[1], load[2],
                        Runtime.getRuntime().availableProcessors(), table.toString().strip(), worstP99);
            }
        } finally {
            Folders.deleteTree(kafkaDir);
        }
        System.exit(0);
    }

    /** One entry per subject: 70 % TAX_A, 20 % COURT_DEFAULTER, 10 % MAJOR_TAX_VIOLATION; one in seven exited. Returns the subject keys, sorted. */
    private static List<String> fillLists(IMap<String, HashMap<String, EntryState>> view, int entries) {
        List<String> keys = new ArrayList<>(entries);
        Map<String, HashMap<String, EntryState>> batch = new HashMap<>();
        Instant now = Instant.now();
        for (int i = 0; i < entries; i++) {
            String uscc = ScjgjCsvGenerator.uscc("91511900" + String.format("%08d", i));
            boolean red = i % 10 < 7;
            String listType = red ? "TAX_A" : (i % 10 < 9 ? "COURT_DEFAULTER" : "MAJOR_TAX_VIOLATION");
            String recordId = (red ? "SWJ:LIST_ENTRY:NSXYA-2025-" : "ZJFY:LIST_ENTRY:（2025）川19执") + uscc;
            Subject subject = new Subject(Subject.ORGANISATION, "巴中市测试企业" + i + "有限公司", uscc, null, null, null, null, null,
                    null, null, null);
            boolean exited = i % 7 == 0;
            EntryState state = new EntryState(recordId, listType, red ? ListCategory.RED : ListCategory.BLACK,
                    red ? "国家税务总局巴中市税务局" : "四川省巴中市中级人民法院", red ? null : "（2025）川19执" + i + "号",
                    LocalDate.of(2025, 4, 10), LocalDate.of(2025, 4, 10), LocalDate.of(2030, 12, 31),
                    exited ? ListStatus.EXITED : ListStatus.ACTIVE, exited ? LocalDate.of(2026, 1, 5) : null, exited ? "履行完毕" : null,
                    null, null, subject, "v" + i, ListChange.LISTED.wireName(), now, "evt_bench" + i, null, null);
            String key = "O:" + uscc;
            HashMap<String, EntryState> held = new SubjectEntries(key, Map.of(recordId, state));
            batch.put(key, held);
            keys.add(key);
            if (batch.size() == 1000) {
                view.putAll(batch);
                batch.clear();
            }
        }
        view.putAll(batch);
        keys.sort(null);
        return keys;
    }

    /** Receipts of ten departments, two feeds each, spread over the last 60 days; one in five with a rejection. */
    private static List<String> fillReceipts(IMap<String, String> receipts, int count, Instant now) throws Exception {
        List<String> ids = new ArrayList<>(count);
        Map<String, String> batch = new HashMap<>();
        java.util.Random random = new java.util.Random(11);
        long span = Duration.ofDays(60).toMillis();
        for (int i = 0; i < count; i++) {
            String dept = DEPARTMENTS[i % DEPARTMENTS.length];
            String feed = dept.toLowerCase(java.util.Locale.ROOT) + "-" + (1 + (i / DEPARTMENTS.length) % 2);
            Instant at = now.minusMillis((long) (random.nextDouble() * span));
            String id = "SFTP-" + dept + "-" + i;
            String source = dept.toLowerCase(java.util.Locale.ROOT) + "_" + i + ".csv";
            Receipt r = i % 5 == 0
                    ? new Receipt(id, dept, feed, "sftp", source, at, at, 99, 0, 0, 1, Map.of("R-USCC", 1L),
                    List.of(new Receipt.RejectedRecord(17, "统一社会信用代码", "R-USCC", "统一社会信用代码校验位不符")), 0, List.of())
                    : Receipt.clean(id, dept, feed, "sftp", source, at, at, 100, 0, 0);
            batch.put(id, RecordJson.mapper().writeValueAsString(r));
            ids.add(id);
            if (batch.size() == 1000) {
                receipts.putAll(batch);
                batch.clear();
            }
        }
        receipts.putAll(batch);
        return ids;
    }

    private static double[] loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
        } catch (Exception e) {
            double one = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return new double[] {one, -1, -1};
        }
    }

    /** The console as a browser uses it: the session cookie, the CSRF token of the sign-in form. */
    private static final class Console {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        private final String base;
        private String cookie = "";

        Console(String base) {
            this.base = base;
        }

        void signIn(String key) throws Exception {
            HttpResponse<String> form = send(HttpRequest.newBuilder(URI.create(base + "/console/login")).GET(), 200);
            Matcher m = CSRF.matcher(form.body());
            if (!m.find()) {
                throw new IllegalStateException("no CSRF token on the sign-in page");
            }
            String body = "_csrf=" + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8) + "&key=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
            send(HttpRequest.newBuilder(URI.create(base + "/console/login")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)), 3);
            if (cookie.isEmpty()) {
                throw new IllegalStateException("signing in set no session cookie");
            }
        }

        void get(String path) throws Exception {
            send(HttpRequest.newBuilder(URI.create(base + path)).GET(), 200);
        }

        private HttpResponse<String> send(HttpRequest.Builder request, int expected) throws Exception {
            if (!cookie.isEmpty()) {
                request.header("Cookie", cookie);
            }
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            for (String set : r.headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                if (!pair.endsWith("=")) {
                    cookie = pair;
                }
            }
            if (expected < 100 ? r.statusCode() / 100 != expected : r.statusCode() != expected) {
                throw new IllegalStateException(request.build().uri() + " answered " + r.statusCode() + " (expected " + expected + ")");
            }
            return r;
        }
    }
}
