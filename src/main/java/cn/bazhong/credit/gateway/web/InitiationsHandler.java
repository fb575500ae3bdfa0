package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.measures.Initiation;
import cn.bazhong.credit.gateway.measures.InitiationRefused;
import cn.bazhong.credit.gateway.measures.Initiations;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.security.Authenticator;
import cn.bazhong.credit.gateway.security.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The departments' answers to initiations (department-push.md, "Department answers"):
 * {@code POST /api/v1/initiations/{id}/responses} (响应), {@code POST /api/v1/initiations/{id}/feedback}
 * (执行反馈), and {@code GET /api/v1/initiations[/{id}]} to see them. A department sees and answers only
 * its own initiations; operators see all of them.
 */
public class InitiationsHandler {

    private final Authenticator authenticator;
    private final Initiations initiations;

    public InitiationsHandler(Authenticator authenticator, Initiations initiations) {
        this.authenticator = authenticator;
        this.initiations = initiations;
    }

    public void list(Exchange exchange) {
        Message in = exchange.getIn();
        Caller caller = ApiExchanges.caller(authenticator, in);
        String department = caller.operator() ? in.getHeader("department", String.class) : caller.department();
        boolean overdue = Boolean.parseBoolean(in.getHeader("overdue", "false", String.class));
        LocalDate today = initiations.today();
        List<Map<String, Object>> out = initiations.list(department, overdue).stream().map(i -> view(i, today)).toList();
        ApiExchanges.respond(exchange, 200, Map.of("initiations", out));
    }

    public void get(Exchange exchange) {
        Caller caller = ApiExchanges.caller(authenticator, exchange.getIn());
        String id = ApiExchanges.pathParam(exchange.getIn(), "initiationId");
        Initiation i = initiations.get(id).orElseThrow(() -> new HttpProblem(404, "no initiation " + id));
        if (!caller.operator() && !caller.department().equals(i.department())) {
            throw new HttpProblem(403, "initiation " + id + " is addressed to another department");
        }
        ApiExchanges.respond(exchange, 200, view(i, initiations.today()));
    }

    public void respond(Exchange exchange) {
        String department = department(exchange.getIn());
        String id = ApiExchanges.pathParam(exchange.getIn(), "initiationId");
        JsonNode body = body(exchange.getIn());
        Initiation after = refusedAsProblem(() -> initiations.respond(id, department, text(body, "status"), text(body, "reason")));
        ApiExchanges.respond(exchange, 200, view(after, initiations.today()));
    }

    public void feedback(Exchange exchange) {
        String department = department(exchange.getIn());
        String id = ApiExchanges.pathParam(exchange.getIn(), "initiationId");
        JsonNode body = body(exchange.getIn());
        String measureId = text(body, "measureId");
        String result = text(body, "result");
        if (measureId == null || result == null) {
            throw new HttpProblem(400, "feedback needs measureId and result (APPLIED, NOT_APPLICABLE or FAILED)");
        }
        LocalDate appliedAt;
        try {
            appliedAt = text(body, "appliedAt") == null ? null : LocalDate.parse(text(body, "appliedAt").substring(0, 10));
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new HttpProblem(400, "appliedAt '" + text(body, "appliedAt") + "' is not a date (yyyy-MM-dd)");
        }
        Initiation.Feedback feedback = new Initiation.Feedback(measureId, result, text(body, "matter"), appliedAt, text(body, "basis"),
                text(body, "note"), Instant.now());
        int before = initiations.get(id).map(i -> i.feedback().size()).orElse(0);
        Initiation after = refusedAsProblem(() -> initiations.feedback(id, department, feedback));
        Map<String, Object> answer = view(after, initiations.today());
        answer.put("duplicate", after.feedback().size() == before);
        ApiExchanges.respond(exchange, 200, answer);
    }

    private String department(Message in) {
        Caller caller = ApiExchanges.caller(authenticator, in);
        if (caller.operator()) {
            throw new HttpProblem(403, "only the department an initiation is addressed to answers it");
        }
        return caller.department();
    }

    private static JsonNode body(Message in) {
        try {
            byte[] raw = in.getBody(byte[].class);
            JsonNode node = raw == null || raw.length == 0 ? null : RecordJson.mapper().readTree(raw);
            if (node == null || !node.isObject()) {
                throw new HttpProblem(400, "the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new HttpProblem(400, "the body is not JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static <T> T refusedAsProblem(Supplier<T> call) {
        try {
            return call.get();
        } catch (InitiationRefused e) {
            int status = switch (e.reason()) {
                case UNKNOWN -> 404;
                case NOT_YOURS -> 403;
                case CANCELLED, CONFLICT -> 409;
                case INVALID -> 400;
            };
            throw new HttpProblem(status, e.getMessage());
        }
    }

    private static Map<String, Object> view(Initiation i, LocalDate today) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("initiationId", i.initiationId());
        m.put("department", i.department());
        m.put("status", i.status());
        m.put("subject", i.subjectCode());
        m.put("subjectName", i.subjectName());
        m.put("listType", i.listType());
        m.put("measures", i.measureIds());
        m.put("initiatedAt", i.initiatedAt());
        m.put("responseDue", i.responseDue());
        m.put("feedbackDue", i.feedbackDue());
        m.put("responseOverdue", i.responseOverdue(today));
        m.put("feedbackOverdue", i.feedbackOverdue(today));
        m.put("response", i.response());
        m.put("feedback", i.feedback());
        m.put("cancelledAt", i.cancelledAt());
        m.put("cancelReason", i.cancelReason());
        m.put("stopConfirmedAt", i.stopConfirmedAt());
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }
}
