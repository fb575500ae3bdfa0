package cn.bazhong.credit.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Departments' webhook endpoints on one real HTTP server ({@code /hooks/<DEPT>}), each with a behaviour
 * a test can switch: answer 204, answer a status (503, 410, 400 …), or hang. Every request that gets
 * a 2xx is recorded with its signature checked by this class's own Standard Webhooks verifier, written
 * from the specification independently of the gateway's signer.
 */
public final class WebhookReceivers implements AutoCloseable {

    /**
     * One delivery a department accepted; {@code sm2Signature} and {@code sm2KeyId} are the
     * {@code X-Signature-SM2} and {@code X-Signature-SM2-Key} headers (null when absent), {@code rawBody} the
     * exact bytes received.
     */
    public record Received(String id, long timestamp, boolean signatureValid, JsonNode body, long receivedAtMillis,
                           String sm2Signature, String sm2KeyId, byte[] rawBody) {
        public String type() {
            return body.path("type").asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, Integer> status = new ConcurrentHashMap<>();
    private final Map<String, Boolean> hanging = new ConcurrentHashMap<>();
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    public WebhookReceivers() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(pool);
        server.createContext("/hooks/", this::handle);
        server.start();
    }

    /** Adds a department with its endpoint secret ({@code whsec_...}); it answers 204 until told otherwise. */
    public URI add(String department, String secret) {
        secrets.put(department, secret);
        received.put(department, new CopyOnWriteArrayList<>());
        attempts.put(department, new AtomicInteger());
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + department);
    }

    public void answer(String department, int httpStatus) {
        status.put(department, httpStatus);
    }

    public void hang(String department, boolean hang) {
        hanging.put(department, hang);
    }

    public List<Received> received(String department) {
        return List.copyOf(received.get(department));
    }

    public int attempts(String department) {
        return attempts.get(department).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String dept = exchange.getRequestURI().getPath().substring("/hooks/".length());
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        AtomicInteger count = attempts.get(dept);
        if (count == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        count.incrementAndGet();
        if (hanging.getOrDefault(dept, false)) {
            try {
                // holds the request until the test ends; the gateway's per-attempt time-out must give up first
                closing.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        int answer = status.getOrDefault(dept, 204);
        if (answer >= 200 && answer < 300) {
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String ts = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String sig = exchange.getRequestHeaders().getFirst("webhook-signature");
            received.get(dept).add(new Received(id, Long.parseLong(ts), verify(secrets.get(dept), id, ts, sig, body), JSON.readTree(body),
                    System.currentTimeMillis(), exchange.getRequestHeaders().getFirst("X-Signature-SM2"),
                    exchange.getRequestHeaders().getFirst("X-Signature-SM2-Key"), body));
        }
        if (answer == 503 || answer == 429) {
            exchange.getResponseHeaders().add("Retry-After", "1");
        }
        exchange.sendResponseHeaders(answer, -1);
        exchange.close();
    }

    /**
     * Standard Webhooks 1.0, from the specification: HMAC-SHA256 keyed with the base64-decoded part of
     * the secret after {@code whsec_}, over {@code id.timestamp.body}; any {@code v1,} entry may match;
     * the timestamp must be within five minutes.
     */
    public static boolean verify(String secret, String id, String timestamp, String signatures, byte[] body) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        try {
            if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
                return false;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            for (String part : signatures.split(" ")) {
                if (part.startsWith("v1,")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(part.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        pool.shutdownNow();
    }

    /** A fresh secret of the Standard Webhooks shape. */
    public static String newSecret() {
        byte[] key = new byte[24];
        new java.security.SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    public List<String> departments() {
        return new ArrayList<>(secrets.keySet());
    }
}
