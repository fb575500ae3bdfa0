package cn.bazhong.credit.gateway.ingest;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Running counts of the receipts held, per hour they were received in (UTC) and per department, feed and
 * whether any record was rejected: one entry per day in a Hazelcast map, {@code department␁feed␁0|1} → 24
 * hourly counts. Every receipt stored adds one to its hour (a receipt written again, with the province's
 * rejections, moves from its old kind to its new one), so a search's total is the sum of the hours it covers,
 * read from about one entry per day, the same on every member. The receipts expire (their retention) without
 * being taken off: an hour some of whose receipts may have gone is counted from the index instead
 * ({@link ReceiptStore#search}). Made again from the receipts themselves after they were rebuilt from the
 * receipts topic ({@link #recount}).
 */
public final class ReceiptCounts {

    public static final String MAP = "receipt-counts";
    static final long HOUR = 3_600_000L;
    private static final char SEPARATOR = '\u0001';

    private final IMap<Long, HashMap<String, long[]>> days;

    public ReceiptCounts(HazelcastInstance hazelcast) {
        this.days = hazelcast.getMap(MAP);
    }

    /** What a receipt counts as: its hour (epoch hour) and kind; null for a receipt no index finds. */
    record Counted(long hour, String kind) {
        static Counted of(String json) {
            if (json == null) {
                return null;
            }
            ReceiptAttributes.Head h = ReceiptAttributes.head(json, true);
            if (h.receivedAt() < 0 || h.department() == null) {
                return null;
            }
            return new Counted(Math.floorDiv(h.receivedAt(), HOUR), ReceiptCounts.kind(h.department(), h.feed(), h.troubled()));
        }
    }

    static String kind(String department, String feed, boolean troubled) {
        return department.toUpperCase(Locale.ROOT) + SEPARATOR + (feed == null ? "" : feed.toUpperCase(Locale.ROOT)) + SEPARATOR
                + (troubled ? "1" : "0");
    }

    /** Counts a receipt stored in place of {@code before} (null for a new one). */
    void stored(String before, String after) {
        Counted was = Counted.of(before);
        Counted is = Counted.of(after);
        if (was != null && was.equals(is)) {
            return;
        }
        if (was != null) {
            add(was, -1);
        }
        if (is != null) {
            add(is, 1);
        }
    }

    private void add(Counted c, int delta) {
        days.executeOnKey(Math.floorDiv(c.hour(), 24), new Add(c.kind(), (int) Math.floorMod(c.hour(), 24), delta));
    }

    /** The days' entries (epoch day → kind → hourly counts) of the hours {@code [fromHour, toHour)}. */
    Map<Long, HashMap<String, long[]>> days(long fromHour, long toHour) {
        Set<Long> keys = new java.util.HashSet<>();
        for (long d = Math.floorDiv(fromHour, 24); d <= Math.floorDiv(toHour - 1, 24); d++) {
            keys.add(d);
        }
        return keys.isEmpty() ? Map.of() : days.getAll(keys);
    }

    /**
     * The receipts of each hour of {@code [fromHour, toHour)} (index 0: {@code fromHour}) of the kinds a
     * search asks for, from the days read by {@link #days}.
     */
    static long[] hourly(Map<Long, HashMap<String, long[]>> days, long fromHour, long toHour, String department, String feed,
                         Boolean troubled) {
        long[] out = new long[(int) (toHour - fromHour)];
        String d = department == null ? null : department.toUpperCase(Locale.ROOT);
        String f = feed == null ? null : feed.toUpperCase(Locale.ROOT);
        for (Map.Entry<Long, HashMap<String, long[]>> day : days.entrySet()) {
            if (day.getValue() == null) {
                continue;
            }
            long first = day.getKey() * 24;
            for (Map.Entry<String, long[]> e : day.getValue().entrySet()) {
                String[] k = e.getKey().split(String.valueOf(SEPARATOR), -1);
                if ((d == null || d.equals(k[0])) && (f == null || f.equals(k[1])) && (troubled == null || troubled == "1".equals(k[2]))) {
                    for (int h = 0; h < 24; h++) {
                        long hour = first + h;
                        if (hour >= fromHour && hour < toHour) {
                            out[(int) (hour - fromHour)] += e.getValue()[h];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Counts every receipt held again (one pass, on the members), replacing the counts held. */
    void recount(IMap<String, String> receipts) {
        HashMap<Long, HashMap<String, long[]>> counted = receipts.aggregate(new Count());
        days.clear();
        days.putAll(counted);
    }

    boolean isEmpty() {
        return days.isEmpty();
    }

    /** Adds to one hour of one kind of a day; a day with nothing left goes. */
    static final class Add implements EntryProcessor<Long, HashMap<String, long[]>, Void>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String kind;
        private final int hourOfDay;
        private final int delta;

        Add(String kind, int hourOfDay, int delta) {
            this.kind = kind;
            this.hourOfDay = hourOfDay;
            this.delta = delta;
        }

        @Override
        public Void process(Map.Entry<Long, HashMap<String, long[]>> entry) {
            HashMap<String, long[]> day = entry.getValue() == null ? new HashMap<>() : entry.getValue();
            long[] hours = day.computeIfAbsent(kind, k -> new long[24]);
            hours[hourOfDay] = Math.max(0, hours[hourOfDay] + delta);
            if (allZero(hours)) {
                day.remove(kind);
            }
            entry.setValue(day.isEmpty() ? null : day);
            return null;
        }

        private static boolean allZero(long[] hours) {
            for (long h : hours) {
                if (h != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Per day, kind and hour: how many receipts. */
    static final class Count implements Aggregator<Map.Entry<String, String>, HashMap<Long, HashMap<String, long[]>>> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final HashMap<Long, HashMap<String, long[]>> counted = new HashMap<>();

        @Override
        public void accumulate(Map.Entry<String, String> entry) {
            Counted c = Counted.of(entry.getValue());
            if (c != null) {
                counted.computeIfAbsent(Math.floorDiv(c.hour(), 24), d -> new HashMap<>())
                        .computeIfAbsent(c.kind(), k -> new long[24])[(int) Math.floorMod(c.hour(), 24)]++;
            }
        }

        @Override
        public void combine(Aggregator aggregator) {
            ((Count) aggregator).counted.forEach((day, kinds) -> kinds.forEach((kind, hours) -> {
                long[] mine = counted.computeIfAbsent(day, d -> new HashMap<>()).computeIfAbsent(kind, k -> new long[24]);
                for (int h = 0; h < 24; h++) {
                    mine[h] += hours[h];
                }
            }));
        }

        @Override
        public HashMap<Long, HashMap<String, long[]>> aggregate() {
            return counted;
        }
    }
}
