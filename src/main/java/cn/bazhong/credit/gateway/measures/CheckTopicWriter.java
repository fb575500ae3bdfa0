package cn.bazhong.credit.gateway.measures;

import cn.bazhong.credit.gateway.schema.RecordJson;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the checks to the checks topic from a thread of its own, in the order they were made, so that an
 * answer at the counter never waits for Kafka: neither for the producer's locks, which every request thread
 * would otherwise take in turn for the same partition, nor for the producer itself when the broker cannot be
 * reached (a send then blocks for up to a minute waiting for the topic's metadata or for buffer space). The
 * checks wait in a bounded queue ({@value #QUEUE}, some seconds of checks at a thousand a second); a check that
 * finds it full, or whose send fails, is counted and logged, never retried: the counters, kept apart by
 * {@link CheckLog}, count it all the same.
 */
final class CheckTopicWriter implements AutoCloseable {

    static final int QUEUE = 20_000;
    private static final Logger LOG = LoggerFactory.getLogger(CheckTopicWriter.class);
    private static final int DRAIN = 512;

    private final BlockingQueue<CheckLog.Check> queue = new ArrayBlockingQueue<>(QUEUE);
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;

    CheckTopicWriter(KafkaProducer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
        this.thread = new Thread(this::run, "check-log-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a check to be written; never blocks. */
    void write(CheckLog.Check check) {
        if (closing || !queue.offer(check)) {
            failed(closing ? "the check log is closing" : "the queue of checks to write is full (" + QUEUE + ")");
        }
    }

    /** Checks that were not written (queue full, closing, or the send failed) since the start. */
    long failed() {
        return failed.get();
    }

    private void run() {
        List<CheckLog.Check> batch = new ArrayList<>(DRAIN);
        while (true) {
            CheckLog.Check first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (closing) {
                    return; // closed, and everything queued has gone to the producer
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, DRAIN - 1);
            for (CheckLog.Check c : batch) {
                send(c);
            }
            batch.clear();
        }
    }

    private void send(CheckLog.Check c) {
        try {
            producer.send(new ProducerRecord<>(topic, c.department(), RecordJson.mapper().writeValueAsBytes(c)), (m, e) -> {
                if (e != null) {
                    failed(e.toString());
                }
            });
        } catch (Exception e) { // serialisation, or the producer refusing at once (closed, too large)
            failed(e.toString());
        }
    }

    private void failed(String why) {
        if (failed.incrementAndGet() % 1000 == 1) {
            LOG.warn("a check could not be recorded on {} ({} so far): {}", topic, failed.get(), why);
        }
    }

    /** Writes what is queued (for at most {@code wait}), then closes the producer. */
    void close(Duration wait) {
        closing = true;
        try {
            if (wait.toMillis() > 0) {
                thread.join(wait.toMillis()); // join(0) would wait for ever
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        List<CheckLog.Check> left = new ArrayList<>();
        queue.drainTo(left); // queued as the writer ended, or not written within the wait
        left.forEach(c -> failed("the check log closed before it was written"));
        producer.close(Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
