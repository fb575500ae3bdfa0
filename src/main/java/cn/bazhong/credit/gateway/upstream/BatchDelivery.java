package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.DeliveryPolicy;
import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Delivers one batch document until the province gives a final answer, following the exchange
 * contract: 200 delivered; 400 and 409 dead-lettered at once (the batch itself is wrong); 401/403
 * retried with an alert (credentials must be fixed, nothing is dropped); 413 split by the caller;
 * 429, 5xx, time-outs and refused connections retried with capped exponential back-off and jitter,
 * honouring Retry-After, until the retry budget is spent, then dead-lettered. A circuit breaker
 * stops calling a province that keeps failing and lets a probe through now and then. The waits and when
 * to give up are the gateway's one {@link DeliveryPolicy}, as for the departments' deliveries.
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
    private final DeliveryPolicy policy;
    private final Duration budget;
    private final Clock clock;

    public BatchDelivery(UpstreamTransport transport, CircuitBreaker breaker, Duration initialBackoff, Duration maxBackoff,
                         Duration budget, Clock clock) {
        this.transport = transport;
        this.breaker = breaker;
        // a Retry-After is honoured up to four back-off caps: the province says when it is back
        this.policy = DeliveryPolicy.budget(budget, initialBackoff, maxBackoff, maxBackoff.multipliedBy(4));
        this.budget = budget;
        this.clock = clock;
    }

    public Outcome deliver(String batchId, byte[] document, Waiter waiter) throws InterruptedException {
        Instant first = Instant.now(clock);
        int attempt = 0;
        String lastProblem = "no attempt";
        int lastStatus = 0;
        String lastBody = null;
        while (true) {
            attempt++;
            Duration wait;
            try {
                // 429, 5xx, 401 and 403 count as failures for the circuit breaker, answer kept
                UpstreamTransport.Answer answer = DeliveryPolicy.attempt(breaker, () -> transport.send(batchId, document),
                        a -> a.status() == 429 || a.status() >= 500 || a.status() == 401 || a.status() == 403);
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
                wait = policy.waitAfter(attempt, null);
            } catch (DeliveryPolicy.Failed f) {
                UpstreamTransport.Answer answer = f.answer(UpstreamTransport.Answer.class);
                if (answer.status() == 401 || answer.status() == 403) {
                    LOG.error("ALERT: the province refused the gateway's credentials ({}) for batch {}; check gateway.upstream.token",
                            answer.status(), batchId);
                }
                lastStatus = answer.status();
                lastBody = answer.body();
                lastProblem = "HTTP " + answer.status();
                wait = policy.waitAfter(attempt, answer.retryAfter());
            } catch (CallNotPermittedException e) {
                lastProblem = "circuit open after repeated failures";
                wait = policy.waitAfter(attempt, null);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                wait = policy.waitAfter(attempt, null);
            }
            if (policy.givesUp(attempt, first, Instant.now(clock), wait)) {
                LOG.error("ALERT: batch {} not delivered within the retry budget of {} ({} attempts, last: {}); dead-lettered",
                        batchId, budget, attempt, lastProblem);
                return new Outcome.DeadLetter("not delivered within the retry budget of " + budget + " (last: " + lastProblem + ")",
                        lastStatus, lastBody);
            }
            LOG.warn("batch {} attempt {} failed ({}); next attempt in {} ms", batchId, attempt, lastProblem, wait.toMillis());
            waiter.await(wait);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : cn.bazhong.credit.gateway.validation.Text.shorten(s, 500);
    }
}
