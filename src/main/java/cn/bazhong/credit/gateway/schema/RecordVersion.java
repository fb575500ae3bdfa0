package cn.bazhong.credit.gateway.schema;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A record's version: the first 128 bits of SHA-256 over its canonical JSON without provenance
 * and without the version itself. Re-sending the same content gives the same version on any
 * machine; any corrected value gives a new one.
 */
public final class RecordVersion {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    });

    private RecordVersion() {
    }

    public static String of(CreditRecord record) {
        CreditRecord content = new CreditRecord(record.recordId(), null, record.kind(), record.operation(),
                record.businessKey(), record.subject(), record.penalty(), record.licence(), record.entry(), null);
        byte[] json;
        try {
            json = RecordJson.mapper().writeValueAsBytes(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a credit record could not be written as JSON", e);
        }
        MessageDigest digest = SHA256.get();
        digest.reset();
        byte[] hash = digest.digest(json);
        return HexFormat.of().formatHex(hash, 0, 16);
    }

    /** The same record carrying its computed version. */
    public static CreditRecord stamp(CreditRecord record) {
        return new CreditRecord(record.recordId(), of(record), record.kind(), record.operation(), record.businessKey(),
                record.subject(), record.penalty(), record.licence(), record.entry(), record.provenance());
    }
}
