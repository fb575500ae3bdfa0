package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.fanout.FanoutOperations;
import cn.bazhong.credit.gateway.lists.ExpirySweep;
import cn.bazhong.credit.gateway.security.Authenticator;
import cn.bazhong.credit.gateway.security.Caller;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.beans.factory.ObjectProvider;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Operators' API over the department fan-out ({@code /api/v1/fanout/...}) and the list expiry sweep.
 * Operator credentials only; answers 503 on a node that runs without fan-out.
 */
public class FanoutAdminHandler {

    private final Authenticator authenticator;
    private final ObjectProvider<FanoutOperations> fanout;
    private final ExpirySweep expirySweep;
    private final ZoneId zone;

    public FanoutAdminHandler(Authenticator authenticator, ObjectProvider<FanoutOperations> fanout, ExpirySweep expirySweep, ZoneId zone) {
        this.authenticator = authenticator;
        this.fanout = fanout;
        this.expirySweep = expirySweep;
        this.zone = zone;
    }

    public void departments(Exchange exchange) {
        FanoutOperations ops = operations(exchange.getIn());
        ApiExchanges.respond(exchange, 200, Map.of("departments", ops.departments()));
    }

    public void enable(Exchange exchange) {
        FanoutOperations ops = operations(exchange.getIn());
        String dept = department(exchange.getIn());
        boolean was = known(() -> ops.enable(dept));
        ApiExchanges.respond(exchange, 200, Map.of("department", dept, "status", was ? "enabled again: delivery resumes" : "was not disabled"));
    }

    public void deadLetters(Exchange exchange) {
        FanoutOperations ops = operations(exchange.getIn());
        String dept = department(exchange.getIn());
        ApiExchanges.respond(exchange, 200, Map.of("department", dept, "deadLetters", known(() -> ops.deadLetters(dept))));
    }

    public void replayDeadLetters(Exchange exchange) {
        FanoutOperations ops = operations(exchange.getIn());
        String dept = department(exchange.getIn());
        String eventId = exchange.getIn().getHeader("eventId", String.class);
        int n = known(() -> ops.replayDeadLetters(dept, eventId));
        if (eventId != null && n == 0) {
            throw new HttpProblem(404, "no dead letter of " + dept + " has event id " + eventId);
        }
        ApiExchanges.respond(exchange, 202, Map.of("department", dept, "replayed", n));
    }

    /** {@code POST .../{dept}/replay?from=2026-11-01T00:00:00Z} (or a date, meaning its start in the gateway's zone). */
    public void replaySince(Exchange exchange) {
        FanoutOperations ops = operations(exchange.getIn());
        String dept = department(exchange.getIn());
        String from = exchange.getIn().getHeader("from", String.class);
        if (from == null || from.isBlank()) {
            throw new HttpProblem(400, "say from when: ?from=2026-11-01T00:00:00Z or ?from=2026-11-01");
        }
        Instant since;
        try {
            since = from.length() == 10 ? LocalDate.parse(from).atStartOfDay(zone).toInstant() : Instant.parse(from);
        } catch (DateTimeParseException e) {
            throw new HttpProblem(400, "from '" + from + "' is neither an ISO instant nor a date");
        }
        int n = known(() -> ops.replaySince(dept, since));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("department", dept);
        body.put("from", since);
        body.put("replayed", n);
        ApiExchanges.respond(exchange, 202, body);
    }

    public void deliveries(Exchange exchange) {
        FanoutOperations ops = operations(exchange.getIn());
        String eventId = ApiExchanges.pathParam(exchange.getIn(), "eventId");
        ApiExchanges.respond(exchange, 200, Map.of("eventId", eventId, "departments", ops.deliveries(eventId)));
    }

    public void sweepExpired(Exchange exchange) {
        operator(exchange.getIn());
        ApiExchanges.respond(exchange, 200, Map.of("exited", expirySweep.sweep()));
    }

    private FanoutOperations operations(Message in) {
        operator(in);
        FanoutOperations ops = fanout.getIfAvailable();
        if (ops == null) {
            throw new HttpProblem(503, "the fan-out is off on this node (gateway.fanout.enabled=false)");
        }
        return ops;
    }

    private void operator(Message in) {
        Caller caller = ApiExchanges.caller(authenticator, in);
        if (!caller.operator()) {
            throw new HttpProblem(403, "operators only");
        }
    }

    private static String department(Message in) {
        return ApiExchanges.pathParam(in, "dept").toUpperCase(java.util.Locale.ROOT);
    }

    private static <T> T known(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (NoSuchElementException e) {
            throw new HttpProblem(404, e.getMessage());
        }
    }
}
