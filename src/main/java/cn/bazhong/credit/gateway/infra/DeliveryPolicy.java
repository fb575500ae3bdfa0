package cn.bazhong.credit.gateway.infra;

import cn.bazhong.credit.gateway.transport.NotStartedYet;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * The one retry decision of every outbound delivery, the province's batches ({@code upstream.BatchDelivery}) and
 * the departments' events ({@code fanout.FanoutDelivery}): how long to wait before the next attempt (capped
 * exponential back-off with jitter, or the receiver's Retry-After up to a cap), when to give up (after a number of
 * attempts, or when the next attempt would start past a time budget), and how an answer that is not a delivery
 * still counts as a failure for the receiver's circuit breaker ({@link #attempt}). What an answer means (delivered,
 * gone, refused, too large) stays with each delivery: it follows that receiver's contract.
 */
public final class DeliveryPolicy {

    private final IntervalFunction backoff;
    private final Duration retryAfterCap;
    private final int maxAttempts;   // 0: no limit
    private final Duration budget;   // null: no limit

    private DeliveryPolicy(Duration initialBackoff, Duration maxBackoff, Duration retryAfterCap, int maxAttempts, Duration budget) {
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(initialBackoff, 2.0, 0.5, maxBackoff);
        this.retryAfterCap = retryAfterCap;
        this.maxAttempts = maxAttempts;
        this.budget = budget;
    }

    /** Gives up after {@code maxAttempts}; a Retry-After is honoured up to {@code maxBackoff}. */
    public static DeliveryPolicy attempts(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt, found " + maxAttempts);
        }
        return new DeliveryPolicy(initialBackoff, maxBackoff, maxBackoff, maxAttempts, null);
    }

    /** Gives up when the next attempt would start after {@code budget} from the first; a Retry-After is honoured up to its cap. */
    public static DeliveryPolicy budget(Duration budget, Duration initialBackoff, Duration maxBackoff, Duration retryAfterCap) {
        return new DeliveryPolicy(initialBackoff, maxBackoff, retryAfterCap, 0, budget);
    }

    /** The wait after failed attempt {@code attempt} (1 for the first): the receiver's Retry-After (capped) when given, else the back-off. */
    public Duration waitAfter(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(retryAfterCap) <= 0 ? retryAfter : retryAfterCap;
        }
        return Duration.ofMillis(backoff.apply(attempt));
    }

    /** True when no attempt follows failed attempt {@code attempt}, begun at {@code firstAttempt}, with {@code wait} before the next. */
    public boolean givesUp(int attempt, Instant firstAttempt, Instant now, Duration wait) {
        return (maxAttempts > 0 && attempt >= maxAttempts) || (budget != null && now.plus(wait).isAfter(firstAttempt.plus(budget)));
    }

    /** How a policy gives up, for messages: "after 10 attempts" or "within the retry budget of PT1H". */
    public String limit() {
        return maxAttempts > 0 ? "after " + maxAttempts + " attempts" : "within the retry budget of " + budget;
    }

    /**
     * The settings every receiver's circuit breaker starts from: an attempt the gateway could not make because it has
     * {@linkplain NotStartedYet not started yet} counts neither as a failure nor as a success of the receiver (a node
     * restarted with a backlog would otherwise open the province's circuit before its first real call).
     */
    public static CircuitBreakerConfig.Builder breakerSettings() {
        return CircuitBreakerConfig.custom().ignoreExceptions(NotStartedYet.class);
    }

    /**
     * One attempt through the receiver's circuit breaker. An answer {@code failure} accepts is thrown as {@link Failed}
     * (answer kept), so that the breaker counts it; any other answer is returned and counts as a success.
     *
     * @throws io.github.resilience4j.circuitbreaker.CallNotPermittedException while the breaker is open
     */
    public static <A> A attempt(CircuitBreaker breaker, Callable<A> call, Predicate<A> failure) throws Exception {
        return breaker.executeCallable(() -> {
            A answer = call.call();
            if (failure.test(answer)) {
                throw new Failed(answer);
            }
            return answer;
        });
    }

    /** An answer that is not a delivery, carried through the circuit breaker as a failure. */
    public static final class Failed extends IOException {
        private final transient Object answer;

        Failed(Object answer) {
            super(String.valueOf(answer));
            this.answer = answer;
        }

        public <A> A answer(Class<A> type) {
            return type.cast(answer);
        }
    }
}
