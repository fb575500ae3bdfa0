package cn.bazhong.credit.gateway.upstream;

import cn.bazhong.credit.gateway.GatewayApplication;
import cn.bazhong.credit.gateway.crypto.KeyFiles;
import cn.bazhong.credit.gateway.crypto.Sm2;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import cn.bazhong.credit.gateway.crypto.Sm2StandardVerifier;
import cn.bazhong.credit.gateway.support.Http;
import cn.bazhong.credit.gateway.support.TestGateway;
import cn.bazhong.credit.simulators.province.ProvincialSimulator;
import cn.bazhong.credit.simulators.province.ReceivedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code gateway.upstream.sign-sm2} and an SM2 key file, every batch the gateway sends reaches the
 * province with an SM2 signature of its exact body, which the verifier written from GB/T 32918 accepts.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SignedBatchesReachTheProvinceTest {

    static final ProvincialSimulator PROVINCE = ProvincialSimulator.start(ProvincialSimulator.Settings.defaults());
    static final KeyPair PAIR = Sm2.generateKeyPair(new SecureRandom());
    static final String USER_ID = "BAZHONG-CREDIT-GATEWAY";

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) throws IOException {
        TestGateway.register(registry, "signed-batches");
        Path keyFile = Files.createTempDirectory("gateway-sm2-").resolve("gateway.key.pem");
        KeyFiles.createOwnerOnly(keyFile, Sm2.privateKeyPem(PAIR.getPrivate()));
        registry.add("gateway.upstream.base-url", () -> PROVINCE.baseUri().toString());
        registry.add("gateway.upstream.token", () -> PROVINCE.settings().token());
        registry.add("gateway.upstream.sign-sm2", () -> "true");
        registry.add("gateway.crypto.sm2.private-key-file", keyFile::toString);
        registry.add("gateway.crypto.sm2.user-id", () -> USER_ID);
    }

    @AfterAll
    static void stopProvince() {
        PROVINCE.close();
    }

    @LocalServerPort
    int port;

    @Test
    void every_batch_reaches_the_province_signed_over_its_exact_body_under_the_gateways_key_id() throws IOException {
        byte[] licences = Files.readAllBytes(Path.of("samples/feeds/rest/xzspj/licences-001.json"));
        Http.Response receipt = Http.post("http://127.0.0.1:" + port + "/api/v1/feeds/xzspj/licences", TestGateway.KEYS.get("XZSPJ"),
                licences, "Content-Type", "application/json");
        assertThat(receipt.status()).as(receipt.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).until(() -> PROVINCE.records().size() >= 34);
        List<ReceivedRequest> requests = PROVINCE.receivedRequests();
        assertThat(requests).isNotEmpty();
        PublicKey publicKey = PAIR.getPublic();
        for (ReceivedRequest request : requests) {
            assertThat(request.header("X-Signature-SM2-Key")).isEqualTo(Sm2SigningKey.keyId(publicKey));
            byte[] signature = Base64.getDecoder().decode(request.header("X-Signature-SM2"));
            assertThat(Sm2StandardVerifier.verifiesDer(publicKey, USER_ID, request.body(), signature))
                    .as("signature of batch %s", request.header("Idempotency-Key")).isTrue();
        }
    }
}
