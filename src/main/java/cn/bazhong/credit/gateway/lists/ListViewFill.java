package cn.bazhong.credit.gateway.lists;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the list view a node fills at its start (from the list-state topic, after a restart of the whole cluster)
 * is whole yet. The fill runs beside the rest of the node's start; until it is whole, whoever reads the view or the
 * objections' index waits a little and is then refused ({@link ListViewFilling}: 503 on the API), so that no answer
 * ever comes from half a view, and whoever changes the view waits for it without bound. A node that joins a running
 * cluster, or finds the view whole, is done at once.
 */
final class ListViewFill {

    private final CompletableFuture<Void> whole = new CompletableFuture<>();
    private final AtomicLong read = new AtomicLong();
    private final Duration patience;
    private volatile Instant since;

    /** @param patience how long a reader waits for the fill before it is refused */
    ListViewFill(Duration patience) {
        this.patience = patience;
    }

    /** A view with nothing to fill (or filled before this node served): whole from the start. */
    static ListViewFill whole() {
        ListViewFill f = new ListViewFill(Duration.ZERO);
        f.done();
        return f;
    }

    /** The fill begins (on this node, or waits for the node of the cluster that fills). */
    void begin() {
        since = Instant.now();
    }

    /** Entries of the list-state topic read so far. */
    void read(int entries) {
        read.addAndGet(entries);
    }

    void done() {
        whole.complete(null);
    }

    void failed(Throwable cause) {
        whole.completeExceptionally(cause);
    }

    boolean isDone() {
        return whole.isDone() && !whole.isCompletedExceptionally();
    }

    /** Waits up to the patience for the view to be whole; refuses the caller after that. */
    void require() {
        try {
            whole.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ListViewFilling(read.get(), since);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ListViewFilling(read.get(), since);
        } catch (ExecutionException e) {
            throw failed(e);
        }
    }

    /** Waits for the view to be whole, however long the fill takes (a fill that failed throws). */
    void await() {
        try {
            whole.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the list view to be filled", e);
        } catch (ExecutionException e) {
            throw failed(e);
        }
    }

    private static IllegalStateException failed(ExecutionException e) {
        return new IllegalStateException("the list view could not be filled from the list-state topic: " + e.getCause(), e.getCause());
    }

    /** Waits for the fill to end, whole or failed. */
    void awaitEnd() {
        whole.handle((ignored, failure) -> null).join();
    }

    /** For health: the fill's state, the entries read and since when. */
    Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        if (isDone()) {
            d.put("view", "whole");
        } else if (whole.isCompletedExceptionally()) {
            d.put("view", "fill failed");
        } else {
            d.put("view", "filling");
            d.put("entriesRead", read.get());
            if (since != null) {
                d.put("fillingFor", Duration.between(since, Instant.now()).toSeconds() + " s");
            }
        }
        return d;
    }
}
