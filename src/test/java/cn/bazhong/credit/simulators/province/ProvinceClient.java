package cn.bazhong.credit.simulators.province;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A real HTTP client of the simulator, as the gateway's adapter would call it. */
final class ProvinceClient {

    static final String TOKEN = ProvincialSimulator.Settings.DEV_TOKEN;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;

    ProvinceClient(URI base) {
        this.base = base;
    }

    /** A batch POST with the right token and {@code Idempotency-Key} = its batchId. */
    HttpResponse<String> push(Map<String, Object> batch) {
        return send(pushRequest(Batches.json(batch), (String) batch.get("batchId"), TOKEN));
    }

    CompletableFuture<HttpResponse<String>> pushAsync(Map<String, Object> batch) {
        return http.sendAsync(pushRequest(Batches.json(batch), (String) batch.get("batchId"), TOKEN),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A batch POST of any body; null idempotency key or token leaves the header out. */
    HttpResponse<String> push(String body, String idempotencyKey, String token) {
        return send(pushRequest(body, idempotencyKey, token));
    }

    HttpRequest pushRequest(String body, String idempotencyKey, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/exchange/v1/batches"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    HttpResponse<String> listUpdates(String query) {
        return get("/exchange/v1/list-updates" + (query.isEmpty() ? "" : "?" + query), TOKEN);
    }

    HttpResponse<String> get(String pathAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(5)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Batches.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
