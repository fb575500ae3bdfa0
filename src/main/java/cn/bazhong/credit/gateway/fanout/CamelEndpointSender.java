package cn.bazhong.credit.gateway.fanout;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Sends one event per exchange to the Camel endpoint a subscription names ({@code camel:} in
 * {@code config/subscriptions.yaml}): body = the event's JSON bytes, headers {@value #EVENT_ID}, {@value #EVENT_TYPE},
 * {@value #DEPARTMENT}, {@value #SUBJECT}, {@value #OCCURRED_AT}, and with secrets the Standard Webhooks headers
 * ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}) signed afresh on every attempt.
 *
 * <p>An exchange that ends with an exception is a failed attempt, retried by {@link FanoutDelivery} like a webhook's
 * 503. An exchange that ends with a {@code CamelHttpResponseCode} header (a camel-http producer with
 * {@code throwExceptionOnFailure=false}, or a route that sets it) is read like a webhook's answer: 2xx delivered,
 * 410 gone, anything else retried, honouring its {@code Retry-After} header. Any other ending is a delivery.
 */
public final class CamelEndpointSender implements ChannelSender {

    public static final String EVENT_ID = "CreditEventId";
    public static final String EVENT_TYPE = "CreditEventType";
    public static final String DEPARTMENT = "CreditDepartment";
    public static final String SUBJECT = "CreditSubject";
    public static final String OCCURRED_AT = "CreditOccurredAt";

    private final CamelContext camel;
    private final Endpoint endpoint;
    private final WebhookSigner signer; // null: no signature
    private final Clock clock;
    private final String description;
    private volatile ProducerTemplate template;

    public CamelEndpointSender(Subscription.CamelChannel channel, CamelEndpoints endpoints, Clock clock) {
        this.camel = endpoints.camel();
        this.endpoint = endpoints.endpoint(channel);
        this.signer = channel.signer();
        this.clock = clock;
        // an option written in the URI may be a password: Camel's sanitizer hides those
        this.description = "Camel endpoint " + org.apache.camel.util.URISupport.sanitizeUri(channel.uri()) + (signer == null ? "" : ", signed");
    }

    @Override
    public boolean batches() {
        return false;
    }

    @Override
    public Attempt send(List<OutboundEvent> events) throws IOException {
        OutboundEvent event = ChannelSender.single(events, "a Camel channel");
        if (!camel.isStarted()) {
            throw new cn.bazhong.credit.gateway.transport.NotStartedYet();
        }
        Exchange done = template().send(endpoint, ExchangePattern.InOnly, exchange -> {
            Message m = exchange.getMessage();
            m.setBody(event.body());
            m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
            m.setHeader(EVENT_ID, event.id());
            m.setHeader(EVENT_TYPE, event.type());
            m.setHeader(DEPARTMENT, event.department());
            m.setHeader(SUBJECT, event.subjectCode());
            m.setHeader(OCCURRED_AT, event.occurredAt() == null ? null : event.occurredAt().toString());
            if (signer != null) {
                signer.headers(event.id(), Instant.now(clock), event.body()).forEach(m::setHeader);
            }
        });
        if (done.getException() != null) {
            Exception e = done.getException();
            throw new IOException(endpoint.getEndpointBaseUri() + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        Integer status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null) {
            return Attempt.DELIVERED;
        }
        return new Attempt(status, WebhookSender.retryAfter(done.getMessage().getHeader("Retry-After", String.class), clock));
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = camel.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        ProducerTemplate t = template;
        if (t != null) {
            try {
                t.close();
            } catch (Exception ignored) {
                // stopping anyway
            }
        }
    }
}
