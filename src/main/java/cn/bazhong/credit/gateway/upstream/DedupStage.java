package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TransactionalStage;
import cn.bazhong.credit.gateway.ingest.DedupIndex;
import cn.bazhong.credit.gateway.ingest.RecordEnvelope;
import cn.bazhong.credit.gateway.ingest.RecordPublisher;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, cluster-wide, which records go upstream: a (record id, version) never seen before goes
 * on to the upstream topic, a re-sent one is dropped. Forwarding, the index entry of the forwarded
 * version ({@link DedupIndexEntries}) and committing the consumed offsets happen in one Kafka
 * transaction, so a crash can neither lose a record nor forward it twice, and the index topic and the
 * upstream topic never disagree.
 */
public class DedupStage extends TransactionalStage {

    public static final String GROUP = "gateway-dedup";
    public static final String CLAIMED_AT_HEADER = "claimed-at";

    private final GatewayTopics topics;
    private final DedupIndex index;
    private final DedupIndexLoader loader;
    private final RecordTraces traces;
    private final UpstreamMetrics metrics;

    public DedupStage(KafkaClients clients, GatewayTopics topics, DedupIndex index, DedupIndexLoader loader,
                      RecordTraces traces, UpstreamMetrics metrics, String nodeId) {
        super("dedup-stage", clients, topics.records(), GROUP, "dedup-" + nodeId);
        this.topics = topics;
        this.index = index;
        this.loader = loader;
        this.traces = traces;
        this.metrics = metrics;
    }

    /** The dedup index's catch-up ({@code dedupIndex}): after a restart of the whole cluster nothing is forwarded until it is ready. */
    @Override
    public java.util.Map<String, Object> details() {
        return java.util.Map.of("dedupIndex", loader.progress().details());
    }

    @Override
    protected void beforeConsuming() {
        loader.catchUp(); // the index knows every version forwarded before this node claims anything
    }

    /** Claims the polled records in their order (pipelined), then forwards the new ones in that order. */
    @Override
    protected void handle(List<ConsumerRecord<String, byte[]>> records, KafkaProducer<String, byte[]> producer) {
        List<RecordEnvelope.Headline> headlines = new ArrayList<>(records.size());
        List<DedupIndex.ClaimRequest> claims = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> r : records) {
            RecordEnvelope.Headline h = RecordEnvelope.headline(r);
            headlines.add(h);
            claims.add(new DedupIndex.ClaimRequest(h.recordId(), h.version(), claimedAt(r)));
        }
        List<DedupIndex.Decision> decisions = index.claimInOrder(claims);
        RecordTraces.Steps steps = traces.steps();
        for (int i = 0; i < records.size(); i++) {
            forward(producer, records.get(i), headlines.get(i), decisions.get(i), steps);
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
            // the index's durable copy, in the same transaction: it never disagrees with the upstream topic
            producer.send(DedupIndexEntries.entry(topics.dedupIndex(), record.recordId(), record.version(), claimedAt));
            steps.dedupDecision(record.recordId(), record.version(), "new version: forwarded upstream");
        } else {
            metrics.duplicate(record.department(), record.feed());
            steps.dedupDecision(record.recordId(), record.version(), "duplicate: dropped");
        }
    }

}
