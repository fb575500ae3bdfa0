package cn.bazhong.credit.simulators.departments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The simulated departments' approval systems for the local demo: {@code POST /hooks/<DEPT>} verifies
 * the Standard Webhooks signature with the department's secret (the official library, as a department
 * would), logs the event and answers 204 (401 for a bad signature); {@code GET /hooks/<DEPT>} lists
 * what that department received, so that a newcomer can watch list changes arrive.
 */
public final class DemoWebhookReceivers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoWebhookReceivers.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Webhook> verifiers = new ConcurrentHashMap<>();
    private final Map<String, List<JsonNode>> received = new ConcurrentHashMap<>();

    private DemoWebhookReceivers(HttpServer server, Map<String, String> secrets) {
        this.server = server;
        secrets.forEach((dept, secret) -> {
            try {
                verifiers.put(dept, new Webhook(secret));
            } catch (com.standardwebhooks.exceptions.EmptyWebhookSecretException e) {
                throw new IllegalArgumentException("simulators.hooks.secrets." + dept + " is empty", e);
            }
            received.put(dept, new CopyOnWriteArrayList<>());
        });
    }

    public static DemoWebhookReceivers start(int port, Map<String, String> secrets) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
            DemoWebhookReceivers receivers = new DemoWebhookReceivers(server, secrets);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/hooks/", receivers::handle);
            server.start();
            LOG.info("simulated departments' webhooks on http://127.0.0.1:{}/hooks/<DEPT> for {}", port, secrets.keySet());
            return receivers;
        } catch (IOException e) {
            throw new IllegalStateException("the simulated webhook receivers could not listen on port " + port, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String dept = exchange.getRequestURI().getPath().substring("/hooks/".length());
        try (exchange) {
            Webhook verifier = verifiers.get(dept);
            if (verifier == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if ("GET".equals(exchange.getRequestMethod())) {
                ArrayNode all = JSON.createArrayNode();
                received.get(dept).forEach(all::add);
                byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all);
                exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                // the JDK server capitalises header names; the library looks them up in lower case
                Map<String, List<String>> headers = new java.util.HashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
                verifier.verify(new String(body, StandardCharsets.UTF_8), headers);
            } catch (WebhookVerificationException e) {
                LOG.warn("{} refused a delivery: {}", dept, e.getMessage());
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            JsonNode event = JSON.readTree(body);
            received.get(dept).add(event);
            LOG.info("{} received {} {} about {} (measures {})", dept, event.path("id").asText(), event.path("type").asText(),
                    event.path("subject").path("name").asText(), event.path("measures").findValuesAsText("measureId"));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
