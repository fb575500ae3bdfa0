package cn.bazhong.credit.gateway.crypto;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The gateway's SM2 key: its private key (from a PKCS#8 PEM file only its owner can read), its public
 * key, the user id it signs under, and its key id (the first 16 bytes of SM3 over the public key's X.509
 * encoding, in hex), which goes beside each signature so that a verifier knows which key to use.
 */
public final class Sm2SigningKey {

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String userId;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    public Sm2SigningKey(PrivateKey privateKey, String userId) {
        this.privateKey = privateKey;
        this.publicKey = Sm2.publicKeyOf(privateKey);
        this.userId = userId == null || userId.isEmpty() ? Sm2.DEFAULT_USER_ID : userId;
        this.keyId = keyId(publicKey);
    }

    /** The key of a PKCS#8 PEM file (refused when others can read it). */
    public static Sm2SigningKey fromFile(Path privateKeyPem, String userId) {
        return new Sm2SigningKey(Sm2.readPrivateKey(privateKeyPem), userId);
    }

    /** The id of a public key: the first 16 bytes of SM3 over its X.509 encoding, in hex. */
    public static String keyId(PublicKey key) {
        return HexFormat.of().formatHex(DigestAlgorithm.SM3.digest(key.getEncoded()), 0, 16);
    }

    /** The DER SM2 signature of {@code message}. */
    public byte[] sign(byte[] message) {
        return Sm2.sign(privateKey, userId, message, random);
    }

    public boolean verify(byte[] message, byte[] signature) {
        return Sm2.verify(publicKey, userId, message, signature);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String userId() {
        return userId;
    }

    public String keyId() {
        return keyId;
    }

    @Override
    public String toString() {
        return "Sm2SigningKey[" + keyId + ", user id " + userId + "]";
    }
}
