package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka transactions REST pushes are written in: a bounded pool of transactional producers, one
 * per slot, each with the transactional id {@code gateway-push-<node id>-<slot>} (unique per node and
 * slot, so that a restarted node fences its own zombies). A push takes a slot for its whole
 * transaction; when every slot stays busy for {@code slotWait}, it gets {@link PushCapacityExhausted}.
 * A producer whose transaction could not be aborted (fenced, or in a fatal state) is closed and
 * replaced by a new one with the same id on the slot's next use.
 */
public class PushTransactions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PushTransactions.class);

    private final KafkaClients clients;
    private final Duration transactionTimeout;
    private final Duration slotWait;
    private final BlockingQueue<Slot> free;
    private final List<Slot> all = new ArrayList<>();

    public PushTransactions(KafkaClients clients, String nodeId, int slots, Duration transactionTimeout, Duration slotWait) {
        if (slots < 1) {
            throw new IllegalArgumentException("gateway.rest.concurrent-pushes must be at least 1, not " + slots);
        }
        this.clients = clients;
        this.transactionTimeout = transactionTimeout;
        this.slotWait = slotWait;
        this.free = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            Slot s = new Slot("gateway-push-" + nodeId + "-" + i);
            all.add(s);
            free.add(s);
        }
    }

    /** Takes a free slot (waiting at most {@code slotWait}) and begins its transaction. */
    public Transaction begin() {
        Slot slot;
        try {
            slot = free.poll(slotWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a push slot", e);
        }
        if (slot == null) {
            throw new PushCapacityExhausted(all.size(), slotWait, slotWait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : slotWait);
        }
        try {
            slot.producer().beginTransaction();
        } catch (RuntimeException e) {
            slot.replace(e);
            free.add(slot);
            throw new RecordPublisher.NotDurableException("Kafka could not begin the push's transaction: " + e.getMessage(), e);
        }
        return new Transaction(slot);
    }

    /** Slots free now (for tests and metrics). */
    public int available() {
        return free.size();
    }

    /** One push's transaction: committed by {@link #commit()}, aborted by {@link #close()} otherwise. */
    public final class Transaction implements AutoCloseable {
        private final Slot slot;
        private boolean finished;

        private Transaction(Slot slot) {
            this.slot = slot;
        }

        public KafkaProducer<String, byte[]> producer() {
            return slot.producer;
        }

        /**
         * Commits everything sent in the transaction.
         *
         * @throws RecordPublisher.NotDurableException if it could not be committed; it is aborted then
         */
        public void commit() {
            try {
                slot.producer.commitTransaction();
                finished = true;
            } catch (RuntimeException e) {
                abort(e);
                throw new RecordPublisher.NotDurableException("Kafka did not commit the push: " + e.getMessage(), e);
            }
        }

        /** Aborts the transaction unless it was committed, and gives the slot back. */
        @Override
        public void close() {
            try {
                if (!finished) {
                    abort(null);
                }
            } finally {
                free.add(slot);
            }
        }

        private void abort(RuntimeException cause) {
            finished = true;
            try {
                slot.producer.abortTransaction();
            } catch (RuntimeException e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                }
                slot.replace(e);
            }
        }
    }

    private final class Slot {
        private final String transactionalId;
        private KafkaProducer<String, byte[]> producer;

        private Slot(String transactionalId) {
            this.transactionalId = transactionalId;
        }

        /** The slot's producer, created and registered (fencing any earlier one with its id) on first use. */
        KafkaProducer<String, byte[]> producer() {
            if (producer == null) {
                KafkaProducer<String, byte[]> p = clients.transactionalProducer(transactionalId, transactionTimeout);
                try {
                    p.initTransactions();
                } catch (RuntimeException e) {
                    p.close(Duration.ZERO);
                    throw e;
                }
                producer = p;
            }
            return producer;
        }

        void replace(RuntimeException why) {
            LOG.warn("push producer {} is replaced after: {}", transactionalId, why.toString());
            if (producer != null) {
                try {
                    producer.close(Duration.ZERO);
                } catch (RuntimeException e) {
                    LOG.debug("closing push producer {}", transactionalId, e);
                }
                producer = null;
            }
        }

        void close() {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        }
    }

    @Override
    public void close() {
        for (Slot s : all) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.debug("closing push producer", e);
            }
        }
    }
}
