package cn.bazhong.credit.gateway.fanout;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What we send verifies with the official Standard Webhooks library and with an independent verifier. */
class WebhookSignerTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final byte[] BODY = "{\"id\":\"evt_1\",\"type\":\"list.entry.listed\",\"subject\":{\"name\":\"巴中某公司\"}}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void the_published_standard_webhooks_test_vector_reproduces_exactly() {
        String signature = new WebhookSigner(SECRET).signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void the_three_headers_carry_the_event_id_the_unix_seconds_and_the_v1_signature() {
        Instant at = Instant.parse("2026-03-01T08:00:00.750Z");

        Map<String, String> headers = new WebhookSigner(SECRET).headers("evt_1", at, BODY);

        assertThat(headers).containsOnlyKeys("webhook-id", "webhook-timestamp", "webhook-signature");
        assertThat(headers.get("webhook-id")).isEqualTo("evt_1");
        assertThat(headers.get("webhook-timestamp")).isEqualTo(Long.toString(at.getEpochSecond()));
        assertThat(headers.get("webhook-signature")).matches("v1,[A-Za-z0-9+/]{43}=");
        assertThat(IndependentVerifier.verify(SECRET, headers, BODY, at.getEpochSecond())).isTrue();
    }

    @Test
    void the_official_library_verifies_what_we_send() {
        Map<String, String> headers = new WebhookSigner(SECRET).headers("evt_1", Instant.now(), BODY);

        assertThatCode(() -> new Webhook(SECRET).verify(new String(BODY, StandardCharsets.UTF_8), multi(headers)))
                .doesNotThrowAnyException();
    }

    @Test
    void the_official_library_rejects_a_tampered_body_and_a_foreign_secret() {
        Map<String, String> headers = new WebhookSigner(SECRET).headers("evt_1", Instant.now(), BODY);
        String tampered = new String(BODY, StandardCharsets.UTF_8).replace("listed", "exited");

        assertThatThrownBy(() -> new Webhook(SECRET).verify(tampered, multi(headers)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(WebhookSigner.newSecret()).verify(new String(BODY, StandardCharsets.UTF_8), multi(headers)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void an_independent_verifier_rejects_a_tampered_body_a_changed_id_and_a_stale_timestamp() {
        long now = 1_780_000_000L;
        Map<String, String> headers = new WebhookSigner(SECRET).headers("evt_1", Instant.ofEpochSecond(now), BODY);
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("listed", "exited").getBytes(StandardCharsets.UTF_8);
        Map<String, String> otherId = Map.of("webhook-id", "evt_2", "webhook-timestamp", headers.get("webhook-timestamp"),
                "webhook-signature", headers.get("webhook-signature"));

        assertThat(IndependentVerifier.verify(SECRET, headers, BODY, now + 299)).isTrue();
        assertThat(IndependentVerifier.verify(SECRET, headers, tampered, now)).isFalse();
        assertThat(IndependentVerifier.verify(SECRET, otherId, BODY, now)).isFalse();
        assertThat(IndependentVerifier.verify(SECRET, headers, BODY, now + 301)).isFalse();
        assertThat(IndependentVerifier.verify(SECRET, headers, BODY, now - 301)).isFalse();
    }

    @Test
    void during_rotation_each_secret_signs_and_either_one_verifies() {
        String oldSecret = WebhookSigner.newSecret();
        String newSecret = WebhookSigner.newSecret();
        Instant at = Instant.now();

        Map<String, String> headers = new WebhookSigner(List.of(newSecret, oldSecret)).headers("evt_9", at, BODY);

        assertThat(headers.get("webhook-signature").split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        for (String secret : List.of(oldSecret, newSecret)) {
            assertThat(IndependentVerifier.verify(secret, headers, BODY, at.getEpochSecond())).isTrue();
            assertThatCode(() -> new Webhook(secret).verify(new String(BODY, StandardCharsets.UTF_8), multi(headers)))
                    .doesNotThrowAnyException();
        }
        assertThat(IndependentVerifier.verify(WebhookSigner.newSecret(), headers, BODY, at.getEpochSecond())).isFalse();
    }

    @Test
    void a_new_secret_is_whsec_and_the_base64_of_24_random_bytes() {
        String a = WebhookSigner.newSecret();

        assertThat(a).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(24);
        assertThat(WebhookSigner.newSecret()).isNotEqualTo(a);
        assertThat(WebhookSigner.secretProblem(a)).isNull();
    }

    @Test
    void a_secret_without_the_prefix_or_not_base64_is_refused_without_quoting_it() {
        assertThatThrownBy(() -> new WebhookSigner("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whsec_")
                .hasMessageNotContaining("MfKQ9r8");
        assertThatThrownBy(() -> new WebhookSigner("whsec_not*base64!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base64");
    }

    @Test
    void a_body_that_is_not_utf8_is_refused_rather_than_signed_differently_than_received() {
        assertThatThrownBy(() -> new WebhookSigner(SECRET).headers("evt_1", Instant.now(), new byte[]{(byte) 0xC3, 0x28}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UTF-8");
    }

    private static Map<String, List<String>> multi(Map<String, String> headers) {
        return Map.of("webhook-id", List.of(headers.get("webhook-id")),
                "webhook-timestamp", List.of(headers.get("webhook-timestamp")),
                "webhook-signature", List.of(headers.get("webhook-signature")));
    }

    /** A verifier written from the Standard Webhooks 1.0 text alone, sharing no code with the signer. */
    static final class IndependentVerifier {
        private static final long TOLERANCE_SECONDS = 300;

        static boolean verify(String secret, Map<String, String> headers, byte[] body, long nowSeconds) {
            String id = headers.get("webhook-id");
            String ts = headers.get("webhook-timestamp");
            String sigs = headers.get("webhook-signature");
            if (id == null || ts == null || sigs == null) {
                return false;
            }
            long t;
            try {
                t = Long.parseLong(ts);
            } catch (NumberFormatException e) {
                return false;
            }
            if (Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) {
                return false;
            }
            byte[] expected;
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
                mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
                expected = mac.doFinal(body);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            for (String versioned : sigs.split(" ")) {
                int comma = versioned.indexOf(',');
                if (comma < 0 || !versioned.substring(0, comma).equals("v1")) {
                    continue;
                }
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(versioned.substring(comma + 1));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
            return false;
        }
    }
}
