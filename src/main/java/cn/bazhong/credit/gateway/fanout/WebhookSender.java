package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.crypto.Sm2BodySignature;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import cn.bazhong.credit.gateway.tls.OutboundTls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * POSTs one event to a department's webhook, signed per Standard Webhooks 1.0 with a fresh timestamp
 * on every attempt. Redirects are not followed (a 3xx is a failed attempt); each attempt has its own
 * time-out (at most 15 s by the contract). Over HTTPS the department's certificate is checked against
 * {@link OutboundTls} ({@code gateway.fanout.tls.bundle}), which may also hold the gateway's client certificate.
 * With a signing key, every attempt also carries the gateway's SM2 signature of the exact body
 * ({@code X-Signature-SM2}, {@code X-Signature-SM2-Key}) beside the Standard Webhooks headers.
 */
public final class WebhookSender implements ChannelSender {

    private final URI url;
    private final WebhookSigner signer;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;
    private final Sm2SigningKey sm2Key; // null: no SM2 signature

    public WebhookSender(Subscription.WebhookChannel channel, Duration timeout, Clock clock) {
        this(channel, timeout, clock, OutboundTls.jdkDefaults());
    }

    public WebhookSender(Subscription.WebhookChannel channel, Duration timeout, Clock clock, OutboundTls tls) {
        this(channel, timeout, clock, tls, null);
    }

    /** @param sm2Key signs every body with SM2 beside the Standard Webhooks signature, or null for none */
    public WebhookSender(Subscription.WebhookChannel channel, Duration timeout, Clock clock, OutboundTls tls, Sm2SigningKey sm2Key) {
        this.sm2Key = sm2Key;
        this.url = channel.url();
        this.signer = channel.signer();
        this.timeout = timeout;
        this.clock = clock;
        this.http = tls.newClient()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    @Override
    public boolean batches() {
        return false;
    }

    @Override
    public Attempt send(List<OutboundEvent> events) throws IOException, InterruptedException {
        if (events.size() != 1) {
            throw new IllegalArgumentException("a webhook takes one event per call");
        }
        OutboundEvent event = events.get(0);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "credit-exchange-gateway")
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.body()));
        signer.headers(event.id(), Instant.now(clock), event.body()).forEach(request::header);
        if (sm2Key != null) {
            Sm2BodySignature.headers(sm2Key, event.body()).forEach(request::header);
        }
        HttpResponse<Void> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new IOException("no answer from " + url + " within " + timeout.toMillis() + " ms", e);
        }
        return new Attempt(response.statusCode(), retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock));
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
}
