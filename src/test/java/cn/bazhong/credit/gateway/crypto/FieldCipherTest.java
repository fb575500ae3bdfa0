package cn.bazhong.credit.gateway.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Envelope encryption of personal fields: round trips, tampering, field binding, rotation, re-encryption. */
class FieldCipherTest {

    private static final String ID = "511902198001014381";
    private static final String FIELD = "subject.idNumber";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final KeyEncryptionKey KEK = KeyEncryptionKey.generate("kek-1", RANDOM);

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    private static FieldCipher cipher(Aead aead) {
        DataKey key = KeyRing.newDataKey(aead, KEK, at("2026-12-05T08:00:00Z"), RANDOM);
        return new FieldCipher(new KeyRing(List.of(key), key.id()));
    }

    @Test
    void a_value_comes_back_from_either_cipher_and_names_its_keys_and_cipher() {
        for (Aead aead : Aead.values()) {
            FieldCipher cipher = cipher(aead);

            String value = cipher.encrypt(FIELD, ID);

            assertThat(value).startsWith("enc:v1:kek-1:" + cipher.ring().current().id() + ":" + aead.label() + ":")
                    .doesNotContain(ID).doesNotContain("198001014381");
            assertThat(value).matches("enc:v1:[A-Za-z0-9._-]+:[A-Za-z0-9._-]+:[A-Z0-9-]+:[A-Za-z0-9_-]+");
            assertThat(cipher.decrypt(FIELD, value)).isEqualTo(ID);
            assertThat(cipher.decrypt("subject.name", cipher.encrypt("subject.name", "张三"))).isEqualTo("张三");
            assertThat(cipher.decrypt(FIELD, cipher.encrypt(FIELD, ""))).isEmpty();
        }
    }

    @Test
    void text_that_utf8_cannot_carry_is_refused_rather_than_changed() {
        FieldCipher cipher = cipher(Aead.SM4_GCM);

        assertThatThrownBy(() -> cipher.encrypt("subject.name", "张\uD800三"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject.name").hasMessageNotContaining("张");
        assertThat(cipher.decrypt("subject.name", cipher.encrypt("subject.name", "𠀀张三"))).isEqualTo("𠀀张三");
    }

    @Test
    void the_same_value_encrypts_differently_each_time() {
        FieldCipher cipher = cipher(Aead.SM4_GCM);

        assertThat(cipher.encrypt(FIELD, ID)).isNotEqualTo(cipher.encrypt(FIELD, ID));
    }

    @Test
    void a_value_with_any_byte_of_its_payload_altered_is_refused() {
        FieldCipher cipher = cipher(Aead.SM4_GCM);
        String value = cipher.encrypt(FIELD, ID);
        int cut = value.lastIndexOf(':') + 1;
        byte[] payload = Base64.getUrlDecoder().decode(value.substring(cut));

        for (int i = 0; i < payload.length; i++) {
            byte[] altered = payload.clone();
            altered[i] ^= (byte) 0x80;
            String tampered = value.substring(0, cut) + Base64.getUrlEncoder().withoutPadding().encodeToString(altered);
            assertThatThrownBy(() -> cipher.decrypt(FIELD, tampered))
                    .isInstanceOf(CryptoException.class).hasMessageContaining("does not authenticate");
        }
        assertThatThrownBy(() -> cipher.decrypt(FIELD, value.substring(0, value.length() - 2)))
                .isInstanceOf(CryptoException.class);
    }

    @Test
    void a_value_moved_to_another_field_is_refused() {
        FieldCipher cipher = cipher(Aead.AES_256_GCM);
        String idNumber = cipher.encrypt(FIELD, ID);

        assertThatThrownBy(() -> cipher.decrypt("subject.name", idNumber))
                .isInstanceOf(CryptoException.class).hasMessageContaining("another field")
                .hasMessageNotContaining(ID);
        assertThatThrownBy(() -> cipher.decrypt("entry.legalRepresentative.idNumber", idNumber))
                .isInstanceOf(CryptoException.class);
    }

    @Test
    void a_header_that_names_another_cipher_or_kek_is_refused() {
        FieldCipher cipher = cipher(Aead.SM4_GCM);
        String value = cipher.encrypt(FIELD, ID);

        assertThatThrownBy(() -> cipher.decrypt(FIELD, value.replace(":SM4-GCM:", ":AES-256-GCM:")))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> cipher.decrypt(FIELD, value.replace(":kek-1:", ":kek-2:")))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> cipher.decrypt(FIELD, ID))
                .isInstanceOf(CryptoException.class).hasMessageContaining("not an encrypted value").hasMessageNotContaining(ID);
        assertThatThrownBy(() -> cipher.decrypt(FIELD, "enc:v1:kek-1:dk:SM4-GCM:***"))
                .isInstanceOf(CryptoException.class).hasMessageContaining("malformed");
    }

    @Test
    void after_a_rotation_new_values_use_the_new_key_old_ones_stay_readable_and_reencrypt_moves_them(@TempDir Path dir) {
        Path ring = dir.resolve("data-keys.json");
        DataKey first = KeyRing.rotate(ring, KEK, Aead.AES_256_GCM, at("2026-01-01T00:00:00Z"), RANDOM);
        FieldCipher before = new FieldCipher(KeyRing.load(ring, KEK));
        String old = before.encrypt(FIELD, ID);

        DataKey second = KeyRing.rotate(ring, KEK, Aead.SM4_GCM, at("2026-12-05T08:00:00Z"), RANDOM);
        FieldCipher after = new FieldCipher(KeyRing.load(ring, KEK));

        assertThat(after.ring().keys()).extracting(DataKey::id).containsExactly(first.id(), second.id());
        assertThat(after.ring().current().id()).isEqualTo(second.id());
        String fresh = after.encrypt(FIELD, ID);
        assertThat(EncryptedValue.parse(fresh).dataKeyId()).isEqualTo(second.id());
        assertThat(EncryptedValue.parse(fresh).algorithm()).isEqualTo(Aead.SM4_GCM);
        assertThat(after.decrypt(FIELD, old)).isEqualTo(ID);
        assertThat(after.isCurrent(old)).isFalse();
        assertThat(after.isCurrent(fresh)).isTrue();

        String moved = after.reencrypt(FIELD, old);

        assertThat(EncryptedValue.parse(moved).dataKeyId()).isEqualTo(second.id());
        assertThat(after.decrypt(FIELD, moved)).isEqualTo(ID);
        assertThat(after.reencrypt(FIELD, fresh)).isSameAs(fresh);
        // the ring before the rotation cannot read what the new key wrote
        assertThatThrownBy(() -> before.decrypt(FIELD, fresh))
                .isInstanceOf(CryptoException.class).hasMessageContaining(second.id()).hasMessageContaining("not in the key ring");
    }

    @Test
    void reencrypt_never_rewrites_a_value_that_does_not_authenticate() {
        FieldCipher cipher = cipher(Aead.SM4_GCM);
        String value = cipher.encrypt(FIELD, ID);

        assertThatThrownBy(() -> cipher.reencrypt("subject.name", value)).isInstanceOf(CryptoException.class);
    }

    @Test
    void a_data_key_id_is_dated_and_shows_no_key_byte() {
        DataKey key = KeyRing.newDataKey(Aead.SM4_GCM, KEK, at("2026-12-05T08:30:00Z"), RANDOM);

        assertThat(key.id()).matches("dk-20261205T083000Z-[0-9a-f]{6}");
        assertThat(key.key()).hasSize(16);
        assertThat(KeyRing.newDataKey(Aead.AES_256_GCM, KEK, Clock.systemUTC(), RANDOM).key()).hasSize(32);
        assertThat(key.toString()).doesNotContain(Base64.getEncoder().encodeToString(key.key()));
    }
}
