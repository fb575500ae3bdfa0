package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.fanout.CamelEndpoints;
import cn.bazhong.credit.gateway.fanout.Subscription.CamelChannel;
import cn.bazhong.credit.gateway.transport.UpstreamAnswers;
import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Carries each batch document to any Camel endpoint ({@code gateway.upstream.transport: camel}): a JMS queue,
 * a file share, an HTTP producer, or a route of the integrator's under {@code routes/}
 * ({@code direct:province-out}). The body is the document's bytes; the headers {@code Idempotency-Key} and
 * {@code CreditBatchId} (the batch id, the same for a batch sent again), {@code CreditDataset} and
 * {@code Content-Type} go with it.
 *
 * <p>The answer: an exchange that ends with an exception is a failed attempt, which {@link BatchDelivery}
 * retries within its budget and then dead-letters, like a province that does not answer. An exchange that
 * ends with {@code CamelHttpResponseCode} set (an HTTP producer with {@code throwExceptionOnFailure=false},
 * or a route that sets it) is read as the province's REST answer: its status, its body (with the province's
 * per-record results when it has them) and {@code Retry-After}. Otherwise the endpoint took the document,
 * which counts as delivered without per-record results, as with the Kafka adapter.
 *
 * <p>The Camel context is asked for when the first batch goes out, not when the bean is made: a bean that
 * needs the context while Spring builds the beans starts Camel early, and Camel then skips the routes of
 * {@code routes/}.
 */
public final class CamelUpstreamTransport implements UpstreamTransport {

    public static final String BATCH_ID = "CreditBatchId";
    public static final String DATASET = "CreditDataset";

    private final Supplier<CamelContext> camel;
    private final CamelChannel channel;
    private final String uri;
    private volatile ProducerTemplate template;

    public CamelUpstreamTransport(Supplier<CamelContext> camel, String uri, Map<String, String> parameters) {
        if (uri == null || uri.isBlank() || uri.indexOf(':') <= 0) {
            throw new IllegalStateException("gateway.upstream.camel.uri must name a Camel endpoint such as jms:queue:province.batches"
                    + " or direct:province-out, not " + (uri == null || uri.isBlank() ? "nothing" : "'" + uri + "'"));
        }
        this.camel = camel;
        this.channel = new CamelChannel(uri.strip(), parameters == null ? Map.of() : parameters, java.util.List.of());
        this.uri = CamelEndpoints.uri(channel);
    }

    @Override
    public Answer send(String batchId, byte[] document) throws IOException {
        String dataset = KafkaUpstreamTransport.dataset(document);
        if (dataset == null) {
            return UpstreamAnswers.malformed(batchId, "the batch document names no dataset");
        }
        Exchange done = template().send(uri, exchange -> {
            exchange.getIn().setBody(document);
            exchange.getIn().setHeader(KafkaUpstreamTransport.IDEMPOTENCY_KEY, batchId);
            exchange.getIn().setHeader(BATCH_ID, batchId);
            exchange.getIn().setHeader(DATASET, dataset);
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        });
        if (done.getException() != null) {
            Exception e = done.getException();
            throw new IOException("Camel endpoint " + channel.uri() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        Integer status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null) {
            return UpstreamAnswers.delivered(batchId);
        }
        String body = done.getMessage().getBody(String.class);
        return new Answer(status, body == null ? "" : body, retryAfter(done.getMessage().getHeader("Retry-After", String.class)));
    }

    /** Retry-After in seconds, as the province's REST API gives it; null when absent or not a number. */
    static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    CamelContext context = camel.get();
                    String problem = new CamelEndpoints(context).problem(channel);
                    if (problem != null) {
                        throw new IllegalStateException("gateway.upstream.camel: " + problem);
                    }
                    template = context.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }

    @Override
    public String describe() {
        return "Camel endpoint " + channel.uri() + (channel.parameters().isEmpty() ? "" : " (options " + channel.parameters().keySet() + ")");
    }
}
