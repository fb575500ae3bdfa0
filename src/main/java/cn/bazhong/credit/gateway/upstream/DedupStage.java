package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.KafkaStage;
import cn.bazhong.credit.gateway.ingest.DedupIndex;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, cluster-wide, which records go upstream: a (record id, version) never seen before goes
 * on to the upstream topic, a re-sent one is dropped. Forwarding and committing the consumed
 * offsets happen in one Kafka transaction, so a crash can neither lose a record nor forward it twice.
 */
public class DedupStage extends KafkaStage {

    public static final String GROUP = "gateway-dedup";
    public static final String CLAIMED_AT_HEADER = "claimed-at";

    private final KafkaClients clients;
    private final GatewayTopics topics;
    private final DedupIndex index;
    private final DedupIndexLoader loader;
    private final RecordTraces traces;
    private final UpstreamMetrics metrics;
    private final String nodeId;
    private volatile KafkaConsumer<String, byte[]> consumer;

    public DedupStage(KafkaClients clients, GatewayTopics topics, DedupIndex index, DedupIndexLoader loader,
                      RecordTraces traces, UpstreamMetrics metrics, String nodeId) {
        super("dedup-stage");
        this.clients = clients;
        this.topics = topics;
        this.index = index;
        this.loader = loader;
        this.traces = traces;
        this.metrics = metrics;
        this.nodeId = nodeId;
    }

    @Override
    protected void runOnce() {
        loader.catchUp();
        try (KafkaConsumer<String, byte[]> c = clients.consumer(GROUP, "dedup-" + nodeId, 500);
             KafkaProducer<String, byte[]> producer = clients.transactionalProducer("gateway-dedup-" + nodeId)) {
            consumer = c;
            producer.initTransactions();
            c.subscribe(List.of(topics.records()));
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
                    for (ConsumerRecord<String, byte[]> r : polled) {
                        forward(producer, r);
                        offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
                    producer.commitTransaction();
                    healthy();
                } catch (RuntimeException e) {
                    producer.abortTransaction();
                    throw e; // the consumer is closed: its uncommitted records come back to whoever owns the partition
                }
            }
        } finally {
            consumer = null;
        }
    }

    private void forward(KafkaProducer<String, byte[]> producer, ConsumerRecord<String, byte[]> r) {
        RecordEnvelope envelope = RecordEnvelope.read(r);
        String claimedAt = r.topic() + "/" + r.partition() + "/" + r.offset();
        DedupIndex.Decision decision = index.claim(envelope.recordId(), envelope.version(), claimedAt);
        if (decision == DedupIndex.Decision.NEW) {
            RecordHeaders headers = new RecordHeaders(r.headers().toArray());
            headers.add(CLAIMED_AT_HEADER, claimedAt.getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(topics.upstream(), null, r.key(), r.value(), headers));
            traces.dedupDecision(envelope.recordId(), envelope.version(), "new version: forwarded upstream");
        } else {
            metrics.duplicate(envelope.department(), envelope.feed());
            traces.dedupDecision(envelope.recordId(), envelope.version(), "duplicate: dropped");
        }
    }

    @Override
    protected void wakeup() {
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
