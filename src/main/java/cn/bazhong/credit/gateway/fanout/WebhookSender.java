package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.crypto.Sm2BodySignature;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import cn.bazhong.credit.gateway.tls.OutboundTls;
import cn.bazhong.credit.gateway.transport.CamelHttpPost;
import org.apache.camel.CamelContext;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * POSTs one event to a department's webhook, signed per Standard Webhooks 1.0 with a fresh timestamp
 * on every attempt. Redirects are not followed (a 3xx is a failed attempt); each attempt has its own
 * time-out (at most 15 s by the contract): to connect, and to wait for the answer. Over HTTPS the department's
 * certificate and host name are checked against {@link OutboundTls} ({@code gateway.fanout.tls.bundle}), which
 * may also hold the gateway's client certificate.
 * With a signing key, every attempt also carries the gateway's SM2 signature of the exact body
 * ({@code X-Signature-SM2}, {@code X-Signature-SM2-Key}) beside the Standard Webhooks headers.
 *
 * <p>The request is made by camel-http's producer ({@link CamelHttpPost}: {@code throwExceptionOnFailure=false}, so
 * every status comes back as an answer and is classified by {@link FanoutDelivery}), on an Apache HttpClient 5 of
 * this department's own: its connection pool, the TLS material above, no automatic retries (the retries are the
 * delivery policy's), no redirects, no cookies. A failure to connect or a time-out is an {@link IOException}. The
 * Camel context is asked for at the first attempt, not when the sender is made.
 */
public final class WebhookSender implements ChannelSender {

    private final URI url;
    private final WebhookSigner signer;
    private final Clock clock;
    private final Sm2SigningKey sm2Key; // null: no SM2 signature
    private final CamelHttpPost http;

    public WebhookSender(Supplier<CamelContext> camel, Subscription.WebhookChannel channel, Duration timeout, Clock clock) {
        this(camel, channel, timeout, clock, OutboundTls.jdkDefaults());
    }

    public WebhookSender(Supplier<CamelContext> camel, Subscription.WebhookChannel channel, Duration timeout, Clock clock,
                         OutboundTls tls) {
        this(camel, channel, timeout, clock, tls, null);
    }

    /** @param sm2Key signs every body with SM2 beside the Standard Webhooks signature, or null for none */
    public WebhookSender(Supplier<CamelContext> camel, Subscription.WebhookChannel channel, Duration timeout, Clock clock,
                         OutboundTls tls, Sm2SigningKey sm2Key) {
        this.sm2Key = sm2Key;
        this.url = channel.url();
        this.signer = channel.signer();
        this.clock = clock;
        this.http = new CamelHttpPost(camel, url, timeout, timeout, tls, false);
    }

    @Override
    public boolean batches() {
        return false;
    }

    @Override
    public Attempt send(List<OutboundEvent> events) throws IOException {
        OutboundEvent event = ChannelSender.single(events, "a webhook");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.putAll(signer.headers(event.id(), Instant.now(clock), event.body()));
        if (sm2Key != null) {
            headers.putAll(Sm2BodySignature.headers(sm2Key, event.body()));
        }
        CamelHttpPost.Response answer = http.post(headers, event.body());
        return new Attempt(answer.status(), retryAfter(answer.retryAfter(), clock));
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(Instant.now(clock), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    @Override
    public String describe() {
        return "webhook " + url + (sm2Key == null ? "" : ", SM2-signed with key " + sm2Key.keyId());
    }

    @Override
    public void close() {
        http.close();
    }
}
