package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.crypto.Sm2;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import cn.bazhong.credit.gateway.crypto.Sm2StandardVerifier;
import cn.bazhong.credit.gateway.tls.OutboundTls;
import cn.bazhong.credit.gateway.transport.UpstreamToken;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import cn.bazhong.credit.simulators.province.ReceivedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The REST adapter's optional SM2 signature, checked at the provincial simulator by the verifier written
 * from GB/T 32918 (not the signer's code path); and the settings that switch it on.
 */
class SignedBatchesTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final cn.bazhong.credit.gateway.support.PlainCamel CAMEL = new cn.bazhong.credit.gateway.support.PlainCamel();

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final Sm2SigningKey KEY = new Sm2SigningKey(Sm2.generateKeyPair(new SecureRandom()).getPrivate(), "BAZHONG-GATEWAY");
    static final byte[] DOCUMENT = "{\"batchId\":\"B-1\",\"dataset\":\"ADMIN_LICENSE\",\"records\":[]}".getBytes(StandardCharsets.UTF_8);

    @AfterAll
    static void stopProvince() {
        PROVINCE.close();
    }

    @BeforeEach
    void freshProvince() {
        PROVINCE.reset();
    }

    private static RestUpstreamTransport transport(Sm2SigningKey key) {
        return new RestUpstreamTransport(CAMEL, PROVINCE.baseUri().toString(), UpstreamToken.fixed(PROVINCE.settings().token()),
                Duration.ofSeconds(10), OutboundTls.jdkDefaults(), key);
    }

    @Test
    void without_a_signing_key_a_batch_carries_no_signature_headers() throws Exception {
        transport(null).send("B-1", DOCUMENT);

        ReceivedRequest request = PROVINCE.receivedRequests().get(0);
        assertThat(request.header("X-Signature-SM2")).isNull();
        assertThat(request.header("X-Signature-SM2-Key")).isNull();
    }

    @Test
    void a_signed_batch_carries_an_sm2_signature_of_the_exact_body_that_the_standard_verifier_accepts() throws Exception {
        RestUpstreamTransport signed = transport(KEY);
        signed.send("B-1", DOCUMENT); // answered 400 (no source unit): the province checks the body after the headers

        List<ReceivedRequest> requests = PROVINCE.receivedRequests();
        assertThat(requests).hasSize(1);
        ReceivedRequest request = requests.get(0);
        assertThat(request.body()).isEqualTo(DOCUMENT);
        assertThat(request.header("X-Signature-SM2-Key")).isEqualTo(Sm2SigningKey.keyId(KEY.publicKey())).hasSize(32);
        byte[] signature = Base64.getDecoder().decode(request.header("X-Signature-SM2"));
        assertThat(Sm2StandardVerifier.verifiesDer(KEY.publicKey(), "BAZHONG-GATEWAY", request.body(), signature)).isTrue();

        byte[] altered = request.body();
        altered[altered.length - 2] ^= 1;
        assertThat(Sm2StandardVerifier.verifiesDer(KEY.publicKey(), "BAZHONG-GATEWAY", altered, signature)).isFalse();
        assertThat(Sm2StandardVerifier.verifiesDer(KEY.publicKey(), Sm2.DEFAULT_USER_ID, request.body(), signature)).isFalse();
        assertThat(signed.describe()).contains(KEY.keyId());
    }

    @Test
    void signing_is_off_by_default_and_refused_without_a_key_or_with_an_adapter_that_cannot_carry_it() {
        assertThat(UpstreamConfiguration.batchSigningKey(settings(false, UpstreamSettings.Transport.REST), KEY)).isNull();
        assertThat(UpstreamConfiguration.batchSigningKey(settings(true, UpstreamSettings.Transport.REST), KEY)).isSameAs(KEY);

        assertThatThrownBy(() -> UpstreamConfiguration.batchSigningKey(settings(true, UpstreamSettings.Transport.REST), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("gateway.crypto.sm2.private-key-file");
        assertThatThrownBy(() -> UpstreamConfiguration.batchSigningKey(settings(true, UpstreamSettings.Transport.SFTP), KEY))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("REST batches only");
    }

    private static UpstreamSettings settings(boolean signSm2, UpstreamSettings.Transport transport) {
        return new UpstreamSettings("http://127.0.0.1:1", "t", 10, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofHours(1),
                Duration.ofSeconds(1), Duration.ofSeconds(2), new UpstreamSettings.SourceUnit("u", "x"), transport, null, null, null,
                null, signSm2, null, null);
    }
}
