package cn.bazhong.credit.simulators.province;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ordered, append-only log of list-update documents the province publishes. A cursor is the
 * position after the last update a client has read, wrapped as opaque base64url text.
 */
final class ListUpdateLog {

    private static final Pattern CURSOR = Pattern.compile("lu1:(\\d{1,18})");

    /** One page: the updates, the cursor after them, and whether more follow. */
    record Page(List<Map<String, Object>> updates, String cursor, boolean hasMore) {
    }

    private final List<Map<String, Object>> updates = new ArrayList<>();
    private final Set<Object> updateIds = new HashSet<>();
    private long nextGeneratedId = 1;

    /**
     * Appends a copy of the update, given an {@code updateId} {@code U-<n>} when it has none.
     *
     * @return the stored update
     */
    synchronized Map<String, Object> append(Map<String, ?> update) {
        Objects.requireNonNull(update, "update");
        Map<String, Object> stored = new LinkedHashMap<>(Json.plainCopy(update));
        if (stored.get("updateId") == null) {
            String id;
            do {
                id = "U-" + nextGeneratedId++;
            } while (updateIds.contains(id));
            Map<String, Object> withId = new LinkedHashMap<>();
            withId.put("updateId", id);
            stored.remove("updateId");
            withId.putAll(stored);
            stored = withId;
        }
        updateIds.add(stored.get("updateId"));
        Map<String, Object> frozen = Collections.unmodifiableMap(stored);
        updates.add(frozen);
        return frozen;
    }

    /**
     * Up to {@code limit} updates after the cursor ({@code null} = from the start).
     *
     * @throws IllegalArgumentException when the cursor is garbled or points past the log
     */
    synchronized Page page(String after, int limit) {
        int from = after == null ? 0 : position(after);
        if (from > updates.size()) {
            throw new IllegalArgumentException("cursor is unknown to this platform");
        }
        int to = Math.min(updates.size(), from + limit);
        return new Page(List.copyOf(updates.subList(from, to)), cursor(to), to < updates.size());
    }

    synchronized List<Map<String, Object>> all() {
        return List.copyOf(updates);
    }

    synchronized void clear() {
        updates.clear();
        updateIds.clear();
        nextGeneratedId = 1;
    }

    static String cursor(long position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("lu1:" + position).getBytes(StandardCharsets.US_ASCII));
    }

    private static int position(String cursor) {
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is garbled");
        }
        Matcher m = CURSOR.matcher(decoded);
        if (!m.matches()) {
            throw new IllegalArgumentException("cursor is garbled");
        }
        long position = Long.parseLong(m.group(1));
        if (position > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cursor is unknown to this platform");
        }
        return (int) position;
    }
}
