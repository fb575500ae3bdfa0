package cn.bazhong.credit.gateway.lists;

import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keyset paging through one token's range of the sorted {@link ListTypes} index (values: the token's
 * prefix and a subject key): the first keys after (or the last keys before) a key, found by asking the
 * index for windows of keys that widen until enough were found. Each window is one range of that index
 * (a {@code between}: one value of the subject must lie in it), so a page costs about what its windows
 * hold, wherever it is in the list type, and nothing is sorted but the page.
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
     * Up to {@code limit} subject keys holding {@code token}, in key order: the first after {@code after}
     * (exclusive), or when {@code before} is given the last before it.
     */
    static <V> List<String> page(IMap<String, V> map, String token, String after, String before, int limit) {
        boolean down = before != null;
        String from = down ? before : after;
        String prefix = ListTypes.prefix(token);
        List<String> found = new ArrayList<>();
        String edge = from;
        for (int level = from.length() - 1; level >= -1 && found.size() < limit; level--) {
            String next;
            List<String> keys;
            if (down) {
                next = level <= 0 ? null : from.substring(0, level);
                String bottom = next == null ? prefix : prefix + next;
                String top = edge;
                keys = new ArrayList<>(map.keySet(Predicates.between(ListTypes.ATTRIBUTE, bottom, prefix + top)));
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
                keys = new ArrayList<>(map.keySet(Predicates.between(ListTypes.ATTRIBUTE, prefix + bottom,
                        top == null ? ListTypes.end(token) : prefix + top)));
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

    /** Every subject key holding {@code token} from its first up to {@code last} (inclusive), in key order. */
    static <V> List<String> upTo(IMap<String, V> map, String token, String last) {
        List<String> keys = new ArrayList<>(map.keySet(Predicates.between(ListTypes.ATTRIBUTE, ListTypes.prefix(token),
                ListTypes.prefix(token) + last)));
        Collections.sort(keys);
        return keys;
    }
}
