package cn.bazhong.credit.gateway.infra;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A consume-transform-produce stage: each poll of {@code topic} (up to
 * {@link #RECORDS_PER_TRANSACTION} records) is handled in one Kafka transaction that also commits the
 * consumed offsets, so a crash can neither lose a record nor write its results twice. A failure aborts
 * the transaction and closes the consumer: the uncommitted records come back to whoever owns the
 * partition. Subclasses say what to write for the records of a poll.
 */
public abstract class TransactionalStage extends KafkaStage {

    private final KafkaClients clients;
    private final String topic;
    private final String group;
    private final String clientId;

    /**
     * @param clientId names the consumer and, with the prefix {@code gateway-}, the transactional
     *                 producer; it must be unique per node (it carries the node id)
     */
    protected TransactionalStage(String name, KafkaClients clients, String topic, String group, String clientId) {
        super(name);
        this.clients = clients;
        this.topic = topic;
        this.group = group;
        this.clientId = clientId;
    }

    /** Runs before the stage consumes (again), e.g. to bring a view up to date. */
    protected void beforeConsuming() {
    }

    /** Writes what the records of one poll produce, in their order, inside the open transaction. */
    protected abstract void handle(List<ConsumerRecord<String, byte[]>> records, KafkaProducer<String, byte[]> producer)
            throws Exception;

    @Override
    protected final void runOnce() throws Exception {
        beforeConsuming();
        try (KafkaConsumer<String, byte[]> c = clients.consumer(group, clientId, RECORDS_PER_TRANSACTION);
             KafkaProducer<String, byte[]> producer = clients.transactionalProducer("gateway-" + clientId)) {
            polling(c);
            producer.initTransactions();
            c.subscribe(List.of(topic));
            while (running()) {
                ConsumerRecords<String, byte[]> polled;
                try {
                    polled = c.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    return;
                }
                if (polled.isEmpty()) {
                    healthy();
                    continue;
                }
                producer.beginTransaction();
                try {
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(polled.count());
                    for (ConsumerRecord<String, byte[]> r : polled) {
                        records.add(r);
                        offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    handle(records, producer);
                    producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
                    producer.commitTransaction();
                    healthy();
                } catch (Exception e) {
                    producer.abortTransaction();
                    throw e;
                }
            }
        } finally {
            polling(null);
        }
    }
}
