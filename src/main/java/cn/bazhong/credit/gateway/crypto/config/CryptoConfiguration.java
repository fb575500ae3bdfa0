package cn.bazhong.credit.gateway.crypto.config;

import cn.bazhong.credit.gateway.crypto.Aead;
import cn.bazhong.credit.gateway.crypto.CryptoException;
import cn.bazhong.credit.gateway.crypto.DataKey;
import cn.bazhong.credit.gateway.crypto.FieldCipher;
import cn.bazhong.credit.gateway.crypto.KekSource;
import cn.bazhong.credit.gateway.crypto.KeyRing;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/**
 * The cipher beans of {@code gateway.crypto.*}: with {@code gateway.crypto.fields.enabled} the key ring
 * (data keys unwrapped with the KEK) and the {@link FieldCipher}; with
 * {@code gateway.crypto.sm2.private-key-file} the gateway's {@link Sm2SigningKey}. A key that cannot be
 * used stops the start with the reason (never a key byte).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CryptoSettings.class)
public class CryptoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CryptoConfiguration.class);

    @Bean
    @ConditionalOnProperty(name = "gateway.crypto.fields.enabled", havingValue = "true")
    KeyRing dataKeyRing(CryptoSettings settings) {
        CryptoSettings.Kek k = settings.kek();
        Aead wanted = Aead.parse(settings.fields().algorithm());
        if (settings.fields().generateMissingKeys()) {
            generateMissingKeys(settings, wanted);
        }
        KeyRing ring = KeyRing.load(Path.of(settings.fields().dataKeysFile()),
                new KekSource(k.id(), k.keystore(), k.keystorePassword(), k.file(), k.value()).load());
        DataKey current = ring.current();
        if (current.algorithm() != wanted) {
            throw new CryptoException("gateway.crypto.fields.algorithm is " + wanted.label() + " but the current data key "
                    + current.id() + " is " + current.algorithm().label() + ": run java -jar … keys rotate-data-key --algorithm "
                    + wanted.label() + " and distribute " + settings.fields().dataKeysFile());
        }
        LOG.info("field encryption: {} under data key {} (KEK {}), {} data keys in the ring", current.algorithm().label(),
                current.id(), current.kekId(), ring.keys().size());
        return ring;
    }

    /**
     * The local demo's keys: a KEK file and a key ring created on the first start, so that the demo seals
     * personal fields as production does. Only with a KEK file configured, and never over an existing file.
     */
    private static void generateMissingKeys(CryptoSettings settings, Aead algorithm) {
        String kekFile = settings.kek().file();
        if (kekFile == null || kekFile.isBlank()) {
            throw new CryptoException("gateway.crypto.fields.generate-missing-keys needs gateway.crypto.kek.file: the file to create the KEK in");
        }
        Path kekPath = Path.of(kekFile);
        Path ring = Path.of(settings.fields().dataKeysFile());
        java.security.SecureRandom random = new java.security.SecureRandom();
        try {
            if (!java.nio.file.Files.exists(kekPath)) {
                java.nio.file.Files.createDirectories(kekPath.toAbsolutePath().getParent());
                cn.bazhong.credit.gateway.crypto.KeyFiles.createOwnerOnly(kekPath,
                        cn.bazhong.credit.gateway.crypto.KeyEncryptionKey.generate(settings.kek().id(), random).toBase64() + "\n");
                LOG.warn("development keys: a new KEK {} in {} (gateway.crypto.fields.generate-missing-keys; never in production)",
                        settings.kek().id(), kekPath);
            }
            if (!java.nio.file.Files.exists(ring)) {
                java.nio.file.Files.createDirectories(ring.toAbsolutePath().getParent());
                var key = KeyRing.rotate(ring, cn.bazhong.credit.gateway.crypto.KeyEncryptionKey.fromFile(settings.kek().id(), kekPath),
                        algorithm, java.time.Clock.systemUTC(), random);
                LOG.warn("development keys: a new key ring {} with data key {}", ring, key.id());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the development keys", e);
        }
    }

    @Bean
    @ConditionalOnProperty(name = "gateway.crypto.fields.enabled", havingValue = "true")
    FieldCipher fieldCipher(KeyRing dataKeyRing) {
        return new FieldCipher(dataKeyRing);
    }

    @Bean
    @ConditionalOnExpression("!'${gateway.crypto.sm2.private-key-file:}'.isBlank()")
    Sm2SigningKey sm2SigningKey(CryptoSettings settings) {
        Sm2SigningKey key = Sm2SigningKey.fromFile(Path.of(settings.sm2().privateKeyFile()), settings.sm2().userId());
        LOG.info("SM2 signing key {} (user id {})", key.keyId(), key.userId());
        return key;
    }
}
