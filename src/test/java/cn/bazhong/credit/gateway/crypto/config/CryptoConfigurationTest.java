package cn.bazhong.credit.gateway.crypto.config;

import cn.bazhong.credit.gateway.crypto.Aead;
import cn.bazhong.credit.gateway.crypto.FieldCipher;
import cn.bazhong.credit.gateway.crypto.KeyEncryptionKey;
import cn.bazhong.credit.gateway.crypto.KeyFiles;
import cn.bazhong.credit.gateway.crypto.KeyRing;
import cn.bazhong.credit.gateway.crypto.Sm2;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** gateway.crypto.* builds the cipher beans, or stops the start with the reason. */
class CryptoConfigurationTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(CryptoConfiguration.class);

    @Test
    void the_shipped_configuration_binds_every_key_and_builds_no_cipher_while_field_encryption_is_off() {
        runner.withInitializer(new ConfigDataApplicationContextInitializer())
                .withPropertyValues("spring.config.location=file:config/application.yaml")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(FieldCipher.class).doesNotHaveBean(Sm2SigningKey.class);
                    CryptoSettings settings = context.getBean(CryptoSettings.class);
                    assertThat(settings.fields().enabled()).isFalse();
                    assertThat(Aead.parse(settings.fields().algorithm())).isEqualTo(Aead.SM4_GCM);
                    assertThat(settings.fields().dataKeysFile()).isEqualTo("config/data-keys.json");
                    assertThat(settings.kek().id()).isEqualTo("kek-1");
                    assertThat(settings.personHash()).isEqualTo("HMAC-SHA256");
                    assertThat(settings.sm2().userId()).isEqualTo(Sm2.DEFAULT_USER_ID);
                });
    }

    @Test
    void with_field_encryption_on_the_cipher_reads_its_ring_with_the_kek_from_a_file(@TempDir Path dir) {
        KeyEncryptionKey kek = KeyEncryptionKey.generate("kek-7", RANDOM);
        Path kekFile = dir.resolve("kek.b64");
        KeyFiles.createOwnerOnly(kekFile, kek.toBase64());
        Path ring = dir.resolve("data-keys.json");
        KeyRing.rotate(ring, kek, Aead.SM4_GCM, Clock.systemUTC(), RANDOM);

        runner.withPropertyValues("gateway.crypto.fields.enabled=true", "gateway.crypto.fields.data-keys-file=" + ring,
                        "gateway.crypto.kek.id=kek-7", "gateway.crypto.kek.file=" + kekFile)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(FieldCipher.class);
                    FieldCipher cipher = context.getBean(FieldCipher.class);
                    String value = cipher.encrypt("subject.idNumber", "511902198001014381");
                    assertThat(value).startsWith("enc:v1:kek-7:");
                    assertThat(cipher.decrypt("subject.idNumber", value)).isEqualTo("511902198001014381");
                });
    }

    @Test
    void with_field_encryption_on_the_kek_can_come_from_the_environment_or_a_keystore(@TempDir Path dir) {
        KeyEncryptionKey kek = KeyEncryptionKey.generate("kek-1", RANDOM);
        Path ring = dir.resolve("data-keys.json");
        KeyRing.rotate(ring, kek, Aead.AES_256_GCM, Clock.systemUTC(), RANDOM);
        Path keystore = dir.resolve("gateway.p12");
        kek.storeInNewPkcs12(keystore, "keystore-pw-1".toCharArray());

        runner.withPropertyValues("gateway.crypto.fields.enabled=true", "gateway.crypto.fields.algorithm=AES-256-GCM",
                        "gateway.crypto.fields.data-keys-file=" + ring, "gateway.crypto.kek.value=" + kek.toBase64())
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(FieldCipher.class));
        runner.withPropertyValues("gateway.crypto.fields.enabled=true", "gateway.crypto.fields.algorithm=AES-256-GCM",
                        "gateway.crypto.fields.data-keys-file=" + ring, "gateway.crypto.kek.keystore=" + keystore,
                        "gateway.crypto.kek.keystore-password=keystore-pw-1")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(FieldCipher.class));
    }

    @Test
    void the_demo_s_keys_are_made_on_the_first_start_owner_only_and_reused_on_the_next(@TempDir Path dir) throws Exception {
        Path kekFile = dir.resolve("keys/kek.b64");
        Path ring = dir.resolve("keys/data-keys.json");
        String[] demo = {"gateway.crypto.fields.enabled=true", "gateway.crypto.fields.generate-missing-keys=true",
                "gateway.crypto.fields.data-keys-file=" + ring, "gateway.crypto.kek.file=" + kekFile};
        String[] sealed = new String[1];
        runner.withPropertyValues(demo).run(context -> {
            assertThat(context).hasNotFailed();
            sealed[0] = context.getBean(FieldCipher.class).encrypt("person.idNumber", "511902198001014381");
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kekFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ring))).isEqualTo("rw-------");
        String kekBefore = Files.readString(kekFile);
        runner.withPropertyValues(demo).run(context ->
                assertThat(context.getBean(FieldCipher.class).decrypt("person.idNumber", sealed[0])).isEqualTo("511902198001014381"));
        assertThat(Files.readString(kekFile)).isEqualTo(kekBefore);
        // without a KEK file to create, nothing is made
        runner.withPropertyValues("gateway.crypto.fields.enabled=true", "gateway.crypto.fields.generate-missing-keys=true",
                        "gateway.crypto.fields.data-keys-file=" + dir.resolve("other.json"))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("needs gateway.crypto.kek.file"));
    }

    @Test
    void the_start_stops_without_a_kek_with_a_world_readable_one_or_with_a_current_key_of_another_cipher(@TempDir Path dir) throws Exception {
        KeyEncryptionKey kek = KeyEncryptionKey.generate("kek-1", RANDOM);
        Path kekFile = dir.resolve("kek.b64");
        KeyFiles.createOwnerOnly(kekFile, kek.toBase64());
        Path ring = dir.resolve("data-keys.json");
        KeyRing.rotate(ring, kek, Aead.AES_256_GCM, Clock.systemUTC(), RANDOM);

        runner.withPropertyValues("gateway.crypto.fields.enabled=true", "gateway.crypto.fields.data-keys-file=" + ring)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("no source for KEK kek-1"));
        runner.withPropertyValues("gateway.crypto.fields.enabled=true", "gateway.crypto.fields.data-keys-file=" + ring,
                        "gateway.crypto.kek.file=" + kekFile)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("algorithm is SM4-GCM").hasMessageContaining("keys rotate-data-key --algorithm SM4-GCM"));
        runner.withPropertyValues("gateway.crypto.fields.enabled=true", "gateway.crypto.fields.data-keys-file=" + dir.resolve("none.json"),
                        "gateway.crypto.kek.file=" + kekFile)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("keys rotate-data-key"));

        Files.setPosixFilePermissions(kekFile, PosixFilePermissions.fromString("rw-r--r--"));
        runner.withPropertyValues("gateway.crypto.fields.enabled=true", "gateway.crypto.fields.algorithm=AES-256-GCM",
                        "gateway.crypto.fields.data-keys-file=" + ring, "gateway.crypto.kek.file=" + kekFile)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("chmod 600")
                        .hasMessageNotContaining(kek.toBase64()));
    }

    @Test
    void an_sm2_private_key_file_gives_the_signing_key_and_a_world_readable_one_stops_the_start(@TempDir Path dir) throws Exception {
        KeyPair pair = Sm2.generateKeyPair(RANDOM);
        Path pem = dir.resolve("gateway-sm2.key.pem");
        KeyFiles.createOwnerOnly(pem, Sm2.privateKeyPem(pair.getPrivate()));

        runner.withPropertyValues("gateway.crypto.sm2.private-key-file=" + pem)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Sm2SigningKey.class);
                    Sm2SigningKey key = context.getBean(Sm2SigningKey.class);
                    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                    assertThat(Sm2.verify(pair.getPublic(), body, key.sign(body))).isTrue();
                    assertThat(key.keyId()).isEqualTo(Sm2SigningKey.keyId(pair.getPublic())).hasSize(32);
                });

        Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("rw-r--r--"));
        runner.withPropertyValues("gateway.crypto.sm2.private-key-file=" + pem)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("chmod 600"));
    }
}
