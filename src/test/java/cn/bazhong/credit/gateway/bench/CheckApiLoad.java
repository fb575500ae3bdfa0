package cn.bazhong.credit.gateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * An open-loop load tool for the check API, run in its own JVM: it fires requests on a fixed
 * schedule (rate per second) whatever the answers do, and measures each latency from the moment the
 * request was due, so a slow answer cannot hide the requests queued behind it (no coordinated
 * omission). Prints p50/p90/p99/p99.9/max in milliseconds and the count of non-200 answers.
 *
 * <p>Arguments: base URL, API key, codes file (one subject code per line), rate, warm-up seconds, seconds.
 */
public final class CheckApiLoad {

    private CheckApiLoad() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String key = args[1];
        List<String> codes = Files.readAllLines(Path.of(args[2]));
        int rate = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(5)).build();
        run(http, base, key, codes, rate, warmup, false);
        Result r = run(http, base, key, codes, rate, seconds, true);
        long[] sorted = Arrays.copyOf(r.micros, r.count);
        Arrays.sort(sorted);
        System.out.printf("CHECK-API requests=%d rate=%d/s non200=%d errors=%d p50=%.2f p90=%.2f p99=%.2f p999=%.2f max=%.2f ms%n",
                r.count, rate, r.non200.get(), r.errors.get(), pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
        System.exit(0);
    }

    record Result(long[] micros, int count, AtomicInteger non200, AtomicInteger errors) {
    }

    private static Result run(HttpClient http, String base, String key, List<String> codes, int rate, int seconds, boolean measure)
            throws InterruptedException {
        int total = rate * seconds;
        AtomicLongArray latencies = new AtomicLongArray(total);
        AtomicInteger non200 = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime() + 50_000_000L;
        long periodNanos = 1_000_000_000L / rate;
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        ticker.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            // send every request that is due by now (catching up if the ticker was late)
            while (true) {
                int i = next.get();
                if (i >= total || start + i * periodNanos > now) {
                    return;
                }
                next.incrementAndGet();
                long due = start + i * periodNanos;
                String code = codes.get((int) ((i * 2654435761L) % codes.size() + codes.size()) % codes.size());
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/subjects/" + code + "/measures?matter=5119-XK-0001"))
                        .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(10)).GET().build();
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
                    latencies.set(i, (System.nanoTime() - due) / 1000);
                    if (err != null) {
                        errors.incrementAndGet();
                    } else if (resp.statusCode() != 200) {
                        non200.incrementAndGet();
                    }
                    done.countDown();
                });
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        done.await(seconds + 60L, TimeUnit.SECONDS);
        ticker.shutdownNow();
        long[] out = new long[total];
        for (int i = 0; i < total; i++) {
            out[i] = latencies.get(i);
        }
        return new Result(out, total, non200, errors);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, idx)] / 1000.0;
    }
}
