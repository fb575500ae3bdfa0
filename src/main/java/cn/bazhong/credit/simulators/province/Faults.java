package cn.bazhong.credit.simulators.province;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The faults currently switched on, changeable at any time from any thread. Time windows run on
 * {@link System#nanoTime()} so they are immune to clock changes.
 */
final class Faults {

    /** A batch request that is answered with {@code status} and not processed. */
    record Failure(int status, Duration retryAfter, String reason) {
    }

    private record RejectRule(Pattern recordId, String code, String message) {
    }

    private int failNextCount;
    private int failNextStatus;
    private Duration failNextRetryAfter;
    private long failForUntilNanos;
    private int failForStatus;
    private boolean failForActive;
    private Duration delay = Duration.ZERO;
    private final List<RejectRule> rejectRules = new ArrayList<>();

    synchronized void failNext(int count, int status, Duration retryAfter) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        checkStatus(status);
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
        failNextCount = count;
        failNextStatus = status;
        failNextRetryAfter = retryAfter;
    }

    synchronized void failFor(Duration window, int status) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative");
        }
        checkStatus(status);
        failForActive = true;
        failForUntilNanos = System.nanoTime() + window.toNanos();
        failForStatus = status;
    }

    synchronized void delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        this.delay = delay;
    }

    synchronized Duration delay() {
        return delay;
    }

    synchronized void reject(String recordIdRegex, String code, String message) {
        Objects.requireNonNull(recordIdRegex, "recordIdRegex");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        rejectRules.add(new RejectRule(Pattern.compile(recordIdRegex), code, message));
    }

    /**
     * The failure for the batch request arriving now, if any; a {@code failNext} failure is used up by
     * this call. {@code failNext} goes first, then the {@code failFor} window.
     */
    synchronized Optional<Failure> takeFailure() {
        if (failNextCount > 0) {
            failNextCount--;
            return Optional.of(new Failure(failNextStatus, failNextRetryAfter,
                    "simulated failure (failNext, " + failNextCount + " left)"));
        }
        long left = failForLeftNanos();
        if (left > 0) {
            Duration retryAfter = failForStatus == 429 || failForStatus == 503 ? Duration.ofNanos(left) : null;
            return Optional.of(new Failure(failForStatus, retryAfter, "simulated failure (failFor window)"));
        }
        return Optional.empty();
    }

    /** The configured rejection for a record id (first matching rule, found anywhere in the id), if any. */
    synchronized Optional<RecordChecks.Rejection> rejectionFor(String recordId) {
        return rejectRules.stream()
                .filter(rule -> rule.recordId().matcher(recordId).find())
                .findFirst()
                .map(rule -> new RecordChecks.Rejection(rule.code(), rule.message()));
    }

    synchronized void clear() {
        failNextCount = 0;
        failNextRetryAfter = null;
        failForActive = false;
        delay = Duration.ZERO;
        rejectRules.clear();
    }

    /** What is switched on, for {@code GET /sim/faults}. */
    synchronized Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (failNextCount > 0) {
            Map<String, Object> next = new LinkedHashMap<>();
            next.put("remaining", failNextCount);
            next.put("status", failNextStatus);
            next.put("retryAfterSeconds", failNextRetryAfter == null ? null : retryAfterSeconds(failNextRetryAfter));
            out.put("failNext", next);
        }
        long left = failForLeftNanos();
        if (left > 0) {
            out.put("failFor", Map.of("remainingMillis", Duration.ofNanos(left).toMillis(), "status", failForStatus));
        }
        out.put("delayMillis", delay.toMillis());
        out.put("reject", rejectRules.stream()
                .map(r -> Map.of("recordIdRegex", r.recordId().pattern(), "code", r.code(), "message", r.message()))
                .toList());
        return out;
    }

    /** Whole seconds for a {@code Retry-After} header, rounded up. */
    static long retryAfterSeconds(Duration retryAfter) {
        long seconds = retryAfter.getSeconds();
        return retryAfter.getNano() > 0 ? seconds + 1 : seconds;
    }

    private long failForLeftNanos() {
        if (!failForActive) {
            return 0;
        }
        long left = failForUntilNanos - System.nanoTime();
        if (left <= 0) {
            failForActive = false;
        }
        return left;
    }

    private static void checkStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a simulated failure needs a 4xx or 5xx status, was " + status);
        }
    }
}
