package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.PipelinedCalls;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
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
    private final ListTypeTotals totals;
    private final IMap<String, String> marks;

    public ListView(HazelcastInstance hazelcast) {
        this.entries = hazelcast.getMap(MAP);
        this.totals = new ListTypeTotals(hazelcast);
        this.marks = hazelcast.getMap(cn.bazhong.credit.gateway.infra.HazelcastMaps.LIST_VIEW_MARKS);
    }

    private static final String FILLED = "filled";

    /** How long a reader waits for a view being filled before it is refused ({@link ListViewFilling}). */
    static final java.time.Duration READ_PATIENCE = java.time.Duration.ofSeconds(10);

    /** The fill at this node's start ({@link #fillMeanwhile}); whole unless one is under way. */
    private volatile ListViewFill fill = ListViewFill.whole();

    /**
     * Runs {@code fill} ({@link #fillOnce} and what follows it) on a thread of its own while the node goes on
     * starting: until it ends, reads wait up to {@link #READ_PATIENCE} and are then refused, changes wait for it.
     */
    void fillMeanwhile(Runnable fill) {
        fillMeanwhile(fill, READ_PATIENCE);
    }

    /** As {@link #fillMeanwhile(Runnable)}, readers waiting up to {@code patience}. */
    void fillMeanwhile(Runnable fill, java.time.Duration patience) {
        ListViewFill f = new ListViewFill(patience);
        this.fill = f;
        Thread t = new Thread(() -> {
            f.begin();
            org.slf4j.LoggerFactory.getLogger(ListView.class).info("list view: filling it from the list-state topic if the cluster has"
                    + " lost it; checks are answered once it is whole");
            try {
                fill.run();
                f.done();
            } catch (RuntimeException | Error e) {
                org.slf4j.LoggerFactory.getLogger(ListView.class).error("the list view could not be filled from the list-state topic;"
                        + " it answers nothing until the node is started again", e);
                f.failed(e);
            }
        }, "list-view-fill");
        t.setDaemon(true);
        t.start();
    }

    /** Waits up to {@link #READ_PATIENCE} for the fill under way; refuses the caller after that ({@link ListViewFilling}). */
    void requireFilled() {
        fill.require();
    }

    /** The fill under way or done, for its progress. */
    ListViewFill filling() {
        return fill;
    }

    /** Whether the view is whole on this node (not being filled, and not failed to fill). */
    public boolean filled() {
        return fill.isDone();
    }

    /** Waits for the fill under way to end, whether the view came out whole or not (for work that only yields to it). */
    public void awaitFillEnded() {
        fill.awaitEnd();
    }

    /** The fill's state for health: whole, or filling with the entries read so far. */
    public Map<String, Object> fillDetails() {
        return fill.details();
    }

    /**
     * Runs {@code fill} if the view is to be filled, once for the cluster: under a cluster-wide lock (released if its
     * node dies), so that a node starting beside the one that fills waits for it rather than serving a view half
     * filled, and with a mark saying it is whole. A view marked as being filled whose node stopped half-way is filled
     * again; one that holds subjects without a mark (written before the mark existed) is whole. Answers whether it
     * filled.
     */
    public boolean fillOnce(Runnable fill) {
        try {
            while (!marks.tryLock(FILLED, 30, java.util.concurrent.TimeUnit.SECONDS)) {
                org.slf4j.LoggerFactory.getLogger(ListView.class).info("waiting for another node to finish filling the list view ({})",
                        marks.get(FILLED));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the list view to be filled", e);
        }
        try {
            String mark = marks.get(FILLED);
            if ("whole".equals(mark) || mark == null && !entries.isEmpty()) {
                marks.set(FILLED, "whole");
                return false;
            }
            if (mark != null) {
                org.slf4j.LoggerFactory.getLogger(ListView.class).warn(
                        "the node that was filling the list view ({}) stopped before it finished: filling it again", mark);
                entries.clear(); // a fill starts from an empty view (loadAll writes a subject it meets first whole)
            }
            marks.set(FILLED, "being filled since " + java.time.Instant.now());
            fill.run();
            marks.set(FILLED, "whole");
            return true;
        } finally {
            marks.unlock(FILLED);
        }
    }

    /**
     * Adds the view's indexes ({@link cn.bazhong.credit.gateway.infra.HazelcastMaps#listEntryIndexes}) unless a node
     * of the cluster did already, and notes it cluster-wide: Hazelcast builds them over the entries held, a partition
     * at a time on its own threads, while the view goes on changing, and gives them to members that join. Until every
     * partition is indexed, queries scan the entries instead, with the same answers. Answers whether it added them.
     */
    public boolean ensureIndexes() {
        String names = indexNames();
        if (names.equals(marks.get("indexes"))) {
            return false;
        }
        for (com.hazelcast.config.IndexConfig index : cn.bazhong.credit.gateway.infra.HazelcastMaps.listEntryIndexes()) {
            entries.addIndex(index);
        }
        marks.set("indexes", names);
        return true;
    }

    /** Whether the view's indexes were added (by any node of the cluster). */
    public boolean indexed() {
        return indexNames().equals(marks.get("indexes"));
    }

    private static String indexNames() {
        return String.join(",", cn.bazhong.credit.gateway.infra.HazelcastMaps.listEntryIndexes().stream()
                .map(com.hazelcast.config.IndexConfig::getName).toList());
    }

    public List<EntryState> entriesOf(String subjectKey) {
        requireFilled();
        HashMap<String, EntryState> e = entries.get(subjectKey);
        return e == null ? List.of() : List.copyOf(e.values());
    }

    /** The state of one entry of a subject, or null. */
    public EntryState entry(String subjectKey, String recordId) {
        requireFilled();
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
        fill.await();
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
     * sorted {@link ListTypes} index holds the type's subjects of a status as one range in key order (of any
     * status, one range per status), read a window at a time ({@link KeyWindows}), so a page costs what it shows, however deep it is; only the page's
     * subjects are then read, and the total is the running count of {@link ListTypeTotals}.
     */
    public TypePage ofListType(String listType, cn.bazhong.credit.gateway.schema.ListStatus status, String after, String before, int limit) {
        requireFilled();
        ListTypeTotals.Total total = totals.of(ListTypes.token(listType, status));
        List<String> ranges = ListTypes.indexed(listType, status);
        List<String> keys = after == null && before == null ? first(ranges, total.lowestKey(), limit + 1)
                : KeyWindows.page(entries, ranges, before == null ? after : null, before, limit + 1);
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
        return new TypePage(rows, hasPrevious, hasNext, total.subjects());
    }

    /**
     * The first keys in the index's {@code ranges} (those of a token): those up to the lowest key the token's
     * running count knows (normally just that one; it is never above the smallest key holding the token, and
     * the ranges below it are read too, so a key added and not yet counted is not missed), then the keys after
     * it, a window at a time. Without a count (nobody holds the token, or it was lost), the whole ranges are read.
     */
    private List<String> first(List<String> ranges, String lowest, int limit) {
        if (lowest == null) {
            List<String> all = KeyWindows.upTo(entries, ranges, String.valueOf(Character.MAX_VALUE));
            return all.size() > limit ? all.subList(0, limit) : all;
        }
        List<String> keys = new java.util.ArrayList<>(KeyWindows.upTo(entries, ranges, lowest));
        if (keys.size() < limit) {
            String from = keys.isEmpty() ? lowest : keys.get(keys.size() - 1);
            keys.addAll(KeyWindows.page(entries, ranges, from, null, limit - keys.size()));
        }
        return keys.size() > limit ? keys.subList(0, limit) : keys;
    }

    /** Subjects holding an entry of a list type (and status). */
    static final class HoldsListType {
        private HoldsListType() {
        }

        static boolean matches(EntryState e, String listType, cn.bazhong.credit.gateway.schema.ListStatus status) {
            return listType.equals(e.listType()) && (status == null || status == e.status());
        }
    }

    /** The tokens ({@link ListTypes}) a change of a subject's entries gave it and took from it. */
    record TokenChange(List<String> added, List<String> removed) implements Serializable {
    }

    /** The running counts behind the totals of the list pages. */
    public ListTypeTotals totals() {
        return totals;
    }

    /**
     * Counts the subjects of every list type again from the view (after it was filled other than through
     * {@link #put}: a rebuild, a bulk load); also when the view holds subjects and the counts are missing.
     */
    public void recountTotals() {
        totals.recount(entries);
    }

    /** The count under way after a rebuild ({@link #recountTotalsMeanwhile}), or a done one. */
    private volatile java.util.concurrent.CompletableFuture<Void> counting = java.util.concurrent.CompletableFuture.completedFuture(null);

    /**
     * As {@link #recountTotals}, on a thread of its own while the node goes on starting: every change of the view
     * ({@link #put}, {@link #remove}) must wait for it first ({@link #awaitCounted}), or the count would miss it or
     * count it twice.
     */
    void recountTotalsMeanwhile() {
        counting = java.util.concurrent.CompletableFuture.runAsync(this::recountTotals, task -> {
            Thread t = new Thread(task, "list-type-totals");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Waits for the fill under way and then for the count that follows it; a count that failed is made again here. */
    public void awaitCounted() {
        fill.await();
        try {
            counting.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            org.slf4j.LoggerFactory.getLogger(ListView.class).warn("counting the list types' subjects failed ({}); counting again", e.toString());
            recountTotals();
            counting = java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Gives every subject's value its key ({@link SubjectEntries}) where it has none yet: a view written
     * before the values knew their keys is not in the list pages' index until then. One pass on the members.
     */
    public void keyEveryValue() {
        entries.executeOnEntries(new KeyInValue());
    }

    /** Wraps a value that does not know its key; leaves the others as they are. */
    static final class KeyInValue implements EntryProcessor<String, HashMap<String, EntryState>, Void>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public Void process(Map.Entry<String, HashMap<String, EntryState>> entry) {
            if (entry.getValue() != null && !(entry.getValue() instanceof SubjectEntries)) {
                entry.setValue(new SubjectEntries(entry.getKey(), entry.getValue()));
            }
            return null;
        }
    }

    public int size() {
        return entries.size();
    }

    public void put(String subjectKey, EntryState state) {
        counted(subjectKey, entries.executeOnKey(subjectKey, new Upsert(state.recordId(), state)));
    }

    public void remove(String subjectKey, String recordId) {
        counted(subjectKey, entries.executeOnKey(subjectKey, new Upsert(recordId, null)));
    }

    /** One entry to fill the view with: its state, or null where the entry is gone (a tombstone). */
    record Loaded(String subjectKey, String recordId, EntryState state) {
    }

    /**
     * As {@link #put} and {@link #remove} for many entries, without counting: for filling the view, which
     * {@link #fillOnce} empties first, after which {@link #recountTotals} counts once. A subject the fill meets for
     * the first time ({@code met}) is written whole, its entries of this poll folded here, all such subjects in one
     * {@code setAll}: the member stores the bytes it is sent, where an entry processor per entry had it read the
     * change, build the value and write it again (a quarter of a start's CPU with a million subjects; on two
     * cores the start was no faster for it, the JIT taking the difference, but a backup member no longer runs each
     * change again: docs/benchmarks.md). A subject met before, or one the filter cannot tell, gets its entries merged one by
     * one ({@link Upsert}); those writes are in flight together ({@link PipelinedCalls#inOrder}; a subject's
     * still in their order). A subject whose entries of the poll end removed is not written: the view holds none
     * of it yet.
     */
    void loadAll(List<Loaded> loaded, SubjectsMet met) {
        Map<String, SubjectEntries> whole = new java.util.LinkedHashMap<>();
        List<Loaded> merged = new java.util.ArrayList<>();
        for (Loaded l : loaded) {
            SubjectEntries first = whole.get(l.subjectKey());
            if (first == null && met.mayHave(l.subjectKey())) {
                merged.add(l);
                continue;
            }
            if (first == null) {
                first = new SubjectEntries(l.subjectKey(), null);
                whole.put(l.subjectKey(), first);
            }
            if (l.state() == null) {
                first.remove(l.recordId());
            } else {
                first.put(l.recordId(), l.state());
            }
        }
        whole.values().removeIf(HashMap::isEmpty);
        java.util.concurrent.CompletableFuture<Void> written = whole.isEmpty()
                ? java.util.concurrent.CompletableFuture.completedFuture(null)
                : entries.setAllAsync(whole).toCompletableFuture();
        PipelinedCalls.inOrder(merged, Loaded::subjectKey, (subjectKey, l) -> entries.submitToKey(subjectKey, new Upsert(l.recordId(), l.state(), true)));
        try {
            written.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("the list view could not be written", e.getCause());
        }
        whole.keySet().forEach(met::add);
    }

    private void counted(String subjectKey, TokenChange change) {
        if (change != null) {
            totals.changed(subjectKey, change);
        }
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Sets (or with a null state removes) one entry of a subject, keeping the subject's key in the value
     * ({@link SubjectEntries}); answers the list-type tokens the subject took up or gave up (null when none).
     */
    static final class Upsert implements EntryProcessor<String, HashMap<String, EntryState>, TokenChange>, DataSerializable, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private String recordId;
        private EntryState state;
        /**
         * True when filling the view: nobody counts the answer, so it is neither made, sent nor read. (False in
         * an Upsert written by a node of the version before, which did not have the field: it gets its answer.)
         */
        private boolean filling;

        /** For Hazelcast, which fills it with {@link #readData}. */
        public Upsert() {
        }

        Upsert(String recordId, EntryState state) {
            this(recordId, state, false);
        }

        Upsert(String recordId, EntryState state, boolean filling) {
            this.recordId = recordId;
            this.state = state;
            this.filling = filling;
        }

        /**
         * Its own form, as {@link SubjectEntries}: the record id, the state field by field ({@link EntryStateForm}) or
         * none, and the flag. Java serialization (still read, from a node of the version before) wrote the class
         * descriptions of the state and everything in it with every call: a rebuild makes a million of them.
         */
        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(recordId);
            out.writeBoolean(state != null);
            if (state != null) {
                EntryStateForm.write(out, state);
            }
            out.writeBoolean(filling);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            recordId = in.readString();
            state = in.readBoolean() ? EntryStateForm.read(in) : null;
            filling = in.readBoolean();
        }

        @Override
        public TokenChange process(Map.Entry<String, HashMap<String, EntryState>> entry) {
            java.util.Set<String> before = filling ? java.util.Set.of() : ListTypes.tokens(entry.getValue());
            SubjectEntries current = new SubjectEntries(entry.getKey(), entry.getValue());
            if (state == null) {
                current.remove(recordId);
            } else {
                current.put(recordId, state);
            }
            entry.setValue(current.isEmpty() ? null : current);
            if (filling) {
                return null;
            }
            java.util.Set<String> after = ListTypes.tokens(current);
            if (before.equals(after)) {
                return null;
            }
            List<String> added = after.stream().filter(t -> !before.contains(t)).toList();
            List<String> removed = before.stream().filter(t -> !after.contains(t)).toList();
            return new TokenChange(added, removed);
        }
    }
}
