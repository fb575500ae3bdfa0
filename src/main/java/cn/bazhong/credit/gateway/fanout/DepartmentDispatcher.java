package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.infra.AcknowledgingStage;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.logging.LogContext;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Delivers the list changes to one department, isolated from every other department: its own
 * consumer group over the list-changes and redelivery topics, its own thread, channel, retry
 * schedule and circuit breaker. Events of a partition (hence of a subject) are delivered one after
 * another, each retried in place until delivered or dead-lettered, so a department receives a
 * subject's events in the order they happened. Offsets are committed only after an event's final
 * outcome, and the department stays in its group however long it is down ({@link AcknowledgingStage}).
 * A 410 disables the endpoint cluster-wide; the event stays uncommitted until an operator enables it again.
 * After a list event come its follow-ups (the measures' initiation or cancellation, {@link FollowUpEvents}).
 * The records themselves come from the node's one fetch for all its dispatchers ({@link SharedListChanges}) while
 * the department keeps up, and from its own consumer while it is behind.
 */
public class DepartmentDispatcher extends AcknowledgingStage {

    private static final Logger LOG = LoggerFactory.getLogger(DepartmentDispatcher.class);

    private final Subscription subscription;
    private final Redeliveries redeliveries;
    private final ListChangeReader changes;
    private final DepartmentEvents events;
    private final FollowUpEvents followUps;
    private final ChannelSender sender;
    private final FanoutDelivery delivery;
    private final EndpointStates endpoints;
    private final FanoutDeadLetters deadLetters;
    private final DeliveryLog log;
    private final Clock clock;
    private final SharedListChanges shared;
    private final int maxPollRecords;

    /**
     * Where a department's events come from, and the node's name in its group; {@code changes} reads them, shared by
     * the node's dispatchers.
     */
    public record Source(KafkaClients clients, String changesTopic, Redeliveries redeliveries, String nodeId, int maxBatch,
                         ListChangeReader changes, SharedListChanges shared) {
    }

    public DepartmentDispatcher(Subscription subscription, Source source, DepartmentEvents events, FollowUpEvents followUps,
                                ChannelSender sender, FanoutDelivery delivery, EndpointStates endpoints,
                                FanoutDeadLetters deadLetters, DeliveryLog log, Clock clock) {
        super("fanout-" + subscription.department(), source.clients(),
                List.of(source.changesTopic(), source.redeliveries().topic()), group(subscription.department()),
                "fanout-" + subscription.department() + "-" + source.nodeId(), maxPollRecords(sender, source), false, clock);
        this.shared = source.shared();
        this.maxPollRecords = maxPollRecords(sender, source);
        this.subscription = subscription;
        this.redeliveries = source.redeliveries();
        this.changes = source.changes();
        this.events = events;
        this.followUps = followUps;
        this.sender = sender;
        this.delivery = delivery;
        this.endpoints = endpoints;
        this.deadLetters = deadLetters;
        this.log = log;
        this.clock = clock;
    }

    /**
     * How long the broker may hold the dispatcher's own fetch while the department has nothing new: 2 s rather than
     * Kafka's 500 ms. Its own fetch is rare now (the shared fetch serves a department that keeps up), but a node
     * whose shared reader is down has one fetching consumer per department again (50 in the city's plan): at 500 ms
     * that was a hundred fetches a second for nothing (on an idle node with 11 departments a fifth of its CPU;
     * docs/benchmarks.md). New events still come at once: the broker answers a held fetch as soon as committed data
     * arrives. What waits longer is only a partition the dispatcher resumes or goes back in (after holding back for
     * a disabled endpoint, or handing work back): its next fetch may wait for the one still held, up to 2 s.
     */
    static final int FETCH_MAX_WAIT_MS = 2_000;

    @Override
    protected Map<String, Object> consumerSettings() {
        return Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
    }

    private static int maxPollRecords(ChannelSender sender, Source source) {
        return sender.batches() ? source.maxBatch() : 100;
    }

    /** The records of the partitions the node's {@link SharedListChanges} holds come from there; the others from the consumer. */
    @Override
    protected ConsumerRecords<String, byte[]> fetch(KafkaConsumer<String, byte[]> c, Duration timeout) {
        return shared == null ? super.fetch(c, timeout) : shared.poll(c, group(subscription.department()), maxPollRecords, timeout);
    }

    public static String group(String department) {
        return "gateway-fanout-" + department;
    }

    public String department() {
        return subscription.department();
    }

    public ChannelSender sender() {
        return sender;
    }

    @Override
    protected AutoCloseable open() {
        return LogContext.with(LogContext.DEPARTMENT, subscription.department());
    }

    @Override
    protected boolean holdingBack() {
        return endpoints.disabled(subscription.department()).isPresent();
    }

    @Override
    protected boolean work(ConsumerRecords<String, byte[]> polled, Work work) throws InterruptedException {
        return sender.batches() ? deliverBatch(polled, work) : deliverEach(polled, work);
    }

    /** Webhooks: one event at a time, in partition order. True when the endpoint went away. */
    private boolean deliverEach(ConsumerRecords<String, byte[]> polled, Work work) throws InterruptedException {
        for (TopicPartition tp : polled.partitions()) {
            for (ConsumerRecord<String, byte[]> r : polled.records(tp)) {
                if (work.lost(tp)) {
                    break; // revoked while waiting: its new owner carries on from the committed offset
                }
                try {
                    for (Prepared prepared : prepare(r)) {
                        FanoutDelivery.Outcome outcome = delivery.deliver(List.of(prepared.event()), wait -> work.await(wait, Set.of(tp)));
                        settle(outcome, List.of(prepared));
                        if (outcome instanceof FanoutDelivery.Outcome.Gone) {
                            return true; // the record stays pending: all its events come again once enabled
                        }
                    }
                } catch (HandedOver e) {
                    break; // the partition moved to another node while this event waited: that node delivers it
                }
                work.done(r);
            }
        }
        return false;
    }

    /** SFTP drops and Kafka topics: the poll's events as one delivery batch, in partition order. */
    private boolean deliverBatch(ConsumerRecords<String, byte[]> polled, Work work) throws InterruptedException {
        List<Prepared> batch = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : polled) {
            batch.addAll(prepare(r));
        }
        if (!batch.isEmpty()) {
            // a partition of the batch moving to another node ends the wait (HandedOver): the ones still here come again
            FanoutDelivery.Outcome outcome = delivery.deliver(batch.stream().map(Prepared::event).toList(),
                    wait -> work.await(wait, polled.partitions()));
            settle(outcome, batch);
            if (outcome instanceof FanoutDelivery.Outcome.Gone) {
                return true;
            }
        }
        polled.forEach(work::done);
        return false;
    }

    /**
     * The events this department must receive for a change, with their bodies, in order: the list event,
     * then its follow-ups (for a listing the initiation of the measures, 发起; for an exit the cancellation
     * of the listing's initiation). Empty when the change is not for this department.
     */
    private List<Prepared> prepare(ConsumerRecord<String, byte[]> r) {
        String dept = subscription.department();
        if (r.topic().equals(redeliveries.topic()) && !dept.equals(Redeliveries.departmentOf(r))) {
            return List.of();
        }
        ListChangeEvent change;
        try {
            change = changes.read(r);
        } catch (IOException | RuntimeException e) {
            LOG.error("ALERT: the list change at {}-{}/{} cannot be read and is skipped for {}: {}",
                    r.topic(), r.partition(), r.offset(), dept, e.toString());
            return List.of();
        }
        try (LogContext ignored = LogContext.with(LogContext.RECORD, change.entry() == null ? null : change.entry().recordId())) {
            DepartmentEvents now = events.pinned(); // one catalog version for the change and its follow-ups
            Optional<OutboundEvent> listEvent = now.forDepartment(change, subscription);
            if (listEvent.isEmpty()) {
                return List.of();
            }
            List<Prepared> out = new ArrayList<>(2);
            out.add(new Prepared(change, listEvent.get()));
            followUps.after(change, subscription, now).forEach(e -> out.add(new Prepared(change, e)));
            return out;
        } catch (UncataloguedMeasureException e) {
            LOG.error("ALERT: event {} for {} refused: {}", change.id(), dept, e.getMessage());
            Instant now = Instant.now(clock);
            deadLetters.add(new FanoutDeadLetters.Letter(dept, change, e.getMessage(), 0, 0, now));
            log.record(new DeliveryLog.Line(dept, change.id(), change.type(), DeliveryLog.Outcome.DEAD_LETTERED, 0, e.getMessage(),
                    change.occurredAt(), now));
            return List.of();
        }
    }

    private void settle(FanoutDelivery.Outcome outcome, List<Prepared> batch) {
        String dept = subscription.department();
        Instant now = Instant.now(clock);
        for (Prepared p : batch) {
            ListChangeEvent change = p.change();
            OutboundEvent event = p.event();
            if (outcome instanceof FanoutDelivery.Outcome.Delivered d) {
                log.record(new DeliveryLog.Line(dept, event.id(), event.type(), DeliveryLog.Outcome.DELIVERED, d.attempts(),
                        sender.describe(), change.occurredAt(), now));
            } else if (outcome instanceof FanoutDelivery.Outcome.DeadLetter dl) {
                deadLetters.add(new FanoutDeadLetters.Letter(dept, change, dl.reason(), dl.status(), dl.attempts(), now));
                log.record(new DeliveryLog.Line(dept, event.id(), event.type(), DeliveryLog.Outcome.DEAD_LETTERED, dl.attempts(),
                        dl.reason(), change.occurredAt(), now));
            } else if (outcome instanceof FanoutDelivery.Outcome.Gone g) {
                LOG.error("ALERT: {}'s endpoint is disabled until an operator enables it again; event {} waits", dept, event.id());
                endpoints.disable(dept, sender.describe() + " answered 410 Gone for event " + event.id(), now);
                log.record(new DeliveryLog.Line(dept, event.id(), event.type(), DeliveryLog.Outcome.GONE, g.attempts(),
                        "410 Gone: endpoint disabled, the event waits", change.occurredAt(), now));
                return; // the event itself stays pending
            }
        }
    }

    private record Prepared(ListChangeEvent change, OutboundEvent event) {
    }
}
