package cn.bazhong.credit.gateway.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

/** For any text and field: a value comes back only from its own field, and no altered byte passes (QuickTheories). */
class FieldCipherPropertiesTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final KeyEncryptionKey KEK = KeyEncryptionKey.generate("kek-1", RANDOM);
    private static final List<FieldCipher> CIPHERS = List.of(cipher(Aead.SM4_GCM), cipher(Aead.AES_256_GCM));

    private static FieldCipher cipher(Aead aead) {
        DataKey key = KeyRing.newDataKey(aead, KEK, Clock.systemUTC(), RANDOM);
        return new FieldCipher(new KeyRing(List.of(key), key.id()));
    }

    @Test
    void any_text_comes_back_from_its_own_field_and_from_no_other() {
        qt().withExamples(300).forAll(integers().between(0, 1), strings().allPossible().ofLengthBetween(0, 64),
                        strings().basicLatinAlphabet().ofLengthBetween(1, 24), strings().basicLatinAlphabet().ofLengthBetween(1, 24))
                .checkAssert((c, text, field, other) -> {
                    FieldCipher cipher = CIPHERS.get(c);
                    if (!StandardCharsets.UTF_8.newEncoder().canEncode(text)) {
                        // an unpaired surrogate: UTF-8 would turn it into '?', so it is refused rather than changed
                        assertThatThrownBy(() -> cipher.encrypt(field, text)).isInstanceOf(IllegalArgumentException.class)
                                .hasMessageContaining("not valid Unicode");
                        return;
                    }
                    String value = cipher.encrypt(field, text);

                    assertThat(cipher.decrypt(field, value)).isEqualTo(text);
                    assertThat(EncryptedValue.looksEncrypted(value)).isTrue();
                    if (!other.equals(field)) {
                        assertThatThrownBy(() -> cipher.decrypt(other, value)).isInstanceOf(CryptoException.class);
                    }
                });
    }

    @Test
    void no_change_of_a_byte_of_the_payload_passes() {
        qt().withExamples(300).forAll(integers().between(0, 1), strings().numeric(), integers().between(0, 10_000), integers().between(1, 255))
                .checkAssert((c, text, position, flip) -> {
                    FieldCipher cipher = CIPHERS.get(c);
                    String value = cipher.encrypt("subject.idNumber", text);
                    int cut = value.lastIndexOf(':') + 1;
                    byte[] payload = Base64.getUrlDecoder().decode(value.substring(cut));
                    payload[position % payload.length] ^= (byte) flip.intValue();
                    String altered = value.substring(0, cut) + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);

                    assertThatThrownBy(() -> cipher.decrypt("subject.idNumber", altered)).isInstanceOf(CryptoException.class);
                });
    }
}
