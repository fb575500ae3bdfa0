package cn.bazhong.credit.gateway.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A closed set of allowed values (a code list such as 行政相对人类别), with optional synonyms
 * and prefix rules.
 *
 * <p>Input values are compared after {@link Text#clean} and {@link Text#halfWidth}: BOM,
 * surrounding whitespace and full-width ASCII variants (e.g. {@code －} for {@code -}) do not
 * matter; Chinese characters, inner spaces and letter case do. A match returns the canonical
 * value as it was given to {@link #of}.
 *
 * <p>Instances are immutable and thread-safe; {@link #withSynonym} and {@link #withPrefixRule}
 * return new instances.
 */
public final class Vocabulary {

    private final String name;
    private final List<String> values;
    /** Normalised spelling (value or synonym) → pre-built ok result holding the canonical value. */
    private final Map<String, Checked<String>> lookup;
    private final List<String> prefixes;
    private final String allowed;

    private Vocabulary(String name, List<String> values, Map<String, Checked<String>> lookup,
            List<String> prefixes) {
        this.name = name;
        this.values = values;
        this.lookup = lookup;
        this.prefixes = prefixes;
        StringBuilder text = new StringBuilder(String.join(", ", values));
        for (String prefix : prefixes) {
            text.append(", or a value starting with '").append(prefix).append('\'');
        }
        this.allowed = text.toString();
    }

    /**
     * Creates a vocabulary.
     *
     * @param name the vocabulary's name, e.g. {@code 行政相对人类别}
     * @param values the canonical values, in display order; none may be blank or repeat
     * @throws IllegalArgumentException if a value is blank or two values normalise alike
     */
    public static Vocabulary of(String name, List<String> values) {
        Objects.requireNonNull(name, "name");
        List<String> canonical = List.copyOf(values);
        Map<String, Checked<String>> lookup = new HashMap<>();
        for (String value : canonical) {
            String key = key(value);
            if (key == null) {
                throw new IllegalArgumentException(name + ": blank value");
            }
            if (lookup.putIfAbsent(key, Checked.ok(value)) != null) {
                throw new IllegalArgumentException(name + ": value '" + value + "' is listed twice");
            }
        }
        return new Vocabulary(name, canonical, Map.copyOf(lookup), List.of());
    }

    /**
     * Returns a copy of this vocabulary in which {@code synonym} is read as {@code value}.
     *
     * @param value one of the canonical values
     * @throws IllegalArgumentException if {@code value} is not canonical, or {@code synonym} is
     *     blank or already means a different value
     */
    public Vocabulary withSynonym(String synonym, String value) {
        if (!values.contains(value)) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not one of the values");
        }
        String key = key(synonym);
        if (key == null) {
            throw new IllegalArgumentException(name + ": blank synonym");
        }
        Checked<String> existing = lookup.get(key);
        if (existing != null && !existing.value().equals(value)) {
            throw new IllegalArgumentException(name + ": '" + synonym + "' already means '"
                    + existing.value() + "'");
        }
        Map<String, Checked<String>> copy = new HashMap<>(lookup);
        copy.put(key, Checked.ok(value));
        return new Vocabulary(name, values, Map.copyOf(copy), prefixes);
    }

    /**
     * Returns a copy of this vocabulary that also allows, as is, any value that starts with
     * {@code prefix} and is longer than it (e.g. {@code 其他-军官证} for prefix {@code 其他-}).
     *
     * @throws IllegalArgumentException if {@code prefix} is blank
     */
    public Vocabulary withPrefixRule(String prefix) {
        String key = key(prefix);
        if (key == null) {
            throw new IllegalArgumentException(name + ": blank prefix");
        }
        List<String> more = new ArrayList<>(prefixes);
        more.add(key);
        return new Vocabulary(name, values, lookup, List.copyOf(more));
    }

    /**
     * Checks one value.
     *
     * @return ok with the canonical value (for an exact match or a synonym) or with the
     *     normalised input (for a prefix-rule match); {@link Rule#REQUIRED} if empty; otherwise
     *     {@link Rule#ENUM} with a message listing the allowed values
     */
    public Checked<String> check(String raw) {
        String s = key(raw);
        if (s == null) {
            return Checked.fail(Rule.REQUIRED, "is empty");
        }
        return lookupOrFail(s);
    }

    /**
     * Checks a list of values in one field, e.g. {@code 警告；罚款} for several penalty kinds.
     *
     * <p>The field is split on every character in {@code separators} (compared after {@link
     * Text#halfWidth}, so {@code ；} and {@code ;} are the same separator); members are trimmed,
     * empty members dropped and each member checked as by {@link #check}. Repeated values are
     * kept once, in first-seen order.
     *
     * @param separators the characters that separate members, e.g. {@code "；;、,，"}
     * @return ok with an unmodifiable list of canonical values; {@link Rule#REQUIRED} if there are
     *     no members; {@link Rule#ENUM} naming the first unknown member
     */
    public Checked<List<String>> checkList(String raw, String separators) {
        Objects.requireNonNull(separators, "separators");
        String s = key(raw);
        if (s == null) {
            return Checked.fail(Rule.REQUIRED, "has no values");
        }
        String seps = Text.halfWidth(separators);
        List<String> members = new ArrayList<>(4);
        int start = 0;
        int length = s.length();
        for (int i = 0; i <= length; i++) {
            if (i < length && seps.indexOf(s.charAt(i)) < 0) {
                continue;
            }
            String member = member(s, start, i);
            start = i + 1;
            if (member == null) {
                continue;
            }
            Checked<String> checked = lookupOrFail(member);
            if (!checked.isOk()) {
                return checked.map(List::of);
            }
            if (!members.contains(checked.value())) {
                members.add(checked.value());
            }
        }
        if (members.isEmpty()) {
            return Checked.fail(Rule.REQUIRED, "has no values");
        }
        return Checked.ok(List.copyOf(members));
    }

    /** Returns the vocabulary's name, e.g. {@code 行政相对人类别}. */
    public String name() {
        return name;
    }

    /** Returns the canonical values, unmodifiable, in the order given to {@link #of}. */
    public List<String> values() {
        return values;
    }

    @Override
    public String toString() {
        return "Vocabulary[" + name + ": " + allowed + "]";
    }

    private Checked<String> lookupOrFail(String s) {
        Checked<String> hit = lookup.get(s);
        if (hit != null) {
            return hit;
        }
        for (String prefix : prefixes) {
            if (s.length() > prefix.length() && s.startsWith(prefix)) {
                return Checked.ok(s);
            }
        }
        String hint = Text.hasReplacementChar(s)
                ? " (it contains U+FFFD, a byte sequence that did not decode: check the file encoding)"
                : "";
        return Checked.fail(Rule.ENUM, "'" + s + "' is not one of " + allowed + hint);
    }

    /**
     * {@code Text.clean(s.substring(from, to))} for an {@code s} that went through {@link #key}
     * already: such a value holds no invisible characters and no full-width letters or digits any
     * more, so cleaning a part of it only trims it. Returns {@code s} itself for a single member
     * without surrounding space, and takes no substring to find an empty member.
     */
    private static String member(String s, int from, int to) {
        while (from < to && Text.isTrimmable(s.charAt(from))) {
            from++;
        }
        while (to > from && Text.isTrimmable(s.charAt(to - 1))) {
            to--;
        }
        if (from == to) {
            return null;
        }
        return s.substring(from, to);
    }

    private static String key(String raw) {
        return Text.halfWidth(Text.clean(raw));
    }
}
