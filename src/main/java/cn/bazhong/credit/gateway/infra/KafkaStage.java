package cn.bazhong.credit.gateway.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stage of the internal pipeline: one thread that consumes a topic and does its work, restarted
 * with a back-off when it fails, stopped with the application. Subclasses implement {@link #runOnce()}
 * which returns when {@link #running()} turns false or throws on a failure.
 */
public abstract class KafkaStage implements SmartLifecycle {

    /**
     * Records a transactional stage takes per poll, and so per transaction. A transaction costs a few
     * round trips to the broker whatever its size (adding the offsets, committing), so small
     * transactions make a stage wait rather than work; 5,000 records of about 1 KiB stay far
     * below the transaction time-out.
     */
    public static final int RECORDS_PER_TRANSACTION = 5000;

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private volatile boolean running;
    private Thread thread;
    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    protected KafkaStage(String name) {
        this.name = name;
    }

    protected abstract void runOnce() throws Exception;

    private volatile org.apache.kafka.clients.consumer.KafkaConsumer<?, ?> consumer;

    /** Registers the consumer {@link #wakeup()} interrupts; null when the stage has none open. */
    protected void polling(org.apache.kafka.clients.consumer.KafkaConsumer<?, ?> consumer) {
        this.consumer = consumer;
    }

    /** Called from {@link #stop()} to wake a blocking poll; by default wakes the registered consumer. */
    protected void wakeup() {
        org.apache.kafka.clients.consumer.KafkaConsumer<?, ?> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    public boolean running() {
        return running;
    }

    public String name() {
        return name;
    }

    /** What the pipeline's health shows of this stage beyond running and failing; none by default. */
    public java.util.Map<String, Object> details() {
        return java.util.Map.of();
    }

    /** Why the stage last failed, or null while it is healthy. */
    public String lastFailure() {
        return lastFailure.get();
    }

    protected void healthy() {
        lastFailure.set(null);
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        Duration backoff = Duration.ofMillis(500);
        while (running) {
            try {
                runOnce();
                backoff = Duration.ofMillis(500);
            } catch (Throwable e) {
                if (!running) {
                    break;
                }
                lastFailure.set(e.getClass().getSimpleName() + ": " + e.getMessage());
                log.warn("{} failed, restarting in {} ms: {}", name, backoff.toMillis(), e.toString());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    lastFailure.set("interrupted while backing off; the stage stopped");
                    running = false;
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : backoff.multipliedBy(2);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        wakeup();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
