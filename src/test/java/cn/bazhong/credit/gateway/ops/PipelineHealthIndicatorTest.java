package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.infra.KafkaStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pipeline component over real stage threads (stages that do no Kafka work). */
class PipelineHealthIndicatorTest {

    /** A stage that idles, or fails on every run when told to. */
    static final class IdleStage extends KafkaStage {
        private final String failure;
        private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

        IdleStage(String name, String failure) {
            super(name);
            this.failure = failure;
        }

        @Override
        protected void runOnce() throws Exception {
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            healthy();
            stopped.await(); // idle until stop() wakes the stage
        }

        @Override
        protected void wakeup() {
            stopped.countDown();
        }
    }

    private final List<KafkaStage> stages = new ArrayList<>();

    private IdleStage started(String name, String failure) {
        IdleStage s = new IdleStage(name, failure);
        s.start();
        stages.add(s);
        return s;
    }

    @AfterEach
    void stopStages() {
        stages.forEach(KafkaStage::stop);
    }

    @Test
    void running_stages_without_failures_are_up_with_a_detail_per_stage() {
        started("first", null);
        started("second", null);

        Health health = new PipelineHealthIndicator(stages).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsOnlyKeys("first", "second");
        assertThat(health.getDetails().get("first")).isEqualTo(Map.of("running", true, "failing", false));
    }

    @Test
    void a_failing_stage_makes_the_pipeline_down_with_its_last_failure() {
        started("fine", null);
        IdleStage broken = started("broken", "the broker went away");
        await().atMost(Duration.ofSeconds(5)).until(() -> broken.lastFailure() != null);

        Health health = new PipelineHealthIndicator(stages).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("broken")).isEqualTo(Map.of("running", true, "failing", true,
                "lastFailure", "IllegalStateException: the broker went away"));
        assertThat(health.getDetails().get("fine")).isEqualTo(Map.of("running", true, "failing", false));
    }

    @Test
    void a_stopped_stage_makes_the_pipeline_out_of_service() {
        started("running", null);
        IdleStage stopped = started("stopped", null);
        stopped.stop();

        Health health = new PipelineHealthIndicator(stages).health();

        assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health.getDetails().get("stopped")).isEqualTo(Map.of("running", false, "failing", false));
    }
}
