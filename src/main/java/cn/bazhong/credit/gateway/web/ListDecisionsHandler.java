package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.lists.ListDecisions;
import cn.bazhong.credit.gateway.lists.SubjectKeys;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.security.Authenticator;
import cn.bazhong.credit.gateway.security.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.function.Supplier;

/**
 * Decisions on a subject's list entry ({@code /api/v1/subjects/{code}/entries/{recordId}/...}): credit
 * repair, an objection, and the objection's decision. Taken by the listing unit or an operator; each
 * answers with the receipt of the entry's next version, once it is durable.
 */
public class ListDecisionsHandler {

    private final Authenticator authenticator;
    private final ListDecisions decisions;
    private final SubjectKeys keys;
    private final Clock clock;
    private final cn.bazhong.credit.gateway.lists.Objections objections;

    public ListDecisionsHandler(Authenticator authenticator, ListDecisions decisions, SubjectKeys keys, Clock clock,
                                cn.bazhong.credit.gateway.lists.Objections objections) {
        this.objections = objections;
        this.authenticator = authenticator;
        this.decisions = decisions;
        this.keys = keys;
        this.clock = clock;
    }

    /** {@code POST .../repair} {@code {"decisionNo", "reason"}}. */
    public void repair(Exchange exchange) {
        Request r = request(exchange.getIn());
        respond(exchange, () -> decisions.repair(r.caller.department(), r.caller.operator(), r.subjectKey, r.recordId,
                text(r.body, "decisionNo"), text(r.body, "reason")));
    }

    /** {@code POST .../objections} {@code {"reason", "filedBy"}}. */
    public void object(Exchange exchange) {
        Request r = request(exchange.getIn());
        String reason = text(r.body, "reason");
        String filedBy = text(r.body, "filedBy");
        respond(exchange, () -> decisions.object(r.caller.department(), r.caller.operator(), r.subjectKey, r.recordId,
                filedBy == null ? reason : reason + " (filed by " + filedBy + ")"));
    }

    /**
     * {@code POST .../objections/decision} {@code {"outcome": "UPHELD" | "CORRECTED" | "REJECTED", "reason",
     * "correction": {"validTo", "basis", "reason"}}}.
     */
    public void decideObjection(Exchange exchange) {
        Request r = request(exchange.getIn());
        ListDecisions.Outcome outcome;
        try {
            outcome = ListDecisions.Outcome.valueOf(String.valueOf(text(r.body, "outcome")));
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, "outcome must be UPHELD, CORRECTED or REJECTED, not '" + text(r.body, "outcome") + "'");
        }
        JsonNode c = r.body.path("correction");
        ListDecisions.Correction correction;
        try {
            correction = c.isObject() ? new ListDecisions.Correction(text(c, "validTo") == null ? null : LocalDate.parse(text(c, "validTo")),
                    text(c, "basis"), text(c, "reason")) : null;
        } catch (java.time.format.DateTimeParseException e) {
            throw new HttpProblem(400, "correction.validTo '" + text(c, "validTo") + "' is not a date (yyyy-MM-dd)");
        }
        respond(exchange, () -> decisions.decideObjection(r.caller.department(), r.caller.operator(), r.subjectKey, r.recordId,
                outcome, text(r.body, "reason"), correction));
    }

    /**
     * {@code GET /api/v1/objections?overdue=true}: the objections pending, with the day each must be decided
     * by; a department sees those on entries it listed, operators all of them.
     */
    public void pending(Exchange exchange) {
        Caller caller = ApiExchanges.caller(authenticator, exchange.getIn());
        boolean overdue = Boolean.parseBoolean(exchange.getIn().getHeader("overdue", "false", String.class));
        LocalDate today = LocalDate.now(clock);
        var list = objections.list(overdue, today).stream()
                .filter(p -> caller.operator() || p.recordId().startsWith(caller.department() + ":"))
                .map(p -> {
                    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                    m.put("recordId", p.recordId());
                    m.put("subject", p.subjectCode());
                    m.put("listType", p.listType());
                    m.put("filedOn", p.filedOn());
                    m.put("due", p.due());
                    m.put("overdue", p.overdue(today));
                    m.put("reason", p.reason());
                    return m;
                }).toList();
        ApiExchanges.respond(exchange, 200, java.util.Map.of("objections", list));
    }

    private record Request(Caller caller, String subjectKey, String recordId, JsonNode body) {
    }

    private Request request(Message in) {
        Caller caller = ApiExchanges.caller(authenticator, in);
        SubjectCode code = SubjectCode.parse(ApiExchanges.pathParam(in, "code"), keys, LocalDate.now(clock));
        JsonNode body;
        try {
            byte[] raw = in.getBody(byte[].class);
            body = raw == null || raw.length == 0 ? RecordJson.mapper().createObjectNode() : RecordJson.mapper().readTree(raw);
        } catch (IOException e) {
            throw new HttpProblem(400, "the body is not JSON: " + e.getMessage());
        }
        return new Request(caller, code.key(), ApiExchanges.pathParam(in, "recordId"), body);
    }

    private static void respond(Exchange exchange, Supplier<Receipt> decision) {
        try {
            ApiExchanges.respond(exchange, 200, decision.get());
        } catch (ListDecisions.Refused e) {
            int status = switch (e.kind()) {
                case UNKNOWN -> 404;
                case NOT_YOURS -> 403;
                case CONFLICT -> 409;
                case INVALID -> 400;
            };
            throw new HttpProblem(status, e.getMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
