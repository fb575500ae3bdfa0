package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.audit.AccessEntry;
import cn.bazhong.credit.gateway.audit.AccessLogQuery;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * 审计: the access log of one day for admins ({@link AccessLogQuery}, as {@code GET /api/v1/audit}), the
 * console's own entries or all of them, newest first, at most 500.
 */
@Controller
public class AuditPageController {

    static final int LIMIT = 500;

    private final AccessLogQuery query;
    private final Clock clock;

    public AuditPageController(AccessLogQuery query, Clock clock) {
        this.query = query;
        this.clock = clock;
    }

    @GetMapping("/console/audit")
    public String audit(@RequestParam(name = "day", required = false) String day,
                        @RequestParam(name = "all", defaultValue = "false") boolean all, Model model) {
        LocalDate d = day(day);
        Instant from = d.atStartOfDay(clock.getZone()).toInstant();
        Instant to = d.plusDays(1).atStartOfDay(clock.getZone()).toInstant();
        Predicate<AccessEntry> filter = all ? e -> true : e -> e.endpoint() != null && e.endpoint().startsWith(ConsoleAudit.PREFIX);
        AccessLogQuery.Result result = query.find(from, to, filter, LIMIT);
        List<AccessEntry> entries = new ArrayList<>(result.entries());
        Collections.reverse(entries);
        model.addAttribute("day", d);
        model.addAttribute("all", all);
        model.addAttribute("entries", entries);
        model.addAttribute("matched", result.matched());
        model.addAttribute("capped", result.capped());
        return "console/audit";
    }

    private LocalDate day(String raw) {
        try {
            return raw == null || raw.isBlank() ? LocalDate.now(clock) : LocalDate.parse(raw.strip());
        } catch (DateTimeParseException e) {
            return LocalDate.now(clock);
        }
    }
}
