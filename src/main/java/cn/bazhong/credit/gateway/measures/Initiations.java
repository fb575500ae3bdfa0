package cn.bazhong.credit.gateway.measures;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every initiation and what has become of it: a compacted Kafka topic (key = initiation id) is the
 * record, a Hazelcast map the view, rebuilt from the topic when the cluster starts empty. Each change
 * is written to the topic before the view shows it. Answers from departments are checked here: only
 * the initiation's own department may answer, a cancelled initiation takes no more answers, a
 * repeated answer is recognised rather than recorded twice.
 */
public class Initiations implements AutoCloseable {

    public static final String MAP = "measure-initiations";

    private final IMap<String, Initiation> view;
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final WorkingDays workingDays;
    private final int responseDays;
    private final int feedbackDays;
    private final Clock clock;
    private final FeedbackForwarder forwarder;

    public Initiations(HazelcastInstance hazelcast, KafkaClients clients, String topic, WorkingDays workingDays, int responseDays,
                       int feedbackDays, Clock clock, String nodeId, FeedbackForwarder forwarder) {
        this.forwarder = forwarder;
        this.view = hazelcast.getMap(MAP);
        this.producer = clients.lineProducer("gateway-initiations-" + nodeId, java.util.Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, KafkaClients.BULK_LINGER_MS));
        this.topic = topic;
        this.workingDays = workingDays;
        this.responseDays = responseDays;
        this.feedbackDays = feedbackDays;
        this.clock = clock;
        if (view.isEmpty()) {
            clients.readToEnd(topic, "initiations-loader", r -> {
                if (r.value() == null) {
                    view.remove(r.key());
                } else {
                    try {
                        view.set(r.key(), RecordJson.mapper().readValue(r.value(), Initiation.class));
                    } catch (IOException e) {
                        throw new UncheckedIOException("initiation at " + r.partition() + "/" + r.offset() + " cannot be read", e);
                    }
                }
            });
        }
    }

    /** The initiation of one listing at one department: {@code ini_} + 32 hex characters, the same wherever derived. */
    public static String idOf(String listingId, String department) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((listingId + "\n" + department).getBytes(StandardCharsets.UTF_8));
            return "ini_" + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /**
     * Opens the initiation (deadlines counted in working days from the listing), or returns it as it is
     * when it exists already: initiating twice is harmless. The write is sent, not awaited: {@link #flush()}
     * makes it durable before the caller commits its progress.
     */
    public Initiation open(String department, String listingId, String recordId, String subjectKey, String subjectCode,
                           String subjectName, String listType, List<String> measureIds, Instant listedAt) {
        return open(department, listingId, recordId, subjectKey, subjectCode, subjectName, listType, measureIds, listedAt, null, null);
    }

    /**
     * The same, keeping the catalog version and the measures' terms as the department receives them with the initiation:
     * a repeat and the cancellation carry those, whatever the catalog in use says by then.
     */
    public Initiation open(String department, String listingId, String recordId, String subjectKey, String subjectCode,
                           String subjectName, String listType, List<String> measureIds, Instant listedAt, String catalogVersion,
                           List<java.util.Map<String, Object>> measures) {
        String id = idOf(listingId, department);
        LocalDate day = LocalDate.ofInstant(listedAt, clock.getZone());
        Initiation fresh = new Initiation(id, department, listingId, recordId, subjectKey, subjectCode, subjectName, listType,
                List.copyOf(measureIds), listedAt, workingDays.plus(day, responseDays), workingDays.plus(day, feedbackDays), null, List.of(),
                null, null, null, catalogVersion, measures == null ? null
                : measures.stream().map(m -> java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m))).toList());
        // one call to the view decides: the initiation that is there already, or this one. Only the one that made it
        // is written to the topic, so a second node opening the same initiation at the same moment (a partition
        // handed over mid-event) never overwrites the first's record with its own
        Initiation existing = view.putIfAbsent(id, fresh);
        if (existing != null) {
            return existing;
        }
        try {
            send(fresh);
        } catch (RuntimeException e) {
            view.remove(id, fresh); // not on the topic: the event's retry opens it again
            throw e;
        }
        return fresh;
    }

    public Optional<Initiation> get(String initiationId) {
        return Optional.ofNullable(view.get(initiationId));
    }

    /**
     * 响应. A repeated identical response is accepted as it is; a different second one is a conflict.
     * After the cancellation the only response taken is {@code STOPPED}: the unit confirms it stopped
     * applying the measures.
     */
    public Initiation respond(String initiationId, String department, String status, String reason) {
        if (Initiation.Response.STOPPED.equals(status)) {
            return confirmStop(initiationId, department);
        }
        if (!Initiation.Response.ACKNOWLEDGED.equals(status) && !Initiation.Response.NOT_APPLICABLE.equals(status)) {
            throw new InitiationRefused(InitiationRefused.Reason.INVALID, "status must be ACKNOWLEDGED, NOT_APPLICABLE or (after a cancellation)"
                    + " STOPPED, not '" + status + "'");
        }
        if (Initiation.Response.NOT_APPLICABLE.equals(status) && (reason == null || reason.isBlank())) {
            throw new InitiationRefused(InitiationRefused.Reason.INVALID, "a NOT_APPLICABLE response needs its reason");
        }
        return update(initiationId, department, current -> {
            if (current.response() != null) {
                if (current.response().status().equals(status)) {
                    return current;
                }
                throw new InitiationRefused(InitiationRefused.Reason.CONFLICT, "initiation " + initiationId + " was answered "
                        + current.response().status() + " at " + current.response().at() + "; a response is not changed");
            }
            return current.withResponse(new Initiation.Response(status, reason, Instant.now(clock)));
        });
    }

    /** 执行反馈 on one measure, passed on to the province. A repeat of feedback already recorded changes nothing. */
    public Initiation feedback(String initiationId, String department, Initiation.Feedback feedback) {
        if (!Set.of("APPLIED", "NOT_APPLICABLE", "FAILED").contains(feedback.result())) {
            throw new InitiationRefused(InitiationRefused.Reason.INVALID, "result must be APPLIED, NOT_APPLICABLE or FAILED, not '"
                    + feedback.result() + "'");
        }
        return update(initiationId, department, current -> {
            if (!current.measureIds().contains(feedback.measureId())) {
                throw new InitiationRefused(InitiationRefused.Reason.INVALID, "measure '" + feedback.measureId()
                        + "' is not part of initiation " + initiationId + " (its measures: " + current.measureIds() + ")");
            }
            if (current.feedback().stream().anyMatch(f -> f.sameAs(feedback))) {
                return current;
            }
            // queued for the province before it is recorded here: a failure in between makes the unit
            // send it again, and the province gets the same batch again, which it answers as a repeat
            forwarder.forward(current, feedback);
            return current.withFeedback(feedback);
        });
    }

    private Initiation confirmStop(String initiationId, String department) {
        return change(initiationId, department, true, current -> {
            if (!current.cancelled()) {
                throw new InitiationRefused(InitiationRefused.Reason.CONFLICT, "initiation " + initiationId
                        + " has not been cancelled: its measures still apply");
            }
            return current.stopConfirmedAt() != null ? current : current.stopConfirmed(Instant.now(clock));
        });
    }

    /** Ends the initiation (the listing ended); true when it was open. */
    public boolean cancel(String initiationId, String reason) {
        Initiation current = view.get(initiationId);
        if (current == null || current.cancelled()) {
            return false;
        }
        view.lock(initiationId);
        try {
            current = view.get(initiationId);
            if (current == null || current.cancelled()) {
                return false;
            }
            Initiation after = current.cancelled(Instant.now(clock), reason);
            sendAndWait(after);
            view.set(initiationId, after);
            return true;
        } finally {
            view.unlock(initiationId);
        }
    }

    /** A department's initiations (every department's when null), newest first, optionally only the overdue ones. */
    public List<Initiation> list(String department, boolean overdueOnly) {
        LocalDate today = LocalDate.now(clock);
        return view.values().stream()
                .filter(i -> department == null || i.department().equals(department))
                .filter(i -> !overdueOnly || i.responseOverdue(today) || i.feedbackOverdue(today))
                .sorted(Comparator.comparing(Initiation::initiatedAt).reversed())
                .toList();
    }

    public LocalDate today() {
        return LocalDate.now(clock);
    }

    /** Waits until every initiation sent so far is durable. */
    public void flush() {
        producer.flush();
    }

    /** A department's answer to an initiation that still holds. */
    private Initiation update(String initiationId, String department, java.util.function.UnaryOperator<Initiation> change) {
        return change(initiationId, department, false, change);
    }

    /**
     * Applies a department's answer under the initiation's lock: refused when the initiation is unknown,
     * addressed to another department, or (unless {@code afterCancellation}) cancelled; written to the topic
     * before the view when it changes anything.
     */
    private Initiation change(String initiationId, String department, boolean afterCancellation,
                              java.util.function.UnaryOperator<Initiation> change) {
        view.lock(initiationId);
        try {
            Initiation current = view.get(initiationId);
            if (current == null) {
                throw new InitiationRefused(InitiationRefused.Reason.UNKNOWN, "no initiation " + initiationId);
            }
            if (!current.department().equals(department)) {
                throw new InitiationRefused(InitiationRefused.Reason.NOT_YOURS, "initiation " + initiationId + " is addressed to "
                        + current.department() + ", not to " + department);
            }
            if (current.cancelled() && !afterCancellation) {
                throw new InitiationRefused(InitiationRefused.Reason.CANCELLED, "initiation " + initiationId + " was cancelled at "
                        + current.cancelledAt() + " (" + current.cancelReason() + "); the measures no longer apply");
            }
            Initiation after = change.apply(current);
            if (after != current) {
                sendAndWait(after);
                view.set(initiationId, after);
            }
            return after;
        } finally {
            view.unlock(initiationId);
        }
    }

    private void send(Initiation i) {
        try {
            producer.send(new ProducerRecord<>(topic, i.initiationId(), RecordJson.mapper().writeValueAsBytes(i)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void sendAndWait(Initiation i) {
        try {
            KafkaClients.awaitDurable(producer.send(new ProducerRecord<>(topic, i.initiationId(), RecordJson.mapper().writeValueAsBytes(i))),
                    "initiation " + i.initiationId());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
