package cn.bazhong.credit.gateway.lists;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Adds the list view's indexes once the node serves ({@link ListView#ensureIndexes}; when the application is ready,
 * so that they do not take the CPU the rest of the start needs), on a thread of its own: after
 * a restart of the whole cluster the view of a million subjects is filled in half the time without them, and only the
 * list pages and the expiry sweep use them (the check API reads subjects by key). Until they are built those scan
 * the entries, with the same answers, more slowly. A failure (the cluster's minority side, a member leaving) is
 * tried again a minute later. As a health indicator ({@code listView}): whether the view is whole (OUT_OF_SERVICE
 * while it is filled at the node's start, DOWN if that failed) and whether the indexes are there.
 */
public final class ListViewIndexing implements HealthIndicator, AutoCloseable,
        org.springframework.context.ApplicationListener<org.springframework.boot.context.event.ApplicationReadyEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(ListViewIndexing.class);
    private static final long RETRY_SECONDS = 60;

    private final ListView view;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean done;

    ListViewIndexing(ListView view) {
        this.view = view;
        this.thread = new Thread(this::run, "list-view-indexes");
        thread.setDaemon(true);
    }

    @Override
    public void onApplicationEvent(org.springframework.boot.context.event.ApplicationReadyEvent ready) {
        start();
    }

    /** Starts adding the indexes (once). */
    public synchronized void start() {
        if (thread.getState() == Thread.State.NEW && closed.getCount() > 0) {
            thread.start();
        }
    }

    private void run() {
        while (closed.getCount() > 0) {
            long started = System.nanoTime();
            try {
                view.awaitCounted(); // one after the other: both take the CPU
                if (view.ensureIndexes()) {
                    LOG.info("list view indexed: {} subjects in {} ms", view.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                }
                done = true;
                return;
            } catch (RuntimeException e) {
                if (closed.getCount() == 0) {
                    return;
                }
                LOG.warn("the list view's indexes could not be added ({}): its pages scan the entries meanwhile; trying again in {} s",
                        e.toString(), RETRY_SECONDS);
            }
            try {
                closed.await(RETRY_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether this node saw the indexes added (by itself or another node). */
    public boolean done() {
        return done;
    }

    /**
     * OUT_OF_SERVICE while the view is being filled at the node's start (it answers no check until it is whole),
     * DOWN if the fill failed; otherwise UP, saying whether the indexes are there.
     */
    @Override
    public Health health() {
        java.util.Map<String, Object> fill = view.fillDetails();
        Health.Builder health = view.filled() ? Health.up()
                : "filling".equals(fill.get("view")) ? Health.outOfService() : Health.down();
        return health.withDetails(fill).withDetail("indexes", done ? "ready" : view.filled() ? "building" : "after the fill").build();
    }

    @Override
    public void close() {
        closed.countDown();
        thread.interrupt();
    }
}
