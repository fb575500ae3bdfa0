package cn.bazhong.credit.gateway.audit;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes access-log entries to the audit topic without ever making the caller wait for Kafka.
 *
 * <p>The check API answers from a local view in a few milliseconds at p99; an acknowledged write with
 * {@code acks=all} costs a round trip to every in-sync replica (several milliseconds on a quiet cluster,
 * seconds while a leader moves), so the entry cannot be written in the request. Instead {@link #record}
 * puts the entry into a bounded buffer ({@code gateway.audit.buffer}, 10,000 entries by default) and
 * returns at once; one writer thread sends the buffer's entries with the gateway's durable producer
 * ({@code acks=all}, idempotent). Under normal operation no entry is lost: Kafka's producer retries for
 * up to two minutes, and {@link #close} (the gateway's shutdown) sends what is still buffered before the
 * producer closes. When Kafka is unreachable for longer than the buffer lasts, the check API keeps
 * answering and the entries that do not fit (or whose send fails for good) are dropped: counted in
 * {@code gateway.audit.entries.dropped} and reported by an {@code ALERT} line in the log (once a minute
 * at most). Refusing the check would stop the counters of every department; the alert lets the operators
 * restore the log's broker and account for the gap.
 */
public class AccessLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final long ALERT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final BlockingQueue<AccessEntry> buffer;
    private final Counter written;
    private final Counter dropped;
    private final AtomicLong pending = new AtomicLong();
    private final Object settled = new Object();
    private final Thread writer;
    private volatile boolean closing;
    private volatile long lastAlert = System.nanoTime() - ALERT_INTERVAL_NANOS;
    private final AtomicLong droppedSinceAlert = new AtomicLong();

    public AccessLog(KafkaClients clients, String topic, int capacity, MeterRegistry registry) {
        this(clients, topic, capacity, registry, Duration.ofSeconds(10));
    }

    /** @param maxBlock how long one send may wait for Kafka's metadata before its entry counts as dropped */
    AccessLog(KafkaClients clients, String topic, int capacity, MeterRegistry registry, Duration maxBlock) {
        this.topic = topic;
        this.buffer = new ArrayBlockingQueue<>(capacity);
        // a line is a few hundred bytes: small batches; a send blocks the writer thread (never a request) for
        // at most 10 s while Kafka is away, then the entry counts as dropped
        this.producer = clients.producer("gateway-audit", Map.of(
                ProducerConfig.BATCH_SIZE_CONFIG, 32 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * 1024 * 1024,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis(),
                ProducerConfig.LINGER_MS_CONFIG, KafkaClients.BULK_LINGER_MS)); // sent without waiting, many a second: lines travel together
        this.written = Counter.builder("gateway.audit.entries.written").description("access-log entries acknowledged by Kafka")
                .register(registry);
        this.dropped = Counter.builder("gateway.audit.entries.dropped")
                .description("access-log entries lost: the buffer was full or Kafka did not take them (ALERT in the log)")
                .register(registry);
        Gauge.builder("gateway.audit.buffer.entries", buffer, BlockingQueue::size)
                .description("access-log entries waiting to be sent").register(registry);
        this.writer = new Thread(this::run, "access-log-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Takes an entry for writing; never blocks. The entry's free texts are masked before it is kept. */
    public void record(AccessEntry entry) {
        if (closing) {
            drop(1, "the gateway is shutting down");
            return;
        }
        pending.incrementAndGet();
        if (!buffer.offer(entry.masked())) {
            settle();
            drop(1, "the buffer of " + (buffer.size() + buffer.remainingCapacity()) + " entries is full (is Kafka reachable?)");
        }
    }

    /**
     * Waits until every entry taken so far is acknowledged by Kafka or counted as dropped; false when
     * {@code timeout} passed first. For shutdown, and for tests that read the log right after a call.
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (settled) {
            while (pending.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(settled, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void run() {
        List<AccessEntry> batch = new ArrayList<>();
        while (!closing || !buffer.isEmpty()) {
            try {
                AccessEntry first = buffer.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                buffer.drainTo(batch, 500);
                batch.forEach(this::send);
            } catch (InterruptedException e) {
                if (!closing) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void send(AccessEntry entry) {
        try {
            producer.send(new ProducerRecord<>(topic, null, entry.at().toEpochMilli(), entry.subjectKey(), json(entry)), (metadata, failure) -> {
                if (failure == null) {
                    written.increment();
                } else {
                    drop(1, "Kafka did not take it: " + failure.getMessage());
                }
                settle();
            });
        } catch (RuntimeException e) {
            // metadata not available within max.block.ms, producer closed, …
            drop(1, "it could not be sent: " + e.getMessage());
            settle();
            if (closing) {
                // Kafka is away and the gateway stops: do not wait max.block.ms once more for each entry left
                List<AccessEntry> left = new ArrayList<>();
                buffer.drainTo(left);
                left.forEach(x -> {
                    drop(1, "the gateway stopped while Kafka was unreachable");
                    settle();
                });
            }
        }
    }

    private void settle() {
        if (pending.decrementAndGet() <= 0) {
            synchronized (settled) {
                settled.notifyAll();
            }
        }
    }

    private void drop(int entries, String why) {
        dropped.increment(entries);
        long count = droppedSinceAlert.addAndGet(entries);
        long now = System.nanoTime();
        if (now - lastAlert >= ALERT_INTERVAL_NANOS) {
            lastAlert = now;
            droppedSinceAlert.addAndGet(-count);
            LOG.error("ALERT access log: {} entr{} of the personal-data access log dropped, the last because {}; "
                    + "see gateway_audit_entries_dropped_total", count, count == 1 ? "y" : "ies", why);
        }
    }

    static byte[] json(AccessEntry entry) {
        try {
            return RecordJson.mapper().writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an access-log entry could not be written as JSON", e);
        }
    }

    /** Sends what is still buffered (up to 30 s), then closes the producer. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush(Duration.ofSeconds(30));
        // entries Kafka has not acknowledged by then fail in their callbacks and are counted as dropped
        producer.close(Duration.ofSeconds(10));
        int left = buffer.size();
        if (left > 0) {
            drop(left, "the gateway stopped before they were sent");
        }
    }
}
