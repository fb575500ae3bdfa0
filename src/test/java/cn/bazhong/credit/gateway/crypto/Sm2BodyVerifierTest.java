package cn.bazhong.credit.gateway.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A body signed in the gateway's SM2 headers is accepted only as signed, by the expected key. */
class Sm2BodyVerifierTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Sm2SigningKey PROVINCE = new Sm2SigningKey(Sm2.generateKeyPair(RANDOM).getPrivate(), "SC-PROVINCE");
    private static final Sm2SigningKey STRANGER = new Sm2SigningKey(Sm2.generateKeyPair(RANDOM).getPrivate(), "SC-PROVINCE");
    private static final byte[] BODY = "{\"updates\":[{\"updateId\":\"U-1\"}]}".getBytes(StandardCharsets.UTF_8);

    private final Sm2BodyVerifier verifier = new Sm2BodyVerifier(PROVINCE.publicKey(), "SC-PROVINCE");

    private static String rule(Sm2BodyVerifier.Refusal refusal) {
        return refusal == null ? null : refusal.rule();
    }

    @Test
    void the_provinces_signature_of_the_exact_body_is_accepted_from_bytes_and_from_a_stream() throws Exception {
        Map<String, String> h = Sm2BodySignature.headers(PROVINCE, BODY);

        assertThat(verifier.check(BODY, h.get(Sm2BodySignature.SIGNATURE_HEADER), h.get(Sm2BodySignature.KEY_HEADER))).isNull();
        assertThat(verifier.check(new ByteArrayInputStream(BODY), h.get(Sm2BodySignature.SIGNATURE_HEADER), null)).isNull();
        // the gateway's own helper agrees with the verifier written from the standard
        assertThat(Sm2StandardVerifier.verifiesDer(PROVINCE.publicKey(), "SC-PROVINCE", BODY,
                java.util.Base64.getDecoder().decode(h.get(Sm2BodySignature.SIGNATURE_HEADER)))).isTrue();
    }

    @Test
    void a_missing_garbled_misdirected_or_foreign_signature_is_refused_with_its_rule() {
        Map<String, String> good = Sm2BodySignature.headers(PROVINCE, BODY);
        Map<String, String> foreign = Sm2BodySignature.headers(STRANGER, BODY);
        byte[] altered = BODY.clone();
        altered[3] ^= 1;

        assertThat(rule(verifier.check(BODY, null, null))).isEqualTo("sm2-signature-missing");
        assertThat(rule(verifier.check(BODY, " ", good.get(Sm2BodySignature.KEY_HEADER)))).isEqualTo("sm2-signature-missing");
        assertThat(rule(verifier.check(BODY, "%%%", null))).isEqualTo("sm2-signature-invalid");
        assertThat(rule(verifier.check(BODY, "AAAA", null))).isEqualTo("sm2-signature-invalid");
        assertThat(rule(verifier.check(altered, good.get(Sm2BodySignature.SIGNATURE_HEADER), null))).isEqualTo("sm2-signature-invalid");
        assertThat(rule(verifier.check(BODY, foreign.get(Sm2BodySignature.SIGNATURE_HEADER), foreign.get(Sm2BodySignature.KEY_HEADER))))
                .isEqualTo("sm2-signature-key");
        assertThat(rule(verifier.check(BODY, foreign.get(Sm2BodySignature.SIGNATURE_HEADER), null))).isEqualTo("sm2-signature-invalid");
        assertThat(rule(new Sm2BodyVerifier(PROVINCE.publicKey(), Sm2.DEFAULT_USER_ID)
                .check(BODY, good.get(Sm2BodySignature.SIGNATURE_HEADER), null))).isEqualTo("sm2-signature-invalid");
    }

    @Test
    void the_provinces_key_is_read_from_a_public_key_pem(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("province.pub.pem");
        Files.writeString(pem, Sm2.publicKeyPem(PROVINCE.publicKey()));

        Sm2BodyVerifier fromFile = Sm2BodyVerifier.fromPublicKeyFile(pem, "SC-PROVINCE");
        assertThat(fromFile.keyId()).isEqualTo(PROVINCE.keyId());
        Map<String, String> h = Sm2BodySignature.headers(PROVINCE, BODY);
        assertThat(fromFile.check(BODY, h.get(Sm2BodySignature.SIGNATURE_HEADER), h.get(Sm2BodySignature.KEY_HEADER))).isNull();
    }
}
