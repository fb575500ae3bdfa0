package cn.bazhong.credit.gateway.catalog;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The catalog in use on this node, replaced whole by the live reload. A reader takes {@link #get()} once per
 * piece of work (an event, an answer) and reasons with that {@link Catalog} alone, so it sees the old version or
 * the new one, never a mix. What was decided with an older version keeps it: an initiation stores the catalog
 * version and the measures it was made with.
 */
public final class ActiveCatalog implements Supplier<Catalog> {

    private final AtomicReference<Catalog> current;

    public ActiveCatalog(Catalog initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial));
    }

    /** The catalog in use now. */
    @Override
    public Catalog get() {
        return current.get();
    }

    /** Puts {@code next} in use; returns the catalog it replaces. */
    public Catalog replace(Catalog next) {
        return current.getAndSet(Objects.requireNonNull(next));
    }
}
