package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.KafkaStage;
import cn.bazhong.credit.gateway.ingest.RecordEnvelope;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.NationalCodes;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups forwarded records into upstream batches per dataset, by size and by time, and writes each
 * batch to the batches topic in the same Kafka transaction that commits the records it holds. The
 * batch id is a hash of its records' ids and versions: a batch that exists is never re-formed
 * differently, and the sender can always resend it with the same id and content.
 */
public class BatchStage extends KafkaStage {

    public static final String GROUP = "gateway-batcher";

    private final KafkaClients clients;
    private final GatewayTopics topics;
    private final int maxRecords;
    private final Duration maxWait;
    private final String nodeId;
    private final Clock clock;

    public BatchStage(KafkaClients clients, GatewayTopics topics, int maxRecords, Duration maxWait,
                      String nodeId, Clock clock) {
        super("batch-stage");
        this.clients = clients;
        this.topics = topics;
        this.maxRecords = maxRecords;
        this.maxWait = maxWait;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    @Override
    protected void runOnce() {
        int maxPoll = Math.max(maxRecords, RECORDS_PER_TRANSACTION);
        try (KafkaConsumer<String, byte[]> c = clients.consumer(GROUP, "batcher-" + nodeId, maxPoll);
             KafkaProducer<String, byte[]> producer = clients.transactionalProducer("gateway-batcher-" + nodeId)) {
            polling(c);
            producer.initTransactions();
            Pending pending = new Pending();
            c.subscribe(List.of(topics.upstream()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // publish what is held before another node takes the partitions over
                    if (!pending.isEmpty()) {
                        publish(producer, c, pending);
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
                    polled = c.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    return;
                }
                for (ConsumerRecord<String, byte[]> r : polled) {
                    pending.add(r, entry(RecordEnvelope.read(r)), Instant.now(clock));
                }
                // one transaction for several batches while records keep coming; a full batch as soon
                // as the topic is drained; whatever is held once the oldest record has waited long enough
                boolean drained = polled.count() < maxPoll;
                if (!pending.isEmpty() && (pending.size >= maxPoll
                        || (drained && pending.largest() >= maxRecords)
                        || !Instant.now(clock).isBefore(pending.oldest.plus(maxWait)))) {
                    publish(producer, c, pending);
                }
                healthy();
            }
        } finally {
            polling(null);
        }
    }

    /** Records held for the next batches, with the offsets that commit them. */
    private static final class Pending {
        final Map<String, List<BatchDocument.Entry>> byDataset = new LinkedHashMap<>();
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Instant oldest;
        int size;

        void add(ConsumerRecord<String, byte[]> r, BatchDocument.Entry entry, Instant now) {
            byDataset.computeIfAbsent(datasetOf(entry), k -> new ArrayList<>()).add(entry);
            size++;
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            if (oldest == null) {
                oldest = now;
            }
        }

        boolean isEmpty() {
            return byDataset.isEmpty();
        }

        int largest() {
            return byDataset.values().stream().mapToInt(List::size).max().orElse(0);
        }

        void clear() {
            byDataset.clear();
            offsets.clear();
            oldest = null;
            size = 0;
        }
    }

    /** Every pending dataset is published in one transaction with all consumed offsets. */
    private void publish(KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> c, Pending pending) {
        producer.beginTransaction();
        try {
            for (Map.Entry<String, List<BatchDocument.Entry>> dataset : pending.byDataset.entrySet()) {
                List<BatchDocument.Entry> all = dataset.getValue();
                for (int from = 0; from < all.size(); from += maxRecords) {
                    List<BatchDocument.Entry> slice = List.copyOf(all.subList(from, Math.min(all.size(), from + maxRecords)));
                    BatchDocument batch = new BatchDocument(batchId(dataset.getKey(), slice), dataset.getKey(), Instant.now(clock), slice);
                    producer.send(new ProducerRecord<>(topics.batches(), batch.dataset(), json(batch)));
                }
            }
            producer.sendOffsetsToTransaction(pending.offsets, c.groupMetadata());
            producer.commitTransaction();
            pending.clear();
            // the records' "batched" steps are traced by the sender with their first attempt (one trace write per record)
        } catch (RuntimeException e) {
            producer.abortTransaction();
            throw e;
        }
    }

    private static BatchDocument.Entry entry(RecordEnvelope e) {
        CreditRecord r = e.record();
        return new BatchDocument.Entry(r.recordId(), r.version(), r.operation().name(), NationalCodes.data(r),
                e.receiptId(), r.provenance().position(), e.department(), e.feed(), r.kind().name());
    }

    private static String datasetOf(BatchDocument.Entry e) {
        return e.kind();
    }

    static String batchId(String dataset, List<BatchDocument.Entry> entries) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (BatchDocument.Entry e : entries) {
                sha.update(e.recordId().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(e.version().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return dataset + "-" + HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("the JVM has no SHA-256", ex);
        }
    }

    private static byte[] json(BatchDocument batch) {
        try {
            return RecordJson.mapper().writeValueAsBytes(batch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a batch could not be written as JSON", e);
        }
    }

}
