package cn.bazhong.credit.gateway.infra;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A log kept on a Kafka topic (the access log, the check log) that its callers write to without ever waiting for
 * Kafka: neither for an acknowledged write ({@code acks=all}, a round trip to every in-sync replica), nor for the
 * producer's lock, which every request thread would otherwise take in turn, nor, worst, for the broker when it
 * cannot be reached (a send then blocks waiting for the topic's metadata).
 *
 * <p>{@link #write} puts the entry into a bounded buffer and returns at once; one thread of its own sends the
 * buffer's entries, in the order they came, with a durable producer whose batches are not compressed
 * ({@link KafkaClients#lineProducer}). Under normal operation no entry is lost: the producer retries for two
 * minutes, and {@link #close} sends what is still buffered. An entry that finds the buffer full, cannot be sent
 * (the topic's metadata not there within {@code maxBlock}), is refused by Kafka for good, or is still buffered
 * when the gateway stops is <em>dropped</em>: counted in {@code <metrics>.entries.dropped} and reported by an
 * {@code ALERT <label>: …} line at ERROR, at most once a minute with the count since the last one. Beside it
 * {@code <metrics>.entries.written} counts what Kafka acknowledged and the gauge {@code <metrics>.buffer.entries}
 * what is waiting. docs/operations.md says what each log's alert means.
 *
 * @param <T> what one entry is
 */
public final class QueuedTopicWriter<T> implements AutoCloseable {

    /**
     * What the writer is called: its producer's client id, the prefix of its meters, the label of its alert
     * line, what its entries are (in the meters' descriptions), and the class whose logger reports its losses.
     */
    public record Names(String clientId, String metrics, String alert, String entries, Class<?> owner) {
    }

    /** The record one entry is sent as (its key, timestamp and bytes); an {@link IOException} drops the entry. */
    @FunctionalInterface
    public interface Encoder<T> {
        ProducerRecord<String, byte[]> encode(String topic, T entry) throws IOException;
    }

    /** How long a send may wait for the topic's metadata before its entry is dropped, unless told otherwise. */
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(10);
    private static final long ALERT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int DRAIN = 500;
    /** How long the writer lets entries gather once one has come: an entry's wait, never a caller's. */
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final String topic;
    private final Names names;
    private final Logger log;
    private final Encoder<T> encoder;
    private final KafkaProducer<String, byte[]> producer;
    private final BlockingQueue<T> buffer;
    private final Counter written;
    private final Counter dropped;
    /** Entries taken and not yet acknowledged or dropped: what {@link #flush} waits for. */
    private final AtomicLong pending = new AtomicLong();
    private final Object settled = new Object();
    private final AtomicLong droppedSinceAlert = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;
    private volatile long lastAlert = System.nanoTime() - ALERT_INTERVAL_NANOS;

    /**
     * Starts the writer's thread.
     *
     * @param capacity how many entries may wait for Kafka (some seconds of the busiest minute)
     * @param maxBlock how long one send may wait for the topic's metadata (the broker out of reach) before its entry
     *                 counts as dropped: the writer's thread waits, never a caller
     */
    public QueuedTopicWriter(KafkaClients clients, String topic, int capacity, Duration maxBlock, Names names, Encoder<T> encoder,
                             MeterRegistry registry) {
        this.topic = topic;
        this.names = names;
        this.log = LoggerFactory.getLogger(names.owner());
        this.encoder = encoder;
        this.buffer = new ArrayBlockingQueue<>(capacity);
        // lines of a few hundred bytes sent without anyone waiting, many a second: small batches that travel together
        this.producer = clients.lineProducer(names.clientId(), Map.of(
                ProducerConfig.BATCH_SIZE_CONFIG, 32 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * 1024 * 1024,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis(),
                ProducerConfig.LINGER_MS_CONFIG, KafkaClients.BULK_LINGER_MS));
        this.written = Counter.builder(names.metrics() + ".entries.written")
                .description(names.entries() + " acknowledged by Kafka").register(registry);
        this.dropped = Counter.builder(names.metrics() + ".entries.dropped")
                .description(names.entries() + " lost: the buffer was full or Kafka did not take them (ALERT in the log)")
                .register(registry);
        Gauge.builder(names.metrics() + ".buffer.entries", buffer, BlockingQueue::size)
                .description(names.entries() + " waiting to be sent").register(registry);
        this.thread = new Thread(this::run, names.clientId() + "-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes an entry for writing; never blocks. */
    public void write(T entry) {
        if (closing) {
            drop("the gateway is shutting down");
            return;
        }
        pending.incrementAndGet();
        if (!buffer.offer(entry)) {
            settle();
            drop("the buffer of " + (buffer.size() + buffer.remainingCapacity()) + " entries is full (is Kafka reachable?)");
        }
    }

    /**
     * Waits until every entry taken so far is acknowledged by Kafka or counted as dropped; false when
     * {@code timeout} passed first. For shutdown, and for tests that read the topic right after a call.
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
        List<T> batch = new ArrayList<>(DRAIN);
        while (!closing || !buffer.isEmpty()) {
            try {
                T first = buffer.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                if (!closing) {
                    // let the entries of the next few milliseconds gather: while this thread waits here rather than
                    // on the buffer, a write wakes nobody (at a thousand checks a second, waking it for each entry
                    // cost more than encoding and sending it)
                    java.util.concurrent.locks.LockSupport.parkNanos(GATHER_NANOS);
                }
                batch.add(first);
                buffer.drainTo(batch, DRAIN - 1);
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

    private void send(T entry) {
        ProducerRecord<String, byte[]> record;
        try {
            record = encoder.encode(topic, entry);
        } catch (IOException | RuntimeException e) {
            drop("it could not be encoded: " + e);
            settle();
            return;
        }
        try {
            producer.send(record, (metadata, failure) -> {
                if (failure == null) {
                    written.increment();
                } else {
                    drop("Kafka did not take it: " + failure.getMessage());
                }
                settle();
            });
        } catch (RuntimeException e) {
            // the topic's metadata not there within max.block.ms, the producer closed, interrupted while closing…
            drop("it could not be sent: " + e.getMessage());
            settle();
            if (closing) {
                // Kafka is away and the gateway stops: do not wait max.block.ms once more for each entry left
                dropBuffered("the gateway stopped while Kafka was unreachable");
            }
        }
    }

    private void dropBuffered(String why) {
        List<T> left = new ArrayList<>();
        buffer.drainTo(left);
        for (int i = 0; i < left.size(); i++) {
            drop(why);
            settle();
        }
    }

    private void settle() {
        if (pending.decrementAndGet() <= 0) {
            synchronized (settled) {
                settled.notifyAll();
            }
        }
    }

    private void drop(String why) {
        dropped.increment();
        long count = droppedSinceAlert.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastAlert >= ALERT_INTERVAL_NANOS) {
            lastAlert = now;
            droppedSinceAlert.addAndGet(-count);
            log.error("ALERT {}: {} entr{} not written to {}, the last because {}; see {}", names.alert(), count,
                    count == 1 ? "y" : "ies", topic, why, names.metrics().replace('.', '_') + "_entries_dropped_total");
        }
    }

    /**
     * Sends what is still buffered and waits for Kafka's acknowledgements, for at most {@code wait} in all; what is
     * not acknowledged by then is dropped (and counted). Then closes the producer.
     */
    public void close(Duration wait) {
        closing = true;
        long deadline = System.nanoTime() + wait.toNanos();
        join(deadline);
        thread.interrupt(); // still in a send, waiting for the metadata of a topic whose broker is away
        join(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        // the sends Kafka has not acknowledged by then fail in their callbacks, and are counted there
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        dropBuffered("the gateway stopped before they were sent");
    }

    private void join(long deadline) {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (millis <= 0) {
            return; // join(0) would wait for ever
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #close(Duration)} with 30 s. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
