package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.cluster.KafkaLeaseClusterService;
import cn.bazhong.credit.gateway.cluster.LeaseHolders;
import cn.bazhong.credit.gateway.fanout.FanoutOperations;
import cn.bazhong.credit.gateway.feeds.FeedPollers;
import cn.bazhong.credit.gateway.ops.ConsumerGroupTopic;
import cn.bazhong.credit.gateway.ops.ConsumerLagGauges;
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
 * receipts (the supervision report's figures), the province's circuit, the fan-out per department, the
 * consumer lag of every monitored group (the last reading of {@link ConsumerLagGauges}, as
 * {@code gateway_consumer_lag}) and the poller leases: for every polled feed the node holding its lease
 * ({@link LeaseHolders}, and this node's own {@link KafkaLeaseClusterService#leadership()}), its schedule
 * and, where this node polls it, the next poll ({@link FeedPollers}).
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
    private final ConsumerLagGauges lag;
    private final KafkaLeaseClusterService leases;
    private final LeaseHolders holders;
    private final FeedPollers pollers;

    /** A monitored consumer group's lag; null when it could not be read. */
    public record Lag(String group, String topic, Long lag) {
    }

    /** A polled feed: its lease partition, the node holding the lease, whether that is this node, its schedule and next poll here. */
    public record Lease(String feed, int partition, String holder, boolean here, String schedule, String routeStatus, Instant nextPoll) {
    }

    public OverviewController(MeterRegistry registry, SupervisionReport report, CircuitBreaker upstreamCircuitBreaker,
                              ObjectProvider<FanoutOperations> fanout, Clock clock, ConsumerLagGauges lag, KafkaLeaseClusterService leases,
                              LeaseHolders holders, FeedPollers pollers) {
        this.lag = lag;
        this.leases = leases;
        this.holders = holders;
        this.pollers = pollers;
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

        List<Lag> lags = lags();
        model.addAttribute("lags", lags);
        Map<String, Long> known = new LinkedHashMap<>();
        lags.stream().filter(l -> l.lag() != null).forEach(l -> known.put(l.group(), l.lag()));
        model.addAttribute("lagChart", Bars.of(known, n -> String.valueOf(n.longValue())));
        model.addAttribute("node", leases.nodeId());
        model.addAttribute("leases", leases());
        return "console/overview";
    }

    private List<Lag> lags() {
        return lag.monitored().stream()
                .sorted(java.util.Comparator.comparing(ConsumerGroupTopic::group).thenComparing(ConsumerGroupTopic::topic))
                .map(g -> {
                    double v = lag.value(g);
                    return new Lag(g.group(), g.topic(), Double.isNaN(v) ? null : (long) v);
                }).toList();
    }

    private List<Lease> leases() {
        Map<String, Boolean> here = leases.leadership();
        Map<String, FeedPollers.Poller> polled = new TreeMap<>();
        pollers.list(Instant.now()).forEach(p -> polled.merge(p.feed(), p, (a, b) -> a.nextPoll() != null ? a : b));
        java.util.Set<String> feeds = new java.util.TreeSet<>(here.keySet());
        feeds.addAll(polled.keySet());
        Map<Integer, String> holding = feeds.isEmpty() ? Map.of() : holders.read();
        List<Lease> out = new java.util.ArrayList<>();
        for (String feed : feeds) {
            int partition = leases.partitionOf(feed);
            boolean mine = Boolean.TRUE.equals(here.get(feed));
            String holder = mine ? leases.nodeId() : holding.get(partition);
            FeedPollers.Poller p = polled.get(feed);
            out.add(new Lease(feed, partition, holder, mine, p == null ? null : p.schedule(), p == null ? null : p.routeStatus(),
                    p == null ? null : p.nextPoll()));
        }
        return out;
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
