package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.HazelcastMaps;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.hazelcast.core.EntryView;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Idempotency-Keys of REST pushes, per department. A completed key (the SHA-256 of the body it
 * came with and the receipt it got) is written to the compacted topic {@code topic} in the push's own
 * transaction, and kept in the Hazelcast map {@link HazelcastMaps#IDEMPOTENCY_KEYS} after the commit,
 * both for {@code retention} after the push; the map is rebuilt from the topic when the whole cluster
 * was restarted. A key whose push is under way holds a lease in the map, with a time to live of
 * {@code lease} that the push renews while it reads its body: a push that died frees its key after
 * the lease, not after the retention.
 */
public class IdempotencyKeys {

    private static final String LEASE = "lease:";

    private final IMap<String, String> keys;
    private final String topic;
    private final Duration retention;
    private final Duration lease;
    private final Clock clock;

    public IdempotencyKeys(HazelcastInstance hazelcast, String topic, Duration retention, Duration lease, Clock clock) {
        this.keys = hazelcast.getMap(HazelcastMaps.IDEMPOTENCY_KEYS);
        this.topic = topic;
        this.retention = retention;
        this.lease = lease;
        this.clock = clock;
    }

    /** What a key held when it was claimed. */
    public sealed interface Claim permits Leased, Completed {
    }

    /** The key was free: it is now leased to the caller's push. */
    public record Leased(String id, String token) implements Claim {
    }

    /** The key was used by a push that completed: its body's SHA-256 (hex) and its receipt. */
    public record Completed(String bodySha256, String receiptId, Instant completedAt) implements Claim {
    }

    /**
     * Leases a free key to the caller, or returns how an earlier push completed it.
     *
     * @throws IdempotencyKeyBusy while another push holds the key's lease
     */
    public Claim claim(String department, String idempotencyKey) {
        String id = id(department, idempotencyKey);
        String token = LEASE + UUID.randomUUID();
        String previous = keys.putIfAbsent(id, token, lease.toMillis(), TimeUnit.MILLISECONDS);
        if (previous == null) {
            return new Leased(id, token);
        }
        if (previous.startsWith(LEASE)) {
            throw new IdempotencyKeyBusy(idempotencyKey, leaseLeft(id));
        }
        return completed(previous);
    }

    /** Gives the lease another full {@code lease}, if the push still holds it. */
    public void renew(Leased leased) {
        if (leased.token().equals(keys.get(leased.id()))) {
            keys.setTtl(leased.id(), lease.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Checks, just before the push commits, that it still holds its key (taking it again if its lease
     * ran out unclaimed).
     *
     * @throws IdempotencyKeyBusy if another push took the key meanwhile
     */
    public void confirm(Leased leased, String idempotencyKey) {
        String now = keys.get(leased.id());
        if (leased.token().equals(now)) {
            keys.setTtl(leased.id(), lease.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        if (now == null && keys.putIfAbsent(leased.id(), leased.token(), lease.toMillis(), TimeUnit.MILLISECONDS) == null) {
            return;
        }
        throw new IdempotencyKeyBusy(idempotencyKey, leaseLeft(leased.id()));
    }

    /** The record that marks the key completed, to be written in the push's transaction. */
    public ProducerRecord<String, byte[]> completion(Leased leased, String bodySha256, String receiptId) {
        Completed done = new Completed(bodySha256, receiptId, Instant.now(clock));
        return new ProducerRecord<>(topic, leased.id(), json(done).getBytes(StandardCharsets.UTF_8));
    }

    /** Shows the key as completed, once the push's transaction is committed. */
    public void completed(Leased leased, ProducerRecord<String, byte[]> completion) {
        String json = new String(completion.value(), StandardCharsets.UTF_8);
        long left = remaining(completed(json).completedAt());
        keys.set(leased.id(), json, Math.max(1, left), TimeUnit.MILLISECONDS);
    }

    /** Frees the key of a push that failed, unless another push holds it by now. */
    public void release(Leased leased) {
        keys.remove(leased.id(), leased.token());
    }

    /**
     * Fills the map from the topic when it is empty (the whole Hazelcast cluster was restarted), so
     * that completed keys are recognised across restarts for their retention.
     */
    public void rebuildIfEmpty(KafkaClients clients) {
        if (!keys.isEmpty()) {
            return;
        }
        clients.readToEnd(topic, "idempotency-keys-loader", r -> {
            if (r.value() == null) {
                return;
            }
            String json = new String(r.value(), StandardCharsets.UTF_8);
            long left = remaining(completed(json).completedAt());
            if (left > 0) {
                keys.set(r.key(), json, left, TimeUnit.MILLISECONDS);
            }
        });
    }

    public String topic() {
        return topic;
    }

    private Duration leaseLeft(String id) {
        EntryView<String, String> view = keys.getEntryView(id);
        long left = view == null ? 0 : view.getExpirationTime() - System.currentTimeMillis();
        return Duration.ofMillis(Math.max(1000, Math.min(left, lease.toMillis())));
    }

    private long remaining(Instant completedAt) {
        return retention.minus(Duration.between(completedAt, Instant.now(clock))).toMillis();
    }

    private static String id(String department, String idempotencyKey) {
        return department + "/" + idempotencyKey;
    }

    private static String json(Completed done) {
        try {
            return RecordJson.mapper().writeValueAsString(done);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an idempotency key could not be written as JSON", e);
        }
    }

    private static Completed completed(String json) {
        try {
            return RecordJson.mapper().readValue(json, Completed.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored idempotency key could not be read", e);
        }
    }
}
