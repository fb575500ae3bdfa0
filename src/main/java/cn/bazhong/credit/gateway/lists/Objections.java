package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.PipelinedCalls;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objections (异议) pending, with the day by which each must be decided. The record is the entry's
 * own state (status UNDER_OBJECTION, attributes {@code objectionFiledOn} and {@code objectionDue} on the
 * list-state topic); this map is the index operators list them by, filled again from the list state when
 * the view is rebuilt.
 */
public class Objections {

    public static final String MAP = "list-objections";
    static final String FILED_ON = "objectionFiledOn";
    static final String DUE = "objectionDue";

    /** One pending objection. */
    public record Pending(String recordId, String subjectKey, String subjectCode, String listType, LocalDate filedOn, LocalDate due,
                          String reason) implements Serializable {
        public boolean overdue(LocalDate today) {
            return today.isAfter(due);
        }
    }

    private final IMap<String, Pending> pending;

    private final cn.bazhong.credit.gateway.privacy.PersonalFields personal;

    public Objections(HazelcastInstance hazelcast) {
        this(hazelcast, cn.bazhong.credit.gateway.privacy.PersonalFields.CLEAR);
    }

    /** @param personal opens an entry's sealed subject to show its code masked */
    public Objections(HazelcastInstance hazelcast, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        this.pending = hazelcast.getMap(MAP);
        this.personal = personal;
    }

    /** Keeps the index in line with an entry's state: pending while UNDER_OBJECTION with its dates, gone otherwise. */
    public void track(String subjectKey, EntryState state) {
        if (ListStateStage.isLinked(state.recordId())) {
            return; // follows the organisation's entry, which is the one tracked
        }
        Pending p = pendingOf(subjectKey, state);
        if (p != null) {
            pending.set(state.recordId(), p);
        } else {
            pending.delete(state.recordId());
        }
    }

    /** Starts filling the index again from the list state (a rebuild of the view). */
    public Refill refill() {
        return new Refill();
    }

    /**
     * The index filled again from the list state, a poll at a time: as {@link #track} for every entry, with
     * the writes in flight together, and a removal only where the index may hold the entry (it held it when
     * the refill began, or the refill put it there), not one per entry of the list state.
     */
    public final class Refill {

        private final Set<String> mayHold = new HashSet<>(pending.keySet());

        private Refill() {
        }

        /** The states of a poll (subject key → state, in their order): the last state of each entry counts. */
        public void trackAll(List<Map.Entry<String, EntryState>> states) {
            Map<String, Pending> last = new LinkedHashMap<>();
            for (Map.Entry<String, EntryState> e : states) {
                if (!ListStateStage.isLinked(e.getValue().recordId())) {
                    last.put(e.getValue().recordId(), pendingOf(e.getKey(), e.getValue()));
                }
            }
            List<String> gone = new ArrayList<>();
            Map<String, Pending> set = new LinkedHashMap<>();
            last.forEach((recordId, p) -> {
                if (p != null) {
                    set.put(recordId, p);
                } else if (mayHold.remove(recordId)) {
                    gone.add(recordId);
                }
            });
            PipelinedCalls.each(gone, pending::deleteAsync);
            PipelinedCalls.each(set.keySet(), recordId -> pending.setAsync(recordId, set.get(recordId)));
            mayHold.addAll(set.keySet());
        }
    }

    /** The objection an entry's state says is pending, or null. */
    private Pending pendingOf(String subjectKey, EntryState state) {
        if (state.status() != cn.bazhong.credit.gateway.schema.ListStatus.UNDER_OBJECTION || state.attributes() == null
                || state.attributes().get(DUE) == null) {
            return null;
        }
        return new Pending(state.recordId(), subjectKey, personal.code(state.subject(), false), state.listType(),
                LocalDate.parse(state.attributes().get(FILED_ON)), LocalDate.parse(state.attributes().get(DUE)),
                state.attributes().get("objectionReason"));
    }

    /** The view whose fill also fills this index ({@link ListStateStage#rebuildMeanwhile}): lists wait for it. */
    private volatile ListView filledWith;

    void filledWith(ListView view) {
        this.filledWith = view;
    }

    public List<Pending> list(boolean overdueOnly, LocalDate today) {
        ListView view = filledWith;
        if (view != null) {
            view.requireFilled(); // half an index would leave objections out
        }
        return pending.values().stream().filter(p -> !overdueOnly || p.overdue(today))
                .sorted(Comparator.comparing(Pending::due)).toList();
    }
}
