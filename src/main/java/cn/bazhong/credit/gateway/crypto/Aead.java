package cn.bazhong.credit.gateway.crypto;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The authenticated ciphers of personal fields: SM4 (GB/T 32907-2016) or AES-256 in GCM mode (NIST SP
 * 800-38D; SM4-GCM as in RFC 8998), with a 96-bit nonce and a 128-bit tag. {@link #seal} gives
 * {@code ciphertext | tag}; {@link #open} refuses anything whose tag does not authenticate.
 */
public enum Aead {

    SM4_GCM("SM4-GCM", 16, SM4Engine::new),
    AES_256_GCM("AES-256-GCM", 32, AESEngine::newInstance);

    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;

    private final String label;
    private final int keyBytes;
    private final Supplier<BlockCipher> engines;

    Aead(String label, int keyBytes, Supplier<BlockCipher> engines) {
        this.label = label;
        this.keyBytes = keyBytes;
        this.engines = engines;
    }

    /** "SM4-GCM" or "AES-256-GCM": the name in configuration, key rings and encrypted values. */
    public String label() {
        return label;
    }

    /** 16 for SM4, 32 for AES-256. */
    public int keyBytes() {
        return keyBytes;
    }

    /** A fresh random key of this cipher's length. */
    public byte[] newKey(SecureRandom random) {
        byte[] key = new byte[keyBytes];
        random.nextBytes(key);
        return key;
    }

    /** Encrypts {@code plaintext} and authenticates it together with {@code aad}: ciphertext followed by the tag. */
    public byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        GCMModeCipher gcm = init(true, key, nonce, aad);
        byte[] out = new byte[gcm.getOutputSize(plaintext.length)];
        int n = gcm.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            n += gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new CryptoException(label + " encryption failed", e);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * Decrypts {@code ciphertext | tag}.
     *
     * @throws CryptoException when the tag does not authenticate the ciphertext and {@code aad} under
     *                         {@code key} and {@code nonce}
     */
    public byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] sealed) {
        if (sealed.length < TAG_BYTES) {
            throw new CryptoException(label + " value shorter than its tag");
        }
        GCMModeCipher gcm = init(false, key, nonce, aad);
        byte[] out = new byte[gcm.getOutputSize(sealed.length)];
        int n = gcm.processBytes(sealed, 0, sealed.length, out, 0);
        try {
            n += gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new CryptoException(label + " tag does not authenticate the value (altered, moved, or another key)");
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private GCMModeCipher init(boolean encrypt, byte[] key, byte[] nonce, byte[] aad) {
        if (key.length != keyBytes) {
            throw new CryptoException(label + " needs a " + keyBytes * 8 + "-bit key, not " + key.length * 8 + " bits");
        }
        if (nonce.length != NONCE_BYTES) {
            throw new CryptoException(label + " needs a " + NONCE_BYTES * 8 + "-bit nonce");
        }
        GCMModeCipher gcm = GCMBlockCipher.newInstance(engines.get());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, nonce, aad));
        return gcm;
    }

    /**
     * Reads a configured name: "SM4-GCM" or "AES-256-GCM" (any case, "_" for "-").
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Aead parse(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace('_', '-');
        for (Aead a : values()) {
            if (a.label.equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a cipher the gateway knows: SM4-GCM or AES-256-GCM");
    }
}
