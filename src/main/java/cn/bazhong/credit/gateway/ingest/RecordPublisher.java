package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes accepted records to the records topic, keyed by record id. One {@link Batch} per source:
 * sends are pipelined, at most {@link #MAX_IN_FLIGHT} unacknowledged at a time (memory stays
 * bounded), and {@link Batch#awaitDurable()} returns only when Kafka has acknowledged every one.
 */
public class RecordPublisher implements AutoCloseable {

    public static final String RECEIPT_HEADER = "receipt-id";
    /** Headers that let a stage route and deduplicate a record without parsing it; the key is the record id. */
    public static final String VERSION_HEADER = "record-version";
    public static final String KIND_HEADER = "record-kind";
    public static final String DEPARTMENT_HEADER = "department";
    public static final String FEED_HEADER = "feed";
    /**
     * The record's first trace step ("received", as a JSON line), carried to the dedup stage, which
     * stores it together with its own decision: one trace write per record there instead of one here too.
     */
    public static final String TRACE_HEADER = "trace-received";
    /** The record's operation (UPSERT, WITHDRAW) and its position in its source (absent when it has none). */
    public static final String OPERATION_HEADER = "record-operation";
    public static final String POSITION_HEADER = "record-position";
    /**
     * The record's upstream {@code data} (NationalCodes.data of the sealed record) as JSON, rendered once at ingest:
     * the batch stage copies these bytes into the batch instead of parsing the record and rendering them again.
     * Absent for a record with no provincial dataset (a written commitment).
     */
    public static final String NATIONAL_HEADER = "national-data";
    static final int MAX_IN_FLIGHT = 2000;

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final PersonalFields personal;

    public RecordPublisher(KafkaClients clients, GatewayTopics topics) {
        this(clients, topics, PersonalFields.CLEAR);
    }

    /** With {@code personal} sealing: records reach Kafka with a person's ID number and name encrypted. */
    public RecordPublisher(KafkaClients clients, GatewayTopics topics, PersonalFields personal) {
        this.producer = clients.producer("gateway-ingress");
        this.topic = topics.records();
        this.personal = personal;
    }

    public Batch batch(String receiptId) {
        return new Batch(receiptId, producer);
    }

    /**
     * A batch sent with {@code producer} instead of the shared one: a REST push's transactional
     * producer, whose records become visible only when its transaction commits.
     */
    public Batch batch(String receiptId, KafkaProducer<String, byte[]> producer) {
        return new Batch(receiptId, producer);
    }

    public final class Batch {
        private final String receiptId;
        private final KafkaProducer<String, byte[]> producer;
        private final Deque<Future<RecordMetadata>> inFlight = new ArrayDeque<>();

        private Batch(String receiptId, KafkaProducer<String, byte[]> producer) {
            this.receiptId = receiptId;
            this.producer = producer;
        }

        public void send(CreditRecord record) {
            send(record, null);
        }

        /** Sends the record with its "received" trace step (a JSON line, see {@link RecordTraces#receivedLine}). */
        public void send(CreditRecord record, String receivedStep) {
            inFlight.add(producer.send(record(topic, receiptId, personal.seal(record), receivedStep)));
            while (inFlight.size() > MAX_IN_FLIGHT) {
                await(inFlight.poll());
            }
        }

        /** Blocks until every record sent in this batch is acknowledged by Kafka; throws if one was not. */
        public void awaitDurable() {
            producer.flush();
            while (!inFlight.isEmpty()) {
                await(inFlight.poll());
            }
        }

        private void await(Future<RecordMetadata> f) {
            try {
                f.get(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotDurableException("interrupted before the records were durable", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new NotDurableException("Kafka did not acknowledge a record: " + e.getMessage(), e);
            }
        }
    }

    /**
     * A sealed record as it goes to the records topic: its JSON, keyed by record id, with the headers that let the
     * later stages route, deduplicate and batch it without parsing it.
     */
    public static ProducerRecord<String, byte[]> record(String topic, String receiptId, CreditRecord sealed, String receivedStep) {
        byte[] json;
        try {
            json = RecordJson.mapper().writeValueAsBytes(sealed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("record " + sealed.recordId() + " could not be written as JSON", e);
        }
        byte[] national = national(sealed);
        RecordHeaders headers = new RecordHeaders();
        headers.add(RECEIPT_HEADER, receiptId.getBytes(StandardCharsets.UTF_8));
        headers.add(VERSION_HEADER, sealed.version().getBytes(StandardCharsets.UTF_8));
        headers.add(KIND_HEADER, sealed.kind().name().getBytes(StandardCharsets.UTF_8));
        headers.add(DEPARTMENT_HEADER, sealed.provenance().department().getBytes(StandardCharsets.UTF_8));
        headers.add(FEED_HEADER, sealed.provenance().mappingId().getBytes(StandardCharsets.UTF_8));
        headers.add(OPERATION_HEADER, sealed.operation().name().getBytes(StandardCharsets.UTF_8));
        if (sealed.provenance().position() != null) {
            headers.add(POSITION_HEADER, String.valueOf(sealed.provenance().position()).getBytes(StandardCharsets.UTF_8));
        }
        if (national != null) {
            headers.add(NATIONAL_HEADER, national);
        }
        if (receivedStep != null) {
            headers.add(TRACE_HEADER, receivedStep.getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(topic, null, sealed.recordId(), json, headers);
    }

    /** NationalCodes.data of the record as JSON; null for a kind without a provincial dataset, or a body that does not fit its kind. */
    private static byte[] national(CreditRecord sealed) {
        if (sealed.kind() == cn.bazhong.credit.gateway.schema.RecordKind.COMMITMENT) {
            return null;
        }
        try {
            return json(cn.bazhong.credit.gateway.schema.NationalCodes.data(sealed));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null; // the batch stage reads the record itself, and finds the same fault there as before
        }
    }

    /**
     * The data as the record mapper writes it (keys sorted, nulls left out), streamed: a penalty's or licence's data is
     * a flat map of strings, for which the mapper's map serializer (a sorted copy, a serializer lookup per value) costs
     * more than the writing; anything nested (a list entry's subject) is left to the mapper.
     */
    private static byte[] json(java.util.Map<String, Object> data) throws java.io.IOException {
        for (Object v : data.values()) {
            if (v != null && !(v instanceof String)) {
                return RecordJson.mapper().writeValueAsBytes(data);
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1024);
        try (com.fasterxml.jackson.core.JsonGenerator g = RecordJson.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            for (java.util.Map.Entry<String, Object> e : new java.util.TreeMap<>(data).entrySet()) {
                if (e.getValue() != null) {
                    g.writeStringField(e.getKey(), (String) e.getValue());
                }
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** The records of a source could not all be made durable; the source must not be acknowledged. */
    public static class NotDurableException extends RuntimeException {
        NotDurableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
