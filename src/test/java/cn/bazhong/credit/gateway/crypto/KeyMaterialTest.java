package cn.bazhong.credit.gateway.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key-encryption keys from a keystore, a file or the environment; key files only their owner can read. */
class KeyMaterialTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String FIELD = "subject.idNumber";

    @Test
    void a_kek_from_a_pkcs12_keystore_reads_a_ring_its_file_twin_wrote(@TempDir Path dir) throws Exception {
        KeyEncryptionKey kek = KeyEncryptionKey.generate("kek-2026", RANDOM);
        Path keystore = dir.resolve("gateway.p12");
        kek.storeInNewPkcs12(keystore, "store-secret".toCharArray());
        Path file = dir.resolve("kek.b64");
        KeyFiles.createOwnerOnly(file, kek.toBase64() + "\n");
        Path ring = dir.resolve("data-keys.json");
        KeyRing.rotate(ring, KeyEncryptionKey.fromFile("kek-2026", file), Aead.SM4_GCM, Clock.systemUTC(), RANDOM);

        KeyEncryptionKey fromStore = KeyEncryptionKey.fromPkcs12("kek-2026", keystore, "store-secret".toCharArray());
        FieldCipher cipher = new FieldCipher(KeyRing.load(ring, fromStore));

        assertThat(cipher.decrypt(FIELD, cipher.encrypt(FIELD, "511902198001014381"))).isEqualTo("511902198001014381");
        assertThat(permissions(keystore)).isEqualTo("rw-------");
        assertThatThrownBy(() -> KeyEncryptionKey.fromPkcs12("kek-2026", keystore, "wrong".toCharArray()))
                .isInstanceOf(RuntimeException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> KeyEncryptionKey.fromPkcs12("kek-1999", keystore, "store-secret".toCharArray()))
                .isInstanceOf(CryptoException.class).hasMessageContaining("no key kek-1999");
    }

    @Test
    void a_kek_from_the_environment_is_base64_of_256_bits() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);

        KeyEncryptionKey kek = KeyEncryptionKey.fromBase64("kek-env", Base64.getEncoder().encodeToString(raw));

        assertThat(kek.id()).isEqualTo("kek-env");
        assertThat(KeyEncryptionKey.fromBase64("kek-env", Base64.getUrlEncoder().encodeToString(raw)).toBase64()).isEqualTo(kek.toBase64());
        assertThatThrownBy(() -> KeyEncryptionKey.fromBase64("kek-env", Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(CryptoException.class).hasMessageContaining("needs 256");
        assertThatThrownBy(() -> KeyEncryptionKey.fromBase64("kek-env", "not base64!"))
                .isInstanceOf(CryptoException.class).hasMessageContaining("not base64");
        assertThatThrownBy(() -> KeyEncryptionKey.fromBase64("kek-env", ""))
                .isInstanceOf(CryptoException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> KeyEncryptionKey.generate("kek:1", RANDOM)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_world_readable_key_file_is_refused_and_names_the_fix(@TempDir Path dir) throws Exception {
        KeyEncryptionKey kek = KeyEncryptionKey.generate("kek-1", RANDOM);
        Path file = dir.resolve("kek.b64");
        KeyFiles.createOwnerOnly(file, kek.toBase64());
        assertThat(permissions(file)).isEqualTo("rw-------");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> KeyEncryptionKey.fromFile("kek-1", file))
                .isInstanceOf(CryptoException.class).hasMessageContaining("rw-r--r--").hasMessageContaining("chmod 600")
                .hasMessageNotContaining(kek.toBase64());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        assertThatThrownBy(() -> KeyFiles.readProtected(file)).isInstanceOf(CryptoException.class);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));
        assertThat(KeyEncryptionKey.fromFile("kek-1", file).toBase64()).isEqualTo(kek.toBase64());
        assertThatThrownBy(() -> KeyFiles.readProtected(dir.resolve("missing.b64")))
                .isInstanceOf(CryptoException.class).hasMessageContaining("does not exist");
    }

    @Test
    void a_key_file_is_never_overwritten_and_a_world_readable_keystore_or_ring_is_refused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("k");
        KeyFiles.createOwnerOnly(file, "one");
        assertThatThrownBy(() -> KeyFiles.createOwnerOnly(file, "two")).isInstanceOf(CryptoException.class).hasMessageContaining("exists");
        assertThat(Files.readString(file)).isEqualTo("one");

        KeyEncryptionKey kek = KeyEncryptionKey.generate("kek-1", RANDOM);
        Path keystore = dir.resolve("gateway.p12");
        kek.storeInNewPkcs12(keystore, "pw".toCharArray());
        Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> KeyEncryptionKey.fromPkcs12("kek-1", keystore, "pw".toCharArray()))
                .isInstanceOf(CryptoException.class).hasMessageContaining("chmod 600");

        Path ring = dir.resolve("data-keys.json");
        KeyRing.rotate(ring, kek, Aead.SM4_GCM, Clock.systemUTC(), RANDOM);
        assertThat(permissions(ring)).isEqualTo("rw-------");
        Files.setPosixFilePermissions(ring, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> KeyRing.load(ring, kek)).isInstanceOf(CryptoException.class);
    }

    @Test
    void a_key_ring_holds_no_key_in_the_clear_and_opens_only_under_its_kek(@TempDir Path dir) throws Exception {
        KeyEncryptionKey kek = KeyEncryptionKey.generate("kek-1", RANDOM);
        Path ring = dir.resolve("data-keys.json");
        DataKey key = KeyRing.rotate(ring, kek, Aead.SM4_GCM, Clock.systemUTC(), RANDOM);

        String json = Files.readString(ring, StandardCharsets.UTF_8);
        assertThat(json).contains("\"format\" : \"credit-gateway/data-keys/v1\"").contains(key.id()).contains("\"SM4-GCM\"")
                .doesNotContain(Base64.getEncoder().encodeToString(key.key()))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(key.key()));
        assertThat(KeyRing.load(ring, kek).current().key()).isEqualTo(key.key());

        KeyEncryptionKey sameIdOtherKey = KeyEncryptionKey.generate("kek-1", RANDOM);
        assertThatThrownBy(() -> KeyRing.load(ring, sameIdOtherKey))
                .isInstanceOf(CryptoException.class).hasMessageContaining("does not unwrap");
        assertThatThrownBy(() -> KeyRing.load(ring, KeyEncryptionKey.generate("kek-2", RANDOM)))
                .isInstanceOf(CryptoException.class).hasMessageContaining("wrapped by KEK kek-1");
        assertThatThrownBy(() -> KeyRing.rotate(ring, sameIdOtherKey, Aead.SM4_GCM, Clock.systemUTC(), RANDOM))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> KeyRing.load(dir.resolve("none.json"), kek))
                .isInstanceOf(CryptoException.class).hasMessageContaining("keys rotate-data-key");

        // a wrapped key moved to another id does not unwrap either
        String swapped = json.replace(key.id(), "dk-20000101T000000Z-000000");
        Path other = dir.resolve("swapped.json");
        KeyFiles.createOwnerOnly(other, swapped);
        assertThatThrownBy(() -> KeyRing.load(other, kek)).isInstanceOf(CryptoException.class).hasMessageContaining("does not unwrap");
    }

    @Test
    void the_keyed_hash_of_a_person_is_hmac_sha256_or_hmac_sm3_under_the_deployments_key() {
        byte[] key = "a-secret-of-this-deployment-0123".getBytes(StandardCharsets.UTF_8);

        KeyedHash sha = new KeyedHash(DigestAlgorithm.SHA_256, key);
        KeyedHash sm3 = new KeyedHash(DigestAlgorithm.SM3, key);

        assertThat(sha.mac("511902198001014381")).isEqualTo(DigestAlgorithm.SHA_256.hmac(key, "511902198001014381".getBytes(StandardCharsets.UTF_8)));
        assertThat(sm3.mac("511902198001014381")).isEqualTo(DigestAlgorithm.SM3.hmac(key, "511902198001014381".getBytes(StandardCharsets.UTF_8)));
        assertThat(sha.hex("511902198001014381", 16)).hasSize(32).isNotEqualTo(sm3.hex("511902198001014381", 16));
        assertThatThrownBy(() -> new KeyedHash(DigestAlgorithm.SM3, new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }

    private static String permissions(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
