package cn.bazhong.credit.gateway.transport;

import cn.bazhong.credit.gateway.tls.OutboundTls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The bearer token the province expects: a static token from configuration, or one obtained by
 * OAuth2 client credentials from the province's token URL and renewed before it expires. After a
 * 401/403 the transport invalidates it and tries once more with a fresh one.
 */
public interface UpstreamToken {

    String current() throws IOException, InterruptedException;

    /** Forgets the token so that the next {@link #current()} fetches a new one (no-op for a static token). */
    void invalidate();

    static UpstreamToken fixed(String token) {
        return new UpstreamToken() {
            @Override
            public String current() {
                return token;
            }

            @Override
            public void invalidate() {
                // a static token cannot be renewed; the operator must change the configuration
            }
        };
    }

    /** OAuth2 client credentials (RFC 6749 §4.4), client authenticated with HTTP Basic. */
    final class ClientCredentials implements UpstreamToken {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final Duration EARLY = Duration.ofSeconds(30);

        private final URI tokenUrl;
        private final String clientId;
        private final String clientSecret;
        private final String scope;
        private final HttpClient http;
        private final Clock clock;
        private String token;
        private Instant renewAt = Instant.MIN;

        public ClientCredentials(URI tokenUrl, String clientId, String clientSecret, String scope, Clock clock) {
            this(tokenUrl, clientId, clientSecret, scope, clock, OutboundTls.jdkDefaults());
        }

        /** {@code tls}: what the token URL's certificate is checked against (the province's trust material). */
        public ClientCredentials(URI tokenUrl, String clientId, String clientSecret, String scope, Clock clock, OutboundTls tls) {
            this.tokenUrl = tokenUrl;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.scope = scope;
            this.clock = clock;
            this.http = tls.newClient().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
        }

        @Override
        public synchronized String current() throws IOException, InterruptedException {
            if (token == null || !Instant.now(clock).isBefore(renewAt)) {
                fetch();
            }
            return token;
        }

        @Override
        public synchronized void invalidate() {
            token = null;
        }

        private void fetch() throws IOException, InterruptedException {
            String form = "grant_type=client_credentials"
                    + (scope == null || scope.isBlank() ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
            String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(tokenUrl).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("the token URL answered " + r.statusCode());
            }
            JsonNode body = JSON.readTree(r.body());
            String accessToken = body.path("access_token").asText(null);
            if (accessToken == null || accessToken.isBlank()) {
                throw new IOException("the token URL answered without access_token");
            }
            long expiresIn = body.path("expires_in").asLong(300);
            token = accessToken;
            renewAt = Instant.now(clock).plusSeconds(expiresIn).minus(EARLY);
        }
    }
}
