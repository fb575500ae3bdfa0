package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.security.Authenticator;
import cn.bazhong.credit.gateway.security.Caller;
import cn.bazhong.credit.gateway.upstream.DeadLetters;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.util.Map;

/**
 * Operators' API over upstream delivery: {@code GET /api/v1/upstream/dead-letters} and
 * {@code POST /api/v1/upstream/dead-letters/{batchId}/replay}. Operator credentials only.
 */
public class UpstreamAdminHandler {

    private final Authenticator authenticator;
    private final DeadLetters deadLetters;

    public UpstreamAdminHandler(Authenticator authenticator, DeadLetters deadLetters) {
        this.authenticator = authenticator;
        this.deadLetters = deadLetters;
    }

    public void list(Exchange exchange) throws Exception {
        operator(exchange.getIn());
        respond(exchange, 200, Map.of("deadLetters", deadLetters.list()));
    }

    public void replay(Exchange exchange) throws Exception {
        operator(exchange.getIn());
        String batchId = exchange.getIn().getHeader("batchId", String.class);
        if (!deadLetters.replay(batchId)) {
            throw new HttpProblem(404, "no dead letter with batch id " + batchId);
        }
        respond(exchange, 202, Map.of("batchId", batchId, "status", "put back for delivery"));
    }

    private void operator(Message in) {
        Caller caller = authenticator.authenticate(in.getHeader("Authorization", String.class))
                .orElseThrow(() -> new HttpProblem(401, "missing or unknown credentials"));
        if (!caller.operator()) {
            throw new HttpProblem(403, "operators only");
        }
    }

    private static void respond(Exchange exchange, int status, Object body) throws Exception {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        out.setBody(RecordJson.mapper().writeValueAsBytes(body));
    }
}
