package cn.bazhong.credit.gateway.lists;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A subject's penalties and licences of the last years (双公示 records), for the check at the counter:
 * subject key (the keyed hash for persons, never the clear number) → its records, newest decision
 * first. A view fed from the topic of accepted records ({@link SubjectRecordsStage}), bounded twice: a
 * record whose decision is older than the kept years is dropped, and a subject keeps at most
 * {@code perSubject} records (the oldest go first, and the subject is marked {@code truncated}). A
 * record withdrawn by its source leaves the view.
 */
public class SubjectRecords {

    public static final String MAP = "subject-records";

    private final IMap<String, History> records;
    private final int years;
    private final int perSubject;

    /**
     * A subject's records, and whether older ones were dropped because it had more than the bound. Stored field by
     * field ({@link DataSerializable}: 418 bytes a record where Java serialization, which wrote the classes'
     * descriptions into every entry, took 690, and less work for each change); still {@link Serializable}, so that
     * entries a previous version wrote are read.
     */
    public static final class History implements Serializable, DataSerializable {
        @Serial
        private static final long serialVersionUID = 1L;
        final ArrayList<SubjectRecord> records = new ArrayList<>();
        boolean truncated;

        public List<SubjectRecord> records() {
            return List.copyOf(records);
        }

        public boolean truncated() {
            return truncated;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeBoolean(truncated);
            out.writeInt(records.size());
            for (SubjectRecord r : records) {
                SubjectRecordForm.write(out, r);
            }
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            truncated = in.readBoolean();
            int n = in.readInt();
            records.ensureCapacity(n);
            for (int i = 0; i < n; i++) {
                records.add(SubjectRecordForm.read(in));
            }
        }
    }

    public SubjectRecords(HazelcastInstance hazelcast, int years, int perSubject) {
        if (years < 1 || years > 5 || perSubject < 1) {
            throw new IllegalArgumentException("gateway.subjects.records-years must be 1 to 5 (the view's entries live "
                    + cn.bazhong.credit.gateway.infra.HazelcastMaps.SUBJECT_RECORDS_TTL_DAYS + " days unwritten) and records-per-subject at least 1");
        }
        this.records = hazelcast.getMap(MAP);
        this.years = years;
        this.perSubject = perSubject;
    }

    public int years() {
        return years;
    }

    /** The records of a subject decided on or after {@code today} minus the kept years; newest first. */
    public History of(String subjectKey, LocalDate today) {
        History h = records.get(subjectKey);
        History out = new History();
        if (h != null) {
            LocalDate since = today.minusYears(years);
            h.records.stream().filter(r -> r.decisionDate() == null || !r.decisionDate().isBefore(since)).forEach(out.records::add);
            out.truncated = h.truncated;
        }
        return out;
    }

    /** Adds or replaces a record of a subject (by record id), atomically where the subject's entry lives. */
    public void put(String subjectKey, SubjectRecord record, LocalDate today) {
        records.executeOnKey(subjectKey, new Put(record, null, today.minusYears(years), perSubject));
    }

    /** Removes a record (withdrawn by its source). */
    public void remove(String subjectKey, String recordId, LocalDate today) {
        records.executeOnKey(subjectKey, new Put(null, recordId, today.minusYears(years), perSubject));
    }

    /** A record to add or replace under its subject (record set), or to remove from it (removeId set). */
    public record Change(String subjectKey, SubjectRecord record, String removeId) {
    }

    /**
     * Applies changes as {@link #put} and {@link #remove} would one at a time, in their order, and returns when all are
     * applied: pipelined calls over runs of distinct subjects (a subject that comes again waits for the run before it).
     */
    public void apply(List<Change> changes, LocalDate today) {
        LocalDate since = today.minusYears(years);
        cn.bazhong.credit.gateway.infra.PipelinedCalls.inOrder(changes, Change::subjectKey,
                (key, c) -> records.submitToKey(key, new Put(c.record(), c.removeId(), since, perSubject)));
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    /** Sent to the member that owns the subject, field by field like {@link History}. */
    public static final class Put implements EntryProcessor<String, History, Void>, DataSerializable {
        private SubjectRecord record;
        private String removeId;
        private LocalDate since;
        private int bound;

        /** For Hazelcast, which fills it with {@link #readData}. */
        public Put() {
        }

        Put(SubjectRecord record, String removeId, LocalDate since, int bound) {
            this.record = record;
            this.removeId = removeId;
            this.since = since;
            this.bound = bound;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeBoolean(record != null);
            if (record != null) {
                SubjectRecordForm.write(out, record);
            }
            out.writeString(removeId);
            out.writeLong(since.toEpochDay());
            out.writeInt(bound);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            record = in.readBoolean() ? SubjectRecordForm.read(in) : null;
            removeId = in.readString();
            since = LocalDate.ofEpochDay(in.readLong());
            bound = in.readInt();
        }

        @Override
        public Void process(Map.Entry<String, History> entry) {
            History h = entry.getValue() == null ? new History() : entry.getValue();
            String id = record != null ? record.recordId() : removeId;
            h.records.removeIf(r -> r.recordId().equals(id) || r.decisionDate() != null && r.decisionDate().isBefore(since));
            if (record != null && (record.decisionDate() == null || !record.decisionDate().isBefore(since))) {
                h.records.add(record);
            }
            h.records.sort(Comparator.comparing(SubjectRecord::decisionDate, Comparator.nullsLast(Comparator.reverseOrder()))
                    .thenComparing(SubjectRecord::recordId));
            while (h.records.size() > bound) {
                h.records.remove(h.records.size() - 1);
                h.truncated = true;
            }
            if (h.records.isEmpty() && !h.truncated) {
                entry.setValue(null);
            } else {
                entry.setValue(h);
            }
            return null;
        }
    }
}
