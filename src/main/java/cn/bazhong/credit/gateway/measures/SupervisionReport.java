package cn.bazhong.credit.gateway.measures;

import cn.bazhong.credit.gateway.csv.CsvCells;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The leading group's supervision report (督查) per department over a period: what it delivered
 * (receipts: records accepted and rejected, the rejection rate, when its last delivery came and
 * whether that was within its expected interval) and how it handled the joint measures addressed to it
 * (initiations, responses, feedback, overdue ones, stops confirmed after cancellations), and the checks
 * its counters made (应查必查: checks, hits, measures the answers named; {@link CheckLog}).
 */
public class SupervisionReport {

    /** One department's line. Rates are 0..1, or null when there was nothing to count. */
    public record Line(String department, long deliveries, long accepted, long rejected, Double rejectionRate, Instant lastDelivery,
                       Boolean deliveredOnTime, long initiations, long responded, Double responseRate, long feedbackComplete,
                       Double feedbackRate, long responseOverdue, long feedbackOverdue, long cancelled, long stopsConfirmed,
                       long checks, long checkHits, long measuresApplied, long published, long publishedLate,
                       Double publicationWorkingDays, long provinceAccepted, long provinceAcceptedLate, Double provinceWorkingDays) {

        /** A line without the working days to the province's acceptance. */
        public Line(String department, long deliveries, long accepted, long rejected, Double rejectionRate, Instant lastDelivery,
                    Boolean deliveredOnTime, long initiations, long responded, Double responseRate, long feedbackComplete,
                    Double feedbackRate, long responseOverdue, long feedbackOverdue, long cancelled, long stopsConfirmed,
                    long checks, long checkHits, long measuresApplied, long published, long publishedLate, Double publicationWorkingDays) {
            this(department, deliveries, accepted, rejected, rejectionRate, lastDelivery, deliveredOnTime, initiations, responded,
                    responseRate, feedbackComplete, feedbackRate, responseOverdue, feedbackOverdue, cancelled, stopsConfirmed, checks,
                    checkHits, measuresApplied, published, publishedLate, publicationWorkingDays, 0, 0, null);
        }

        /** A line without checks at the counter or 双公示 timeliness. */
        public Line(String department, long deliveries, long accepted, long rejected, Double rejectionRate, Instant lastDelivery,
                    Boolean deliveredOnTime, long initiations, long responded, Double responseRate, long feedbackComplete,
                    Double feedbackRate, long responseOverdue, long feedbackOverdue, long cancelled, long stopsConfirmed) {
            this(department, deliveries, accepted, rejected, rejectionRate, lastDelivery, deliveredOnTime, initiations, responded,
                    responseRate, feedbackComplete, feedbackRate, responseOverdue, feedbackOverdue, cancelled, stopsConfirmed, 0, 0, 0,
                    0, 0, null);
        }
    }

    static final List<String> CSV_COLUMNS = List.of("department", "deliveries", "accepted", "rejected", "rejectionRate", "lastDelivery",
            "deliveredOnTime", "initiations", "responded", "responseRate", "feedbackComplete", "feedbackRate", "responseOverdue",
            "feedbackOverdue", "cancelled", "stopsConfirmed", "checks", "checkHits", "measuresApplied", "published", "publishedLate",
            "publicationWorkingDays", "provinceAccepted", "provinceAcceptedLate", "provinceWorkingDays");

    private final ReceiptStore receipts;
    private final Initiations initiations;
    private final Map<String, Duration> expectedEvery;
    private final Clock clock;
    private final CheckLog checks;
    private final PublicationTimeliness timeliness;

    public SupervisionReport(ReceiptStore receipts, Initiations initiations, Map<String, Duration> expectedEvery, Clock clock) {
        this(receipts, initiations, expectedEvery, clock, null, null);
    }

    /**
     * @param expectedEvery per department, how often it must deliver (its feeds' agreed schedule)
     * @param checks        the checks made at the counters; null for none
     * @param timeliness    the working days from decision to receipt, and to the province's acceptance, of penalties and licences; null for none
     */
    public SupervisionReport(ReceiptStore receipts, Initiations initiations, Map<String, Duration> expectedEvery, Clock clock, CheckLog checks,
                             PublicationTimeliness timeliness) {
        this.checks = checks;
        this.timeliness = timeliness;
        this.receipts = receipts;
        this.initiations = initiations;
        this.expectedEvery = Map.copyOf(expectedEvery);
        this.clock = clock;
    }

    /** Deliveries received and initiations made in {@code [from, to)}; overdue judged today. */
    public List<Line> lines(Instant from, Instant to) {
        Map<String, long[]> delivered = new TreeMap<>();
        Map<String, Instant> last = new TreeMap<>();
        receipts.forEach(r -> {
            if (r.department() == null || r.receivedAt() == null || cn.bazhong.credit.gateway.lists.ListDecisions.MAPPING.equals(r.feed())) {
                return; // decisions taken through the gateway are not the department's deliveries
            }
            last.merge(r.department(), r.receivedAt(), (a, b) -> a.isAfter(b) ? a : b);
            if (!r.receivedAt().isBefore(from) && r.receivedAt().isBefore(to)) {
                long[] d = delivered.computeIfAbsent(r.department(), k -> new long[3]);
                d[0]++;
                d[1] += r.accepted();
                d[2] += r.rejectedTotal() + r.upstreamTotal();
            }
        });
        LocalDate today = LocalDate.now(clock);
        Map<String, long[]> measured = new TreeMap<>();
        for (Initiation i : initiations.list(null, false)) {
            if (i.initiatedAt().isBefore(from) || !i.initiatedAt().isBefore(to)) {
                continue;
            }
            long[] m = measured.computeIfAbsent(i.department(), k -> new long[7]);
            m[0]++;
            m[1] += i.response() != null ? 1 : 0;
            m[2] += i.feedbackComplete() ? 1 : 0;
            m[3] += i.responseOverdue(today) ? 1 : 0;
            m[4] += i.feedbackOverdue(today) ? 1 : 0;
            m[5] += i.cancelled() ? 1 : 0;
            m[6] += i.stopConfirmedAt() != null ? 1 : 0;
        }
        LocalDate firstDay = LocalDate.ofInstant(from, clock.getZone());
        LocalDate afterLastDay = LocalDate.ofInstant(to.minusNanos(1), clock.getZone()).plusDays(1);
        Map<String, CheckLog.Counts> checked = checks == null ? Map.of() : checks.totals(firstDay, afterLastDay);
        Map<String, PublicationTimeliness.Totals> published = timeliness == null ? Map.of() : timeliness.totals(firstDay, afterLastDay);
        Map<String, PublicationTimeliness.Totals> province = timeliness == null ? Map.of() : timeliness.provinceTotals(firstDay, afterLastDay);
        TreeMap<String, Boolean> departments = new TreeMap<>();
        province.keySet().forEach(d -> departments.put(d, true));
        published.keySet().forEach(d -> departments.put(d, true));
        checked.keySet().forEach(d -> departments.put(d, true));
        delivered.keySet().forEach(d -> departments.put(d, true));
        measured.keySet().forEach(d -> departments.put(d, true));
        expectedEvery.keySet().forEach(d -> departments.put(d, true));
        Instant now = Instant.now(clock);
        List<Line> out = new ArrayList<>();
        for (String dept : departments.keySet()) {
            long[] d = delivered.getOrDefault(dept, new long[3]);
            long[] m = measured.getOrDefault(dept, new long[7]);
            Duration every = expectedEvery.get(dept);
            Instant lastAt = last.get(dept);
            Boolean onTime = every == null ? null : lastAt != null && !lastAt.plus(every).isBefore(now);
            CheckLog.Counts c = checked.get(dept);
            PublicationTimeliness.Totals p = published.get(dept);
            PublicationTimeliness.Totals a = province.get(dept);
            out.add(new Line(dept, d[0], d[1], d[2], rate(d[2], d[1] + d[2]), lastAt, onTime, m[0], m[1], rate(m[1], m[0]), m[2],
                    rate(m[2], m[0] - m[5]), m[3], m[4], m[5], m[6], c == null ? 0 : c.checks(), c == null ? 0 : c.hits(),
                    c == null ? 0 : c.measures(), p == null ? 0 : p.records(), p == null ? 0 : p.late(),
                    p == null ? null : p.averageWorkingDays(), a == null ? 0 : a.records(), a == null ? 0 : a.late(),
                    a == null ? null : a.averageWorkingDays()));
        }
        return out;
    }

    /**
     * The same figures per region (行政区划代码): each department's line counted under its unit's
     * region, so that a county's units (and the city's) are seen together.
     */
    public record RegionLine(String region, List<String> departments, long deliveries, long accepted, long rejected, long initiations,
                             long responded, long feedbackComplete, long responseOverdue, long feedbackOverdue, long cancelled,
                             long stopsConfirmed, long checks, long checkHits, long measuresApplied, long published, long publishedLate,
                             long provinceAccepted, long provinceAcceptedLate) {
    }

    public static List<RegionLine> byRegion(List<Line> lines, java.util.function.Function<String, String> regionOf) {
        Map<String, List<Line>> grouped = new TreeMap<>();
        lines.forEach(l -> grouped.computeIfAbsent(regionOf.apply(l.department()), r -> new ArrayList<>()).add(l));
        List<RegionLine> out = new ArrayList<>();
        grouped.forEach((region, ls) -> out.add(new RegionLine(region, ls.stream().map(Line::department).toList(),
                sum(ls, Line::deliveries), sum(ls, Line::accepted), sum(ls, Line::rejected), sum(ls, Line::initiations),
                sum(ls, Line::responded), sum(ls, Line::feedbackComplete), sum(ls, Line::responseOverdue), sum(ls, Line::feedbackOverdue),
                sum(ls, Line::cancelled), sum(ls, Line::stopsConfirmed), sum(ls, Line::checks), sum(ls, Line::checkHits),
                sum(ls, Line::measuresApplied), sum(ls, Line::published), sum(ls, Line::publishedLate),
                sum(ls, Line::provinceAccepted), sum(ls, Line::provinceAcceptedLate))));
        return out;
    }

    private static long sum(List<Line> lines, java.util.function.ToLongFunction<Line> f) {
        return lines.stream().mapToLong(f).sum();
    }

    /**
     * The same lines as CSV (UTF-8, header first, RFC 4180 quoting where needed, text cells that
     * start like a formula neutralised with a leading apostrophe: {@link CsvCells}).
     */
    public String csv(List<Line> lines) {
        StringBuilder s = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
        for (Line l : lines) {
            Object[] v = {l.department(), l.deliveries(), l.accepted(), l.rejected(), l.rejectionRate(), l.lastDelivery(), l.deliveredOnTime(),
                    l.initiations(), l.responded(), l.responseRate(), l.feedbackComplete(), l.feedbackRate(), l.responseOverdue(),
                    l.feedbackOverdue(), l.cancelled(), l.stopsConfirmed(), l.checks(), l.checkHits(), l.measuresApplied(), l.published(), l.publishedLate(),
                    l.publicationWorkingDays(), l.provinceAccepted(), l.provinceAcceptedLate(), l.provinceWorkingDays()};
            for (int i = 0; i < v.length; i++) {
                if (i > 0) {
                    s.append(',');
                }
                s.append(cell(v[i]));
            }
            s.append("\r\n");
        }
        return s.toString();
    }

    /**
     * One cell: numbers, booleans and instants the report computes are written as they are (a rate
     * with four decimals); text (the department code, which comes from configuration and receipts)
     * goes through {@link CsvCells#text}, so that a value starting with {@code =}, {@code +},
     * {@code -} or {@code @} is never taken for a spreadsheet formula.
     */
    static String cell(Object v) {
        if (v instanceof Double d) {
            return String.format(java.util.Locale.ROOT, "%.4f", d);
        }
        return CsvCells.value(v);
    }

    private static Double rate(long part, long whole) {
        return whole <= 0 ? null : (double) part / whole;
    }
}
