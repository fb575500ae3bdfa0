package cn.bazhong.credit.gateway.lists;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * How many subjects hold each list-type token ({@link ListTypes}), and a key no greater than any of theirs
 * (where the first page of the token starts to look), as running counts in a Hazelcast map: every change of
 * the view that adds or takes a token from a subject adds or takes one (the view's own entry processor
 * tells which, so concurrent changes of one subject count once each). So the total under a list page is one
 * read, the same on every member. The counts are made again from the view itself when the view is rebuilt
 * from the list-state topic ({@link #recount}).
 */
public final class ListTypeTotals {

    public static final String MAP = "list-type-totals";

    /** A token's subjects, and a key that is not above any of theirs (the smallest seen since the count was made). */
    public record Total(long subjects, String lowestKey) implements Serializable {
    }

    private final IMap<String, Total> totals;

    public ListTypeTotals(HazelcastInstance hazelcast) {
        this.totals = hazelcast.getMap(MAP);
    }

    /** The token's total; zero subjects and no key when nobody holds it. */
    public Total of(String token) {
        Total t = totals.get(token);
        return t == null ? new Total(0, null) : t;
    }

    /** Counts a subject's change: the tokens it took up and those it gave up. */
    void changed(String subjectKey, ListView.TokenChange change) {
        Map<String, Integer> deltas = new HashMap<>();
        change.added().forEach(t -> deltas.merge(t, 1, Integer::sum));
        change.removed().forEach(t -> deltas.merge(t, -1, Integer::sum));
        deltas.values().removeIf(d -> d == 0);
        if (!deltas.isEmpty()) {
            totals.executeOnKeys(deltas.keySet(), new Add(subjectKey, new HashMap<>(deltas)));
        }
    }

    /** Counts every token of the view again from its entries (one pass, on the members), replacing the counts held. */
    void recount(IMap<String, HashMap<String, EntryState>> view) {
        HashMap<String, Total> counted = view.aggregate(new Count());
        totals.clear();
        totals.putAll(counted);
    }

    public boolean isEmpty() {
        return totals.isEmpty();
    }

    /** Adds its delta to each token's count; a subject added lowers the lowest key; a count at zero goes. */
    static final class Add implements EntryProcessor<String, Total, Void>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String subjectKey;
        private final HashMap<String, Integer> deltas;

        Add(String subjectKey, HashMap<String, Integer> deltas) {
            this.subjectKey = subjectKey;
            this.deltas = deltas;
        }

        @Override
        public Void process(Map.Entry<String, Total> entry) {
            Integer d = deltas.get(entry.getKey());
            if (d == null) {
                return null;
            }
            Total t = entry.getValue() == null ? new Total(0, null) : entry.getValue();
            long subjects = t.subjects() + d;
            String lowest = d > 0 && (t.lowestKey() == null || subjectKey.compareTo(t.lowestKey()) < 0) ? subjectKey : t.lowestKey();
            entry.setValue(subjects <= 0 ? null : new Total(subjects, lowest));
            return null;
        }
    }

    /** Per token: how many subjects hold it and the smallest key among them. */
    static final class Count implements Aggregator<Map.Entry<String, HashMap<String, EntryState>>, HashMap<String, Total>> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final HashMap<String, Total> counted = new HashMap<>();

        @Override
        public void accumulate(Map.Entry<String, HashMap<String, EntryState>> entry) {
            for (String token : ListTypes.tokens(entry.getValue())) {
                add(token, new Total(1, entry.getKey()));
            }
        }

        private void add(String token, Total t) {
            counted.merge(token, t, (a, b) -> new Total(a.subjects() + b.subjects(),
                    a.lowestKey().compareTo(b.lowestKey()) <= 0 ? a.lowestKey() : b.lowestKey()));
        }

        @Override
        public void combine(Aggregator aggregator) {
            ((Count) aggregator).counted.forEach(this::add);
        }

        @Override
        public HashMap<String, Total> aggregate() {
            return counted;
        }
    }
}
