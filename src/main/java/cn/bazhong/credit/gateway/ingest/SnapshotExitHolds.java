package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.PersonalData;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.Subject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Exits of full snapshots held for an operator's decision, cluster-wide and durable.
 *
 * <p>A full snapshot that would exit more than {@code gateway.lists.snapshot-exit-guard} of its list's
 * active members (see {@link SnapshotReconciliation}) does not send those exits: they wait here, the
 * gateway logs an {@code ALERT}, and {@code gateway_snapshot_exit_holds} counts the pending holds.
 * An operator then decides:
 * <ul>
 *   <li>{@link #approve}: the held exits go through the pipeline exactly as automatic exits do
 *       (records topic → dedup → province, list state, fan-out) and the snapshot ledger records them;</li>
 *   <li>{@link #reject}: nothing exits; the members stay on the list. If the feed's next snapshot
 *       still leaves them out, it is compared afresh and may be held again.</li>
 * </ul>
 * A newer snapshot of the same feed supersedes a pending hold (the newer one is compared afresh with
 * the list, and the exits it derives may be held in turn): a hold is only ever about the latest
 * snapshot. Deciding an unknown hold throws {@link SnapshotHoldNotFoundException}; deciding a hold
 * decided already, or superseded, throws {@link SnapshotHoldConflictException}.
 *
 * <p>For the HTTP layer (operators with the admin role):
 * <ul>
 *   <li>{@code GET /api/v1/lists/snapshot-holds} → {@link #pending()} ({@code ?all=true}: {@link #all()});</li>
 *   <li>{@code POST /api/v1/lists/snapshot-holds/{id}/approve} → {@link #approve(String, String)} with the
 *       operator's name; 404 for {@link SnapshotHoldNotFoundException}, 409 for {@link SnapshotHoldConflictException};</li>
 *   <li>{@code POST /api/v1/lists/snapshot-holds/{id}/reject} with {@code {"reason": "..."}} →
 *       {@link #reject(String, String, String)}; the same 404 and 409.</li>
 * </ul>
 * Every answer is a {@link SnapshotExitHold}, which never holds a full personal ID number.
 *
 * <p>The holds are kept on the compacted topic {@code gateway.lists.snapshot-holds-topic} (the record)
 * and in the Hazelcast map {@value HazelcastMaps#SNAPSHOT_EXIT_HOLDS}, rebuilt from the topic when the
 * whole cluster restarts. A decision locks its hold cluster-wide, so two operators cannot both decide it.
 */
public class SnapshotExitHolds implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotExitHolds.class);

    private final KafkaClients clients;
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final IMap<String, String> holds;
    private final SnapshotLedger ledger;
    private final RecordPublisher publisher;
    private final RecordTraces traces;
    private final Clock clock;
    private final MeterRegistry registry;

    public SnapshotExitHolds(KafkaClients clients, String topic, int partitions, short replicationFactor, HazelcastInstance hazelcast,
                             SnapshotLedger ledger, RecordPublisher publisher, RecordTraces traces, Clock clock, MeterRegistry registry) {
        this.clients = clients;
        this.topic = topic;
        this.ledger = ledger;
        this.publisher = publisher;
        this.traces = traces;
        this.clock = clock;
        this.registry = registry;
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(topic, partitions, replicationFactor,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(KafkaClients.LARGEST_MESSAGE)))));
        this.producer = clients.producer("gateway-snapshot-holds");
        this.holds = hazelcast.getMap(HazelcastMaps.SNAPSHOT_EXIT_HOLDS);
        Gauge.builder("gateway.snapshot.exit.holds", this, h -> h.pending().size())
                .description("full-snapshot exits held for an operator's decision: pending holds")
                .register(registry);
    }

    /** Fills the view from the topic when it is empty (the whole cluster was restarted). */
    public void rebuildIfEmpty() {
        if (!holds.isEmpty()) {
            return;
        }
        clients.readToEnd(topic, "snapshot-holds-loader", r -> {
            if (r.value() == null) {
                holds.delete(r.key());
            } else {
                holds.set(r.key(), new String(r.value(), StandardCharsets.UTF_8));
            }
        });
    }

    /** The holds waiting for a decision, oldest first. */
    public List<SnapshotExitHold> pending() {
        return all().stream().filter(h -> h.status() == SnapshotExitHold.Status.PENDING).toList();
    }

    /** Every hold kept, decided or not, oldest first. */
    public List<SnapshotExitHold> all() {
        List<SnapshotExitHold> out = new ArrayList<>();
        for (String json : holds.values()) {
            out.add(read(json).hold());
        }
        out.sort(Comparator.comparing(SnapshotExitHold::receivedAt).thenComparing(SnapshotExitHold::holdId));
        return out;
    }

    /** One hold. */
    public SnapshotExitHold find(String holdId) {
        String json = holdId == null ? null : holds.get(holdId);
        if (json == null) {
            throw new SnapshotHoldNotFoundException(holdId);
        }
        return read(json).hold();
    }

    /**
     * Approves a pending hold: its exits are sent as automatic exits are, and the ledger records them.
     * Sending again after a failure half-way sends the same versions (duplicates): approving is safe to retry
     * as long as the hold is still pending.
     */
    public SnapshotExitHold approve(String holdId, String operator) {
        return decide(holdId, stored -> {
            SnapshotExitHold h = stored.hold();
            SnapshotLedger.Members members = ledger.members(h.feed());
            List<CreditRecord> exits = new ArrayList<>();
            for (String recordId : stored.recordIds()) {
                CreditRecord member = members.get(recordId);
                if (member != null && !SnapshotLedger.exited(member)) {
                    exits.add(SnapshotLedger.exitOf(member, h.snapshotDay()));
                }
            }
            FeedSource source = new FeedSource(h.feed(), h.channel(), h.source(), h.receiptId(), null, null, null);
            RecordPublisher.Batch batch = publisher.batch(h.receiptId());
            for (CreditRecord exit : exits) {
                batch.send(exit, traces.receivedLine(exit, source));
            }
            batch.awaitDurable();
            ledger.record(h.feed(), List.of(), exits);
            LOG.info("snapshot exit hold {} of {} approved by {}: {} exits sent", holdId, h.feed(), operator, exits.size());
            return h.decided(SnapshotExitHold.Status.APPROVED, operator, Instant.now(clock), null, null);
        });
    }

    /** Rejects a pending hold: nothing exits, the members stay listed. */
    public SnapshotExitHold reject(String holdId, String operator, String reason) {
        return decide(holdId, stored -> {
            LOG.info("snapshot exit hold {} of {} rejected by {}: {}", holdId, stored.hold().feed(), operator, reason);
            return stored.hold().decided(SnapshotExitHold.Status.REJECTED, operator, Instant.now(clock), reason, null);
        });
    }

    private SnapshotExitHold decide(String holdId, java.util.function.Function<Stored, SnapshotExitHold> decision) {
        String before = holdId == null ? null : holds.get(holdId);
        if (before == null) {
            throw new SnapshotHoldNotFoundException(holdId);
        }
        String feed = read(before).hold().feed();
        lockFeed(feed); // a snapshot of the feed being read supersedes the hold first; the locks are taken in this order
        holds.lock(holdId);
        try {
            String json = holds.get(holdId);
            if (json == null) {
                throw new SnapshotHoldNotFoundException(holdId);
            }
            Stored stored = read(json);
            if (stored.hold().status() != SnapshotExitHold.Status.PENDING) {
                throw new SnapshotHoldConflictException(stored.hold());
            }
            SnapshotExitHold decided = decision.apply(stored);
            save(new Stored(decided, stored.recordIds()));
            decisions(decided.feed(), decided.status()).increment();
            return decided;
        } finally {
            holds.unlock(holdId);
            unlockFeed(feed);
        }
    }

    /** The longest a feed stays locked when its holder never lets go (a node that died keeps nothing: Hazelcast frees its locks). */
    static final long FEED_LOCK_LEASE_MINUTES = 30;

    /**
     * Locks the feed cluster-wide for this thread (a snapshot being read, or a decision on one of its holds).
     * The lock lives on a key of the holds map that never holds a value.
     */
    void lockFeed(String feed) {
        holds.lock(feedKey(feed), FEED_LOCK_LEASE_MINUTES, java.util.concurrent.TimeUnit.MINUTES);
    }

    void unlockFeed(String feed) {
        try {
            holds.unlock(feedKey(feed));
        } catch (IllegalMonitorStateException e) {
            LOG.warn("the lock of feed {} was released before its holder was done (held longer than {} minutes)", feed,
                    FEED_LOCK_LEASE_MINUTES);
        }
    }

    private static String feedKey(String feed) {
        return "feed|" + feed;
    }

    /**
     * Holds a snapshot's exits (called by ingest, before the snapshot's receipt is stored). The same
     * snapshot processed again (after a crash) gets the same hold, still pending.
     *
     * @return the hold
     */
    SnapshotExitHold hold(String feed, String department, FeedSource source, Instant receivedAt, LocalDate day,
                          SnapshotReconciliation.Decision decision) {
        String holdId = idOf(feed, source.receiptId());
        holds.lock(holdId);
        try {
            String existing = holds.get(holdId);
            if (existing != null) {
                return read(existing).hold();
            }
            List<String> recordIds = new ArrayList<>(decision.held().size());
            List<SnapshotExitHold.HeldExit> listed = new ArrayList<>();
            for (CreditRecord exit : decision.held()) {
                recordIds.add(exit.recordId());
                if (listed.size() < SnapshotExitHold.LISTED) {
                    listed.add(masked(exit));
                }
            }
            String reason = decision.withheldReason() + ", hold " + holdId;
            SnapshotExitHold hold = new SnapshotExitHold(holdId, feed, department, source.receiptId(), source.channel(), source.name(),
                    receivedAt, day, decision.membersBefore(), recordIds.size(), listed, reason, SnapshotExitHold.Status.PENDING,
                    null, null, null, null);
            save(new Stored(hold, recordIds));
            Counter.builder("gateway.snapshot.exit.holds.opened").description("full-snapshot exits held by the exit guard: holds")
                    .tag("feed", feed).register(registry).increment();
            LOG.error("ALERT: snapshot {} of {} would exit {} of the {} members of its list ({}); its exits are held as {} "
                            + "until an operator approves or rejects them (GET /api/v1/lists/snapshot-holds)",
                    source.name(), feed, recordIds.size(), decision.membersBefore(), decision.withheldReason(), holdId);
            return hold;
        } finally {
            holds.unlock(holdId);
        }
    }

    /** Every pending hold of the feed made by another snapshot than {@code receiptId} is superseded by it. */
    void supersedePending(String feed, String receiptId) {
        for (SnapshotExitHold h : pending()) {
            if (!h.feed().equals(feed) || h.receiptId().equals(receiptId)) {
                continue;
            }
            holds.lock(h.holdId());
            try {
                Stored stored = read(holds.get(h.holdId()));
                if (stored.hold().status() == SnapshotExitHold.Status.PENDING) {
                    save(new Stored(stored.hold().decided(SnapshotExitHold.Status.SUPERSEDED, null, Instant.now(clock), null, receiptId),
                            stored.recordIds()));
                    decisions(feed, SnapshotExitHold.Status.SUPERSEDED).increment();
                    LOG.warn("snapshot exit hold {} of {} superseded by the newer snapshot in receipt {}", h.holdId(), feed, receiptId);
                }
            } finally {
                holds.unlock(h.holdId());
            }
        }
    }

    private Counter decisions(String feed, SnapshotExitHold.Status status) {
        return Counter.builder("gateway.snapshot.exit.holds.decided").description("snapshot exit holds decided, by outcome")
                .tag("feed", feed).tag("decision", status.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
    }

    static String idOf(String feed, String receiptId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((feed + "|" + receiptId).getBytes(StandardCharsets.UTF_8));
            return "H-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    static SnapshotExitHold.HeldExit masked(CreditRecord exit) {
        Subject s = exit.subject();
        String name = s == null ? null : s.name();
        if (s != null && s.isPerson() && name != null && !name.isEmpty()) {
            name = name.substring(0, 1) + "*".repeat(Math.max(1, name.length() - 1));
        }
        String code = s == null ? null : s.isPerson() ? PersonalData.mask(s.idNumber()) : s.uscc();
        return new SnapshotExitHold.HeldExit(PersonalData.masked(exit.recordId(), s), name, code,
                exit.entry() == null ? null : exit.entry().listType(), exit.entry() == null ? null : exit.entry().documentNo());
    }

    private void save(Stored stored) {
        byte[] json;
        try {
            json = RecordJson.mapper().writeValueAsBytes(stored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaClients.awaitDurable(producer.send(new ProducerRecord<>(topic, stored.hold().holdId(), json)),
                "snapshot exit hold " + stored.hold().holdId());
        holds.set(stored.hold().holdId(), new String(json, StandardCharsets.UTF_8));
    }

    private static Stored read(String json) {
        try {
            return RecordJson.mapper().readValue(json, Stored.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored snapshot exit hold cannot be read", e);
        }
    }

    /** A hold as stored: what operators see, and the record ids of the members it would exit. */
    record Stored(SnapshotExitHold hold, List<String> recordIds) {
    }

    @Override
    public void close() {
        producer.close();
    }
}
