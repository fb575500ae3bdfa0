package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.CatalogLoader;
import cn.bazhong.credit.gateway.fanout.Subscription.CamelChannel;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code camel} channel on a plain Camel context (no Spring): what a route receives, how its ending is read,
 * and what the subscription file refuses at load. The end-to-end runs are in FanoutToDepartmentsTest.
 */
class CamelChannelTest {

    private static final Catalog CATALOG = CatalogLoader.load(Path.of("config/catalog.yaml"));
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final List<Exchange> RECEIVED = new CopyOnWriteArrayList<>();
    private static final AtomicInteger FLAKY_CALLS = new AtomicInteger();
    private static CamelContext camel;
    private static CamelEndpoints endpoints;

    @BeforeAll
    static void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dept-ok-out").routeId("dept-ok-out").process(e -> RECEIVED.add(e.copy()));
                from("direct:dept-broken-out").routeId("dept-broken-out").throwException(new IOException("share not mounted"));
                from("direct:dept-flaky-out").routeId("dept-flaky-out").process(e -> {
                    if (FLAKY_CALLS.incrementAndGet() <= 2) {
                        throw new IOException("not yet");
                    }
                });
                from("direct:dept-busy-out").routeId("dept-busy-out")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(503)).setHeader("Retry-After", constant("7"));
            }
        });
        camel.start();
        endpoints = new CamelEndpoints(camel);
    }

    @AfterAll
    static void stop() {
        camel.stop();
    }

    private static OutboundEvent event(String id) {
        return new OutboundEvent(id, "list.entry.listed", "CZJ", "91511922MA6TL5RJXL", Instant.parse("2026-12-01T08:00:00Z"),
                ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static CamelEndpointSender sender(String uri, Map<String, String> parameters, List<String> secrets) {
        return new CamelEndpointSender(new CamelChannel(uri, parameters, secrets), endpoints, Clock.systemUTC());
    }

    @Test
    void a_route_receives_the_event_body_with_its_id_department_subject_and_a_standard_webhooks_signature() {
        RECEIVED.clear();
        ChannelSender.Attempt answer = assertDelivered(sender("direct:dept-ok-out", Map.of(), List.of(SECRET)), event("evt-1"));

        assertThat(answer.delivered()).isTrue();
        Exchange got = RECEIVED.get(0);
        assertThat(got.getMessage().getBody(String.class)).isEqualTo("{\"id\":\"evt-1\"}");
        assertThat(got.getMessage().getHeaders()).containsEntry(CamelEndpointSender.EVENT_ID, "evt-1")
                .containsEntry(CamelEndpointSender.DEPARTMENT, "CZJ").containsEntry(CamelEndpointSender.SUBJECT, "91511922MA6TL5RJXL")
                .containsEntry(CamelEndpointSender.EVENT_TYPE, "list.entry.listed").containsEntry(WebhookSigner.ID_HEADER, "evt-1");
        long timestamp = Long.parseLong(got.getMessage().getHeader(WebhookSigner.TIMESTAMP_HEADER, String.class));
        assertThat(got.getMessage().getHeader(WebhookSigner.SIGNATURE_HEADER, String.class))
                .contains(new WebhookSigner(SECRET).signature("evt-1", timestamp, got.getMessage().getBody(byte[].class)));
    }

    @Test
    void without_secrets_no_signature_header_is_set() {
        RECEIVED.clear();
        assertDelivered(sender("direct:dept-ok-out", Map.of(), List.of()), event("evt-2"));
        assertThat(RECEIVED.get(0).getMessage().getHeaders()).containsKey(CamelEndpointSender.EVENT_ID)
                .doesNotContainKey(WebhookSigner.SIGNATURE_HEADER);
    }

    @Test
    void a_file_endpoint_with_parameters_appends_one_line_per_event(@TempDir Path dir) throws Exception {
        CamelEndpointSender sender = sender("file:" + dir, Map.of("fileName", "CZJ.ndjson", "fileExist", "Append", "appendChars", "\\n"),
                List.of());
        sender.send(List.of(event("evt-3")));
        sender.send(List.of(event("evt-4")));
        assertThat(Files.readAllLines(dir.resolve("CZJ.ndjson"))).containsExactly("{\"id\":\"evt-3\"}", "{\"id\":\"evt-4\"}");
    }

    @Test
    void a_file_name_with_a_camel_expression_names_each_file_by_its_event_id(@TempDir Path dir) throws Exception {
        // the example of docs/guide-integrators.md, through the loader: ${...} inside a longer value is Camel's, not a gateway setting
        Subscriptions subs = load("subscriptions:\n  CZJ:\n    camel:\n      uri: \"file:" + dir + "\"\n      parameters:\n"
                + "        fileName: \"${header.CreditEventId}.json\"\n        tempFileName: \"${file:name}.part\"\n");
        new CamelEndpointSender((CamelChannel) subs.of("CZJ").orElseThrow().channel(), endpoints, Clock.systemUTC())
                .send(List.of(event("evt-8")));
        assertThat(dir.resolve("evt-8.json")).hasContent("{\"id\":\"evt-8\"}");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("evt-8.json");
        }
    }

    @Test
    void an_exchange_that_fails_is_a_failed_attempt_that_the_delivery_retries_and_then_dead_letters() throws Exception {
        CamelEndpointSender broken = sender("direct:dept-broken-out", Map.of(), List.of());
        assertThatThrownBy(() -> broken.send(List.of(event("evt-5")))).isInstanceOf(IOException.class).hasMessageContaining("share not mounted");

        Subscription.RetryPolicy three = new Subscription.RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2));
        List<Duration> waits = new CopyOnWriteArrayList<>();
        FanoutDelivery.Outcome dead = new FanoutDelivery("CZJ", broken, CircuitBreaker.ofDefaults("t1"), three)
                .deliver(List.of(event("evt-5")), waits::add);
        assertThat(dead).isInstanceOfSatisfying(FanoutDelivery.Outcome.DeadLetter.class, d -> {
            assertThat(d.attempts()).isEqualTo(3);
            assertThat(d.reason()).contains("share not mounted");
        });
        assertThat(waits).hasSize(2);

        FLAKY_CALLS.set(0);
        FanoutDelivery.Outcome flaky = new FanoutDelivery("CZJ", sender("direct:dept-flaky-out", Map.of(), List.of()),
                CircuitBreaker.ofDefaults("t2"), new Subscription.RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(2)))
                .deliver(List.of(event("evt-6")), w -> { });
        assertThat(flaky).isEqualTo(new FanoutDelivery.Outcome.Delivered(3));
    }

    @Test
    void a_route_may_answer_like_a_webhook_with_a_status_and_retry_after() throws Exception {
        ChannelSender.Attempt answer = sender("direct:dept-busy-out", Map.of(), List.of()).send(List.of(event("evt-7")));
        assertThat(answer).isEqualTo(new ChannelSender.Attempt(503, Duration.ofSeconds(7)));
    }

    @Test
    void a_direct_channel_without_its_route_is_named_once_camel_has_started() {
        Subscriptions subs = load("subscriptions:\n  CZJ:\n    camel: { uri: 'direct:dept-ok-out' }\n"
                + "  FGW:\n    camel: { uri: 'direct:dept-fgw-out' }\n");
        assertThat(endpoints.withoutRoute(subs)).singleElement().asString().contains("FGW").contains("direct:dept-fgw-out");
    }

    @Test
    void an_unknown_component_or_option_is_refused_at_load_with_file_line_and_key() {
        ConfigFileException component = failure("subscriptions:\n  CZJ:\n    camel:\n      uri: 'jmsx:queue:credit.events'\n");
        assertThat(component.getMessage()).contains("subscriptions.yaml").contains("subscriptions.CZJ.camel.uri");
        assertThat(component.line()).isEqualTo(4);
        assertThat(component.problem()).contains("no Camel component 'jmsx'");

        ConfigFileException option = failure("subscriptions:\n  CZJ:\n    camel:\n      uri: 'file:/tmp/out'\n"
                + "      parameters: { fileNam: x.json }\n");
        assertThat(option.problem()).contains("fileNam");

        assertThat(failure("subscriptions:\n  CZJ:\n    camel: { uri: 'no-scheme' }\n").problem()).contains("not a Camel endpoint URI");
    }

    @Test
    void parameters_take_placeholders_and_their_values_are_never_shown() {
        Subscriptions subs = SubscriptionsLoader.load("config/subscriptions.yaml", new StringReader(
                        "subscriptions:\n  CZJ:\n    camel:\n      uri: 'direct:dept-ok-out'\n      parameters:\n"
                                + "        timeout: \"${CZJ_TIMEOUT:1000}\"\n      secrets: [\"" + SECRET + "\"]\n"),
                CATALOG, Map.of("CZJ_TIMEOUT", "2500")::get, endpoints);
        CamelChannel channel = (CamelChannel) subs.of("CZJ").orElseThrow().channel();
        assertThat(channel.parameters()).containsEntry("timeout", "2500");
        assertThat(CamelEndpoints.uri(channel)).isEqualTo("direct:dept-ok-out?timeout=RAW(2500)");
        assertThat(channel.toString()).doesNotContain("2500").doesNotContain("whsec_");
        CamelChannel inUri = new CamelChannel("file:/tmp/out?password=s3cret&fileName=x.json", Map.of(), List.of());
        assertThat(inUri.toString()).doesNotContain("s3cret");
    }

    private static ChannelSender.Attempt assertDelivered(ChannelSender sender, OutboundEvent event) {
        try {
            ChannelSender.Attempt a = sender.send(List.of(event));
            assertThat(a.delivered()).isTrue();
            return a;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static Subscriptions load(String yaml) {
        return SubscriptionsLoader.load("config/subscriptions.yaml", new StringReader(yaml), CATALOG, name -> null, endpoints);
    }

    private static ConfigFileException failure(String yaml) {
        try {
            load(yaml);
        } catch (ConfigFileException e) {
            return e;
        }
        throw new AssertionError("expected the file to be refused");
    }
}
