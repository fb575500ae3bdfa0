package cn.bazhong.credit.gateway.ingest;

import java.io.IOException;

/**
 * The body of a request grew past its limit while it was being read. Thrown by the web layer's body
 * stream, so it surfaces wherever the body is read (a reader, the ingestor); whatever was read of the
 * request is dropped and the request is answered 413.
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
