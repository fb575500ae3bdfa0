package cn.bazhong.credit.gateway.lists;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;

import java.io.Serial;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The written commitments (信用承诺) the units accepted, for the accepting unit's follow-up: record id →
 * {@link CommitmentRow}. Fed with {@link SubjectRecords} by {@link SubjectRecordsStage} from the topic of
 * accepted records (and rebuilt with it); a commitment signed before the kept years leaves it. The check at
 * the counter reads commitments per subject from {@link SubjectRecords}; this view answers per unit.
 */
public class Commitments {

    public static final String MAP = "commitments";

    private final IMap<String, CommitmentRow> rows;

    public Commitments(HazelcastInstance hazelcast) {
        this.rows = hazelcast.getMap(MAP);
    }

    public void put(CommitmentRow row) {
        rows.set(row.recordId(), row);
    }

    public void remove(String recordId) {
        rows.delete(recordId);
    }

    /**
     * The commitments open after their deadline on {@code today}, the longest overdue first, of one unit: those
     * accepted by the unit's credit code ({@code unitUscc}, null when the catalog does not know the unit), and
     * those its department delivered ({@code department}) naming an accepting unit the catalog does not know
     * ({@code knownUsccs}: the credit codes of the catalog's units). {@code department} null: every unit's.
     */
    public List<CommitmentRow> overdue(String department, String unitUscc, Set<String> knownUsccs, LocalDate today) {
        return rows.values(new Overdue(department, unitUscc, knownUsccs, today)).stream()
                .sorted(Comparator.comparing(CommitmentRow::deadline).thenComparing(CommitmentRow::recordId))
                .toList();
    }

    /** Drops the rows of commitments signed before {@code since}. */
    public void dropBefore(LocalDate since) {
        rows.removeAll(new SignedBefore(since));
    }

    static final class Overdue implements Predicate<String, CommitmentRow> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String department;
        private final String unitUscc;
        private final Set<String> knownUsccs;
        private final LocalDate today;

        Overdue(String department, String unitUscc, Set<String> knownUsccs, LocalDate today) {
            this.department = department;
            this.unitUscc = unitUscc;
            this.knownUsccs = knownUsccs == null ? Set.of() : Set.copyOf(knownUsccs);
            this.today = today;
        }

        @Override
        public boolean apply(Map.Entry<String, CommitmentRow> e) {
            CommitmentRow r = e.getValue();
            boolean unit = department == null
                    || unitUscc != null && unitUscc.equals(r.acceptedByUscc())
                    || department.equals(r.deliveredBy()) && !knownUsccs.contains(r.acceptedByUscc());
            return unit && r.overdueOn(today);
        }
    }

    static final class SignedBefore implements Predicate<String, CommitmentRow> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final LocalDate since;

        SignedBefore(LocalDate since) {
            this.since = since;
        }

        @Override
        public boolean apply(Map.Entry<String, CommitmentRow> e) {
            return e.getValue().committedOn() != null && e.getValue().committedOn().isBefore(since);
        }
    }
}
