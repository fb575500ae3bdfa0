package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.schema.CanonicalField;
import cn.bazhong.credit.gateway.validation.Rule;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical values of one record while it is being mapped, with the problems found so far.
 * Problems are reported in a fixed order: first what is wrong with a value itself (in the order
 * the mapping file lists the fields), then what is missing or inconsistent between fields.
 */
final class RecordDraft {

    static final int VALUE_PROBLEM = 0;
    static final int RECORD_PROBLEM = 1;

    private static final int FIELDS = CanonicalField.values().length;
    private static final int NO_ORDER = Integer.MAX_VALUE;

    // Per canonical field, by ordinal. Plain arrays rather than EnumMaps: a draft is made for every
    // record, and most of its fields stay empty.
    private final Object[] values = new Object[FIELDS];
    private final String[] sourceNames = new String[FIELDS];
    private final int[] order = new int[FIELDS];
    private final boolean[] declared = new boolean[FIELDS];
    private final boolean[] failed = new boolean[FIELDS];
    /** Created with the first attribute: only list entries have any. */
    private Map<String, String> attributes;
    private final List<Problem> problems = new ArrayList<>(2);

    private record Problem(int phase, int order, Violation violation) {
    }

    void declare(CanonicalField field, String reportedName, int declarationOrder) {
        int i = field.ordinal();
        if (sourceNames[i] == null) {
            sourceNames[i] = reportedName;
        }
        if (!declared[i]) {
            declared[i] = true;
            order[i] = declarationOrder;
        }
    }

    void usedSource(CanonicalField field, String sourceName) {
        sourceNames[field.ordinal()] = sourceName;
    }

    void put(CanonicalField field, Object value) {
        values[field.ordinal()] = value;
    }

    void putAttribute(String name, String value) {
        if (attributes == null) {
            attributes = new TreeMap<>();
        }
        attributes.put(name, value);
    }

    /** The list-entry attributes so far, sorted by name; empty (and unmodifiable) when there are none. */
    Map<String, String> attributes() {
        return attributes == null ? Map.of() : attributes;
    }

    boolean has(CanonicalField field) {
        return values[field.ordinal()] != null;
    }

    boolean isFailed(CanonicalField field) {
        return failed[field.ordinal()];
    }

    /** Neither present nor already reported as wrong. */
    boolean isMissing(CanonicalField field) {
        int i = field.ordinal();
        return values[i] == null && !failed[i];
    }

    Object get(CanonicalField field) {
        return values[field.ordinal()];
    }

    String string(CanonicalField field) {
        Object v = values[field.ordinal()];
        return v == null ? null : v.toString();
    }

    LocalDate date(CanonicalField field) {
        return (LocalDate) values[field.ordinal()];
    }

    BigDecimal amount(CanonicalField field) {
        return (BigDecimal) values[field.ordinal()];
    }

    @SuppressWarnings("unchecked")
    List<String> list(CanonicalField field) {
        return (List<String>) values[field.ordinal()];
    }

    /** The name a rejection uses for this field: the source field it came from, else its canonical path. */
    String nameOf(CanonicalField field) {
        String n = sourceNames[field.ordinal()];
        return n != null ? n : field.path();
    }

    void problem(CanonicalField field, int phase, Rule rule, String message) {
        int i = field.ordinal();
        failed[i] = true;
        values[i] = null;
        problems.add(new Problem(phase, declared[i] ? order[i] : NO_ORDER, new Violation(nameOf(field), rule, message)));
    }

    void problem(String field, int phase, int declarationOrder, Rule rule, String message) {
        problems.add(new Problem(phase, declarationOrder, new Violation(field, rule, message)));
    }

    /** Marks a field as unknowable because a value it depends on was already reported wrong. */
    void unknowable(CanonicalField field) {
        failed[field.ordinal()] = true;
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    List<Violation> violations() {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(Problem::phase).thenComparingInt(Problem::order));
        List<Violation> out = new ArrayList<>(sorted.size());
        for (Problem p : sorted) {
            out.add(p.violation());
        }
        return out;
    }
}
