package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TransactionalStage;
import cn.bazhong.credit.gateway.ingest.RecordEnvelope;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.NationalCodes;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups forwarded records into upstream batches per dataset, by size and by time, and writes each
 * batch to the batches topic in the same Kafka transaction that commits the records it holds
 * ({@link TransactionalStage}, holding records across polls). The batch id is a hash of its records' ids
 * and versions: a batch that exists is never re-formed differently, and the sender can always resend it
 * with the same id and content.
 */
public class BatchStage extends TransactionalStage {

    public static final String GROUP = "gateway-batcher";

    private final GatewayTopics topics;
    private final int maxRecords;
    private final Duration maxWait;
    private final Clock clock;
    /** Records held per dataset, to know when one has a full batch. */
    private final Map<String, Integer> heldPerDataset = new HashMap<>();

    public BatchStage(KafkaClients clients, GatewayTopics topics, int maxRecords, Duration maxWait,
                      String nodeId, Clock clock) {
        super("batch-stage", clients, topics.upstream(), GROUP, "batcher-" + nodeId,
                Math.max(maxRecords, RECORDS_PER_TRANSACTION), Duration.ofMillis(200), clock);
        this.topics = topics;
        this.maxRecords = maxRecords;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    @Override
    protected void held(ConsumerRecord<String, byte[]> record) {
        String kind = RecordEnvelope.headline(record).kind();
        if (!keptLocally(kind)) {
            heldPerDataset.merge(kind, 1, Integer::sum);
        }
    }

    @Override
    protected void released() {
        heldPerDataset.clear();
    }

    /**
     * One transaction for several batches while records keep coming; a full batch as soon as the topic is
     * drained; whatever is held once the oldest record has waited long enough.
     */
    @Override
    protected boolean closes(int heldCount, boolean drained, Instant heldSince) {
        int largest = heldPerDataset.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return heldCount >= maxPollRecords()
                || (drained && largest >= maxRecords)
                || !Instant.now(clock).isBefore(heldSince.plus(maxWait));
    }

    /** Every dataset held goes out in batches of at most {@code maxRecords}, in the records' order. */
    @Override
    protected void handle(List<ConsumerRecord<String, byte[]>> records, KafkaProducer<String, byte[]> producer) {
        Map<String, List<BatchDocument.Entry>> byDataset = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            RecordEnvelope envelope = RecordEnvelope.read(r);
            if (keptLocally(envelope.record().kind().name())) {
                continue; // no provincial dataset: only its offset moves on, with this transaction
            }
            BatchDocument.Entry entry = entry(envelope);
            byDataset.computeIfAbsent(datasetOf(entry), k -> new ArrayList<>()).add(entry);
        }
        Instant formedAt = Instant.now(clock);
        for (Map.Entry<String, List<BatchDocument.Entry>> dataset : byDataset.entrySet()) {
            List<BatchDocument.Entry> all = dataset.getValue();
            for (int from = 0; from < all.size(); from += maxRecords) {
                List<BatchDocument.Entry> slice = List.copyOf(all.subList(from, Math.min(all.size(), from + maxRecords)));
                BatchDocument batch = new BatchDocument(batchId(dataset.getKey(), slice), dataset.getKey(), formedAt, slice);
                producer.send(new ProducerRecord<>(topics.batches(), batch.dataset(), json(batch)));
            }
        }
        // the records' "batched" steps are traced by the sender with their first attempt (one trace write per record)
    }

    /**
     * Records of a kind the provincial exchange has no dataset for (provincial-exchange.md lists ADMIN_PENALTY,
     * ADMIN_LICENSE, LIST_ENTRY and MEASURE_FEEDBACK): written commitments stay in the city.
     */
    public static boolean keptLocally(ConsumerRecord<String, byte[]> r) {
        return keptLocally(RecordEnvelope.headline(r).kind());
    }

    private static boolean keptLocally(String kind) {
        return cn.bazhong.credit.gateway.schema.RecordKind.COMMITMENT.name().equals(kind);
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
