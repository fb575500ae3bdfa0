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

/**
 * Who is on a full-snapshot list (the court's daily file): the last record of every member, per
 * feed, on a compacted topic. After a snapshot is durable, the members it no longer holds have
 * exited: an exit version of each is derived (status EXITED, exit date, reason) and goes through the
 * pipeline like any correction, so every department that received the listing learns of the exit.
 *
 * <p>The ledger keeps the exit it derived. A member that comes back in a later snapshot is then
 * recognised as a return, not as a re-send of its old listing (which the dedup index would drop):
 * {@link #returned} marks its record with the day it came back, which makes it a new version.
 */
public class SnapshotLedger implements AutoCloseable {

    static final String EXIT_REASON = "不再出现在全量名单中，视为移出";
    /** Attribute of a list entry that came back after the ledger derived its exit: the snapshot day. */
    public static final String RETURNED_ON = "returnedOn";

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

    /** The members of a feed's list as the ledger knows them before a new snapshot is read. */
    public Members members(String mappingId) {
        return new Members(mappingId, read(mappingId));
    }

    /** A feed's members by record id: active ones, and the ones whose exit the ledger derived. */
    public static final class Members {
        private final String mappingId;
        private final Map<String, CreditRecord> byRecordId;

        Members(String mappingId, Map<String, CreditRecord> byRecordId) {
            this.mappingId = mappingId;
            this.byRecordId = byRecordId;
        }

        /** Whether this record of the new snapshot is a member the ledger had exited (it comes back). */
        public boolean returning(CreditRecord record) {
            CreditRecord known = byRecordId.get(record.recordId());
            return known != null && exited(known) && !exited(record);
        }
    }

    /**
     * The record of a member that came back, as a new version: its entry carries the day it returned,
     * so that it is not taken for a re-send of the listing it had before its exit.
     */
    public static CreditRecord returned(CreditRecord record, LocalDate day) {
        ListEntry e = record.entry();
        Map<String, String> attributes = new LinkedHashMap<>(e.attributes() == null ? Map.of() : e.attributes());
        attributes.put(RETURNED_ON, day.toString());
        ListEntry back = new ListEntry(e.listType(), e.category(), e.decidedBy(), e.basis(), e.decidedOn(), e.validFrom(),
                e.validTo(), e.reason(), e.documentNo(), e.status(), e.exitDate(), e.exitReason(), attributes);
        return RecordVersion.stamp(new CreditRecord(record.recordId(), null, record.kind(), record.operation(), record.businessKey(),
                record.subject(), record.penalty(), record.licence(), back, record.provenance()));
    }

    /**
     * Brings the ledger up to date with one complete snapshot and returns the exit records of the
     * active members it no longer contains.
     *
     * @param before  the members before this snapshot ({@link #members})
     * @param present the records of the snapshot (accepted or already delivered), by record id
     */
    public List<CreditRecord> reconcile(Members before, Map<String, CreditRecord> present, LocalDate snapshotDay) {
        String mappingId = before.mappingId;
        List<CreditRecord> exits = new ArrayList<>();
        for (Map.Entry<String, CreditRecord> m : before.byRecordId.entrySet()) {
            if (!present.containsKey(m.getKey()) && !exited(m.getValue())) {
                exits.add(exitOf(m.getValue(), snapshotDay));
            }
        }
        List<Future<?>> writes = new ArrayList<>();
        for (CreditRecord r : present.values()) {
            writes.add(producer.send(new ProducerRecord<>(topic, key(mappingId, r.recordId()), json(r))));
        }
        for (CreditRecord exit : exits) {
            writes.add(producer.send(new ProducerRecord<>(topic, key(mappingId, exit.recordId()), json(exit))));
        }
        for (Future<?> w : writes) {
            KafkaClients.awaitDurable(w, "the snapshot ledger of " + mappingId);
        }
        return exits;
    }

    private static boolean exited(CreditRecord r) {
        return r.entry() == null || r.entry().status() == ListStatus.EXITED;
    }

    static CreditRecord exitOf(CreditRecord member, LocalDate day) {
        ListEntry e = member.entry();
        ListEntry exited = new ListEntry(e.listType(), e.category(), e.decidedBy(), e.basis(), e.decidedOn(), e.validFrom(),
                e.validTo(), e.reason(), e.documentNo(), ListStatus.EXITED, day, EXIT_REASON, e.attributes());
        return RecordVersion.stamp(new CreditRecord(member.recordId(), null, member.kind(), member.operation(), member.businessKey(),
                member.subject(), member.penalty(), member.licence(), exited, member.provenance()));
    }

    private Map<String, CreditRecord> read(String mappingId) {
        String prefix = mappingId + "|";
        Map<String, CreditRecord> out = new LinkedHashMap<>();
        clients.readToEnd(topic, "snapshot-ledger-reader", r -> {
            if (r.key().startsWith(prefix)) {
                String recordId = r.key().substring(prefix.length());
                if (r.value() == null) {
                    out.remove(recordId); // a tombstone written before exits were kept
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
