package cn.bazhong.credit.simulators.province;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The control API under {@code /sim/} (no authentication; for tests and the local demo only):
 * <ul>
 *   <li>{@code GET /sim/received[?data=true]} → {@code {"batchRequests": n, "batches": [...], "records": [...]}};
 *       records carry {@code data} only with {@code data=true}.</li>
 *   <li>{@code GET /sim/faults} → {@code {"faults": {...}}}, what is switched on.</li>
 *   <li>{@code POST /sim/faults} with any of {@code {"failNext": {"count": 3, "status": 503, "retryAfterSeconds": 1}}},
 *       {@code {"failForSeconds": 10, "status": 503}}, {@code {"delayMillis": 2000}},
 *       {@code {"reject": {"recordIdRegex": "...", "code": "...", "message": "..."}}}, {@code {"clear": true}}
 *       → {@code {"faults": {...}}}. Nothing is applied when any part is invalid (400).</li>
 *   <li>{@code POST /sim/list-updates} (body = one update document) → 201 with the stored update;
 *       {@code GET /sim/list-updates} → {@code {"updates": [...]}}, the whole log.</li>
 *   <li>{@code POST /sim/reset} → {@code {"reset": true}}.</li>
 * </ul>
 */
final class ControlEndpoint implements HttpHandler {

    static final String PATH = "/sim/";

    private static final Logger LOG = LoggerFactory.getLogger(ControlEndpoint.class);
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Set<String> FAULT_KEYS = Set.of("failNext", "failForSeconds", "status", "delayMillis", "reject", "clear");
    static final String DEFAULT_REJECT_CODE = "PROVINCE_REJECTED";
    static final String DEFAULT_REJECT_MESSAGE = "rejected by the provincial platform";

    private final ProvincialSimulator simulator;

    ControlEndpoint(ProvincialSimulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Answer answer;
        try {
            answer = answer(exchange);
        } catch (Invalid e) {
            answer = Answer.error(400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("control request failed inside the simulator", e);
            answer = Answer.error(500, "simulator error: " + e);
        }
        answer.send(exchange);
    }

    private Answer answer(HttpExchange exchange) throws IOException, Invalid {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        switch (path) {
            case "/sim/received" -> {
                return "GET".equals(method) ? received("true".equals(Requests.query(exchange).get("data")))
                        : Requests.methodNotAllowed("GET");
            }
            case "/sim/faults" -> {
                if ("POST".equals(method)) {
                    applyFaults(object(body(exchange), "the body"));
                } else if (!"GET".equals(method)) {
                    return Requests.methodNotAllowed("GET, POST");
                }
                return Answer.json(200, Map.of("faults", simulator.faults().describe()));
            }
            case "/sim/list-updates" -> {
                if ("POST".equals(method)) {
                    return Answer.json(201, simulator.publishListUpdate(object(body(exchange), "the body")));
                }
                return "GET".equals(method) ? Answer.json(200, Map.of("updates", simulator.listUpdates()))
                        : Requests.methodNotAllowed("GET, POST");
            }
            case "/sim/reset" -> {
                if (!"POST".equals(method)) {
                    return Requests.methodNotAllowed("POST");
                }
                simulator.reset();
                return Answer.json(200, Map.of("reset", true));
            }
            default -> {
                return Answer.error(404, "no such control resource: " + path
                        + "; try GET /sim/received, GET|POST /sim/faults, GET|POST /sim/list-updates, POST /sim/reset");
            }
        }
    }

    private Answer received(boolean withData) {
        List<Map<String, Object>> batches = new ArrayList<>();
        for (ReceivedBatch b : simulator.batches()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("batchId", b.batchId());
            out.put("dataset", b.dataset());
            Map<String, Object> unit = new LinkedHashMap<>();
            unit.put("name", b.sourceUnit().name());
            unit.put("uscc", b.sourceUnit().uscc());
            out.put("sourceUnit", unit);
            out.put("recordCount", b.recordCount());
            out.put("at", b.at().toString());
            batches.add(out);
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (ReceivedRecord r : simulator.records()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("batchId", r.batchId());
            out.put("dataset", r.dataset());
            out.put("recordId", r.recordId());
            out.put("version", r.version());
            out.put("operation", r.operation());
            out.put("at", r.at().toString());
            if (withData) {
                out.put("data", r.data());
            }
            records.add(out);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("batchRequests", simulator.batchRequests());
        body.put("batches", batches);
        body.put("records", records);
        return Answer.json(200, body);
    }

    /** Reads every part first, then applies them all, so an invalid body changes nothing. */
    private void applyFaults(Map<String, Object> body) throws Invalid {
        for (String key : body.keySet()) {
            if (!FAULT_KEYS.contains(key)) {
                throw new Invalid("unknown key '" + key + "'; expected some of " + FAULT_KEYS);
            }
        }
        if (body.containsKey("status") && !body.containsKey("failForSeconds")) {
            throw new Invalid("status goes with failForSeconds (failNext carries its own status)");
        }
        List<Runnable> actions = new ArrayList<>();
        if (Boolean.TRUE.equals(body.get("clear"))) {
            actions.add(simulator::clearFaults);
        } else if (body.containsKey("clear") && !Boolean.FALSE.equals(body.get("clear"))) {
            throw new Invalid("clear must be true or false");
        }
        if (body.containsKey("failNext")) {
            Map<String, Object> next = object(body.get("failNext"), "failNext");
            int count = wholeNumber(next.get("count"), "failNext.count", 0);
            int status = status(next.get("status"), "failNext.status");
            Object retry = next.get("retryAfterSeconds");
            Duration retryAfter = retry == null ? null : seconds(retry, "failNext.retryAfterSeconds");
            actions.add(() -> simulator.failNext(count, status, retryAfter));
        }
        if (body.containsKey("failForSeconds")) {
            Duration window = seconds(body.get("failForSeconds"), "failForSeconds");
            int status = status(body.get("status"), "status");
            actions.add(() -> simulator.failFor(window, status));
        }
        if (body.containsKey("delayMillis")) {
            Duration delay = Duration.ofMillis(wholeNumber(body.get("delayMillis"), "delayMillis", 0));
            actions.add(() -> simulator.delayResponses(delay));
        }
        if (body.containsKey("reject")) {
            Map<String, Object> reject = object(body.get("reject"), "reject");
            String regex = text(reject.get("recordIdRegex"), "reject.recordIdRegex", null);
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new Invalid("reject.recordIdRegex is not a valid regular expression: " + e.getDescription());
            }
            String code = text(reject.get("code"), "reject.code", DEFAULT_REJECT_CODE);
            String message = text(reject.get("message"), "reject.message", DEFAULT_REJECT_MESSAGE);
            actions.add(() -> simulator.rejectRecords(regex, code, message));
        }
        if (actions.isEmpty()) {
            throw new Invalid("no fault given; expected some of " + FAULT_KEYS);
        }
        actions.forEach(Runnable::run);
        LOG.info("faults changed over HTTP: {}", simulator.faults().describe());
    }

    private static Object body(HttpExchange exchange) throws IOException, Invalid {
        byte[] bytes = Requests.body(exchange, MAX_BODY_BYTES);
        if (bytes == null) {
            throw new Invalid("body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            return Json.parse(bytes);
        } catch (Json.MalformedJson e) {
            throw new Invalid("body is not valid JSON: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) throws Invalid {
        if (!(value instanceof Map<?, ?> map)) {
            throw new Invalid(what + (value == null ? " is missing" : " must be a JSON object"));
        }
        return (Map<String, Object>) map;
    }

    private static String text(Object value, String what, String byDefault) throws Invalid {
        if (value == null && byDefault != null) {
            return byDefault;
        }
        if (!(value instanceof String s) || s.isEmpty()) {
            throw new Invalid(what + (value == null ? " is missing" : " must be a non-empty string"));
        }
        return s;
    }

    private static int status(Object value, String what) throws Invalid {
        int status = value == null ? 503 : wholeNumber(value, what, 400);
        if (status > 599) {
            throw new Invalid(what + " must be a 4xx or 5xx status, was " + status);
        }
        return status;
    }

    private static int wholeNumber(Object value, String what, int min) throws Invalid {
        BigDecimal n = number(value, what);
        try {
            int i = n.intValueExact();
            if (i < min) {
                throw new Invalid(what + " must be at least " + min + ", was " + i);
            }
            return i;
        } catch (ArithmeticException e) {
            throw new Invalid(what + " must be a whole number, was " + n.toPlainString());
        }
    }

    private static Duration seconds(Object value, String what) throws Invalid {
        BigDecimal n = number(value, what);
        if (n.signum() < 0) {
            throw new Invalid(what + " must not be negative");
        }
        return Duration.ofNanos(n.movePointRight(9).longValue());
    }

    private static BigDecimal number(Object value, String what) throws Invalid {
        if (!(value instanceof Number n)) {
            throw new Invalid(what + (value == null ? " is missing" : " must be a number"));
        }
        return new BigDecimal(n.toString());
    }

    /** A control request the simulator cannot follow (400). */
    private static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }
}
