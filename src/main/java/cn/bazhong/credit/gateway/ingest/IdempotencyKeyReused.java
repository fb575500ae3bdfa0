package cn.bazhong.credit.gateway.ingest;

/** An Idempotency-Key already used by this department with another body (HTTP 422): nothing was taken. */
public class IdempotencyKeyReused extends RuntimeException {

    private final String idempotencyKey;

    public IdempotencyKeyReused(String idempotencyKey) {
        super("Idempotency-Key '" + idempotencyKey + "' was already used with another body; use a new key for new content");
        this.idempotencyKey = idempotencyKey;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }
}
