package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.infra.DeliveryPolicy;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Delivers to one department until it is delivered, gone or out of retries (department-push.md):
 * any 2xx is delivered; 410 means the endpoint is gone; everything else (3xx, 4xx, 5xx, time-outs,
 * refused connections) is retried with capped exponential back-off and jitter, honouring Retry-After
 * up to the cap, and dead-lettered after the subscription's attempts. The department's own circuit
 * breaker stops hammering an endpoint that keeps failing; nothing here is shared between departments.
 * The waits and when to give up are the gateway's one {@link DeliveryPolicy}, as for the province's batches.
 */
public final class FanoutDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutDelivery.class);

    /** Waits between attempts; the dispatcher keeps its Kafka membership alive meanwhile. */
    public interface Waiter {
        void await(Duration duration) throws InterruptedException;
    }

    public sealed interface Outcome {
        record Delivered(int attempts) implements Outcome {
        }

        record Gone(int attempts) implements Outcome {
        }

        record DeadLetter(String reason, int status, int attempts) implements Outcome {
        }
    }

    private final String department;
    private final ChannelSender sender;
    private final CircuitBreaker breaker;
    private final DeliveryPolicy policy;
    private volatile int lastStatusSeen;
    private volatile String lastProblemSeen = "no answer yet";

    public FanoutDelivery(String department, ChannelSender sender, CircuitBreaker breaker, Subscription.RetryPolicy policy) {
        this.department = department;
        this.sender = sender;
        this.breaker = breaker;
        this.policy = DeliveryPolicy.attempts(policy.maxAttempts(), policy.initialBackoff(), policy.maxBackoff());
    }

    public Outcome deliver(List<OutboundEvent> events, Waiter waiter) throws InterruptedException {
        String what = events.size() == 1 ? "event " + events.get(0).id() : events.size() + " events from " + events.get(0).id();
        // while the breaker is open there is no answer: the department's last real one is the reason
        int lastStatus = lastStatusSeen;
        String lastProblem = lastProblemSeen;
        boolean circuitOpen = false;
        Instant first = Instant.now();
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            circuitOpen = false;
            try {
                // a non-2xx answer other than 410 is a breaker failure; 410 is not: the endpoint is gone, not failing
                ChannelSender.Attempt answer = DeliveryPolicy.attempt(breaker, () -> sender.send(events),
                        a -> !a.delivered() && a.status() != 410);
                if (answer.delivered()) {
                    return new Outcome.Delivered(attempt);
                }
                // 410 (never counted as a breaker failure: the endpoint is gone, not failing)
                // what follows is the caller's to say: a department's endpoint is disabled, the website's message dead-lettered
                LOG.error("ALERT: {} answered 410 Gone for {}", department, what);
                return new Outcome.Gone(attempt);
            } catch (DeliveryPolicy.Failed f) {
                ChannelSender.Attempt failed = f.answer(ChannelSender.Attempt.class);
                lastStatus = failed.status();
                lastProblem = "HTTP " + lastStatus;
                remember(lastStatus, lastProblem);
                wait = policy.waitAfter(attempt, failed.retryAfter());
            } catch (CallNotPermittedException e) {
                // not an answer: the last real one stays the reason
                circuitOpen = true;
                wait = policy.waitAfter(attempt, null);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                lastStatus = 0;
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                remember(lastStatus, lastProblem);
                wait = policy.waitAfter(attempt, null);
            }
            if (circuitOpen) {
                lastProblem = lastProblem.replace("; circuit breaker open", "") + "; circuit breaker open";
            }
            if (policy.givesUp(attempt, first, Instant.now(), wait)) {
                LOG.error("ALERT: {} for {} not delivered after {} attempts (last: {}); dead-lettered", what, department, attempt, lastProblem);
                return new Outcome.DeadLetter("not delivered after " + attempt + " attempts (last: " + lastProblem + ")", lastStatus, attempt);
            }
            LOG.warn("{} for {}: attempt {} failed ({}); next attempt in {} ms", what, department, attempt, lastProblem, wait.toMillis());
            waiter.await(wait);
        }
    }

    private void remember(int status, String problem) {
        lastStatusSeen = status;
        lastProblemSeen = problem;
    }
}
