package cn.bazhong.credit.gateway.lists;

import com.hazelcast.query.extractor.ValueCollector;
import com.hazelcast.query.extractor.ValueExtractor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code listTypeKeys} attribute of a subject's entries in the list view, under a sorted index: for each
 * list type and status the subject holds an entry of, the token with that status ({@code COURT_DEFAULTER|ACTIVE})
 * followed by {@link #SEPARATOR} and the subject key. So a list type's subjects of one status, in key order, are
 * one range of the index ({@link #prefix} and what follows it), those of any status one range per status
 * ({@link #indexed}), and a window of a page ({@link KeyWindows}) a range within each: nothing else is intersected
 * or sorted. Only a {@link SubjectEntries} value (which knows its key) has the attribute.
 *
 * <p>The token of any status ({@code COURT_DEFAULTER|*}) is counted ({@link ListTypeTotals}) but not indexed: every
 * value of a sorted index costs its member about 300 bytes of heap and a rebuild of the view its share of the
 * CPU (a million subjects: half the index's memory, docs/benchmarks.md), and most subjects hold one entry.
 */
public final class ListTypes implements ValueExtractor<HashMap<String, EntryState>, Object> {

    public static final String ATTRIBUTE = "listTypeKeys";

    /** Between a token and the subject key: below every character of a key, so a token's values sort by key. */
    static final char SEPARATOR = '\u0001';

    @Override
    public void extract(HashMap<String, EntryState> entries, Object argument, ValueCollector<Object> collector) {
        if (entries instanceof SubjectEntries s && s.subjectKey() != null) {
            for (String token : tokens(s, false)) {
                collector.addObject(prefix(token) + s.subjectKey());
            }
        }
    }

    /** The tokens whose ranges of the index hold a list type's subjects of a status, or of any (null). */
    static List<String> indexed(String listType, cn.bazhong.credit.gateway.schema.ListStatus status) {
        if (status != null) {
            return List.of(token(listType, status));
        }
        List<String> tokens = new ArrayList<>();
        for (cn.bazhong.credit.gateway.schema.ListStatus s : cn.bazhong.credit.gateway.schema.ListStatus.values()) {
            tokens.add(token(listType, s));
        }
        return tokens;
    }

    /** The tokens a subject's entries hold (empty for none). */
    public static TreeSet<String> tokens(Map<String, EntryState> entries) {
        return tokens(entries, true);
    }

    /** The tokens a subject's entries hold with their statuses, and with {@code any} also those of any status. */
    private static TreeSet<String> tokens(Map<String, EntryState> entries, boolean any) {
        TreeSet<String> tokens = new TreeSet<>();
        if (entries != null) {
            for (EntryState e : entries.values()) {
                if (e.listType() != null) {
                    if (any) {
                        tokens.add(token(e.listType(), null));
                    }
                    tokens.add(token(e.listType(), e.status()));
                }
            }
        }
        return tokens;
    }

    /** The token of subjects holding an entry of a list type, of one status or of any (null). */
    public static String token(String listType, cn.bazhong.credit.gateway.schema.ListStatus status) {
        return listType + "|" + (status == null ? "*" : status.name());
    }

    /** What every value of a token's subjects begins with. */
    static String prefix(String token) {
        return token + SEPARATOR;
    }

    /** Above every value of a token's subjects. */
    static String end(String token) {
        return token + (char) (SEPARATOR + 1);
    }
}
