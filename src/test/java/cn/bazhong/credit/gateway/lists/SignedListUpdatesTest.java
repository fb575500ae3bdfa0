package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.crypto.KeyFiles;
import cn.bazhong.credit.gateway.crypto.Sm2;
import cn.bazhong.credit.gateway.crypto.Sm2BodySignature;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import cn.bazhong.credit.gateway.crypto.Sm2StandardVerifier;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.gateway.support.WebhookReceivers;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the province's SM2 public key configured, its list updates (pushed or pulled) are taken in only
 * when signed over their exact bytes by that key; anything else is refused and changes nothing. The
 * departments then receive the resulting list change, SM2-signed by the gateway where their
 * subscription asks for it.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SignedListUpdatesTest {

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final WebhookReceivers DEPARTMENTS = new WebhookReceivers();
    static final SecureRandom RANDOM = new SecureRandom();
    static final Sm2SigningKey PROVINCE_SM2 = new Sm2SigningKey(Sm2.generateKeyPair(RANDOM).getPrivate(), null);
    static final Sm2SigningKey STRANGER_SM2 = new Sm2SigningKey(Sm2.generateKeyPair(RANDOM).getPrivate(), null);
    static final KeyPair GATEWAY_SM2 = Sm2.generateKeyPair(RANDOM);
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        // the province signs its pages from the start, so that the puller is healthy before the tests
        PROVINCE.signListUpdatePages(page -> Sm2BodySignature.headers(PROVINCE_SM2, page));
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) throws IOException {
        TestGateway.register(registry, "signed-list-updates");
        Path dir = Files.createTempDirectory("signed-list-updates-");
        Path provincePub = dir.resolve("province.pub.pem");
        Files.writeString(provincePub, Sm2.publicKeyPem(PROVINCE_SM2.publicKey()));
        Path gatewayKey = dir.resolve("gateway.key.pem");
        KeyFiles.createOwnerOnly(gatewayKey, Sm2.privateKeyPem(GATEWAY_SM2.getPrivate()));
        String xzspj = WebhookReceivers.newSecret();
        String ggzy = WebhookReceivers.newSecret();
        Files.writeString(dir.resolve("subscriptions.yaml"), """
                subscriptions:
                  XZSPJ:
                    webhook: { url: "%s", secrets: ["%s"], signSm2: true }
                  GGZY:
                    webhook: { url: "%s", secrets: ["%s"] }
                """.formatted(DEPARTMENTS.add("XZSPJ", xzspj), xzspj, DEPARTMENTS.add("GGZY", ggzy), ggzy));
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        registry.add("gateway.province.list-updates.enabled", () -> "true");
        registry.add("gateway.province.list-updates.interval", () -> "300ms");
        registry.add("gateway.province.list-updates.sm2-public-key-file", provincePub::toString);
        registry.add("gateway.crypto.sm2.private-key-file", gatewayKey::toString);
        registry.add("gateway.fanout.enabled", () -> "true");
        registry.add("gateway.fanout.subscriptions-file", () -> dir.resolve("subscriptions.yaml").toString());
        registry.add("gateway.fanout.attempt-timeout", () -> "2s");
    }

    @AfterAll
    static void stop() {
        PROVINCE.close();
        DEPARTMENTS.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private double receivedFromProvince() {
        io.micrometer.core.instrument.Counter c = meters.find("gateway.records").tag("department", "PROVINCE").tag("outcome", "received").counter();
        return c == null ? 0 : c.count();
    }

    private static Map<String, Object> update(String uscc, String documentNo) throws IOException {
        return JSON.readValue(("""
                {"operation": "LIST", "entry": {"listType": "MAJOR_TAX_VIOLATION", "subject": {"name": "丙公司", "uscc": "%s"},
                 "decidedBy": {"name": "国家税务总局四川省税务局", "uscc": "11511900MB15500550"}, "basis": "重大税收违法",
                 "decidedOn": "2026-10-01", "validFrom": "2026-10-01", "validTo": "2029-09-30", "reason": "逃税",
                 "documentNo": "%s"}}""").formatted(uscc, documentNo), Map.class);
    }

    private static byte[] page(String uscc, String documentNo) throws IOException {
        return JSON.writeValueAsBytes(Map.of("updates", List.of(update(uscc, documentNo))));
    }

    private JsonNode check(String uscc) {
        return Http.get("http://127.0.0.1:" + port + "/api/v1/subjects/" + uscc + "/measures", TestGateway.KEYS.get("GGZY")).json();
    }

    private Http.Response push(byte[] body, Map<String, String> headers) {
        List<String> h = new ArrayList<>();
        headers.forEach((k, v) -> {
            h.add(k);
            h.add(v);
        });
        return Http.post("http://127.0.0.1:" + port + "/api/v1/upstream/list-updates", TestGateway.PROVINCE_KEY, body, h.toArray(String[]::new));
    }

    private void assertRefused(Http.Response answer, String rule) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(401);
        assertThat(answer.json().path("rule").asText()).isEqualTo(rule);
        assertThat(answer.json().path("type").asText()).endsWith("signature");
    }

    @Test
    void a_page_signed_by_the_provinces_key_is_taken_and_reaches_the_departments_sm2_signed_where_asked() throws IOException {
        byte[] body = page("91511903XFWA2JK10D", "川税稽罚〔2026〕2号");
        Http.Response pushed = push(body, Sm2BodySignature.headers(PROVINCE_SM2, body));

        assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
        assertThat(pushed.json().path("accepted").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> check("91511903XFWA2JK10D").path("entries").size() == 1);

        await().atMost(Duration.ofSeconds(60)).until(() -> DEPARTMENTS.received("XZSPJ").stream().anyMatch(r -> r.body().toString().contains("91511903XFWA2JK10D"))
                && DEPARTMENTS.received("GGZY").stream().anyMatch(r -> r.body().toString().contains("91511903XFWA2JK10D")));
        WebhookReceivers.Received signed = DEPARTMENTS.received("XZSPJ").stream()
                .filter(r -> r.body().toString().contains("91511903XFWA2JK10D")).findFirst().orElseThrow();
        assertThat(signed.signatureValid()).isTrue();
        assertThat(signed.sm2KeyId()).isEqualTo(Sm2SigningKey.keyId(GATEWAY_SM2.getPublic()));
        assertThat(Sm2StandardVerifier.verifiesDer(GATEWAY_SM2.getPublic(), Sm2.DEFAULT_USER_ID, signed.rawBody(),
                Base64.getDecoder().decode(signed.sm2Signature()))).isTrue();
        WebhookReceivers.Received plain = DEPARTMENTS.received("GGZY").stream()
                .filter(r -> r.body().toString().contains("91511903XFWA2JK10D")).findFirst().orElseThrow();
        assertThat(plain.signatureValid()).isTrue();
        assertThat(plain.sm2Signature()).isNull();
    }

    @Test
    void an_unsigned_altered_or_strangers_page_is_refused_with_its_rule_and_changes_nothing() throws IOException {
        double before = receivedFromProvince();
        byte[] body = page("91511921MA6GTJL9X3", "川税稽罚〔2026〕31号");
        Map<String, String> good = Sm2BodySignature.headers(PROVINCE_SM2, body);

        assertRefused(push(body, Map.of()), "sm2-signature-missing");
        byte[] altered = page("91511921MA60JJ3109", "川税稽罚〔2026〕31号");
        assertRefused(push(altered, good), "sm2-signature-invalid");
        assertRefused(push(body, Sm2BodySignature.headers(STRANGER_SM2, body)), "sm2-signature-key");
        Map<String, String> strangerWithoutKeyId = Map.of(Sm2BodySignature.SIGNATURE_HEADER,
                Sm2BodySignature.headers(STRANGER_SM2, body).get(Sm2BodySignature.SIGNATURE_HEADER));
        assertRefused(push(body, strangerWithoutKeyId), "sm2-signature-invalid");
        assertRefused(push(body, Map.of(Sm2BodySignature.SIGNATURE_HEADER, "not base64!")), "sm2-signature-invalid");

        // refused before a byte was read as updates: nothing was received, nothing listed
        assertThat(receivedFromProvince()).isEqualTo(before);
        assertThat(check("91511921MA6GTJL9X3").path("entries")).isEmpty();
        assertThat(check("91511921MA60JJ3109").path("entries")).isEmpty();
    }

    @Test
    void pulled_pages_are_applied_only_while_signed_by_the_provinces_key() throws IOException {
        PROVINCE.signListUpdatePages(page -> Sm2BodySignature.headers(STRANGER_SM2, page));
        PROVINCE.publishListUpdate(update("91511921MA6G9NGA8M", "川税稽罚〔2026〕41号"));

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> check("91511921MA6G9NGA8M").path("entries").isEmpty());

        PROVINCE.signListUpdatePages(page -> Sm2BodySignature.headers(PROVINCE_SM2, page));
        await().atMost(Duration.ofSeconds(60)).until(() -> check("91511921MA6G9NGA8M").path("entries").size() == 1);
    }
}
