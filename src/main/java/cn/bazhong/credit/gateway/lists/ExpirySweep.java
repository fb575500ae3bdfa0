package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.Periodically;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes entries exit by themselves when their validity ends: every interval (and at start, once the view's
 * indexes are there: {@link ListViewIndexing}; without them a sweep would read every subject), each
 * node looks through the share of the list view it owns and turns every entry past its validity into
 * an exit, with its change event. The exit's version and event id derive from the entry's version,
 * so a sweep repeated after a crash, or by two nodes during a migration, emits the same event again
 * rather than a second one.
 */
public class ExpirySweep implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ExpirySweep.class);
    /** How often a sweep waiting for the view's indexes looks again. */
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final KafkaClients clients;
    private final ListTopics topics;
    private final ListView view;
    private final Clock clock;
    private final Duration interval;
    private final String nodeId;
    private Periodically scheduler;
    private KafkaProducer<String, byte[]> producer;
    /** When the next scheduled sweep is due (nanoTime), or null before the first. */
    private Long due;
    /** Whether this node saw the view's indexes there (asked of the cluster until it has). */
    private boolean indexesSeen;

    public ExpirySweep(KafkaClients clients, ListTopics topics, ListView view, Clock clock, Duration interval, String nodeId) {
        this.clients = clients;
        this.topics = topics;
        this.view = view;
        this.clock = clock;
        this.interval = interval;
        this.nodeId = nodeId;
    }

    /** Sweeps this node's share of the view now; returns how many entries exited. */
    public synchronized int sweep() {
        view.awaitCounted();
        LocalDate today = LocalDate.now(clock);
        Instant now = Instant.now(clock);
        java.util.List<java.util.Map.Entry<String, EntryState>> exits = new java.util.ArrayList<>();
        java.util.List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
        view.forEachExpiredLocal(today, (subjectKey, state) -> {
            EntryState after = state.expired(now);
            sent.addAll(ListStateStage.write(producer, topics, subjectKey, after));
            exits.add(java.util.Map.entry(subjectKey, after));
        });
        for (java.util.concurrent.Future<?> f : sent) {
            KafkaClients.awaitDurable(f, "an expiry"); // durable before the view says so
        }
        exits.forEach(e -> view.put(e.getKey(), e.getValue()));
        AtomicInteger exited = new AtomicInteger(exits.size());
        if (exited.get() > 0) {
            LOG.info("{} list entries reached the end of their validity and exited", exited.get());
        }
        return exited.get();
    }

    @Override
    public synchronized void start() {
        producer = clients.bulkProducer("gateway-expiry-" + nodeId);
        due = null;
        scheduler = Periodically.run("list-expiry-sweep", interval.compareTo(WAIT) < 0 ? interval : WAIT, this::sweepWhenDue,
                e -> LOG.warn("the expiry sweep failed; it runs again in {}: {}", interval, e.toString()));
    }

    private void sweepWhenDue() {
        if (due != null && System.nanoTime() - due < 0) {
            return;
        }
        if (!indexesSeen) {
            if (!view.indexed()) {
                return;
            }
            indexesSeen = true; // they stay: no need to ask the cluster every tick
        }
        due = System.nanoTime() + interval.toNanos(); // a sweep that fails runs again after the interval too
        sweep();
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.close();
            scheduler = null;
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
