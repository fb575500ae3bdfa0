package cn.bazhong.credit.gateway.ops;

import cn.bazhong.credit.gateway.infra.Periodically;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads the consumer lag on its own thread at a fixed interval and hands it to the gauges, so a
 * Prometheus scrape never waits for Kafka. Starts after everything else, stops first.
 */
public final class ConsumerLagRefresher implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagRefresher.class);

    private final ConsumerLagReader reader;
    private final ConsumerLagGauges gauges;
    private final Duration interval;
    private volatile Periodically executor;
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
        executor = Periodically.run("gateway-consumer-lag", interval, this::refresh,
                e -> LOG.warn("reading the consumer lag failed; tried again in {}: {}", interval, e.toString()));
    }

    @Override
    public synchronized void stop() {
        Periodically e = executor;
        executor = null;
        if (e != null) {
            e.close();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
