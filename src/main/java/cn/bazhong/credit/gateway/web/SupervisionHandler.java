package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.measures.SupervisionReport;
import cn.bazhong.credit.gateway.security.Authenticator;
import cn.bazhong.credit.gateway.security.Caller;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/supervision/departments?from=<date>&to=<date>&format=json|csv}: the supervision
 * report per department for the period (default: the last 30 days), for operators (the leading group's
 * office). CSV comes as an attachment named after the period.
 */
public class SupervisionHandler {

    private final Authenticator authenticator;
    private final SupervisionReport report;
    private final Clock clock;

    public SupervisionHandler(Authenticator authenticator, SupervisionReport report, Clock clock) {
        this.authenticator = authenticator;
        this.report = report;
        this.clock = clock;
    }

    public void departments(Exchange exchange) {
        Message in = exchange.getIn();
        Caller caller = ApiExchanges.caller(authenticator, in);
        if (!caller.operator()) {
            throw new HttpProblem(403, "operators only");
        }
        LocalDate to = date(in.getHeader("to", String.class), LocalDate.now(clock).plusDays(1), "to");
        LocalDate from = date(in.getHeader("from", String.class), to.minusDays(30), "from");
        if (!from.isBefore(to)) {
            throw new HttpProblem(400, "from (" + from + ") must come before to (" + to + ")");
        }
        Instant start = from.atStartOfDay(clock.getZone()).toInstant();
        Instant end = to.atStartOfDay(clock.getZone()).toInstant();
        List<SupervisionReport.Line> lines = report.lines(start, end);
        if ("csv".equalsIgnoreCase(in.getHeader("format", String.class))) {
            Message out = exchange.getMessage();
            out.removeHeaders("*");
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            out.setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=utf-8");
            out.setHeader("Content-Disposition", "attachment; filename=\"supervision-" + from + "-" + to + ".csv\"");
            out.setBody(report.csv(lines).getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        body.put("departments", lines);
        ApiExchanges.respond(exchange, 200, body);
    }

    private static LocalDate date(String raw, LocalDate fallback, String name) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(raw);
        } catch (DateTimeParseException e) {
            throw new HttpProblem(400, name + " '" + raw + "' is not a date (yyyy-MM-dd)");
        }
    }
}
