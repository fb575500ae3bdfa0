package cn.bazhong.credit.gateway.ops;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Duration;

/**
 * Reuses the result of an expensive check for a short time: health is polled by load balancers and
 * monitors, and a check that calls a remote system must not be run for every poll. Concurrent polls
 * while a check runs wait for that one check instead of starting their own.
 */
public final class CachedHealthIndicator implements HealthIndicator {

    private final HealthIndicator delegate;
    private final long ttlNanos;
    private Health last;
    private long takenAt;

    public CachedHealthIndicator(HealthIndicator delegate, Duration ttl) {
        this.delegate = delegate;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public synchronized Health health() {
        long now = System.nanoTime();
        if (last == null || now - takenAt >= ttlNanos) {
            last = delegate.health();
            takenAt = System.nanoTime();
        }
        return last;
    }
}
