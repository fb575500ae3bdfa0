package cn.bazhong.credit.gateway.crypto.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gateway.crypto.*} (config/application.yaml; docs/security.md).
 *
 * @param fields     envelope encryption of personal fields
 * @param kek        where the key-encryption key comes from (exactly one of keystore, file, value)
 * @param personHash keyed hash of a person's ID number in keys and views: HMAC-SHA256 or HMAC-SM3
 * @param sm2        the gateway's SM2 signing key, when it signs
 */
@ConfigurationProperties(prefix = "gateway.crypto")
public record CryptoSettings(@DefaultValue Fields fields, @DefaultValue Kek kek,
                             @DefaultValue("HMAC-SHA256") String personHash, @DefaultValue Sm2 sm2) {

    /**
     * @param enabled      build the field cipher (and refuse to start without its keys)
     * @param algorithm    SM4-GCM or AES-256-GCM: the cipher of new writes, which the key ring's current
     *                     data key must have
     * @param dataKeysFile the key ring file ({@code keys rotate-data-key})
     * @param generateMissingKeys the local demo's convenience: a KEK file and a key ring that do not exist yet are
     *                     created at start (the production profile refuses it)
     */
    public record Fields(@DefaultValue("false") boolean enabled, @DefaultValue("SM4-GCM") String algorithm,
                         @DefaultValue("config/data-keys.json") String dataKeysFile,
                         @DefaultValue("false") boolean generateMissingKeys) {
    }

    /**
     * @param id               the KEK's id (the keystore alias)
     * @param keystore         a PKCS#12 keystore holding the KEK as a secret-key entry
     * @param keystorePassword its password (and the entry's)
     * @param file             a file holding the KEK's base64
     * @param value            the KEK's base64 itself
     */
    public record Kek(@DefaultValue("kek-1") String id, @DefaultValue("") String keystore, @DefaultValue("") String keystorePassword,
                      @DefaultValue("") String file, @DefaultValue("") String value) {

        @Override
        public String toString() {
            return "Kek[" + id + ", keystore=" + keystore + ", file=" + file + "]";
        }
    }

    /**
     * @param privateKeyFile the PKCS#8 PEM file of the gateway's SM2 private key ({@code keys new-sm2})
     * @param userId         the id it signs under
     */
    public record Sm2(@DefaultValue("") String privateKeyFile, @DefaultValue("1234567812345678") String userId) {
    }
}
