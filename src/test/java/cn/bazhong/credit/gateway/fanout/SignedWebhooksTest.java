package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.catalog.CatalogLoader;
import cn.bazhong.credit.gateway.crypto.Sm2;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;
import cn.bazhong.credit.gateway.crypto.Sm2StandardVerifier;
import cn.bazhong.credit.gateway.support.WebhookReceivers;
import cn.bazhong.credit.gateway.tls.OutboundTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A department's webhook may also receive the gateway's SM2 signature of each event body, beside the
 * Standard Webhooks signature, which stays; checked by the verifier written from GB/T 32918.
 */
class SignedWebhooksTest {

    static final WebhookReceivers RECEIVERS = new WebhookReceivers();
    @org.junit.jupiter.api.extension.RegisterExtension
    static final cn.bazhong.credit.gateway.support.PlainCamel CAMEL = new cn.bazhong.credit.gateway.support.PlainCamel();
    static final Sm2SigningKey KEY = new Sm2SigningKey(Sm2.generateKeyPair(new SecureRandom()).getPrivate(), null);
    static final byte[] BODY = "{\"id\":\"evt-1\",\"type\":\"list.entry.listed\",\"department\":\"XZSPJ\",\"subject\":{\"name\":\"巴中某公司\"}}"
            .getBytes(StandardCharsets.UTF_8);

    @AfterAll
    static void close() throws Exception {
        RECEIVERS.close();
    }

    private static WebhookReceivers.Received deliver(String dept, Sm2SigningKey key) throws Exception {
        String secret = WebhookReceivers.newSecret();
        Subscription.WebhookChannel channel = new Subscription.WebhookChannel(RECEIVERS.add(dept, secret), List.of(secret), key != null);
        WebhookSender sender = new WebhookSender(CAMEL, channel, Duration.ofSeconds(5), Clock.systemUTC(), OutboundTls.jdkDefaults(), key);
        assertThat(sender.send(List.of(new OutboundEvent("evt-1", "list.entry.listed", dept, "s", Instant.now(), BODY))).status())
                .isEqualTo(204);
        return RECEIVERS.received(dept).get(0);
    }

    @Test
    void a_signed_delivery_carries_both_the_standard_webhooks_and_an_sm2_signature_of_the_exact_body() throws Exception {
        WebhookReceivers.Received received = deliver("XZSPJ", KEY);

        assertThat(received.signatureValid()).isTrue();
        assertThat(received.rawBody()).isEqualTo(BODY);
        assertThat(received.sm2KeyId()).isEqualTo(Sm2SigningKey.keyId(KEY.publicKey()));
        byte[] signature = Base64.getDecoder().decode(received.sm2Signature());
        assertThat(Sm2StandardVerifier.verifiesDer(KEY.publicKey(), Sm2.DEFAULT_USER_ID, received.rawBody(), signature)).isTrue();
        byte[] altered = received.rawBody();
        altered[5] ^= 1;
        assertThat(Sm2StandardVerifier.verifiesDer(KEY.publicKey(), Sm2.DEFAULT_USER_ID, altered, signature)).isFalse();
    }

    @Test
    void an_unsigned_delivery_carries_the_standard_webhooks_signature_only() throws Exception {
        WebhookReceivers.Received received = deliver("GGZY", null);

        assertThat(received.signatureValid()).isTrue();
        assertThat(received.sm2Signature()).isNull();
        assertThat(received.sm2KeyId()).isNull();
    }

    @Test
    void a_refusal_comes_back_from_the_http_producer_as_the_departments_answer_with_its_retry_after_and_is_not_retried_there()
            throws Exception {
        String secret = WebhookReceivers.newSecret();
        java.net.URI url = RECEIVERS.add("SWJ", secret);
        RECEIVERS.answer("SWJ", 503);

        try (WebhookSender sender = new WebhookSender(CAMEL, new Subscription.WebhookChannel(url, List.of(secret)),
                Duration.ofSeconds(5), Clock.systemUTC())) {
            ChannelSender.Attempt unavailable = sender.send(List.of(new OutboundEvent("evt-2", "list.entry.listed", "SWJ", "s", Instant.now(), BODY)));
            assertThat(unavailable.status()).isEqualTo(503);
            assertThat(unavailable.retryAfter()).isEqualTo(Duration.ofSeconds(1));
            RECEIVERS.answer("SWJ", 410);
            assertThat(sender.send(List.of(new OutboundEvent("evt-2", "list.entry.listed", "SWJ", "s", Instant.now(), BODY))).status())
                    .isEqualTo(410);
        }

        assertThat(RECEIVERS.attempts("SWJ")).as("one request per attempt: retrying is FanoutDelivery's").isEqualTo(2);
        assertThat(RECEIVERS.received("SWJ")).isEmpty();
    }

    @Test
    void a_webhook_url_with_a_query_is_posted_to_exactly_as_written_even_where_its_names_are_camel_options() throws Exception {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/in", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + "?" + exchange.getRequestURI().getRawQuery());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            // httpMethod, followRedirects and throwExceptionOnFailure are camel-http's options: here they are the department's
            String query = "token=a%20b&httpMethod=GET&followRedirects=true&throwExceptionOnFailure=true";
            java.net.URI url = java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/in?" + query);
            String secret = WebhookReceivers.newSecret();
            try (WebhookSender sender = new WebhookSender(CAMEL, new Subscription.WebhookChannel(url, List.of(secret)),
                    Duration.ofSeconds(5), Clock.systemUTC())) {
                assertThat(sender.send(List.of(new OutboundEvent("evt-4", "list.entry.listed", "XZSPJ", "s", Instant.now(), BODY))).status())
                        .isEqualTo(204);
            }
            assertThat(seen).containsExactly("POST /in?" + query);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void a_webhook_that_does_not_answer_within_the_attempt_time_out_is_a_failed_attempt_naming_the_wait() throws Exception {
        String secret = WebhookReceivers.newSecret();
        java.net.URI url = RECEIVERS.add("JXJ", secret);
        RECEIVERS.hang("JXJ", true);

        try (WebhookSender sender = new WebhookSender(CAMEL, new Subscription.WebhookChannel(url, List.of(secret)),
                Duration.ofMillis(300), Clock.systemUTC())) {
            assertThatThrownBy(() -> sender.send(List.of(new OutboundEvent("evt-3", "list.entry.listed", "JXJ", "s", Instant.now(), BODY))))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessage("no answer from " + url + " within 300 ms");
        }
        assertThat(RECEIVERS.attempts("JXJ")).isEqualTo(1);
    }

    @Test
    void a_subscription_asks_for_sm2_in_its_webhook_block_and_signing_needs_the_gateways_key() {
        String yaml = """
                subscriptions:
                  XZSPJ:
                    webhook: { url: "http://127.0.0.1:1/hooks/XZSPJ", secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], signSm2: true }
                  GGZY:
                    webhook: { url: "http://127.0.0.1:1/hooks/GGZY", secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] }
                """;
        Subscriptions subs = SubscriptionsLoader.load("subscriptions.yaml", new StringReader(yaml),
                CatalogLoader.load(Path.of("config/catalog.yaml")), Map.<String, String>of()::get);
        Subscription.WebhookChannel signed = (Subscription.WebhookChannel) subs.of("XZSPJ").orElseThrow().channel();
        Subscription.WebhookChannel plain = (Subscription.WebhookChannel) subs.of("GGZY").orElseThrow().channel();
        assertThat(signed.signSm2()).isTrue();
        assertThat(plain.signSm2()).isFalse();

        assertThat(FanoutConfiguration.webhookSigningKey("XZSPJ", signed, settings(false), KEY)).isSameAs(KEY);
        assertThat(FanoutConfiguration.webhookSigningKey("GGZY", plain, settings(false), KEY)).isNull();
        assertThat(FanoutConfiguration.webhookSigningKey("GGZY", plain, settings(true), KEY)).isSameAs(KEY);
        assertThatThrownBy(() -> FanoutConfiguration.webhookSigningKey("XZSPJ", signed, settings(false), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("XZSPJ").hasMessageContaining("gateway.crypto.sm2.private-key-file");
        assertThatThrownBy(() -> FanoutConfiguration.webhookSigningKey("GGZY", plain, settings(true), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("gateway.fanout.sign-sm2");
    }

    private static FanoutSettings settings(boolean signSm2) {
        return new FanoutSettings(true, Path.of("config/subscriptions.yaml"), Duration.ofSeconds(5), "dlq", "redeliveries", "endpoints",
                "deliveries", Duration.ofDays(1), 10, null, signSm2, false);
    }
}
