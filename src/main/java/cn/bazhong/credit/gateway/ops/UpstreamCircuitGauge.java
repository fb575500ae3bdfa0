package cn.bazhong.credit.gateway.ops;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code gateway.upstream.circuit.state{breaker}}: 0 closed, 1 half-open, 2 open. A forced-open
 * breaker counts as open, a disabled or metrics-only one (calls always go through) as closed.
 */
public final class UpstreamCircuitGauge {

    public static final String NAME = "gateway.upstream.circuit.state";

    public UpstreamCircuitGauge(MeterRegistry registry, CircuitBreaker breaker) {
        Gauge.builder(NAME, breaker, b -> value(b.getState()))
                .description("state of the upstream circuit breaker: 0 closed, 1 half-open, 2 open")
                .tag("breaker", breaker.getName())
                .strongReference(true)
                .register(registry);
    }

    static double value(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> 0;
            case HALF_OPEN -> 1;
            case OPEN, FORCED_OPEN -> 2;
        };
    }
}
