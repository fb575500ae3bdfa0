package cn.bazhong.credit.simulators.website;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The city credit website (信用巴中) of the local demo, as docs/publication.md describes its side:
 * {@code POST /site/messages} checks the Standard Webhooks signature (401 otherwise), drops a message id it
 * has had, and applies {@code item.published} / {@code item.withdrawn}; {@code GET /site/items} shows the
 * published items' data ({@code ?all=true} with the withdrawn ones), {@code GET /site/items/{id}} one item
 * with its status. {@link #available(boolean)} makes it answer 503, as a website that is down, and
 * {@link #refuseWith(int)} any other status.
 */
public final class DemoCreditWebsite implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCreditWebsite.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An item as the website keeps it: its last data, its status, and when its last message happened. */
    public record Item(String id, String status, String version, Instant occurredAt, JsonNode data, String withdrawalReason) {
    }

    private final HttpServer server;
    private final Webhook verifier;
    private final Map<String, Item> items = new LinkedHashMap<>();
    private final Map<String, Integer> messages = new HashMap<>();
    private final java.util.Set<String> withdrawnVersions = new java.util.HashSet<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile int refuseWith; // 0: take messages

    private DemoCreditWebsite(HttpServer server, String secret) {
        this.server = server;
        try {
            this.verifier = new Webhook(secret);
        } catch (com.standardwebhooks.exceptions.EmptyWebhookSecretException e) {
            throw new IllegalArgumentException("the website's secret is empty", e);
        }
    }

    /** Listens on 127.0.0.1:{@code port} (0: any free port). */
    public static DemoCreditWebsite start(int port, String secret) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
            DemoCreditWebsite site = new DemoCreditWebsite(server, secret);
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.createContext("/site/", site::handle);
            server.start();
            LOG.info("simulated city credit website on {}items", site.baseUri());
            return site;
        } catch (IOException e) {
            throw new IllegalStateException("the simulated credit website could not listen on port " + port, e);
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/site/");
    }

    /** Where the gateway posts: {@code gateway.publication.url}. */
    public URI messagesUri() {
        return baseUri().resolve("messages");
    }

    /** False: every message is answered 503 (the website is down). */
    public void available(boolean up) {
        this.refuseWith = up ? 0 : 503;
    }

    /** Every message is answered with this status until {@link #available(boolean) available(true)}. */
    public void refuseWith(int status) {
        this.refuseWith = status;
    }

    public synchronized Item item(String id) {
        return items.get(id);
    }

    public synchronized List<Item> items() {
        return new ArrayList<>(items.values());
    }

    /** How often each message id arrived with a good signature (more than 1: the gateway sent it again). */
    public synchronized Map<String, Integer> messageCounts() {
        return Map.copyOf(messages);
    }

    /** Messages answered 503 while down, or 401 for a bad signature. */
    public int refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if ("GET".equals(exchange.getRequestMethod()) && path.equals("/site/items")) {
                boolean all = "all=true".equals(exchange.getRequestURI().getQuery());
                ArrayNode out = JSON.createArrayNode();
                items().stream().filter(i -> all || "PUBLISHED".equals(i.status())).forEach(i -> out.add(view(i)));
                answer(exchange, 200, out);
            } else if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/site/items/")) {
                Item i = item(path.substring("/site/items/".length()));
                if (i == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    answer(exchange, 200, view(i));
                }
            } else if ("POST".equals(exchange.getRequestMethod()) && path.equals("/site/messages")) {
                receive(exchange);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void receive(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        int refusal = refuseWith;
        if (refusal != 0) {
            refused.incrementAndGet();
            exchange.getResponseHeaders().add("Retry-After", "1");
            exchange.sendResponseHeaders(refusal, -1);
            return;
        }
        try {
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            verifier.verify(new String(body, StandardCharsets.UTF_8), headers);
        } catch (WebhookVerificationException e) {
            refused.incrementAndGet();
            LOG.warn("the credit website refused a message: {}", e.getMessage());
            exchange.sendResponseHeaders(401, -1);
            return;
        }
        apply(JSON.readTree(body));
        exchange.sendResponseHeaders(204, -1);
    }

    private synchronized void apply(JsonNode m) {
        String id = m.path("id").asText();
        if (messages.merge(id, 1, Integer::sum) > 1) {
            return; // had it already
        }
        JsonNode item = m.path("item");
        String itemId = item.path("id").asText();
        String version = item.path("version").asText();
        Instant at = Instant.parse(m.path("occurredAt").asText());
        Item current = items.get(itemId);
        if (current != null && current.occurredAt().isAfter(at)) {
            return; // older than what the item shows (a dead letter replayed late)
        }
        if ("item.withdrawn".equals(m.path("type").asText())) {
            withdrawnVersions.add(itemId + "|" + version);
            items.put(itemId, new Item(itemId, "WITHDRAWN", version, at, current == null ? null : current.data(), m.path("reason").asText()));
            LOG.info("the credit website withdrew {} ({})", itemId, m.path("reason").asText());
        } else if (!withdrawnVersions.contains(itemId + "|" + version)) {
            items.put(itemId, new Item(itemId, "PUBLISHED", version, at, item, null));
            LOG.info("the credit website published {} {} about {}", item.path("kind").asText(), itemId, item.path("subject").path("name").asText());
        }
    }

    private static ObjectNode view(Item i) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", i.id());
        n.put("status", i.status());
        n.put("version", i.version());
        n.put("occurredAt", i.occurredAt().toString());
        if (i.withdrawalReason() != null) {
            n.put("withdrawalReason", i.withdrawalReason());
        }
        n.set("data", i.data());
        return n;
    }

    private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
