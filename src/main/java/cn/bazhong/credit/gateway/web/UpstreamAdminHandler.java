package cn.bazhong.credit.gateway.web;

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

    /** The operator name the province's key is configured under (gateway.access.operators.province). */
    static final String PROVINCE = "province";

    private final Authenticator authenticator;
    private final DeadLetters deadLetters;
    private final cn.bazhong.credit.gateway.ingest.FeedPushes pushes;

    public UpstreamAdminHandler(Authenticator authenticator, DeadLetters deadLetters, cn.bazhong.credit.gateway.ingest.FeedPushes pushes) {
        this.authenticator = authenticator;
        this.deadLetters = deadLetters;
        this.pushes = pushes;
    }

    /**
     * {@code POST /api/v1/upstream/list-updates}: the province pushes update documents (one, an array,
     * or a page {@code {"updates": [...]}}); they are taken in like pulled ones, all or nothing, and answered
     * with the receipt. An {@code Idempotency-Key} works as on the department feeds.
     */
    public void pushListUpdates(Exchange exchange) throws Exception {
        Caller caller = ApiExchanges.caller(authenticator, exchange.getIn());
        if (!caller.operator() || !PROVINCE.equals(caller.department())) {
            throw new HttpProblem(403, "only the province pushes list updates");
        }
        String key = exchange.getIn().getHeader("Idempotency-Key", String.class);
        if (key != null && !key.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw new HttpProblem(400, "Idempotency-Key must be 1 to 128 letters, digits or . _ : -");
        }
        cn.bazhong.credit.gateway.ingest.PushOutcome outcome;
        try (java.io.InputStream body = exchange.getIn().getBody(java.io.InputStream.class)) {
            outcome = pushes.push("PROVINCE", cn.bazhong.credit.gateway.lists.ProvinceListPuller.MAPPING, key,
                    body == null ? java.io.InputStream.nullInputStream() : body);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
                    throw new HttpProblem(400, "the body is not JSON: " + j.getOriginalMessage());
                }
            }
            throw FeedPushHandler.problem(e, Long.MAX_VALUE);
        }
        respond(exchange, 200, outcome.receipt());
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
        Caller caller = ApiExchanges.caller(authenticator, in);
        if (!caller.operator()) {
            throw new HttpProblem(403, "operators only");
        }
    }

    private static void respond(Exchange exchange, int status, Object body) {
        ApiExchanges.respond(exchange, status, body);
    }
}
