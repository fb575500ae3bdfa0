package cn.bazhong.credit.gateway.ingest;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.infra.TopicProvisioner;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;

/**
 * Who is on a full-snapshot list (the court's daily file): the last record of every member, per
 * feed, on a compacted topic. {@link SnapshotReconciliation} decides, from the members before a
 * snapshot and what the snapshot held, which members have exited; their exit versions (status
 * EXITED, exit date, reason) go through the pipeline like any correction, so every department that
 * received the listing learns of the exit, and {@link #record} then brings the ledger up to date.
 *
 * <p>The ledger keeps the exits it derived, and a cycle number per member: every exit the ledger
 * derives and every return after one starts a new cycle ({@value #CYCLE} in the entry's attributes),
 * so that each of them is a new version, even when a party leaves and comes back several times on
 * one day; a member that comes back also carries the day it returned ({@value #RETURNED_ON}). The
 * records of the later snapshots of a member carry its cycle on, so that re-sending the same snapshot
 * gives the same versions again (duplicates), and nothing new.
 */
public class SnapshotLedger implements AutoCloseable {

    static final String EXIT_REASON = "不再出现在全量名单中，视为移出";
    /** Attribute of a list entry that came back after the ledger derived its exit: the snapshot day. */
    public static final String RETURNED_ON = "returnedOn";
    /** Attribute of a list entry: how many exits and returns the ledger has derived for this member (absent: none). */
    public static final String CYCLE = "snapshotCycle";

    private final KafkaClients clients;
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final PersonalFields personal;

    public SnapshotLedger(KafkaClients clients, String topic, int partitions, short replicationFactor) {
        this(clients, topic, partitions, replicationFactor, PersonalFields.CLEAR);
    }

    /** With {@code personal}: the members' personal fields are kept sealed and opened when the ledger is read. */
    public SnapshotLedger(KafkaClients clients, String topic, int partitions, short replicationFactor, PersonalFields personal) {
        this.clients = clients;
        this.personal = personal;
        this.topic = topic;
        TopicProvisioner.ensure(clients, List.of(TopicProvisioner.topic(topic, partitions, replicationFactor,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        this.producer = clients.bulkProducer("gateway-snapshot-ledger");
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

        /** Members as given (record id → last record), in the given order: for tests and tools. */
        public static Members of(String mappingId, Map<String, CreditRecord> byRecordId) {
            return new Members(mappingId, new LinkedHashMap<>(byRecordId));
        }

        public String mappingId() {
            return mappingId;
        }

        /** The member's last record, or null when the ledger does not know it. */
        public CreditRecord get(String recordId) {
            return byRecordId.get(recordId);
        }

        /** The members on the list now (not exited), in the ledger's order. */
        public List<CreditRecord> active() {
            List<CreditRecord> out = new ArrayList<>();
            for (CreditRecord r : byRecordId.values()) {
                if (!exited(r)) {
                    out.add(r);
                }
            }
            return out;
        }

        /** Whether this record of the new snapshot is a member the ledger had exited (it comes back). */
        public boolean returning(CreditRecord record) {
            CreditRecord known = byRecordId.get(record.recordId());
            return known != null && exited(known) && !exited(record);
        }

        /**
         * The record as this snapshot's version of the member: a member coming back starts a new cycle
         * ({@link #returned}); any other known member carries its cycle (and the day it last came back) on,
         * so that an unchanged member gives exactly the version it already has.
         */
        public CreditRecord continued(CreditRecord record, LocalDate day) {
            CreditRecord known = byRecordId.get(record.recordId());
            if (known == null || known.entry() == null || record.entry() == null) {
                return record;
            }
            if (returning(record)) {
                return returned(record, day, cycleOf(known) + 1);
            }
            Map<String, String> marks = new LinkedHashMap<>();
            Map<String, String> knownAttributes = known.entry().attributes() == null ? Map.of() : known.entry().attributes();
            if (knownAttributes.containsKey(RETURNED_ON)) {
                marks.put(RETURNED_ON, knownAttributes.get(RETURNED_ON));
            }
            if (knownAttributes.containsKey(CYCLE)) {
                marks.put(CYCLE, knownAttributes.get(CYCLE));
            }
            return marks.isEmpty() ? record : marked(record, marks, record.entry().status(), record.entry().exitDate(),
                    record.entry().exitReason());
        }
    }

    /** The member's cycle: 0 until the ledger derives its first exit. */
    static int cycleOf(CreditRecord member) {
        Map<String, String> attributes = member.entry() == null ? null : member.entry().attributes();
        String cycle = attributes == null ? null : attributes.get(CYCLE);
        return cycle == null ? 0 : Integer.parseInt(cycle);
    }

    /**
     * The record of a member that came back, as a new version: its entry carries the day it returned
     * and its new cycle, so that it is not taken for a re-send of the listing it had before its exit.
     */
    public static CreditRecord returned(CreditRecord record, LocalDate day, int cycle) {
        Map<String, String> marks = new LinkedHashMap<>();
        marks.put(RETURNED_ON, day.toString());
        marks.put(CYCLE, Integer.toString(cycle));
        ListEntry e = record.entry();
        return marked(record, marks, e.status(), e.exitDate(), e.exitReason());
    }

    private static CreditRecord marked(CreditRecord record, Map<String, String> marks, ListStatus status, LocalDate exitDate,
                                       String exitReason) {
        ListEntry e = record.entry();
        Map<String, String> attributes = new TreeMap<>(e.attributes() == null ? Map.of() : e.attributes());
        attributes.putAll(marks);
        ListEntry marked = new ListEntry(e.listType(), e.category(), e.decidedBy(), e.basis(), e.decidedOn(), e.validFrom(),
                e.validTo(), e.reason(), e.documentNo(), status, exitDate, exitReason, attributes);
        return RecordVersion.stamp(new CreditRecord(record.recordId(), null, record.kind(), record.operation(), record.businessKey(),
                record.subject(), record.penalty(), record.licence(), marked, record.provenance()));
    }

    /**
     * Brings the ledger up to date once a snapshot's records, and the exits derived from it, are durable:
     * the snapshot's records become the members' last records, and the exits the last records of the
     * members that left. Members neither present nor exited (a snapshot that was not whole, rejected
     * rows, held exits) stay as they were.
     */
    public void record(String mappingId, Collection<CreditRecord> present, Collection<CreditRecord> exits) {
        List<Future<?>> writes = new ArrayList<>();
        for (CreditRecord r : present) {
            writes.add(producer.send(new ProducerRecord<>(topic, key(mappingId, r.recordId()), json(r))));
        }
        for (CreditRecord exit : exits) {
            writes.add(producer.send(new ProducerRecord<>(topic, key(mappingId, exit.recordId()), json(exit))));
        }
        for (Future<?> w : writes) {
            KafkaClients.awaitDurable(w, "the snapshot ledger of " + mappingId);
        }
    }

    static boolean exited(CreditRecord r) {
        return r.entry() == null || r.entry().status() == ListStatus.EXITED;
    }

    /** The exit version of a member the snapshot no longer holds: a new cycle, dated the snapshot's day. */
    static CreditRecord exitOf(CreditRecord member, LocalDate day) {
        return marked(member, Map.of(CYCLE, Integer.toString(cycleOf(member) + 1)), ListStatus.EXITED, day, EXIT_REASON);
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

    private byte[] json(CreditRecord r) {
        try {
            return RecordJson.mapper().writeValueAsBytes(personal.seal(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CreditRecord read(byte[] value) {
        try {
            // opened: the exits derived from a member are versioned on its clear content, like every record
            return personal.open(RecordJson.mapper().readValue(value, CreditRecord.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
