package cn.bazhong.credit.gateway.infra;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry decision shared by the province's batches and the departments' events. */
class DeliveryPolicyTest {

    private static final Instant T0 = Instant.parse("2026-12-05T00:00:00Z");

    @Test
    void the_back_off_grows_with_jitter_up_to_its_cap() {
        DeliveryPolicy policy = DeliveryPolicy.attempts(20, Duration.ofMillis(100), Duration.ofSeconds(2));
        assertThat(policy.waitAfter(1, null)).isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
        assertThat(policy.waitAfter(3, null)).isBetween(Duration.ofMillis(200), Duration.ofMillis(600));
        IntStream.rangeClosed(1, 20).forEach(a -> assertThat(policy.waitAfter(a, null)).isLessThanOrEqualTo(Duration.ofSeconds(3)));
    }

    @Test
    void a_retry_after_is_honoured_up_to_its_cap() {
        DeliveryPolicy departments = DeliveryPolicy.attempts(5, Duration.ofMillis(100), Duration.ofSeconds(10));
        assertThat(departments.waitAfter(1, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(departments.waitAfter(1, Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(10));
        DeliveryPolicy province = DeliveryPolicy.budget(Duration.ofHours(1), Duration.ofMillis(100), Duration.ofSeconds(10),
                Duration.ofSeconds(40));
        assertThat(province.waitAfter(1, Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void it_gives_up_after_its_attempts_or_when_the_next_attempt_would_start_past_its_budget() {
        DeliveryPolicy attempts = DeliveryPolicy.attempts(3, Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(attempts.givesUp(2, T0, T0.plus(Duration.ofDays(9)), Duration.ofSeconds(1))).isFalse();
        assertThat(attempts.givesUp(3, T0, T0, Duration.ZERO)).isTrue();
        assertThat(attempts.limit()).isEqualTo("after 3 attempts");

        DeliveryPolicy budget = DeliveryPolicy.budget(Duration.ofMinutes(10), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(4));
        assertThat(budget.givesUp(1000, T0, T0.plus(Duration.ofMinutes(9)), Duration.ofSeconds(59))).isFalse();
        assertThat(budget.givesUp(2, T0, T0.plus(Duration.ofMinutes(9)), Duration.ofSeconds(61))).isTrue();
    }

    @Test
    void an_answer_that_is_no_delivery_is_a_breaker_failure_that_keeps_the_answer_and_an_open_breaker_refuses_the_call() {
        CircuitBreaker breaker = CircuitBreaker.of("t", CircuitBreakerConfig.custom().slidingWindowSize(2).minimumNumberOfCalls(2)
                .failureRateThreshold(50).waitDurationInOpenState(Duration.ofMinutes(1)).build());
        assertThatThrownBy(() -> DeliveryPolicy.attempt(breaker, () -> 503, s -> s >= 500))
                .isInstanceOfSatisfying(DeliveryPolicy.Failed.class, f -> assertThat(f.answer(Integer.class)).isEqualTo(503));
        try {
            assertThat(DeliveryPolicy.attempt(breaker, () -> 410, s -> s >= 500)).isEqualTo(410); // returned, a success
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN); // 50 % of 2 calls
        assertThatThrownBy(() -> DeliveryPolicy.attempt(breaker, () -> 200, s -> false)).isInstanceOf(CallNotPermittedException.class);
    }
}
