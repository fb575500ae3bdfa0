package cn.bazhong.credit.gateway.infra;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts that cost a pass over an index (how many subjects hold a list type, how many receipts a
 * search finds), kept for a short while per question, so that paging through the same list counts once
 * rather than on every page. A count is at most {@code maxAge} old; at most {@code capacity} questions
 * are kept (the oldest half goes when it is full).
 */
public final class RecentCounts {

    private record Held(long count, long at) {
    }

    private final Map<Object, Held> held = new ConcurrentHashMap<>();
    private final long maxAgeMillis;
    private final int capacity;
    private final Clock clock;

    public RecentCounts(Duration maxAge, int capacity, Clock clock) {
        this.maxAgeMillis = maxAge.toMillis();
        this.capacity = capacity;
        this.clock = clock;
    }

    /** The count for {@code question}: the one kept if it is recent enough, else {@code count}'s, kept. */
    public long of(Object question, LongSupplier count) {
        long now = clock.millis();
        Held h = held.get(question);
        if (h != null && now - h.at() <= maxAgeMillis) {
            return h.count();
        }
        long c = count.getAsLong();
        if (held.size() >= capacity) {
            held.entrySet().removeIf(e -> now - e.getValue().at() > maxAgeMillis / 2);
            if (held.size() >= capacity) {
                held.clear();
            }
        }
        held.put(question, new Held(c, now));
        return c;
    }
}
