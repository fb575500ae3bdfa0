package cn.bazhong.credit.gateway.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A keyed hash (HMAC-SHA256 or HMAC-SM3) that stands for a value in joins and keys without revealing it:
 * the same value and key give the same hash on every node, and without the key nobody can test a
 * guessed ID number against it.
 */
public final class KeyedHash {

    private final DigestAlgorithm algorithm;
    private final byte[] key;

    public KeyedHash(DigestAlgorithm algorithm, byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("a keyed hash needs a key of at least 16 bytes");
        }
        this.algorithm = algorithm;
        this.key = key.clone();
    }

    public DigestAlgorithm algorithm() {
        return algorithm;
    }

    /** The whole MAC of the UTF-8 bytes of {@code value}. */
    public byte[] mac(String value) {
        return algorithm.hmac(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The first {@code bytes} bytes of the MAC, in lower-case hex. */
    public String hex(String value, int bytes) {
        return HexFormat.of().formatHex(mac(value), 0, bytes);
    }
}
