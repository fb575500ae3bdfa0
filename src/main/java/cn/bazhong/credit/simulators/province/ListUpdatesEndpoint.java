package cn.bazhong.credit.simulators.province;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /exchange/v1/list-updates?after=<cursor>&limit=<n>}: pages through the list-update log.
 * No (or an empty) {@code after} reads from the start; {@code limit} defaults to 100 and is capped at
 * 1000; a garbled or unknown cursor, or a limit that is not a positive integer, is a 400.
 */
final class ListUpdatesEndpoint implements HttpHandler {

    static final String PATH = "/exchange/v1/list-updates";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ListUpdatesEndpoint.class);

    private final String token;
    private final ListUpdateLog log;
    /** Extra headers for a page's exact body (a signature), or none. */
    private volatile java.util.function.Function<byte[], Map<String, String>> pageSigner = body -> Map.of();

    ListUpdatesEndpoint(String token, ListUpdateLog log) {
        this.token = token;
        this.log = log;
    }

    void signPages(java.util.function.Function<byte[], Map<String, String>> signer) {
        this.pageSigner = signer == null ? body -> Map.of() : signer;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Answer answer;
        try {
            answer = answer(exchange);
        } catch (RuntimeException e) {
            LOG.error("list-updates request failed inside the simulator", e);
            answer = Answer.error(500, "simulator error: " + e);
        }
        answer.send(exchange);
    }

    private Answer answer(HttpExchange exchange) {
        if (!PATH.equals(exchange.getRequestURI().getPath())) {
            return Answer.error(404, "no such resource: " + exchange.getRequestURI().getPath());
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            return Requests.methodNotAllowed("GET");
        }
        if (!Requests.hasBearer(exchange, token)) {
            return Requests.unauthorized();
        }
        Map<String, String> query = Requests.query(exchange);
        int limit = DEFAULT_LIMIT;
        String limitParam = query.get("limit");
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                return Answer.error(400, "limit '" + limitParam + "' is not an integer");
            }
            if (limit < 1) {
                return Answer.error(400, "limit must be at least 1, was " + limit);
            }
            limit = Math.min(limit, MAX_LIMIT);
        }
        String after = query.get("after");
        ListUpdateLog.Page page;
        try {
            page = log.page(after == null || after.isEmpty() ? null : after, limit);
        } catch (IllegalArgumentException e) {
            return Answer.error(400, "after: " + e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cursor", page.cursor());
        body.put("hasMore", page.hasMore());
        body.put("updates", page.updates());
        LOG.debug("list-updates: {} returned, hasMore {}", page.updates().size(), page.hasMore());
        Answer signed = Answer.json(200, body);
        for (Map.Entry<String, String> h : pageSigner.apply(signed.body()).entrySet()) {
            signed = signed.withHeader(h.getKey(), h.getValue());
        }
        return signed;
    }
}
