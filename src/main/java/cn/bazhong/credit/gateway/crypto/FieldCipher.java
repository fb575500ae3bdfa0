package cn.bazhong.credit.gateway.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Envelope encryption of personal field values (an ID number, a person's name): each value is encrypted
 * with the key ring's current data key and that key's cipher (SM4-GCM or AES-256-GCM), a fresh random
 * 96-bit nonce, and associated data that binds it to its field name, key ids and cipher. The result is
 * one compact string ({@link EncryptedValue}) that names the keys it needs, so values written under an
 * older key stay readable as long as the ring holds that key, and {@link #reencrypt} moves one to the
 * current key. Thread-safe.
 *
 * <p>Field names are the dotted paths of the credit schema, e.g. {@code subject.idNumber}.
 */
public final class FieldCipher {

    private final KeyRing ring;
    private final SecureRandom random;

    public FieldCipher(KeyRing ring) {
        this(ring, new SecureRandom());
    }

    public FieldCipher(KeyRing ring, SecureRandom random) {
        this.ring = Objects.requireNonNull(ring);
        this.random = Objects.requireNonNull(random);
    }

    public KeyRing ring() {
        return ring;
    }

    /**
     * Encrypts {@code plaintext} for {@code field} under the current data key.
     *
     * @throws IllegalArgumentException when {@code plaintext} is not valid Unicode (an unpaired surrogate)
     */
    public String encrypt(String field, String plaintext) {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(plaintext, "plaintext");
        DataKey key = ring.current();
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        random.nextBytes(nonce);
        EncryptedValue header = new EncryptedValue(key.kekId(), key.id(), key.algorithm(), new byte[0]);
        byte[] sealed = key.algorithm().seal(key.key(), nonce, header.aad(field), utf8(field, plaintext));
        byte[] payload = Arrays.copyOf(nonce, nonce.length + sealed.length);
        System.arraycopy(sealed, 0, payload, nonce.length, sealed.length);
        return new EncryptedValue(key.kekId(), key.id(), key.algorithm(), payload).format();
    }

    /** UTF-8 of {@code text}, refusing an unpaired surrogate (which UTF-8 would silently turn into '?'). */
    private static byte[] utf8(String field, String text) {
        try {
            java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .encode(java.nio.CharBuffer.wrap(text));
            return Arrays.copyOf(bytes.array(), bytes.limit());
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("the value of " + field + " is not valid Unicode text (an unpaired surrogate)");
        }
    }

    /**
     * Decrypts a value written by {@link #encrypt} for the same {@code field}, under any key of the ring.
     *
     * @throws CryptoException when the value is malformed, names a key the ring does not hold, or does
     *                         not authenticate (altered, or written for another field)
     */
    public String decrypt(String field, String value) {
        EncryptedValue v = EncryptedValue.parse(value);
        DataKey key = ring.find(v.dataKeyId()).orElseThrow(() -> new CryptoException(
                "data key " + v.dataKeyId() + " is not in the key ring (a newer ring file, or a value from another deployment)"));
        // the KEK a value names is the one that wrapped its data key when it was written: after keys rotate-kek
        // the ring's key has another; the header as written is authenticated with the value either way
        if (key.algorithm() != v.algorithm()) {
            throw new CryptoException("the value names " + v.algorithm().label() + ", but data key " + key.id() + " is "
                    + key.algorithm().label());
        }
        byte[] payload = v.payload();
        if (payload.length < Aead.NONCE_BYTES + Aead.TAG_BYTES) {
            throw new CryptoException("encrypted value of " + field + " is too short");
        }
        byte[] nonce = Arrays.copyOf(payload, Aead.NONCE_BYTES);
        byte[] sealed = Arrays.copyOfRange(payload, Aead.NONCE_BYTES, payload.length);
        try {
            return new String(key.algorithm().open(key.key(), nonce, v.aad(field), sealed), StandardCharsets.UTF_8);
        } catch (CryptoException e) {
            throw new CryptoException("encrypted value of " + field + " does not authenticate: altered, or written for another field");
        }
    }

    /** Whether {@code value} is encrypted under the current data key (a re-encryption run skips it). */
    public boolean isCurrent(String value) {
        return EncryptedValue.parse(value).dataKeyId().equals(ring.current().id());
    }

    /**
     * The re-encryption step: {@code value} of {@code field} rewritten under the current data key, or
     * {@code value} itself when it is already under it. The field is needed because the value is bound to
     * it. Every value is authenticated first: one that does not authenticate is never rewritten (the
     * exception of {@link #decrypt}), whichever key it names.
     */
    public String reencrypt(String field, String value) {
        String plaintext = decrypt(field, value);
        return isCurrent(value) ? value : encrypt(field, plaintext);
    }
}
