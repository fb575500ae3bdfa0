package cn.bazhong.credit.gateway.crypto;

import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SM3, HMAC-SM3, SM4, SM4-GCM and AES-256-GCM give the examples their standards publish. */
class NationalAlgorithmVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void sm3_of_abc_is_example_1_of_gbt_32905() {
        assertThat(HEX.formatHex(DigestAlgorithm.SM3.digest("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }

    @Test
    void sm3_of_abcd_sixteen_times_is_example_2_of_gbt_32905() {
        assertThat(HEX.formatHex(DigestAlgorithm.SM3.digest("abcd".repeat(16).getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
    }

    @Test
    void sha256_of_abc_is_the_fips_180_example() {
        assertThat(HEX.formatHex(DigestAlgorithm.SHA_256.digest("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void hmac_sm3_gives_the_examples_of_gmt_0042_appendix_d() {
        byte[] key32 = HEX.parseHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
        String input1 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".repeat(2);
        assertThat(HEX.formatHex(DigestAlgorithm.SM3.hmac(key32, input1.getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a");

        byte[] key37 = HEX.parseHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425");
        byte[] input2 = HEX.parseHex("cd".repeat(50));
        assertThat(HEX.formatHex(DigestAlgorithm.SM3.hmac(key37, input2)))
                .isEqualTo("220bf579ded555393f0159f66c99877822a3ecf610d1552154b41d44b94db3ae");
    }

    @Test
    void hmac_sha256_gives_rfc_4231_test_case_2() {
        assertThat(HEX.formatHex(DigestAlgorithm.SHA_256.hmac("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void sm4_encrypts_the_example_of_gbt_32907_once_and_a_million_times() {
        byte[] key = HEX.parseHex("0123456789abcdeffedcba9876543210");
        SM4Engine sm4 = new SM4Engine();
        sm4.init(true, new KeyParameter(key));
        byte[] block = key.clone();
        sm4.processBlock(block, 0, block, 0);
        assertThat(HEX.formatHex(block)).isEqualTo("681edf34d206965e86b3e94f536e4246");

        block = key.clone();
        for (int i = 0; i < 1_000_000; i++) {
            sm4.processBlock(block, 0, block, 0);
        }
        assertThat(HEX.formatHex(block)).isEqualTo("595298c7c6fd271f0402f804c33d3f66");
    }

    @Test
    void sm4_gcm_seals_and_opens_the_example_of_rfc_8998() {
        byte[] key = HEX.parseHex("0123456789abcdeffedcba9876543210");
        byte[] nonce = HEX.parseHex("00001234567800000000abcd");
        byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] plaintext = HEX.parseHex("aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd"
                + "eeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa");
        String expected = "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735"
                + "d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d"
                + "83de3541e4c2b58177e065a9bf7b62ec";

        byte[] sealed = Aead.SM4_GCM.seal(key, nonce, aad, plaintext);

        assertThat(HEX.formatHex(sealed)).isEqualTo(expected);
        assertThat(Aead.SM4_GCM.open(key, nonce, aad, sealed)).isEqualTo(plaintext);
    }

    @Test
    void aes_256_gcm_gives_the_gcm_specification_test_cases_13_and_14() {
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        assertThat(HEX.formatHex(Aead.AES_256_GCM.seal(key, nonce, new byte[0], new byte[0])))
                .isEqualTo("530f8afbc74536b9a963b4f1c4cb738b");
        assertThat(HEX.formatHex(Aead.AES_256_GCM.seal(key, nonce, new byte[0], new byte[16])))
                .isEqualTo("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919");
    }

    @Test
    void both_ciphers_refuse_a_value_with_one_bit_flipped_anywhere() {
        for (Aead aead : Aead.values()) {
            byte[] key = aead.newKey(new java.security.SecureRandom());
            byte[] nonce = new byte[12];
            byte[] aad = "subject.idNumber".getBytes(StandardCharsets.UTF_8);
            byte[] sealed = aead.seal(key, nonce, aad, "511902198001014381".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < sealed.length; i++) {
                byte[] altered = sealed.clone();
                altered[i] ^= 0x01;
                assertThatThrownBy(() -> aead.open(key, nonce, aad, altered)).isInstanceOf(CryptoException.class);
            }
            assertThatThrownBy(() -> aead.open(key, nonce, "subject.name".getBytes(StandardCharsets.UTF_8), sealed))
                    .isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void configured_names_are_read_in_any_case() {
        assertThat(Aead.parse("sm4-gcm")).isEqualTo(Aead.SM4_GCM);
        assertThat(Aead.parse("AES_256_GCM")).isEqualTo(Aead.AES_256_GCM);
        assertThat(DigestAlgorithm.parse("HMAC-SM3")).isEqualTo(DigestAlgorithm.SM3);
        assertThat(DigestAlgorithm.parse("hmac-sha256")).isEqualTo(DigestAlgorithm.SHA_256);
        assertThatThrownBy(() -> Aead.parse("DES")).hasMessageContaining("SM4-GCM or AES-256-GCM");
        assertThatThrownBy(() -> DigestAlgorithm.parse("MD5")).hasMessageContaining("SHA-256 or SM3");
    }
}
