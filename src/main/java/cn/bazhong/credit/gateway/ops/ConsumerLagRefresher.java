package cn.bazhong.credit.gateway.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the consumer lag on its own thread at a fixed interval and hands it to the gauges, so a
 * Prometheus scrape never waits for Kafka. Starts after everything else, stops first.
 */
public final class ConsumerLagRefresher implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagRefresher.class);

    private final ConsumerLagReader reader;
    private final ConsumerLagGauges gauges;
    private final Duration interval;
    private volatile ScheduledExecutorService executor;
    private volatile boolean lastFailed;

    public ConsumerLagRefresher(ConsumerLagReader reader, ConsumerLagGauges gauges, Duration interval) {
        this.reader = reader;
        this.gauges = gauges;
        this.interval = interval;
    }

    /** One reading; a failure leaves every gauge unknown until the next one succeeds. */
    void refresh() {
        try {
            Map<ConsumerGroupTopic, Long> lag = reader.read(List.copyOf(gauges.monitored()));
            gauges.update(lag);
            if (lastFailed) {
                LOG.info("consumer lag readable again");
            }
            lastFailed = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            gauges.unknown();
            if (!lastFailed) {
                LOG.warn("consumer lag cannot be read, reported as unknown until it can: {}", e.toString());
            }
            lastFailed = true;
        }
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-consumer-lag");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService e = executor;
        executor = null;
        if (e != null) {
            e.shutdownNow();
            try {
                e.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
