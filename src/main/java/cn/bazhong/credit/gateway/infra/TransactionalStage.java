package cn.bazhong.credit.gateway.infra;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A consume-transform-produce stage: the records it takes from {@code topic} are handled in one Kafka
 * transaction that also commits their offsets, so a crash can neither lose a record nor write its results
 * twice. By default each poll (up to {@link #RECORDS_PER_TRANSACTION} records) is one transaction; a stage
 * that groups records (the batch stage) holds them across polls until {@link #closes} says the group is
 * complete, and writes what it holds before its partitions move to another node. A failure aborts the
 * transaction and closes the consumer: the uncommitted records come back to whoever owns the partition.
 *
 * <p>The other shape of stage is {@link AcknowledgingStage} (commit only after a final outcome that may
 * take hours). Both run on {@link KafkaStage}'s thread, restarted with a back-off after a failure.
 */
public abstract class TransactionalStage extends KafkaStage {

    private final KafkaClients clients;
    private final String topic;
    private final String group;
    private final String clientId;
    private final int maxPollRecords;
    private final Duration pollTimeout;
    private final Clock clock;

    /**
     * @param clientId names the consumer and, with the prefix {@code gateway-}, the transactional
     *                 producer; it must be unique per node (it carries the node id)
     */
    protected TransactionalStage(String name, KafkaClients clients, String topic, String group, String clientId) {
        this(name, clients, topic, group, clientId, RECORDS_PER_TRANSACTION, Duration.ofMillis(500), Clock.systemUTC());
    }

    protected TransactionalStage(String name, KafkaClients clients, String topic, String group, String clientId,
                                 int maxPollRecords, Duration pollTimeout, Clock clock) {
        super(name);
        this.clients = clients;
        this.topic = topic;
        this.group = group;
        this.clientId = clientId;
        this.maxPollRecords = maxPollRecords;
        this.pollTimeout = pollTimeout;
        this.clock = clock;
    }

    /** Runs before the stage consumes (again), e.g. to bring a view up to date. */
    protected void beforeConsuming() {
    }

    /** A record was taken into the records held for the next transaction (a stage that groups records counts them here). */
    protected void held(ConsumerRecord<String, byte[]> record) {
    }

    /** The records held were written, or dropped with a failed run (they come again): a grouping stage forgets its counts. */
    protected void released() {
    }

    /**
     * Whether the records held now are written in a transaction; by default after every poll.
     *
     * @param heldCount how many records are held
     * @param drained   the last poll returned fewer records than it may: the topic is read to its end
     * @param heldSince when the oldest record held was taken
     */
    protected boolean closes(int heldCount, boolean drained, Instant heldSince) {
        return true;
    }

    /** Writes what the held records produce, in their order, inside the open transaction. */
    protected abstract void handle(List<ConsumerRecord<String, byte[]>> records, KafkaProducer<String, byte[]> producer)
            throws Exception;

    protected int maxPollRecords() {
        return maxPollRecords;
    }

    @Override
    protected final void runOnce() throws Exception {
        beforeConsuming();
        released();
        try (KafkaConsumer<String, byte[]> c = clients.consumer(group, clientId, maxPollRecords);
             KafkaProducer<String, byte[]> producer = clients.transactionalProducer("gateway-" + clientId)) {
            polling(c);
            producer.initTransactions();
            Held held = new Held();
            c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // write what is held before another node takes the partitions over; not when the stage
                    // stops (the consumer's close revokes them after the producer is closed): uncommitted, the
                    // held records come to whichever stage owns the partitions next
                    if (!held.isEmpty() && running()) {
                        write(producer, c, held);
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // nothing to prepare: positions come from the committed offsets
                }
            });
            while (running()) {
                ConsumerRecords<String, byte[]> polled;
                try {
                    polled = c.poll(pollTimeout);
                } catch (WakeupException e) {
                    return;
                }
                for (ConsumerRecord<String, byte[]> r : polled) {
                    held.add(r, Instant.now(clock));
                    held(r);
                }
                if (!held.isEmpty() && closes(held.records.size(), polled.count() < maxPollRecords, held.since)) {
                    write(producer, c, held);
                }
                healthy();
            }
        } finally {
            polling(null);
        }
    }

    private void write(KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> c, Held held) {
        producer.beginTransaction();
        try {
            handle(held.records, producer);
            producer.sendOffsetsToTransaction(held.offsets, c.groupMetadata());
            producer.commitTransaction();
            held.clear();
            released();
        } catch (Exception e) {
            held.clear(); // uncommitted: they come again, and closing the consumer must not write them
            released();
            producer.abortTransaction();
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    /** The records taken for the next transaction, with the offsets that commit them. */
    private static final class Held {
        final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Instant since;

        void add(ConsumerRecord<String, byte[]> r, Instant now) {
            records.add(r);
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            if (since == null) {
                since = now;
            }
        }

        boolean isEmpty() {
            return records.isEmpty();
        }

        void clear() {
            records.clear();
            offsets.clear();
            since = null;
        }
    }
}
