package cn.bazhong.credit.gateway.feeds;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spring.pollingconsumer.SpringScheduledPollConsumerScheduler;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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

    @Test
    void a_running_poller_says_when_it_polls_next_and_a_stopped_one_does_not() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("everyMinute", FeedSchedule.of("interval-feed", "", "", 60_000));
            camel.getRegistry().bind("everyMinuteToo", FeedSchedule.of("stopped-feed", "", "", 60_000));
            camel.getRegistry().bind("atHalfPastSix", FeedSchedule.of("cron-feed", "0 30 6 * * *", "Asia/Shanghai", 0));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("scheduler:interval?scheduler=#everyMinute").routeId("interval-route").process(e -> polls.incrementAndGet());
                    from("scheduler:cron?scheduler=#atHalfPastSix").routeId("cron-route").process(e -> polls.incrementAndGet());
                    from("scheduler:stopped?scheduler=#everyMinuteToo").routeId("stopped-route").autoStartup(false).process(e -> { });
                }
            });
            Instant started = Instant.now();
            camel.start();
            FeedPollers pollers = new FeedPollers(camel);

            List<FeedPollers.Poller> before = pollers.list(Instant.now());
            assertThat(before).extracting(FeedPollers.Poller::routeId).containsExactly("cron-route", "interval-route", "stopped-route");
            assertThat(before).extracting(FeedPollers.Poller::feed).containsExactly("cron-feed", "interval-feed", "stopped-feed");
            FeedPollers.Poller cron = before.get(0);
            assertThat(cron.schedule()).isEqualTo("cron 0 30 6 * * * Asia/Shanghai");
            Instant now = Instant.now();
            ZonedDateTime shanghai = now.atZone(ZoneId.of("Asia/Shanghai"));
            ZonedDateTime expected = shanghai.withHour(6).withMinute(30).withSecond(0).withNano(0);
            if (!expected.isAfter(shanghai)) {
                expected = expected.plusDays(1);
            }
            assertThat(pollers.list(now).get(0).nextPoll()).isEqualTo(expected.toInstant());
            assertThat(before.get(1).schedule()).isEqualTo("every 1m");
            assertThat(before.get(1).nextPoll()).as("the first poll, a second after the start")
                    .isBetween(started.plusMillis(FeedSchedule.INITIAL_DELAY), Instant.now().plusMillis(FeedSchedule.INITIAL_DELAY));
            assertThat(before.get(2).nextPoll()).as("a stopped route polls nowhere").isNull();
            assertThat(before.get(2).routeStatus()).isEqualTo("Stopped");

            await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() >= 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pollers.list(Instant.now()).get(1).nextPoll())
                    .as("a minute after the first poll ended").isAfter(Instant.now().plusSeconds(50)));
        }
    }
}
