package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.transport.UpstreamAnswers;
import cn.bazhong.credit.gateway.transport.UpstreamTransport;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Publishes each batch document to the topic of its dataset, named by a pattern such as
 * {@code province.exchange.{dataset}} with the dataset lower-cased
 * ({@code province.exchange.admin_penalty}). The record's key is the batch id, its value the
 * document, and it carries the header {@code Idempotency-Key: <batchId>} as the REST request does,
 * so the province can recognise a resent batch.
 *
 * <p>The producer is the gateway's durable one (idempotent, acknowledged by all in-sync replicas);
 * a send waits for the acknowledgement. An acknowledged record is a delivery: the answer is 200
 * without per-record results. A failure to publish is an {@link IOException}, which
 * {@link BatchDelivery} retries; a document larger than the cluster takes is answered 413 so the
 * sender splits the batch. Topics are not created here: they belong to the province (on the
 * gateway's own cluster, create them as the other topics are).
 */
public class KafkaUpstreamTransport implements UpstreamTransport, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaUpstreamTransport.class);
    public static final String DATASET_PLACEHOLDER = "{dataset}";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String CONTENT_TYPE = "Content-Type";
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    /** Beyond the producer's own delivery time-out (120 s) and metadata wait (60 s): a guard only. */
    private static final Duration ACKNOWLEDGEMENT_GUARD = Duration.ofMinutes(4);

    private final String bootstrapServers;
    private final String topicPattern;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaUpstreamTransport(KafkaClients clients, String topicPattern, String clientId) {
        if (topicPattern == null || !topicPattern.contains(DATASET_PLACEHOLDER)) {
            throw new IllegalStateException("gateway.upstream.kafka.topic-pattern must contain " + DATASET_PLACEHOLDER
                    + " (one topic per dataset), not " + topicPattern);
        }
        if (!LEGAL_TOPIC.matcher(topicPattern.replace(DATASET_PLACEHOLDER, "admin_penalty")).matches()) {
            throw new IllegalStateException("gateway.upstream.kafka.topic-pattern " + topicPattern
                    + " does not make a legal Kafka topic name (letters, digits, '.', '_', '-')");
        }
        this.bootstrapServers = clients.bootstrapServers();
        this.topicPattern = topicPattern;
        this.producer = clients.producer(clientId);
    }

    /** The topic of a dataset: the pattern with {@code {dataset}} replaced by the lower-cased dataset. */
    public String topicOf(String dataset) {
        return topicPattern.replace(DATASET_PLACEHOLDER, dataset.toLowerCase(Locale.ROOT));
    }

    @Override
    public Answer send(String batchId, byte[] document) throws IOException, InterruptedException {
        if (batchId == null || batchId.isBlank()) {
            return UpstreamAnswers.malformed(batchId, "the batch has no id");
        }
        String dataset = dataset(document);
        if (dataset == null) {
            return UpstreamAnswers.malformed(batchId, "the batch document names no dataset");
        }
        String topic = topicOf(dataset);
        if (!LEGAL_TOPIC.matcher(topic).matches()) {
            return UpstreamAnswers.malformed(batchId, "dataset " + dataset + " gives no legal topic name (" + topic + ")");
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(IDEMPOTENCY_KEY, batchId.getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader(CONTENT_TYPE, "application/json; charset=utf-8".getBytes(StandardCharsets.UTF_8)));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, batchId, document, headers);
        try {
            producer.send(record).get(ACKNOWLEDGEMENT_GUARD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RecordTooLargeException) {
                return UpstreamAnswers.tooLarge(batchId, "Kafka " + bootstrapServers + " topic " + topic + ": " + cause.getMessage());
            }
            throw new IOException("Kafka " + bootstrapServers + " topic " + topic + ": " + message(cause), cause);
        } catch (TimeoutException e) {
            throw new IOException("Kafka " + bootstrapServers + " topic " + topic + ": no acknowledgement within "
                    + ACKNOWLEDGEMENT_GUARD, e);
        } catch (RecordTooLargeException e) {
            return UpstreamAnswers.tooLarge(batchId, "Kafka topic " + topic + ": " + e.getMessage());
        } catch (KafkaException e) {
            throw new IOException("Kafka " + bootstrapServers + " topic " + topic + ": " + message(e), e);
        }
        LOG.debug("batch {} published to {} at {}", batchId, topic, bootstrapServers);
        return UpstreamAnswers.delivered(batchId);
    }

    /**
     * The document's {@code dataset}, or null when it names none. Read with a streaming parser that
     * stops at the field (the wire format puts it before the records), not by parsing the whole batch.
     */
    static String dataset(byte[] document) {
        try (JsonParser p = RecordJson.mapper().getFactory().createParser(document)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("dataset".equals(field)) {
                    return value == JsonToken.VALUE_STRING && !p.getText().isBlank() ? p.getText().strip() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String message(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @Override
    public String describe() {
        return "Kafka " + bootstrapServers + " topics " + topicPattern;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
