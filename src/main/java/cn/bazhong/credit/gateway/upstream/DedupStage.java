package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.KafkaStage;
import cn.bazhong.credit.gateway.ingest.DedupIndex;
import cn.bazhong.credit.gateway.ingest.RecordPublisher;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
        try (KafkaConsumer<String, byte[]> c = clients.consumer(GROUP, "dedup-" + nodeId, RECORDS_PER_TRANSACTION);
             KafkaProducer<String, byte[]> producer = clients.transactionalProducer("gateway-dedup-" + nodeId)) {
            polling(c);
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
                    List<ConsumerRecord<String, byte[]>> chunk = new ArrayList<>();
                    java.util.Set<String> idsInChunk = new java.util.HashSet<>();
                    for (ConsumerRecord<String, byte[]> r : polled) {
                        if (!idsInChunk.add(r.key())) {
                            // the same record twice in one poll: the first must be decided before the second
                            forwardAll(producer, chunk);
                            chunk.clear();
                            idsInChunk.clear();
                            idsInChunk.add(r.key());
                        }
                        chunk.add(r);
                        offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    forwardAll(producer, chunk);
                    producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
                    producer.commitTransaction();
                    healthy();
                } catch (RuntimeException e) {
                    producer.abortTransaction();
                    throw e; // the consumer is closed: its uncommitted records come back to whoever owns the partition
                }
            }
        } finally {
            polling(null);
        }
    }

    /** Claims a chunk of distinct records in one round trip, then forwards the new ones in order. */
    private void forwardAll(KafkaProducer<String, byte[]> producer, List<ConsumerRecord<String, byte[]>> chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        List<RecordEnvelope.Headline> headlines = new ArrayList<>(chunk.size());
        Map<String, String[]> claims = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : chunk) {
            RecordEnvelope.Headline h = RecordEnvelope.headline(r);
            headlines.add(h);
            claims.put(h.recordId(), new String[] {h.version(), claimedAt(r)});
        }
        Map<String, DedupIndex.Decision> decisions = index.claimAll(claims);
        RecordTraces.Steps steps = traces.steps();
        for (int i = 0; i < chunk.size(); i++) {
            RecordEnvelope.Headline h = headlines.get(i);
            forward(producer, chunk.get(i), h, decisions.get(h.recordId()), steps);
        }
        steps.write();
    }

    private static String claimedAt(ConsumerRecord<String, byte[]> r) {
        return r.topic() + "/" + r.partition() + "/" + r.offset();
    }

    private void forward(KafkaProducer<String, byte[]> producer, ConsumerRecord<String, byte[]> r, RecordEnvelope.Headline record,
                         DedupIndex.Decision decision, RecordTraces.Steps steps) {
        String claimedAt = claimedAt(r);
        Header received = r.headers().lastHeader(RecordPublisher.TRACE_HEADER);
        if (received != null) {
            steps.carried(record.recordId(), new String(received.value(), StandardCharsets.UTF_8));
        }
        if (decision == DedupIndex.Decision.NEW) {
            RecordHeaders headers = new RecordHeaders(r.headers().toArray());
            headers.remove(RecordPublisher.TRACE_HEADER); // stored now; the later stages do not need it
            headers.add(CLAIMED_AT_HEADER, claimedAt.getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(topics.upstream(), null, r.key(), r.value(), headers));
            steps.dedupDecision(record.recordId(), record.version(), "new version: forwarded upstream");
        } else {
            metrics.duplicate(record.department(), record.feed());
            steps.dedupDecision(record.recordId(), record.version(), "duplicate: dropped");
        }
    }

}
