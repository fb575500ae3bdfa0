package cn.bazhong.credit.gateway.lists;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Keyset paging over a map with a sorted index on its keys: the first keys after (or the last keys
 * before) a key that match a predicate, found by asking the index for windows of keys that widen until
 * enough were found. Each window is a range query, so a page costs about what it holds, wherever it is
 * in the map, and nothing is sorted but the page.
 *
 * <p>A window is a range of positions: a key's position is its first nine characters as 7-bit digits
 * (a number that never decreases as the key grows), and the key at a position is those digits as
 * characters, the smallest key at that position.
 */
final class KeyWindows {

    private static final int DIGITS = 9;
    private static final long FIRST_WIDTH = 1L << 21;

    private KeyWindows() {
    }

    /**
     * Up to {@code limit} keys matching {@code filter}, in key order: the first after {@code after}
     * (exclusive; from the start when null), or when {@code before} is given the last before it.
     */
    static <V> List<String> page(IMap<String, V> map, Predicate<String, V> filter, String after, String before, int limit) {
        boolean down = before != null;
        long from = down ? position(before) : after == null ? 0 : position(after);
        List<String> found = new ArrayList<>();
        long width = FIRST_WIDTH;
        long edge = from;
        while (found.size() < limit) {
            long next = down ? Math.max(0, edge - width) : edge > Long.MAX_VALUE - width ? Long.MAX_VALUE : edge + width;
            boolean last = down ? next == 0 : next == Long.MAX_VALUE;
            Predicate<String, V> range;
            if (down) {
                Predicate<String, V> below = Predicates.lessThan("__key", edge == from ? before : key(edge));
                range = last ? below : Predicates.and(Predicates.greaterEqual("__key", key(next)), below);
            } else {
                Predicate<String, V> above = edge == from
                        ? (after == null ? null : Predicates.greaterThan("__key", after))
                        : Predicates.greaterEqual("__key", key(edge));
                Predicate<String, V> upTo = last ? null : Predicates.lessThan("__key", key(next));
                range = above == null ? upTo : upTo == null ? above : Predicates.and(above, upTo);
            }
            Set<String> keys = map.keySet(range == null ? filter : Predicates.and(range, filter));
            List<String> sorted = new ArrayList<>(keys);
            Collections.sort(sorted);
            if (down) {
                Collections.reverse(sorted);
            }
            found.addAll(sorted);
            if (last) {
                break;
            }
            // the next window: as wide as the rest of the page needs at the density just seen, at most 16 times wider
            long needed = limit - found.size();
            long factor = keys.isEmpty() ? 16 : Math.min(16, Math.max(2, 2 * needed / keys.size() + 1));
            width = width > Long.MAX_VALUE / factor ? Long.MAX_VALUE : width * factor;
            edge = next;
        }
        List<String> page = new ArrayList<>(found.subList(0, Math.min(limit, found.size())));
        if (down) {
            Collections.reverse(page);
        }
        return page;
    }

    /** A key's position: its first nine characters as 7-bit digits (characters above 127 count as 127). */
    static long position(String key) {
        long p = 0;
        for (int i = 0; i < DIGITS; i++) {
            p = (p << 7) | (i < key.length() ? Math.min(key.charAt(i), 127) : 0);
        }
        return p;
    }

    /** The smallest key at a position. */
    static String key(long position) {
        char[] c = new char[DIGITS];
        for (int i = DIGITS - 1; i >= 0; i--) {
            c[i] = (char) (position & 127);
            position >>>= 7;
        }
        return new String(c);
    }
}
