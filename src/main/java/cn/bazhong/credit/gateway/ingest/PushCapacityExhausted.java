package cn.bazhong.credit.gateway.ingest;

import java.time.Duration;

/**
 * Every push transaction of this node stayed busy for the whole wait (HTTP 503 with Retry-After):
 * nothing was read or taken.
 */
public class PushCapacityExhausted extends RuntimeException {

    private final Duration retryAfter;

    public PushCapacityExhausted(int slots, Duration waited, Duration retryAfter) {
        super("all " + slots + " push slots of this node stayed busy for " + waited.toMillis() + " ms; send again later");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
