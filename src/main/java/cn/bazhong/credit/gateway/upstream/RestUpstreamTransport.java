package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.crypto.Sm2BodySignature;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import cn.bazhong.credit.gateway.tls.OutboundTls;
import cn.bazhong.credit.gateway.transport.CamelHttpPost;
import cn.bazhong.credit.gateway.transport.UpstreamToken;
import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import org.apache.camel.CamelContext;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

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
 *
 * <p>The request is made by camel-http's producer ({@link CamelHttpPost}: a client of its own, no automatic retries
 * or redirects, every status returned as the answer for {@link BatchDelivery} to classify).
 */
public class RestUpstreamTransport implements UpstreamTransport, AutoCloseable {

    private final URI endpoint;
    private final UpstreamToken token;
    private final CamelHttpPost http;
    private final Sm2SigningKey signingKey; // null: unsigned

    public RestUpstreamTransport(Supplier<CamelContext> camel, String baseUrl, String token, Duration timeout) {
        this(camel, baseUrl, UpstreamToken.fixed(token), timeout);
    }

    public RestUpstreamTransport(Supplier<CamelContext> camel, String baseUrl, UpstreamToken token, Duration timeout) {
        this(camel, baseUrl, token, timeout, OutboundTls.jdkDefaults());
    }

    public RestUpstreamTransport(Supplier<CamelContext> camel, String baseUrl, UpstreamToken token, Duration timeout, OutboundTls tls) {
        this(camel, baseUrl, token, timeout, tls, null);
    }

    /** @param signingKey signs every body with SM2, or null for no signature */
    public RestUpstreamTransport(Supplier<CamelContext> camel, String baseUrl, UpstreamToken token, Duration timeout, OutboundTls tls,
                                 Sm2SigningKey signingKey) {
        this.signingKey = signingKey;
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base + "/exchange/v1/batches");
        this.token = token;
        this.http = new CamelHttpPost(camel, endpoint, Duration.ofSeconds(10), timeout, tls, true);
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
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token.current());
        headers.put("Idempotency-Key", batchId);
        headers.put("Content-Type", "application/json; charset=utf-8");
        if (signingKey != null) {
            headers.putAll(Sm2BodySignature.headers(signingKey, document));
        }
        CamelHttpPost.Response response = http.post(headers, document);
        return new Answer(response.status(), new String(response.body(), StandardCharsets.UTF_8), retryAfter(response.retryAfter()));
    }

    /** Retry-After in seconds; null when absent or an HTTP date (the back-off applies instead). */
    private static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String describe() {
        return "REST " + endpoint + (signingKey == null ? "" : ", SM2-signed with key " + signingKey.keyId());
    }

    @Override
    public void close() {
        http.close();
    }
}
