package cn.bazhong.credit.gateway.ingest;

import java.io.IOException;

/**
 * Thrown by the web layer's body stream once more than {@code limit} bytes were read (HTTP 413). Like any
 * failure of the body it aborts the push: nothing of it is taken.
 */
public class BodyTooLargeException extends IOException {

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes; split it into several requests");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
