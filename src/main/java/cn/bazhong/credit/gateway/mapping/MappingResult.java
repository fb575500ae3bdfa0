package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.schema.CreditRecord;

import java.util.List;

/** The outcome of mapping one source record: a credit record, or a rejection. */
public sealed interface MappingResult {

    long position();

    record Accepted(long position, CreditRecord record) implements MappingResult {
    }

    /**
     * @param violations every problem found, the one to report first at index 0
     * @param recordId   the record id the record would have had, when the values its business key is made of
     *                   were read without a problem; null when they were not (or the record could not be read at all).
     *                   A full-snapshot feed keeps such a party listed rather than taking it for gone.
     */
    record Rejected(long position, List<Violation> violations, String recordId) implements MappingResult {
        public Rejected(long position, List<Violation> violations) {
            this(position, violations, null);
        }

        public Violation first() {
            return violations.get(0);
        }
    }
}
