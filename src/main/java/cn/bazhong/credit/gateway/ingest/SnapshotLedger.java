package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.ListEntry;
import cn.bazhong.credit.gateway.schema.ListStatus;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.RecordVersion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Who is on a full-snapshot list (the court's daily file): the last record of every active member,
 * per feed, on a compacted topic. After a snapshot is durable, the members it no longer holds have
 * exited: an exit version of each is derived (status EXITED, exit date, reason) and goes through the
 * pipeline like any correction, so every department that received the listing learns of the exit.
 */
public class SnapshotLedger implements AutoCloseable {

    static final String EXIT_REASON = "不再出现在全量名单中，视为移出";

    private final KafkaClients clients;
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    public SnapshotLedger(KafkaClients clients, String topic, int partitions, short replicationFactor) {
        this.clients = clients;
        this.topic = topic;
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(topic, partitions, replicationFactor,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        this.producer = clients.producer("gateway-snapshot-ledger");
    }

    /**
     * Brings the ledger up to date with one complete snapshot and returns the exit records of the
     * members it no longer contains.
     *
     * @param present the records of the snapshot (accepted or already delivered), by record id
     */
    public List<CreditRecord> reconcile(String mappingId, Map<String, CreditRecord> present, LocalDate snapshotDay) {
        Map<String, CreditRecord> members = members(mappingId);
        List<CreditRecord> exits = new ArrayList<>();
        for (Map.Entry<String, CreditRecord> m : members.entrySet()) {
            if (!present.containsKey(m.getKey())) {
                exits.add(exitOf(m.getValue(), snapshotDay));
            }
        }
        List<Future<?>> writes = new ArrayList<>();
        for (CreditRecord r : present.values()) {
            boolean active = r.entry() != null && r.entry().status() != ListStatus.EXITED;
            writes.add(producer.send(new ProducerRecord<>(topic, key(mappingId, r.recordId()), active ? json(r) : null)));
        }
        for (CreditRecord exit : exits) {
            writes.add(producer.send(new ProducerRecord<>(topic, key(mappingId, exit.recordId()), null)));
        }
        try {
            for (Future<?> w : writes) {
                w.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the snapshot ledger of " + mappingId + " could not be written: " + e.getMessage(), e);
        }
        return exits;
    }

    static CreditRecord exitOf(CreditRecord member, LocalDate day) {
        ListEntry e = member.entry();
        ListEntry exited = new ListEntry(e.listType(), e.category(), e.decidedBy(), e.basis(), e.decidedOn(), e.validFrom(),
                e.validTo(), e.reason(), e.documentNo(), ListStatus.EXITED, day, EXIT_REASON, e.attributes());
        return RecordVersion.stamp(new CreditRecord(member.recordId(), null, member.kind(), member.operation(), member.businessKey(),
                member.subject(), member.penalty(), member.licence(), exited, member.provenance()));
    }

    private Map<String, CreditRecord> members(String mappingId) {
        String prefix = mappingId + "|";
        Map<String, CreditRecord> out = new LinkedHashMap<>();
        clients.readToEnd(topic, "snapshot-ledger-reader", r -> {
            if (r.key().startsWith(prefix)) {
                String recordId = r.key().substring(prefix.length());
                if (r.value() == null) {
                    out.remove(recordId);
                } else {
                    out.put(recordId, read(r.value()));
                }
            }
        });
        return out;
    }

    private static String key(String mappingId, String recordId) {
        return mappingId + "|" + recordId;
    }

    private static byte[] json(CreditRecord r) {
        try {
            return RecordJson.mapper().writeValueAsBytes(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CreditRecord read(byte[] value) {
        try {
            return RecordJson.mapper().readValue(value, CreditRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
