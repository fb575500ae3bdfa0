package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.fanout.FanoutOperations;
import cn.bazhong.credit.gateway.measures.SupervisionReport;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * 总览: per department the records by outcome since this node started ({@code gateway.records}, the
 * counters /actuator/prometheus shows), the deliveries of today and the last 7 and 30 days from the
 * receipts (the supervision report's figures), the province's circuit, and the fan-out per department.
 */
@Controller
public class OverviewController {

    static final List<String> OUTCOMES = List.of("received", "accepted", "rejected", "duplicate", "delivered", "rejected_upstream",
            "dead_lettered");

    private final MeterRegistry registry;
    private final SupervisionReport report;
    private final CircuitBreaker upstreamCircuit;
    private final ObjectProvider<FanoutOperations> fanout;
    private final Clock clock;

    public OverviewController(MeterRegistry registry, SupervisionReport report, CircuitBreaker upstreamCircuitBreaker,
                              ObjectProvider<FanoutOperations> fanout, Clock clock) {
        this.registry = registry;
        this.report = report;
        this.upstreamCircuit = upstreamCircuitBreaker;
        this.fanout = fanout;
        this.clock = clock;
    }

    @GetMapping({"/console", "/console/"})
    public String overview(Model model) {
        Map<String, Map<String, Long>> counts = counts();
        model.addAttribute("outcomes", OUTCOMES);
        model.addAttribute("counts", counts);
        Map<String, Long> received = new TreeMap<>();
        counts.forEach((dept, c) -> received.put(dept, c.getOrDefault("received", 0L)));
        model.addAttribute("receivedChart", Bars.of(received, n -> String.valueOf(n.longValue())));

        LocalDate today = LocalDate.now(clock);
        Instant end = today.plusDays(1).atStartOfDay(clock.getZone()).toInstant();
        Map<String, List<SupervisionReport.Line>> periods = new LinkedHashMap<>();
        periods.put("today", report.lines(today.atStartOfDay(clock.getZone()).toInstant(), end));
        periods.put("7d", report.lines(today.minusDays(6).atStartOfDay(clock.getZone()).toInstant(), end));
        List<SupervisionReport.Line> month = report.lines(today.minusDays(29).atStartOfDay(clock.getZone()).toInstant(), end);
        periods.put("30d", month);
        model.addAttribute("periods", periods);
        Map<String, Map<String, SupervisionReport.Line>> byDepartment = new TreeMap<>();
        periods.forEach((period, lines) -> lines.forEach(l -> byDepartment.computeIfAbsent(l.department(), k -> new LinkedHashMap<>())
                .put(period, l)));
        model.addAttribute("byDepartment", byDepartment);
        Map<String, Double> rejection = new TreeMap<>();
        month.forEach(l -> rejection.put(l.department(), l.rejectionRate() == null ? 0.0 : l.rejectionRate() * 100));
        model.addAttribute("rejectionChart", Bars.of(rejection, n -> String.format(Locale.ROOT, "%.1f %%", n.doubleValue())));

        model.addAttribute("circuit", upstreamCircuit.getState().name());
        model.addAttribute("failureRate", upstreamCircuit.getMetrics().getFailureRate());
        FanoutOperations ops = fanout.getIfAvailable();
        model.addAttribute("fanoutOn", ops != null);
        model.addAttribute("fanout", ops == null ? List.of() : ops.departments());
        return "console/overview";
    }

    /** department → outcome → count, from the {@code gateway.records} counters of this node. */
    private Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (Counter c : registry.find("gateway.records").counters()) {
            String dept = c.getId().getTag("department");
            String outcome = c.getId().getTag("outcome");
            if (dept == null || outcome == null) {
                continue;
            }
            String column = outcome.equals("duplicate_late") ? "duplicate" : outcome;
            out.computeIfAbsent(dept, k -> new LinkedHashMap<>()).merge(column, (long) c.count(), Long::sum);
        }
        return out;
    }
}
