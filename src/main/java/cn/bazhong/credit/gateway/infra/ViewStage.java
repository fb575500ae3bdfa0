package cn.bazhong.credit.gateway.infra;

import com.hazelcast.map.IMap;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage that keeps a view of a topic in Hazelcast: how far the view is complete is kept beside it, per
 * partition, in {@code marks}; a partition assigned to this node is read from its mark (from the start when
 * there is none, i.e. after the view was lost with the whole cluster), and the mark moves after each poll's
 * records were applied. Applying must be idempotent: a crash between a write and its mark repeats the write.
 * The consumer group only shares the partitions out; its offsets are not used.
 *
 * <p>The other shapes of stage are {@link TransactionalStage} and {@link AcknowledgingStage}.
 */
public abstract class ViewStage extends KafkaStage {

    private final KafkaClients clients;
    private final String topic;
    private final String group;
    private final String clientId;
    private final int maxPollRecords;
    private final IMap<String, Long> marks;

    protected ViewStage(String name, KafkaClients clients, String topic, String group, String clientId, int maxPollRecords,
                        IMap<String, Long> marks) {
        super(name);
        this.clients = clients;
        this.topic = topic;
        this.group = group;
        this.clientId = clientId;
        this.maxPollRecords = maxPollRecords;
        this.marks = marks;
    }

    /** Applies the records of one poll to the view, in their order. */
    protected abstract void apply(ConsumerRecords<String, byte[]> polled);

    @Override
    protected final void runOnce() {
        try (KafkaConsumer<String, byte[]> c = clients.consumer(group, clientId, maxPollRecords)) {
            polling(c);
            c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // the marks are the view's; nothing to hand over
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    for (TopicPartition tp : partitions) {
                        Long mark = marks.get(tp.toString());
                        if (mark == null) {
                            c.seekToBeginning(List.of(tp));
                        } else {
                            c.seek(tp, mark);
                        }
                    }
                }
            });
            while (running()) {
                ConsumerRecords<String, byte[]> polled;
                try {
                    polled = c.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    return;
                }
                apply(polled);
                Map<TopicPartition, Long> next = new HashMap<>();
                for (ConsumerRecord<String, byte[]> r : polled) {
                    next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                }
                next.forEach((tp, offset) -> marks.set(tp.toString(), offset));
                healthy();
            }
        } finally {
            polling(null);
        }
    }
}
