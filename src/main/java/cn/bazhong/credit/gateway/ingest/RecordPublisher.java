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
    static final int MAX_IN_FLIGHT = 2000;

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final PersonalFields personal;

    public RecordPublisher(KafkaClients clients, GatewayTopics topics) {
        this(clients, topics, PersonalFields.CLEAR);
    }

    /** With {@code personal} sealing: records reach Kafka with a person's ID number and name encrypted. */
    public RecordPublisher(KafkaClients clients, GatewayTopics topics, PersonalFields personal) {
        this.producer = clients.bulkProducer("gateway-ingress");
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
            byte[] json;
            try {
                json = RecordJson.mapper().writeValueAsBytes(personal.seal(record));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("record " + record.recordId() + " could not be written as JSON", e);
            }
            RecordHeaders headers = new RecordHeaders();
            headers.add(RECEIPT_HEADER, receiptId.getBytes(StandardCharsets.UTF_8));
            headers.add(VERSION_HEADER, record.version().getBytes(StandardCharsets.UTF_8));
            headers.add(KIND_HEADER, record.kind().name().getBytes(StandardCharsets.UTF_8));
            headers.add(DEPARTMENT_HEADER, record.provenance().department().getBytes(StandardCharsets.UTF_8));
            headers.add(FEED_HEADER, record.provenance().mappingId().getBytes(StandardCharsets.UTF_8));
            if (receivedStep != null) {
                headers.add(TRACE_HEADER, receivedStep.getBytes(StandardCharsets.UTF_8));
            }
            inFlight.add(producer.send(new ProducerRecord<>(topic, null, record.recordId(), json, headers)));
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
     * Waits up to a minute for one write a source's acknowledgement depends on (a receipt, a list entry's place in its
     * sequence); throws {@link NotDurableException} when Kafka did not take it, so that the source is read again.
     */
    static void awaitDurable(Future<?> write, String what) {
        try {
            write.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotDurableException("interrupted while writing " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new NotDurableException(what + " could not be written: " + e.getMessage(), e);
        }
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
