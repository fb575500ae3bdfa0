package cn.bazhong.credit.gateway.audit;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.QueuedTopicWriter;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;

/**
 * Writes access-log entries to the audit topic without ever making the caller wait for Kafka.
 *
 * <p>The check API answers from a local view in a few milliseconds at p99; an acknowledged write with
 * {@code acks=all} costs a round trip to every in-sync replica (several milliseconds on a quiet cluster,
 * seconds while a leader moves), so the entry cannot be written in the request. Instead {@link #record}
 * masks the entry's free texts and hands it to a {@link QueuedTopicWriter}: a bounded buffer
 * ({@code gateway.audit.buffer}, 10,000 entries by default) drained by a thread of its own. Under normal
 * operation no entry is lost: Kafka's producer retries for up to two minutes, and {@link #close} (the
 * gateway's shutdown) sends what is still buffered. When Kafka is unreachable for longer than the buffer
 * lasts, the check API keeps answering and the entries that do not fit (or whose send fails for good) are
 * dropped: counted in {@code gateway.audit.entries.dropped} and reported by an {@code ALERT access log} line
 * in the log (once a minute at most). Refusing the check would stop the counters of every department; the
 * alert lets the operators restore the log's broker and account for the gap.
 */
public class AccessLog implements AutoCloseable {

    private static final QueuedTopicWriter.Names NAMES = new QueuedTopicWriter.Names("gateway-audit", "gateway.audit", "access log",
            "access-log entries", AccessLog.class);

    private final QueuedTopicWriter<AccessEntry> writer;

    public AccessLog(KafkaClients clients, String topic, int capacity, MeterRegistry registry) {
        this(clients, topic, capacity, registry, QueuedTopicWriter.DEFAULT_MAX_BLOCK);
    }

    /** @param maxBlock how long one send may wait for Kafka's metadata before its entry counts as dropped */
    AccessLog(KafkaClients clients, String topic, int capacity, MeterRegistry registry, Duration maxBlock) {
        this.writer = new QueuedTopicWriter<>(clients, topic, capacity, maxBlock, NAMES,
                (t, entry) -> new ProducerRecord<>(t, null, entry.at().toEpochMilli(), entry.subjectKey(), json(entry)), registry);
    }

    /** Takes an entry for writing; never blocks. The entry's free texts are masked before it is kept. */
    public void record(AccessEntry entry) {
        writer.write(entry.masked());
    }

    /**
     * Waits until every entry taken so far is acknowledged by Kafka or counted as dropped; false when
     * {@code timeout} passed first. For shutdown, and for tests that read the log right after a call.
     */
    public boolean flush(Duration timeout) {
        return writer.flush(timeout);
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
        writer.close();
    }
}
