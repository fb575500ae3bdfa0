package cn.bazhong.credit.gateway.lists;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keyset paging over a map with a sorted index on its keys: the first keys after (or the last keys
 * before) a key that match a predicate, found by asking the index for windows of keys that widen until
 * enough were found. Each window is a range query, so a page costs about what it holds, wherever it is
 * in the map, and nothing is sorted but the page.
 *
 * <p>The windows widen by the characters of the key paged from: after {@code O:915119001}, first the keys
 * up to {@code O:915119002} (same prefix, a greater last character), then up to {@code O:91511901}, then
 * {@code O:9151191}, and so on to the end; so they follow the keys' own shape, whatever prefix they share.
 */
final class KeyWindows {

    private KeyWindows() {
    }

    /**
     * Up to {@code limit} keys matching {@code filter}, in key order: the first after {@code after}
     * (exclusive), or when {@code before} is given the last before it.
     */
    static <V> List<String> page(IMap<String, V> map, Predicate<String, V> filter, String after, String before, int limit) {
        boolean down = before != null;
        String from = down ? before : after;
        List<String> found = new ArrayList<>();
        String edge = from;
        for (int level = from.length() - 1; level >= -1 && found.size() < limit; level--) {
            Predicate<String, V> range;
            String next;
            if (down) {
                next = level <= 0 ? null : from.substring(0, level);
                Predicate<String, V> below = Predicates.lessThan("__key", edge);
                range = next == null ? below : Predicates.and(Predicates.greaterEqual("__key", next), below);
            } else {
                if (level >= 0 && from.charAt(level) == Character.MAX_VALUE) {
                    continue;
                }
                next = level < 0 ? null : from.substring(0, level) + (char) (from.charAt(level) + 1);
                Predicate<String, V> above = edge.equals(from) ? Predicates.greaterThan("__key", from) : Predicates.greaterEqual("__key", edge);
                range = next == null ? above : Predicates.and(above, Predicates.lessThan("__key", next));
            }
            List<String> keys = new ArrayList<>(map.keySet(Predicates.and(range, filter)));
            Collections.sort(keys);
            if (down) {
                Collections.reverse(keys);
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
}
