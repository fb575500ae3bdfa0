package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.ingest.FeedIngestor;
import cn.bazhong.credit.gateway.ingest.FeedSource;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.ingest.ReceiptStore;
import cn.bazhong.credit.gateway.ingest.RecordPublisher;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/**
 * Takes one message from a department's topic (called by the {@code kafka-feed} route template).
 * The message's records are made durable, its receipt is stored, then it goes to the department's receipts
 * topic, and only then is the offset committed (the route does not wait for the commit). A message that cannot
 * be handled at all (no value, or an unexpected failure) goes to the dead-letter topic with the reason, then gets a
 * receipt like any other (nothing accepted, one rejection with the rule {@code dead-lettered} and the reason), and its
 * offset is committed, so it never blocks its partition. When the records cannot be made durable, nothing is
 * committed and the message is read again.
 *
 * <p>A message read again after its receipt was stored (the node stopped or lost the partition between the
 * stored receipt and the offset commit, or the commit was lost) is answered with the receipt it already had,
 * sent again to the department's receipts topic, and not ingested a second time: otherwise its records would
 * now count as duplicates and the stored receipt would turn from "accepted" to "duplicate". The message's
 * timestamp, kept in its receipt, tells it from another message at the same offset (a topic deleted and created
 * again), and its feed from another feed's route on the same topic; a message without a timestamp is ingested
 * again. A dead-lettered message read again is likewise answered with its receipt and not set aside a second time.
 */
public class KafkaFeedHandler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaFeedHandler.class);
    /** Header of a dead letter whose value is the sealed message. */
    public static final String SEALED_HEADER = "dead-letter-sealed";
    /** Header of a dead letter: the feed (mapping id) that set the message aside. */
    public static final String FEED_HEADER = "dead-letter-feed";
    /** Header of a dead letter: the message it keeps, {@code <topic>-<partition>-<offset>} (its receipt id). */
    public static final String SOURCE_HEADER = "dead-letter-source";
    /** Header of a dead letter: why the message was set aside (identity numbers masked). */
    public static final String REASON_HEADER = "dead-letter-reason";
    /**
     * Header of a dead letter: the message's own timestamp (epoch milliseconds, decimal), which a replay keeps so that
     * an old list entry replayed after a newer one is stale, as when the department sends it again.
     */
    public static final String SOURCE_TIME_HEADER = "dead-letter-source-time";
    /**
     * Header of a dead letter kept without its message: the message's length in bytes, which was more than the
     * dead-letter topic takes. Nothing is there to replay; the department sends the message again.
     */
    public static final String NOT_KEPT_HEADER = "dead-letter-not-kept";
    /** The rule of a dead-lettered message's one rejection, in its receipt. */
    public static final String DEAD_LETTERED = "dead-lettered";

    private final FeedIngestor ingestor;
    private final ReceiptStore receipts;
    private final KafkaProducer<String, byte[]> producer;
    private final cn.bazhong.credit.gateway.privacy.PersonalFields personal;
    private final KafkaFeedTopics topics;

    /**
     * @param personal seals the messages kept on a dead-letter topic: they are the department's data as it sent them
     * @param topics   the Kafka feeds, whose departments stand in for a feed whose mapping is gone
     */
    public KafkaFeedHandler(FeedIngestor ingestor, ReceiptStore receipts, KafkaClients clients,
                            cn.bazhong.credit.gateway.privacy.PersonalFields personal, KafkaFeedTopics topics) {
        this.ingestor = ingestor;
        this.topics = topics;
        this.receipts = receipts;
        this.producer = clients.producer("gateway-feed-receipts");
        this.personal = personal;
    }

    public void ingest(Exchange exchange) {
        String mappingId = exchange.getProperty("mappingId", String.class);
        String receiptsTopic = exchange.getProperty("receiptsTopic", String.class);
        String deadLetterTopic = exchange.getProperty("deadLetterTopic", String.class);
        String topic = exchange.getIn().getHeader(KafkaConstants.TOPIC, String.class);
        Integer partition = exchange.getIn().getHeader(KafkaConstants.PARTITION, Integer.class);
        Long offset = exchange.getIn().getHeader(KafkaConstants.OFFSET, Long.class);
        String key = exchange.getIn().getHeader(KafkaConstants.KEY, String.class);
        byte[] value = exchange.getIn().getBody(byte[].class);
        Long timestamp = exchange.getIn().getHeader(KafkaConstants.TIMESTAMP, Long.class); // the producer's time: orders re-listings
        FeedSource source = FeedSource.message(mappingId, topic, partition, offset, timestamp);
        Receipt answered = answeredBefore(source);
        if (answered != null) {
            LOG.info("message {} of {} read again: answered with the receipt it already had", source.name(), mappingId);
            send(receiptsTopic, key != null ? key : answered.receiptId(), ReceiptStore.toJson(answered), new RecordHeaders());
        } else {
            // the department's copy of a receipt goes out once the stored one is durable
            BiFunction<Receipt, byte[], Future<?>> toDepartment = (receipt, json) ->
                    producer.send(new ProducerRecord<>(receiptsTopic, key != null ? key : receipt.receiptId(), json));
            if (value == null || value.length == 0) {
                deadLetter(deadLetterTopic, key, value, source, "the message has no value", toDepartment);
            } else {
                try {
                    ingestor.ingest(source, new ByteArrayInputStream(value), toDepartment);
                } catch (RecordPublisher.NotDurableException e) {
                    throw e; // not committed: read again once Kafka takes writes
                } catch (Exception e) {
                    LOG.warn("message {} of {} cannot be handled, dead-lettered: {}", source.name(), mappingId, e.toString());
                    deadLetter(deadLetterTopic, key, value, source, e.getClass().getSimpleName() + ": " + e.getMessage(), toDepartment);
                }
            }
        }
        KafkaManualCommit commit = exchange.getIn().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
        }
    }

    /** The receipt this message was given before it was read again: same offset, same timestamp, same feed; else null. */
    private Receipt answeredBefore(FeedSource source) {
        if (source.sourceTime() == null) {
            return null;
        }
        Receipt stored = receipts.find(source.receiptId());
        return stored != null && source.sourceTime().equals(stored.sourceTime())
                && java.util.Objects.equals(source.mappingId(), stored.feed()) ? stored : null;
    }

    /** The message to the dead-letter topic, then its receipt (stored, and sent to the department). */
    private void deadLetter(String topic, String key, byte[] value, FeedSource source, String reason,
                            BiFunction<Receipt, byte[], Future<?>> toDepartment) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, cn.bazhong.credit.gateway.validation.IdNumbers.maskAll(reason).getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, source.name().getBytes(StandardCharsets.UTF_8));
        headers.add(FEED_HEADER, String.valueOf(source.mappingId()).getBytes(StandardCharsets.UTF_8));
        if (source.sourceTime() != null) {
            headers.add(SOURCE_TIME_HEADER, Long.toString(source.sourceTime().toEpochMilli()).getBytes(StandardCharsets.UTF_8));
        }
        if (personal.sealing() && value != null) {
            // PersonalFields.openRaw gives the message back (docs/security.md)
            headers.add(SEALED_HEADER, cn.bazhong.credit.gateway.privacy.PersonalFields.RAW_MESSAGE.getBytes(StandardCharsets.UTF_8));
        }
        try {
            send(topic, key, personal.sealRaw(value), headers);
        } catch (IllegalStateException e) {
            if (org.apache.camel.util.ObjectHelper.getException(org.apache.kafka.common.errors.RecordTooLargeException.class, e) == null) {
                throw e;
            }
            // more than the topic takes, sealed: the letter is kept without it, so that the partition goes on
            LOG.warn("message {} of {} bytes is too large for {}: set aside without its content", source.name(), value.length, topic);
            headers.add(NOT_KEPT_HEADER, Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
            headers.remove(SEALED_HEADER);
            send(topic, key, null, headers);
            reason = reason + "; the message (" + value.length + " bytes) is more than " + topic + " takes and was not kept: send it again";
        }
        try {
            // the department of the feed's topic stands in when the feed's mapping is gone
            String department = topics.ofTopic(source.topic()).map(f -> f.department().toUpperCase(java.util.Locale.ROOT)).orElse("unknown");
            ingestor.refuse(source, department, DEAD_LETTERED, reason + "; set aside on " + topic, toDepartment);
        } catch (RecordPublisher.NotDurableException e) {
            throw e; // not committed: read again, and answered then
        } catch (RuntimeException e) {
            // the dead letter is durable: a message the gateway cannot give a receipt must not stop its partition
            LOG.warn("message {} dead-lettered without a receipt: {}", source.name(), e.toString());
        }
    }

    private void send(String topic, String key, byte[] value, RecordHeaders headers) {
        KafkaClients.awaitDurable(producer.send(new ProducerRecord<>(topic, null, key, value, headers)), "topic " + topic);
    }

    @Override
    public void close() {
        producer.close();
    }
}
