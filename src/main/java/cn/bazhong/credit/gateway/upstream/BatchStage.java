package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TransactionalStage;
import cn.bazhong.credit.gateway.ingest.RecordEnvelope;
import cn.bazhong.credit.gateway.ingest.RecordPublisher;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.NationalCodes;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.util.RawValue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

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
        if (!keptLocally(record)) {
            heldPerDataset.merge(RecordEnvelope.headline(record).kind(), 1, Integer::sum);
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
        Map<String, List<Formed.Entry>> byDataset = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            if (keptLocally(r)) {
                continue; // no provincial dataset: only its offset moves on, with this transaction
            }
            Formed.Entry entry = entry(r);
            byDataset.computeIfAbsent(entry.kind(), k -> new ArrayList<>()).add(entry);
        }
        Instant formedAt = Instant.now(clock);
        for (Map.Entry<String, List<Formed.Entry>> dataset : byDataset.entrySet()) {
            List<Formed.Entry> all = dataset.getValue();
            for (int from = 0; from < all.size(); from += maxRecords) {
                List<Formed.Entry> slice = List.copyOf(all.subList(from, Math.min(all.size(), from + maxRecords)));
                Formed batch = new Formed(batchId(dataset.getKey(), slice, Formed.Entry::recordId, Formed.Entry::version),
                        dataset.getKey(), formedAt, slice);
                producer.send(new ProducerRecord<>(topics.batches(), batch.dataset(), json(batch)));
            }
        }
        // the records' "batched" steps are traced by the sender with their first attempt (one trace write per record)
    }

    /**
     * A batch as the stage writes it: the JSON of a {@link BatchDocument}, field for field, except that each record's
     * {@code data} may be the bytes rendered at ingest ({@link RecordPublisher#NATIONAL_HEADER}), copied as they are.
     */
    record Formed(String batchId, String dataset, Instant formedAt, List<Entry> records) {
        /** {@code data}: the national-code map, or its JSON as a {@link RawValue}. */
        record Entry(String recordId, String version, String operation, Object data,
                     String receiptId, Long position, String department, String feed, String kind) {
        }
    }

    /**
     * A record's batch entry from its headers, without parsing it; a record written before the headers existed (or
     * without national data) is parsed and rendered here instead.
     */
    static Formed.Entry entry(ConsumerRecord<String, byte[]> r) {
        Headers h = r.headers();
        Header national = h.lastHeader(RecordPublisher.NATIONAL_HEADER);
        Header operation = h.lastHeader(RecordPublisher.OPERATION_HEADER);
        RecordEnvelope.Headline headline = RecordEnvelope.headline(r);
        if (national == null || operation == null || headline.receiptId() == null) {
            RecordEnvelope e = RecordEnvelope.read(r);
            CreditRecord c = e.record();
            return new Formed.Entry(c.recordId(), c.version(), c.operation().name(), NationalCodes.data(c),
                    e.receiptId(), c.provenance().position(), e.department(), e.feed(), c.kind().name());
        }
        Header position = h.lastHeader(RecordPublisher.POSITION_HEADER);
        return new Formed.Entry(headline.recordId(), headline.version(), text(operation),
                new RawValue(text(national)), headline.receiptId(),
                position == null ? null : Long.valueOf(text(position)), headline.department(), headline.feed(), headline.kind());
    }

    private static String text(Header h) {
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Records of a kind the provincial exchange has no dataset for (provincial-exchange.md lists ADMIN_PENALTY,
     * ADMIN_LICENSE, LIST_ENTRY and MEASURE_FEEDBACK): written commitments stay in the city.
     */
    public static boolean keptLocally(ConsumerRecord<String, byte[]> r) {
        return cn.bazhong.credit.gateway.schema.RecordKind.COMMITMENT.name().equals(RecordEnvelope.headline(r).kind());
    }

    static String batchId(String dataset, List<BatchDocument.Entry> entries) {
        return batchId(dataset, entries, BatchDocument.Entry::recordId, BatchDocument.Entry::version);
    }

    private static <E> String batchId(String dataset, List<E> entries, java.util.function.Function<E, String> recordId,
                                      java.util.function.Function<E, String> version) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (E e : entries) {
                sha.update(recordId.apply(e).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(version.apply(e).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return dataset + "-" + HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("the JVM has no SHA-256", ex);
        }
    }

    static byte[] json(Formed batch) {
        try {
            return RecordJson.mapper().writeValueAsBytes(batch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a batch could not be written as JSON", e);
        }
    }

}
