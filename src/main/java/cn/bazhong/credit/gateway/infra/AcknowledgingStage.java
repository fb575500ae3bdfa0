package cn.bazhong.credit.gateway.infra;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stage that commits a record's offset only once the record's outcome is final, however long that takes
 * (a batch to the province, an event to a department): the records of a poll are worked through in
 * partition order; while the work waits between attempts, the consumer keeps polling, paused, so that
 * the node stays in its group for hours; a partition taken away meanwhile ends the wait with
 * {@link HandedOver}, and its new owner carries on from the committed offset. When the work stops half-way
 * (its endpoint went away), each partition goes back to its first record without a final outcome.
 *
 * <p>The other shapes of stage are {@link TransactionalStage} (consume, transform and produce in one Kafka
 * transaction, optionally holding records across polls until a batch closes). Both run on
 * {@link KafkaStage}'s thread, restarted with a back-off after a failure.
 */
public abstract class AcknowledgingStage extends KafkaStage {

    private static final Logger LOG = LoggerFactory.getLogger(AcknowledgingStage.class);

    private final KafkaClients clients;
    private final List<String> topics;
    private final String group;
    private final String clientId;
    private final int maxPollRecords;
    private final boolean commitEachPoll;
    private final Clock clock;

    /**
     * How often a stage that commits asynchronously commits while records keep coming: each department's dispatcher
     * committing after every poll made one offset commit per event and department (500 a second for 10 list changes a
     * second to 50 departments), a write to the broker's offsets log each. What is done is committed at once when a
     * poll brings nothing new, before a partition leaves and before the consumer closes; a crash loses at most this
     * much of commits, whose events then come again with their ids, as the at-least-once delivery says.
     */
    static final Duration ASYNC_COMMIT_EVERY = Duration.ofSeconds(1);

    /**
     * @param commitEachPoll commit synchronously after every poll's work (a record whose outcome was final is
     *                       never worked again after a crash), instead of asynchronously, at most once per
     *                       {@link #ASYNC_COMMIT_EVERY} while records keep coming (a lost commit only means the same
     *                       records are worked again, with the same ids)
     */
    protected AcknowledgingStage(String name, KafkaClients clients, List<String> topics, String group, String clientId,
                                 int maxPollRecords, boolean commitEachPoll, Clock clock) {
        super(name);
        this.clients = clients;
        this.topics = List.copyOf(topics);
        this.group = group;
        this.clientId = clientId;
        this.maxPollRecords = maxPollRecords;
        this.commitEachPoll = commitEachPoll;
        this.clock = clock;
    }

    /**
     * Works through the records of one poll, calling {@link Work#done} for each whose outcome is final.
     *
     * @return true when the work stopped before the end (the rest of the poll comes again), false otherwise
     */
    protected abstract boolean work(ConsumerRecords<String, byte[]> polled, Work work) throws Exception;

    /** True while the stage must not work (its endpoint is disabled): the consumer stays in its group, paused. */
    protected boolean holdingBack() {
        return false;
    }

    /** Settings of the stage's consumer on top of {@link KafkaClients#consumer}'s (none by default). */
    protected Map<String, Object> consumerSettings() {
        return Map.of();
    }

    /**
     * The next records to work on, waiting up to {@code timeout} for some: by default the consumer's own poll of
     * every partition it has. A stage that gets some partitions' records another way (the department dispatchers
     * share one fetch per node) pauses those, polls the consumer for the others and for its group's duties, and seeks
     * each partition past the records it hands over, so that the consumer's positions stay the stage's progress.
     */
    protected ConsumerRecords<String, byte[]> fetch(KafkaConsumer<String, byte[]> c, Duration timeout) {
        c.resume(c.paused());
        return c.poll(timeout);
    }

    /** What the stage opens for one run of its consumer (a producer, a log context); closed after it. */
    protected AutoCloseable open() {
        return () -> {
        };
    }

    @Override
    protected final void runOnce() throws Exception {
        try (AutoCloseable opened = open();
             KafkaConsumer<String, byte[]> c = clients.consumer(group, clientId, maxPollRecords, consumerSettings())) {
            polling(c);
            Progress progress = new Progress(c);
            c.subscribe(topics, progress);
            try {
                consume(c, progress);
            } finally {
                progress.flush();
            }
        } finally {
            polling(null);
        }
    }

    private void consume(KafkaConsumer<String, byte[]> c, Progress progress) throws Exception {
        while (running()) {
            ConsumerRecords<String, byte[]> polled;
            try {
                if (holdingBack()) {
                    progress.commit(commitEachPoll, true); // what was delivered before the endpoint went away
                    c.pause(c.assignment());
                    putBack(c, c.poll(Duration.ofSeconds(1)));
                    continue;
                }
                polled = fetch(c, Duration.ofMillis(500));
            } catch (WakeupException e) {
                return;
            }
            if (polled.isEmpty()) {
                progress.commit(commitEachPoll, true);
                healthy();
                continue;
            }
            progress.begin();
            boolean stopped;
            try {
                stopped = work(polled, new Work(c, progress));
            } catch (HandedOver e) {
                stopped = true; // the partitions still here are worked again from their first open record
            } finally {
                c.resume(c.assignment());
            }
            if (stopped) {
                progress.rewind(polled);
            }
            progress.commit(commitEachPoll, false);
            healthy();
        }
    }

    /** The work of one poll: its progress, and waits that keep the consumer in its group. */
    public final class Work {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Progress progress;

        private Work(KafkaConsumer<String, byte[]> consumer, Progress progress) {
            this.consumer = consumer;
            this.progress = progress;
        }

        /** The record's outcome is final: its offset may be committed. */
        public void done(ConsumerRecord<String, byte[]> r) {
            progress.done(r);
        }

        /** Whether the partition was taken away during this poll's work. */
        public boolean lost(TopicPartition tp) {
            return progress.lost(tp);
        }

        /**
         * Waits {@code wait} while polling the paused consumer, so that the group does not think this node died.
         *
         * @param inHand the partitions whose records are being worked on
         * @throws HandedOver           when one of them was taken away meanwhile: its new owner works on them
         * @throws InterruptedException when the stage stops
         */
        public void await(Duration wait, Collection<TopicPartition> inHand) throws InterruptedException {
            Instant until = Instant.now(clock).plus(wait);
            while (running()) {
                // what is left, read once: read again after the check, it could have run out (a poll refuses a negative time)
                Duration left = Duration.between(Instant.now(clock), until);
                if (left.isNegative() || left.isZero()) {
                    break;
                }
                consumer.pause(consumer.assignment());
                putBack(consumer, consumer.poll(left.compareTo(Duration.ofMillis(500)) < 0 ? left : Duration.ofMillis(500)));
                if (inHand.stream().anyMatch(progress::lost)) {
                    throw new HandedOver();
                }
            }
            if (!running()) {
                throw new InterruptedException("stopping");
            }
        }
    }

    /** The records in hand belong to another node now (their partition was revoked or lost during a wait). */
    public static final class HandedOver extends RuntimeException {
        public HandedOver() {
            super("partition handed over", null, false, false);
        }
    }

    /**
     * A poll of the paused consumer returns nothing, except from a partition assigned during that poll
     * (e.g. a dead node's, once its session has expired): it is not paused yet. Its records go back, to be
     * worked after the wait, instead of being skipped.
     */
    private static void putBack(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> polled) {
        for (TopicPartition tp : polled.partitions()) {
            c.seek(tp, polled.records(tp).get(0).offset());
        }
    }

    /**
     * The offsets of records whose outcome is final, committed after each poll's work and whenever a
     * partition is taken away; partitions lost during a wait are noted, so that their remaining records
     * are left to the new owner.
     */
    private static final class Progress implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        private final Set<TopicPartition> lost = new HashSet<>();
        private long committedAt = System.nanoTime();

        Progress(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        void begin() {
            lost.clear();
        }

        /** Before the consumer closes: wait for outstanding commits (a failure just means the records come again). */
        void flush() {
            try {
                consumer.commitSync(done.isEmpty() ? Map.of() : done);
            } catch (RuntimeException e) {
                LOG.debug("the last offset commit failed ({}); the records may be worked again", e.toString());
            }
        }

        boolean lost(TopicPartition tp) {
            return lost.contains(tp);
        }

        void done(ConsumerRecord<String, byte[]> r) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (!lost.contains(tp)) {
                done.put(tp, new OffsetAndMetadata(r.offset() + 1));
            }
        }

        /** Moves every partition of this poll back to its first record without a final outcome. */
        void rewind(ConsumerRecords<String, byte[]> polled) {
            for (TopicPartition tp : polled.partitions()) {
                if (!lost.contains(tp) && consumer.assignment().contains(tp)) {
                    OffsetAndMetadata next = done.get(tp);
                    long firstPolled = polled.records(tp).get(0).offset();
                    consumer.seek(tp, next == null || next.offset() < firstPolled ? firstPolled : next.offset());
                }
            }
        }

        /**
         * Synchronously, or asynchronously where one commit per poll would otherwise cost a round trip each
         * (a commit lost in a crash only means the records are worked again): then at most once per
         * {@link #ASYNC_COMMIT_EVERY} unless the stage is {@code idle} (its poll brought nothing). Partitions that
         * leave are committed synchronously either way.
         */
        void commit(boolean synchronously, boolean idle) {
            if (done.isEmpty()) {
                return;
            }
            if (!synchronously && !idle && System.nanoTime() - committedAt < ASYNC_COMMIT_EVERY.toNanos()) {
                return;
            }
            committedAt = System.nanoTime();
            if (synchronously) {
                consumer.commitSync(new HashMap<>(done));
            } else {
                consumer.commitAsync(new HashMap<>(done), (offsets, e) -> {
                    if (e != null) {
                        LOG.debug("an offset commit failed ({}); the records may be worked again", e.toString());
                    }
                });
            }
            done.clear();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata o = done.remove(tp);
                if (o != null) {
                    leaving.put(tp, o);
                }
            }
            if (!leaving.isEmpty()) {
                consumer.commitSync(leaving);
            }
            lost.addAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(done::remove);
            lost.addAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            lost.removeAll(partitions);
        }
    }
}
