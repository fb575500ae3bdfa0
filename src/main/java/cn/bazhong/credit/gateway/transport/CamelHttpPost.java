package cn.bazhong.credit.gateway.transport;

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
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * POSTs a body to one URL through camel-http's producer, for the gateway's built-in HTTP channels (the
 * departments' webhooks, the province's REST batches). The producer runs on an Apache HttpClient 5 of this
 * URL's own: its connection pool; the TLS material of {@link OutboundTls} (SSL context, protocols, ciphers; host
 * names verified); the connect time-out, and the answer time-out of one attempt; no automatic retries (the retries
 * are the delivery policy's), no redirects (a 3xx is an answer like any other), no cookies. With
 * {@code throwExceptionOnFailure=false} every status comes back as an answer for the caller to classify. The
 * endpoint is made by the component, not taken from the context's cache for that URI, so that two callers of one
 * URL never share a client or time-outs.
 *
 * <p>The Camel context is asked for at the first request, not when this is made: a Spring bean that needs the
 * context while beans are made starts Camel early, and Camel then skips the routes of {@code routes/}.
 */
public final class CamelHttpPost implements AutoCloseable {

    public static final String USER_AGENT = "credit-exchange-gateway";

    /**
     * What the server answered.
     *
     * @param body       the answer's body (empty when it is not read)
     * @param retryAfter its {@code Retry-After} header as written, or null
     */
    public record Response(int status, byte[] body, String retryAfter) {
    }

    private final Supplier<CamelContext> camel;
    private final URI url;
    private final Duration connectTimeout;
    private final Duration answerTimeout;
    private final OutboundTls tls;
    private final boolean readBody;
    private CloseableHttpClient http;
    private Endpoint endpoint;
    private Producer producer;

    /** @param readBody false when the answer's body does not matter (it is then discarded unread) */
    public CamelHttpPost(Supplier<CamelContext> camel, URI url, Duration connectTimeout, Duration answerTimeout, OutboundTls tls,
                         boolean readBody) {
        this.camel = Objects.requireNonNull(camel, "camel");
        this.url = Objects.requireNonNull(url, "url");
        this.connectTimeout = connectTimeout;
        this.answerTimeout = answerTimeout;
        this.tls = tls;
        this.readBody = readBody;
    }

    /**
     * One POST with these headers ({@code Content-Type} among them).
     *
     * @throws IOException when there is no answer: refused, reset, a TLS failure (thrown as it is), or none
     *                     within the answer time-out ("no answer from URL within N ms")
     */
    public Response post(Map<String, String> headers, byte[] body) throws IOException {
        Producer p = producer();
        Exchange exchange = p.getEndpoint().createExchange();
        Message m = exchange.getIn();
        m.setBody(body);
        headers.forEach(m::setHeader); // Content-Type (Exchange.CONTENT_TYPE) is the body's type; the others go as they are
        try {
            p.process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failed = exchange.getException();
        if (failed instanceof SocketTimeoutException) {
            throw new IOException("no answer from " + url + " within " + answerTimeout.toMillis() + " ms", failed);
        }
        if (failed instanceof IOException io) {
            throw io;
        }
        if (failed != null) {
            throw new IOException("POST " + url + " failed: " + failed, failed);
        }
        Message answer = exchange.getMessage();
        Integer status = answer.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null) {
            throw new IOException("POST " + url + " ended without an HTTP status");
        }
        byte[] read = readBody ? answer.getBody(byte[].class) : null;
        return new Response(status, read == null ? new byte[0] : read, answer.getHeader("Retry-After", String.class));
    }

    /** camel-http's producer on this URL's own client, made and started at the first request. */
    private synchronized Producer producer() throws IOException {
        if (producer != null) {
            return producer;
        }
        CamelContext context = camel.get();
        if (!context.isStarted()) {
            throw new NotStartedYet();
        }
        CloseableHttpClient client = client();
        try {
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("httpClient", client);
            options.put("throwExceptionOnFailure", false);
            options.put("followRedirects", false);
            options.put("ignoreResponseBody", !readBody);
            options.put("httpMethod", "POST");
            options.put("skipControlHeaders", true); // the URL is this endpoint's, whatever a header says
            options.put("userAgent", USER_AGENT);
            // made on the URL without its query, which the component would read as its own options (a department's
            // ?timeout= or ?httpMethod= among them) and re-encode; the URL as written is then set whole
            Endpoint e = context.getComponent(url.getScheme()).createEndpoint(withoutQuery(url), options);
            ((org.apache.camel.http.common.HttpCommonEndpoint) e).setHttpUri(url);
            ServiceHelper.startService(e);
            Producer p = e.createProducer();
            ServiceHelper.startService(p);
            http = client;
            endpoint = e;
            producer = p;
            return p;
        } catch (Exception e) {
            client.close(CloseMode.IMMEDIATE);
            throw new IOException("the Camel http endpoint for " + url + " cannot be made: " + e.getMessage(), e);
        }
    }

    private static String withoutQuery(URI url) {
        String s = url.toString();
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    private CloseableHttpClient client() {
        Timeout answer = Timeout.of(answerTimeout);
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
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout)).setSocketTimeout(answer).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(answer).setConnectionRequestTimeout(answer)
                        .setRedirectsEnabled(false).build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .setUserAgent(USER_AGENT)
                .build();
    }

    public URI url() {
        return url;
    }

    @Override
    public synchronized void close() {
        ServiceHelper.stopAndShutdownServices(producer, endpoint);
        producer = null;
        endpoint = null;
        if (http != null) {
            http.close(CloseMode.GRACEFUL);
            http = null;
        }
    }
}
