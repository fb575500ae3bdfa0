package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.support.WebhookReceivers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The departments' webhook endpoints of {@link RestLatencyBenchmark}, lean enough for a ten-minute run: one HTTP
 * server ({@code /hooks/<DEPT>}, answers 204), which keeps for each department and subject only the time the first
 * {@code list.entry.listed} event arrived, not the deliveries themselves (the tests' {@link WebhookReceivers} keeps
 * every body, hundreds of megabytes here). Every delivery's Standard Webhooks signature is checked with
 * {@link WebhookReceivers#verify}; the ones that fail are counted, as are deliveries of the same event id again.
 */
final class LatencyReceivers implements AutoCloseable {

    static final String LISTED = "list.entry.listed";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    /** department + '|' + subject code → when its first list.entry.listed arrived (epoch ms). */
    private final Map<String, Long> firstListed = new ConcurrentHashMap<>();
    private final Map<String, Boolean> eventIds = new ConcurrentHashMap<>();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong badSignatures = new AtomicLong();
    private final AtomicLong repeated = new AtomicLong();

    LatencyReceivers() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(pool);
        server.createContext("/hooks/", this::handle);
        server.start();
    }

    /**
     * The {@code subscriptions:} file of {@code departments}, each a webhook on this server with a secret of its own.
     */
    String subscriptions(List<String> departments) {
        StringBuilder s = new StringBuilder("subscriptions:\n");
        for (String d : departments) {
            String secret = WebhookReceivers.newSecret();
            secrets.put(d, secret);
            s.append("  ").append(d).append(":\n    webhook:\n      url: http://127.0.0.1:").append(server.getAddress().getPort())
                    .append("/hooks/").append(d).append("\n      secrets: [\"").append(secret).append("\"]\n");
        }
        return s.toString();
    }

    /** When {@code department} first received the listing of {@code subject}, or null. */
    Long firstListed(String department, String subject) {
        return firstListed.get(department + "|" + subject);
    }

    /** How many (department, subject) listings have arrived. */
    int listings() {
        return firstListed.size();
    }

    long deliveries() {
        return deliveries.get();
    }

    long badSignatures() {
        return badSignatures.get();
    }

    /** Deliveries of an event id a department had already received. */
    long repeated() {
        return repeated.get();
    }

    List<String> departments() {
        return new ArrayList<>(secrets.keySet());
    }

    private void handle(HttpExchange exchange) throws IOException {
        long at = System.currentTimeMillis();
        String department = exchange.getRequestURI().getPath().substring("/hooks/".length());
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String secret = secrets.get(department);
        if (secret == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        deliveries.incrementAndGet();
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        if (!WebhookReceivers.verify(secret, id, exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                exchange.getRequestHeaders().getFirst("webhook-signature"), body)) {
            badSignatures.incrementAndGet();
        }
        if (eventIds.putIfAbsent(department + "|" + id, Boolean.TRUE) != null) {
            repeated.incrementAndGet();
        }
        JsonNode event = JSON.readTree(body);
        if (LISTED.equals(event.path("type").asText())) {
            firstListed.putIfAbsent(department + "|" + event.path("subject").path("uscc").asText(), at);
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
