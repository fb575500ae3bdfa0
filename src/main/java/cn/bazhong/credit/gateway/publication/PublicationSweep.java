package cn.bazhong.credit.gateway.publication;

import cn.bazhong.credit.gateway.infra.Periodically;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Withdraws penalties from the website by itself when their 公示期 ends, as the list expiry sweep ends
 * list entries: every interval (and at start) each node looks through its share of the published
 * penalties' ends and queues the withdrawal of every one whose last day has passed. The withdrawal's id
 * derives from the item and version, so a sweep repeated after a crash sends the same message again.
 */
public class PublicationSweep implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(PublicationSweep.class);

    private final PublicationEnds ends;
    private final PublicationOutbox outbox;
    private final PublicationItems items;
    private final Clock clock;
    private final Duration interval;
    private Periodically scheduler;

    public PublicationSweep(PublicationEnds ends, PublicationOutbox outbox, PublicationItems items, Clock clock, Duration interval) {
        this.ends = ends;
        this.outbox = outbox;
        this.items = items;
        this.clock = clock;
        this.interval = interval;
    }

    /** Sweeps this node's share now; how many penalties were withdrawn. */
    public synchronized int sweep() {
        LocalDate today = LocalDate.now(clock);
        List<PublicationEnds.End> ended = ends.endedLocal(today);
        Instant now = Instant.now(clock);
        outbox.put(ended.stream().map(e -> items.periodEnded(e.itemId(), e.kind(), e.version(), e.end(), now)).toList());
        ended.forEach(e -> ends.remove(e.itemId()));
        if (!ended.isEmpty()) {
            LOG.info("{} penalties reached the end of their 公示期 and are withdrawn from the website", ended.size());
        }
        return ended.size();
    }

    @Override
    public synchronized void start() {
        scheduler = Periodically.run("publication-sweep", interval, this::sweep,
                e -> LOG.warn("the 公示期 sweep failed (tried again in {}): {}", interval, e.toString()));
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.close();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
