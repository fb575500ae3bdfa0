package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.crypto.Sm2BodySignature;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import cn.bazhong.credit.gateway.tls.OutboundTls;
import cn.bazhong.credit.gateway.transport.UpstreamToken;
import cn.bazhong.credit.gateway.transport.UpstreamTransport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code POST {base}/exchange/v1/batches} with the bearer token and {@code Idempotency-Key: <batchId>}.
 * A 401/403 renews the token once and retries; a second refusal goes back to {@link BatchDelivery},
 * which alerts and keeps the batch. Over HTTPS the province's certificate is checked against the trust
 * material of {@link OutboundTls} ({@code gateway.upstream.tls.bundle}), which may also hold the gateway's
 * client certificate.
 *
 * <p>With a signing key ({@code gateway.upstream.sign-sm2}), every request also carries
 * {@code X-Signature-SM2} (base64 of the DER SM2 signature over the exact body bytes sent) and
 * {@code X-Signature-SM2-Key} (the key's id): the gateway's own extension of the contract
 * (docs/security.md, "SM2 signatures on the wire").
 */
public class RestUpstreamTransport implements UpstreamTransport {

    private final URI endpoint;
    private final UpstreamToken token;
    private final Duration timeout;
    private final HttpClient http;
    private final Sm2SigningKey signingKey; // null: unsigned

    public RestUpstreamTransport(String baseUrl, String token, Duration timeout) {
        this(baseUrl, UpstreamToken.fixed(token), timeout);
    }

    public RestUpstreamTransport(String baseUrl, UpstreamToken token, Duration timeout) {
        this(baseUrl, token, timeout, OutboundTls.jdkDefaults());
    }

    public RestUpstreamTransport(String baseUrl, UpstreamToken token, Duration timeout, OutboundTls tls) {
        this(baseUrl, token, timeout, tls, null);
    }

    /** @param signingKey signs every body with SM2, or null for no signature */
    public RestUpstreamTransport(String baseUrl, UpstreamToken token, Duration timeout, OutboundTls tls, Sm2SigningKey signingKey) {
        this.signingKey = signingKey;
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base + "/exchange/v1/batches");
        this.token = token;
        this.timeout = timeout;
        this.http = tls.newClient()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Answer send(String batchId, byte[] document) throws IOException, InterruptedException {
        Answer answer = post(batchId, document);
        if (answer.status() == 401 || answer.status() == 403) {
            // the token may have expired or been revoked: fetch a fresh one, once
            token.invalidate();
            answer = post(batchId, document);
        }
        return answer;
    }

    private Answer post(String batchId, byte[] document) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token.current())
                .header("Idempotency-Key", batchId)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(document));
        if (signingKey != null) {
            Sm2BodySignature.headers(signingKey, document).forEach(request::header);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(response.statusCode(), response.body(), retryAfter(response));
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Long.parseLong(v.strip()));
            } catch (NumberFormatException e) {
                return null; // an HTTP date; the back-off applies instead
            }
        }).orElse(null);
    }

    @Override
    public String describe() {
        return "REST " + endpoint + (signingKey == null ? "" : ", SM2-signed with key " + signingKey.keyId());
    }
}
