package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The subjects' view is rebuilt from the upstream topic, so that topic must keep the view's years. */
class SubjectRecordsRetentionTest {

    private static GatewayTopics upstreamKept(Duration retention) {
        return new GatewayTopics("credit.records", "credit.upstream", "credit.upstream.batches", "credit.upstream.dlq",
                "credit.receipts", 6, (short) 1, null, null, retention, null);
    }

    @Test
    void an_upstream_retention_shorter_than_the_kept_years_refuses_the_start_naming_both_settings() {
        assertThatThrownBy(() -> SubjectRecordsStage.requireRetentionCovers(upstreamKept(Duration.ofDays(1000)), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway.topics.upstream-retention (1000 days)")
                .hasMessageContaining("gateway.subjects.records-years (3 years");
    }

    @Test
    void the_default_retention_covers_the_longest_view_and_zero_keeps_for_ever() {
        assertThatCode(() -> SubjectRecordsStage.requireRetentionCovers(upstreamKept(null), 5)).doesNotThrowAnyException();
        assertThatCode(() -> SubjectRecordsStage.requireRetentionCovers(upstreamKept(Duration.ZERO), 5)).doesNotThrowAnyException();
        assertThatCode(() -> SubjectRecordsStage.requireRetentionCovers(upstreamKept(Duration.ofDays(3 * 366)), 3))
                .doesNotThrowAnyException();
    }
}
