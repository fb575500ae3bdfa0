package cn.bazhong.credit.simulators.province;

import java.time.Instant;
import java.util.Objects;

/**
 * A batch the simulator processed (the first time it saw its batchId; resends are not listed again).
 *
 * @param batchId     the batch id, also its Idempotency-Key
 * @param dataset     {@code ADMIN_PENALTY}, {@code ADMIN_LICENSE}, {@code LIST_ENTRY} or {@code MEASURE_FEEDBACK}
 * @param sourceUnit  the sending unit
 * @param recordCount how many records it carried, accepted or rejected
 * @param at          when the simulator received it
 */
public record ReceivedBatch(String batchId, String dataset, SourceUnit sourceUnit, int recordCount, Instant at) {

    public ReceivedBatch {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(sourceUnit, "sourceUnit");
        Objects.requireNonNull(at, "at");
    }

    /**
     * The unit that sent a batch.
     *
     * @param name its name, e.g. 巴中市社会信用体系建设领导小组办公室
     * @param uscc its 统一社会信用代码 (not checked by the simulator)
     */
    public record SourceUnit(String name, String uscc) {

        public SourceUnit {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uscc, "uscc");
        }
    }
}
