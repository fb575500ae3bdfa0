package cn.bazhong.credit.gateway.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The key-encryption key (KEK): 256 bits that wrap the data keys and never encrypt a value themselves.
 * It comes from a PKCS#12 keystore (a secret-key entry whose alias is the KEK's id), from a file holding
 * its base64, or from the environment (base64). Wrapping uses the data key's own cipher family, under a
 * key derived from the KEK for that cipher: HMAC-SM3(KEK, label) cut to 128 bits for SM4-GCM, HMAC-SHA256
 * for AES-256-GCM, so a deployment that chooses SM4 uses national algorithms only.
 */
public final class KeyEncryptionKey {

    public static final int BYTES = 32;

    private final String id;
    private final byte[] key;

    public KeyEncryptionKey(String id, byte[] key) {
        this.id = KeyIds.check("KEK", id);
        if (key.length != BYTES) {
            throw new CryptoException("KEK " + id + " has " + key.length * 8 + " bits; it needs 256");
        }
        this.key = key.clone();
    }

    public String id() {
        return id;
    }

    /** A new random KEK. */
    public static KeyEncryptionKey generate(String id, SecureRandom random) {
        byte[] key = new byte[BYTES];
        random.nextBytes(key);
        return new KeyEncryptionKey(id, key);
    }

    /** A KEK given as base64 (standard or URL alphabet), e.g. from the environment. */
    public static KeyEncryptionKey fromBase64(String id, String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new CryptoException("KEK " + id + " is empty");
        }
        byte[] key;
        try {
            String b = base64.trim();
            key = b.contains("-") || b.contains("_") ? Base64.getUrlDecoder().decode(b) : Base64.getDecoder().decode(b);
        } catch (IllegalArgumentException e) {
            throw new CryptoException("KEK " + id + " is not base64");
        }
        return new KeyEncryptionKey(id, key);
    }

    /** A KEK from a file holding its base64; the file must be readable by its owner only ({@link KeyFiles}). */
    public static KeyEncryptionKey fromFile(String id, Path file) {
        return fromBase64(id, KeyFiles.readProtectedText(file));
    }

    /**
     * A KEK from the secret-key entry {@code id} of a PKCS#12 keystore whose key password is the store's;
     * the keystore file must be readable by its owner only ({@link KeyFiles}).
     */
    public static KeyEncryptionKey fromPkcs12(String id, Path keystore, char[] password) {
        KeyFiles.checkProtected(keystore);
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            Key entry = store.getKey(id, password);
            if (entry == null) {
                throw new CryptoException("keystore " + keystore + " has no key " + id);
            }
            byte[] encoded = entry.getEncoded();
            if (encoded == null) {
                throw new CryptoException("key " + id + " of " + keystore + " is not a secret key");
            }
            return new KeyEncryptionKey(id, encoded);
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new CryptoException("wrong password for keystore " + keystore);
            }
            throw new UncheckedIOException("cannot read keystore " + keystore + " (wrong password?)", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot read key " + id + " of keystore " + keystore + ": " + e.getMessage(), e);
        }
    }

    /** Stores this KEK as a secret-key entry under its id in a new PKCS#12 keystore (0600). */
    public void storeInNewPkcs12(Path keystore, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            store.setEntry(id, new KeyStore.SecretKeyEntry(new javax.crypto.spec.SecretKeySpec(key, "AES")),
                    new KeyStore.PasswordProtection(password));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            store.store(out, password);
            KeyFiles.createOwnerOnly(keystore, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot store KEK " + id + ": " + e.getMessage(), e);
        }
    }

    /** The base64 of the KEK, for {@code keys new-kek}. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(key);
    }

    /** {@code nonce | ciphertext | tag} of the data key's bytes, bound to the KEK id, the data key's id and its cipher. */
    byte[] wrap(String dataKeyId, Aead algorithm, byte[] dataKey, SecureRandom random) {
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = algorithm.seal(wrappingKey(algorithm), nonce, aad(dataKeyId, algorithm), dataKey);
        byte[] out = Arrays.copyOf(nonce, nonce.length + sealed.length);
        System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
        return out;
    }

    byte[] unwrap(String dataKeyId, Aead algorithm, byte[] wrapped) {
        if (wrapped.length < Aead.NONCE_BYTES + Aead.TAG_BYTES) {
            throw new CryptoException("wrapped data key " + dataKeyId + " is too short");
        }
        byte[] nonce = Arrays.copyOf(wrapped, Aead.NONCE_BYTES);
        byte[] sealed = Arrays.copyOfRange(wrapped, Aead.NONCE_BYTES, wrapped.length);
        try {
            return algorithm.open(wrappingKey(algorithm), nonce, aad(dataKeyId, algorithm), sealed);
        } catch (CryptoException e) {
            throw new CryptoException("data key " + dataKeyId + " does not unwrap under KEK " + id + " (another KEK, or the key ring was altered)");
        }
    }

    private byte[] wrappingKey(Aead algorithm) {
        DigestAlgorithm prf = algorithm == Aead.SM4_GCM ? DigestAlgorithm.SM3 : DigestAlgorithm.SHA_256;
        byte[] derived = prf.hmac(key, ("credit-gateway/kek-wrap/v1/" + algorithm.label()).getBytes(StandardCharsets.US_ASCII));
        return Arrays.copyOf(derived, algorithm.keyBytes());
    }

    private byte[] aad(String dataKeyId, Aead algorithm) {
        return ("dk:v1:" + id + ":" + dataKeyId + ":" + algorithm.label()).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[" + id + "]";
    }
}
