package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.GatewayTopics;
import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.KafkaStage;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.ListEntry;
import cn.bazhong.credit.gateway.schema.Operation;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.RecordKind;
import cn.bazhong.credit.gateway.upstream.RecordEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the list state: every list entry that passed deduplication is written to the compacted
 * list-state topic (the record; a withdrawal writes a tombstone) and then to the view. Offsets are
 * committed after both, so a crash replays entries, which is harmless: writing a state is idempotent.
 */
public class ListStateStage extends KafkaStage {

    public static final String GROUP = "gateway-lists";

    private final KafkaClients clients;
    private final GatewayTopics topics;
    private final String stateTopic;
    private final SubjectKeys keys;
    private final ListView view;
    private final String nodeId;

    public ListStateStage(KafkaClients clients, GatewayTopics topics, String stateTopic, SubjectKeys keys, ListView view, String nodeId) {
        super("list-state-stage");
        this.clients = clients;
        this.topics = topics;
        this.stateTopic = stateTopic;
        this.keys = keys;
        this.view = view;
        this.nodeId = nodeId;
    }

    @Override
    protected void runOnce() throws Exception {
        try (KafkaConsumer<String, byte[]> c = clients.consumer(GROUP, "lists-" + nodeId, 500);
             KafkaProducer<String, byte[]> producer = clients.producer("gateway-lists-" + nodeId)) {
            polling(c);
            c.subscribe(List.of(topics.upstream()));
            while (running()) {
                ConsumerRecords<String, byte[]> polled;
                try {
                    polled = c.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    return;
                }
                List<Runnable> applyToView = new ArrayList<>();
                List<Future<?>> writes = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : polled) {
                    CreditRecord record = RecordEnvelope.read(r).record();
                    if (record.kind() != RecordKind.LIST_ENTRY) {
                        continue;
                    }
                    String subjectKey = keys.of(record.subject());
                    String key = subjectKey + "|" + record.recordId();
                    if (record.operation() == Operation.WITHDRAW) {
                        writes.add(producer.send(new ProducerRecord<>(stateTopic, key, null)));
                        applyToView.add(() -> view.remove(subjectKey, record.recordId()));
                    } else {
                        EntryState state = state(record);
                        writes.add(producer.send(new ProducerRecord<>(stateTopic, key, RecordJson.mapper().writeValueAsBytes(state))));
                        applyToView.add(() -> view.put(subjectKey, state));
                    }
                }
                for (Future<?> w : writes) {
                    w.get(60, TimeUnit.SECONDS);
                }
                applyToView.forEach(Runnable::run);
                if (!polled.isEmpty()) {
                    c.commitSync();
                }
                healthy();
            }
        } finally {
            polling(null);
        }
    }

    static EntryState state(CreditRecord record) {
        ListEntry e = record.entry();
        return new EntryState(record.recordId(), e.listType(), e.category(),
                e.decidedBy() == null ? null : e.decidedBy().name(), e.documentNo(), e.decidedOn(), e.validFrom(), e.validTo(),
                e.status(), e.exitDate());
    }


    /** Fills an empty view from the compacted list-state topic (after a full cluster restart). */
    public static void rebuild(KafkaClients clients, String stateTopic, ListView view) throws Exception {
        if (!view.isEmpty()) {
            return;
        }
        clients.readToEnd(stateTopic, "list-view-loader", r -> {
            String subjectKey = r.key().substring(0, r.key().indexOf('|'));
            String recordId = r.key().substring(r.key().indexOf('|') + 1);
            if (r.value() == null) {
                view.remove(subjectKey, recordId);
            } else {
                try {
                    view.put(subjectKey, RecordJson.mapper().readValue(r.value(), EntryState.class));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("list state at " + r.partition() + "/" + r.offset() + " cannot be read", e);
                }
            }
        });
    }
}
