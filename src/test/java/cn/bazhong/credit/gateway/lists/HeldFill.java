package cn.bazhong.credit.gateway.lists;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A test holding a node's list view as if its start were still filling it from a long list-state topic: until it is
 * closed the view is not whole (readers wait {@code patience}, then are refused), then it is whole again as it was.
 */
public final class HeldFill implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);

    private HeldFill(ListView view, Duration patience) {
        view.fillMeanwhile(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the held fill was interrupted", e);
            }
        }, patience);
    }

    public static HeldFill on(ListView view, Duration patience) {
        return new HeldFill(view, patience);
    }

    @Override
    public void close() {
        release.countDown();
    }
}
