package cn.bazhong.credit.gateway.schema;

/**
 * One normalised credit record. Exactly one of {@code penalty}, {@code licence}, {@code entry},
 * {@code commitment} is set, matching {@code kind}.
 *
 * @param recordId    {@code <department>:<kind>:<business key>}; stable for every version of the record
 * @param version     hash of the normalised content (not of the provenance): equal content gives an
 *                    equal version on any machine, a corrected record gives a new one
 * @param businessKey the part of the record id that the source owns, e.g. 处罚机关 code + 决定书文号
 */
public record CreditRecord(
        String recordId,
        String version,
        RecordKind kind,
        Operation operation,
        String businessKey,
        Subject subject,
        AdminPenalty penalty,
        AdminLicense licence,
        ListEntry entry,
        Provenance provenance,
        Commitment commitment) {

    /** A penalty, licence or list entry (no commitment). */
    public CreditRecord(String recordId, String version, RecordKind kind, Operation operation, String businessKey, Subject subject,
                        AdminPenalty penalty, AdminLicense licence, ListEntry entry, Provenance provenance) {
        this(recordId, version, kind, operation, businessKey, subject, penalty, licence, entry, provenance, null);
    }

    /** The same record with another subject (sealed, opened or masked). */
    public CreditRecord withSubject(String newRecordId, String newBusinessKey, Subject newSubject) {
        return new CreditRecord(newRecordId, version, kind, operation, newBusinessKey, newSubject, penalty, licence, entry, provenance,
                commitment);
    }

    public static String recordId(String department, RecordKind kind, String businessKey) {
        return department + ":" + kind.name() + ":" + businessKey;
    }
}
