package cn.bazhong.credit.gateway.feeds;

import org.apache.camel.spring.pollingconsumer.SpringScheduledPollConsumerScheduler;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.junit.jupiter.api.Test;

import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedScheduleTest {

    @Test
    void a_feed_without_cron_is_polled_every_delay_milliseconds() {
        assertThat(FeedSchedule.of("scjgj-penalties", "", "", 30000))
                .isInstanceOfSatisfying(DefaultScheduledPollConsumerScheduler.class, s -> {
                    assertThat(s.getDelay()).isEqualTo(30000);
                    assertThat(s.isUseFixedDelay()).isTrue();
                });
    }

    @Test
    void a_feed_with_cron_is_polled_at_its_times_in_its_time_zone() {
        assertThat(FeedSchedule.of("zjfy-defaulters", " 0 30 6 * * * ", "Asia/Shanghai", 30000))
                .isInstanceOfSatisfying(SpringScheduledPollConsumerScheduler.class, s -> {
                    assertThat(s.getCron()).isEqualTo("0 30 6 * * *");
                    assertThat(s.getTimeZone()).isEqualTo(TimeZone.getTimeZone("Asia/Shanghai"));
                });
    }

    @Test
    void a_wrong_cron_expression_stops_the_start_naming_the_feed() {
        assertThatThrownBy(() -> FeedSchedule.of("zjfy-defaulters", "30 6 * * *", "", 30000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zjfy-defaulters")
                .hasMessageContaining("six fields");
        assertThatThrownBy(() -> FeedSchedule.of("zjfy-defaulters", "0 30 6 * * *", "Mars/Olympus", 30000))
                .hasMessageContaining("Mars/Olympus");
        assertThatThrownBy(() -> FeedSchedule.of("scjgj-penalties", "", "", 0))
                .hasMessageContaining("scjgj-penalties");
    }
}
