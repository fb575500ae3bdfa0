package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.infra.logging.LogContext;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.KafkaStage;
import cn.bazhong.credit.gateway.lists.ListChange;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.RecordJson;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
 * outcome; while it waits between attempts the consumer keeps polling (paused), so it stays in its
 * group however long the department is down. A 410 disables the endpoint cluster-wide; the event
 * stays uncommitted until an operator enables it again.
 */
public class DepartmentDispatcher extends KafkaStage {

    private static final Logger LOG = LoggerFactory.getLogger(DepartmentDispatcher.class);

    private final Subscription subscription;
    private final KafkaClients clients;
    private final String changesTopic;
    private final Redeliveries redeliveries;
    private final DepartmentEvents events;
    private final ChannelSender sender;
    private final FanoutDelivery delivery;
    private final EndpointStates endpoints;
    private final FanoutDeadLetters deadLetters;
    private final DeliveryLog log;
    private final cn.bazhong.credit.gateway.measures.Initiations initiations;
    private final Clock clock;
    private final String nodeId;
    private final int maxBatch;

    public DepartmentDispatcher(Subscription subscription, KafkaClients clients, String changesTopic, Redeliveries redeliveries,
                                DepartmentEvents events, ChannelSender sender, FanoutDelivery delivery, EndpointStates endpoints,
                                FanoutDeadLetters deadLetters, DeliveryLog log, cn.bazhong.credit.gateway.measures.Initiations initiations,
                                Clock clock, String nodeId, int maxBatch) {
        super("fanout-" + subscription.department());
        this.subscription = subscription;
        this.clients = clients;
        this.changesTopic = changesTopic;
        this.redeliveries = redeliveries;
        this.events = events;
        this.sender = sender;
        this.delivery = delivery;
        this.endpoints = endpoints;
        this.deadLetters = deadLetters;
        this.log = log;
        this.initiations = initiations;
        this.clock = clock;
        this.nodeId = nodeId;
        this.maxBatch = maxBatch;
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
    protected void runOnce() throws Exception {
        String dept = subscription.department();
        try (LogContext ignored = LogContext.with(LogContext.DEPARTMENT, dept);
             KafkaConsumer<String, byte[]> c = clients.consumer(group(dept), "fanout-" + dept + "-" + nodeId,
                sender.batches() ? maxBatch : 100)) {
            polling(c);
            Progress progress = new Progress(c);
            c.subscribe(List.of(changesTopic, redeliveries.topic()), progress);
            try {
                dispatch(c, progress, dept);
            } finally {
                progress.flush();
            }
        } finally {
            polling(null);
        }
    }

    private void dispatch(KafkaConsumer<String, byte[]> c, Progress progress, String dept) throws InterruptedException {
        while (running()) {
            ConsumerRecords<String, byte[]> polled;
            try {
                if (endpoints.disabled(dept).isPresent()) {
                    c.pause(c.assignment());
                    putBack(c, c.poll(Duration.ofSeconds(1)));
                    continue;
                }
                c.resume(c.paused());
                polled = c.poll(Duration.ofMillis(500));
            } catch (WakeupException e) {
                return;
            }
            if (polled.isEmpty()) {
                healthy();
                continue;
            }
            progress.begin();
            boolean stopped;
            try {
                stopped = sender.batches() ? deliverBatch(polled, c, progress) : deliverEach(polled, c, progress);
            } finally {
                c.resume(c.assignment());
            }
            if (stopped) {
                progress.rewind(polled);
            }
            progress.commit();
            healthy();
        }
    }

    /** Webhooks: one event at a time, in partition order. True when the endpoint went away. */
    private boolean deliverEach(ConsumerRecords<String, byte[]> polled, KafkaConsumer<String, byte[]> c, Progress progress)
            throws InterruptedException {
        for (TopicPartition tp : polled.partitions()) {
            for (ConsumerRecord<String, byte[]> r : polled.records(tp)) {
                if (progress.lost(tp)) {
                    break; // revoked while waiting: its new owner carries on from the committed offset
                }
                try {
                    for (Prepared prepared : prepare(r)) {
                        FanoutDelivery.Outcome outcome = delivery.deliver(List.of(prepared.event()),
                                wait -> keepAlive(c, wait, Set.of(tp), progress));
                        settle(outcome, List.of(prepared));
                        if (outcome instanceof FanoutDelivery.Outcome.Gone) {
                            return true; // the record stays pending: all its events come again once enabled
                        }
                    }
                } catch (HandedOver e) {
                    break; // the partition moved to another node while this event waited: that node delivers it
                }
                progress.done(r);
            }
        }
        return false;
    }

    /** SFTP drops and Kafka topics: the poll's events as one delivery batch, in partition order. */
    private boolean deliverBatch(ConsumerRecords<String, byte[]> polled, KafkaConsumer<String, byte[]> c, Progress progress)
            throws InterruptedException {
        List<Prepared> batch = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : polled) {
            batch.addAll(prepare(r));
        }
        if (!batch.isEmpty()) {
            FanoutDelivery.Outcome outcome;
            try {
                outcome = delivery.deliver(batch.stream().map(Prepared::event).toList(), wait -> keepAlive(c, wait, polled.partitions(), progress));
            } catch (HandedOver e) {
                return true; // part of the batch moved to another node: the partitions still here are polled again
            }
            settle(outcome, batch);
            if (outcome instanceof FanoutDelivery.Outcome.Gone) {
                return true;
            }
        }
        polled.forEach(progress::done);
        return false;
    }

    /**
     * The events this department must receive for a change, with their bodies, in order: the list event,
     * then for a listing the initiation of the measures (发起), for an exit the cancellation of the
     * listing's initiation. Empty when the change is not for this department.
     */
    private List<Prepared> prepare(ConsumerRecord<String, byte[]> r) {
        String dept = subscription.department();
        if (r.topic().equals(redeliveries.topic()) && !dept.equals(Redeliveries.departmentOf(r))) {
            return List.of();
        }
        ListChangeEvent change;
        try {
            change = RecordJson.mapper().readValue(r.value(), ListChangeEvent.class);
        } catch (IOException | RuntimeException e) {
            LOG.error("ALERT: the list change at {}-{}/{} cannot be read and is skipped for {}: {}",
                    r.topic(), r.partition(), r.offset(), dept, e.toString());
            return List.of();
        }
        try (LogContext ignored = LogContext.with(LogContext.RECORD, change.entry() == null ? null : change.entry().recordId())) {
            Optional<OutboundEvent> listEvent = events.forDepartment(change, subscription);
            if (listEvent.isEmpty()) {
                return List.of();
            }
            List<Prepared> out = new ArrayList<>(2);
            out.add(new Prepared(change, listEvent.get()));
            measureEvent(change).ifPresent(e -> out.add(new Prepared(change, e)));
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

    /**
     * {@code measure.initiated} for a listing (the initiation is opened, or found when this is a repeat),
     * {@code measure.cancelled} for an exit of a listing that was initiated here (sent again on a repeat).
     */
    private Optional<OutboundEvent> measureEvent(ListChangeEvent change) {
        String listingId = change.entry().listingId();
        if (initiations == null || listingId == null) {
            return Optional.empty();
        }
        String dept = subscription.department();
        if (ListChange.LISTED.wireName().equals(change.type())) {
            // kept as the department may see it, and sealed where that is the full number or a person's name
            var subject = change.entry().subject();
            String code = subject == null ? null : subscription.fullIdNumbers() && subject.isPerson() ? subject.idNumber()
                    : events.subjectFor(change, subscription).code();
            var initiation = initiations.open(dept, listingId, change.entry().recordId(), change.subjectKey(),
                    code, subject == null ? null : subject.name(), change.entry().listType(),
                    events.measureIdsFor(change, dept), change.occurredAt());
            return Optional.of(events.initiated(change, subscription, initiation));
        }
        if (ListChange.EXITED.wireName().equals(change.type())) {
            String id = cn.bazhong.credit.gateway.measures.Initiations.idOf(listingId, dept);
            return initiations.get(id).map(initiation -> {
                initiations.cancel(id, change.entry().exitReason() == null ? "exited" : change.entry().exitReason());
                return events.cancelled(change, subscription, initiation);
            });
        }
        return Optional.empty();
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
                endpoints.disable(dept, sender.describe() + " answered 410 Gone for event " + event.id(), now);
                log.record(new DeliveryLog.Line(dept, event.id(), event.type(), DeliveryLog.Outcome.GONE, g.attempts(),
                        "410 Gone: endpoint disabled, the event waits", change.occurredAt(), now));
                return; // the event itself stays pending
            }
        }
    }

    /**
     * Waits while polling the paused consumer, so that the group does not think this node died. When a
     * partition of the events in hand is taken away meanwhile, the wait ends with {@link HandedOver}: the
     * new owner delivers those events, and this node must not deliver them too.
     */
    private void keepAlive(KafkaConsumer<String, byte[]> c, Duration wait, java.util.Collection<TopicPartition> inHand, Progress progress)
            throws InterruptedException {
        Instant until = Instant.now(clock).plus(wait);
        while (running() && Instant.now(clock).isBefore(until)) {
            c.pause(c.assignment());
            Duration left = Duration.between(Instant.now(clock), until);
            putBack(c, c.poll(left.compareTo(Duration.ofMillis(500)) < 0 ? left : Duration.ofMillis(500)));
            if (inHand.stream().anyMatch(progress::lost)) {
                throw new HandedOver();
            }
        }
        if (!running()) {
            throw new InterruptedException("stopping");
        }
    }

    /**
     * A poll of the paused consumer returns nothing, except from a partition assigned during that poll
     * (e.g. a dead node's, once its session has expired): it is not paused yet. Its events go back, to
     * be delivered after the wait, instead of being skipped.
     */
    private static void putBack(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> polled) {
        for (TopicPartition tp : polled.partitions()) {
            c.seek(tp, polled.records(tp).get(0).offset());
        }
    }

    private record Prepared(ListChangeEvent change, OutboundEvent event) {
    }

    /** The events in hand belong to another node now (their partition was revoked or lost during a wait). */
    private static final class HandedOver extends RuntimeException {
        HandedOver() {
            super("partition handed over", null, false, false);
        }
    }

    /**
     * The offsets of events whose outcome is final, committed after each poll's work and whenever a
     * partition is taken away; partitions lost during a wait are noted, so that their remaining events
     * are left to the new owner.
     */
    private static final class Progress implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        private final Set<TopicPartition> lost = new HashSet<>();

        Progress(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        void begin() {
            lost.clear();
        }

        /** Before the consumer closes: wait for outstanding commits (a failure just means a redelivery). */
        void flush() {
            try {
                consumer.commitSync(done.isEmpty() ? Map.of() : done);
            } catch (RuntimeException e) {
                LOG.debug("the last offset commit failed ({}); the events may be delivered again", e.toString());
            }
        }

        boolean lost(TopicPartition tp) {
            return lost.contains(tp);
        }

        void done(ConsumerRecord<String, byte[]> r) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (!lost.contains(tp)) {
                done.put(tp, new OffsetAndMetadata(r.offset() + 1));
            }
        }

        /** Moves every partition of this poll back to its first event without a final outcome. */
        void rewind(ConsumerRecords<String, byte[]> polled) {
            for (TopicPartition tp : polled.partitions()) {
                if (!lost.contains(tp) && consumer.assignment().contains(tp)) {
                    OffsetAndMetadata next = done.get(tp);
                    long firstPolled = polled.records(tp).get(0).offset();
                    consumer.seek(tp, next == null || next.offset() < firstPolled ? firstPolled : next.offset());
                }
            }
        }

        /**
         * Commits asynchronously: one commit per poll and department would otherwise cost a round trip
         * each. A commit lost in a crash only means the events are delivered again, with the same ids;
         * partitions that leave are committed synchronously.
         */
        void commit() {
            if (!done.isEmpty()) {
                consumer.commitAsync(new HashMap<>(done), (offsets, e) -> {
                    if (e != null) {
                        LOG.debug("an offset commit failed ({}); the events may be delivered again", e.toString());
                    }
                });
                done.clear();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata o = done.remove(tp);
                if (o != null) {
                    leaving.put(tp, o);
                }
            }
            if (!leaving.isEmpty()) {
                consumer.commitSync(leaving);
            }
            lost.addAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(done::remove);
            lost.addAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            lost.removeAll(partitions);
        }
    }
}
