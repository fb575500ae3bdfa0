package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.measures.SupervisionReport;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * 联合奖惩: the supervision report per department ({@link SupervisionReport}, as
 * {@code GET /api/v1/supervision/departments}) for a period (the last 30 days by default), as a table with
 * a chart of response rates, and the same lines as CSV.
 */
@Controller
public class SupervisionPageController {

    private final SupervisionReport report;
    private final Clock clock;

    public SupervisionPageController(SupervisionReport report, Clock clock) {
        this.report = report;
        this.clock = clock;
    }

    record Period(LocalDate from, LocalDate to) {
    }

    @GetMapping("/console/supervision")
    public String page(@RequestParam(name = "from", required = false) String from, @RequestParam(name = "to", required = false) String to,
                       Model model) {
        Period p = period(from, to);
        List<SupervisionReport.Line> lines = lines(p);
        model.addAttribute("from", p.from());
        model.addAttribute("to", p.to());
        model.addAttribute("lines", lines);
        Map<String, Double> responses = new TreeMap<>();
        lines.forEach(l -> responses.put(l.department(), l.responseRate() == null ? 0.0 : l.responseRate() * 100));
        model.addAttribute("responseChart", Bars.of(responses, n -> String.format(Locale.ROOT, "%.1f %%", n.doubleValue())));
        return "console/supervision";
    }

    @GetMapping("/console/supervision.csv")
    public ResponseEntity<byte[]> csv(@RequestParam(name = "from", required = false) String from,
                                      @RequestParam(name = "to", required = false) String to) {
        Period p = period(from, to);
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"supervision-" + p.from() + "-" + p.to() + ".csv\"")
                .body(report.csv(lines(p)).getBytes(StandardCharsets.UTF_8));
    }

    private List<SupervisionReport.Line> lines(Period p) {
        return report.lines(p.from().atStartOfDay(clock.getZone()).toInstant(), p.to().atStartOfDay(clock.getZone()).toInstant());
    }

    /** The period asked for; a day that is not a date, or a period that ends before it starts, gives the default. */
    private Period period(String from, String to) {
        LocalDate end = date(to, LocalDate.now(clock).plusDays(1));
        LocalDate start = date(from, end.minusDays(30));
        return start.isBefore(end) ? new Period(start, end) : new Period(end.minusDays(30), end);
    }

    private static LocalDate date(String raw, LocalDate otherwise) {
        try {
            return raw == null || raw.isBlank() ? otherwise : LocalDate.parse(raw.strip());
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }
}
