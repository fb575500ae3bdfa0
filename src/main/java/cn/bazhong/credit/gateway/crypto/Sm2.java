package cn.bazhong.credit.gateway.crypto;

import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.interfaces.ECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * SM2 digital signatures (GB/T 32918.2-2016) on the recommended curve sm2p256v1 (GB/T 32918.5-2017),
 * with SM3 as the hash: the signer hashes {@code Z || M}, where {@code Z = SM3(ENTL || ID || a || b ||
 * xG || yG || xA || yA)} binds the signer's user id and public key (GM/T 0009-2012; the default id is
 * {@value #DEFAULT_USER_ID}). Signatures are DER {@code SEQUENCE {r INTEGER, s INTEGER}} (GM/T 0009).
 * Keys are PKCS#8 (private) and X.509 SubjectPublicKeyInfo (public), in PEM or DER.
 *
 * <p>BouncyCastle's provider is used as an object, never installed JVM-wide.
 */
public final class Sm2 {

    /** The user id GM/T 0009-2012 prescribes when the parties agree on none. */
    public static final String DEFAULT_USER_ID = "1234567812345678";
    public static final String CURVE = "sm2p256v1";

    private static final Provider BC = new BouncyCastleProvider();
    private static final ECNamedCurveParameterSpec SPEC = ECNamedCurveTable.getParameterSpec(CURVE);

    private Sm2() {
    }

    public static KeyPair generateKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
            generator.initialize(new ECGenParameterSpec(CURVE), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot generate an SM2 key pair: " + e.getMessage(), e);
        }
    }

    /** Signs {@code message} with the default user id. */
    public static byte[] sign(PrivateKey key, byte[] message) {
        return sign(key, DEFAULT_USER_ID, message, new SecureRandom());
    }

    /** Signs {@code message} as the holder of {@code userId}; {@code random} gives the per-signature k. */
    public static byte[] sign(PrivateKey key, String userId, byte[] message, SecureRandom random) {
        try {
            Signature signature = Signature.getInstance("SM3withSM2", BC);
            signature.setParameter(new SM2ParameterSpec(userId.getBytes(StandardCharsets.UTF_8)));
            signature.initSign(checked(key), random);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("SM2 signing failed: " + e.getMessage(), e);
        }
    }

    /** Verifies a DER signature of {@code message} under the default user id. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        return verify(key, DEFAULT_USER_ID, message, signature);
    }

    /** Whether {@code signature} (DER) is the SM2 signature of {@code message} by the holder of {@code key} and {@code userId}. */
    public static boolean verify(PublicKey key, String userId, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SM3withSM2", BC);
            verifier.setParameter(new SM2ParameterSpec(userId.getBytes(StandardCharsets.UTF_8)));
            verifier.initVerify(checked(key));
            verifier.update(message);
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            return false; // not a DER signature of this size: not a signature of the message
        } catch (GeneralSecurityException e) {
            throw new CryptoException("SM2 verification failed: " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #verify(PublicKey, String, byte[], byte[])} for a message read from a stream to its end (a
     * spooled request body need not be held in memory).
     */
    public static boolean verify(PublicKey key, String userId, java.io.InputStream message, byte[] signature) throws java.io.IOException {
        try {
            Signature verifier = Signature.getInstance("SM3withSM2", BC);
            verifier.setParameter(new SM2ParameterSpec(userId.getBytes(StandardCharsets.UTF_8)));
            verifier.initVerify(checked(key));
            byte[] buffer = new byte[8192];
            for (int n; (n = message.read(buffer)) > 0; ) {
                verifier.update(buffer, 0, n);
            }
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new CryptoException("SM2 verification failed: " + e.getMessage(), e);
        }
    }

    /** The public key of {@code key} (d·G). */
    public static PublicKey publicKeyOf(PrivateKey key) {
        ECPrivateKey ec = (ECPrivateKey) checked(key);
        try {
            return KeyFactory.getInstance("EC", BC).generatePublic(new ECPublicKeySpec(SPEC.getG().multiply(ec.getD()).normalize(), SPEC));
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot derive the SM2 public key: " + e.getMessage(), e);
        }
    }

    /** The private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), unencrypted: store it with {@link KeyFiles}. */
    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", checked(key).getEncoded());
    }

    /** The public key as X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}). */
    public static String publicKeyPem(PublicKey key) {
        return pem("PUBLIC KEY", checked(key).getEncoded());
    }

    /**
     * Reads a PKCS#8 private key in PEM or DER.
     *
     * @throws CryptoException when it is not an SM2 (sm2p256v1) private key
     */
    public static PrivateKey readPrivateKey(byte[] pemOrDer) {
        try {
            return (PrivateKey) checked(KeyFactory.getInstance("EC", BC).generatePrivate(new PKCS8EncodedKeySpec(der(pemOrDer, "PRIVATE KEY"))));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new CryptoException("not a PKCS#8 SM2 private key");
        }
    }

    /** Reads an SM2 private key from a PEM file readable by its owner only ({@link KeyFiles}). */
    public static PrivateKey readPrivateKey(java.nio.file.Path file) {
        return readPrivateKey(KeyFiles.readProtected(file));
    }

    /**
     * Reads an X.509 SubjectPublicKeyInfo public key in PEM or DER.
     *
     * @throws CryptoException when it is not an SM2 (sm2p256v1) public key
     */
    public static PublicKey readPublicKey(byte[] pemOrDer) {
        try {
            return (PublicKey) checked(KeyFactory.getInstance("EC", BC).generatePublic(new X509EncodedKeySpec(der(pemOrDer, "PUBLIC KEY"))));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new CryptoException("not an X.509 SM2 public key");
        }
    }

    /** A private key from its scalar d (for tests and imports of raw keys). */
    public static PrivateKey privateKeyOf(java.math.BigInteger d) {
        try {
            return KeyFactory.getInstance("EC", BC).generatePrivate(new org.bouncycastle.jce.spec.ECPrivateKeySpec(d, SPEC));
        } catch (GeneralSecurityException e) {
            throw new CryptoException("not an SM2 private scalar", e);
        }
    }

    private static <K extends java.security.Key> K checked(K key) {
        org.bouncycastle.jce.spec.ECParameterSpec params;
        if (key instanceof ECPrivateKey k) {
            params = k.getParameters();
        } else if (key instanceof ECPublicKey k) {
            params = k.getParameters();
        } else {
            throw new CryptoException("not an SM2 key: " + (key == null ? "null" : key.getAlgorithm()));
        }
        if (params == null || !params.getCurve().equals(SPEC.getCurve()) || !params.getG().equals(SPEC.getG())) {
            throw new CryptoException("not an SM2 key: its curve is not " + CURVE);
        }
        return key;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(byte[] pemOrDer, String type) {
        String text = new String(pemOrDer, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        int from = text.indexOf(begin);
        if (from < 0) {
            return pemOrDer;
        }
        int to = text.indexOf("-----END " + type + "-----", from);
        if (to < 0) {
            throw new CryptoException("PEM " + type + " without its END line");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new CryptoException("PEM " + type + " is not base64");
        }
    }
}
