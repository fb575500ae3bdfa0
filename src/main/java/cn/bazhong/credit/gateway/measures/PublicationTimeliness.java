package cn.bazhong.credit.gateway.measures;

import cn.bazhong.credit.gateway.schema.CreditRecord;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.Serial;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;

/**
 * 双公示 timeliness: for every administrative penalty and licence, the working days from its decision
 * date to the day the gateway received it from its department (the national rule: published within 7
 * working days of the decision, 发改办财金〔2018〕424号). The first receipt of a record counts (a
 * corrected version sent later does not reset it: each record's delay is kept in Hazelcast for
 * {@value #RETENTION_DAYS} days, and the first time the cluster sees a record its delay is added to
 * per-day counters per department ({@value #COUNTERS}), which the supervision report sums. Both are
 * views: after a full restart the records are read again from the start of their topic and both are
 * rebuilt alike. Measured as {@code gateway_publication_working_days} and
 * {@code gateway_publication_late_total} per department. The same again from the decision to the day the
 * province accepted the record ({@link #acceptedByProvince}, told by the upstream sender).
 */
public class PublicationTimeliness {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PublicationTimeliness.class);

    public static final String MAP = "publication-timeliness";
    public static final int RETENTION_DAYS = 400;
    public static final String COUNTERS = "publication-counters";
    public static final String ACCEPTANCES = "publication-acceptances";
    public static final String ACCEPTANCE_COUNTERS = "publication-acceptance-counters";

    /** How long a record took; {@code late} when more than the limit. */
    public record Delay(String department, LocalDate decided, LocalDate received, int workingDays, boolean late) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** One department's records received in a period. */
    public record Totals(long records, long late, double averageWorkingDays, int maxWorkingDays) {
    }

    /** record id → working days of its first receipt (only whether there is one is read) */
    private final IMap<String, Object> delays;
    private final IMap<String, long[]> counters;
    /** record id → working days to its first acceptance (likewise) */
    private final IMap<String, Object> acceptances;
    private final IMap<String, long[]> acceptanceCounters;
    private final WorkingDays workingDays;
    private final int limit;
    private final ZoneId zone;
    private final MeterRegistry registry;
    private final java.util.function.Function<String, String> regionOf;

    public PublicationTimeliness(HazelcastInstance hazelcast, WorkingDays workingDays, int limit, ZoneId zone, MeterRegistry registry) {
        this(hazelcast, workingDays, limit, zone, registry, department -> null);
    }

    /** @param regionOf the 行政区划代码 of a department's unit, a tag of the metrics to the province's acceptance (null: none) */
    public PublicationTimeliness(HazelcastInstance hazelcast, WorkingDays workingDays, int limit, ZoneId zone, MeterRegistry registry,
                                 java.util.function.Function<String, String> regionOf) {
        this.regionOf = regionOf;
        this.delays = hazelcast.getMap(MAP);
        this.counters = hazelcast.getMap(COUNTERS);
        this.acceptances = hazelcast.getMap(ACCEPTANCES);
        this.acceptanceCounters = hazelcast.getMap(ACCEPTANCE_COUNTERS);
        this.workingDays = workingDays;
        this.limit = limit;
        this.zone = zone;
        this.registry = registry;
    }

    public int limit() {
        return limit;
    }

    /**
     * Notes the penalties and licences the gateway accepted in one poll (anything else, or one without dates, is
     * ignored), as if one by one in their order, in a few calls to the cluster instead of two per record: the
     * first receipts are claimed with pipelined {@code putIfAbsent}s, and each day and department's counters get one
     * sum. Returns once the cluster has both, so a view stage marks the poll read only after it is counted.
     */
    public void accepted(java.util.List<CreditRecord> records) {
        Map<String, Delay> byRecord = new java.util.LinkedHashMap<>();
        for (CreditRecord record : records) {
            LocalDate decided = record.penalty() != null ? record.penalty().decisionDate()
                    : record.licence() != null ? record.licence().decisionDate() : null;
            if (decided == null || record.provenance() == null || record.provenance().receivedAt() == null
                    || record.provenance().department() == null || byRecord.containsKey(record.recordId())) {
                continue; // a record twice in one poll: the later one would find the earlier one's delay
            }
            String dept = record.provenance().department();
            LocalDate received = LocalDate.ofInstant(record.provenance().receivedAt(), zone);
            int days = workingDays.between(decided, received);
            byRecord.put(record.recordId(), new Delay(dept, decided, received, days, days > limit));
        }
        if (byRecord.isEmpty()) {
            return;
        }
        // true for the ids seen here first; false for a re-send, a correction, or a replay
        Map<String, Boolean> first = cn.bazhong.credit.gateway.infra.PipelinedCalls.each(byRecord.keySet(),
                id -> delays.submitToKey(id, new FirstSeen(byRecord.get(id).workingDays())));
        Map<String, long[]> sums = new TreeMap<>();
        Map<String, DistributionSummary> meters = new java.util.HashMap<>();
        Map<String, Counter> late = new java.util.HashMap<>();
        for (Map.Entry<String, Delay> e : byRecord.entrySet()) {
            if (!Boolean.TRUE.equals(first.get(e.getKey()))) {
                continue;
            }
            Delay d = e.getValue();
            long[] c = sums.computeIfAbsent(d.received() + "|" + d.department(), k -> new long[4]);
            c[0]++;
            c[1] += d.late() ? 1 : 0;
            c[2] += d.workingDays();
            c[3] = Math.max(c[3], d.workingDays());
            if (registry != null) {
                meters.computeIfAbsent(d.department(), this::receivedDays).record(d.workingDays());
                if (d.late()) {
                    late.computeIfAbsent(d.department(), this::receivedLate).increment();
                }
            }
        }
        cn.bazhong.credit.gateway.infra.PipelinedCalls.each(sums.keySet(),
                key -> counters.submitToKey(key, new AddAll(sums.get(key)))); // awaited with join, no dependent stage
    }

    private DistributionSummary receivedDays(String department) {
        return DistributionSummary.builder("gateway.publication.working.days")
                .description("working days from a penalty's or licence's decision to its receipt by the gateway")
                .tag("department", String.valueOf(department)).register(registry);
    }

    private Counter receivedLate(String department) {
        return Counter.builder("gateway.publication.late")
                .description("penalties and licences received more than the limit of working days after their decision")
                .tag("department", String.valueOf(department)).register(registry);
    }

    /** A record the province accepted, as the sender knows it (null fields: not a penalty or licence, nothing counted). */
    public record Acceptance(String recordId, String kind, String department, LocalDate decided) {
    }

    /**
     * Notes that the province accepted penalties and licences of one batch (others, or those without a record id or
     * decision date, are ignored): the working days from each decision to that day. The first acceptance of a record
     * counts; a batch sent again after a crash, or a corrected version, does not count twice. Measured as
     * {@code gateway_publication_province_working_days} and {@code gateway_publication_province_late_total}, and added
     * to the report's counters once per day and department of the batch, not once per record.
     */
    public void acceptedByProvince(java.util.List<Acceptance> accepted, java.time.Instant acceptedAt) {
        LocalDate day = LocalDate.ofInstant(acceptedAt, zone);
        java.util.List<Delay> delays = new java.util.ArrayList<>(accepted.size());
        java.util.List<java.util.concurrent.CompletableFuture<Boolean>> firsts = new java.util.ArrayList<>(accepted.size());
        for (Acceptance a : accepted) {
            if (a.recordId() == null || a.decided() == null || a.department() == null
                    || !("ADMIN_PENALTY".equals(a.kind()) || "ADMIN_LICENSE".equals(a.kind()))) {
                continue;
            }
            int days = workingDays.between(a.decided(), day);
            Delay delay = new Delay(a.department(), a.decided(), day, days, days > limit);
            delays.add(delay);
            // asynchronous: the sender does not wait for the cluster between the province's answer and its next batch
            firsts.add(acceptances.submitToKey(a.recordId(), new FirstSeen(delay.workingDays())).toCompletableFuture());
        }
        if (firsts.isEmpty()) {
            return;
        }
        // summed off the Hazelcast thread that completes the last answer: a partition thread may not call the cluster
        java.util.concurrent.CompletableFuture.allOf(firsts.toArray(java.util.concurrent.CompletableFuture[]::new)).thenRunAsync(() -> {
            Map<String, long[]> sums = new TreeMap<>();
            for (int i = 0; i < delays.size(); i++) {
                if (!Boolean.TRUE.equals(firsts.get(i).join())) {
                    continue; // a batch sent again, or a corrected version
                }
                Delay d = delays.get(i);
                if (registry != null) {
                    String region = String.valueOf(regionOf.apply(d.department())); // the county (or the city) of the department's unit
                    DistributionSummary.builder("gateway.publication.province.working.days")
                            .description("working days from a penalty's or licence's decision to its acceptance by the province")
                            .tag("department", d.department()).tag("region", region).register(registry).record(d.workingDays());
                    if (d.late()) {
                        Counter.builder("gateway.publication.province.late")
                                .description("penalties and licences accepted by the province more than the limit of working days after their decision")
                                .tag("department", d.department()).tag("region", region).register(registry).increment();
                    }
                }
                long[] c = sums.computeIfAbsent(day + "|" + d.department(), k -> new long[4]);
                c[0]++;
                c[1] += d.late() ? 1 : 0;
                c[2] += d.workingDays();
                c[3] = Math.max(c[3], d.workingDays());
            }
            // after the metrics, so that whoever sees the report's count sees the metrics too; no blocking call in a callback
            sums.forEach((key, c) -> acceptanceCounters.submitToKey(key, new AddAll(c)));
        }).exceptionally(e -> {
            LOG.warn("the province's acceptance of {} records was not counted: {}", firsts.size(), e.toString());
            return null;
        });
    }

    /** Per department, the records first received on the days from {@code from} (inclusive) to {@code to} (exclusive). */
    public Map<String, Totals> totals(LocalDate from, LocalDate to) {
        return totals(counters, from, to);
    }

    /** Per department, the records the province first accepted on the days from {@code from} (inclusive) to {@code to} (exclusive). */
    public Map<String, Totals> provinceTotals(LocalDate from, LocalDate to) {
        return totals(acceptanceCounters, from, to);
    }

    private static Map<String, Totals> totals(IMap<String, long[]> counters, LocalDate from, LocalDate to) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String k : counters.keySet()) {
            LocalDate day = LocalDate.parse(k.substring(0, k.indexOf('|')));
            if (!day.isBefore(from) && day.isBefore(to)) {
                keys.add(k);
            }
        }
        Map<String, long[]> sums = new TreeMap<>();
        counters.getAll(keys).forEach((k, c) -> {
            long[] s = sums.computeIfAbsent(k.substring(k.indexOf('|') + 1), d -> new long[4]);
            s[0] += c[0];
            s[1] += c[1];
            s[2] += c[2];
            s[3] = Math.max(s[3], c[3]);
        });
        Map<String, Totals> out = new TreeMap<>();
        sums.forEach((dept, s) -> out.put(dept, new Totals(s[0], s[1], (double) s[2] / s[0], (int) s[3])));
        return out;
    }

    /**
     * Keeps that a record was seen, received or accepted, with its working days (for {@value #RETENTION_DAYS} days); true
     * when this is the first time. The value is a plain Integer: Hazelcast stores it without Java serialization, which a
     * {@link Delay} per record cost on every first receipt and acceptance.
     */
    static final class FirstSeen implements com.hazelcast.map.EntryProcessor<String, Object, Boolean>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final int workingDays;

        FirstSeen(int workingDays) {
            this.workingDays = workingDays;
        }

        @Override
        public Boolean process(Map.Entry<String, Object> entry) {
            return keepFirst(entry, workingDays);
        }
    }

    /** Sets the entry's value for {@value #RETENTION_DAYS} days unless it has one; true when it had none. */
    private static <V> boolean keepFirst(Map.Entry<String, V> entry, V value) {
        if (entry.getValue() != null) {
            return false;
        }
        if (entry instanceof com.hazelcast.map.ExtendedMapEntry<String, V> e) {
            e.setValue(value, RETENTION_DAYS, java.util.concurrent.TimeUnit.DAYS);
        } else {
            entry.setValue(value);
        }
        return true;
    }

    /**
     * Keeps a record's first delay as a {@link Delay}. No longer sent ({@link FirstSeen} is); kept so that a member of the
     * previous version can still send it during a rolling restart (both only ask whether a value is there).
     */
    static final class FirstAcceptance implements com.hazelcast.map.EntryProcessor<String, Delay, Boolean>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final Delay delay;

        FirstAcceptance(Delay delay) {
            this.delay = delay;
        }

        @Override
        public Boolean process(Map.Entry<String, Delay> entry) {
            return keepFirst(entry, delay);
        }
    }

    /**
     * Adds one record to a day's counters: records, late ones, the sum and the maximum of their working days. No longer
     * sent (the counters get one {@link AddAll} per poll); kept so that a member of the previous version can still send it.
     */
    static final class Add implements com.hazelcast.map.EntryProcessor<String, long[], Void>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final int days;
        private final boolean late;

        Add(int days, boolean late) {
            this.days = days;
            this.late = late;
        }

        @Override
        public Void process(Map.Entry<String, long[]> entry) {
            long[] c = entry.getValue() == null ? new long[4] : entry.getValue();
            c[0]++;
            c[1] += late ? 1 : 0;
            c[2] += days;
            c[3] = Math.max(c[3], days);
            entry.setValue(c);
            return null;
        }
    }

    /** Adds the counts of several records at once: records, late, working days, the most working days. */
    static final class AddAll implements com.hazelcast.map.EntryProcessor<String, long[], Void>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final long[] counts;

        AddAll(long[] counts) {
            this.counts = counts.clone();
        }

        @Override
        public Void process(Map.Entry<String, long[]> entry) {
            long[] c = entry.getValue() == null ? new long[4] : entry.getValue();
            c[0] += counts[0];
            c[1] += counts[1];
            c[2] += counts[2];
            c[3] = Math.max(c[3], counts[3]);
            entry.setValue(c);
            return null;
        }
    }
}
