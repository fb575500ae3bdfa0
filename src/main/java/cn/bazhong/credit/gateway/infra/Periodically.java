package cn.bazhong.credit.gateway.infra;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A task run on a daemon thread of its own: at once, then each {@code interval} after the previous run
 * ended. A run that fails is reported to {@code failed} and the task runs again at the next interval
 * (an exception would otherwise end the schedule silently). {@link #close()} stops it and waits a little
 * for a run in progress.
 */
public final class Periodically implements AutoCloseable {

    private final ScheduledExecutorService executor;

    private Periodically(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    public static Periodically run(String threadName, Duration interval, Runnable task, Consumer<RuntimeException> failed) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                failed.accept(e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return new Periodically(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
