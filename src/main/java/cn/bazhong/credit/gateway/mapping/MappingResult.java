package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.schema.CreditRecord;

import java.util.List;

/** The outcome of mapping one source record: a credit record, or a rejection. */
public sealed interface MappingResult {

    long position();

    record Accepted(long position, CreditRecord record) implements MappingResult {
    }

    /** @param violations every problem found, the one to report first at index 0 */
    record Rejected(long position, List<Violation> violations) implements MappingResult {
        public Violation first() {
            return violations.get(0);
        }
    }
}
