package cn.bazhong.credit.gateway.web;

/** An answer other than success, with the HTTP status and a message the caller can act on. */
public class HttpProblem extends RuntimeException {

    private final int status;
    private final Integer retryAfterSeconds;

    public HttpProblem(int status, String message) {
        this(status, message, null);
    }

    public HttpProblem(int status, String message, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
