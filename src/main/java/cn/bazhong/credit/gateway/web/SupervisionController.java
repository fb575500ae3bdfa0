package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.measures.SupervisionReport;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

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
@RestController
public class SupervisionController {

    private final SupervisionReport report;
    private final Clock clock;
    private final cn.bazhong.credit.gateway.catalog.ActiveCatalog catalogs;

    public SupervisionController(SupervisionReport report, Clock clock, cn.bazhong.credit.gateway.catalog.ActiveCatalog catalogs) {
        this.report = report;
        this.clock = clock;
        this.catalogs = catalogs;
    }

    @GetMapping("/api/v1/supervision/departments")
    public ResponseEntity<byte[]> departments(@RequestParam(name = "from", required = false) String fromParam,
                                              @RequestParam(name = "to", required = false) String toParam,
                                              @RequestParam(name = "format", required = false) String format) {
        LocalDate to = date(toParam, LocalDate.now(clock).plusDays(1), "to");
        LocalDate from = date(fromParam, to.minusDays(30), "from");
        if (!from.isBefore(to)) {
            throw new HttpProblem(400, "bad-parameter", "from (" + from + ") must come before to (" + to + ")").with("field", "from");
        }
        Instant start = from.atStartOfDay(clock.getZone()).toInstant();
        Instant end = to.atStartOfDay(clock.getZone()).toInstant();
        List<SupervisionReport.Line> lines = report.lines(start, end);
        if ("csv".equalsIgnoreCase(format)) {
            return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"supervision-" + from + "-" + to + ".csv\"")
                    .body(report.csv(lines).getBytes(StandardCharsets.UTF_8));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        body.put("departments", lines);
        // the same per 行政区划代码 of the departments' units: the city's, and each county's
        body.put("regions", SupervisionReport.byRegion(lines, catalogs.get()::regionOf));
        return Answers.ok(body);
    }

    private static LocalDate date(String raw, LocalDate fallback, String name) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(raw);
        } catch (DateTimeParseException e) {
            throw new HttpProblem(400, "bad-parameter", name + " '" + FeedsController.shorten(raw) + "' is not a date (yyyy-MM-dd)")
                    .with("field", name).with("rule", "date");
        }
    }
}
