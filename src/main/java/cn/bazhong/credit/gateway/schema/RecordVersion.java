package cn.bazhong.credit.gateway.schema;

import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A record's version: the first 128 bits of SHA-256 over its canonical JSON without provenance
 * and without the version itself. Re-sending the same content gives the same version on any
 * machine; any corrected value gives a new one.
 *
 * <p>The JSON is the {@link RecordJson} form, streamed from Jackson's UTF-8 generator straight into
 * the digest instead of being collected in a byte array first: the digest sees exactly the bytes
 * {@code RecordJson.mapper().writeValueAsBytes(content)} would return, so the versions are the
 * same as ever. Thread-safe: each thread has its own digest.
 */
public final class RecordVersion {

    /** Resolved once: the serializer for {@link CreditRecord} is looked up when the writer is made. */
    private static final ObjectWriter WRITER = RecordJson.mapper().writerFor(CreditRecord.class);

    private static final ThreadLocal<DigestSink> SINK = ThreadLocal.withInitial(() -> {
        try {
            return new DigestSink(MessageDigest.getInstance("SHA-256"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    });

    private RecordVersion() {
    }

    public static String of(CreditRecord record) {
        CreditRecord content = new CreditRecord(record.recordId(), null, record.kind(), record.operation(),
                record.businessKey(), record.subject(), record.penalty(), record.licence(), record.entry(), null, record.commitment());
        DigestSink sink = SINK.get();
        MessageDigest digest = sink.digest; // always reset here: digest() resets it, and so does a failure
        try {
            WRITER.writeValue(sink, content);
        } catch (IOException e) {
            digest.reset();
            throw new IllegalStateException("a credit record could not be written as JSON", e);
        } catch (RuntimeException | Error e) {
            digest.reset();
            throw e;
        }
        byte[] hash = digest.digest();
        return HexFormat.of().formatHex(hash, 0, 16);
    }

    /** The same record carrying its computed version. */
    public static CreditRecord stamp(CreditRecord record) {
        return new CreditRecord(record.recordId(), of(record), record.kind(), record.operation(), record.businessKey(),
                record.subject(), record.penalty(), record.licence(), record.entry(), record.provenance(), record.commitment());
    }

    /** Feeds everything written to it into a digest. Closing it (Jackson does) changes nothing. */
    private static final class DigestSink extends OutputStream {
        private final MessageDigest digest;

        DigestSink(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void write(int b) {
            digest.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }
    }
}
