package cn.bazhong.credit.gateway.lists;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Subject key → its list entries, in a Hazelcast map read through a near cache (the check API's
 * hot path stays in local memory). Rebuilt from the list-state topic after a full restart.
 */
public class ListView {

    public static final String MAP = "list-entries";

    private final IMap<String, HashMap<String, EntryState>> entries;

    public ListView(HazelcastInstance hazelcast) {
        this.entries = hazelcast.getMap(MAP);
    }

    public List<EntryState> entriesOf(String subjectKey) {
        HashMap<String, EntryState> e = entries.get(subjectKey);
        return e == null ? List.of() : List.copyOf(e.values());
    }

    /** The state of one entry of a subject, or null. */
    public EntryState entry(String subjectKey, String recordId) {
        HashMap<String, EntryState> e = entries.get(subjectKey);
        return e == null ? null : e.get(recordId);
    }

    /**
     * The entries of the subjects this member owns that have expired by {@code day}: each member sweeps
     * its own share of the view, so that together the members cover it once. The {@link NextExpiry}
     * index names the candidate subjects, and the test runs where the data lives (a read-only entry
     * processor), so the sweep costs what expires, not the size of the view, and leaves the near cache
     * to the check API.
     */
    public void forEachExpiredLocal(java.time.LocalDate day, java.util.function.BiConsumer<String, EntryState> each) {
        List<String> keys = new java.util.ArrayList<>(entries.localKeySet(
                com.hazelcast.query.Predicates.lessThan(NextExpiry.ATTRIBUTE, day.toEpochDay())));
        for (int from = 0; from < keys.size(); from += 1000) {
            java.util.Set<String> chunk = new java.util.HashSet<>(keys.subList(from, Math.min(keys.size(), from + 1000)));
            entries.executeOnKeys(chunk, new ExpiredOn(day)).forEach((subjectKey, expired) -> {
                if (expired != null) {
                    expired.forEach(s -> each.accept(subjectKey, s));
                }
            });
        }
    }

    /** Answers a subject's entries past their validity on a day (null when none); changes nothing. */
    static final class ExpiredOn implements EntryProcessor<String, HashMap<String, EntryState>, java.util.ArrayList<EntryState>>,
            com.hazelcast.core.ReadOnly, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final java.time.LocalDate day;

        ExpiredOn(java.time.LocalDate day) {
            this.day = day;
        }

        @Override
        public java.util.ArrayList<EntryState> process(Map.Entry<String, HashMap<String, EntryState>> entry) {
            if (entry.getValue() == null) {
                return null;
            }
            java.util.ArrayList<EntryState> out = new java.util.ArrayList<>();
            for (EntryState s : entry.getValue().values()) {
                if (s.expiredOn(day)) {
                    out.add(s);
                }
            }
            return out.isEmpty() ? null : out;
        }

        @Override
        public EntryProcessor<String, HashMap<String, EntryState>, java.util.ArrayList<EntryState>> getBackupProcessor() {
            return null;
        }
    }

    /**
     * One page of the subjects holding entries of a list type: each subject's key and those entries; whether
     * subjects come before and after the page; and how many subjects in all.
     */
    public record TypePage(List<Map.Entry<String, List<EntryState>>> subjects, boolean hasPrevious, boolean hasNext, long total) {
    }

    /**
     * The subjects with entries of a list type (of one status, or any when null), in the order of their
     * keys: the first {@code limit} after the key {@code after} (from the first when null), or when
     * {@code before} is given the last {@code limit} before it; with their entries of that type. The
     * {@link ListTypes} index names the subjects and the sorted index on the keys gives them in order, a
     * window at a time ({@link KeyWindows}), so a page costs what it shows, however deep it is; only the
     * page's subjects are then read.
     */
    public TypePage ofListType(String listType, cn.bazhong.credit.gateway.schema.ListStatus status, String after, String before, int limit) {
        com.hazelcast.query.Predicate<String, HashMap<String, EntryState>> holding =
                com.hazelcast.query.Predicates.equal(ListTypes.ATTRIBUTE, ListTypes.token(listType, status));
        List<String> keys = after == null && before == null ? first(holding, ListTypes.token(listType, status), limit + 1)
                : KeyWindows.page(entries, holding, before == null ? after : null, before, limit + 1);
        boolean more = keys.size() > limit;
        List<String> page = !more ? keys : before == null ? keys.subList(0, limit) : keys.subList(1, keys.size());
        boolean hasPrevious = before == null ? after != null : more;
        boolean hasNext = before == null ? more : true;
        Map<String, HashMap<String, EntryState>> found = entries.getAll(new java.util.HashSet<>(page));
        List<Map.Entry<String, List<EntryState>>> rows = new java.util.ArrayList<>();
        for (String key : page) {
            HashMap<String, EntryState> e = found.get(key);
            if (e != null) {
                rows.add(Map.entry(key, e.values().stream().filter(x -> HoldsListType.matches(x, listType, status))
                        .sorted(java.util.Comparator.comparing(EntryState::recordId)).toList()));
            }
        }
        long total = totals.of(ListTypes.token(listType, status), () -> entries.aggregate(com.hazelcast.aggregation.Aggregators.count(), holding));
        return new TypePage(rows, hasPrevious, hasNext, total);
    }

    /**
     * The first keys matching {@code holding}: those up to the smallest key seen of the token (normally
     * just that one; keys added below it since are found too, and lower it), then the keys after it, a
     * window at a time. Only the first page of a token asks for every key of the token once, to learn its
     * smallest.
     */
    private List<String> first(com.hazelcast.query.Predicate<String, HashMap<String, EntryState>> holding, String token, int limit) {
        String smallest = smallestKeys.get(token);
        if (smallest == null) {
            java.util.Optional<String> min = entries.keySet(holding).stream().min(java.util.Comparator.naturalOrder());
            if (min.isEmpty()) {
                return List.of();
            }
            smallest = min.get();
            smallestKeys.put(token, smallest);
        }
        List<String> keys = new java.util.ArrayList<>(entries.keySet(com.hazelcast.query.Predicates.and(
                com.hazelcast.query.Predicates.lessEqual("__key", smallest), holding)));
        keys.sort(null);
        if (!keys.isEmpty()) {
            smallestKeys.put(token, keys.get(0));
        }
        if (keys.size() < limit) {
            keys.addAll(KeyWindows.page(entries, holding, smallest, null, limit - keys.size()));
        }
        return keys.size() > limit ? keys.subList(0, limit) : keys;
    }

    /** How many subjects hold a token: a pass over its index entries, so counted at most every 30 s. */
    private final cn.bazhong.credit.gateway.infra.RecentCounts totals = new cn.bazhong.credit.gateway.infra.RecentCounts(
            java.time.Duration.ofSeconds(30), 1_000, java.time.Clock.systemUTC());

    /** Per list-type token, the smallest subject key seen holding it: where the first page begins to look. */
    private final java.util.concurrent.ConcurrentHashMap<String, String> smallestKeys = new java.util.concurrent.ConcurrentHashMap<>();

    /** Subjects holding an entry of a list type (and status); runs on the members. */
    static final class HoldsListType implements com.hazelcast.query.Predicate<String, HashMap<String, EntryState>>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String listType;
        private final cn.bazhong.credit.gateway.schema.ListStatus status;

        HoldsListType(String listType, cn.bazhong.credit.gateway.schema.ListStatus status) {
            this.listType = listType;
            this.status = status;
        }

        static boolean matches(EntryState e, String listType, cn.bazhong.credit.gateway.schema.ListStatus status) {
            return listType.equals(e.listType()) && (status == null || status == e.status());
        }

        @Override
        public boolean apply(Map.Entry<String, HashMap<String, EntryState>> entry) {
            return entry.getValue() != null && entry.getValue().values().stream().anyMatch(e -> matches(e, listType, status));
        }
    }

    public int size() {
        return entries.size();
    }

    public void put(String subjectKey, EntryState state) {
        entries.executeOnKey(subjectKey, new Upsert(state.recordId(), state));
    }

    public void remove(String subjectKey, String recordId) {
        entries.executeOnKey(subjectKey, new Upsert(recordId, null));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    static final class Upsert implements EntryProcessor<String, HashMap<String, EntryState>, Void>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String recordId;
        private final EntryState state;

        Upsert(String recordId, EntryState state) {
            this.recordId = recordId;
            this.state = state;
        }

        @Override
        public Void process(Map.Entry<String, HashMap<String, EntryState>> entry) {
            HashMap<String, EntryState> current = entry.getValue() == null ? new HashMap<>() : new HashMap<>(entry.getValue());
            if (state == null) {
                current.remove(recordId);
            } else {
                current.put(recordId, state);
            }
            entry.setValue(current.isEmpty() ? null : current);
            return null;
        }
    }
}
