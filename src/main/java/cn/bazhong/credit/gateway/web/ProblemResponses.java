package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.ingest.RecordPublisher;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Turns a failed exchange into the HTTP answer: {@code {"error": "..."}} with the right status.
 * Called from the route configuration in {@code routes/error-handling.camel.yaml}.
 */
public class ProblemResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public void render(Exchange exchange) throws Exception {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        String message;
        Integer retryAfter = null;
        if (cause instanceof HttpProblem p) {
            status = p.status();
            message = p.getMessage();
            retryAfter = p.retryAfterSeconds();
        } else if (cause instanceof RecordPublisher.NotDurableException) {
            status = 503;
            message = "the records could not be stored durably; nothing was accepted, send again later";
            retryAfter = 10;
            LOG.warn("request failed: {}", cause.getMessage());
        } else {
            status = 500;
            message = "internal error; nothing was accepted, send again later";
            LOG.error("request failed", cause);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        if (retryAfter != null) {
            exchange.getMessage().setHeader("Retry-After", retryAfter.toString());
        }
        exchange.getMessage().setBody(JSON.writeValueAsString(Map.of("error", message)).getBytes(StandardCharsets.UTF_8));
    }
}
