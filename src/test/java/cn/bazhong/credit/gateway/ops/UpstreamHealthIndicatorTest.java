package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.upstream.RestUpstreamTransport;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The upstream component and circuit gauge over a real resilience4j circuit breaker. */
class UpstreamHealthIndicatorTest {

    private final CircuitBreaker breaker = CircuitBreaker.of("province", CircuitBreakerConfig.custom()
            .slidingWindowSize(10).minimumNumberOfCalls(4).failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(10)).permittedNumberOfCallsInHalfOpenState(1).build());
    private final UpstreamHealthIndicator indicator = new UpstreamHealthIndicator(breaker,
            new RestUpstreamTransport(org.apache.camel.impl.DefaultCamelContext::new, "https://credit.sc.example/", "secret-token", Duration.ofSeconds(5)));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double gauge() {
        return registry.get(UpstreamCircuitGauge.NAME).tag("breaker", "province").gauge().value();
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            breaker.onError(1, TimeUnit.MILLISECONDS, new IOException("Connection refused"));
        }
    }

    @Test
    void a_closed_circuit_is_up_with_its_failure_rate_and_the_transport_without_secrets() {
        new UpstreamCircuitGauge(registry, breaker);
        breaker.onSuccess(1, TimeUnit.MILLISECONDS);
        breaker.onSuccess(1, TimeUnit.MILLISECONDS);
        breaker.onSuccess(1, TimeUnit.MILLISECONDS);
        fail(1);

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("circuit", "CLOSED").containsEntry("failureRate", 25.0f)
                .containsEntry("failedCalls", 1).containsEntry("bufferedCalls", 4)
                .containsEntry("transport", "REST https://credit.sc.example/exchange/v1/batches");
        assertThat(health.getDetails().toString()).doesNotContain("secret-token");
        assertThat(gauge()).isZero();
    }

    @Test
    void repeated_failures_open_the_circuit_which_is_down_and_reads_two_on_the_gauge() {
        new UpstreamCircuitGauge(registry, breaker);
        fail(4);

        Health health = indicator.health();

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("circuit", "OPEN").containsEntry("failureRate", 100.0f);
        assertThat(gauge()).isEqualTo(2.0);
    }

    @Test
    void a_half_open_circuit_stays_down_until_its_probe_succeeds_and_reads_one_on_the_gauge() {
        new UpstreamCircuitGauge(registry, breaker);
        fail(4);
        breaker.transitionToHalfOpenState();

        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(indicator.health().getDetails()).containsEntry("circuit", "HALF_OPEN");
        assertThat(gauge()).isEqualTo(1.0);

        breaker.onSuccess(1, TimeUnit.MILLISECONDS);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        assertThat(gauge()).isZero();
    }

    @Test
    void a_circuit_forced_open_by_an_operator_is_out_of_service() {
        new UpstreamCircuitGauge(registry, breaker);
        breaker.transitionToForcedOpenState();

        assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(gauge()).isEqualTo(2.0);
    }
}
