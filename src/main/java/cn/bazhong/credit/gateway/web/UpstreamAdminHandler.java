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

    /** The operator name the province's key is configured under (gateway.access.operators.province). */
    static final String PROVINCE = "province";

    private final Authenticator authenticator;
    private final DeadLetters deadLetters;
    private final cn.bazhong.credit.gateway.ingest.FeedIngestor ingestor;

    public UpstreamAdminHandler(Authenticator authenticator, DeadLetters deadLetters, cn.bazhong.credit.gateway.ingest.FeedIngestor ingestor) {
        this.authenticator = authenticator;
        this.deadLetters = deadLetters;
        this.ingestor = ingestor;
    }

    /**
     * {@code POST /api/v1/upstream/list-updates}: the province pushes update documents (one, an array,
     * or a page {@code {"updates": [...]}}); they are taken in like pulled ones and answered with the receipt.
     */
    public void pushListUpdates(Exchange exchange) throws Exception {
        Caller caller = ApiExchanges.caller(authenticator, exchange.getIn());
        if (!caller.operator() || !PROVINCE.equals(caller.department())) {
            throw new HttpProblem(403, "only the province pushes list updates");
        }
        com.fasterxml.jackson.databind.JsonNode body;
        try {
            body = RecordJson.mapper().readTree(exchange.getIn().getBody(byte[].class));
        } catch (java.io.IOException e) {
            throw new HttpProblem(400, "the body is not JSON: " + e.getMessage());
        }
        com.fasterxml.jackson.databind.JsonNode updates = body.isArray() ? body : body.has("updates") ? body.path("updates") : null;
        java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
        for (com.fasterxml.jackson.databind.JsonNode u : updates == null ? java.util.List.of(body) : updates) {
            lines.write(RecordJson.mapper().writeValueAsBytes(u));
            lines.write('\n');
        }
        cn.bazhong.credit.gateway.ingest.Receipt receipt = ingestor.ingest(cn.bazhong.credit.gateway.ingest.FeedSource.request(
                cn.bazhong.credit.gateway.lists.ProvinceListPuller.MAPPING, "PUSH-" + java.util.UUID.randomUUID()),
                new java.io.ByteArrayInputStream(lines.toByteArray()));
        respond(exchange, 200, receipt);
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
