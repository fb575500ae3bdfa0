package cn.bazhong.credit.gateway.lists;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keyset paging through the ranges of the sorted {@link ListTypes} index that hold a list type's subjects
 * (values: a token's prefix and a subject key; one range for one status, one per status for any): the first
 * keys after (or the last keys before) a key, found by asking the index for windows of keys that widen until
 * enough were found. A window is the same stretch of keys in each range (a {@code between} per range: one
 * value of the subject must lie in one of them), so a page costs about what its windows hold, wherever it is
 * in the list type, and nothing is sorted but the page.
 *
 * <p>The windows widen by the characters of the key paged from: after {@code O:915119001}, first the keys
 * up to {@code O:915119002} (same prefix, a greater last character), then up to {@code O:91511901}, then
 * {@code O:9151191}, and so on to the end of the token; so they follow the keys' own shape, whatever prefix
 * they share.
 */
final class KeyWindows {

    private KeyWindows() {
    }

    /**
     * Up to {@code limit} subject keys holding one of {@code tokens}, in key order: the first after {@code after}
     * (exclusive), or when {@code before} is given the last before it.
     */
    static <V> List<String> page(IMap<String, V> map, List<String> tokens, String after, String before, int limit) {
        boolean down = before != null;
        String from = down ? before : after;
        List<String> found = new ArrayList<>();
        String edge = from;
        for (int level = from.length() - 1; level >= -1 && found.size() < limit; level--) {
            String next;
            List<String> keys;
            if (down) {
                next = level <= 0 ? null : from.substring(0, level);
                String top = edge;
                keys = between(map, tokens, next, top);
                keys.removeIf(k -> k.compareTo(top) >= 0);
                Collections.sort(keys);
                Collections.reverse(keys);
            } else {
                if (level >= 0 && from.charAt(level) == Character.MAX_VALUE) {
                    continue;
                }
                next = level < 0 ? null : from.substring(0, level) + (char) (from.charAt(level) + 1);
                String bottom = edge;
                boolean exclusive = edge.equals(from);
                String top = next;
                keys = between(map, tokens, bottom, top);
                keys.removeIf(k -> exclusive && k.equals(bottom) || top != null && k.compareTo(top) >= 0);
                Collections.sort(keys);
            }
            found.addAll(keys);
            if (next == null) {
                break;
            }
            edge = next;
        }
        List<String> page = new ArrayList<>(found.subList(0, Math.min(limit, found.size())));
        if (down) {
            Collections.reverse(page);
        }
        return page;
    }

    /** Every subject key holding one of {@code tokens} from the first up to {@code last} (inclusive), in key order. */
    static <V> List<String> upTo(IMap<String, V> map, List<String> tokens, String last) {
        List<String> keys = between(map, tokens, null, last);
        Collections.sort(keys);
        return keys;
    }

    /**
     * The keys whose index value lies, for one of the tokens, between the token's prefix followed by {@code low} and
     * by {@code high} (both inclusive; from the token's first value when {@code low} is null, to its last when
     * {@code high} is), unsorted and each once.
     */
    private static <V> List<String> between(IMap<String, V> map, List<String> tokens, String low, String high) {
        List<Predicate<String, V>> ranges = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            String prefix = ListTypes.prefix(token);
            ranges.add(Predicates.between(ListTypes.ATTRIBUTE, low == null ? prefix : prefix + low,
                    high == null ? ListTypes.end(token) : prefix + high));
        }
        @SuppressWarnings("unchecked")
        Predicate<String, V> any = ranges.size() == 1 ? ranges.get(0) : Predicates.or(ranges.toArray(Predicate[]::new));
        return new ArrayList<>(map.keySet(any));
    }
}
