package cn.bazhong.credit.gateway.feeds;

import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.spring.pollingconsumer.SpringScheduledPollConsumerScheduler;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.springframework.scheduling.support.CronExpression;

import java.util.TimeZone;
import java.util.concurrent.TimeUnit;

/**
 * When an SFTP feed is polled: at the times of a cron expression when the feed has one, otherwise
 * every {@code delay} milliseconds. Used by the SFTP route template as a template bean:
 *
 * <pre>
 *   - name: pollSchedule
 *     type: "#class:cn.bazhong.credit.gateway.feeds.FeedSchedule"
 *     factoryMethod: of
 * </pre>
 *
 * A cron expression has six fields, seconds first, as Spring reads them ({@code 0 30 6 * * *}:
 * every day at 06:30:00); a wrong one stops the start with the feed named, not at the first poll.
 */
public final class FeedSchedule {

    /** Milliseconds before the first poll of an interval schedule. */
    static final long INITIAL_DELAY = 1000;

    private FeedSchedule() {
    }

    public static ScheduledPollConsumerScheduler of(String feed, String cron, String timeZone, long delay) {
        if (cron == null || cron.isBlank()) {
            if (delay <= 0) {
                throw new IllegalArgumentException("feed " + feed + ": delay must be a positive number of milliseconds, not " + delay);
            }
            DefaultScheduledPollConsumerScheduler interval = new DefaultScheduledPollConsumerScheduler();
            interval.setInitialDelay(INITIAL_DELAY);
            interval.setDelay(delay);
            interval.setTimeUnit(TimeUnit.MILLISECONDS);
            interval.setUseFixedDelay(true);
            return interval;
        }
        String expression = cron.strip();
        try {
            CronExpression.parse(expression);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("feed " + feed + ": cron \"" + expression + "\" is not a cron expression of six fields"
                    + " (second minute hour day-of-month month day-of-week, e.g. \"0 30 6 * * *\"): " + e.getMessage(), e);
        }
        SpringScheduledPollConsumerScheduler scheduled = new SpringScheduledPollConsumerScheduler();
        scheduled.setCron(expression);
        if (timeZone != null && !timeZone.isBlank()) {
            scheduled.setTimeZone(TimeZone.getTimeZone(java.time.ZoneId.of(timeZone.strip())));
        }
        return scheduled;
    }
}
