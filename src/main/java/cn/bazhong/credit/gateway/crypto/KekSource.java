package cn.bazhong.credit.gateway.crypto;

import java.nio.file.Path;

/**
 * Where the key-encryption key comes from: exactly one of a PKCS#12 keystore (entry {@code id}, the
 * store's password), a file holding its base64, or its base64 itself (from the environment). Blank
 * settings count as absent.
 */
public record KekSource(String id, String keystore, String keystorePassword, String file, String base64) {

    /**
     * @throws CryptoException when no source or more than one is given, or the source cannot be used
     */
    public KeyEncryptionKey load() {
        int given = (set(keystore) ? 1 : 0) + (set(file) ? 1 : 0) + (set(base64) ? 1 : 0);
        if (given != 1) {
            throw new CryptoException((given == 0 ? "no" : "more than one") + " source for KEK " + id
                    + ": give exactly one of a PKCS#12 keystore (GATEWAY_CRYPTO_KEYSTORE, its password in GATEWAY_CRYPTO_KEYSTORE_PASSWORD),"
                    + " a file holding the key's base64 (GATEWAY_CRYPTO_KEK_FILE) or the base64 itself (GATEWAY_CRYPTO_KEK)");
        }
        if (set(keystore)) {
            if (!set(keystorePassword)) {
                throw new CryptoException("keystore " + keystore + " needs its password (GATEWAY_CRYPTO_KEYSTORE_PASSWORD)");
            }
            return KeyEncryptionKey.fromPkcs12(id, Path.of(keystore), keystorePassword.toCharArray());
        }
        if (set(file)) {
            return KeyEncryptionKey.fromFile(id, Path.of(file));
        }
        return KeyEncryptionKey.fromBase64(id, base64);
    }

    private static boolean set(String s) {
        return s != null && !s.isBlank();
    }

    @Override
    public String toString() {
        return "KekSource[" + id + ", keystore=" + keystore + ", file=" + file + ", base64=" + (set(base64) ? "(set)" : "") + "]";
    }
}
