package cn.bazhong.credit.gateway.audit;

import cn.bazhong.credit.gateway.validation.IdNumbers;

import java.time.Instant;

/**
 * One entry of the access log: who did what to whose data, why, when, with what outcome.
 *
 * @param at         when the call was answered (also the Kafka timestamp of the entry)
 * @param node       the gateway node that answered
 * @param callerKind {@code department}, {@code viewer}, {@code admin} or {@code province}
 * @param caller     the department's code or the operator's configured name
 * @param action     {@code read} (personal data was shown) or {@code operation} (an operator's or a listing
 *                   unit's action: a replay, an enable, a decision, a query of this log)
 * @param endpoint   the endpoint as the access table names it, e.g. {@code GET /api/v1/records/{recordId}/trace}
 * @param purpose    the matter of a check ({@code ?matter=}), otherwise the endpoint
 * @param subjectKey the subject's key: {@code P:<keyed hash>} for a person, {@code O:<credit code>} for an
 *                   organisation; null when the call names no subject
 * @param subject    the subject as it may be shown: the masked ID number, or the credit code
 * @param recordId   the record the call reads or acts on, where it names one
 * @param target     the call's other ids and parameters ({@code receiptId=…}, {@code dept=…}, {@code from=…})
 * @param status     the HTTP status answered
 */
public record AccessEntry(Instant at, String node, String callerKind, String caller, String action, String endpoint,
                          String purpose, String subjectKey, String subject, String recordId, String target, int status) {

    public static final String READ = "read";
    public static final String OPERATION = "operation";

    /**
     * The same entry with an ID number masked wherever a free text could hold one (a record id, a
     * parameter, a name): the last guard before anything is written.
     */
    public AccessEntry masked() {
        return new AccessEntry(at, node, callerKind, IdNumbers.maskAll(caller), action, endpoint, IdNumbers.maskAll(purpose),
                subjectKey, IdNumbers.maskAll(subject), IdNumbers.maskAll(recordId), IdNumbers.maskAll(target), status);
    }
}
