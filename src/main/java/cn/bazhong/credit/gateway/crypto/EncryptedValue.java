package cn.bazhong.credit.gateway.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The parts of an encrypted field value
 * {@code enc:v1:<kekId>:<dataKeyId>:<alg>:<base64url(nonce | ciphertext | tag), no padding>}, e.g.
 * {@code enc:v1:kek-1:dk-20261205T083000Z-1a2b3c:SM4-GCM:q83v…}. The text before the payload is the
 * header; the associated data of the cipher is {@code <header>:<field>}, so the value authenticates only
 * in the field it was written for and with the key ids and cipher it names.
 */
public record EncryptedValue(String kekId, String dataKeyId, Aead algorithm, byte[] payload) {

    public static final String PREFIX = "enc:v1:";

    /** Whether {@code value} has the form of an encrypted value (its tag is not checked). */
    public static boolean looksEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /**
     * @throws CryptoException when {@code value} is not of the form above
     */
    public static EncryptedValue parse(String value) {
        if (!looksEncrypted(value)) {
            throw new CryptoException("not an encrypted value (no " + PREFIX + " prefix)");
        }
        String[] parts = value.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 4) {
            throw new CryptoException("an encrypted value has 4 parts after " + PREFIX + ", this one " + parts.length);
        }
        try {
            KeyIds.check("KEK", parts[0]);
            KeyIds.check("data key", parts[1]);
            return new EncryptedValue(parts[0], parts[1], Aead.parse(parts[2]), Base64.getUrlDecoder().decode(parts[3]));
        } catch (IllegalArgumentException e) {
            throw new CryptoException("malformed encrypted value: " + e.getMessage());
        }
    }

    public String header() {
        return PREFIX + kekId + ":" + dataKeyId + ":" + algorithm.label();
    }

    /** The compact string form. */
    public String format() {
        return header() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
    }

    byte[] aad(String field) {
        return (header() + ":" + field).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public String toString() {
        return header() + ":…";
    }
}
