package cn.bazhong.credit.gateway.feeds;

import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.spring.pollingconsumer.SpringScheduledPollConsumerScheduler;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.springframework.scheduling.support.CronExpression;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
 * Either schedule says when it polls next ({@link Timed}), which the console's overview shows.
 */
public final class FeedSchedule {

    /** Milliseconds before the first poll of an interval schedule. */
    static final long INITIAL_DELAY = 1000;

    private FeedSchedule() {
    }

    /** A feed's schedule that knows when it polls next. */
    public interface Timed {

        String feed();

        /** {@code every 30s} or {@code cron 0 30 6 * * * Asia/Shanghai}. */
        String describe();

        /** When the feed is polled next, counted from {@code now}; null when the poller is not scheduled on this node. */
        Instant nextPoll(Instant now);
    }

    /** Every {@code delay} after the end of the last poll (fixed delay), the first {@link #INITIAL_DELAY} after the start. */
    static final class Interval extends DefaultScheduledPollConsumerScheduler implements Timed {

        private final String feed;
        private volatile Instant started;
        private volatile Instant lastPollEnded;
        private volatile boolean polling;

        Interval(String feed) {
            this.feed = feed;
        }

        @Override
        public void scheduleTask(Runnable task) {
            super.scheduleTask(() -> {
                polling = true;
                try {
                    task.run();
                } finally {
                    lastPollEnded = Instant.now();
                    polling = false;
                }
            });
        }

        @Override
        public void startScheduler() {
            started = Instant.now();
            lastPollEnded = null;
            super.startScheduler();
        }

        @Override
        public String feed() {
            return feed;
        }

        @Override
        public String describe() {
            return "every " + Duration.ofMillis(getTimeUnit().toMillis(getDelay())).toString().substring(2).toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public Instant nextPoll(Instant now) {
            Instant from = started;
            if (!isSchedulerStarted() || !isRunAllowed() || from == null) {
                return null;
            }
            if (polling) {
                return now; // polling now
            }
            Instant ended = lastPollEnded;
            return ended == null ? from.plusMillis(getTimeUnit().toMillis(getInitialDelay()))
                    : ended.plusMillis(getTimeUnit().toMillis(getDelay()));
        }
    }

    /** At the times of a cron expression, in its time zone. */
    static final class Cron extends SpringScheduledPollConsumerScheduler implements Timed {

        private final String feed;
        private final CronExpression expression;

        Cron(String feed, CronExpression expression) {
            this.feed = feed;
            this.expression = expression;
        }

        @Override
        public String feed() {
            return feed;
        }

        @Override
        public String describe() {
            return "cron " + getCron() + " " + zone().getId();
        }

        private ZoneId zone() {
            return getTimeZone() == null ? ZoneId.systemDefault() : getTimeZone().toZoneId();
        }

        @Override
        public Instant nextPoll(Instant now) {
            if (!isSchedulerStarted()) {
                return null;
            }
            java.time.ZonedDateTime next = expression.next(now.atZone(zone()));
            return next == null ? null : next.toInstant();
        }
    }

    public static ScheduledPollConsumerScheduler of(String feed, String cron, String timeZone, long delay) {
        if (cron == null || cron.isBlank()) {
            if (delay <= 0) {
                throw new IllegalArgumentException("feed " + feed + ": delay must be a positive number of milliseconds, not " + delay);
            }
            Interval interval = new Interval(feed);
            interval.setInitialDelay(INITIAL_DELAY);
            interval.setDelay(delay);
            interval.setTimeUnit(TimeUnit.MILLISECONDS);
            interval.setUseFixedDelay(true);
            return interval;
        }
        String expression = cron.strip();
        CronExpression parsed;
        try {
            parsed = CronExpression.parse(expression);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("feed " + feed + ": cron \"" + expression + "\" is not a cron expression of six fields"
                    + " (second minute hour day-of-month month day-of-week, e.g. \"0 30 6 * * *\"): " + e.getMessage(), e);
        }
        Cron scheduled = new Cron(feed, parsed);
        scheduled.setCron(expression);
        if (timeZone != null && !timeZone.isBlank()) {
            scheduled.setTimeZone(TimeZone.getTimeZone(java.time.ZoneId.of(timeZone.strip())));
        }
        return scheduled;
    }
}
