package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.measures.FeedbackForwarder;
import cn.bazhong.credit.gateway.measures.Initiation;
import cn.bazhong.credit.gateway.schema.RecordJson;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts each execution feedback on the batches topic as a one-record {@code MEASURE_FEEDBACK} batch,
 * which the sender stage delivers like any other. Record id {@code <DEPT>:MEASURE_FEEDBACK:<initiation>:<measure>:<matter>},
 * version = hash of the feedback's content, batch id from both: the same feedback sent again is the
 * same batch, which the province answers as a repeat; a corrected one is a new version of the record.
 */
public class MeasureFeedbackForwarder implements FeedbackForwarder, AutoCloseable {

    public static final String DATASET = "MEASURE_FEEDBACK";

    private final KafkaProducer<String, byte[]> producer;
    private final GatewayTopics topics;
    private final Clock clock;

    public MeasureFeedbackForwarder(KafkaClients clients, GatewayTopics topics, Clock clock, String nodeId) {
        this.producer = clients.producer("gateway-measure-feedback-" + nodeId);
        this.topics = topics;
        this.clock = clock;
    }

    @Override
    public void forward(Initiation initiation, Initiation.Feedback feedback) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("initiationId", initiation.initiationId());
        data.put("listEntryRecordId", initiation.recordId());
        data.put("listType", initiation.listType());
        data.put("implementingUnit", initiation.department());
        data.put("measureId", feedback.measureId());
        data.put("result", feedback.result());
        data.put("matter", feedback.matter());
        data.put("appliedAt", feedback.appliedAt() == null ? null : feedback.appliedAt().toString());
        data.put("basis", feedback.basis());
        data.put("note", feedback.note());
        data.values().removeIf(java.util.Objects::isNull);
        String recordId = initiation.department() + ":" + DATASET + ":" + initiation.initiationId() + ":" + feedback.measureId() + ":"
                + (feedback.matter() == null ? "-" : feedback.matter());
        BatchDocument.Entry entry = new BatchDocument.Entry(recordId, version(data), "UPSERT", data, null, null,
                initiation.department(), "measure-feedback", DATASET);
        BatchDocument batch = new BatchDocument(BatchStage.batchId(DATASET, List.of(entry)), DATASET, Instant.now(clock), List.of(entry));
        try {
            KafkaClients.awaitDurable(producer.send(new ProducerRecord<>(topics.batches(), DATASET, RecordJson.mapper().writeValueAsBytes(batch))),
                    "the feedback for " + initiation.initiationId() + " (upstream batch)");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String version(Map<String, Object> data) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(RecordJson.mapper().writeValueAsBytes(data));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("the feedback's version could not be computed", e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
