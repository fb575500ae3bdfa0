package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.schema.CanonicalField;
import cn.bazhong.credit.gateway.validation.Rule;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The canonical values of one record while it is being mapped, with the problems found so far.
 * Problems are reported in a fixed order: first what is wrong with a value itself (in the order
 * the mapping file lists the fields), then what is missing or inconsistent between fields.
 */
final class RecordDraft {

    static final int VALUE_PROBLEM = 0;
    static final int RECORD_PROBLEM = 1;

    private final Map<CanonicalField, Object> values = new EnumMap<>(CanonicalField.class);
    private final Map<CanonicalField, String> sourceNames = new EnumMap<>(CanonicalField.class);
    private final Map<CanonicalField, Integer> order = new EnumMap<>(CanonicalField.class);
    private final Set<CanonicalField> failed = EnumSet.noneOf(CanonicalField.class);
    private final Map<String, String> attributes = new TreeMap<>();
    private final List<Problem> problems = new ArrayList<>(2);

    private record Problem(int phase, int order, Violation violation) {
    }

    void declare(CanonicalField field, String reportedName, int declarationOrder) {
        sourceNames.putIfAbsent(field, reportedName);
        order.putIfAbsent(field, declarationOrder);
    }

    void usedSource(CanonicalField field, String sourceName) {
        sourceNames.put(field, sourceName);
    }

    void put(CanonicalField field, Object value) {
        values.put(field, value);
    }

    void putAttribute(String name, String value) {
        attributes.put(name, value);
    }

    Map<String, String> attributes() {
        return attributes;
    }

    boolean has(CanonicalField field) {
        return values.get(field) != null;
    }

    boolean isFailed(CanonicalField field) {
        return failed.contains(field);
    }

    /** Neither present nor already reported as wrong. */
    boolean isMissing(CanonicalField field) {
        return !has(field) && !failed.contains(field);
    }

    Object get(CanonicalField field) {
        return values.get(field);
    }

    String string(CanonicalField field) {
        Object v = values.get(field);
        return v == null ? null : v.toString();
    }

    LocalDate date(CanonicalField field) {
        return (LocalDate) values.get(field);
    }

    BigDecimal amount(CanonicalField field) {
        return (BigDecimal) values.get(field);
    }

    @SuppressWarnings("unchecked")
    List<String> list(CanonicalField field) {
        return (List<String>) values.get(field);
    }

    /** The name a rejection uses for this field: the source field it came from, else its canonical path. */
    String nameOf(CanonicalField field) {
        String n = sourceNames.get(field);
        return n != null ? n : field.path();
    }

    void problem(CanonicalField field, int phase, Rule rule, String message) {
        failed.add(field);
        values.remove(field);
        problems.add(new Problem(phase, order.getOrDefault(field, Integer.MAX_VALUE), new Violation(nameOf(field), rule, message)));
    }

    void problem(String field, int phase, int declarationOrder, Rule rule, String message) {
        problems.add(new Problem(phase, declarationOrder, new Violation(field, rule, message)));
    }

    /** Marks a field as unknowable because a value it depends on was already reported wrong. */
    void unknowable(CanonicalField field) {
        failed.add(field);
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
