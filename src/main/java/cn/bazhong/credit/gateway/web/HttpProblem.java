package cn.bazhong.credit.gateway.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer other than success: the HTTP status, a short kind ({@code type} of the RFC 9457 problem, e.g.
 * {@code empty-body}), a message the caller can act on, and optional details that name what is wrong
 * ({@code field}, {@code position}, {@code rule}). Rendered by {@link ProblemResponses}.
 */
public class HttpProblem extends RuntimeException {

    private final int status;
    private final String kind;
    private final Integer retryAfterSeconds;
    private final Map<String, Object> details = new LinkedHashMap<>();

    public HttpProblem(int status, String message) {
        this(status, defaultKind(status), message, null);
    }

    public HttpProblem(int status, String kind, String message) {
        this(status, kind, message, null);
    }

    public HttpProblem(int status, String kind, String message, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Adds a detail member (e.g. field, position, rule); null values are left out. */
    public HttpProblem with(String name, Object value) {
        if (value != null) {
            details.put(name, value);
        }
        return this;
    }

    public int status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Map<String, Object> details() {
        return details;
    }

    static String defaultKind(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 409 -> "conflict";
            case 413 -> "body-too-large";
            case 415 -> "unsupported-media-type";
            case 422 -> "unprocessable";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "client-error";
        };
    }
}
