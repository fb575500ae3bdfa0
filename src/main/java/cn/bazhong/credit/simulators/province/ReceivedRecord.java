package cn.bazhong.credit.simulators.province;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A record the simulator ACCEPTED, as it arrived. {@code data} holds the national field codes and
 * may contain personal ID numbers: tests may read it, logs never print it.
 *
 * @param batchId   the batch that carried it (the first time)
 * @param dataset   {@code ADMIN_PENALTY}, {@code ADMIN_LICENSE}, {@code LIST_ENTRY} or {@code MEASURE_FEEDBACK}
 * @param recordId  the sender's record id, e.g. {@code SCJGJ:ADMIN_PENALTY:...}
 * @param version   the sender's content version
 * @param operation {@code UPSERT} or {@code WITHDRAW}
 * @param data      the record's fields, unmodifiable, JSON values (strings, numbers as Integer/Long/BigDecimal, ...)
 * @param at        when the simulator received it
 */
public record ReceivedRecord(String batchId, String dataset, String recordId, String version, String operation,
                             Map<String, Object> data, Instant at) {

    public ReceivedRecord {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(at, "at");
        data = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(data, "data")));
    }

    /** {@code toString} without {@code data}, which may hold personal information. */
    @Override
    public String toString() {
        return "ReceivedRecord[batchId=" + batchId + ", dataset=" + dataset + ", recordId=" + recordId
                + ", version=" + version + ", operation=" + operation + ", fields=" + data.size() + ", at=" + at + "]";
    }
}
