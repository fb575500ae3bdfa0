package cn.bazhong.credit.gateway.publication;

import cn.bazhong.credit.gateway.fanout.FanoutDelivery;
import cn.bazhong.credit.gateway.fanout.OutboundEvent;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.AcknowledgingStage;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.Operation;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.ingest.RecordEnvelope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Publishes to the city credit website, isolated from everything else: its own consumer group
 * ({@value #GROUP}) over the accepted records, the list changes and the publication outbox, its own
 * thread, HTTP client, retry schedule and circuit breaker ({@link FanoutDelivery}, as a department's).
 * One message at a time, in partition order; the offset moves on only after the message is delivered or
 * dead-lettered ({@link AcknowledgingStage}), so a website that is down delays only the website, and gets
 * everything later, once (the same message ids if a crash makes the gateway send one again).
 */
public class PublicationDispatcher extends AcknowledgingStage {

    private static final Logger LOG = LoggerFactory.getLogger(PublicationDispatcher.class);
    public static final String GROUP = "gateway-publication";

    private final String recordsTopic;
    private final String changesTopic;
    private final PublicationItems items;
    private final FanoutDelivery delivery;
    private final PublicationEnds ends;
    private final PublicationDeadLetters deadLetters;
    private final MeterRegistry registry;
    private final Clock clock;

    public PublicationDispatcher(KafkaClients clients, String recordsTopic, String changesTopic, String outboxTopic, PublicationItems items,
                                 FanoutDelivery delivery, PublicationEnds ends, PublicationDeadLetters deadLetters, MeterRegistry registry,
                                 Clock clock, String nodeId) {
        super("publication", clients, List.of(recordsTopic, changesTopic, outboxTopic), GROUP, "publication-" + nodeId, 100, true, clock);
        this.recordsTopic = recordsTopic;
        this.changesTopic = changesTopic;
        this.items = items;
        this.delivery = delivery;
        this.ends = ends;
        this.deadLetters = deadLetters;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    protected boolean work(ConsumerRecords<String, byte[]> polled, Work work) throws InterruptedException {
        // most records on the accepted-records topic are nothing for the website: they are done at once
        for (TopicPartition tp : polled.partitions()) {
            for (ConsumerRecord<String, byte[]> r : polled.records(tp)) {
                if (work.lost(tp)) {
                    break; // revoked while waiting: its new owner carries on from the committed offset
                }
                Optional<OutboundEvent> message = prepare(r);
                if (message.isPresent()) {
                    try {
                        deliver(message.get(), wait -> work.await(wait, List.of(tp)));
                    } catch (HandedOver e) {
                        break; // the partition moved to another node while the message waited: that node sends it
                    }
                }
                work.done(r);
            }
        }
        return false;
    }

    /** The message a record on one of the three topics gives, noting or forgetting its 公示期 end on the way. */
    private Optional<OutboundEvent> prepare(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.value() == null) {
                return Optional.empty();
            }
            if (r.topic().equals(recordsTopic)) {
                String kind = RecordEnvelope.headline(r).kind();
                if (!"ADMIN_PENALTY".equals(kind) && !"ADMIN_LICENSE".equals(kind)) {
                    return Optional.empty();
                }
                CreditRecord record = RecordEnvelope.read(r).record();
                Optional<OutboundEvent> m = items.ofRecord(record, LocalDate.now(clock));
                m.ifPresent(message -> noteEnd(record, message));
                return m;
            }
            if (r.topic().equals(changesTopic)) {
                return items.ofListChange(RecordJson.mapper().readValue(r.value(), ListChangeEvent.class));
            }
            return Optional.of(PublicationOutbox.read(r));
        } catch (Exception e) {
            LOG.error("ALERT: {}-{}/{} cannot be read for the website and is skipped: {}", r.topic(), r.partition(), r.offset(), e.toString());
            return Optional.empty();
        }
    }

    private void noteEnd(CreditRecord record, OutboundEvent message) {
        String itemId = message.subjectCode();
        LocalDate end = items.publicationEnd(record);
        if (record.operation() == Operation.WITHDRAW || PublicationItems.WITHDRAWN.equals(message.type()) || end == null) {
            ends.remove(itemId);
        } else {
            ends.put(new PublicationEnds.End(itemId, record.kind().name(), record.version(), end));
        }
    }

    private void deliver(OutboundEvent message, FanoutDelivery.Waiter waiter) throws InterruptedException {
        FanoutDelivery.Outcome outcome = delivery.deliver(List.of(message), waiter);
        String result;
        if (outcome instanceof FanoutDelivery.Outcome.Delivered) {
            result = "DELIVERED";
        } else if (outcome instanceof FanoutDelivery.Outcome.DeadLetter dl) {
            deadLetters.add(message, dl.reason(), dl.status(), dl.attempts());
            result = "DEAD_LETTERED";
        } else {
            // 410: the website says the address is gone; nothing is disabled, the message waits as a dead letter
            LOG.error("ALERT: the website answered 410 Gone for {}: dead-lettered, published again when the dead letters are replayed",
                    message.id());
            deadLetters.add(message, "410 Gone", 410, ((FanoutDelivery.Outcome.Gone) outcome).attempts());
            result = "DEAD_LETTERED";
        }
        if (registry != null) {
            Counter.builder("gateway.publication.messages").description("messages to the city credit website, by outcome")
                    .tag("type", message.type()).tag("outcome", result).register(registry).increment();
        }
    }
}
