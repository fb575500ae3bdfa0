package cn.bazhong.credit.gateway.ingest;

import java.time.Duration;

/**
 * A push with this Idempotency-Key is still under way, or died less than the key's lease ago
 * (HTTP 409 with Retry-After): nothing was taken.
 */
public class IdempotencyKeyBusy extends RuntimeException {

    private final Duration retryAfter;

    public IdempotencyKeyBusy(String idempotencyKey, Duration retryAfter) {
        super("a request with Idempotency-Key '" + idempotencyKey + "' is still being processed; retry after "
                + Math.max(1, retryAfter.toSeconds()) + " s");
        this.retryAfter = retryAfter;
    }

    /** When the key's lease ends at the latest. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
