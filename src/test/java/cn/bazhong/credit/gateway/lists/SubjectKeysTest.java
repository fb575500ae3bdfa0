package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.crypto.DigestAlgorithm;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keys persons are joined on: HMAC-SHA256 as before (the JDK's own HMAC agrees), HMAC-SM3 when chosen. */
class SubjectKeysTest {

    private static final String SECRET = "a-secret-of-this-deployment-0123";
    private static final String ID = "511902198001014381";

    @Test
    void the_default_key_of_a_person_is_the_hmac_sha256_key_of_earlier_releases() throws Exception {
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String earlier = "P:" + HexFormat.of().formatHex(jdk.doFinal(ID.getBytes(StandardCharsets.UTF_8)), 0, 16);

        assertThat(new SubjectKeys(SECRET).person(ID)).isEqualTo(earlier);
        assertThat(new SubjectKeys(SECRET, DigestAlgorithm.SHA_256).person(ID)).isEqualTo(earlier);
    }

    @Test
    void with_hmac_sm3_a_person_has_another_key_of_the_same_form_and_organisations_keep_theirs() {
        SubjectKeys sm3 = new SubjectKeys(SECRET, DigestAlgorithm.SM3);

        assertThat(sm3.person(ID)).matches("P:[0-9a-f]{32}").isNotEqualTo(new SubjectKeys(SECRET).person(ID)).doesNotContain(ID);
        assertThat(sm3.person(ID)).isEqualTo(new SubjectKeys(SECRET, DigestAlgorithm.SM3).person(ID));
        assertThat(sm3.organisation("91511921MA6H6AXA5T")).isEqualTo("O:91511921MA6H6AXA5T");
        assertThatThrownBy(() -> new SubjectKeys("short", DigestAlgorithm.SM3)).hasMessageContaining("at least 16");
    }
}
