package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.audit.AccessEntry;
import cn.bazhong.credit.gateway.audit.AccessLogQuery;
import cn.bazhong.credit.gateway.csv.CsvCells;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code GET /api/v1/audit?from=&to=&subject=&caller=&limit=&format=json|csv}: the access log for
 * admins. {@code from} and {@code to} are days (in the gateway's time zone; {@code to} is the first day
 * not included) or instants ({@code 2026-12-05T09:00:00Z}); by default the last 7 days. {@code subject} is a
 * credit code or an ID number, matched by its key (the keyed hash for a person), so the clear number is
 * never compared with anything stored. {@code caller} is a department's code or an operator's name. At
 * most {@code limit} entries (1,000 by default, 10,000 at most), the earliest of the period; {@code capped}
 * and {@code matched} say when there were more. The query itself is an entry of the log.
 */
@RestController
public class AuditController {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;

    private final AccessLogQuery query;
    private final AccessLogInterceptor subjects;
    private final Clock clock;

    public AuditController(AccessLogQuery query, AccessLogInterceptor subjects, Clock clock) {
        this.query = query;
        this.subjects = subjects;
        this.clock = clock;
    }

    @GetMapping("/api/v1/audit")
    public ResponseEntity<byte[]> audit(@RequestParam(name = "from", required = false) String fromParam,
                                        @RequestParam(name = "to", required = false) String toParam,
                                        @RequestParam(name = "subject", required = false) String subjectParam,
                                        @RequestParam(name = "caller", required = false) String callerParam,
                                        @RequestParam(name = "limit", required = false) String limitParam,
                                        @RequestParam(name = "format", required = false) String format) {
        Instant to = instant(toParam, "to", Instant.now(clock));
        Instant from = instant(fromParam, "from", to.minus(Duration.ofDays(7)));
        if (!from.isBefore(to)) {
            throw new HttpProblem(400, "bad-parameter", "from (" + from + ") must come before to (" + to + ")").with("field", "from");
        }
        int limit = limit(limitParam);
        Predicate<AccessEntry> filter = e -> true;
        if (subjectParam != null && !subjectParam.isBlank()) {
            AccessLogInterceptor.Subject subject = subjects.subject(subjectParam);
            if (subject == null) {
                throw new HttpProblem(400, "bad-parameter", "subject must be a unified social credit code or an ID number")
                        .with("field", "subject");
            }
            filter = filter.and(e -> subject.key().equals(e.subjectKey()));
        }
        if (callerParam != null && !callerParam.isBlank()) {
            String caller = callerParam.strip();
            filter = filter.and(e -> caller.equalsIgnoreCase(e.caller()));
        }
        AccessLogQuery.Result result = query.find(from, to, filter, limit);
        if ("csv".equalsIgnoreCase(format)) {
            return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"access-log.csv\"")
                    .header("X-Audit-Matched", String.valueOf(result.matched()))
                    .header("X-Audit-Capped", String.valueOf(result.capped()))
                    .body(csv(result.entries()).getBytes(StandardCharsets.UTF_8));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        body.put("limit", limit);
        body.put("matched", result.matched());
        body.put("capped", result.capped());
        body.put("entries", result.entries());
        return Answers.ok(body);
    }

    static final String CSV_HEADER = "at,node,caller_kind,caller,action,endpoint,purpose,subject,subject_key,record_id,target,status";

    static String csv(List<AccessEntry> entries) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append("\r\n");
        for (AccessEntry e : entries) {
            out.append(CsvCells.value(e.at())).append(',')
                    .append(CsvCells.text(e.node())).append(',')
                    .append(CsvCells.text(e.callerKind())).append(',')
                    .append(CsvCells.text(e.caller())).append(',')
                    .append(CsvCells.text(e.action())).append(',')
                    .append(CsvCells.text(e.endpoint())).append(',')
                    .append(CsvCells.text(e.purpose())).append(',')
                    .append(CsvCells.text(e.subject())).append(',')
                    .append(CsvCells.text(e.subjectKey())).append(',')
                    .append(CsvCells.text(e.recordId())).append(',')
                    .append(CsvCells.text(e.target())).append(',')
                    .append(CsvCells.value(e.status())).append("\r\n");
        }
        return out.toString();
    }

    private Instant instant(String raw, String field, Instant otherwise) {
        if (raw == null || raw.isBlank()) {
            return otherwise;
        }
        try {
            return raw.contains("T") ? Instant.parse(raw.strip()) : LocalDate.parse(raw.strip()).atStartOfDay(clock.getZone()).toInstant();
        } catch (DateTimeParseException e) {
            throw new HttpProblem(400, "bad-parameter", field + " must be a day (2026-12-05) or an instant (2026-12-05T09:00:00Z)")
                    .with("field", field);
        }
    }

    private static int limit(String raw) {
        return (int) WholeNumberParameter.of(raw, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    }
}
