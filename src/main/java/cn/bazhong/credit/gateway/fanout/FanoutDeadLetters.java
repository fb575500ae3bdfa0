package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.schema.RecordJson;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events a department did not take within its retries: kept on the fan-out dead-letter topic (key
 * {@code department|eventId}), listed per department, and replayed by putting them back for that
 * department alone. Replaying twice is harmless: the event id stays the same.
 */
public final class FanoutDeadLetters implements AutoCloseable {

    public static final String REPLAYED_MAP = "fanout-dead-letters-replayed";

    /** What is kept per dead letter (the change itself, so that a replay rebuilds the event as the catalog says then). */
    public record Letter(String department, ListChangeEvent change, String reason, int status, int attempts, Instant at) {
    }

    /** A dead letter as operators see it: no personal ID number. */
    public record Entry(String eventId, String type, String subject, String listType, String reason, int status, int attempts,
                        Instant at, Instant replayedAt) {
    }

    private final KafkaClients clients;
    private final String topic;
    private final Redeliveries redeliveries;
    private final KafkaProducer<String, byte[]> producer;
    private final IMap<String, Long> replayed;
    private final Clock clock;
    private final cn.bazhong.credit.gateway.privacy.PersonalFields personal;

    /** @param personal opens a letter's sealed subject to list its code masked */
    public FanoutDeadLetters(KafkaClients clients, String topic, Redeliveries redeliveries, HazelcastInstance hazelcast,
                             String nodeId, Clock clock, cn.bazhong.credit.gateway.privacy.PersonalFields personal) {
        this.personal = personal;
        this.clients = clients;
        this.topic = topic;
        this.redeliveries = redeliveries;
        this.producer = clients.producer("gateway-fanout-dead-letters-" + nodeId);
        this.replayed = hazelcast.getMap(REPLAYED_MAP);
        this.clock = clock;
    }

    /** Durably records a dead letter (before the dispatcher moves past the event). */
    public void add(Letter letter) {
        try {
            KafkaClients.awaitDurable(producer.send(new ProducerRecord<>(topic, letter.department() + "|" + letter.change().id(),
                    RecordJson.mapper().writeValueAsBytes(letter))), "the dead letter of " + letter.change().id());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Entry> list(String department) {
        List<Entry> out = new ArrayList<>();
        for (Letter l : letters(department)) {
            Long at = replayed.get(department + "|" + l.change().id());
            var subject = l.change().entry().subject();
            out.add(new Entry(l.change().id(), l.change().type(), personal.code(subject, false),
                    l.change().entry().listType(), l.reason(), l.status(), l.attempts(), l.at(), at == null ? null : Instant.ofEpochMilli(at)));
        }
        return out;
    }

    /** Puts one dead letter (or, with a null id, every dead letter not yet replayed) back; how many. */
    public int replay(String department, String eventId) {
        List<ListChangeEvent> changes = new ArrayList<>();
        for (Letter l : letters(department)) { // in the order the changes happened: a subject's exit never before its listing
            String key = department + "|" + l.change().id();
            if (eventId == null ? !replayed.containsKey(key) : l.change().id().equals(eventId)) {
                changes.add(l.change());
            }
        }
        redeliveries.putBack(department, changes);
        long now = Instant.now(clock).toEpochMilli();
        changes.forEach(c -> replayed.set(department + "|" + c.id(), now));
        return changes.size();
    }

    /**
     * The latest dead letter per event of one department, in the order their changes happened. The topic is keyed by
     * event, so its partitions hold a department's letters in no common order: the order read is not the order
     * written. Ties keep the order read.
     */
    private List<Letter> letters(String department) {
        Map<String, Letter> out = new LinkedHashMap<>();
        String prefix = department + "|";
        clients.readToEnd(topic, "fanout-dead-letter-reader", r -> {
            if (r.key() != null && r.key().startsWith(prefix) && r.value() != null) {
                try {
                    Letter l = RecordJson.mapper().readValue(r.value(), Letter.class);
                    out.put(l.change().id(), l);
                } catch (IOException e) {
                    throw new UncheckedIOException("fan-out dead letter at " + r.partition() + "/" + r.offset() + " cannot be read", e);
                }
            }
        });
        List<Letter> inOrder = new ArrayList<>(out.values());
        inOrder.sort(Comparator.comparing((Letter l) -> l.change().occurredAt(), Comparator.nullsFirst(Comparator.naturalOrder())));
        return inOrder;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
