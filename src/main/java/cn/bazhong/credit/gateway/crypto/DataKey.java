package cn.bazhong.credit.gateway.crypto;

import java.time.Instant;

/**
 * A data key of the key ring: encrypts field values with {@code algorithm}; kept on disk only wrapped by
 * the KEK {@code kekId}. {@link #toString()} shows no key byte.
 */
public record DataKey(String id, Aead algorithm, String kekId, Instant created, byte[] key) {

    public DataKey {
        KeyIds.check("data key", id);
        KeyIds.check("KEK", kekId);
        if (key.length != algorithm.keyBytes()) {
            throw new CryptoException("data key " + id + " has " + key.length * 8 + " bits; " + algorithm.label()
                    + " needs " + algorithm.keyBytes() * 8);
        }
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "DataKey[" + id + ", " + algorithm.label() + ", kek " + kekId + ", " + created + "]";
    }
}
