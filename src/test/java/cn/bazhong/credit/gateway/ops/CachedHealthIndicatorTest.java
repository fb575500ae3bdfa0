package cn.bazhong.credit.gateway.ops;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CachedHealthIndicatorTest {

    @Test
    void polls_within_the_time_to_live_reuse_one_check_and_a_later_poll_checks_again() {
        AtomicInteger checks = new AtomicInteger();
        CachedHealthIndicator cached = new CachedHealthIndicator(
                () -> Health.up().withDetail("check", checks.incrementAndGet()).build(), Duration.ofMillis(300));

        assertThat(cached.health().getDetails()).containsEntry("check", 1);
        assertThat(cached.health().getDetails()).containsEntry("check", 1);
        assertThat(checks).hasValue(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> cached.health().getDetails().get("check").equals(2));
        assertThat(checks).hasValue(2);
    }
}
