package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.AcknowledgingStage;
import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.logging.LogContext;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.ingest.RecordTraces;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends the formed batches to the province in order, one at a time, and routes each record's
 * result back: rejections into the receipt of the record's source, everything into its trace.
 * The offset of a batch is committed only after its final answer ({@link AcknowledgingStage}, synchronously),
 * so after a crash the same batch is sent again with the same id and content, and the province answers it
 * as a repeat.
 */
public class SenderStage extends AcknowledgingStage {

    private static final Logger LOG = LoggerFactory.getLogger(SenderStage.class);
    public static final String GROUP = "gateway-sender";

    private final KafkaClients clients;
    private final GatewayTopics topics;
    private volatile KafkaProducer<String, byte[]> deadLetters;
    private final BatchDelivery delivery;
    private final WireFormat wire;
    private final ReceiptStore receipts;
    private final RecordTraces traces;
    private final UpstreamMetrics metrics;
    private final String nodeId;
    private final Clock clock;
    private final ProvinceAcceptances acceptances;

    /** Told of the records of each batch the province accepted, e.g. for the 双公示 timeliness. */
    public interface ProvinceAcceptances {
        void accepted(List<BatchDocument.Entry> entries, Instant at);

        ProvinceAcceptances NONE = (entries, at) -> {
        };
    }

    public SenderStage(KafkaClients clients, GatewayTopics topics, BatchDelivery delivery, WireFormat wire,
                       ReceiptStore receipts, RecordTraces traces, UpstreamMetrics metrics, String nodeId, Clock clock) {
        this(clients, topics, delivery, wire, receipts, traces, metrics, nodeId, clock, ProvinceAcceptances.NONE);
    }

    public SenderStage(KafkaClients clients, GatewayTopics topics, BatchDelivery delivery, WireFormat wire,
                       ReceiptStore receipts, RecordTraces traces, UpstreamMetrics metrics, String nodeId, Clock clock,
                       ProvinceAcceptances acceptances) {
        // one batch per poll: its offset is committed as soon as its answer is final
        super("sender-stage", clients, List.of(topics.batches()), GROUP, "sender-" + nodeId, 1, true, clock);
        this.acceptances = acceptances;
        this.clients = clients;
        this.topics = topics;
        this.delivery = delivery;
        this.wire = wire;
        this.receipts = receipts;
        this.traces = traces;
        this.metrics = metrics;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    @Override
    protected AutoCloseable open() {
        KafkaProducer<String, byte[]> producer = clients.producer("gateway-dead-letters-" + nodeId);
        deadLetters = producer;
        return producer;
    }

    @Override
    protected boolean work(ConsumerRecords<String, byte[]> polled, Work work) throws Exception {
        for (ConsumerRecord<String, byte[]> r : polled) {
            BatchDocument batch = RecordJson.mapper().readValue(r.value(), BatchDocument.class);
            try (LogContext ignored = LogContext.with(LogContext.BATCH, batch.batchId())) {
                send(batch, wait -> work.await(wait, List.of(new TopicPartition(r.topic(), r.partition()))), deadLetters);
            }
            work.done(r);
        }
        return false;
    }

    private void send(BatchDocument batch, BatchDelivery.Waiter waiter, KafkaProducer<String, byte[]> deadLetters)
            throws InterruptedException, IOException {
        // each record's "batched" and "upstream" steps go to its trace in one write, unless the batch has
        // to wait for a retry: then "batched" is written first, so the trace shows where the record waits
        RecordTraces.Steps steps = traces.steps();
        batched(steps, batch);
        BatchDelivery.Outcome outcome = delivery.deliver(batch.batchId(), wire.document(batch), wait -> {
            steps.write(); // the first wait writes the "batched" steps; later ones have nothing left to write
            waiter.await(wait);
        });
        if (outcome instanceof BatchDelivery.Outcome.TooLarge) {
            List<BatchDocument> halves = split(batch);
            LOG.info("batch {} too large for the province: sent as {} and {}", batch.batchId(), halves.get(0).batchId(), halves.get(1).batchId());
            for (BatchDocument half : halves) {
                send(half, waiter, deadLetters);
            }
            return;
        }
        if (outcome instanceof BatchDelivery.Outcome.Delivered d) {
            applyResults(batch, RecordJson.mapper().readTree(d.body()), steps);
        } else {
            BatchDelivery.Outcome.DeadLetter dl = (BatchDelivery.Outcome.DeadLetter) outcome;
            DeadLetter letter = new DeadLetter(batch, dl.reason(), dl.status(), dl.body(), Instant.now(clock));
            try {
                deadLetters.send(new ProducerRecord<>(topics.upstreamDeadLetters(), batch.batchId(),
                        RecordJson.mapper().writeValueAsBytes(letter))).get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("the dead letter of batch " + batch.batchId() + " could not be written", e);
            }
            for (BatchDocument.Entry e : batch.records()) {
                metrics.deadLettered(e.department(), e.feed());
                steps.upstreamResult(e.recordId(), e.version(), batch.batchId(), "DEAD_LETTERED", null, dl.reason());
            }
        }
        steps.write();
    }

    private static void batched(RecordTraces.Steps steps, BatchDocument batch) {
        for (BatchDocument.Entry e : batch.records()) {
            steps.batched(e.recordId(), e.version(), batch.batchId(), batch.formedAt());
        }
    }

    private void applyResults(BatchDocument batch, JsonNode answer, RecordTraces.Steps steps) {
        Map<String, JsonNode> byRecord = new HashMap<>();
        for (JsonNode result : answer.path("results")) {
            byRecord.put(result.path("recordId").asText(), result);
        }
        List<BatchDocument.Entry> accepted = new java.util.ArrayList<>(batch.records().size());
        for (BatchDocument.Entry e : batch.records()) {
            JsonNode result = byRecord.get(e.recordId());
            String status = result == null ? "ACCEPTED" : result.path("status").asText("ACCEPTED");
            String code = result == null ? null : result.path("code").asText(null);
            String message = result == null ? null : result.path("message").asText(null);
            steps.upstreamResult(e.recordId(), e.version(), batch.batchId(), status, code, message);
            if ("REJECTED".equals(status)) {
                metrics.rejectedUpstream(e.department(), e.feed());
                if (e.receiptId() != null) {
                    receipts.addUpstreamRejection(e.receiptId(), new Receipt.UpstreamRejection(e.recordId(),
                            e.position() == null ? 0 : e.position(), code, message, Instant.now(clock)));
                }
            } else {
                metrics.delivered(e.department(), e.feed());
                accepted.add(e);
            }
        }
        try {
            acceptances.accepted(accepted, Instant.now(clock));
        } catch (RuntimeException failed) {
            LOG.warn("the province's acceptance of batch {} could not be noted: {}", batch.batchId(), failed.toString());
        }
    }

    static List<BatchDocument> split(BatchDocument batch) {
        int half = Math.max(1, batch.records().size() / 2);
        List<BatchDocument.Entry> first = batch.records().subList(0, half);
        List<BatchDocument.Entry> second = batch.records().subList(half, batch.records().size());
        return List.of(
                new BatchDocument(BatchStage.batchId(batch.dataset(), first), batch.dataset(), batch.formedAt(), List.copyOf(first)),
                new BatchDocument(BatchStage.batchId(batch.dataset(), second), batch.dataset(), batch.formedAt(), List.copyOf(second)));
    }

    /** A batch the province did not take, kept on the dead-letter topic until an operator replays it. */
    public record DeadLetter(BatchDocument batch, String reason, int status, String answer, Instant at) {
    }


}
