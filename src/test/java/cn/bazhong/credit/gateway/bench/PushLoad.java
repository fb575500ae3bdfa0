package cn.bazhong.credit.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop REST load of {@link RestLatencyBenchmark}: two streams of pushes, each at fixed due times from the
 * start, sent by one pacing thread that never waits for an answer (the JDK's HTTP client, asynchronous, with as many
 * connections as requests under way), so a slow answer never delays the next push:
 * <ul>
 *   <li>penalties: {@code POST /api/v1/feeds/SCJGJ/penalties}, rows of a generated SCJGJ CSV ({@link ScjgjCsvGenerator},
 *       GBK, the header first) in pushes of {@code perPush} rows, {@code rate / perPush} pushes a second;</li>
 *   <li>list entries: {@code POST /api/v1/feeds/SWJ/tax-lists}, one push a second, half-way between two penalty
 *       seconds, of {@code listPerPush} NDJSON tax-bureau messages (none with 0), each listing a new organisation as an A-level
 *       taxpayer (a red list entry every subscribed department hears of).</li>
 * </ul>
 * Every push carries an {@code Idempotency-Key}; one answered 503 (every push slot busy) or 409 (its key still held),
 * or that got no answer, is sent again after its {@code Retry-After} (1 s without one), up to {@value #MAX_ATTEMPTS}
 * times, and its latency still counts from its first due time. The CSV is read while the load runs, a push's body
 * made before its due time.
 */
final class PushLoad implements AutoCloseable {

    static final int MAX_ATTEMPTS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One push: when it was due, what it carried and what the gateway answered. */
    static final class Push {
        final int index;
        final boolean list;
        final long dueMillis;
        final String key;
        /** Decision numbers (penalties) or subjects' credit codes (list entries), in body order. */
        final List<String> ids;
        byte[] body;
        final AtomicInteger attempts = new AtomicInteger();
        volatile int status;
        volatile long answeredMillis;
        volatile long accepted = -1;
        volatile long rejected;
        volatile long duplicates;
        volatile String failure;

        Push(int index, boolean list, long dueMillis, String key, List<String> ids, byte[] body) {
            this.index = index;
            this.list = list;
            this.dueMillis = dueMillis;
            this.key = key;
            this.ids = ids;
            this.body = body;
        }

        boolean answered() {
            return answeredMillis > 0;
        }
    }

    /** Where the pushes go and who sends them. */
    record Target(String baseUrl, String penaltiesKey, String listsKey) {
    }

    private final Target target;
    private final Path csv;
    private final int perPush;
    private final int penaltyPushes;
    private final int rate;
    private final int listPushes;
    private final int listPerPush;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final ExecutorService httpThreads = Executors.newCachedThreadPool(daemon("bench-http"));
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(daemon("bench-retry"));
    private final HttpClient http;
    private final List<Push> penalties = new ArrayList<>();
    private final List<Push> lists = new ArrayList<>();
    private final Map<String, Push> byId = new HashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private volatile long startNanos;
    private volatile long startMillis;
    private volatile Throwable pacerFailure;
    private Thread pacer;

    PushLoad(Target target, Path csv, int rate, int perPush, int seconds, int listPerPush) {
        this.target = target;
        this.csv = csv;
        this.perPush = perPush;
        this.penaltyPushes = (int) ((long) rate * seconds / perPush);
        this.rate = rate;
        this.listPushes = listPerPush > 0 ? seconds : 0;
        this.listPerPush = listPerPush;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(httpThreads).build();
    }

    /** The CSV rows the load needs. */
    static long rowsNeeded(int rate, int perPush, int seconds) {
        return (long) rate * seconds / perPush * perPush;
    }

    /** Starts the pacing thread; the first pushes are due at once. */
    void start() {
        startNanos = System.nanoTime();
        startMillis = System.currentTimeMillis();
        pacer = new Thread(this::pace, "bench-pacer");
        pacer.setDaemon(true);
        pacer.start();
    }

    long startMillis() {
        return startMillis;
    }

    /** True once every push has been sent the first time. */
    boolean allSent() {
        checkPacer();
        return !pacer.isAlive();
    }

    /** Waits until every push has its final answer, at most {@code timeout}; false if some have not. */
    boolean awaitAnswers(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (answered.get() < penaltyPushes + listPushes && System.nanoTime() < deadline) {
            checkPacer();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return answered.get() == penaltyPushes + listPushes;
    }

    List<Push> penalties() {
        synchronized (byId) {
            return List.copyOf(penalties);
        }
    }

    List<Push> lists() {
        synchronized (byId) {
            return List.copyOf(lists);
        }
    }

    /** The push that carried the penalty with this decision number or the list entry of this credit code, or null. */
    Push pushOf(String id) {
        synchronized (byId) {
            return byId.get(id);
        }
    }

    long answered() {
        return answered.get();
    }

    long resent() {
        return resent.get();
    }

    int penaltyPushes() {
        return penaltyPushes;
    }

    int listPushes() {
        return listPushes;
    }

    // ---- pacing ------------------------------------------------------------------------------------

    private void pace() {
        try (CsvRows rows = new CsvRows(csv)) {
            int p = 0;
            int l = 0;
            while (p < penaltyPushes || l < listPushes) {
                long penaltyDue = p < penaltyPushes ? TimeUnit.SECONDS.toNanos((long) p * perPush) / rate : Long.MAX_VALUE;
                long listDue = l < listPushes ? TimeUnit.SECONDS.toNanos(l) + TimeUnit.MILLISECONDS.toNanos(500) : Long.MAX_VALUE;
                Push push = penaltyDue <= listDue ? penaltyPush(p++, penaltyDue, rows) : listPush(l++, listDue);
                long wait = startNanos + (penaltyDue <= listDue ? penaltyDue : listDue) - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                send(push);
            }
        } catch (Throwable e) {
            pacerFailure = e;
        }
    }

    private Push penaltyPush(int index, long dueNanos, CsvRows rows) throws IOException {
        StringBuilder body = new StringBuilder(rows.header);
        List<String> ids = new ArrayList<>(perPush);
        String[] decision = new String[1];
        for (int i = 0; i < perPush; i++) {
            String row = rows.next(decision);
            if (row == null) {
                throw new IllegalStateException(csv + " ended after " + (index * perPush + i) + " rows");
            }
            body.append(row);
            ids.add(decision[0]);
        }
        Push push = new Push(index, false, dueMillis(dueNanos), run + "-p" + index, ids,
                body.toString().getBytes(ScjgjCsvGenerator.GBK));
        register(push, penalties);
        return push;
    }

    private Push listPush(int index, long dueNanos) {
        StringBuilder body = new StringBuilder();
        List<String> ids = new ArrayList<>(listPerPush);
        for (int i = 0; i < listPerPush; i++) {
            int n = index * listPerPush + i;
            String uscc = ScjgjCsvGenerator.uscc("91511902" + String.format("%08d", n));
            ids.add(uscc);
            body.append("{\"lx\": \"NSXYA\", \"nsrsbh\": \"").append(uscc).append("\", \"nsrmc\": \"巴中市基准").append(n)
                    .append("号企业有限公司\", \"pjnd\": \"2025\", \"xyjb\": \"A\", \"pdrq\": \"20260410\", \"yxqz\": \"20281231\",")
                    .append(" \"zt\": \"1\"}\n");
        }
        Push push = new Push(index, true, dueMillis(dueNanos), run + "-l" + index, ids, body.toString().getBytes(StandardCharsets.UTF_8));
        register(push, lists);
        return push;
    }

    private void register(Push push, List<Push> stream) {
        synchronized (byId) {
            stream.add(push);
            for (String id : push.ids) {
                byId.put(id, push);
            }
        }
    }

    private long dueMillis(long dueNanos) {
        return startMillis + TimeUnit.NANOSECONDS.toMillis(dueNanos);
    }

    private void checkPacer() {
        if (pacerFailure != null) {
            throw new IllegalStateException("the pacing thread failed: " + pacerFailure, pacerFailure);
        }
    }

    // ---- sending -----------------------------------------------------------------------------------

    private void send(Push push) {
        push.attempts.incrementAndGet();
        String feed = push.list ? "/api/v1/feeds/SWJ/tax-lists" : "/api/v1/feeds/SCJGJ/penalties";
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.baseUrl() + feed))
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + (push.list ? target.listsKey() : target.penaltiesKey()))
                .header("Content-Type", push.list ? "application/x-ndjson" : "text/csv")
                .header("Idempotency-Key", push.key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(push.body))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> answered(push, response, error));
    }

    private void answered(Push push, HttpResponse<byte[]> response, Throwable error) {
        long now = System.currentTimeMillis();
        int status = error != null ? -1 : response.statusCode();
        if ((status == -1 || status == 503 || status == 409) && push.attempts.get() < MAX_ATTEMPTS) {
            resent.incrementAndGet();
            long after = response == null ? 1 : response.headers().firstValueAsLong("Retry-After").orElse(1);
            retries.schedule(() -> send(push), Math.max(1, after), TimeUnit.SECONDS);
            return;
        }
        push.status = status;
        if (status == 200) {
            try {
                JsonNode receipt = JSON.readTree(response.body());
                push.accepted = receipt.path("accepted").asLong();
                push.rejected = receipt.path("rejectedTotal").asLong();
                push.duplicates = receipt.path("duplicates").asLong();
            } catch (IOException e) {
                push.failure = "unreadable receipt: " + e;
            }
        } else {
            push.failure = error != null ? error.toString()
                    : status + " " + new String(response.body(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        }
        push.body = null;
        push.answeredMillis = now;
        answered.incrementAndGet();
    }

    @Override
    public void close() {
        retries.shutdownNow();
        httpThreads.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The rows of a generated SCJGJ CSV (GBK, CRLF, RFC 4180: a quoted field may hold commas, doubled quotes and line
     * breaks), each as written with its CRLF, and its decision number (column 9, 行政处罚决定书文号).
     */
    private static final class CsvRows implements Closeable {
        private static final int DECISION_COLUMN = ScjgjCsvGenerator.HEADER.indexOf("行政处罚决定书文号");

        private final BufferedReader in;
        final String header;

        CsvRows(Path file) throws IOException {
            in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), ScjgjCsvGenerator.GBK), 1 << 16);
            header = next(new String[1]);
            if (header == null) {
                throw new IllegalStateException(file + " is empty");
            }
        }

        /** The next row with its CRLF, its decision number in {@code decision[0]}; null at the end of the file. */
        String next(String[] decision) throws IOException {
            StringBuilder row = new StringBuilder(512);
            StringBuilder field = new StringBuilder(32);
            boolean quoted = false;
            boolean justClosed = false;
            int column = 0;
            int c;
            while ((c = in.read()) >= 0) {
                row.append((char) c);
                if (c == '"') {
                    if (!quoted && justClosed) {
                        field.append('"'); // a doubled quote inside a quoted field
                    }
                    justClosed = quoted;
                    quoted = !quoted;
                    continue;
                }
                justClosed = false;
                if (!quoted && (c == ',' || c == '\n')) {
                    if (column == DECISION_COLUMN) {
                        decision[0] = field.toString();
                    }
                    column++;
                    field.setLength(0);
                    if (c == '\n') {
                        return row.toString();
                    }
                } else if (quoted || c != '\r') {
                    field.append((char) c);
                }
            }
            if (row.length() > 0) {
                throw new UncheckedIOException(new IOException("the CSV ends inside a row"));
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
