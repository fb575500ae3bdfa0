package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Delivers one batch document until the province gives a final answer, following the exchange
 * contract: 200 delivered; 400 and 409 dead-lettered at once (the batch itself is wrong); 401/403
 * retried with an alert (credentials must be fixed, nothing is dropped); 413 split by the caller;
 * 429, 5xx, time-outs and refused connections retried with capped exponential back-off and jitter,
 * honouring Retry-After, until the retry budget is spent, then dead-lettered. A circuit breaker
 * stops calling a province that keeps failing and lets a probe through now and then.
 */
public class BatchDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(BatchDelivery.class);

    /** Waits between attempts; the sender keeps its Kafka membership alive while waiting. */
    public interface Waiter {
        void await(Duration duration) throws InterruptedException;
    }

    public sealed interface Outcome {
        record Delivered(String body) implements Outcome {
        }

        record TooLarge() implements Outcome {
        }

        record DeadLetter(String reason, int status, String body) implements Outcome {
        }
    }

    private final UpstreamTransport transport;
    private final CircuitBreaker breaker;
    private final IntervalFunction backoff;
    private final Duration maxBackoff;
    private final Duration budget;
    private final Clock clock;

    public BatchDelivery(UpstreamTransport transport, CircuitBreaker breaker, Duration initialBackoff, Duration maxBackoff,
                         Duration budget, Clock clock) {
        this.transport = transport;
        this.breaker = breaker;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(initialBackoff, 2.0, 0.5, maxBackoff);
        this.maxBackoff = maxBackoff;
        this.budget = budget;
        this.clock = clock;
    }

    public Outcome deliver(String batchId, byte[] document, Waiter waiter) throws InterruptedException {
        Instant deadline = Instant.now(clock).plus(budget);
        int attempt = 0;
        String lastProblem = "no attempt";
        int lastStatus = 0;
        String lastBody = null;
        while (true) {
            attempt++;
            Duration wait;
            try {
                UpstreamTransport.Answer answer = breaker.executeCallable(() -> call(batchId, document));
                int status = answer.status();
                if (status >= 200 && status < 300) {
                    return new Outcome.Delivered(answer.body());
                }
                if (status == 413) {
                    return new Outcome.TooLarge();
                }
                if (status == 400 || status == 409) {
                    LOG.error("ALERT: the province refused batch {} with {}: {}", batchId, status, abbreviate(answer.body()));
                    return new Outcome.DeadLetter(status == 400 ? "the province found the batch malformed"
                            : "the province saw this batch id with different content", status, answer.body());
                }
                // any other answer (3xx, unexpected 4xx) is not a delivery: retried within the budget
                lastStatus = status;
                lastBody = answer.body();
                lastProblem = "HTTP " + status;
                wait = Duration.ofMillis(backoff.apply(attempt));
            } catch (FailedAnswer f) {
                UpstreamTransport.Answer answer = f.answer;
                if (answer.status() == 401 || answer.status() == 403) {
                    LOG.error("ALERT: the province refused the gateway's credentials ({}) for batch {}; check gateway.upstream.token",
                            answer.status(), batchId);
                }
                lastStatus = answer.status();
                lastBody = answer.body();
                lastProblem = "HTTP " + answer.status();
                wait = answer.retryAfter() != null ? min(answer.retryAfter(), maxBackoff.multipliedBy(4))
                        : Duration.ofMillis(backoff.apply(attempt));
            } catch (CallNotPermittedException e) {
                lastProblem = "circuit open after repeated failures";
                wait = Duration.ofMillis(backoff.apply(attempt));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                wait = Duration.ofMillis(backoff.apply(attempt));
            }
            if (Instant.now(clock).plus(wait).isAfter(deadline)) {
                LOG.error("ALERT: batch {} not delivered within the retry budget of {} ({} attempts, last: {}); dead-lettered",
                        batchId, budget, attempt, lastProblem);
                return new Outcome.DeadLetter("not delivered within the retry budget of " + budget + " (last: " + lastProblem + ")",
                        lastStatus, lastBody);
            }
            LOG.warn("batch {} attempt {} failed ({}); next attempt in {} ms", batchId, attempt, lastProblem, wait.toMillis());
            waiter.await(wait);
        }
    }

    private UpstreamTransport.Answer call(String batchId, byte[] document) throws IOException, InterruptedException {
        UpstreamTransport.Answer answer = transport.send(batchId, document);
        int s = answer.status();
        if (s == 429 || s >= 500 || s == 401 || s == 403) {
            // count as a failure for the circuit breaker without losing the answer
            throw new FailedAnswer(answer);
        }
        return answer;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }

    /** An answer that means "not now", carried through the circuit breaker as a failure. */
    static final class FailedAnswer extends IOException {
        private final UpstreamTransport.Answer answer;

        FailedAnswer(UpstreamTransport.Answer answer) {
            super("HTTP " + answer.status());
            this.answer = answer;
        }
    }
}
