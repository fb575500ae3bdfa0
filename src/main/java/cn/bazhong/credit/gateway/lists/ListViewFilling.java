package cn.bazhong.credit.gateway.lists;

import java.time.Duration;
import java.time.Instant;

/**
 * The list view is still being filled after a restart of the whole cluster: it cannot say yet whether a subject is
 * listed, so nothing is answered from it (the API answers 503 with a time to retry).
 */
public final class ListViewFilling extends RuntimeException {

    /** Seconds a caller waits before asking again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    ListViewFilling(long entriesRead, Instant since) {
        super("the list view is being filled from the list-state topic after a restart (" + entriesRead + " entries read"
                + (since == null ? "" : " in " + Duration.between(since, Instant.now()).toSeconds() + " s")
                + "); nothing is answered from half of it: ask again shortly");
    }
}
