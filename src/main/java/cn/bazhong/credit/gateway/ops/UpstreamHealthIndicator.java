package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Whether the province takes deliveries, as the sender's circuit breaker sees it: UP while the
 * breaker is CLOSED, DOWN while it is OPEN or HALF_OPEN (recent calls failed; a probe decides when it
 * closes again), OUT_OF_SERVICE when an operator forced it open. Reads in-memory state only.
 * docs/operations.md says why DOWN rather than a custom status.
 */
public final class UpstreamHealthIndicator implements HealthIndicator {

    private final CircuitBreaker breaker;
    private final UpstreamTransport transport;

    public UpstreamHealthIndicator(CircuitBreaker breaker, UpstreamTransport transport) {
        this.breaker = breaker;
        this.transport = transport;
    }

    @Override
    public Health health() {
        CircuitBreaker.State state = breaker.getState();
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        return Health.status(status(state))
                .withDetail("circuit", state.name())
                .withDetail("failureRate", metrics.getFailureRate())
                .withDetail("failureRateThreshold", breaker.getCircuitBreakerConfig().getFailureRateThreshold())
                .withDetail("minimumNumberOfCalls", breaker.getCircuitBreakerConfig().getMinimumNumberOfCalls())
                .withDetail("bufferedCalls", metrics.getNumberOfBufferedCalls())
                .withDetail("failedCalls", metrics.getNumberOfFailedCalls())
                .withDetail("notPermittedCalls", metrics.getNumberOfNotPermittedCalls())
                .withDetail("transport", transport.describe())
                .build();
    }

    static Status status(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> Status.UP;
            case OPEN, HALF_OPEN -> Status.DOWN;
            case FORCED_OPEN -> Status.OUT_OF_SERVICE;
        };
    }
}
