package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.crypto.Sm2BodySignature;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import cn.bazhong.credit.gateway.tls.OutboundTls;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.net.SocketTimeoutException;
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
 * <p>The request is made by camel-http's producer ({@code throwExceptionOnFailure=false}, so every status comes
 * back as an answer and is classified by {@link FanoutDelivery}), on an Apache HttpClient 5 of this department's
 * own: its connection pool, the TLS material above, no automatic retries (the retries are the delivery policy's),
 * no redirects, no cookies. A failure to connect or a time-out is an {@link IOException}. The Camel context is
 * asked for at the first attempt, not when the sender is made.
 */
public final class WebhookSender implements ChannelSender {

    static final String USER_AGENT = "credit-exchange-gateway";

    private final Supplier<CamelContext> camel;
    private final URI url;
    private final WebhookSigner signer;
    private final Duration timeout;
    private final Clock clock;
    private final OutboundTls tls;
    private final Sm2SigningKey sm2Key; // null: no SM2 signature
    private CloseableHttpClient http;
    private Endpoint endpoint;
    private Producer producer;

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
        this.camel = camel;
        this.sm2Key = sm2Key;
        this.url = channel.url();
        this.signer = channel.signer();
        this.timeout = timeout;
        this.clock = clock;
        this.tls = tls;
    }

    @Override
    public boolean batches() {
        return false;
    }

    @Override
    public Attempt send(List<OutboundEvent> events) throws IOException {
        if (events.size() != 1) {
            throw new IllegalArgumentException("a webhook takes one event per call");
        }
        OutboundEvent event = events.get(0);
        Producer p = producer();
        Exchange exchange = p.getEndpoint().createExchange();
        Message m = exchange.getIn();
        m.setBody(event.body());
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        signer.headers(event.id(), Instant.now(clock), event.body()).forEach(m::setHeader);
        if (sm2Key != null) {
            Sm2BodySignature.headers(sm2Key, event.body()).forEach(m::setHeader);
        }
        try {
            p.process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failed = exchange.getException();
        if (failed != null) {
            if (failed instanceof SocketTimeoutException) {
                throw new IOException("no answer from " + url + " within " + timeout.toMillis() + " ms", failed);
            }
            if (failed instanceof IOException io) {
                throw io; // refused, reset, TLS handshake: as the transport said it
            }
            throw new IOException("POST " + url + " failed: " + failed, failed);
        }
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null) {
            throw new IOException("POST " + url + " ended without an HTTP status");
        }
        return new Attempt(status, retryAfter(exchange.getMessage().getHeader("Retry-After", String.class), clock));
    }

    /** camel-http's producer on this webhook's own client, made and started at the first attempt. */
    private synchronized Producer producer() throws IOException {
        if (producer != null) {
            return producer;
        }
        CamelContext context = camel.get();
        if (!context.isStarted()) {
            throw new IOException("the gateway's Camel context has not started yet");
        }
        CloseableHttpClient client = client();
        try {
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("httpClient", client);
            options.put("throwExceptionOnFailure", false);
            options.put("followRedirects", false);
            options.put("ignoreResponseBody", true);
            options.put("httpMethod", "POST");
            options.put("skipControlHeaders", true); // the URL is this endpoint's, whatever a header says
            options.put("userAgent", USER_AGENT);
            // an endpoint of its own, not the context's cached one for this URL: each department has its client and time-outs
            Endpoint e = context.getComponent(url.getScheme()).createEndpoint(url.toString(), options);
            ServiceHelper.startService(e);
            Producer p = e.createProducer();
            ServiceHelper.startService(p);
            http = client;
            endpoint = e;
            producer = p;
            return p;
        } catch (Exception e) {
            client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
            throw new IOException("the Camel http endpoint for " + url + " cannot be made: " + e.getMessage(), e);
        }
    }

    private CloseableHttpClient client() {
        Timeout perAttempt = Timeout.of(timeout);
        ClientTlsStrategyBuilder tlsStrategy = ClientTlsStrategyBuilder.create().setSslContext(tls.sslContext());
        if (tls.protocols() != null) {
            tlsStrategy.setTlsVersions(tls.protocols());
        }
        if (tls.cipherSuites() != null) {
            tlsStrategy.setCiphers(tls.cipherSuites());
        }
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(tlsStrategy.buildClassic())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(perAttempt).setSocketTimeout(perAttempt).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(perAttempt).setConnectionRequestTimeout(perAttempt)
                        .setRedirectsEnabled(false).build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .setUserAgent(USER_AGENT)
                .build();
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
    public synchronized void close() {
        ServiceHelper.stopAndShutdownServices(producer, endpoint);
        producer = null;
        endpoint = null;
        if (http != null) {
            http.close(org.apache.hc.core5.io.CloseMode.GRACEFUL);
            http = null;
        }
    }
}
